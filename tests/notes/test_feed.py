"""The private iCalendar feed and the page that creates, replaces and revokes its address."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from crm.models import Profile
from crm.permissions import MANAGERS, SALES_REPS
from notes.feed import fold_line, ics_text
from notes.models import CalendarFeed, NoteType
from tests.factories import ContactFactory, NoteFactory, UserFactory, days_from_today

TORONTO = ZoneInfo("America/Toronto")


def fetch(token: str):
    """The feed as a calendar app gets it: no session, no cookie."""
    return Client().get(reverse("calendar:feed", args=[token]))


def uid(note) -> str:
    """A note's UID carries the site's host (SITE_URL is http://127.0.0.1:8000 in tests)."""
    return f"note-{note.pk}@127.0.0.1"


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> dict:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def rep_feed(rep):
    return CalendarFeed.rotate(rep)


# The settings page ---------------------------------------------------------------

def test_rep_creates_copies_replaces_and_revokes_the_address(rep_client, rep):
    html = rep_client.get(reverse("calendar:feed_settings")).content.decode()
    assert "Créer mon adresse privée" in html

    response = rep_client.post(reverse("calendar:feed_create"), follow=True)
    feed = CalendarFeed.objects.get(user=rep)
    html = response.content.decode()
    assert "Votre adresse privée de calendrier a été créée." in html
    assert f'value="http://127.0.0.1:8000/calendar/feed/{feed.token}.ics"' in html
    assert 'data-copy-target="feed-url"' in html
    assert f'href="webcal://127.0.0.1:8000/calendar/feed/{feed.token}.ics"' in html
    assert fetch(feed.token).status_code == 200

    old_token = feed.token
    response = rep_client.post(reverse("calendar:feed_create"), follow=True)
    feed.refresh_from_db()
    assert feed.token != old_token
    assert "l’ancienne ne fonctionne plus" in response.content.decode()
    assert fetch(old_token).status_code == 404
    assert fetch(feed.token).status_code == 200

    response = rep_client.post(reverse("calendar:feed_revoke"), follow=True)
    assert not CalendarFeed.objects.filter(user=rep).exists()
    assert "a été révoquée" in response.content.decode()
    assert fetch(feed.token).status_code == 404


def test_calendar_page_links_to_the_subscription_page(rep_client):
    html = rep_client.get(reverse("calendar:month")).content.decode()
    assert f'href="{reverse("calendar:feed_settings")}"' in html


def test_tokens_are_long_and_different(rep, manager):
    first, second = CalendarFeed.rotate(rep), CalendarFeed.rotate(manager)
    assert len(first.token) >= 40 and first.token != second.token


@pytest.mark.parametrize("name", ["calendar:feed_create", "calendar:feed_revoke"])
def test_changes_need_a_post(rep_client, name):
    assert rep_client.get(reverse(name)).status_code == 405


@pytest.mark.parametrize("name", ["calendar:feed_create", "calendar:feed_revoke"])
def test_changes_are_csrf_protected(rep, rep_feed, name):
    client = Client(enforce_csrf_checks=True)
    client.force_login(rep)
    assert client.post(reverse(name)).status_code == 403
    assert CalendarFeed.objects.get(user=rep).token == rep_feed.token


@pytest.mark.parametrize("name", ["calendar:feed_create", "calendar:feed_revoke"])
def test_outsider_cannot_create_an_address(outsider_client, outsider, name):
    assert outsider_client.post(reverse(name)).status_code == 403
    assert not CalendarFeed.objects.filter(user=outsider).exists()


def test_anonymous_visitor_cannot_create_an_address(client, db):
    response = client.post(reverse("calendar:feed_create"))
    assert response.status_code == 302
    assert not CalendarFeed.objects.exists()


# The feed -----------------------------------------------------------------------------

def test_feed_needs_no_session_but_a_known_secret(rep_feed):
    assert fetch(rep_feed.token).status_code == 200
    assert fetch("x" * 43).status_code == 404
    assert fetch(rep_feed.token[:-1]).status_code == 404
    assert Client().get(f"/calendar/feed/{rep_feed.token}.ics.bak").status_code == 404
    assert Client().get("/calendar/feed/..%2F..%2Fetc.ics").status_code == 404


def test_feed_of_a_deactivated_or_removed_user_is_gone(rep, rep_feed):
    rep.is_active = False
    rep.save()
    assert fetch(rep_feed.token).status_code == 404
    rep.is_active = True
    rep.save()
    rep.groups.clear()
    assert fetch(rep_feed.token).status_code == 404


def test_feed_holds_the_owner_notes_in_a_bounded_window(rep, manager, rep_feed):
    # The last 30 days and the year ahead: what calendar apps show (the window
    # was six months back, which made a busy rep's feed 15,000 events).
    mine = [
        NoteFactory(assigned_to=rep, date=days_from_today(-30)),
        NoteFactory(assigned_to=rep, date=days_from_today(0), is_done=True),
        NoteFactory(assigned_to=rep, date=days_from_today(360)),
    ]
    too_old = NoteFactory(assigned_to=rep, date=days_from_today(-31))
    too_far = NoteFactory(assigned_to=rep, date=days_from_today(380))
    someone_elses = NoteFactory(assigned_to=manager, date=days_from_today(1))
    found = events(parse(fetch(rep_feed.token)))
    assert set(found) == {uid(note) for note in mine}
    assert uid(too_old) not in found
    assert uid(too_far) not in found
    assert uid(someone_elses) not in found


def test_event_text_is_escaped_and_read_back_intact(rep, rep_feed):
    contact = ContactFactory(name="Dupont, Fils; et Cie\nSuccursale Est")
    description = "Rappeler, au sujet du devis; voir:\nligne 2\\fin\nhttps://example.com/a?b=1;c=2"
    note = NoteFactory(assigned_to=rep, contact=contact, date=datetime.date(2026, 11, 20), description=description)
    response = fetch(rep_feed.token)
    raw = response.content.decode()
    assert "Dupont\\, Fils\\; et Cie\\nSuccursale Est" in raw.replace("\r\n ", "")
    event = events(parse(response))[uid(note)]
    assert str(event["SUMMARY"]) == f"{note.type.label_fr} – Dupont, Fils; et Cie\nSuccursale Est"
    assert str(event["DESCRIPTION"]).startswith(description + "\n\n")
    assert str(event["URL"]) == "http://127.0.0.1:8000" + contact.get_absolute_url()
    # Lines are folded at 75 octets, as RFC 5545 requires.
    assert all(len(line.encode()) <= 75 for line in raw.split("\r\n"))


def test_long_lines_are_folded_between_characters(rep, rep_feed):
    # Accents take two octets, the dash three, the emoji four: a fold never cuts one.
    description = "Réunion à l’hôtel de ville – 🙂 " * 12
    note = NoteFactory(assigned_to=rep, date=days_from_today(1), description=description)
    response = fetch(rep_feed.token)
    lines = response.content.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    for line in lines:
        line.decode()  # each physical line is whole UTF-8
    assert str(events(parse(response))[uid(note)]["DESCRIPTION"]).startswith(description)


def test_done_notes_are_marked_in_the_summary(rep, rep_feed):
    done = NoteFactory(assigned_to=rep, is_done=True, date=days_from_today(-1))
    todo = NoteFactory(assigned_to=rep, date=days_from_today(1))
    found = events(parse(fetch(rep_feed.token)))
    assert str(found[uid(done)]["SUMMARY"]).startswith("✓ ")
    assert not str(found[uid(todo)]["SUMMARY"]).startswith("✓ ")


def test_all_day_and_timed_notes(rep, rep_feed):
    all_day = NoteFactory(assigned_to=rep, date=datetime.date(2026, 11, 20))
    timed = NoteFactory(assigned_to=rep, date=datetime.date(2026, 11, 20), time=datetime.time(14, 30))
    calendar = parse(fetch(rep_feed.token))
    found = events(calendar)
    event = found[uid(all_day)]
    assert event["DTSTART"].dt == datetime.date(2026, 11, 20)
    assert not isinstance(event["DTSTART"].dt, datetime.datetime)
    assert event["DTEND"].dt == datetime.date(2026, 11, 21)
    event = found[uid(timed)]
    assert event["DTSTART"].params["TZID"] == "America/Toronto"
    assert event["DTSTART"].dt == datetime.datetime(2026, 11, 20, 14, 30, tzinfo=TORONTO)
    assert event["DURATION"].dt == datetime.timedelta(hours=1)
    # The zone the events refer to is described in the feed.
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["America/Toronto"]


@pytest.mark.parametrize("day, before, after", [
    (datetime.date(2026, 3, 8), -5, -4),  # spring forward: EST then EDT
    (datetime.date(2026, 11, 1), -4, -5),  # fall back: EDT then EST
])
def test_timed_notes_across_daylight_saving_changes(rep, rep_feed, day, before, after, settings):
    settings.TIME_ZONE = "America/Toronto"
    eve = NoteFactory(assigned_to=rep, date=day - datetime.timedelta(days=1), time=datetime.time(9, 0))
    morning = NoteFactory(assigned_to=rep, date=day, time=datetime.time(9, 0))
    found = events(parse(fetch_anyway(rep_feed, day)))
    start = found[uid(eve)]["DTSTART"].dt
    assert start.utcoffset() == datetime.timedelta(hours=before)
    start = found[uid(morning)]["DTSTART"].dt
    assert start.utcoffset() == datetime.timedelta(hours=after)
    assert start.astimezone(datetime.UTC).hour == 9 - after


def fetch_anyway(feed, day):
    """The feed as it was around `day`, whatever today's date is."""
    from unittest import mock

    with mock.patch("notes.feed.today", return_value=day):
        return fetch(feed.token)


def test_uids_are_stable_between_fetches(rep, rep_feed):
    note = NoteFactory(assigned_to=rep, date=days_from_today(2))
    first = events(parse(fetch(rep_feed.token)))
    second = events(parse(fetch(rep_feed.token)))
    assert list(first) == list(second) == [uid(note)]
    assert first[uid(note)]["DTSTAMP"].dt == second[uid(note)]["DTSTAMP"].dt


def test_rep_cannot_see_admin_only_note_in_feed(rep, manager, rep_feed):
    secret = NoteFactory(assigned_to=rep, admin_only=True, date=days_from_today(1), description="Confidentiel")
    public = NoteFactory(assigned_to=rep, date=days_from_today(1))
    response = fetch(rep_feed.token)
    assert set(events(parse(response))) == {uid(public)}
    assert b"Confidentiel" not in response.content

    manager_secret = NoteFactory(assigned_to=manager, admin_only=True, date=days_from_today(1))
    manager_feed = CalendarFeed.rotate(manager)
    assert uid(manager_secret) in events(parse(fetch(manager_feed.token)))

    # The owner's permissions are read on every request, not when the address was made.
    rep.groups.add(Group.objects.get(name=MANAGERS))
    assert uid(secret) in events(parse(fetch(rep_feed.token)))
    manager.groups.set([Group.objects.get(name=SALES_REPS)])
    assert uid(manager_secret) not in events(parse(fetch(manager_feed.token)))


def test_feed_speaks_the_owner_language(rep, rep_feed):
    note = NoteFactory(assigned_to=rep, date=days_from_today(1), type=NoteType.objects.get(label_en="Phone call"))
    assert str(events(parse(fetch(rep_feed.token)))[uid(note)]["SUMMARY"]).startswith("Appel téléphonique")
    Profile.objects.create(user=rep, language="en")
    calendar = parse(fetch(rep_feed.token))
    assert str(events(calendar)[uid(note)]["SUMMARY"]).startswith("Phone call")
    assert str(calendar["X-WR-CALNAME"]) == "Relance – Luc Gagnon"


def test_feed_runs_a_constant_number_of_queries(rep, rep_feed, django_assert_num_queries):
    # The secret with its owner and profile, the owner's permissions (one query), the notes.
    with django_assert_num_queries(3):
        fetch(rep_feed.token)
    for offset in range(30):
        NoteFactory(assigned_to=rep, date=days_from_today(offset), contact=ContactFactory())
    with django_assert_num_queries(3):
        assert len(events(parse(fetch(rep_feed.token)))) == 30


def test_other_user_cannot_read_my_address_on_the_settings_page(manager_client, rep_feed):
    html = manager_client.get(reverse("calendar:feed_settings")).content.decode()
    assert rep_feed.token not in html


def test_a_second_user_gets_their_own_feed(rep, rep_feed):
    other = UserFactory(username="other", groups=[SALES_REPS])
    NoteFactory(assigned_to=other, date=days_from_today(1))
    other_feed = CalendarFeed.rotate(other)
    assert other_feed.token != rep_feed.token
    assert len(events(parse(fetch(rep_feed.token)))) == 0
    assert len(events(parse(fetch(other_feed.token)))) == 1


# What a note may hold that a calendar must not get -------------------------------------

# Control characters a text field accepts (typed, pasted, imported) that RFC 5545 forbids in
# a content line, and the Unicode line and paragraph separators some parsers split lines on.
# (NUL too, below: PostgreSQL does not store it in a text column.)
FORBIDDEN = ["\x01", "\x08", "\x0b", "\x0c", "\x0e", "\x1b", "\x1f", "\x7f", "\x80", "\x85", "\x9f",
             "\u2028", "\u2029"]


def test_text_values_keep_tabs_and_lose_every_other_control_character():
    breaks = "\n\r\x0b\x0c\x85\u2028\u2029"
    controls = [chr(code) for code in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)] if chr(code) not in breaks + "\t"]
    assert ics_text("a" + "".join(controls) + "b") == "ab"
    # VT, FF, NEL, U+2028 and U+2029 are line breaks, as LF and CR: escaped newlines.
    assert ics_text("a\x0bb\x0cc\x85d\u2028e\u2029f\tg") == "a\\nb\\nc\\nd\\ne\\nf\tg"
    assert fold_line("DESCRIPTION:" + ics_text("".join(controls) + "\t")) == b"DESCRIPTION:\t\r\n"


def test_control_characters_typed_in_notes_never_reach_the_feed(rep, rep_feed):
    rep.first_name = "Luc\x1b"
    rep.save()
    contact = ContactFactory(name="Café\x1fDupont\x7f")
    kind = NoteType.objects.create(label_fr="Visite\x1b", label_en="Visit\x1b")
    description = "avant" + "".join(FORBIDDEN) + "après\tla tabulation\u2028ligne suivante"
    note = NoteFactory(assigned_to=rep, contact=contact, type=kind, date=days_from_today(1), description=description)
    response = fetch(rep_feed.token)
    raw = response.content.decode()
    for char in FORBIDDEN:
        assert char not in raw, repr(char)
    calendar = parse(response)
    event = events(calendar)[uid(note)]
    # The line breaks (VT, FF, NEL, U+2028, U+2029) become newlines, the other characters go.
    assert str(event["DESCRIPTION"]).startswith("avant" + "\n" * 5 + "après\tla tabulation\nligne suivante\n\n")
    assert str(event["SUMMARY"]) == "Visite – CaféDupont"
    assert [str(category) for category in event["CATEGORIES"].cats] == ["Visite"]
    assert str(calendar["X-WR-CALNAME"]) == "Relance – Luc Gagnon"
    everything = "".join(str(value) for component in calendar.walk() for value in component.values())
    for char in FORBIDDEN:
        assert char not in everything, repr(char)


def test_feed_tells_calendar_apps_to_read_it_again_every_hour(rep_feed):
    response = fetch(rep_feed.token)
    lines = response.content.decode().split("\r\n")
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in lines
    assert "X-PUBLISHED-TTL:PT1H" in lines
    calendar = parse(response)
    assert calendar["REFRESH-INTERVAL"].dt == datetime.timedelta(hours=1)


def test_uids_carry_the_site_host(rep, rep_feed, settings):
    settings.SITE_URL = "https://crm.example.com"
    note = NoteFactory(assigned_to=rep, date=days_from_today(1))
    assert list(events(parse(fetch(rep_feed.token)))) == [f"note-{note.pk}@crm.example.com"]


# Polls of an unchanged feed ----------------------------------------------------------------

def fetch_if(token: str, **headers):
    return Client().get(reverse("calendar:feed", args=[token]), headers=headers)


def test_an_unchanged_feed_answers_304_to_its_etag_and_its_date(rep, rep_feed, django_assert_num_queries):
    NoteFactory(assigned_to=rep, date=days_from_today(1))
    first = fetch(rep_feed.token)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and etag.endswith('"')
    with django_assert_num_queries(3):  # the secret, the owner's permissions, one aggregate
        response = fetch_if(rep_feed.token, if_none_match=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert response["Cache-Control"] == "private, no-cache"
    assert fetch_if(rep_feed.token, if_modified_since=last_modified).status_code == 304
    assert fetch_if(rep_feed.token, if_none_match=f'"other", {etag}').status_code == 304
    changed = fetch_if(rep_feed.token, if_none_match='"something else"')
    assert changed.status_code == 200 and changed["ETag"] == etag
    assert fetch(rep_feed.token).content == first.content


def changes_etag(token: str, etag: str) -> bool:
    response = fetch_if(token, if_none_match=etag)
    if response.status_code == 304:
        return False
    assert response.status_code == 200 and response["ETag"] != etag
    return True


def test_every_change_the_owner_can_see_changes_the_etag(rep, rep_feed):
    note = NoteFactory(assigned_to=rep, date=days_from_today(1), description="Premier")
    other = NoteFactory(assigned_to=rep, date=days_from_today(2))
    steps = [
        lambda: (setattr(note, "description", "Deuxième"), note.save()),
        lambda: NoteFactory(assigned_to=rep, date=days_from_today(3)),
        lambda: other.delete(),
        lambda: (setattr(note.contact, "name", "Nouveau nom"), note.contact.save()),
        lambda: Profile.objects.create(user=rep, language="en"),
        lambda: (setattr(rep, "first_name", "Lucien"), rep.save()),
    ]
    etag = fetch(rep_feed.token)["ETag"]
    for number, step in enumerate(steps):
        step()
        assert changes_etag(rep_feed.token, etag), number
        etag = fetch(rep_feed.token)["ETag"]


def test_changes_to_admin_only_notes_the_owner_cannot_see_leave_the_etag_alone(rep, rep_feed, manager):
    # Otherwise a 200 instead of a 304 would tell the owner that something hidden changed.
    hidden = NoteFactory(assigned_to=rep, admin_only=True, date=days_from_today(1), description="Confidentiel")
    NoteFactory(assigned_to=rep, date=days_from_today(1))
    response = fetch(rep_feed.token)
    etag, last_modified = response["ETag"], response["Last-Modified"]
    hidden.description = "Toujours confidentiel"
    hidden.save()
    NoteFactory(assigned_to=rep, admin_only=True, date=days_from_today(2), contact=hidden.contact)
    NoteFactory(assigned_to=manager, date=days_from_today(2))
    hidden.delete()
    assert fetch_if(rep_feed.token, if_none_match=etag).status_code == 304
    assert fetch_if(rep_feed.token, if_modified_since=last_modified).status_code == 304
    assert fetch(rep_feed.token)["ETag"] == etag


def test_feed_costs_four_queries_when_a_poll_finds_it_changed(rep, rep_feed, django_assert_num_queries):
    NoteFactory(assigned_to=rep, date=days_from_today(1))
    etag = fetch(rep_feed.token)["ETag"]
    NoteFactory(assigned_to=rep, date=days_from_today(2))
    with django_assert_num_queries(4):  # the aggregate said changed: then the notes
        response = fetch_if(rep_feed.token, if_none_match=etag)
    assert len(events(parse(response))) == 2
