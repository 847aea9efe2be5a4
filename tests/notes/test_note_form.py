"""The guide's note form: "Ajouter une note", its fields and their defaults."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from notes.models import Note, NoteType
from tests.factories import NoteFactory, UserFactory, days_from_today

pytestmark = pytest.mark.django_db


def new_note_url(contact):
    return reverse("notes:create", args=[contact.pk])


def guide_post(**overrides):
    data = {
        "assigned_to": "",
        "date": timezone.localdate().isoformat(),
        "time": "",
        "type": NoteType.objects.get(label_en="Note").pk,
        "description": "Ma note d’historique – discussion de projet",
    }
    data.update(overrides)
    return data


def test_form_shows_the_guide_fields_in_french(rep_client, contact):
    page = rep_client.get(new_note_url(contact)).content.decode()
    for label in ["Assignée à", "Date", "Épingler", "Est terminée ?", "Type", "Description", "Enregistrer"]:
        assert label in page
    # A rep may not set the admin-only flag: it is not even offered.
    assert "Admin seulement" not in page


def test_form_shows_the_fields_in_english(rep_client_en, contact):
    page = rep_client_en.get(new_note_url(contact)).content.decode()
    for label in ["Assigned to", "Pin", "Is done?", "Type", "Description", "Save"]:
        assert label in page


def test_manager_is_offered_admin_only(manager_client, contact):
    assert "Admin seulement" in manager_client.get(new_note_url(contact)).content.decode()


def test_assignee_defaults_to_me_and_date_to_today(rep, rep_client, contact):
    form = rep_client.get(new_note_url(contact)).context["form"]
    assert form.initial["assigned_to"] == rep.pk
    assert form["date"].value() == timezone.localdate()


def test_history_note_from_the_guide(rep, rep_client, contact):
    response = rep_client.post(new_note_url(contact), guide_post(assigned_to=rep.pk, is_done="on"))
    note = Note.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith(contact.get_absolute_url())
    assert note.is_done and note.done_at is not None
    assert note.state == "history"
    assert note.created_by == rep and note.assigned_to == rep
    assert note.description == "Ma note d’historique – discussion de projet"


def test_follow_up_note_from_the_guide(rep, rep_client, contact):
    in_two_weeks = days_from_today(14)
    rep_client.post(new_note_url(contact), guide_post(
        assigned_to=rep.pk, date=in_two_weeks.isoformat(),
        description="Rappeler le client en lien au projet discuté"))
    note = Note.objects.get()
    assert not note.is_done and note.done_at is None
    assert note.date == in_two_weeks and note.state == "follow_up"


def test_optional_time_and_multiline_description_are_kept(rep, rep_client, contact):
    text = "Ligne 1\nLigne 2\nhttps://example.com/acces"
    rep_client.post(new_note_url(contact), guide_post(assigned_to=rep.pk, time="14:30", description=text))
    note = Note.objects.get()
    assert note.time == datetime.time(14, 30)
    assert note.description == text.replace("\n", "\r\n") or note.description == text


def test_missing_fields_are_reported_in_french(rep_client, contact):
    response = rep_client.post(new_note_url(contact), guide_post(description="", type=""))
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not Note.objects.exists()


def test_missing_fields_are_reported_in_english(rep_client_en, contact):
    response = rep_client_en.post(new_note_url(contact), guide_post(description=""))
    assert "This field is required." in response.content.decode()
    assert not Note.objects.exists()


def test_bad_date_is_refused(rep, rep_client, contact):
    response = rep_client.post(new_note_url(contact), guide_post(assigned_to=rep.pk, date="2026-02-30"))
    assert "Saisissez une date valide." in response.content.decode()
    assert not Note.objects.exists()


def test_forged_admin_only_from_a_rep_is_ignored(rep, rep_client, contact):
    rep_client.post(new_note_url(contact), guide_post(assigned_to=rep.pk, admin_only="on"))
    assert Note.objects.get().admin_only is False


def test_forged_admin_only_clear_from_a_rep_cannot_touch_hidden_notes(rep_client, manager):
    secret = NoteFactory(admin_only=True, assigned_to=manager)
    response = rep_client.post(reverse("notes:update", args=[secret.pk]), guide_post(assigned_to=manager.pk))
    assert response.status_code == 404
    secret.refresh_from_db()
    assert secret.admin_only is True


def test_manager_can_set_admin_only(manager, manager_client, contact):
    manager_client.post(new_note_url(contact), guide_post(assigned_to=manager.pk, admin_only="on"))
    assert Note.objects.get().admin_only is True


def test_rep_editing_a_note_keeps_its_flags(rep, rep_client):
    note = NoteFactory(assigned_to=rep, is_pinned=True)
    rep_client.post(reverse("notes:update", args=[note.pk]),
                    guide_post(assigned_to=rep.pk, is_pinned="on", description="Changed", version=note.version))
    note.refresh_from_db()
    assert note.description == "Changed" and note.is_pinned and not note.admin_only


def test_inactive_type_is_not_offered_but_old_notes_keep_it(rep, rep_client, contact):
    old_type = NoteType.objects.create(label_fr="Télécopie", label_en="Fax", is_active=False)
    assert "Télécopie" not in rep_client.get(new_note_url(contact)).content.decode()
    response = rep_client.post(new_note_url(contact), guide_post(assigned_to=rep.pk, type=old_type.pk))
    assert "Sélectionnez un choix valide" in response.content.decode()

    note = NoteFactory(type=old_type, assigned_to=rep)
    assert "Télécopie" in rep_client.get(reverse("notes:update", args=[note.pk])).content.decode()
    rep_client.post(reverse("notes:update", args=[note.pk]), guide_post(assigned_to=rep.pk, type=old_type.pk))
    note.refresh_from_db()
    assert note.type == old_type


def test_assignee_list_shows_active_users_only(rep_client, contact):
    UserFactory(username="gone", first_name="Parti", last_name="Ailleurs", is_active=False)
    UserFactory(username="here", first_name="Présente", last_name="Ici")
    page = rep_client.get(new_note_url(contact)).content.decode()
    assert "Présente Ici" in page
    assert "Parti Ailleurs" not in page


def test_outsider_cannot_add_notes(outsider_client, contact):
    assert outsider_client.get(new_note_url(contact)).status_code == 403


def test_anonymous_is_sent_to_sign_in(contact):
    response = Client().get(new_note_url(contact))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_csrf_is_enforced_on_add(rep, contact):
    client = Client(enforce_csrf_checks=True)
    client.force_login(rep)
    response = client.post(new_note_url(contact), guide_post(assigned_to=rep.pk))
    assert response.status_code == 403
    assert not Note.objects.exists()


def test_forged_creator_timestamps_and_done_date_are_ignored(rep, rep_client, manager, contact):
    rep_client.post(new_note_url(contact), guide_post(
        assigned_to=rep.pk, created_by=manager.pk, created_at="2000-01-01T00:00", updated_at="2000-01-01T00:00",
        done_at="2000-01-01T00:00", version="99", contact=999))
    note = Note.objects.get()
    assert note.created_by == rep and note.contact == contact
    assert note.created_at.year == timezone.now().year and note.done_at is None
    assert note.version == 0


@pytest.mark.parametrize("client_name", ["rep_client", "manager_client"])
def test_the_form_runs_a_constant_number_of_queries(request, contact, client_name, django_assert_num_queries):
    # session, user, permissions (one query), the contact, the default type, the users and
    # the note types offered; the same with many users and types.
    client = request.getfixturevalue(client_name)
    with django_assert_num_queries(7):
        assert client.get(new_note_url(contact)).status_code == 200
    UserFactory.create_batch(10)
    for number in range(10):
        NoteType.objects.create(label_fr=f"Type {number}", label_en=f"Kind {number}", order=100 + number)
    with django_assert_num_queries(7):
        assert client.get(new_note_url(contact)).status_code == 200
