"""/healthz/ for load balancers: no sign-in, a fresh database connection and a cache round trip,
200 or 503 with a short JSON body that says nothing of what failed; a failing cache is
"degraded" (200), since pages work without it."""

import logging
import os

import pytest
from django.core.cache import caches
from django.db import connection, connections
from django.test import Client

from tests.servers import free_port

pytestmark = pytest.mark.django_db
URL = "/healthz/"
ON_POSTGRES = connection.vendor == "postgresql"


def assert_unavailable(response):
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}  # which check failed: not said
    assert "no-store" in response["Cache-Control"]


def test_healthy_answers_200_without_sign_in():
    response = Client().get(URL)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies  # no session, no CSRF cookie


def test_head_answers_too_and_post_is_refused_without_csrf_noise():
    assert Client().head(URL).status_code == 200
    assert Client(enforce_csrf_checks=True).post(URL).status_code == 405


def test_the_database_is_checked_with_a_fresh_connection(monkeypatch, caplog):
    # The request's own connection is open and fine: only a new one fails.
    def refuse(*args, **kwargs):
        raise connection.Database.OperationalError("FATAL: sorry, too many clients already")

    monkeypatch.setattr(type(connections["default"]), "get_new_connection", refuse)
    response = Client().get(URL)
    assert_unavailable(response)
    assert b"clients" not in response.content and b"database" not in response.content
    assert "too many clients" in caplog.text  # the detail goes to the log


def assert_degraded(response):
    assert response.status_code == 200  # the load balancer keeps this server: pages work without a cache
    assert response.json() == {"status": "degraded"}
    assert "no-store" in response["Cache-Control"]


def test_a_failing_cache_is_degraded_not_down(monkeypatch, caplog):
    def fail(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(caches["default"], "set", fail)
    assert_degraded(Client().get(URL))
    assert "Redis is down" in caplog.text


def test_a_cache_that_forgets_is_degraded(monkeypatch):
    # A cache backend that swallows its errors answers every read with the default.
    monkeypatch.setattr(caches["default"], "get", lambda key, default=None, version=None: default)
    assert_degraded(Client().get(URL))


def test_the_database_failing_with_the_cache_is_unavailable(monkeypatch):
    def refuse(*args, **kwargs):
        raise connection.Database.OperationalError("connection refused")

    monkeypatch.setattr(type(connections["default"]), "get_new_connection", refuse)
    monkeypatch.setattr(caches["default"], "get", lambda key, default=None, version=None: default)
    assert_unavailable(Client().get(URL))


def test_allowed_hosts_still_apply():
    assert Client(HTTP_HOST="evil.example").get(URL).status_code == 400


def test_load_balancers_probe_over_http_even_when_https_is_enforced(settings):
    settings.SECURE_SSL_REDIRECT = True
    assert Client().get("/login/").status_code == 301
    assert Client().get(URL).status_code == 200


@pytest.mark.skipif(not ON_POSTGRES, reason="needs a real PostgreSQL")
def test_postgres_refusing_new_connections_gives_503(monkeypatch):
    """A role allowed no connection: PostgreSQL answers "too many connections for role"."""
    role = f"relance_nobody_{os.getpid()}"
    admin = connections.create_connection("default")
    with admin.cursor() as cursor:
        cursor.execute(f"DROP ROLE IF EXISTS {role}")
        cursor.execute(f"CREATE ROLE {role} LOGIN CONNECTION LIMIT 0")
    try:
        monkeypatch.setitem(connections.settings["default"], "USER", role)
        assert_unavailable(Client().get(URL))
    finally:
        monkeypatch.undo()
        with admin.cursor() as cursor:
            cursor.execute(f"DROP ROLE {role}")
        admin.close()


@pytest.mark.skipif(not ON_POSTGRES, reason="needs a real PostgreSQL")
def test_postgres_not_listening_gives_503(monkeypatch, caplog):
    caplog.set_level(logging.ERROR)
    monkeypatch.setitem(connections.settings["default"], "PORT", str(free_port()))
    assert_unavailable(Client().get(URL))
    assert "refused" in caplog.text
