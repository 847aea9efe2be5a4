"""/healthz/ for load balancers: can this app server reach its database and its cache right now?

Answers 200 {"status": "ok"}, or 503 {"status": "unavailable"} when the database does not
answer, to anyone and without a session; which check failed and why goes to the log only.
A failing cache answers 200 {"status": "degraded"}: pages still work without it (slower,
crm/cache.py), and a 503 there would make the load balancer take every app server out
at once for a Redis outage. Costs one new database
connection (not the request's persistent one, which may be the last one that works,
nor a pooled one kept open) and three cache round trips.
"""

import logging
import uuid

from django.contrib.auth.decorators import login_not_required
from django.core.cache import caches
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def database_answers(alias: str = "default") -> bool:
    connection = connections.create_connection(alias)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True
    except Exception:
        logger.exception("Health check: the database %r does not answer", alias)
        return False
    finally:
        connection.close()


def cache_answers(alias: str = "default") -> bool:
    cache = caches[alias]
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    try:
        cache.set(key, value, timeout=30)
        found = cache.get(key)
        cache.delete(key)
    except Exception:
        logger.exception("Health check: the cache %r fails", alias)
        return False
    if found != value:
        logger.error("Health check: the cache %r did not keep a value", alias)
        return False
    return True


@csrf_exempt  # GET and HEAD only: a POST gets 405, not a CSRF failure in the log
@login_not_required
@require_safe
@never_cache
def healthz(request):
    database_ok, cache_ok = database_answers(), cache_answers()  # both run: the log names every failure
    if not database_ok:
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok" if cache_ok else "degraded"})
