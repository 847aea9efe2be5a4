"""A rep never gets an admin-only note through the API: not listed, filtered, searched, nor by id."""

import pytest

from notes.models import Note
from tests.factories import NoteFactory


@pytest.fixture
def notes(contact, manager):
    return {
        "secret": NoteFactory(contact=contact, admin_only=True, description="Négociation secrète", assigned_to=manager),
        "plain": NoteFactory(contact=contact, description="Appel de suivi", assigned_to=manager),
    }


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_rep_does_not_get_admin_only_notes_in_the_list(rep_api, manager_api, notes):
    assert ids(rep_api.get("/api/v1/notes/")) == {notes["plain"].pk}
    assert ids(manager_api.get("/api/v1/notes/")) == {notes["plain"].pk, notes["secret"].pk}


@pytest.mark.parametrize("params", [
    {"contact": "CONTACT"}, {"q": "secrète"}, {"q": "Négociation"}, {"state": "todo"}, {"type": "TYPE"},
    {"assigned_to": "MANAGER"}, {"ordering": "-updated"},
])
def test_rep_does_not_get_admin_only_notes_by_filter_or_search(rep_api, manager_api, notes, manager, params):
    values = {"CONTACT": notes["secret"].contact_id, "TYPE": notes["secret"].type_id, "MANAGER": manager.pk}
    params = {name: values.get(value, value) for name, value in params.items()}
    assert notes["secret"].pk not in ids(rep_api.get("/api/v1/notes/", params))
    if "q" not in params:
        assert notes["secret"].pk in ids(manager_api.get("/api/v1/notes/", params))


def test_search_finds_what_the_rep_may_see(rep_api, notes):
    assert ids(rep_api.get("/api/v1/notes/", {"q": "suivi"})) == {notes["plain"].pk}


def test_rep_gets_404_for_an_admin_only_note_by_id(rep_api, notes):
    url = f"/api/v1/notes/{notes['secret'].pk}/"
    assert rep_api.get(url).status_code == 404
    assert rep_api.patch(url, {"version": 0, "description": "x"}).status_code == 404
    assert rep_api.delete(url).status_code in (403, 404)  # reps may not delete notes at all
    assert Note.objects.get(pk=notes["secret"].pk).description == "Négociation secrète"


def test_rep_cannot_set_the_admin_only_flag(rep_api, contact):
    response = rep_api.post("/api/v1/notes/", {"contact": contact.pk, "description": "x", "admin_only": True})
    assert response.status_code == 400
    assert response.json() == {"admin_only": ["Seuls les utilisateurs qui peuvent voir les notes réservées aux "
                                              "administrateurs peuvent cocher cette case."]}
    response = rep_api.post("/api/v1/notes/", {"contact": contact.pk, "description": "x", "admin_only": False})
    assert response.status_code == 400
    assert not Note.objects.exists()


def test_manager_sets_the_admin_only_flag(manager_api, contact):
    response = manager_api.post("/api/v1/notes/", {"contact": contact.pk, "description": "x", "admin_only": True})
    assert response.status_code == 201
    assert Note.objects.get().admin_only is True


def test_an_outsider_sees_nothing(outsider_api, notes):
    assert outsider_api.get("/api/v1/notes/").status_code == 403
    assert outsider_api.get("/api/v1/contacts/").status_code == 403
    assert outsider_api.get(f"/api/v1/notes/{notes['plain'].pk}/").status_code == 403


def test_rep_may_not_delete_a_contact_as_on_the_pages(rep_api, contact):
    assert rep_api.delete(f"/api/v1/contacts/{contact.pk}/").status_code == 403
    assert type(contact).objects.filter(pk=contact.pk).exists()


def test_manager_deletes_a_contact(manager_api, contact):
    assert manager_api.delete(f"/api/v1/contacts/{contact.pk}/").status_code == 204
    assert not type(contact).objects.filter(pk=contact.pk).exists()


def test_an_outsider_does_not_read_the_lists_either(outsider_api):
    assert outsider_api.get("/api/v1/note-types/").status_code == 403
    assert outsider_api.get("/api/v1/me/").status_code == 200  # who they are, and that they may do nothing
