"""A Redis outage never takes a page down: sign-in, home, the dashboard and its chart
answer 200 within about a second, read from the database, and a warning is logged.

Two kinds of outage, both in this process and fast: a closed port (connection
refused at once) and a stalled server (accepts, never answers; it drops the
connection after HOLD_SECONDS so that Django's plain RedisCache ends in a 500
instead of hanging the run).
"""

import contextlib
import logging
import socket
import threading
import time
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from crm import cache as resilient
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.servers import free_port

pytestmark = pytest.mark.django_db
PASSWORD = "secret-password-1"
BACKEND = "crm.cache.ResilientRedisCache"
HOLD_SECONDS = 5
BUDGET_SECONDS = 1.5  # a page, cache failure included (one 0.25 s timeout at most), on a busy machine


class StalledRedis:
    """A loopback server that accepts connections and never answers."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.05)
        self.port = self.listener.getsockname()[1]
        self.accepted = 0
        self._held: list[tuple[float, socket.socket]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while not self._stop.is_set():
            try:
                connection, _address = self.listener.accept()
                self.accepted += 1
                self._held.append((time.monotonic(), connection))
            except TimeoutError:
                pass
            while self._held and time.monotonic() - self._held[0][0] > HOLD_SECONDS:
                self._held.pop(0)[1].close()

    def close(self):
        self._stop.set()
        self._thread.join(timeout=2)
        for _since, connection in self._held:
            connection.close()
        self.listener.close()


class ReadOnlyRedis:
    """A loopback server speaking just enough Redis to refuse every command, as a
    replica does after a failover: "-READONLY ..." (the connection's handshake succeeds)."""

    HANDSHAKE = {"HELLO": b"%1\r\n$5\r\nproto\r\n:3\r\n", "CLIENT": b"+OK\r\n", "SELECT": b"+OK\r\n"}

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.commands: list[str] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        with contextlib.suppress(OSError):
            while True:
                connection, _address = self.listener.accept()
                threading.Thread(target=self._answer, args=(connection,), daemon=True).start()

    def _answer(self, connection):
        reader = connection.makefile("rb")
        with connection, contextlib.suppress(OSError, ValueError):
            while line := reader.readline():  # *<n>, then n times $<length> and the bytes
                words = []
                for _ in range(int(line[1:])):
                    length = int(reader.readline()[1:])
                    words.append(reader.read(length + 2)[:-2].decode())
                command = words[0].upper()
                self.commands.append(command)
                connection.sendall(self.HANDSHAKE.get(command, b"-READONLY You can't write against a read only replica.\r\n"))

    def close(self):
        self.listener.close()


@pytest.fixture
def stalled():
    server = StalledRedis()
    yield server
    server.close()


def use_redis_at(settings, monkeypatch, location):
    settings.CACHES = {"default": {"BACKEND": BACKEND, "LOCATION": location}}
    # Each test starts with a cache this process has never seen fail.
    monkeypatch.setattr(resilient, "_circuits", {}, raising=False)


@pytest.fixture(params=["closed port", "stalled server"])
def broken_cache(request, settings, monkeypatch, caplog):
    if request.param == "closed port":
        location = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    else:
        location = f"redis://127.0.0.1:{request.getfixturevalue('stalled').port}/0"
    use_redis_at(settings, monkeypatch, location)
    caplog.set_level(logging.WARNING)
    return caplog


@pytest.fixture(scope="module", autouse=True)
def _warm_process(django_db_setup, django_db_blocker):
    """Time pages as a running server serves them, not the first request's imports."""
    with django_db_blocker.unblock():
        Client().get(reverse("login"))


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def cache_warnings(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records
            if record.name == "crm.cache" and record.levelno == logging.WARNING]


@pytest.fixture
def luc():
    return UserFactory(username="luc", first_name="Luc", groups=["Sales reps"])


def test_sign_in_works_when_the_cache_fails(broken_cache, luc):
    client = Client()
    response, elapsed = timed(lambda: client.post(reverse("login"), {"username": "luc", "password": PASSWORD}))
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert elapsed < BUDGET_SECONDS
    assert client.get(reverse("home")).status_code == 200
    # The sign-in guard counts in the database (django-axes): sign-in may not touch the cache at all.
    assert len(cache_warnings(broken_cache)) <= 1


def test_a_wrong_password_is_refused_when_the_cache_fails(broken_cache, luc):
    response, elapsed = timed(lambda: Client().post(reverse("login"), {"username": "luc", "password": "nope"}))
    assert response.status_code == 200
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in response.content.decode()
    assert elapsed < BUDGET_SECONDS


def test_home_page_works_when_the_cache_fails(broken_cache, luc):
    response, elapsed = timed(lambda: client_for(luc).get(reverse("home")))
    assert response.status_code == 200
    assert elapsed < BUDGET_SECONDS


prospection_only = pytest.mark.skipif(not settings.PROSPECTION_ENABLED, reason="prospection module is off")


@pytest.fixture
def opportunities(luc):
    from tests.prospection.factories import OpportunityFactory

    OpportunityFactory(representative=luc, value=Decimal("1000.00"), success_percent=50)
    OpportunityFactory(representative=luc, value=Decimal("3000.00"), success_percent=90)


@prospection_only
def test_dashboard_shows_the_figures_from_the_database_when_the_cache_fails(broken_cache, luc, opportunities):
    client = client_for(luc)
    response, elapsed = timed(lambda: client.get("/prospection/"))
    assert response.status_code == 200
    assert response.context["figures"]["total"] == Decimal("3200.00")  # 500 + 2 700
    assert elapsed < BUDGET_SECONDS
    (warning,) = cache_warnings(broken_cache)
    assert "Cache unreachable at redis://127.0.0.1:" in warning


@prospection_only
def test_chart_is_drawn_when_the_cache_fails(broken_cache, luc, opportunities):
    client = client_for(luc)
    response, elapsed = timed(lambda: client.get("/prospection/chart.svg"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml" and b"<svg" in response.content
    assert elapsed < BUDGET_SECONDS + 0.5  # drawing itself takes a few hundred ms on a busy machine
    assert len(cache_warnings(broken_cache)) == 1


@prospection_only
def test_many_requests_during_an_outage_log_one_warning(broken_cache, luc, opportunities, request):
    client = client_for(luc)
    for _ in range(10):
        assert client.get("/prospection/").status_code == 200
    assert len(cache_warnings(broken_cache)) == 1
    if "stalled" in request.fixturenames:  # one connection (one timeout), not one per request or call
        assert request.getfixturevalue("stalled").accepted == 1


def test_every_cache_operation_answers_as_a_miss(broken_cache):
    started = time.monotonic()
    assert cache.get("k") is None
    assert cache.get("k", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set("k", 1) is None
    assert cache.add("k", 1) is False
    with pytest.raises(ValueError):
        cache.incr("k")
    with pytest.raises(ValueError):
        cache.decr("k")
    assert cache.delete("k") is False
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]  # the keys that were not stored
    assert cache.delete_many(["a", "b"]) is None
    assert cache.get_or_set("k", lambda: "computed") == "computed"
    assert cache.has_key("k") is False
    assert "k" not in cache
    assert cache.touch("k") is False
    assert cache.clear() is False
    with pytest.raises(ValueError):
        cache.incr_version("k")
    assert time.monotonic() - started < BUDGET_SECONDS
    assert len(cache_warnings(broken_cache)) == 1


def test_the_warning_does_not_show_a_password(settings, monkeypatch, caplog):
    use_redis_at(settings, monkeypatch, f"redis://:hunter2-secret@127.0.0.1:{free_port()}/3")
    caplog.set_level(logging.WARNING)
    assert cache.get("k") is None
    (warning,) = cache_warnings(caplog)
    assert "hunter2" not in warning and "127.0.0.1" in warning


def test_a_stalled_cache_is_left_alone_for_a_few_seconds_then_tried_again(settings, monkeypatch, caplog, stalled):
    use_redis_at(settings, monkeypatch, f"redis://127.0.0.1:{stalled.port}/0")
    monkeypatch.setattr(resilient, "RETRY_AFTER_SECONDS", 0.5)
    caplog.set_level(logging.WARNING)
    for _ in range(20):
        assert cache.get("k") is None
    assert stalled.accepted == 1  # one attempt, then the calls skip Redis
    time.sleep(0.6)
    assert cache.get("k") is None
    assert stalled.accepted == 2  # tried again once the pause is over
    assert len(cache_warnings(caplog)) == 1  # and no second warning within WARN_EVERY_SECONDS


def test_calls_made_during_the_pause_cost_nothing(settings, monkeypatch, stalled):
    use_redis_at(settings, monkeypatch, f"redis://127.0.0.1:{stalled.port}/0")
    first, first_elapsed = timed(lambda: cache.get("k"))
    assert first is None and first_elapsed < 0.5  # one short socket timeout, not HOLD_SECONDS
    _none, elapsed = timed(lambda: [cache.get("k") for _ in range(100)])
    assert elapsed < 0.1


def test_a_redis_answering_errors_is_a_miss_and_asked_again_at_once(settings, monkeypatch, caplog):
    # A read-only replica answers at once: no reason to leave it alone for seconds.
    replica = ReadOnlyRedis()
    try:
        use_redis_at(settings, monkeypatch, f"redis://127.0.0.1:{replica.port}/0")
        caplog.set_level(logging.WARNING)
        assert cache.get("k", "default") == "default"
        assert cache.set("k", 1) is None
        assert cache.add("k", 1) is False
        assert cache.get("k") is None
        asked = [command for command in replica.commands if command not in ReadOnlyRedis.HANDSHAKE]
        assert asked == ["GET", "SET", "SET", "GET"]
        (warning,) = cache_warnings(caplog)
        assert warning.startswith("Cache error at redis://127.0.0.1:") and "read only replica" in warning
    finally:
        replica.close()
