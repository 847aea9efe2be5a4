"""Token clients for the personas: every API test speaks JSON with a personal token."""

import hashlib
import hmac
import http.server
import json
import threading
import time

import pytest
from django.test import Client

from api.models import ApiToken, Webhook


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


class Receiver:
    """An HTTP server on 127.0.0.1 that records what it receives and answers the statuses it is given."""

    def __init__(self, statuses=(200,)):
        self.statuses = list(statuses)
        self.received: list[dict] = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append({"headers": dict(self.headers), "body": body})
                status = receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok" if status < 300 else b"down for maintenance")

            def log_message(self, *args):
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def verified(self, secret: str, request: dict) -> dict:
        """The payload, after checking its signature and timestamp as a receiver should."""
        timestamp = request["headers"]["X-Relance-Timestamp"]
        expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + request["body"], hashlib.sha256).hexdigest()
        assert hmac.compare_digest(request["headers"]["X-Relance-Signature"], f"sha256={expected}")
        assert abs(time.time() - int(timestamp)) < 300
        return json.loads(request["body"])


@pytest.fixture
def private_webhooks_allowed(settings):
    """The receivers of these tests listen on loopback, which webhooks may reach only when allowed."""
    settings.API_WEBHOOK_ALLOW_PRIVATE = True


@pytest.fixture
def receiver(private_webhooks_allowed):
    receiver = Receiver()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


def hook(owner, url, events) -> Webhook:
    return Webhook.objects.create(owner=owner, url=url, events=events)


@pytest.fixture
def dns(monkeypatch):
    """A DNS of the test's own: {host name: address}; addresses (in any spelling) resolve as usual."""
    import socket

    from api import webhook_urls

    names: dict[str, str] = {"hooks.example.com": "93.184.215.14", "localhost": "127.0.0.1"}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in names:
            return real(names[host], port, *args, **kwargs)
        try:  # an address, however spelt (2130706433, 0177.0.0.1, ::1): no network needed
            return real(host, port, *args, **{**kwargs, "flags": socket.AI_NUMERICHOST})
        except socket.gaierror:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known") from None

    monkeypatch.setattr(webhook_urls.socket, "getaddrinfo", getaddrinfo)
    return names
