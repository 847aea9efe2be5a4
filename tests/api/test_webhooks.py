"""Webhooks: signed deliveries sent by the worker to a receiver on loopback, retried after a failure,
and never carrying what the webhook's owner may not see."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from api.models import WebhookDelivery
from api.tasks import deliver_webhook
from tests.api.conftest import Receiver, hook
from tests.factories import NoteFactory


@pytest.mark.django_db(transaction=True)
def test_a_delivery_is_signed_and_sent_by_the_worker(migrated_data_restored, receiver):
    """For real: the API's commit queues the job, `db_worker --batch` (its own transactions) sends it."""
    from crm.permissions import MANAGERS
    from tests.api.conftest import api_for
    from tests.factories import ContactFactory, UserFactory

    manager = UserFactory(username="manager", groups=[MANAGERS])
    contact = ContactFactory()
    webhook = hook(manager, receiver.url, ["note.created"])
    note = api_for(manager).post("/api/v1/notes/", {"contact": contact.pk, "description": "Rappeler"}).json()
    call_command("db_worker", "--batch", verbosity=0)
    [request] = receiver.received
    payload = receiver.verified(webhook.secret, request)
    assert payload["event"] == "note.created" and payload["data"]["id"] == note["id"]
    assert request["headers"]["X-Relance-Event"] == "note.created"
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 1, 200)


def test_a_tampered_body_fails_the_signature_check(manager, contact, receiver, django_capture_on_commit_callbacks):
    webhook = hook(manager, receiver.url, ["contact.updated"])
    with django_capture_on_commit_callbacks(execute=True):
        contact.city = "Laval"
        contact.save()
    deliver_webhook.call(WebhookDelivery.objects.get().pk)
    request = dict(receiver.received[0], body=receiver.received[0]["body"].replace(b"Laval", b"Levis"))
    with pytest.raises(AssertionError):
        receiver.verified(webhook.secret, request)


def test_a_failed_delivery_is_retried_later_then_delivered(manager, contact, private_webhooks_allowed,
                                                           django_capture_on_commit_callbacks):
    receiver = Receiver(statuses=[500, 200])
    try:
        hook(manager, receiver.url, ["contact.updated"])
        with django_capture_on_commit_callbacks(execute=True):
            contact.city = "Laval"
            contact.save()
        delivery = WebhookDelivery.objects.get()
        deliver_webhook.call(delivery.pk)
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts, delivery.response_status) == ("pending", 1, 500)
        assert delivery.response_body == "down for maintenance"
        assert delivery.next_attempt_at > timezone.now()
        retry = DBTaskResult.objects.filter(status="READY").order_by("-enqueued_at").first()
        assert retry.run_after > timezone.now() and retry.args_kwargs["args"] == [delivery.pk]
        deliver_webhook.call(delivery.pk)  # what the worker does once run_after has passed
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 2, 200)
        assert len(receiver.received) == 2
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()


def test_it_gives_up_after_the_last_attempt(manager, contact, settings, django_capture_on_commit_callbacks):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    hook(manager, "http://127.0.0.1:9/nothing-listens", ["contact.updated"])
    with django_capture_on_commit_callbacks(execute=True):
        contact.save()
    delivery = WebhookDelivery.objects.get()
    deliver_webhook.call(delivery.pk)
    deliver_webhook.call(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("failed", 2, None)
    assert delivery.error


def test_a_reps_webhook_never_gets_an_admin_only_note(rep, manager, manager_api, contact, receiver,
                                                      django_capture_on_commit_callbacks):
    hook(rep, receiver.url, ["note.created", "note.updated", "note.done", "note.deleted"])
    with django_capture_on_commit_callbacks(execute=True):
        secret = manager_api.post("/api/v1/notes/", {"contact": contact.pk, "description": "Secret",
                                                     "admin_only": True}).json()
        manager_api.patch(f"/api/v1/notes/{secret['id']}/", {"version": 0, "is_done": True})
        manager_api.delete(f"/api/v1/notes/{secret['id']}/")
    assert not WebhookDelivery.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        manager_api.post("/api/v1/notes/", {"contact": contact.pk, "description": "Public"})
    assert [delivery.payload["data"]["description"] for delivery in WebhookDelivery.objects.all()] == ["Public"]


def test_a_manager_webhook_gets_admin_only_notes_but_not_after_losing_the_permission(
        manager, contact, receiver, django_capture_on_commit_callbacks):
    from django.contrib.auth.models import Group

    hook(manager, receiver.url, ["note.created"])
    with django_capture_on_commit_callbacks(execute=True):
        NoteFactory(contact=contact, admin_only=True, assigned_to=manager)
    delivery = WebhookDelivery.objects.get()
    manager.groups.set([Group.objects.get(name="Sales reps")])
    deliver_webhook.call(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "skipped" and receiver.received == []


def test_marking_done_on_the_page_sends_note_done(rep, rep_client, contact, receiver,
                                                  django_capture_on_commit_callbacks):
    hook(rep, receiver.url, ["note.done"])
    note = NoteFactory(contact=contact, assigned_to=rep)
    with django_capture_on_commit_callbacks(execute=True):
        rep_client.post(f"/notes/{note.pk}/done/")
    assert [d.event for d in WebhookDelivery.objects.all()] == ["note.done"]
    with django_capture_on_commit_callbacks(execute=True):
        rep_client.post(f"/notes/{note.pk}/done/")  # undone: nothing more
    assert WebhookDelivery.objects.count() == 1


def test_winning_an_opportunity_sends_opportunity_won(rep, rep_api, contact, receiver, settings,
                                                      django_capture_on_commit_callbacks):
    if not settings.PROSPECTION_ENABLED:
        pytest.skip("prospection module off")
    from prospection.models import Stage

    hook(rep, receiver.url, ["opportunity.won", "opportunity.lost"])
    created = rep_api.post("/api/v1/opportunities/", {"contact": contact.pk, "subject": "Site"}).json()
    won = Stage.objects.filter(outcome="won").first()
    with django_capture_on_commit_callbacks(execute=True):
        response = rep_api.patch(f"/api/v1/opportunities/{created['id']}/", {"version": 0, "stage": won.pk})
    assert response.status_code == 200
    [delivery] = WebhookDelivery.objects.all()
    assert delivery.event == "opportunity.won" and delivery.payload["data"]["success_percent"] == 100


def test_deleting_a_contact_sends_its_notes_deletions_once_each(manager, manager_api, contact,
                                                                django_capture_on_commit_callbacks):
    hook(manager, "http://127.0.0.1:9/", ["note.deleted", "contact.deleted"])
    NoteFactory.create_batch(30, contact=contact, assigned_to=manager)
    with django_capture_on_commit_callbacks(execute=True):
        assert manager_api.delete(f"/api/v1/contacts/{contact.pk}/").status_code == 204
    events = sorted(WebhookDelivery.objects.values_list("event", flat=True))
    assert events == ["contact.deleted"] + ["note.deleted"] * 30
    assert WebhookDelivery.objects.get(event="contact.deleted").payload["data"]["name"] == "Boulangerie Saint-Roch"
