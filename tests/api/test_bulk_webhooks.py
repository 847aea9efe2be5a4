"""Webhook events of bulk changes and imports (api/bulk_events.py): delivered to a receiver, one job per
batch, nothing for a rolled-back change, nothing for what the webhook's owner may not see."""

import datetime
import json

import pytest
from django.conf import settings
from django.core.management.base import CommandError
from django.db import DatabaseError, transaction
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from api.models import WebhookDelivery
from contacts.models import Contact
from crm import bulk, writes
from notes.models import Note
from tests.api.conftest import hook
from tests.crm.test_bulk import CONTACTS_BULK, NOTES_BULK, confirm
from tests.factories import ContactFactory, NoteFactory
from tests.imports.conftest import DATA, run_import


def run_jobs() -> int:
    """What `db_worker` does with the jobs queued so far (inside this test's transaction)."""
    ran = 0
    while job := DBTaskResult.objects.filter(status="READY").order_by("enqueued_at", "pk").first():
        job.status = "SUCCESSFUL"
        job.save(update_fields=["status"])
        import_string(job.task_path).call(*job.args_kwargs["args"], **job.args_kwargs["kwargs"])
        ran += 1
    return ran


def queued_ids() -> list[int]:
    """The records the queued batch jobs will send."""
    return sorted(pk for job in DBTaskResult.objects.filter(task_path="api.tasks.deliver_batch")
                  for pk in job.args_kwargs["args"][2])


def received(receiver) -> list[tuple[str, int]]:
    return sorted((payload["event"], payload["data"]["id"])
                  for payload in (json.loads(request["body"]) for request in receiver.received))


def test_a_bulk_status_change_delivers_one_signed_event_per_contact(manager, manager_client, receiver):
    webhook = hook(manager, receiver.url, ["contact.updated"])
    contacts = ContactFactory.create_batch(3)
    response = confirm(manager_client, CONTACTS_BULK, action="status", status="client",
                       ids=[contact.pk for contact in contacts])
    assert response.status_code == 302
    assert DBTaskResult.objects.count() == 1  # one job for the batch, not one per contact
    assert run_jobs() == 1
    assert received(receiver) == sorted(("contact.updated", contact.pk) for contact in contacts)
    payload = receiver.verified(webhook.secret, receiver.received[0])
    assert payload["data"]["status"] == "client" and payload["data"]["version"] == 1
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_a_bulk_reassign_of_notes_delivers_updated_and_mark_done_delivers_done(rep, rep_client, manager,
                                                                              receiver):
    hook(rep, receiver.url, ["note.updated", "note.done"])
    notes = NoteFactory.create_batch(2, assigned_to=rep)
    already_done = NoteFactory(assigned_to=rep, is_done=True)
    ids = [note.pk for note in [*notes, already_done]]
    assert confirm(rep_client, NOTES_BULK, action="reassign", assigned_to=manager.pk, ids=ids).status_code == 302
    run_jobs()
    assert received(receiver) == sorted(("note.updated", pk) for pk in ids)
    receiver.received.clear()
    assert confirm(rep_client, NOTES_BULK, action="done", ids=ids).status_code == 302
    run_jobs()
    assert received(receiver) == sorted([("note.updated", pk) for pk in ids] + [("note.done", note.pk) for note in notes])


def test_a_reps_webhook_gets_nothing_of_admin_only_notes_changed_in_bulk(rep, manager, manager_client, receiver):
    hook(rep, receiver.url, ["note.updated", "note.done"])
    secret = NoteFactory(assigned_to=manager, admin_only=True)
    public = NoteFactory(assigned_to=manager)
    assert confirm(manager_client, NOTES_BULK, action="done", ids=[secret.pk, public.pk]).status_code == 302
    assert queued_ids() == [public.pk, public.pk]
    run_jobs()
    assert received(receiver) == [("note.done", public.pk), ("note.updated", public.pk)]


def test_a_rolled_back_bulk_change_queues_nothing(manager):
    hook(manager, "http://127.0.0.1:9/", ["contact.updated"])
    contacts = ContactFactory.create_batch(2)
    with pytest.raises(RuntimeError), transaction.atomic():
        bulk.apply(Contact, [contact.pk for contact in contacts], values={"status": "client"}, user=manager)
        assert queued_ids() == sorted(contact.pk for contact in contacts)
        raise RuntimeError("the request failed after the change")
    assert not WebhookDelivery.objects.exists() and not DBTaskResult.objects.exists()
    assert not Contact.objects.filter(status="client").exists()


def test_a_big_change_is_sent_by_one_job_per_batch(manager):
    hook(manager, "http://127.0.0.1:9/", ["contact.updated"])
    contacts = ContactFactory.create_batch(12)
    from api import bulk_events

    original, bulk_events.BATCH = bulk_events.BATCH, 5
    try:
        bulk.apply(Contact, [contact.pk for contact in contacts], values={"status": "client"}, user=manager)
    finally:
        bulk_events.BATCH = original
    assert sorted(len(job.args_kwargs["args"][2]) for job in DBTaskResult.objects.all()) == [2, 5, 5]
    assert queued_ids() == sorted(contact.pk for contact in contacts)


@pytest.fixture
def note_contacts(db):
    return [ContactFactory(external_ref="FR-1", name="Boulangerie Saint-Roch"),
            ContactFactory(external_ref="FR-2", name="Atelier Lavoie & Fils")]


def test_an_import_delivers_created_events_and_never_an_admin_only_note_to_a_rep(note_contacts, rep, manager,
                                                                               receiver):
    hook(rep, receiver.url, ["note.created"])
    hook(manager, receiver.url, ["note.created"])
    run_import("import_notes", DATA / "notes_fr.csv")
    run_jobs()
    imported = list(Note.objects.order_by("pk"))
    [secret] = [note for note in imported if note.admin_only]
    by_owner = dict.fromkeys(["rep", "manager"], 0)
    for delivery in WebhookDelivery.objects.select_related("webhook__owner"):
        by_owner[delivery.webhook.owner.username] += 1
        assert delivery.status == "delivered" and delivery.event == "note.created"
    assert by_owner == {"rep": len(imported) - 1, "manager": len(imported)}
    assert received(receiver).count(("note.created", secret.pk)) == 1  # the manager's only


def test_an_import_that_updates_contacts_sends_created_and_updated(note_contacts, rep, receiver, tmp_path):
    hook(rep, receiver.url, ["contact.created", "contact.updated"])
    path = tmp_path / "contacts.csv"
    path.write_text("Nom;Référence;Ville\nBoulangerie Saint-Roch;FR-1;Laval\nNouvelle;FR-9;Québec\n", encoding="utf-8")
    run_import("import_contacts", path, update=True)
    run_jobs()
    created = Contact.objects.get(external_ref="FR-9")
    assert received(receiver) == sorted([("contact.created", created.pk), ("contact.updated", note_contacts[0].pk)])


def test_an_import_that_marks_a_note_done_sends_done(note_contacts, rep, receiver, tmp_path):
    hook(rep, receiver.url, ["note.created", "note.updated", "note.done"])
    open_note = NoteFactory(contact=note_contacts[0], assigned_to=rep, date=datetime.date(2026, 11, 28),
                            description="Appeler")
    done_note = NoteFactory(contact=note_contacts[0], assigned_to=rep, date=datetime.date(2026, 11, 29),
                            description="Relancer", is_done=True)
    path = tmp_path / "notes.csv"
    path.write_text("Contact;Date;Assigné à;Description;Fait\nFR-1;2026-11-28;rep;Appeler;oui\n"
                    "FR-1;2026-11-29;rep;Relancer;oui\n", encoding="utf-8")
    run_import("import_notes", path, update=True)
    run_jobs()
    assert received(receiver) == [("note.done", open_note.pk), ("note.updated", open_note.pk)]
    assert done_note.pk  # unchanged by the file: no event


def test_a_rolled_back_import_queues_nothing(note_contacts, rep, manager):
    hook(rep, "http://127.0.0.1:9/", ["note.created"])
    queued_before_the_failure = []

    def refuse(**kwargs):
        queued_before_the_failure.append(len(queued_ids()))
        raise DatabaseError("the disk is full")

    writes.import_written.connect(refuse, dispatch_uid="test.refuse")  # after the API's receiver
    try:
        with pytest.raises(CommandError) as failure:
            run_import("import_notes", DATA / "notes_fr.csv")
    finally:
        writes.import_written.disconnect(dispatch_uid="test.refuse")
    assert "disk is full" in str(failure.value) and queued_before_the_failure == [2]
    assert not Note.objects.exists()
    assert not WebhookDelivery.objects.exists() and not DBTaskResult.objects.exists()



def test_after_a_failure_the_rest_of_the_batch_waits_and_is_sent_later(manager, private_webhooks_allowed):
    from django.utils import timezone

    from api.tasks import deliver_batch, deliver_rest
    from tests.api.conftest import Receiver

    receiver = Receiver(statuses=[500, 200])
    try:
        hook(manager, receiver.url, ["contact.updated"])
        contacts = ContactFactory.create_batch(3)
        bulk.apply(Contact, [contact.pk for contact in contacts], values={"status": "client"}, user=manager)
        [job] = DBTaskResult.objects.all()
        deliver_batch.call(*job.args_kwargs["args"])
        assert len(receiver.received) == 1  # the receiver is down: not two more attempts right away
        [rest] = DBTaskResult.objects.filter(task_path="api.tasks.deliver_rest")
        assert rest.run_after > timezone.now() and len(rest.args_kwargs["args"][0]) == 2
        deliver_rest.call(*rest.args_kwargs["args"])  # what the worker does once run_after has passed
        assert len(receiver.received) == 3
        assert sorted(WebhookDelivery.objects.values_list("status", flat=True)) == ["delivered", "delivered", "pending"]
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()


def test_an_import_from_the_page_delivers_its_events_too(manager_client, manager, rep, receiver):
    from django.urls import reverse

    from dataimport.models import Upload
    from tests.imports.pages import mapping_data, run_queued, upload

    hook(rep, receiver.url, ["note.created"])
    contact = ContactFactory(external_ref="R-1", name="Boulangerie")
    response = upload(manager_client, "contact;date;assigné à;description;admin seulement\r\n"
                      "R-1;2026-11-28;rep;Rappeler;non\r\nR-1;2026-11-29;rep;Secret;oui\r\n".encode(),
                      name="notes.csv", target="notes")
    manager_client.post(Upload.objects.get().get_absolute_url(), mapping_data(response, check="1"))
    run_queued()
    assert not DBTaskResult.objects.filter(task_path="api.tasks.deliver_batch").exists()  # a check writes nothing
    manager_client.post(reverse("dataimport:run", args=[Upload.objects.get().jobs.latest("pk").pk]))
    run_queued()
    run_jobs()
    public = Note.objects.get(contact=contact, description="Rappeler")
    assert received(receiver) == [("note.created", public.pk)]


@pytest.mark.skipif(not settings.PROSPECTION_ENABLED, reason="prospection module off")
def test_an_import_that_closes_opportunities_sends_won_and_lost_once(note_contacts, rep, receiver, tmp_path):
    from prospection.models import Opportunity

    hook(rep, receiver.url, ["opportunity.won", "opportunity.lost"])
    path = tmp_path / "opportunities.csv"
    path.write_text("Contact;Objet;Étape;Représentant\nFR-1;Refonte du site;Négociation;rep\n"
                    "FR-1;Vitrine;Négociation;rep\n", encoding="utf-8")
    run_import("import_opportunities", path)
    run_jobs()
    assert received(receiver) == []
    path.write_text("Contact;Objet;Étape;Représentant;Raison de la perte\nFR-1;Refonte du site;Gagnée;rep;\n"
                    "FR-1;Vitrine;Perdue;rep;Prix\nFR-1;Boutique;Gagnée;rep;\n", encoding="utf-8")
    run_import("import_opportunities", path, update=True)
    run_jobs()
    ids = dict(Opportunity.objects.values_list("subject", "pk"))
    assert received(receiver) == sorted([("opportunity.won", ids["Refonte du site"]), ("opportunity.won", ids["Boutique"]),
                                         ("opportunity.lost", ids["Vitrine"])])
    receiver.received.clear()
    path.write_text("Contact;Objet;Étape;Représentant;Valeur\nFR-1;Refonte du site;Gagnée;rep;5000\n", encoding="utf-8")
    run_import("import_opportunities", path, update=True)  # still won: updated, not won again
    run_jobs()
    assert received(receiver) == []


def test_undoing_an_import_sends_deleted_with_the_record_and_updated_for_what_it_puts_back(
        note_contacts, rep, manager, receiver, tmp_path):
    from dataimport.models import ImportRun
    from dataimport.undo import undo_import

    path = tmp_path / "contacts.csv"
    path.write_text("Nom;Référence;Ville\nBoulangerie Saint-Roch;FR-1;Laval\nNouvelle;FR-9;Québec\n", encoding="utf-8")
    run_import("import_contacts", path, update=True)
    created = Contact.objects.get(external_ref="FR-9")
    hook(rep, receiver.url, ["contact.deleted", "contact.updated"])
    undo_import(ImportRun.objects.latest("pk"), user=manager)
    run_jobs()
    assert received(receiver) == sorted([("contact.deleted", created.pk), ("contact.updated", note_contacts[0].pk)])
    [deleted] = [json.loads(request["body"]) for request in receiver.received
                 if json.loads(request["body"])["event"] == "contact.deleted"]
    assert deleted["data"]["name"] == "Nouvelle" and not Contact.objects.filter(pk=created.pk).exists()


def test_a_refused_undo_queues_nothing(note_contacts, rep, manager, tmp_path):
    from dataimport.models import ImportRun
    from dataimport.undo import UndoRefused, undo_import

    path = tmp_path / "contacts.csv"
    path.write_text("Nom;Référence\nNouvelle;FR-9\n", encoding="utf-8")
    run_import("import_contacts", path)
    hook(rep, "http://127.0.0.1:9/", ["contact.deleted"])
    contact = Contact.objects.get(external_ref="FR-9")
    contact.name = "Renommée depuis"
    contact.save()
    with pytest.raises(UndoRefused):
        undo_import(ImportRun.objects.latest("pk"), user=manager)
    assert not WebhookDelivery.objects.filter(event="contact.deleted").exists()
    assert not DBTaskResult.objects.filter(task_path__endswith="deliver_rest").exists()
