"""One-click actions on a note: done / not done, pin / unpin, edit, delete."""

import pytest
from django.test import Client
from django.urls import reverse

from notes.models import Note
from tests.factories import NoteFactory

pytestmark = pytest.mark.django_db


def test_toggle_done_marks_then_unmarks(rep_client, rep):
    note = NoteFactory(assigned_to=rep)
    response = rep_client.post(reverse("notes:toggle_done", args=[note.pk]))
    note.refresh_from_db()
    assert response.status_code == 302 and note.is_done and note.done_at is not None
    rep_client.post(reverse("notes:toggle_done", args=[note.pk]))
    note.refresh_from_db()
    assert not note.is_done and note.done_at is None


def test_toggle_pin(rep_client, rep):
    note = NoteFactory(assigned_to=rep)
    rep_client.post(reverse("notes:toggle_pin", args=[note.pk]))
    note.refresh_from_db()
    assert note.is_pinned
    rep_client.post(reverse("notes:toggle_pin", args=[note.pk]))
    note.refresh_from_db()
    assert not note.is_pinned


@pytest.mark.parametrize("name", ["notes:toggle_done", "notes:toggle_pin"])
def test_toggles_refuse_get(rep_client, rep, name):
    note = NoteFactory(assigned_to=rep)
    assert rep_client.get(reverse(name, args=[note.pk])).status_code == 405
    note.refresh_from_db()
    assert not note.is_done and not note.is_pinned


@pytest.mark.parametrize("name", ["notes:toggle_done", "notes:toggle_pin", "notes:delete"])
def test_state_changes_need_the_csrf_token(rep, name):
    note = NoteFactory(assigned_to=rep)
    client = Client(enforce_csrf_checks=True)
    client.force_login(rep)
    assert client.post(reverse(name, args=[note.pk])).status_code == 403
    note.refresh_from_db()
    assert not note.is_done and not note.is_pinned


def test_toggle_returns_to_a_safe_next_only(rep_client, rep):
    note = NoteFactory(assigned_to=rep)
    inside = rep_client.post(reverse("notes:toggle_done", args=[note.pk]), {"next": "/contacts/?q=x"})
    assert inside["Location"] == "/contacts/?q=x"
    outside = rep_client.post(reverse("notes:toggle_done", args=[note.pk]), {"next": "https://evil.example/"})
    assert outside["Location"].startswith(note.contact.get_absolute_url())


def test_delete_asks_then_deletes(rep_client, rep):
    note = NoteFactory(assigned_to=rep, description="À supprimer")
    confirm = rep_client.get(reverse("notes:delete", args=[note.pk]))
    assert "Supprimer cette note ?" in confirm.content.decode()
    assert Note.objects.filter(pk=note.pk).exists()
    rep_client.post(reverse("notes:delete", args=[note.pk]))
    assert not Note.objects.filter(pk=note.pk).exists()


def test_edit_page_shows_the_note(rep_client, rep):
    note = NoteFactory(assigned_to=rep, description="Texte à modifier")
    page = rep_client.get(reverse("notes:update", args=[note.pk])).content.decode()
    assert "Modifier la note" in page and "Texte à modifier" in page


def test_unmarking_done_through_the_form_clears_done_at(rep_client, rep):
    note = NoteFactory(assigned_to=rep, is_done=True)
    rep_client.post(reverse("notes:update", args=[note.pk]), {
        "assigned_to": rep.pk, "date": note.date.isoformat(), "type": note.type_id, "description": "x",
        "version": note.version})
    note.refresh_from_db()
    assert not note.is_done and note.done_at is None
