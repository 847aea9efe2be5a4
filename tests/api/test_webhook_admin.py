"""Administrators set webhooks up in the Django admin and read their delivery log there."""

import pytest
from django.conf import settings
from django.test import Client

from api.models import Webhook, WebhookDelivery
from tests.factories import UserFactory


@pytest.fixture
def admin_client(db):
    client = Client()
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


def test_an_administrator_subscribes_a_url_to_events(admin_client, manager, dns):
    response = admin_client.post("/admin/api/webhook/add/", {
        "url": "https://hooks.example.com/relance", "owner": manager.pk, "events": ["note.created", "note.done"],
        "is_active": "on", "secret": "s" * 40,
        "deliveries-TOTAL_FORMS": "0", "deliveries-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    webhook = Webhook.objects.get()
    assert webhook.events == ["note.created", "note.done"] and webhook.owner == manager


def test_a_webhook_url_must_be_http_or_https(admin_client, manager):
    response = admin_client.post("/admin/api/webhook/add/", {
        "url": "ftp://hooks.example.com/", "owner": manager.pk, "events": ["note.created"], "secret": "s" * 40,
        "deliveries-TOTAL_FORMS": "0", "deliveries-INITIAL_FORMS": "0",
    })
    assert response.status_code == 200 and not Webhook.objects.exists()


def test_the_delivery_log_shows_the_last_responses(admin_client, manager):
    webhook = Webhook.objects.create(owner=manager, url="https://hooks.example.com/", events=["note.created"])
    WebhookDelivery.objects.create(webhook=webhook, event="note.created", payload={"data": {}}, attempts=1,
                                   response_status=503, response_body="Service en maintenance")
    page = admin_client.get(f"/admin/api/webhook/{webhook.pk}/change/").content.decode()
    assert "503" in page and "Service en maintenance" in page


def test_opportunity_events_are_offered_only_with_the_module(admin_client):
    page = admin_client.get("/admin/api/webhook/add/").content.decode()
    assert ('value="opportunity.won"' in page) is settings.PROSPECTION_ENABLED
    assert 'value="note.done"' in page
