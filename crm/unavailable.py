"""503 "busy, try again" instead of a 500 or a hang when no database connection can be had.

PostgreSQL full ("sorry, too many clients already", "too many connections for role"),
stopped or restarting ("connection refused"), or unreachable (the connect timeout of
DATABASES OPTIONS, a few seconds): each request gets a short page in the visitor's
language with `Retry-After`, and the log one warning line.
"""

import logging

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
# These open their own connection and answer in their own format.
OWN_CHECKS = {"/healthz/"}


def connection_lost() -> bool:
    """No open connection, or the server dropped the one we had (psycopg marks it closed)."""
    raw = connection.connection
    return raw is None or bool(getattr(raw, "closed", False))


# PostgreSQL's SQLSTATEs for "the connection is gone": class 08 (connection exception),
# the server shutting down or restarting (57P01–57P03), too many connections (53300).
CONNECTION_SQLSTATES = ("08", "57P01", "57P02", "57P03", "53300")


def is_lost_connection(error: BaseException | None) -> bool:
    """A database error that comes from the connection being gone, not from a query.

    Asked after the fact (the 500 handler), the connection may already have been
    closed and opened again by then: the server's SQLSTATE says it too.
    """
    if not isinstance(error, OperationalError | InterfaceError):
        return False
    sqlstate = getattr(error.__cause__, "sqlstate", None) or ""
    return connection_lost() or sqlstate.startswith(CONNECTION_SQLSTATES)


def busy_response() -> HttpResponse:
    # Rendered without the request: no context processor may touch the database.
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """Connect (or health-check the persistent connection) before anything else uses it.

    Placed after LocaleMiddleware (the page is in the visitor's language) and before
    everything that may query: the session, the user, atomic_writes' transaction. A
    connection that the server drops later in the request ends the same way
    (process_exception); atomic_writes then rolls back what the request wrote, as
    for any answer of 500 or more.
    Costs nothing more than the request's first query would: it is the same connection.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info not in OWN_CHECKS:
            try:
                connection.close_if_health_check_failed()
                connection.ensure_connection()
            except OperationalError as error:
                logger.warning("Database unavailable, answered 503: %s", first_line(error))
                return busy_response()
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_lost_connection(exception):
            logger.warning("Database connection lost during the request, answered 503: %s", first_line(exception))
            return busy_response()
        return None


def first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
