"""Home page "my day": overdue, today, next 7 days, pinned; each links to its contact."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notes.models import Note
from tests.factories import ContactFactory, NoteFactory, days_from_today

pytestmark = pytest.mark.django_db


def panel(response, key):
    return next(item["data"] for item in response.context["panels"] if item["panel"].key == key)


def descriptions(data):
    return [note.description for note in data["notes"]]


def test_my_day_sorts_my_actions_into_panels(rep, rep_client, manager):
    contact = ContactFactory(name="Atelier Lavoie")
    NoteFactory(contact=contact, assigned_to=rep, date=days_from_today(-2), description="late")
    NoteFactory(contact=contact, assigned_to=rep, date=days_from_today(0), description="today")
    NoteFactory(contact=contact, assigned_to=rep, date=days_from_today(3), description="soon")
    NoteFactory(contact=contact, assigned_to=rep, date=days_from_today(9), description="later")
    NoteFactory(contact=contact, assigned_to=rep, date=days_from_today(-1), is_done=True, description="done")
    NoteFactory(contact=contact, assigned_to=manager, date=days_from_today(-1), description="not mine")
    NoteFactory(contact=contact, assigned_to=rep, is_pinned=True, is_done=True, description="pinned")

    response = rep_client.get(reverse("home"))
    assert descriptions(panel(response, "overdue")) == ["late"]
    assert descriptions(panel(response, "today")) == ["today"]
    assert descriptions(panel(response, "next-days")) == ["soon"]
    assert descriptions(panel(response, "pinned")) == ["pinned"]
    page = response.content.decode()
    assert "Mes actions en retard" in page and "7 prochains jours" in page and "Notes épinglées" in page
    assert contact.get_absolute_url() in page


def test_pinned_notes_of_contacts_i_manage_show_too(rep, rep_client, manager, settings):
    settings.PROSPECTION_ENABLED = True  # off, nobody manages a contact (test_module_off_account_manager.py)
    mine = ContactFactory(account_manager=rep)
    NoteFactory(contact=mine, assigned_to=manager, is_pinned=True, description="on my contact")
    assert descriptions(panel(rep_client.get(reverse("home")), "pinned")) == ["on my contact"]


def test_empty_day_says_so(rep_client):
    assert "Rien en retard. Bravo !" in rep_client.get(reverse("home")).content.decode()


def test_home_costs_the_same_with_many_notes(rep, rep_client, django_assert_num_queries):
    contact = ContactFactory(account_manager=rep)
    NoteFactory(contact=contact, assigned_to=rep, date=days_from_today(-1))
    with CaptureQueriesContext(connection) as few:
        rep_client.get(reverse("home"))
    # Session, user, permissions, then one query per panel.
    assert len(few.captured_queries) <= 12
    Note.objects.bulk_create(
        NoteFactory.build(contact=contact, assigned_to=rep, created_by=rep, date=days_from_today(day % 15 - 7),
                          is_pinned=day % 3 == 0)
        for day in range(600)
    )
    with django_assert_num_queries(len(few.captured_queries)):
        response = rep_client.get(reverse("home"))
    assert panel(response, "overdue")["has_more"]
    assert "Et plus…" in response.content.decode()


def test_a_user_without_access_to_a_module_gets_no_panel_for_it(outsider_client):
    keys = [item["panel"].key for item in outsider_client.get(reverse("home")).context["panels"]]
    assert "prospection" not in keys
