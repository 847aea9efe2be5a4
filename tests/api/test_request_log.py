"""The request log (crm/request_log.py) names the user of a token-authenticated API request, never the token."""

import io
import logging

import pytest

from api.models import ApiToken
from tests.api.conftest import ApiClient


@pytest.fixture
def log_output():
    handler = next(handler for handler in logging.getLogger().handlers if handler.name == "console")
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


def request_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if "crm.request" in line]


def test_an_api_request_logs_the_tokens_user_and_not_the_token(rep, contact, log_output):
    _token, key = ApiToken.issue(user=rep, name="site")
    assert ApiClient(key).get(f"/api/v1/contacts/{contact.pk}/").status_code == 200
    [line] = request_lines(log_output.getvalue())
    assert f"user_id={rep.pk} " in line and "status=200" in line
    assert key not in line and key[len("rlk_"):][:8] not in line


def test_a_refused_token_logs_no_user(rep, log_output):
    assert ApiClient("rlk_not-a-token").get("/api/v1/contacts/").status_code == 401
    [line] = request_lines(log_output.getvalue())
    assert "user_id=- " in line and "status=401" in line and "rlk_not-a-token" not in line
