"""Django's Redis cache, except that a Redis outage cannot take a page down.

Django's RedisCache lets the client's errors through: with Redis down every
page that read the cache answered 500 (sign-in, the dashboard, its chart), and
with Redis stalled each call waits for the socket timeout first. Here every
operation catches them and answers as a miss would: get → the default,
get_many → {}, set → nothing stored, add / delete / touch / has_key / clear →
False, set_many → every key reported as not stored, incr / decr → ValueError
as for a missing key (what Django's contract promises and callers handle).
The callers then compute from the database, as after any expiry.

So that a stalled Redis costs one short timeout (TIMEOUTS) every few seconds
rather than one per call, a connection failure or timeout makes this process
leave Redis alone for RETRY_AFTER_SECONDS (a small circuit breaker). Redis
answering with an error (a read-only replica after a failover, out of memory)
costs no wait: that call is a miss, the next one tries again. Either way the
warning is logged at most every WARN_EVERY_SECONDS. The state is per process
and per LOCATION: Django builds one cache object per thread, they share it.

Whatever is in the cache can be lost without harm: sessions and sign-in failures
are kept in the database (crm/settings.py), figures are versioned by a database token.
"""

import logging
import threading
import time
from urllib.parse import urlsplit

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

# Redis answers in well under a millisecond on a LAN; a quarter of a second
# means it is gone. OPTIONS in CACHES may override these.
TIMEOUTS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}
RETRY_AFTER_SECONDS = 5.0
WARN_EVERY_SECONDS = 30.0
# Redis gone or not answering in time: leave it alone for a while. OSError: a socket
# error redis-py did not wrap.
UNREACHABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)
ERRORS = (redis.exceptions.RedisError, OSError)

_MISS = object()


class _Circuit:
    """Whether this process is leaving a Redis alone, and when it last said so."""

    def __init__(self, where: str):
        self.where = where
        self.open_until = 0.0
        self.failing = False
        self.warned_at: float | None = None
        self.lock = threading.Lock()

    def closed(self) -> bool:
        return time.monotonic() >= self.open_until

    def failed(self, error: Exception) -> None:
        now = time.monotonic()
        unreachable = isinstance(error, UNREACHABLE)
        if unreachable:
            self.open_until = now + RETRY_AFTER_SECONDS
        self.failing = True
        with self.lock:
            if self.warned_at is not None and now - self.warned_at < WARN_EVERY_SECONDS:
                return
            self.warned_at = now
        if unreachable:
            logger.warning(
                "Cache unreachable at %s (%s: %s): pages are served from the database, "
                "Redis is tried again every %g s.",
                self.where, type(error).__name__, error, RETRY_AFTER_SECONDS,
            )
        else:
            logger.warning("Cache error at %s (%s: %s): read as a miss, pages are served from the database.",
                           self.where, type(error).__name__, error)

    def succeeded(self) -> None:
        if self.failing:
            self.failing = False
            logger.info("Cache reachable again at %s.", self.where)


# One circuit per LOCATION in this process (tests replace the dict).
_circuits: dict[str, _Circuit] = {}


def redacted(location: str) -> str:
    """scheme://host:port/db, without the user name or password a Redis URL may carry."""
    parts = urlsplit(location)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return f"{parts.scheme}://{host}{parts.path}"


class ResilientRedisCache(RedisCache):
    """RedisCache whose every operation degrades to a miss when Redis fails (see the module)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._options = {**TIMEOUTS, **self._options}
        where = ", ".join(redacted(location) for location in self._servers)
        self._circuit = _circuits.setdefault(where, _Circuit(where))

    def _guard(self, operation, miss, *args, **kwargs):
        """operation(*args, **kwargs), or `miss` when Redis fails or is being left alone."""
        circuit = self._circuit
        if not circuit.closed():
            return miss
        try:
            result = operation(*args, **kwargs)
        except ERRORS as error:
            circuit.failed(error)
            return miss
        circuit.succeeded()
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(super().add, False, key, value, timeout, version=version)

    def get(self, key, default=None, version=None):
        return self._guard(super().get, default, key, default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._guard(super().set, None, key, value, timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(super().touch, False, key, timeout, version=version)

    def delete(self, key, version=None):
        return self._guard(super().delete, False, key, version=version)

    def get_many(self, keys, version=None):
        return self._guard(super().get_many, {}, keys, version=version)

    def has_key(self, key, version=None):
        return self._guard(super().has_key, False, key, version=version)

    def incr(self, key, delta=1, version=None):
        result = self._guard(super().incr, _MISS, key, delta, version=version)
        if result is _MISS:
            raise ValueError("Key '%s' not found (the cache is unreachable)." % key)
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(super().set_many, list(data), data, timeout, version=version)

    def delete_many(self, keys, version=None):
        self._guard(super().delete_many, None, keys, version=version)

    def clear(self):
        return self._guard(super().clear, False)
