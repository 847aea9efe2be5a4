"""Calendar alarms: follow-ups with a time ring in the owner's calendar app, if the owner asks."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from crm.models import Profile
from notes.models import CalendarFeed
from tests.factories import NoteFactory, days_from_today


def fetch(token: str, **headers):
    return Client().get(reverse("calendar:feed", args=[token]), headers=headers)


def events(response) -> dict:
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]).split("@")[0]: event for event in calendar.walk("VEVENT")}


def alarms(event) -> list:
    return [component for component in event.subcomponents if component.name == "VALARM"]


def choose_alarm(user, minutes) -> None:
    profile = Profile.for_user(user)
    profile.calendar_alarm = minutes
    profile.save()


@pytest.fixture
def rep_feed(rep):
    return CalendarFeed.rotate(rep)


def test_no_alarm_unless_the_owner_asks(rep, rep_feed):
    note = NoteFactory(assigned_to=rep, date=days_from_today(2), time=datetime.time(14, 30))
    event = events(fetch(rep_feed.token))[f"note-{note.pk}"]
    assert alarms(event) == []
    assert Profile.for_user(rep).calendar_alarm is None


def test_a_timed_follow_up_rings_the_chosen_minutes_before(rep, rep_feed):
    choose_alarm(rep, 15)
    note = NoteFactory(assigned_to=rep, date=days_from_today(2), time=datetime.time(14, 30), contact__name="Café Ô")
    [alarm] = alarms(events(fetch(rep_feed.token))[f"note-{note.pk}"])
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm["TRIGGER"].dt == -datetime.timedelta(minutes=15)
    assert alarm["TRIGGER"].to_ical() == b"-PT15M"
    assert "Café Ô" in str(alarm["DESCRIPTION"])


def test_a_day_before(rep, rep_feed):
    choose_alarm(rep, 1440)
    note = NoteFactory(assigned_to=rep, date=days_from_today(2), time=datetime.time(9, 0))
    [alarm] = alarms(events(fetch(rep_feed.token))[f"note-{note.pk}"])
    assert alarm["TRIGGER"].dt == -datetime.timedelta(days=1)


def test_all_day_done_and_overdue_notes_do_not_ring(rep, rep_feed):
    choose_alarm(rep, 10)
    all_day = NoteFactory(assigned_to=rep, date=days_from_today(2), time=None)
    done = NoteFactory(assigned_to=rep, date=days_from_today(2), time=datetime.time(10, 0), is_done=True)
    # Past: choosing an alarm must not pop up a month of missed ones.
    overdue = NoteFactory(assigned_to=rep, date=days_from_today(-1), time=datetime.time(10, 0))
    today = NoteFactory(assigned_to=rep, date=days_from_today(0), time=datetime.time(23, 0))
    timed = NoteFactory(assigned_to=rep, date=days_from_today(3), time=datetime.time(10, 0))
    found = events(fetch(rep_feed.token))
    assert alarms(found[f"note-{all_day.pk}"]) == []
    assert alarms(found[f"note-{done.pk}"]) == []
    assert alarms(found[f"note-{overdue.pk}"]) == []
    assert len(alarms(found[f"note-{today.pk}"])) == 1
    assert len(alarms(found[f"note-{timed.pk}"])) == 1


def test_the_alarm_speaks_the_owner_language(rep, rep_feed):
    choose_alarm(rep, 30)
    note = NoteFactory(assigned_to=rep, date=days_from_today(1), time=datetime.time(8, 0), contact__name="Atelier")
    profile = Profile.for_user(rep)
    profile.language = "en"
    profile.save()
    [alarm] = alarms(events(fetch(rep_feed.token))[f"note-{note.pk}"])
    assert str(alarm["DESCRIPTION"]).startswith("Reminder: ")
    profile.language = "fr"
    profile.save()
    [alarm] = alarms(events(fetch(rep_feed.token))[f"note-{note.pk}"])
    assert str(alarm["DESCRIPTION"]).startswith("Rappel : ")


def test_changing_the_alarm_changes_the_etag(rep, rep_feed):
    NoteFactory(assigned_to=rep, date=days_from_today(2), time=datetime.time(14, 30))
    first = fetch(rep_feed.token)
    assert fetch(rep_feed.token, if_none_match=first["ETag"]).status_code == 304
    choose_alarm(rep, 5)
    changed = fetch(rep_feed.token, if_none_match=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert b"BEGIN:VALARM" in changed.content
    choose_alarm(rep, None)
    assert fetch(rep_feed.token, if_none_match=changed["ETag"]).status_code == 200


def test_the_alarm_is_chosen_on_my_preferences(rep_client, rep):
    html = rep_client.get(reverse("profile")).content.decode()
    assert "Alarme du calendrier" in html
    assert "Aucune alarme" in html
    assert "15 minutes avant" in html
    response = rep_client.post(reverse("profile"), {"language": "fr", "email_reminders": "on", "calendar_alarm": "60"})
    assert response.status_code == 302
    assert Profile.for_user(rep).calendar_alarm == 60
    rep_client.post(reverse("profile"), {"language": "fr", "email_reminders": "on", "calendar_alarm": ""})
    assert Profile.for_user(rep).calendar_alarm is None


def test_an_odd_alarm_is_refused_with_a_message(rep_client, rep):
    response = rep_client.post(reverse("profile"), {"language": "fr", "email_reminders": "on", "calendar_alarm": "7"})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert Profile.for_user(rep).calendar_alarm is None
