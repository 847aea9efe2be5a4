"""Bulk changes (crm/bulk.py) on the contacts list and on « Activités »: exactly the chosen records,
versions bumped, one history row each (reason "bulk"), nothing at all when one record is not allowed."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client

from api.events import forget_hooks
from contacts.models import Contact
from notes.models import Note
from tests.conftest import client_for
from tests.factories import ContactFactory, NoteFactory, UserFactory, days_from_today

NOTES_BULK = "/notes/bulk/"
CONTACTS_BULK = "/contacts/bulk/"


def confirm(client, url, **data):
    """The confirmation page's post: what the list posted, plus the value, `confirm` and the count shown."""
    page = client.post(url, data)
    assert page.status_code == 200, page
    return client.post(url, {**data, "confirm": "1", "expected": page.context["count"]})


def bulk_history(model, pks):
    return list(model.history.filter(id__in=pks, history_change_reason="bulk").values_list("id", "history_user"))


@pytest.fixture
def colleague(db):
    return UserFactory(username="colleague", first_name="Chloé", last_name="Roy")


# Notes ---------------------------------------------------------------------------------------

def test_the_first_post_only_asks_and_says_how_many(rep_client, rep):
    notes = [NoteFactory(assigned_to=rep) for _ in range(3)]
    response = rep_client.post(NOTES_BULK, {"action": "done", "ids": [note.pk for note in notes[:2]]})
    assert response.status_code == 200
    assert "<strong>2 notes</strong>" in response.content.decode()
    assert not Note.objects.filter(is_done=True).exists()


def test_mark_done_changes_exactly_the_ticked_notes(rep_client, rep):
    chosen = [NoteFactory(assigned_to=rep) for _ in range(2)]
    other = NoteFactory(assigned_to=rep)
    response = confirm(rep_client, NOTES_BULK, action="done", ids=[note.pk for note in chosen])
    assert response.status_code == 302
    for note in chosen:
        note.refresh_from_db()
        assert note.is_done and note.done_at is not None and note.version == 1
    other.refresh_from_db()
    assert not other.is_done and other.version == 0
    assert sorted(bulk_history(Note, [note.pk for note in chosen + [other]])) == sorted(
        (note.pk, rep.pk) for note in chosen)
    assert "2 notes marquées terminées." in rep_client.get(response["Location"]).content.decode()


def test_mark_done_keeps_when_a_done_note_was_done(rep_client, rep):
    done = NoteFactory(assigned_to=rep, is_done=True)
    before = done.done_at
    confirm(rep_client, NOTES_BULK, action="done", ids=[done.pk])
    done.refresh_from_db()
    assert done.done_at == before and done.version == 1


def test_reassign_all_notes_that_match_the_filter(rep_client, rep, colleague):
    overdue = [NoteFactory(assigned_to=rep, date=days_from_today(-3)) for _ in range(3)]
    later = NoteFactory(assigned_to=rep, date=days_from_today(4))
    response = confirm(rep_client, NOTES_BULK, action="reassign", scope="all", query="state=overdue",
                       assigned_to=colleague.pk)
    assert response.status_code == 302
    assert response["Location"] == "/notes/?state=overdue"
    assert set(Note.objects.filter(assigned_to=colleague)) == set(overdue)
    later.refresh_from_db()
    assert later.assigned_to == rep and later.version == 0
    assert len(bulk_history(Note, [note.pk for note in overdue])) == 3


def test_reschedule_keeps_each_time(rep_client, rep):
    import datetime

    note = NoteFactory(assigned_to=rep, time=datetime.time(9, 30))
    day = days_from_today(10)
    confirm(rep_client, NOTES_BULK, action="reschedule", ids=[note.pk], date=day.isoformat())
    note.refresh_from_db()
    assert note.date == day and note.time == datetime.time(9, 30) and note.version == 1


def test_reschedule_without_a_date_says_so_and_changes_nothing(rep_client, rep):
    note = NoteFactory(assigned_to=rep)
    response = rep_client.post(NOTES_BULK, {"action": "reschedule", "ids": [note.pk], "confirm": "1",
                                            "expected": "1", "date": "31/02/2026"})
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    note.refresh_from_db()
    assert note.version == 0


def test_one_admin_only_note_among_the_ids_changes_nothing_for_a_rep(rep_client, rep, colleague):
    mine = NoteFactory(assigned_to=rep)
    secret = NoteFactory(assigned_to=colleague, admin_only=True)
    response = rep_client.post(NOTES_BULK, {"action": "done", "ids": [mine.pk, secret.pk], "confirm": "1",
                                            "expected": "2"})
    assert response.status_code == 404
    assert not Note.objects.filter(is_done=True).exists()
    assert Note.objects.filter(version__gt=0).count() == 0
    assert not bulk_history(Note, [mine.pk, secret.pk])


def test_an_id_that_does_not_exist_changes_nothing(rep_client, rep):
    mine = NoteFactory(assigned_to=rep)
    response = rep_client.post(NOTES_BULK, {"action": "done", "ids": [mine.pk, 987654], "confirm": "1",
                                            "expected": "2"})
    assert response.status_code == 404
    mine.refresh_from_db()
    assert not mine.is_done


def test_all_that_match_never_reaches_admin_only_notes_for_a_rep(rep_client, rep, colleague):
    visible = NoteFactory(assigned_to=colleague)
    secret = NoteFactory(assigned_to=colleague, admin_only=True)
    confirm(rep_client, NOTES_BULK, action="done", scope="all", query="assignee=everyone")
    visible.refresh_from_db()
    secret.refresh_from_db()
    assert visible.is_done and not secret.is_done


def test_a_manager_may_change_admin_only_notes(manager_client, colleague):
    secret = NoteFactory(assigned_to=colleague, admin_only=True)
    assert confirm(manager_client, NOTES_BULK, action="done", ids=[secret.pk]).status_code == 302
    secret.refresh_from_db()
    assert secret.is_done


def test_a_user_who_may_only_read_notes_is_refused(db):
    reader = UserFactory(username="reader")
    reader.user_permissions.add(Permission.objects.get(codename="view_note"))
    note = NoteFactory(assigned_to=reader)
    response = client_for(reader).post(NOTES_BULK, {"action": "done", "ids": [note.pk], "confirm": "1",
                                                    "expected": "1"})
    assert response.status_code == 403
    note.refresh_from_db()
    assert not note.is_done


def test_an_outsider_is_refused(outsider_client, rep):
    note = NoteFactory(assigned_to=rep)
    assert outsider_client.post(NOTES_BULK, {"action": "done", "ids": [note.pk]}).status_code == 403


def test_when_the_list_changed_since_the_confirmation_nothing_changes(rep_client, rep):
    notes = [NoteFactory(assigned_to=rep, date=days_from_today(-2)) for _ in range(2)]
    response = rep_client.post(NOTES_BULK, {"action": "done", "scope": "all", "query": "state=overdue",
                                            "confirm": "1", "expected": "5"})
    assert response.status_code == 409
    assert 'data-testid="bulk-changed-since"' in response.content.decode()
    assert "<strong>2 notes</strong>" in response.content.decode()
    assert not Note.objects.filter(pk__in=[note.pk for note in notes], is_done=True).exists()


@pytest.mark.parametrize("data", [
    {"action": "done"},
    {"action": "done", "ids": ["abc"]},
    {"action": "explode", "ids": ["1"]},
    {"action": "done", "scope": "all", "query": "state=history"},  # matches nothing
])
def test_a_post_that_names_nothing_goes_back_with_a_message(rep_client, rep, data):
    NoteFactory(assigned_to=rep)
    response = rep_client.post(NOTES_BULK, {**data, "confirm": "1", "expected": "1"})
    assert response.status_code == 302
    assert rep_client.get(response["Location"]).context["messages"]
    assert not Note.objects.filter(version__gt=0).exists()


def test_an_edit_form_opened_before_a_bulk_change_is_refused(rep_client, rep):
    note = NoteFactory(assigned_to=rep, description="avant")
    confirm(rep_client, NOTES_BULK, action="done", ids=[note.pk])
    response = rep_client.post(f"/notes/{note.pk}/edit/", {
        "assigned_to": rep.pk, "date": note.date.isoformat(), "type": note.type_id,
        "description": "écrasé", "version": 0})
    assert response.status_code == 200
    note.refresh_from_db()
    assert note.description == "avant" and note.is_done


def test_the_bulk_post_needs_the_csrf_token(rep):
    note = NoteFactory(assigned_to=rep)
    client = Client(enforce_csrf_checks=True)
    client.force_login(rep)
    assert client.post(NOTES_BULK, {"action": "done", "ids": [note.pk], "confirm": "1", "expected": "1"}
                       ).status_code == 403
    note.refresh_from_db()
    assert not note.is_done


def test_the_bulk_view_costs_the_same_queries_for_2_or_40_notes(rep_client, rep, django_assert_num_queries):
    few = [NoteFactory(assigned_to=rep).pk for _ in range(2)]
    many = [NoteFactory(assigned_to=rep).pk for _ in range(40)]
    # session, user, permissions, the request's transaction, the ids, a savepoint, the active
    # webhooks (api/bulk_events.py), the UPDATE, the history rows, the savepoint's release, the
    # transaction's end (the webhooks are remembered a second: forgotten before each post)
    forget_hooks()
    with django_assert_num_queries(11):
        rep_client.post(NOTES_BULK, {"action": "done", "ids": few, "confirm": "1", "expected": "2"})
    forget_hooks()
    with django_assert_num_queries(11):
        rep_client.post(NOTES_BULK, {"action": "done", "ids": many, "confirm": "1", "expected": "40"})


# Contacts ------------------------------------------------------------------------------------

def test_change_the_status_of_the_ticked_contacts(rep_client, rep):
    chosen = [ContactFactory(status="prospect") for _ in range(2)]
    other = ContactFactory(status="prospect")
    response = confirm(rep_client, CONTACTS_BULK, action="status", ids=[contact.pk for contact in chosen],
                       status="client")
    assert response.status_code == 302
    for contact in chosen:
        contact.refresh_from_db()
        assert contact.status == "client" and contact.version == 1
    other.refresh_from_db()
    assert other.status == "prospect" and other.version == 0
    assert len(bulk_history(Contact, [contact.pk for contact in chosen + [other]])) == 2
    assert "2 contacts sont maintenant « Client »." in rep_client.get(response["Location"]).content.decode()


@pytest.mark.skipif(not settings.PROSPECTION_ENABLED, reason="the account manager belongs to the prospection module")
def test_reassign_every_contact_of_a_departing_rep(manager_client, rep, colleague):
    theirs = [ContactFactory(account_manager=colleague) for _ in range(3)]
    kept = ContactFactory(account_manager=rep)
    response = confirm(manager_client, CONTACTS_BULK, action="account_manager", scope="all",
                       query=f"account_manager={colleague.pk}", account_manager=rep.pk)
    assert response.status_code == 302
    assert Contact.objects.filter(account_manager=rep).count() == 4
    assert len(bulk_history(Contact, [contact.pk for contact in theirs])) == 3
    kept.refresh_from_db()
    assert kept.version == 0


def test_one_unknown_contact_among_the_ids_changes_nothing(rep_client):
    contact = ContactFactory(status="prospect")
    response = rep_client.post(CONTACTS_BULK, {"action": "status", "ids": [contact.pk, 99999], "confirm": "1",
                                               "expected": "2", "status": "client"})
    assert response.status_code == 404
    contact.refresh_from_db()
    assert contact.status == "prospect"


def test_a_bad_status_is_refused_with_a_message(rep_client):
    contact = ContactFactory(status="prospect")
    response = rep_client.post(CONTACTS_BULK, {"action": "status", "ids": [contact.pk], "confirm": "1",
                                               "expected": "1", "status": "deleted"})
    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.status == "prospect" and contact.version == 0


def test_a_user_who_may_only_read_contacts_is_refused_and_sees_no_bulk_controls(db):
    reader = UserFactory(username="reader")
    reader.user_permissions.add(Permission.objects.get(codename="view_contact"))
    contact = ContactFactory(status="prospect")
    client = client_for(reader)
    assert 'data-testid="bulk-bar"' not in client.get("/contacts/").content.decode()
    response = client.post(CONTACTS_BULK, {"action": "status", "ids": [contact.pk], "confirm": "1",
                                           "expected": "1", "status": "client"})
    assert response.status_code == 403
    contact.refresh_from_db()
    assert contact.status == "prospect"


def test_the_contacts_list_offers_the_bulk_bar(rep_client):
    ContactFactory()
    page = rep_client.get("/contacts/").content.decode()
    assert 'data-testid="bulk-bar"' in page and 'name="ids"' in page
    assert ('value="account_manager"' in page) == settings.PROSPECTION_ENABLED


def test_a_contact_form_opened_before_a_bulk_change_is_refused(rep_client):
    contact = ContactFactory(name="Avant", status="prospect")
    form = rep_client.get(f"/contacts/{contact.pk}/edit/").context["form"]
    confirm(rep_client, CONTACTS_BULK, action="status", ids=[contact.pk], status="client")
    data = {name: form[name].value() or "" for name in form.fields}
    response = rep_client.post(f"/contacts/{contact.pk}/edit/", {**data, "name": "Écrasé"})
    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.name == "Avant" and contact.status == "client"


def test_a_hostile_query_is_re_encoded_in_the_way_back(rep_client, rep):
    NoteFactory(assigned_to=rep)
    response = rep_client.post(NOTES_BULK, {"action": "explode", "scope": "all",
                                            "query": "state=history\r\nSet-Cookie: x=1#//evil.example"})
    assert response.status_code == 302
    assert response["Location"].startswith("/notes/?state=history")
    assert "\n" not in response["Location"] and "//evil" not in response["Location"].split("?")[0]


def test_too_many_records_at_once_are_refused_with_a_message(rep_client, rep, monkeypatch):
    from crm import bulk

    monkeypatch.setattr(bulk, "MAX_RECORDS", 2)
    notes = [NoteFactory(assigned_to=rep) for _ in range(3)]
    response = rep_client.post(NOTES_BULK, {"action": "done", "scope": "all", "query": "", "confirm": "1",
                                            "expected": "3"})
    assert response.status_code == 302
    page = rep_client.get(response["Location"]).content.decode()
    assert "3 fiches correspondent à ces filtres" in page
    assert not Note.objects.filter(pk__in=[note.pk for note in notes], is_done=True).exists()
