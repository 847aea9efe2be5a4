"""The Notes tab of a contact file: order, states told apart, filters, pagination, cost."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from notes.models import Note, NoteType
from tests.conftest import client_for
from tests.factories import NoteFactory, days_from_today

pytestmark = pytest.mark.django_db


def notes_tab(client, contact, **params):
    return client.get(contact.get_absolute_url(), {"tab": "notes", **params})


def shown_descriptions(response):
    return [note.description for note in response.context["tab_context"]["page"]]


def test_add_a_note_button_is_on_the_file(rep_client, contact):
    page = notes_tab(rep_client, contact).content.decode()
    assert "Ajouter une note" in page
    assert reverse("notes:create", args=[contact.pk]) in page


ACTIONS = ["notes:toggle_done", "notes:toggle_pin", "notes:update", "notes:delete"]


def test_each_note_row_links_to_its_own_actions(rep_client, contact):
    notes = NoteFactory.create_batch(3, contact=contact)
    page = notes_tab(rep_client, contact).content.decode()
    for note in notes:
        for name in ACTIONS:
            assert f'"{reverse(name, args=[note.pk])}"' in page


def test_a_reader_gets_no_action_on_the_rows(outsider, contact):
    outsider.user_permissions.add(*Permission.objects.filter(codename__in=["view_contact", "view_note"]))
    note = NoteFactory(contact=contact, description="Lue seulement")
    page = notes_tab(client_for(outsider), contact).content.decode()
    assert "Lue seulement" in page
    assert not any(reverse(name, args=[note.pk]) in page for name in ACTIONS)


def test_pinned_first_then_newest_first(rep_client, contact):
    NoteFactory(contact=contact, date=days_from_today(-10), description="old")
    NoteFactory(contact=contact, date=days_from_today(-1), description="recent")
    NoteFactory(contact=contact, date=days_from_today(-30), description="old but pinned", is_pinned=True)
    NoteFactory(contact=contact, date=days_from_today(5), description="planned")
    assert shown_descriptions(notes_tab(rep_client, contact)) == ["old but pinned", "planned", "recent", "old"]


def test_history_follow_up_and_overdue_are_told_apart(rep_client, contact):
    NoteFactory(contact=contact, is_done=True, description="Ma note d’historique – discussion de projet")
    NoteFactory(contact=contact, date=days_from_today(14), description="Rappeler le client")
    NoteFactory(contact=contact, date=days_from_today(-2), description="Oubliée")
    page = notes_tab(rep_client, contact).content.decode()
    assert page.count('data-state="history"') == 1
    assert page.count('data-state="follow_up"') == 1
    assert page.count('data-state="overdue"') == 1
    assert "Note d’historique" in page and "Note de relance" in page and "En retard" in page


def test_filters_by_state_and_type(rep_client, contact):
    call = NoteType.objects.get(label_en="Phone call")
    NoteFactory(contact=contact, is_done=True, description="done call", type=call)
    NoteFactory(contact=contact, date=days_from_today(3), description="planned meeting")
    NoteFactory(contact=contact, date=days_from_today(-3), description="late meeting")
    assert shown_descriptions(notes_tab(rep_client, contact, state="history")) == ["done call"]
    assert shown_descriptions(notes_tab(rep_client, contact, state="follow_up")) == ["planned meeting"]
    assert shown_descriptions(notes_tab(rep_client, contact, state="overdue")) == ["late meeting"]
    assert set(shown_descriptions(notes_tab(rep_client, contact, state="todo"))) == {"planned meeting", "late meeting"}
    assert shown_descriptions(notes_tab(rep_client, contact, type=call.pk)) == ["done call"]


@pytest.mark.parametrize("params", [{"state": "bogus"}, {"type": "abc"}, {"type": "999999"}, {"page": "x"}, {"page": "-5"}])
def test_bad_filter_values_never_break_the_page(rep_client, contact, params):
    NoteFactory(contact=contact)
    assert notes_tab(rep_client, contact, **params).status_code == 200


def test_notes_are_paginated(rep_client, contact, rep):
    Note.objects.bulk_create(
        NoteFactory.build(contact=contact, assigned_to=rep, created_by=rep, description=f"n{i}") for i in range(45)
    )
    first = notes_tab(rep_client, contact)
    assert len(shown_descriptions(first)) == 20
    assert "Page 1 sur 3" in first.content.decode()
    assert len(shown_descriptions(notes_tab(rep_client, contact, page=3))) == 5
    assert len(shown_descriptions(notes_tab(rep_client, contact, page=99))) == 5


def test_description_keeps_line_breaks_and_links_are_safe(rep_client, contact):
    NoteFactory(contact=contact, description="Accès :\nhttps://example.com/ftp\n<script>alert(1)</script>\njavascript:alert(2)")
    page = notes_tab(rep_client, contact).content.decode()
    assert '<a href="https://example.com/ftp" rel="nofollow">https://example.com/ftp</a>' in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="javascript:' not in page


def test_contact_file_costs_the_same_with_2_or_2000_notes(rep_client, contact, rep, django_assert_num_queries):
    Note.objects.bulk_create(NoteFactory.build(contact=contact, assigned_to=rep, created_by=rep) for _ in range(2))
    with django_assert_num_queries(8) as few:
        notes_tab(rep_client, contact)
    Note.objects.bulk_create(NoteFactory.build(contact=contact, assigned_to=rep, created_by=rep) for _ in range(1998))
    with django_assert_num_queries(len(few.captured_queries)):
        response = notes_tab(rep_client, contact)
    assert response.context["tab_context"]["page"].paginator.count == 2000


def test_a_row_escapes_what_users_typed_and_links_web_addresses(rep_client, contact, rep):
    rep.first_name, rep.last_name = "<b>Luc</b>", "Gagnon"
    rep.save()
    note = NoteFactory(contact=contact, assigned_to=rep, is_pinned=True, time=datetime.time(9, 30),
                       description='<script>alert("x")</script> voir https://exemple.example/offre')
    page = notes_tab(rep_client, contact).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert '<a href="https://exemple.example/offre" rel="nofollow">https://exemple.example/offre</a>' in page
    assert "assignée à &lt;b&gt;Luc&lt;/b&gt; Gagnon" in page  # the note is « assignée »
    assert f'id="note-{note.pk}"' in page and " · 09:30" in page and '</i> Épinglée</span>' in page
