"""One structured log line per request, errors carrying its id, and never a feed secret in the logs.

The tests read what the real console handler of LOGGING writes (its stream swapped
for a buffer) and every record the loggers produced (caplog).
"""

import copy
import io
import json
import logging
import logging.config
import re
import runpy
import secrets

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from notes.models import CalendarFeed
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def console_handler() -> logging.Handler:
    return next(handler for handler in logging.getLogger().handlers if handler.name == "console")


@pytest.fixture
def log_output():
    """What the console handler of LOGGING writes during the test."""
    buffer = io.StringIO()
    previous = console_handler().setStream(buffer)
    yield buffer
    console_handler().setStream(previous)


@pytest.fixture
def json_log_output(monkeypatch):
    """As log_output, with the settings read again under DJANGO_LOG_FORMAT=json."""
    monkeypatch.setenv("DJANGO_LOG_FORMAT", "json")
    logging.config.dictConfig(runpy.run_path(settings.BASE_DIR / "crm" / "settings.py")["LOGGING"])
    buffer = io.StringIO()
    console_handler().setStream(buffer)
    yield buffer
    logging.config.dictConfig(copy.deepcopy(settings.LOGGING))


def request_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if "crm.request" in line]


def test_each_request_writes_one_line_with_its_fields(rep, contact, log_output):
    client = client_for(rep)
    response = client.get(reverse("contacts:detail", args=[contact.pk]), HTTP_X_REQUEST_ID="lb-7f3a-0001")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "lb-7f3a-0001"
    [line] = request_lines(log_output.getvalue())
    assert "method=GET" in line and "view=contacts:detail" in line and "status=200" in line
    assert f"user_id={rep.pk}" in line and "request_id=lb-7f3a-0001" in line
    assert re.search(r"duration_ms=\d+(\.\d+)? ", line)
    # No personal data: neither the user name nor the e-mail, and no raw path.
    assert not re.search(r"\brep\b", line) and rep.email not in line
    assert f"/contacts/{contact.pk}/" not in line


def test_an_anonymous_request_has_no_user_and_a_generated_id(log_output):
    response = Client().get("/nowhere/")
    assert response.status_code == 404
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    [line] = request_lines(log_output.getvalue())
    assert "user_id=- " in line and f"request_id={response['X-Request-ID']}" in line


@pytest.mark.parametrize("header", ["a b", "x" * 200, "id\nforged=1", "<script>", "é"])
def test_an_insane_request_id_is_replaced(header, log_output):
    response = Client().get("/login/", HTTP_X_REQUEST_ID=header)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert "forged" not in log_output.getvalue()


def test_json_when_switched_on(rep, json_log_output):
    client_for(rep).get(reverse("home"), HTTP_X_REQUEST_ID="json-test-1")
    [line] = request_lines(json_log_output.getvalue())
    record = json.loads(line)
    assert record["logger"] == "crm.request" and record["level"] == "INFO"
    assert record["method"] == "GET" and record["view"] == "home" and record["status"] == 200
    assert record["user_id"] == rep.pk and record["request_id"] == "json-test-1"
    assert isinstance(record["duration_ms"], float)


def all_text(records) -> str:
    return "\n".join(
        f"{record.msg} {record.args} {record.getMessage()} {record.exc_text or ''}" for record in records
    )


def test_a_dead_feed_secret_is_never_written_to_the_log(rep, log_output, caplog):
    secret = secrets.token_urlsafe(32)
    caplog.set_level(logging.INFO)
    assert Client().get(reverse("calendar:feed", args=[secret])).status_code == 404
    assert Client(enforce_csrf_checks=True).post(reverse("calendar:feed", args=[secret])).status_code == 403
    # A live secret too, and Django's development server line.
    live = CalendarFeed.objects.create(user=rep).token
    assert Client().get(reverse("calendar:feed", args=[live])).status_code == 200
    logging.getLogger("django.server").warning(
        '"%s" %s %s', f"GET /calendar/feed/{secret}.ics HTTP/1.1", "404", "179")
    assert {"django.request", "django.security.csrf"} <= {record.name for record in caplog.records}
    assert "calendar:feed" in log_output.getvalue()
    for token in (secret, live):
        assert token not in all_text(caplog.records)
        assert token not in log_output.getvalue()


def test_errors_carry_the_request_id(rep, monkeypatch, log_output, caplog):
    def explode(_slot):
        raise RuntimeError("the home page failed")

    monkeypatch.setattr("crm.views.slots.panels", explode)
    client = client_for(rep)
    client.raise_request_exception = False
    response = client.get(reverse("home"), HTTP_X_REQUEST_ID="err-500-abc")
    assert response.status_code == 500
    [error] = [record for record in caplog.records if record.name == "django.request"]
    assert error.levelname == "ERROR" and error.request_id == "err-500-abc"
    output = log_output.getvalue()
    assert "request_id=err-500-abc" in output.split("Traceback")[0]  # on the error's first line
    assert "RuntimeError: the home page failed" in output
    [line] = request_lines(output)
    assert "status=500" in line and "request_id=err-500-abc" in line
