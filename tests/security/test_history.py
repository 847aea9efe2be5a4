"""Who created, changed or deleted each record, when, and the values before."""

import pytest
from django.urls import reverse

from contacts.models import Contact, ContactPerson
from notes.models import Note
from tests.factories import NoteFactory
from tests.security.test_lost_update import form_data

pytestmark = pytest.mark.django_db


def history_tab(client, contact):
    return client.get(contact.get_absolute_url(), {"tab": "history"})


def test_contact_changes_show_who_when_and_before_after(rep_client, manager_client):
    rep_client.post(reverse("contacts:create"), {
        "name": "Atelier Lavoie", "kind": "organization", "status": "prospect", "language": "fr",
        "phone": "514-555-0102"})
    contact = Contact.objects.get(name="Atelier Lavoie")
    url = reverse("contacts:update", args=[contact.pk])
    manager_client.post(url, {**form_data(manager_client.get(url)), "phone": "514-555-9999", "status": "client"})

    entries = history_tab(rep_client, contact).context["tab_context"]["entries"]
    changed, created = entries[0], entries[-1]
    assert changed.who.username == "manager" and changed.kind == "modifié"
    assert ("Téléphone", "514-555-0102", "514-555-9999") in changed.changes
    assert ("Statut", "Prospect", "Client") in changed.changes
    assert created.who.username == "rep" and created.kind == "créé"
    page = history_tab(rep_client, contact).content.decode()
    assert "Marie Tremblay" in page and "514-555-9999" in page


def test_people_added_and_removed_show_on_the_contact_history(rep_client, contact):
    rep_client.post(reverse("contacts:person_add", args=[contact.pk]), {"new-first_name": "Émilie", "new-last_name": "Bouchard"})
    person = ContactPerson.objects.get()
    rep_client.post(reverse("contacts:person_delete", args=[contact.pk, person.pk]))
    kinds = [(entry.subject, entry.kind) for entry in history_tab(rep_client, contact).context["tab_context"]["entries"]]
    assert ("Émilie Bouchard", "personne retirée") in kinds and ("Émilie Bouchard", "personne ajoutée") in kinds


def test_note_history_is_on_the_note_and_only_for_those_who_may_see_it(rep, rep_client, manager, manager_client, contact):
    secret = NoteFactory(contact=contact, assigned_to=manager, admin_only=True, description="Marge secrète")
    url = reverse("notes:update", args=[secret.pk])
    manager_client.post(url, {**form_data(manager_client.get(url)), "description": "Marge secrète révisée"})

    page = manager_client.get(reverse("notes:detail", args=[secret.pk])).content.decode()
    assert "Historique" in page and "Marge secrète révisée" in page
    assert rep_client.get(reverse("notes:detail", args=[secret.pk])).status_code == 404
    assert "Marge secrète" not in history_tab(rep_client, contact).content.decode()


def test_deletions_are_recorded_with_their_author(manager, manager_client, contact):
    note = NoteFactory(contact=contact, assigned_to=manager)
    manager_client.post(reverse("notes:delete", args=[note.pk]))
    manager_client.post(reverse("contacts:delete", args=[contact.pk]))
    assert Note.history.get(id=note.pk, history_type="-").history_user == manager
    assert Contact.history.get(id=contact.pk, history_type="-").history_user == manager


def test_history_tab_costs_a_constant_number_of_queries(rep_client, contact, django_assert_max_num_queries):
    for number in range(30):
        contact.phone = f"514-555-{number:04d}"
        contact.save()
    with django_assert_max_num_queries(12):
        response = history_tab(rep_client, contact)
    assert len(response.context["tab_context"]["entries"]) == 31
