"""Slows down password guessing: too many failed sign-ins lock the account
name and the address for a while.

Counts live in Django's cache, so with several app servers set REDIS_URL:
a per-process memory cache would let each process count on its own.
"""

from django.core.cache import cache

MAX_FAILURES = 5
LOCK_SECONDS = 15 * 60


def _keys(username: str, address: str) -> list[str]:
    return [f"signin-fail:user:{username.strip().casefold()}", f"signin-fail:addr:{address}"]


def client_address(request) -> str:
    # Behind the TLS proxy REMOTE_ADDR is the proxy; deployments that trust
    # X-Forwarded-For set it in the proxy, not here, so it cannot be forged.
    return request.META.get("REMOTE_ADDR", "unknown")


def is_locked(username: str, address: str) -> bool:
    counts = cache.get_many(_keys(username, address))
    return any(count >= MAX_FAILURES for count in counts.values())


def record_failure(username: str, address: str) -> None:
    for key in _keys(username, address):
        # add() starts the window; incr() keeps its expiry.
        if not cache.add(key, 1, LOCK_SECONDS):
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.add(key, 1, LOCK_SECONDS)


def clear(username: str, address: str) -> None:
    cache.delete(_keys(username, address)[0])
