"""Undoing an import from the log: created records deleted, updated ones back to their exact earlier
values, all or nothing; refused, naming them, when records were changed since."""

import pytest
from django.urls import reverse

from contacts.models import Contact, ContactPerson
from crm.models import AuditEntry
from dataimport.models import ImportRun, Job
from dataimport.undo import UndoRefused, undo_import
from tests.factories import ContactFactory, NoteFactory
from tests.imports.conftest import run_import
from tests.imports.pages import run_queued

pytestmark = pytest.mark.django_db


@pytest.fixture
def bakery(manager):
    # Saved through the ORM: its history row holds the values from before any import.
    contact = ContactFactory(external_ref="R-1", name="Boulangerie", city="Québec", phone="418 555-0101",
                             description="Pain au levain")
    return contact


def import_file(write_file, text, **options):
    run_import("import_contacts", write_file("x.csv", text), **options)
    return ImportRun.objects.latest("pk")


def test_undo_deletes_what_was_created_and_puts_back_exact_earlier_values(write_file, bakery, manager):
    before = Contact.objects.values().get(pk=bakery.pk)
    run = import_file(write_file, "ref;nom;ville;téléphone;prénom;nom de famille\r\n"
                                  "R-1;Boulangerie;Lévis;;Émilie;Bouchard\r\n"
                                  "R-2;Garage Tremblay;Laval;450 555-0000;Jean;Côté\r\n", update=True)
    assert Contact.objects.get(pk=bakery.pk).city == "Lévis"
    assert run.tallies["contacts"] == {"created": 1, "updated": 1, "unchanged": 0}

    counts = undo_import(run, user=manager)

    after = Contact.objects.values().get(pk=bakery.pk)
    for field in ("name", "city", "phone", "description", "kind", "status", "email", "external_ref"):
        assert after[field] == before[field], field
    assert after["version"] == before["version"] + 2  # the import's change, then the undo's: forms opened since refuse
    assert list(Contact.objects.values_list("external_ref", flat=True)) == ["R-1"]
    assert not ContactPerson.objects.exists()
    assert "emilie" not in Contact.objects.get(pk=bakery.pk).search_text
    assert counts == {"people": {"restored": 0, "deleted": 2}, "contacts": {"restored": 1, "deleted": 1}}
    # The history records the undo, by its user.
    undo_rows = Contact.history.filter(history_change_reason=f"undo import {run.pk}")
    assert sorted(undo_rows.values_list("history_type", "history_user")) == [("-", manager.pk), ("~", manager.pk)]
    run.refresh_from_db()
    assert run.undone_at is not None and run.undone_by == manager
    assert AuditEntry.objects.filter(action="undo_import", kind="contacts", count=4).exists()
    with pytest.raises(UndoRefused):
        undo_import(run, user=manager)


def test_undo_is_refused_after_a_later_edit_and_changes_nothing(write_file, bakery, manager, manager_client):
    run = import_file(write_file, "ref;nom;ville\r\nR-1;Boulangerie;Lévis\r\nR-2;Garage Tremblay;Laval\r\n",
                      update=True)
    edited = Contact.objects.get(pk=bakery.pk)
    edited.phone = "418 555-9999"
    edited.save()  # by hand, after the import: its history row comes after the import's

    manager_client.post(reverse("dataimport:undo", args=[run.pk]))
    (job,) = run_queued()
    assert job.outcome["ok"] is False
    page = manager_client.get(job.get_absolute_url()).content.decode()
    assert "ont été modifiées depuis l’importation" in page and "Boulangerie" in page
    assert Contact.objects.count() == 2
    assert Contact.objects.get(pk=bakery.pk).city == "Lévis"
    assert ImportRun.objects.get(pk=run.pk).undone_at is None


def test_undo_is_refused_when_a_created_contact_was_given_a_note_since(write_file, manager, rep):
    run = import_file(write_file, "ref;nom\r\nR-2;Garage Tremblay\r\n")
    garage = Contact.objects.get(external_ref="R-2")
    NoteFactory(contact=garage, assigned_to=rep, description="Rappeler")
    with pytest.raises(UndoRefused) as refusal:
        undo_import(run, user=manager)
    assert refusal.value.total == 1 and "Garage Tremblay" in refusal.value.records[0][0]
    assert Contact.objects.filter(pk=garage.pk).exists()


def test_the_log_page_undoes_an_import_by_a_job(write_file, manager_client):
    run = import_file(write_file, "ref;nom\r\nR-2;Garage Tremblay\r\n")
    log = manager_client.get(reverse("dataimport:log")).content.decode()
    assert "ligne de commande" in log and "x.csv" in log
    manager_client.post(reverse("dataimport:undo", args=[run.pk]))
    (job,) = run_queued()
    assert job.kind == Job.Kind.UNDO and job.outcome["ok"]
    assert not Contact.objects.exists()
    assert "L’importation a été annulée" in manager_client.get(job.get_absolute_url()).content.decode()
    assert "annulée" in manager_client.get(reverse("dataimport:log")).content.decode()
