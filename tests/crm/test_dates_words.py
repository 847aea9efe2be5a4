"""Dates, the pinned badge, the favicon, the admin's name and the group names, as users read them.

French writes the first of a month « 1er décembre 2026 » (and « 2 décembre » the next
day); English writes dates nobody can read two ways: 2026-12-01 in tables and forms,
1 Dec 2026 in text — never 12/01/2026 nor Dec. 1, 2026.
"""

import datetime
import re
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from crm import formatting
from crm.permissions import MANAGERS, SALES_REPS
from notes.models import CalendarFeed
from tests.conftest import client_for
from tests.crm.urlwalk import walk
from tests.factories import ContactPersonFactory, NoteFactory, UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date
FIRST, SECOND = D(2026, 12, 1), D(2026, 12, 2)
# What an English reader could take two ways, or what Django's English writes by default.
SLASHED = re.compile(r"\d{1,2}/\d{1,2}/\d{4}")
ABBREVIATED = re.compile(r"[A-Z][a-z]{2}\. \d")


def text_of(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode("utf-8", "replace")


# The one function --------------------------------------------------------------

@pytest.mark.parametrize("language, day, fmt, expected", [
    ("fr", FIRST, "DATE_FORMAT", "1er décembre 2026"),
    ("fr", SECOND, "DATE_FORMAT", "2 décembre 2026"),
    ("fr", D(2027, 3, 11), "DATE_FORMAT", "11 mars 2027"),
    ("fr", FIRST, "MONTH_DAY_FORMAT", "1er décembre"),
    ("fr", FIRST, "SHORT_DATE_FORMAT", "01/12/2026"),
    ("fr", FIRST, r"l j F Y", "mardi 1er décembre 2026"),
    ("en", FIRST, "DATE_FORMAT", "1 Dec 2026"),
    ("en", D(2026, 11, 28), "DATE_FORMAT", "28 Nov 2026"),
    ("en", FIRST, "SHORT_DATE_FORMAT", "2026-12-01"),
    ("en", FIRST, "MONTH_DAY_FORMAT", "1 December"),
])
def test_format_date_writes_1er_on_the_first_in_french_only(language, day, fmt, expected):
    assert formatting.format_date(day, fmt, language=language) == expected


def test_format_date_shows_datetimes_in_local_time():
    # 03:30 UTC on 1 December is still 30 November in Toronto.
    moment = datetime.datetime(2026, 12, 1, 3, 30, tzinfo=datetime.UTC)
    assert formatting.format_date(moment, language="fr") == "30 novembre 2026"
    assert formatting.format_date(moment, "SHORT_DATETIME_FORMAT", language="en") == "2026-11-30 10:30 p.m."
    assert formatting.format_date(None) == ""


def test_english_forms_accept_the_dates_they_show(rep):
    from notes.forms import NoteForm

    field = NoteForm.base_fields["date"]
    with translation.override("en"):
        assert field.clean("2026-12-01") == FIRST
        assert field.clean("1 Dec 2026") == FIRST
        assert field.widget.format_value(FIRST) == "2026-12-01"
    with translation.override("fr"):
        assert field.clean("01/12/2026") == FIRST
        assert field.clean("2026-12-01") == FIRST


# « 1er » where users read it -------------------------------------------------------

def test_contact_file_writes_1er_on_a_note_of_the_first(rep_client, rep, contact):
    NoteFactory(contact=contact, assigned_to=rep, date=FIRST, description="Premier")
    NoteFactory(contact=contact, assigned_to=rep, date=SECOND, description="Deuxième")
    html = rep_client.get(contact.get_absolute_url(), {"tab": "notes"}).content.decode()
    assert "1er décembre 2026" in html
    assert "2 décembre 2026" in html and "2er" not in html
    assert ">1 décembre" not in html


def test_calendar_writes_1er_on_the_first(rep_client, rep):
    NoteFactory(assigned_to=rep, date=FIRST)
    month = rep_client.get(reverse("calendar:month"), {"date": "2026-12-15"}).content.decode()
    assert ">1er décembre<" in month
    assert ">2<" in month and "2er" not in month
    day = rep_client.get(reverse("calendar:day"), {"date": "2026-12-01"}).content.decode()
    assert ">Mardi 1er décembre 2026</h1>" in day
    day = rep_client.get(reverse("calendar:day"), {"date": "2026-12-02"}).content.decode()
    assert ">Mercredi 2 décembre 2026</h1>" in day
    week = rep_client.get(reverse("calendar:week"), {"date": "2027-03-03"}).content.decode()
    assert "1er – 7 mars 2027" in week
    assert ">Lun 1er<" in week and ">Mar 2<" in week


def test_calendar_headings_in_english_put_the_day_first(rep):
    client = client_for(rep, "en")
    week = client.get(reverse("calendar:week"), {"date": "2026-12-02"}).content.decode()
    assert "29 November – 5 December 2026" in week
    week = client.get(reverse("calendar:week"), {"date": "2026-12-30"}).content.decode()
    assert "27 December 2026 – 2 January 2027" in week
    week = client.get(reverse("calendar:week"), {"date": "2026-11-25"}).content.decode()
    assert "22 – 28 November 2026" in week
    day = client.get(reverse("calendar:day"), {"date": "2026-12-01"}).content.decode()
    assert ">Tuesday 1 December 2026</h1>" in day


def test_reminder_e_mail_writes_1er_on_the_first(rep):
    NoteFactory(assigned_to=rep, date=FIRST, description="Rappeler le client")
    call_command("send_followup_reminders", "--date", "2026-12-01", stdout=StringIO())
    (message,) = mail.outbox
    parts = [message.body] + [content for content, _type in getattr(message, "alternatives", [])]
    for body in parts:
        assert "1er décembre 2026" in body
        assert "1 décembre" not in body


def test_reminder_e_mail_on_the_second_has_no_ordinal(rep):
    NoteFactory(assigned_to=rep, date=SECOND, description="Rappeler le client")
    call_command("send_followup_reminders", "--date", "2026-12-02", stdout=StringIO())
    (message,) = mail.outbox
    assert "2 décembre 2026" in message.body and "2er" not in message.body


def test_english_reminder_e_mail_writes_1_dec_2026(db):
    from crm.models import Profile

    anna = UserFactory(username="anna", first_name="Anna", groups=[SALES_REPS])
    Profile.objects.create(user=anna, language="en")
    NoteFactory(assigned_to=anna, date=D(2026, 11, 28))
    call_command("send_followup_reminders", "--date", "2026-12-01", stdout=StringIO())
    (message,) = mail.outbox
    assert "as of 1 Dec 2026" in message.body and "28 Nov 2026" in message.body
    assert not SLASHED.search(message.body) and not ABBREVIATED.search(message.body)


# English dates on every page ---------------------------------------------------

@pytest.fixture
def dated_world(rep, manager):
    """A contact, its people, notes on the 28th and the 1st, an opportunity and a feed, in every page."""
    person = ContactPersonFactory(contact__name="Atelier Lavoie")
    contact = person.contact
    note = NoteFactory(contact=contact, assigned_to=rep, date=D(2026, 11, 28), time=datetime.time(14, 30),
                       is_pinned=True)
    NoteFactory(contact=contact, assigned_to=manager, date=FIRST, admin_only=True)
    NoteFactory(contact=contact, assigned_to=rep, date=timezone.localdate(), is_done=True)
    CalendarFeed.objects.create(user=manager)
    admin = UserFactory(username="boss", is_staff=True, is_superuser=True, groups=[MANAGERS])
    values = {"/contacts/|pk": contact.pk, "/contacts/|contact_pk": contact.pk, "/contacts/|person_pk": person.pk,
              "/notes/|pk": note.pk, "/prospection/contacts/|contact_pk": contact.pk,
              "/admin/notes/note/|object_id": note.pk, "/admin/contacts/contact/|object_id": contact.pk,
              "/admin/contacts/contactperson/|object_id": person.pk, "/admin/auth/user/|object_id": rep.pk,
              "/admin/notes/calendarfeed/|object_id": manager.calendar_feed.pk,
              "/admin/auth/group/|object_id": Group.objects.get(name=MANAGERS).pk}
    if settings.PROSPECTION_ENABLED:
        from tests.prospection.factories import OpportunityFactory

        opportunity = OpportunityFactory(contact=contact, expected_close_date=FIRST)
        values["/prospection/|pk"] = opportunity.pk
        values["/admin/prospection/opportunity/|object_id"] = opportunity.pk
    return {"values": values, "admin": admin, "contact": contact}


def pages_in_english(user, values):
    client = client_for(user, "en")
    for url, _view, name in walk(values):
        for params in ({}, {"tab": "notes"}, {"tab": "history"}):
            if params and name != "contacts:detail":
                continue
            response = client.get(url, params)
            if response.status_code == 200:
                yield url, params, text_of(response)


def test_english_pages_write_unambiguous_dates(dated_world, manager):
    walked = 0
    for user in (manager, dated_world["admin"]):
        for url, params, text in pages_in_english(user, dated_world["values"]):
            text = re.sub(r"<script\b.*?</script>", "", text, flags=re.S)
            assert not SLASHED.search(text), f"{url} {params}: {SLASHED.search(text).group()}"
            assert not ABBREVIATED.search(text), f"{url} {params}: {ABBREVIATED.search(text).group()}"
            walked += 1
    assert walked > 40


def test_english_tables_and_cards_show_iso_and_day_month_year(dated_world, manager):
    client = client_for(manager, "en")
    contact = dated_world["contact"]
    notes = client.get(contact.get_absolute_url(), {"tab": "notes"}).content.decode()
    assert "28 Nov 2026 · 2:30 p.m." in notes and "1 Dec 2026" in notes
    listing = client.get(reverse("contacts:list")).content.decode()
    assert timezone.localdate().isoformat() in listing  # the "updated" column
    feed = client.get(reverse("calendar:feed_settings")).content.decode()
    assert f"Created on {formatting.format_date(timezone.localdate(), language='en')}." in feed


# The pinned badge ----------------------------------------------------------------

PINNED_BADGE = re.compile(r'<span class="badge [^"]*"[^>]*><i class="bi bi-pin-angle-fill" aria-hidden="true"></i> (\w+)</span>')


@pytest.mark.parametrize("language, words", [("fr", "Épinglée"), ("en", "Pinned")])
def test_pinned_note_wears_a_badge_with_words(rep, contact, language, words):
    NoteFactory(contact=contact, assigned_to=rep, is_pinned=True, description="Épinglée là")
    NoteFactory(contact=contact, assigned_to=rep, description="Pas épinglée")
    html = client_for(rep, language).get(contact.get_absolute_url(), {"tab": "notes"}).content.decode()
    assert PINNED_BADGE.findall(html) == [words]


# Favicon ---------------------------------------------------------------------------

def test_favicon_answers_anonymous_visitors(client, db):
    response = client.get("/favicon.ico")
    if response.status_code in (301, 302):
        response = client.get(response["Location"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content])[:4] == b"\0\0\1\0"


@pytest.mark.parametrize("url", ["/login/", "/nowhere/", "/admin/login/"])
def test_every_page_links_the_favicon(client, db, url):
    html = client.get(url).content.decode()
    head = html[:html.index("</head>")]
    assert re.search(r'<link rel="icon" href="[^"]*favicon\.ico" sizes="32x32">', head), url
    assert re.search(r'<link rel="icon" href="[^"]*\.svg" type="image/svg\+xml">', head), url


def test_signed_in_pages_link_the_favicon(rep_client):
    head = rep_client.get(reverse("home")).content.decode().split("</head>")[0]
    assert "favicon.ico" in head and 'type="image/svg+xml"' in head


def test_error_pages_without_the_base_link_the_favicon():
    from django.template.loader import render_to_string

    for name in ("500.html", "503.html"):
        assert "favicon.ico" in render_to_string(name).split("</head>")[0], name


# The admin's name ------------------------------------------------------------------

def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


@pytest.mark.parametrize("language, index_title", [("fr", "Utilisateurs, listes et fiches"), ("en", "Users, lists and records")])
def test_admin_is_branded_relance(db, language, index_title):
    boss = UserFactory(username="boss", is_staff=True, is_superuser=True)
    html = client_for(boss, language).get("/admin/").content.decode()
    assert "Relance — administration" in html
    assert "Django" not in html
    assert title(html) == f"{index_title} · Relance — administration"
    login = Client(HTTP_ACCEPT_LANGUAGE=language).get("/admin/login/").content.decode()
    assert "Relance — administration" in title(login) and "Django" not in login


def test_every_admin_page_title_names_the_app(dated_world):
    client = client_for(dated_world["admin"], "fr")
    checked = 0
    for url, _view, name in walk(dated_world["values"]):
        if not name.startswith("admin:"):
            continue
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            html = text_of(response)
            if "<title>" in html:
                # The password pages are the app's own (templates/registration/): « … · Relance ».
                assert title(html).endswith(("· Relance — administration", "· Relance")), f"{url}: {title(html)}"
                assert "Django" not in title(html), url
                checked += 1
    assert checked > 20


# Group names in French -------------------------------------------------------------

def test_group_names_are_translated_where_the_admin_shows_them(db):
    boss = UserFactory(username="boss", is_staff=True, is_superuser=True)
    rep = UserFactory(username="luc", groups=[SALES_REPS])
    client = client_for(boss, "fr")
    groups = client.get(reverse("admin:auth_group_changelist")).content.decode()
    assert ">Gestionnaires<" in groups and ">Représentants<" in groups
    users = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "Gestionnaires" in users and "Représentants" in users  # the "by group" filter and the column
    form = client.get(reverse("admin:auth_user_change", args=[rep.pk])).content.decode()
    assert re.search(r'<option value="\d+" selected>Représentants</option>', form)
    assert re.search(r'<option value="\d+">Gestionnaires</option>', form)
    english = client_for(boss, "en").get(reverse("admin:auth_group_changelist")).content.decode()
    assert ">Managers<" in english and ">Sales reps<" in english
    # The database keeps the names the code looks the groups up by.
    assert set(Group.objects.values_list("name", flat=True)) >= {MANAGERS, SALES_REPS}
