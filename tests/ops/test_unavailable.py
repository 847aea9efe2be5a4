"""No database connection to be had: a quick 503 "busy, try again" page, never a 500 or a hang.

In this process the connection is made to fail (it is the one the test itself holds);
under gunicorn with the production settings it fails for real: an SQLite file that
cannot be opened, and on PostgreSQL a port where nothing listens and a role allowed
no connection ("too many connections for role", what a full server answers).
"""

import contextlib
import os
import socket
import threading
import time

import pytest
from django.db import OperationalError, connection, connections
from django.test import Client
from django.urls import reverse
from simple_history.models import HistoricalRecords

from notes.models import Note
from tests.conftest import client_for
from tests.servers import collect_static, fetch, free_port, gunicorn, production_env

ON_POSTGRES = connection.vendor == "postgresql"
BUDGET_SECONDS = 0.5  # in process: the failure itself is instant


@pytest.fixture
def refuse_connections(monkeypatch):
    """Call it and every attempt to get a connection fails, as when the server is full or down."""
    def refuse():
        raise OperationalError("connection failed: FATAL:  sorry, too many clients already")

    def start():
        wrapper = connections["default"]
        monkeypatch.setattr(wrapper, "ensure_connection", refuse)
        monkeypatch.setattr(wrapper, "close_if_health_check_failed", lambda: None)

    return start


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/login/", "/contacts/", "/nowhere/"])
def test_pages_answer_503_quickly_in_french(path, refuse_connections):
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.get("/login/")  # a warm app: templates and URLs loaded
    refuse_connections()
    started = time.monotonic()
    response = client.get(path)
    assert time.monotonic() - started < BUDGET_SECONDS
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "Relance est momentanément surchargé" in page
    assert "Rien n’a été enregistré. Réessayez dans quelques secondes." in page
    assert "too many clients" not in page


@pytest.mark.django_db
def test_a_signed_in_post_gets_the_page_in_english(rep, refuse_connections):
    client = client_for(rep, language="en")
    refuse_connections()
    response = client.post(reverse("profile"), {"language": "en"})
    assert response.status_code == 503
    assert "Relance is busy right now" in response.content.decode()


@pytest.mark.django_db
def test_the_health_check_still_answers_in_json(refuse_connections, monkeypatch):
    def refuse_new(*args, **kwargs):
        raise connection.Database.OperationalError("connection refused")

    refuse_connections()
    monkeypatch.setattr(type(connections["default"]), "get_new_connection", refuse_new)
    response = Client().get("/healthz/")
    assert response.status_code == 503 and response.json() == {"status": "unavailable"}


def end_the_requests_connection() -> None:
    """What a PostgreSQL restart does to the request's connection (from another connection)."""
    admin = connections.create_connection("default")
    with admin.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid])
    admin.close()


@pytest.mark.skipif(not ON_POSTGRES, reason="SQLite has no server that could drop the connection")
def test_a_connection_dropped_mid_write_answers_503_and_writes_nothing(
    migrated_data_restored, rep, contact, monkeypatch
):
    """PostgreSQL ends the request's connection after the note row was written (as a
    restart does): the history record's query fails, the answer is 503, no note is left."""
    create_history = HistoricalRecords.create_historical_record

    def drop_connection(*args, **kwargs):
        end_the_requests_connection()
        return create_history(*args, **kwargs)

    client = client_for(rep)
    monkeypatch.setattr(HistoricalRecords, "create_historical_record", drop_connection)
    response = client.post(reverse("notes:create", args=[contact.pk]), {
        "assigned_to": rep.pk, "date": "2026-11-28", "type": 1, "description": "perdue", "version": 0})
    assert response.status_code == 503
    assert "Relance est momentanément surchargé" in response.content.decode()
    assert not Note.objects.exists()


@pytest.mark.skipif(not ON_POSTGRES, reason="SQLite has no server that could drop the connection")
def test_a_connection_dropped_before_the_commit_answers_503_and_writes_nothing(
    migrated_data_restored, rep, contact, monkeypatch
):
    """The view has finished (its message is being added) when PostgreSQL ends the
    connection: the commit of atomic_writes fails outside the view, and the answer is
    still the 503 page, not a 500 (3 of 3,692 in bench/reliability_restart.py)."""
    from django.contrib import messages

    success = messages.success

    def drop_connection(*args, **kwargs):
        end_the_requests_connection()
        return success(*args, **kwargs)

    client = client_for(rep)
    client.raise_request_exception = False
    monkeypatch.setattr(messages, "success", drop_connection)
    response = client.post(reverse("notes:create", args=[contact.pk]), {
        "assigned_to": rep.pk, "date": "2026-11-28", "type": 1, "description": "perdue", "version": 0})
    assert response.status_code == 503
    assert "Relance est momentanément surchargé" in response.content.decode()
    assert not Note.objects.exists()


@pytest.mark.django_db
def test_other_database_errors_stay_500(rep, monkeypatch):
    # A query the database refuses on a working connection is a bug, not a busy server.
    def broken(*args, **kwargs):
        raise OperationalError("no such column: contacts_contact.nickname")

    monkeypatch.setattr("crm.views.slots.panels", broken)
    client = client_for(rep)
    client.raise_request_exception = False
    assert client.get(reverse("home")).status_code == 500


# Under gunicorn with the production settings, the database failing for real.

@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    collect_static(production_env(root))
    return root


class StalledServer:
    """A loopback port that accepts connections and never answers (a hung or firewalled server)."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)
        self.port = self.listener.getsockname()[1]
        self.held, self.running = [], True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while self.running:
            with contextlib.suppress(TimeoutError):
                self.held.append(self.listener.accept()[0])

    def close(self):
        self.running = False
        self.thread.join()
        for sock in [*self.held, self.listener]:
            sock.close()


def unreachable_databases():
    yield pytest.param("sqlite:////nonexistent-directory/relance.sqlite3", id="sqlite-cannot-open")
    yield pytest.param("postgres-stalled", id="postgres-stalled")  # psycopg is installed everywhere
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        yield pytest.param(f"{url.rsplit('@', 1)[0]}@127.0.0.1:{free_port()}/relance", id="postgres-not-listening")
        yield pytest.param("postgres-role-without-connections", id="postgres-too-many-connections")


def admin_sql(sql: str) -> None:
    admin = connections.create_connection("default")
    try:
        with admin.cursor() as cursor:
            cursor.execute(sql)
    finally:
        admin.close()


@pytest.fixture
def database_url(request):
    if request.param == "postgres-stalled":
        server = StalledServer()
        yield f"postgres://relance@127.0.0.1:{server.port}/relance"
        server.close()
    elif request.param == "postgres-role-without-connections":
        request.getfixturevalue("db")  # the test database must exist; the role is made outside it
        role = f"relance_full_{os.getpid()}"
        admin_sql(f"DROP ROLE IF EXISTS {role}")
        admin_sql(f"CREATE ROLE {role} LOGIN CONNECTION LIMIT 0")
        scheme, rest = os.environ["DATABASE_URL"].split("://", 1)
        yield f"{scheme}://{role}@{rest.split('@', 1)[1]}"
        admin_sql(f"DROP ROLE {role}")
    else:
        yield request.param


@pytest.mark.parametrize("database_url", list(unreachable_databases()), indirect=True)
def test_gunicorn_answers_503_quickly_when_the_database_cannot_be_reached(request, database_url, static_root):
    stalled = request.node.callspec.params["database_url"] == "postgres-stalled"
    env = production_env(static_root, DATABASE_URL=database_url)
    # A stalled server costs the connect timeout (3 s), nothing more.
    budget = 3 + 2 if stalled else 2
    with gunicorn(env, workers=1, threads=2) as server:
        for path in ("/login/",) if stalled else ("/", "/login/", "/contacts/1/"):
            started = time.monotonic()
            status, headers, body = fetch(server.base_url + path)
            assert time.monotonic() - started < budget, path
            assert status == 503, (path, server.error_log())
            assert headers["Retry-After"] == "5"
            assert "Relance est momentanément surchargé" in body.decode()
        started = time.monotonic()
        status, _headers, body = fetch(server.base_url + "/healthz/")
        assert time.monotonic() - started < budget
        assert status == 503 and body == b'{"status": "unavailable"}'
