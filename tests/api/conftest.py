"""Token clients for the personas: every API test speaks JSON with a personal token."""

import json

import pytest
from django.test import Client

from api.models import ApiToken


class ApiClient:
    """A client that sends `Authorization: Bearer <key>` and JSON bodies."""

    def __init__(self, key: str | None, language: str = "fr"):
        self.client = Client(HTTP_ACCEPT_LANGUAGE=language)
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    def get(self, url, params=None):
        return self.client.get(url, params or {}, headers=self.headers)

    def send(self, method, url, body):
        return getattr(self.client, method)(url, json.dumps(body), content_type="application/json",
                                            headers=self.headers)

    def post(self, url, body):
        return self.send("post", url, body)

    def patch(self, url, body):
        return self.send("patch", url, body)

    def delete(self, url):
        return self.client.delete(url, headers=self.headers)


@pytest.fixture(autouse=True)
def _no_webhooks_remembered():
    # The active webhooks are remembered a second (api/events.py): not from one test to the next.
    from api.events import forget_hooks

    forget_hooks()
    yield
    forget_hooks()


def api_for(user, language="fr") -> ApiClient:
    _token, key = ApiToken.issue(user=user, name="tests")
    return ApiClient(key, language)


@pytest.fixture
def rep_api(rep):
    return api_for(rep)


@pytest.fixture
def manager_api(manager):
    return api_for(manager)


@pytest.fixture
def outsider_api(outsider):
    return api_for(outsider)
