"""In-place actions (issue 18): with htmx the item is redrawn, without it a redirect back; the version
shown is checked; « Noter un appel / un courriel » writes a done note."""

import datetime

import pytest
from django.urls import reverse

from notes.models import Note, NoteType
from tests.factories import ContactFactory, NoteFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def today():
    from django.utils import timezone

    return timezone.localdate()


def done_url(note):
    return reverse("notes:toggle_done", args=[note.pk])


def reschedule_url(note):
    return reverse("notes:reschedule", args=[note.pk])


@pytest.mark.parametrize(("shape", "container"), [
    ("row", "<article"), ("home", "<li"), ("cal", '<div class="cal-item"'), ("agenda", "<tr"),
])
def test_mark_done_with_htmx_answers_the_item_it_was_asked_from(rep_client, rep, shape, container):
    note = NoteFactory(assigned_to=rep, description="Rappeler Émilie")
    response = rep_client.post(done_url(note), {"version": 0, "done": "1", "shape": shape, "next": "/"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith(container)
    assert "Rappeler Émilie" in html and "Marquée terminée." in html and "<html" not in html
    note.refresh_from_db()
    assert note.is_done and note.done_at is not None and note.version == 1
    assert Note.history.filter(id=note.pk).count() == 2


def test_mark_done_without_htmx_redirects_back_to_the_page_and_its_filters(rep_client, rep):
    note = NoteFactory(assigned_to=rep)
    back = "/calendar/week/?date=2026-12-01&assignee=everyone&state=todo"
    response = rep_client.post(done_url(note), {"version": 0, "done": "1", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    note.refresh_from_db()
    assert note.is_done


def test_mark_not_done_is_a_state_so_a_second_click_changes_nothing(rep_client, rep):
    note = NoteFactory(assigned_to=rep, is_done=True)
    rep_client.post(done_url(note), {"version": 0, "done": "0"}, **HTMX)
    note.refresh_from_db()
    assert not note.is_done and note.done_at is None and note.version == 1


@pytest.mark.parametrize("htmx", [True, False])
def test_a_stale_version_is_refused_and_nothing_changes(rep_client, rep, htmx):
    note = NoteFactory(assigned_to=rep, description="Avant")
    note.description = "Changée par une collègue"
    note.save()  # version 1: the page showed version 0
    extra = HTMX if htmx else {}
    done = rep_client.post(done_url(note), {"version": 0, "done": "1", "shape": "home", "next": "/"}, **extra)
    moved = rep_client.post(reschedule_url(note), {"version": 0, "when": "tomorrow", "shape": "home", "next": "/"},
                            **extra)
    note.refresh_from_db()
    assert not note.is_done and note.date == today() and note.version == 1
    if htmx:
        assert done.status_code == moved.status_code == 409
        assert "Quelqu’un d’autre a modifié cette note" in done.content.decode()
        assert "Changée par une collègue" in moved.content.decode()  # shown as it is now
    else:
        assert done.status_code == 302 and done["Location"] == "/"
        page = rep_client.get("/").content.decode()
        assert "Quelqu’un d’autre a modifié cette note" in page


def test_an_action_without_a_version_other_than_done_is_refused(rep_client, rep):
    note = NoteFactory(assigned_to=rep)
    response = rep_client.post(reschedule_url(note), {"when": "tomorrow", "shape": "row"}, **HTMX)
    assert response.status_code == 422
    note.refresh_from_db()
    assert note.date == today() and note.version == 0


@pytest.mark.parametrize(("when", "days"), [("tomorrow", 1), ("next_week", 7)])
def test_reschedule_moves_the_action(rep_client, rep, when, days):
    note = NoteFactory(assigned_to=rep, date=today() - datetime.timedelta(days=3))
    response = rep_client.post(reschedule_url(note), {"version": 0, "when": when, "shape": "cal"}, **HTMX)
    assert response.status_code == 200 and "Reportée au" in response.content.decode()
    note.refresh_from_db()
    assert note.date == today() + datetime.timedelta(days=days) and note.version == 1


def test_reschedule_to_a_chosen_date_and_refuse_a_bad_one(rep_client, rep):
    note = NoteFactory(assigned_to=rep)
    chosen = today() + datetime.timedelta(days=10)
    rep_client.post(reschedule_url(note), {"version": 0, "when": "date", "date": chosen.isoformat()}, **HTMX)
    note.refresh_from_db()
    assert note.date == chosen
    for bad in ["", "pas une date", (today() - datetime.timedelta(days=1)).isoformat(), "2999-12-31"]:
        response = rep_client.post(reschedule_url(note), {"version": 1, "when": "date", "date": bad, "shape": "row"},
                                   **HTMX)
        assert response.status_code == 422, bad
        assert 'role="alert"' in response.content.decode()
    note.refresh_from_db()
    assert note.date == chosen and note.version == 1


def test_a_done_note_is_not_rescheduled(rep_client, rep):
    note = NoteFactory(assigned_to=rep, is_done=True)
    response = rep_client.post(reschedule_url(note), {"version": 0, "when": "tomorrow"}, **HTMX)
    assert response.status_code == 422
    note.refresh_from_db()
    assert note.date == today()


def test_a_note_the_user_may_not_see_is_404_and_unchanged(rep_client, rep):
    secret = NoteFactory(admin_only=True)
    for url, data in [(done_url(secret), {"version": 0, "done": "1"}),
                      (reschedule_url(secret), {"version": 0, "when": "tomorrow"})]:
        assert rep_client.post(url, data, **HTMX).status_code == 404
    assert rep_client.get(reverse("notes:actions", args=[secret.pk]), **HTMX).status_code == 404
    secret.refresh_from_db()
    assert not secret.is_done and secret.version == 0


def test_a_change_saved_between_reading_and_writing_is_refused_and_writes_nothing(rep):
    from django.db import connection

    from crm.concurrency import StaleEdit
    from notes import quick

    note = NoteFactory(assigned_to=rep)
    read = Note.objects.select_related("contact", "type", "assigned_to").get(pk=note.pk)
    Note.objects.filter(pk=note.pk).update(description="Changed by someone else", version=1)
    with pytest.raises(StaleEdit):
        quick.set_done(read, done=True, version=0)
    assert not connection.needs_rollback  # the request can still read the note to show it
    note.refresh_from_db()
    assert not note.is_done and note.description == "Changed by someone else" and note.version == 1
    assert Note.history.filter(id=note.pk).count() == 1


def test_a_user_without_the_permission_cannot_act(outsider_client):
    note = NoteFactory()
    assert outsider_client.post(done_url(note), {"version": 0, "done": "1"}).status_code == 403
    assert outsider_client.post(reschedule_url(note), {"version": 0, "when": "tomorrow"}).status_code == 403


def test_actions_refuse_get(rep_client, rep):
    note = NoteFactory(assigned_to=rep)
    assert rep_client.get(reschedule_url(note)).status_code == 405
    assert rep_client.get(reverse("notes:log", args=[note.contact_id])).status_code == 405


def test_an_action_costs_a_few_queries(rep_client, rep, django_assert_num_queries):
    note = NoteFactory(assigned_to=rep)
    rep_client.get("/")  # the session is warm
    # session, user, permissions, the note; the request's savepoint (the test's transaction holds
    # it: 2 queries), the conditional update, the history row. No row lock, no savepoint of its own.
    with django_assert_num_queries(8):
        rep_client.post(done_url(note), {"version": 0, "done": "1", "shape": "home"}, **HTMX)


# The action menu -------------------------------------------------------------------------------

def test_the_menu_opens_in_place_with_htmx_and_as_a_page_without(rep_client, rep):
    note = NoteFactory(assigned_to=rep, contact=ContactFactory(name="Atelier Lavoie"))
    url = reverse("notes:actions", args=[note.pk])
    fragment = rep_client.get(url, {"shape": "cal"}, HTTP_HX_CURRENT_URL="http://testserver/calendar/?assignee=everyone",
                              **HTMX).content.decode()
    assert fragment.startswith('<div class="cal-item"') and 'data-testid="quick-menu"' in fragment
    assert 'name="next" value="/calendar/?assignee=everyone"' in fragment
    assert "Noter un appel ou un courriel avec Atelier Lavoie" in fragment
    closed = rep_client.get(url, {"shape": "cal", "close": "1"}, **HTMX).content.decode()
    assert "quick-menu" not in closed
    page = rep_client.get(url, {"next": "/calendar/week/?date=2026-12-01"}).content.decode()
    assert "<html" in page and 'name="next" value="/calendar/week/?date=2026-12-01"' in page


def test_the_menu_page_does_not_send_the_user_off_site(rep_client, rep):
    note = NoteFactory(assigned_to=rep)
    page = rep_client.get(reverse("notes:actions", args=[note.pk]), {"next": "https://evil.example/"}).content.decode()
    assert 'value="https://evil.example/"' not in page and 'href="https://evil.example/"' not in page


# « Noter un appel / un courriel » --------------------------------------------------------------

def call_type():
    return NoteType.objects.get(label_en="Phone call")


def selected_log_type(html: str) -> str:
    """The label of the type the log form preselects."""
    import re

    select = re.search(r'<select[^>]*name="type" id="log-type[^>]*>(.*?)</select>', html, re.S).group(1)
    chosen = re.search(r'<option value="\d+" selected>([^<]*)</option>', select)
    return chosen.group(1) if chosen else ""


def test_the_log_form_of_the_notes_tab_preselects_the_call_type_not_the_default(rep_client, contact):
    html = rep_client.get(contact.get_absolute_url() + "?tab=notes").content.decode()
    assert NoteType.objects.get(is_default=True).label_fr == "Note"
    assert selected_log_type(html) == "Appel téléphonique"


def test_the_menu_of_an_e_mail_to_send_preselects_the_e_mail_type(rep_client, rep):
    e_mail = NoteType.objects.get(kind=NoteType.Kind.EMAIL)
    to_send = NoteFactory(assigned_to=rep, type=e_mail)
    to_call = NoteFactory(assigned_to=rep)
    menu = reverse("notes:actions", args=[to_send.pk])
    assert selected_log_type(rep_client.get(menu, {"shape": "home"}, **HTMX).content.decode()) == "Envoi courriel"
    other = rep_client.get(reverse("notes:actions", args=[to_call.pk]), {"shape": "home"}, **HTMX).content.decode()
    assert selected_log_type(other) == "Appel téléphonique"


def test_the_preselected_type_follows_its_kind_not_its_label(rep_client, contact):
    call = call_type()
    call.label_fr, call.label_en = "Coup de fil", "Ring"
    call.save()
    url = contact.get_absolute_url() + "?tab=notes"
    assert selected_log_type(rep_client.get(url).content.decode()) == "Coup de fil"
    call.kind = NoteType.Kind.OTHER
    call.save()
    NoteType.objects.filter(label_en="Meeting").update(kind=NoteType.Kind.CALL)
    assert selected_log_type(rep_client.get(url).content.decode()) == "Rendez-vous"


def test_without_an_active_call_type_the_default_type_is_preselected(rep_client, contact):
    NoteType.objects.filter(kind=NoteType.Kind.CALL).update(is_active=False)
    assert selected_log_type(rep_client.get(contact.get_absolute_url() + "?tab=notes").content.decode()) == "Note"


def test_only_one_type_is_logged_as_a_call(admin_client):
    meeting = NoteType.objects.get(label_en="Meeting")
    response = admin_client.post(reverse("admin:notes_notetype_change", args=[meeting.pk]), {
        "label_fr": meeting.label_fr, "label_en": meeting.label_en, "order": meeting.order, "is_active": "on",
        "kind": "call"})
    assert response.status_code == 200
    assert "Un autre type est déjà noté ainsi" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.kind == ""


def test_log_a_call_creates_a_done_note_on_the_contact(rep_client, rep, contact):
    response = rep_client.post(reverse("notes:log", args=[contact.pk]),
                               {"type": call_type().pk, "text": "Laissé un message", "shape": "row"}, **HTMX)
    html = response.content.decode()
    note = Note.objects.get(contact=contact)
    assert note.is_done and note.done_at is not None and note.date == today()
    assert note.assigned_to == rep and note.created_by == rep and note.type == call_type()
    assert note.description == "Laissé un message" and not note.admin_only
    assert "Noté : Appel téléphonique, Boulangerie Saint-Roch." in html
    assert 'hx-swap-oob="afterbegin:#contact-notes-list"' in html and f'id="note-{note.pk}"' in html
    assert Note.history.filter(id=note.pk).count() == 1


def test_log_without_htmx_redirects_back(rep_client, contact):
    response = rep_client.post(reverse("notes:log", args=[contact.pk]),
                               {"type": call_type().pk, "text": "Courriel envoyé", "next": "/?x=1"})
    assert response.status_code == 302 and response["Location"] == "/?x=1"
    assert Note.objects.filter(contact=contact, is_done=True).count() == 1


@pytest.mark.parametrize("data", [{"text": ""}, {"text": "x" * 501}, {"text": "ok", "type": "999999"},
                                  {"text": "ok", "type": "abc"}])
def test_log_refuses_bad_input_and_writes_nothing(rep_client, contact, data):
    response = rep_client.post(reverse("notes:log", args=[contact.pk]), {"type": call_type().pk, **data}, **HTMX)
    assert response.status_code == 422 and 'role="alert"' in response.content.decode()
    assert not Note.objects.filter(contact=contact).exists()


def test_log_needs_the_permission_to_add_notes(outsider_client, contact):
    response = outsider_client.post(reverse("notes:log", args=[contact.pk]), {"type": call_type().pk, "text": "x"})
    assert response.status_code == 403
    assert not Note.objects.filter(contact=contact).exists()


def test_log_on_a_contact_that_does_not_exist_is_404(rep_client):
    assert rep_client.post(reverse("notes:log", args=[999999]), {"type": call_type().pk, "text": "x"}).status_code == 404


# Where the actions are shown -------------------------------------------------------------------

def test_home_items_carry_their_actions_with_the_version(rep_client, rep):
    note = NoteFactory(assigned_to=rep, description="À faire aujourd’hui")
    html = rep_client.get("/").content.decode()
    assert f'hx-post="{done_url(note)}"' in html and 'name="version" value="0"' in html
    assert "Marquer terminée" in html and "Demain" in html


def test_calendar_entries_open_the_note_and_offer_the_menu(rep_client, rep):
    note = NoteFactory(assigned_to=rep)
    for name in ["calendar:month", "calendar:week", "calendar:agenda", "calendar:day"]:
        html = rep_client.get(reverse(name)).content.decode()
        assert f'href="{note.get_absolute_url()}"' in html, name
        assert f'hx-get="{reverse("notes:actions", args=[note.pk])}?shape=' in html, name


def test_notes_tab_rows_offer_reschedule_and_the_log_form(rep_client, rep):
    note = NoteFactory(assigned_to=rep)
    html = rep_client.get(note.contact.get_absolute_url() + "?tab=notes").content.decode()
    assert f'action="{reschedule_url(note)}"' in html and 'data-testid="quick-log"' in html
    assert 'id="contact-notes-list"' in html
