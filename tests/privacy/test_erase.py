import pytest
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from contacts.models import Contact, ContactPerson
from crm.models import AuditEntry
from notes.models import Note
from tests.factories import ContactFactory, ContactPersonFactory, NoteFactory
from tests.privacy.conftest import MARKER
from tests.privacy.scan import tables_holding


def test_scan_finds_the_marker_before_the_erase(marked_contact):
    found = tables_holding(MARKER)
    assert "contacts_contact.name" in found
    assert "contacts_historicalcontact.name" in found
    assert "notes_historicalnote.description" in found


def test_after_an_erase_no_table_holds_a_trace_of_the_contact(marked_contact, manager_client, manager):
    LogEntry.objects.log_actions(manager.pk, [marked_contact], CHANGE, change_message="edited")
    other = ContactFactory(name="Voisin sans rapport")
    NoteFactory(contact=other, assigned_to=manager, description="À garder")
    response = manager_client.get(reverse("privacy:contact_erase", args=[marked_contact.pk]))
    assert response.status_code == 200
    assert "Notes : 2" in response.text or "notes : 2" in response.text.lower()
    response = manager_client.post(reverse("privacy:contact_erase", args=[marked_contact.pk]))
    assert response.status_code == 302
    assert tables_holding(MARKER) == []
    assert not Contact.objects.filter(pk=marked_contact.pk).exists()
    assert Contact.history.filter(id=marked_contact.pk).count() == 0
    assert Note.history.filter(contact_id=marked_contact.pk).count() == 0
    # Nothing else went.
    assert Note.objects.filter(contact=other, description="À garder").exists()
    entry = AuditEntry.objects.get(action="erase")
    assert (entry.user, entry.kind, entry.count) == (manager, "contact", 1)
    assert MARKER not in str(entry.details)


def test_erasing_one_person_keeps_the_company_file(marked_contact, manager_client, manager):
    person = marked_contact.people.get(last_name=MARKER)
    url = reverse("privacy:person_erase", args=[marked_contact.pk, person.pk])
    assert manager_client.get(url).status_code == 200
    response = manager_client.post(url)
    assert response.status_code == 302
    assert not ContactPerson.objects.filter(pk=person.pk).exists()
    assert ContactPerson.history.filter(id=person.pk).count() == 0
    marked_contact.refresh_from_db()
    assert "emile" not in marked_contact.search_text
    assert Note.objects.filter(contact=marked_contact).count() == 2
    found = tables_holding("emile@marqueur.example")
    assert found == []
    if settings.PROSPECTION_ENABLED:
        opportunity = marked_contact.opportunities.get()
        assert opportunity.contact_person_id is None
    assert AuditEntry.objects.filter(action="erase", kind="person", user=manager).count() == 1


def test_erase_confirmation_counts_hidden_notes_too(marked_contact, manager_client):
    response = manager_client.get(reverse("privacy:contact_erase", args=[marked_contact.pk]))
    assert "Secret" not in response.text  # counts only, no text
    assert MARKER in response.text  # the contact's own name, in the title


def test_erase_is_a_post(marked_contact, manager_client):
    manager_client.get(reverse("privacy:contact_erase", args=[marked_contact.pk]))
    assert Contact.objects.filter(pk=marked_contact.pk).exists()


def test_erase_of_unknown_contact_is_404(manager_client):
    assert manager_client.post(reverse("privacy:contact_erase", args=[999999])).status_code == 404


def test_erase_leaves_the_admin_log_of_other_records(manager, marked_contact):
    from privacy.erasure import erase_contact

    other = ContactPersonFactory(contact__name="Autre")
    LogEntry.objects.log_actions(manager.pk, [other.contact], CHANGE, change_message="kept")
    erase_contact(contact=marked_contact, user=manager)
    assert LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Contact),
                                   object_id=str(other.contact.pk)).exists()


def test_an_erasure_stopped_half_way_changes_nothing(marked_contact, manager_client, monkeypatch):
    from privacy import erasure

    notes_history = Note.history.filter(contact_id=marked_contact.pk).count()
    calls = []

    def refuse_late(model, pks):
        calls.append(model)
        if model is Contact:  # after the people, notes and history rows were deleted
            raise erasure.ErasureBlocked("widgets")

    monkeypatch.setattr(erasure, "_forget_log_entries", refuse_late)
    response = manager_client.post(reverse("privacy:contact_erase", args=[marked_contact.pk]), follow=True)
    assert response.status_code == 200 and "widgets" in response.text
    assert len(calls) > 1
    assert Contact.objects.filter(pk=marked_contact.pk).exists()
    assert Note.history.filter(contact_id=marked_contact.pk).count() == notes_history
    assert Note.objects.filter(contact=marked_contact).count() == 2
    assert not AuditEntry.objects.exists()


@pytest.mark.skipif(settings.PROSPECTION_ENABLED, reason="checks the module switched off (run with CRM_PROSPECTION=off)")
def test_without_the_prospection_module_no_page_speaks_of_opportunities(marked_contact, manager_client):
    person = marked_contact.people.get(last_name=MARKER)
    for url in (reverse("privacy:contact_erase", args=[marked_contact.pk]),
                reverse("privacy:person_erase", args=[marked_contact.pk, person.pk]),
                reverse("privacy:contact_merge", args=[marked_contact.pk]),
                reverse("privacy:contact_export", args=[marked_contact.pk])):
        assert "pportunit" not in manager_client.get(url).text, url
