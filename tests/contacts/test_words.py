"""Issue 15: the words of the contact pages — filters, history and messages agree and read as meant."""

import pytest
from django.urls import reverse

from contacts.models import ContactPerson
from tests.factories import NoteFactory

pytestmark = pytest.mark.django_db


def test_the_kind_filter_reads_contact_type_not_gender(rep_client, rep_client_en):
    page = rep_client.get(reverse("contacts:list")).content.decode()
    assert "Type de contact" in page and "Tous les types" in page
    assert "Genre" not in page and "genres" not in page
    page = rep_client_en.get(reverse("contacts:list")).content.decode()
    assert "Contact type" in page and "All types" in page


def test_the_contact_form_says_contact_type(rep_client):
    page = rep_client.get(reverse("contacts:create")).content.decode()
    assert "Type de contact" in page and "Genre" not in page


def test_the_account_manager_filter_lists_full_names(settings, rep, manager, rep_client):
    if not settings.PROSPECTION_ENABLED:
        pytest.skip("prospection module is off")
    page = rep_client.get(reverse("contacts:list")).content.decode()
    assert f'<option value="{rep.pk}">Luc Gagnon</option>' in page
    assert f'<option value="{manager.pk}">Marie Tremblay</option>' in page


def history_tab(client, contact):
    return client.get(contact.get_absolute_url(), {"tab": "history"})


def test_a_persons_history_and_messages_agree_in_french(rep_client, contact):
    added = rep_client.post(reverse("contacts:person_add", args=[contact.pk]),
                            {"new-first_name": "Jean", "new-last_name": "Tremblay"}, follow=True)
    assert "Personne ajoutée : Jean Tremblay." in added.content.decode()
    person = ContactPerson.objects.get()
    removed = rep_client.post(reverse("contacts:person_delete", args=[contact.pk, person.pk]), follow=True)
    assert "Personne retirée : Jean Tremblay." in removed.content.decode()
    entries = history_tab(rep_client, contact).context["tab_context"]["entries"]
    assert {(entry.subject, entry.kind) for entry in entries} >= {
        ("Jean Tremblay", "personne ajoutée"), ("Jean Tremblay", "personne retirée")}


def test_a_notes_history_agrees_with_la_note(rep, rep_client, contact):
    note = NoteFactory(contact=contact, assigned_to=rep, description="Appeler")
    page = rep_client.get(reverse("notes:detail", args=[note.pk])).content.decode()
    assert "— créée" in page and "— créé<" not in page


def test_help_texts_are_whole_french_sentences(rep_client, contact):
    page = rep_client.get(reverse("notes:create", args=[contact.pk])).content.decode()
    assert "Une note terminée devient une note d’historique. Sinon, c’est une action à faire." in page
    assert " ; " not in page.split("<form", 1)[1].split("</form>", 1)[0]
    page = rep_client.get(reverse("contacts:create")).content.decode()
    assert "Identifiant dans un autre système. Les importations" in page
