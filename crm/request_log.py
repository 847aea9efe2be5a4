"""One structured log line per request, a request id on every record, no secret in any log.

- `request_log` (middleware, first in MIDDLEWARE): takes the request id from a sane
  `X-Request-ID` header or makes one, returns it in the response, and writes one
  `crm.request` line per request: method, URL pattern name, status, duration, user id.
  Never the raw path (feed addresses hold their secret) nor a user name or e-mail.
- `RequestContextFilter`: adds the request id to every record written while a request
  is served, puts the URL pattern name where Django's loggers (`django.request`,
  `django.security.csrf`) put the path, and blanks feed secrets in whatever else is left.
- `PlainFormatter` (`key=value`, the default) and `JSONFormatter` (`DJANGO_LOG_FORMAT=json`).
"""

import contextvars
import json
import logging
import re
import time
import uuid

from django.http import HttpRequest
from django.urls import Resolver404, resolve
from django.utils.functional import SimpleLazyObject

logger = logging.getLogger("crm.request")

REQUEST_ID_HEADER = "X-Request-ID"
# What a load balancer or proxy sends (uuids, hex, base64url...): nothing that could
# break a log line or forge a field.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
# A path segment naming a calendar file is a feed address: its name is the secret.
FEED_SECRET = re.compile(r"/[^/\s\"'?#]+\.ics\b")
FEED_SECRET_HIDDEN = "/…secret….ics"
# The fields of a request line, in their order.
REQUEST_FIELDS = ("method", "view", "status", "duration_ms", "user_id", "request_id")

_request_id = contextvars.ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    """The id of the request this thread is serving, if any."""
    return _request_id.get()


def request_id_from(request) -> str:
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    return given if SANE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


def view_name(request) -> str:
    """The URL pattern's name (`contacts:detail`), or '-' when no pattern matches."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        # Answered before Django resolved the URL (a redirect to https, a 503...).
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return "-"
    return match.view_name or match.route or "-"


def user_id(request) -> int | str | None:
    # Only a user the request already loaded: reading request.user here would cost
    # queries on pages that never needed it (and fail when the database is down).
    # The API authenticates by token inside its views: DRF then puts the token's user
    # in request.user in place of the session's lazy one (never the token itself).
    user = request.__dict__.get("user")
    if user is None or isinstance(user, SimpleLazyObject):
        user = getattr(request, "_cached_user", None)
    return user.pk if user is not None and user.is_authenticated else None


def request_log(get_response):
    def middleware(request):
        request.request_id = request_id_from(request)
        token = _request_id.set(request.request_id)
        started = time.perf_counter()
        status = 500  # if an exception goes through (DEBUG_PROPAGATE_EXCEPTIONS)
        try:
            response = get_response(request)
            status = response.status_code
            response[REQUEST_ID_HEADER] = request.request_id
            return response
        finally:
            logger.info("request", extra={
                "method": request.method,
                "view": view_name(request),
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": user_id(request),
                "request_id": request.request_id,
            })
            _request_id.reset(token)

    return middleware


def hide_feed_secrets(text: str) -> str:
    return FEED_SECRET.sub(FEED_SECRET_HIDDEN, text)


class RequestContextFilter(logging.Filter):
    """Request id on the record; paths replaced by the URL pattern name; feed secrets blanked.

    Attached to the console handler (everything written) and to the loggers that
    write request paths, so that records other handlers see (tests, e-mail) are clean too.
    """

    def filter(self, record):
        request = getattr(record, "request", None)
        if not getattr(record, "request_id", None):
            record.request_id = getattr(request, "request_id", None) or current_request_id()
        if isinstance(request, HttpRequest) and isinstance(record.args, tuple):
            paths = {request.path, request.get_full_path()}
            if any(arg in paths for arg in record.args):
                name = view_name(request)
                record.args = tuple(name if arg in paths else arg for arg in record.args)
        message = record.getMessage()
        hidden = hide_feed_secrets(message)
        if hidden != message:
            record.msg, record.args = hidden, ()
        return True


def _value(value) -> str:
    if value is None:
        return "-"
    text = str(value)
    return json.dumps(text) if not text or re.search(r"[\s\"=]", text) else text


class PlainFormatter(logging.Formatter):
    """`2026-12-01 20:05:00,123 INFO crm.request method=GET view=home status=200 ...`"""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record):
        if record.name == logger.name:
            record.message = " ".join(f"{key}={_value(getattr(record, key, None))}" for key in REQUEST_FIELDS)
            line = f"{self.formatTime(record)} {record.levelname} {record.name} {record.message}"
            return hide_feed_secrets(line)
        line = super().format(record)
        request_id = getattr(record, "request_id", None)
        if request_id:
            first, newline, rest = line.partition("\n")
            line = f"{first} request_id={_value(request_id)}{newline}{rest}"
        return hide_feed_secrets(line)


class JSONFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id (+ the request fields)."""

    def format(self, record):
        entry = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
        }
        if record.name == logger.name:
            entry.update({key: getattr(record, key, None) for key in REQUEST_FIELDS})
        else:
            entry["message"] = record.getMessage()
            entry["request_id"] = getattr(record, "request_id", None)
            if record.exc_info:
                entry["exception"] = self.formatException(record.exc_info)
            elif record.exc_text:
                entry["exception"] = record.exc_text
        return hide_feed_secrets(json.dumps(entry, ensure_ascii=False, default=str))
