"""Webhooks reach public http(s) addresses only (api/webhook_urls.py): refused in the admin form, and
again when sending, whatever the host resolves to then; redirects are not followed."""

import http.server
import threading

import pytest
from django.test import Client
from django.utils import translation

from api.models import Webhook, WebhookDelivery
from api.tasks import deliver_webhook
from api.webhook_urls import is_forbidden, refusal
from tests.api.conftest import Receiver
from tests.factories import UserFactory

FORBIDDEN = {
    "loopback": ["http://127.0.0.1/", "http://127.1.2.3:8000/hook", "http://[::1]/", "http://localhost/"],
    "private": ["http://10.0.0.5/", "http://172.16.3.4/", "https://192.168.1.10/", "http://[fd00::1]/",
                "http://100.64.0.1/"],
    "link-local": ["http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/"],
    "multicast": ["http://224.0.0.1/", "http://239.255.255.250/", "http://[ff02::1]/"],
    "reserved": ["http://240.0.0.1/", "http://255.255.255.255/", "http://[2001:db8::1]/", "http://[fec0::1]/"],
    "unspecified": ["http://0.0.0.0/", "http://[::]/"],
    "IPv4 inside IPv6": ["http://[::ffff:127.0.0.1]/", "http://[::ffff:10.0.0.1]/", "http://[::127.0.0.1]/",
                         "http://[2002:7f00:1::1]/", "http://[64:ff9b::a9fe:a9fe]/"],
    "decimal, octal, hexadecimal": ["http://2130706433/", "http://0177.0.0.1/", "http://0x7f.1/",
                                    "http://0x7f000001/", "http://017700000001/"],
}
NOT_HTTP = ["ftp://hooks.example.com/", "file:///etc/passwd", "gopher://hooks.example.com/",
            "javascript:alert(1)", "data:text/plain,hello"]
WITH_CREDENTIALS = ["https://user:secret@hooks.example.com/", "https://user@hooks.example.com/"]


@pytest.fixture
def admin_client(db):
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


def add(client, url, owner):
    return client.post("/admin/api/webhook/add/", {
        "url": url, "owner": owner.pk, "events": ["note.created"], "is_active": "on", "secret": "s" * 40,
        "deliveries-TOTAL_FORMS": "0", "deliveries-INITIAL_FORMS": "0"})


def error_of(response) -> str:
    assert response.status_code == 200 and not Webhook.objects.exists()
    return " ".join(response.context["adminform"].form.errors.get("url", []))


@pytest.mark.parametrize("url", [url for urls in FORBIDDEN.values() for url in urls])
def test_the_form_refuses_an_address_webhooks_may_not_reach(admin_client, manager, dns, url):
    message = error_of(add(admin_client, url, manager))
    # Django's own URL check refuses some spellings first: refused either way, with a message.
    assert "adresse de bouclage, privée ou réservée" in message or "Saisissez une URL valide" in message


@pytest.mark.parametrize("url", ["http://2130706433/", "http://0177.0.0.1/", "http://0x7f.0.0.1/",
                                 "http://017700000001:8000/"])
def test_an_address_spelt_otherwise_is_judged_by_what_it_stands_for(dns, url):
    """Django's URL check refuses these spellings in the form already; the rule refuses them anyway."""
    with translation.override("fr"):
        assert "mène à 127.0.0.1, une adresse de bouclage" in refusal(url)


def test_a_name_that_resolves_to_a_private_address_is_refused(admin_client, manager, dns):
    dns["intranet.example.com"] = "10.1.2.3"
    message = error_of(add(admin_client, "https://intranet.example.com/hook", manager))
    assert message == ("« intranet.example.com » mène à 10.1.2.3, une adresse de bouclage, privée ou réservée "
                       "que les webhooks ne peuvent pas atteindre.")


def test_an_unknown_host_is_refused(admin_client, manager, dns):
    assert "est introuvable" in error_of(add(admin_client, "https://nowhere.invalid/", manager))


@pytest.mark.parametrize("url", NOT_HTTP)
def test_only_http_and_https_are_accepted(admin_client, manager, dns, url):
    assert error_of(add(admin_client, url, manager))


@pytest.mark.parametrize("url", WITH_CREDENTIALS)
def test_credentials_in_the_url_are_refused(admin_client, manager, dns, url):
    assert "nom d’utilisateur et le mot de passe" in error_of(add(admin_client, url, manager))


def test_the_message_is_in_english_for_an_english_administrator(admin_client, manager, dns):
    admin_client.cookies["django_language"] = "en"
    assert "a loopback, private or reserved address" in error_of(add(admin_client, "http://127.0.0.1/", manager))


def test_a_public_address_is_accepted(admin_client, manager, dns):
    assert add(admin_client, "https://hooks.example.com/relance", manager).status_code == 302


def test_the_setting_lets_private_addresses_in_but_not_other_schemes_or_credentials(admin_client, manager, dns,
                                                                                    settings):
    settings.API_WEBHOOK_ALLOW_PRIVATE = True
    assert error_of(add(admin_client, "ftp://10.0.0.1/", manager))
    assert error_of(add(admin_client, "http://user:pw@10.0.0.1/", manager))
    assert add(admin_client, "http://10.0.0.1:8080/hook", manager).status_code == 302


@pytest.mark.parametrize("address", ["8.8.8.8", "93.184.215.14", "2001:4860:4860::8888", "2a00:1450:4007::1"])
def test_public_addresses_are_allowed(address):
    assert not is_forbidden(address)


@pytest.mark.parametrize("address", ["127.0.0.1", "::1", "10.0.0.1", "169.254.169.254", "fe80::1%eth0", "224.0.0.1",
                                     "ff02::1", "240.0.0.1", "0.0.0.0", "::", "::ffff:192.168.0.1", "::10.0.0.1",
                                     "64:ff9b::7f00:1", "2001:0:4136:e378:8000:63bf:3fff:fdd2"])
def test_forbidden_addresses(address):
    assert is_forbidden(address)


def deliver_to(manager, url):
    webhook = Webhook.objects.create(owner=manager, url=url, events=["contact.updated"])
    delivery = WebhookDelivery.objects.create(webhook=webhook, event="contact.updated",
                                              payload={"event": "contact.updated", "data": {"id": 1}})
    deliver_webhook.call(delivery.pk)
    delivery.refresh_from_db()
    return delivery


def test_when_sending_the_host_is_resolved_again_and_a_private_answer_is_refused(manager, dns):
    """DNS rebinding: the name was public when saved, it points at the server's loopback now."""
    receiver = Receiver()
    try:
        port = receiver.server.server_port
        dns["hooks.example.com"] = "127.0.0.1"
        delivery = deliver_to(manager, f"http://hooks.example.com:{port}/hook")
        assert receiver.received == []
        assert delivery.response_status is None and "127.0.0.1" in delivery.error
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()


@pytest.mark.parametrize("url", ["http://127.0.0.1:{port}/", "https://127.0.0.1:{port}/", "http://2130706433:{port}/",
                                 "http://[::ffff:127.0.0.1]:{port}/",
                                 "ftp://127.0.0.1:{port}/", "http://user:pw@127.0.0.1:{port}/"])
def test_a_webhook_written_around_the_form_sends_nothing(manager, dns, url):
    receiver = Receiver()
    try:
        delivery = deliver_to(manager, url.format(port=receiver.server.server_port))
        assert receiver.received == [] and delivery.status == "pending" and delivery.error
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()


def test_a_redirect_is_not_followed(manager, private_webhooks_allowed):
    target = Receiver()
    hits = []

    class Redirect(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            hits.append(self.path)
            self.send_response(307)
            self.send_header("Location", target.url)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        delivery = deliver_to(manager, f"http://127.0.0.1:{server.server_port}/hook")
        assert hits == ["/hook"] and target.received == []
        assert delivery.response_status == 307 and delivery.status == "pending"  # not a success: retried later
    finally:
        for each in (server, target.server):
            each.shutdown()
            each.server_close()
