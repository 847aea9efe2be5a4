"""Writes through the API follow the pages' rules: version check, history rows, validation, no mass assignment."""

import pytest
from django.conf import settings

from contacts.models import Contact, ContactPerson
from notes.models import Note
from tests.api.conftest import api_for
from tests.factories import ContactPersonFactory, NoteFactory


def test_a_stale_version_gets_409_with_the_current_one_and_changes_nothing(rep_api, contact):
    contact.name = "Changé par un autre"
    contact.save()  # version 0 → 1
    response = rep_api.patch(f"/api/v1/contacts/{contact.pk}/", {"version": 0, "name": "Mon nom"})
    assert response.status_code == 409
    assert response.json()["current"]["name"] == "Changé par un autre"
    assert response.json()["current"]["version"] == 1
    contact.refresh_from_db()
    assert (contact.name, contact.version) == ("Changé par un autre", 1)
    assert contact.history.count() == 2


def test_a_stale_note_version_gets_409(rep_api, contact, rep):
    note = NoteFactory(contact=contact, assigned_to=rep, description="Avant")
    note.description = "Autre"
    note.save()
    response = rep_api.patch(f"/api/v1/notes/{note.pk}/", {"version": 0, "description": "Moi"})
    assert response.status_code == 409
    assert Note.objects.get(pk=note.pk).description == "Autre"


def test_a_change_without_version_is_refused(rep_api, contact):
    response = rep_api.patch(f"/api/v1/contacts/{contact.pk}/", {"name": "x"})
    assert response.status_code == 400
    assert "version" in response.json()
    assert Contact.objects.get(pk=contact.pk).name == contact.name


def test_a_change_bumps_the_version_and_writes_a_history_row_with_its_author(rep_api, rep, contact):
    response = rep_api.patch(f"/api/v1/contacts/{contact.pk}/", {"version": 0, "city": "Québec"})
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 1 and response.json()["city"] == "Québec"
    record = contact.history.first()
    assert (record.city, record.history_user, record.history_type) == ("Québec", rep, "~")
    assert Contact.objects.get(pk=contact.pk).name == contact.name  # PATCH keeps what it did not send


def test_unknown_and_read_only_fields_are_named_and_nothing_is_written(rep_api, contact):
    response = rep_api.patch(f"/api/v1/contacts/{contact.pk}/", {
        "version": 0, "name": "x", "created_by": 1, "search_text": "x", "id": 9})
    assert response.status_code == 400
    assert response.json() == {"created_by": ["Ce champ est en lecture seule."], "id": ["Ce champ est en lecture seule."],
                               "search_text": ["Champ inconnu."]}
    assert Contact.objects.get(pk=contact.pk).version == 0


def test_the_pages_validation_messages_come_back_in_french(rep_api):
    response = rep_api.post("/api/v1/contacts/", {"name": "Café", "website": "javascript:alert(1)"})
    assert response.status_code == 400
    assert response.json() == {"website": ["Saisissez une adresse Web commençant par http:// ou https://."]}
    assert not Contact.objects.filter(name="Café").exists()


def test_the_api_speaks_english_when_asked(rep):
    response = api_for(rep, "en").post("/api/v1/contacts/", {"name": ""})
    assert response.status_code == 400
    assert response.json()["name"] == ["This field may not be blank."]


def test_a_wrong_type_is_a_400_not_a_500(rep_api, contact):
    for body in ([1, 2], "x", {"name": ["a"]}, {"status": "nope"}, {"version": "abc", "name": "x"}):
        assert rep_api.post("/api/v1/contacts/", body).status_code == 400


def test_creating_a_contact_records_its_author_and_a_history_row(rep_api, rep):
    response = rep_api.post("/api/v1/contacts/", {"name": "Atelier Nord", "website": "atelier.example"})
    assert response.status_code == 201
    contact = Contact.objects.get(name="Atelier Nord")
    assert contact.created_by == rep and contact.website == "https://atelier.example"
    assert contact.history.get().history_user == rep


def test_a_new_note_defaults_to_me_and_the_default_type(rep_api, rep, contact):
    response = rep_api.post("/api/v1/notes/", {"contact": contact.pk, "description": "Rappeler"})
    assert response.status_code == 201, response.content
    note = Note.objects.get()
    assert (note.assigned_to, note.created_by, note.type.is_default) == (rep, rep, True)
    assert note.history.get().history_user == rep


def test_marking_a_note_done_records_when(rep_api, rep, contact):
    note = NoteFactory(contact=contact, assigned_to=rep)
    response = rep_api.patch(f"/api/v1/notes/{note.pk}/", {"version": 0, "is_done": True})
    assert response.status_code == 200
    assert response.json()["state"] == "history" and response.json()["done_at"]


def test_a_note_cannot_move_to_another_contact(rep_api, rep, contact):
    note = NoteFactory(contact=contact, assigned_to=rep)
    other = Contact.objects.create(name="Autre")
    response = rep_api.patch(f"/api/v1/notes/{note.pk}/", {"version": 0, "contact": other.pk})
    assert response.status_code == 400
    assert Note.objects.get(pk=note.pk).contact == contact


def test_a_note_on_a_missing_contact_is_refused(rep_api):
    response = rep_api.post("/api/v1/notes/", {"contact": 999, "description": "x"})
    assert response.status_code == 400 and "contact" in response.json()


def test_people_are_added_changed_and_removed(rep_api, contact):
    response = rep_api.post("/api/v1/people/", {"contact": contact.pk, "last_name": "Roy", "is_primary": True})
    assert response.status_code == 201, response.content
    person = ContactPerson.objects.get()
    assert "roy" in Contact.objects.get(pk=contact.pk).search_text
    response = rep_api.patch(f"/api/v1/people/{person.pk}/", {"version": person.version, "role": "Directrice"})
    assert response.status_code == 200 and response.json()["role"] == "Directrice"
    assert rep_api.get(f"/api/v1/contacts/{contact.pk}/").json()["people"][0]["role"] == "Directrice"
    assert rep_api.delete(f"/api/v1/people/{person.pk}/").status_code == 204
    assert not ContactPerson.objects.exists()


def test_a_new_primary_person_takes_the_flag(rep_api, contact):
    first = ContactPersonFactory(contact=contact, is_primary=True)
    response = rep_api.post("/api/v1/people/", {"contact": contact.pk, "last_name": "Roy", "is_primary": True})
    assert response.status_code == 201
    first.refresh_from_db()
    assert first.is_primary is False and first.version == 1


def test_pages_are_walked_with_the_cursor(rep_api):
    Contact.objects.bulk_create([Contact(name=f"Entreprise {index:02}") for index in range(7)])
    seen, url = [], "/api/v1/contacts/?page_size=3&ordering=-name"
    while url:
        page = rep_api.get(url).json()
        seen += [row["name"] for row in page["results"]]
        url = page["next"]
    assert seen == [f"Entreprise {index:02}" for index in reversed(range(7))]


def test_a_forged_cursor_or_an_unknown_sort_is_a_400(rep_api):
    assert rep_api.get("/api/v1/contacts/", {"cursor": "abc"}).status_code == 400
    assert rep_api.get("/api/v1/contacts/", {"ordering": "search_text"}).status_code == 400
    assert rep_api.get("/api/v1/contacts/", {"page_size": "0"}).status_code == 400


pytestmark_prospection = pytest.mark.skipif(not settings.PROSPECTION_ENABLED, reason="prospection module off")


@pytestmark_prospection
def test_an_opportunity_is_created_with_the_pages_defaults(rep_api, rep, contact):
    response = rep_api.post("/api/v1/opportunities/", {"contact": contact.pk, "subject": "Site", "value": "1000.00",
                                                       "purchase_costs": "200.00"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["representative"] == rep.pk and body["total"] == "80.00"  # (1000 − 200) × 10 %


@pytestmark_prospection
def test_losing_an_opportunity_needs_a_reason_as_on_the_pages(rep_api, contact):
    from prospection.models import Opportunity, Stage

    created = rep_api.post("/api/v1/opportunities/", {"contact": contact.pk, "subject": "Site"}).json()
    lost = Stage.objects.filter(outcome="lost").first()
    response = rep_api.patch(f"/api/v1/opportunities/{created['id']}/", {"version": 0, "stage": lost.pk})
    assert response.status_code == 400
    assert "lost_reason" in response.json()
    assert Opportunity.objects.get().stage.outcome == "open"


@pytestmark_prospection
def test_reps_may_not_delete_opportunities(rep_api, contact):
    created = rep_api.post("/api/v1/opportunities/", {"contact": contact.pk, "subject": "Site"}).json()
    assert rep_api.delete(f"/api/v1/opportunities/{created['id']}/").status_code == 403


@pytestmark_prospection
def test_the_account_manager_is_set_like_on_the_prospection_tab(rep_api, contact, manager):
    response = rep_api.patch(f"/api/v1/contacts/{contact.pk}/", {"version": 0, "account_manager": manager.pk})
    assert response.status_code == 200 and response.json()["account_manager"] == manager.pk
    manager.is_active = False
    manager.save()
    other = Contact.objects.create(name="Autre")
    response = rep_api.patch(f"/api/v1/contacts/{other.pk}/", {"version": 0, "account_manager": manager.pk})
    assert response.status_code == 400 and "account_manager" in response.json()
