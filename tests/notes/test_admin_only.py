"""An admin-only note is invisible, everywhere, to whoever lacks the permission."""

import pytest
from django.test import Client
from django.urls import reverse

from notes.models import Note
from tests.factories import NoteFactory, UserFactory

pytestmark = pytest.mark.django_db
SECRET = "Marge négociée confidentielle"


@pytest.fixture
def secret_note(contact, manager):
    return NoteFactory(contact=contact, assigned_to=manager, admin_only=True, is_pinned=True, description=SECRET)


@pytest.fixture
def public_note(contact, manager):
    return NoteFactory(contact=contact, assigned_to=manager, description="Note publique")


def test_rep_does_not_see_it_on_the_contact_file(rep_client, contact, secret_note, public_note):
    page = rep_client.get(contact.get_absolute_url(), {"tab": "notes"}).content.decode()
    assert SECRET not in page and "Note publique" in page


def test_manager_sees_it_on_the_contact_file_flagged(manager_client, contact, secret_note):
    page = manager_client.get(contact.get_absolute_url(), {"tab": "notes"}).content.decode()
    assert SECRET in page and "Admin seulement" in page


def test_rep_does_not_see_it_in_filtered_lists_or_counts(rep_client, contact, secret_note, public_note):
    for state in ["history", "todo", "follow_up", "overdue", ""]:
        response = rep_client.get(contact.get_absolute_url(), {"tab": "notes", "state": state})
        assert SECRET not in response.content.decode()
        assert response.context["tab_context"]["page"].paginator.count <= 1


def test_rep_gets_404_on_its_urls(rep_client, secret_note):
    for name in ["notes:detail", "notes:update", "notes:delete"]:
        assert rep_client.get(reverse(name, args=[secret_note.pk])).status_code == 404


def test_rep_forged_posts_change_nothing(rep_client, rep, secret_note):
    before = Note.objects.filter(pk=secret_note.pk).values().get()
    for name in ["notes:update", "notes:toggle_done", "notes:toggle_pin"]:
        response = rep_client.post(reverse(name, args=[secret_note.pk]), {
            "assigned_to": rep.pk, "date": "2026-01-01", "type": secret_note.type_id,
            "description": "hacked", "admin_only": "", "is_done": "on"})
        assert response.status_code == 404
    assert rep_client.post(reverse("notes:delete", args=[secret_note.pk])).status_code == 404
    assert Note.objects.filter(pk=secret_note.pk).values().get() == before


def test_rep_does_not_see_it_on_the_home_page_even_when_assigned(rep, rep_client, contact):
    NoteFactory(contact=contact, assigned_to=rep, admin_only=True, is_pinned=True, description=SECRET)
    assert SECRET not in rep_client.get(reverse("home")).content.decode()


def test_manager_sees_it_on_the_home_page(manager, manager_client, secret_note):
    assert SECRET in manager_client.get(reverse("home")).content.decode()


def test_rep_delete_confirmation_counts_only_visible_notes(contact, secret_note, public_note):
    # Even a rep allowed to delete contacts would only be told about notes they may see.
    from django.contrib.auth.models import Permission

    rep = UserFactory(username="bigrep", groups=["Sales reps"])
    rep.user_permissions.add(Permission.objects.get(codename="delete_contact"))
    client = Client()
    client.force_login(rep)
    response = client.get(reverse("contacts:delete", args=[contact.pk]))
    assert dict((str(label), count) for label, count in response.context["related"])["notes"] == 1
    assert SECRET not in response.content.decode()


def test_staff_rep_does_not_see_it_in_the_admin(contact, secret_note, public_note):
    from django.contrib.auth.models import Permission

    staff_rep = UserFactory(username="staffrep", is_staff=True, groups=["Sales reps"])
    staff_rep.user_permissions.add(Permission.objects.get(codename="change_note"))
    client = Client()
    client.force_login(staff_rep)
    listing = client.get(reverse("admin:notes_note_changelist"))
    assert listing.status_code == 200
    assert "Note publique" in listing.content.decode() and SECRET not in listing.content.decode()
    assert client.get(reverse("admin:notes_note_change", args=[secret_note.pk])).status_code in (302, 404)
    form = client.get(reverse("admin:notes_note_change", args=[public_note.pk])).content.decode()
    assert 'name="admin_only"' not in form


def test_outsider_sees_no_note_at_all(outsider_client, contact, public_note):
    assert outsider_client.get(reverse("notes:detail", args=[public_note.pk])).status_code == 403
    assert "Note publique" not in outsider_client.get(reverse("home")).content.decode()
