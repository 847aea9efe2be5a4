"""Calendar pages: month, week, list and day views, their filters and who sees what."""

import datetime
import re

import pytest
from django.urls import reverse

from crm.dates import add_months
from tests.conftest import client_for
from tests.factories import ContactFactory, NoteFactory, UserFactory, days_from_today

D = datetime.date
CALENDAR_PAGES = ["calendar:month", "calendar:week", "calendar:agenda", "calendar:day", "calendar:feed_settings"]


def page(client, name="calendar:month", **params):
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    return response.content.decode()


def shown(html: str, note) -> bool:
    return f'data-note="{note.pk}"' in html


def entry_class(html: str, note) -> str:
    match = re.search(rf'class="(cal-[^"]*)"[^>]*data-state="[^"]*" data-note="{note.pk}"', html)
    assert match, f"note {note.pk} is not on the page"
    return match.group(1)


# Access ---------------------------------------------------------------------

@pytest.mark.parametrize("name", CALENDAR_PAGES)
def test_anonymous_visitor_is_sent_to_sign_in(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", CALENDAR_PAGES)
def test_outsider_without_group_is_refused(outsider_client, name):
    assert outsider_client.get(reverse(name)).status_code == 403


def test_header_calendar_icon_leads_to_the_month(rep_client):
    html = page(rep_client)
    assert f'href="{reverse("calendar:month")}"' in html
    assert 'data-testid="calendar-icon"' in html


# What a note looks like -------------------------------------------------------

def test_month_shows_type_contact_assignee_and_links_to_the_note(rep_client, rep):
    contact = ContactFactory(name="Boulangerie Saint-Roch")
    note = NoteFactory(assigned_to=rep, contact=contact, date=D(2026, 11, 12))
    html = page(rep_client, date="2026-11-12")
    assert shown(html, note)
    assert f'href="{note.get_absolute_url()}"' in html  # issue 18: an entry opens the note
    assert "Boulangerie Saint-Roch" in html
    assert note.type.label_fr in html
    assert "Luc Gagnon" in html


def test_history_follow_up_and_overdue_are_told_apart(rep_client, rep):
    history = NoteFactory(assigned_to=rep, is_done=True, date=days_from_today(0))
    follow_up = NoteFactory(assigned_to=rep, date=days_from_today(3))
    overdue = NoteFactory(assigned_to=rep, date=days_from_today(-3))
    due_today = NoteFactory(assigned_to=rep, date=days_from_today(0))
    html = page(rep_client, "calendar:week")
    html += page(rep_client, "calendar:week", date=days_from_today(-3).isoformat())
    html += page(rep_client, "calendar:week", date=days_from_today(3).isoformat())
    assert "cal-history" in entry_class(html, history)
    assert "cal-followup" in entry_class(html, follow_up)
    assert "cal-overdue" in entry_class(html, overdue)
    assert "cal-today" in entry_class(html, due_today)
    # Not by colour only: an icon and a label, and a legend.
    assert "bi-check-circle-fill" in html and "bi-alarm" in html and "bi-exclamation-triangle-fill" in html
    for label in ["Légende", "Note d’historique", "Note de relance", "En retard"]:
        assert label in html


def test_busy_day_shows_four_entries_and_a_link_to_the_rest(rep_client, rep):
    notes = [NoteFactory(assigned_to=rep, date=D(2026, 11, 18)) for _ in range(6)]
    html = page(rep_client, date="2026-11-18")
    assert sum(shown(html, note) for note in notes) == 4
    assert "+2 autres" in html
    day_url = reverse("calendar:day") + "?date=2026-11-18"
    assert f'href="{day_url}"' in html
    day_html = page(rep_client, "calendar:day", date="2026-11-18")
    assert all(shown(day_html, note) for note in notes)
    assert "Mercredi 18 novembre 2026" in day_html


def test_notes_without_a_time_come_first_then_by_time(rep_client, rep):
    later = NoteFactory(assigned_to=rep, date=D(2026, 11, 18), time=datetime.time(15, 0))
    earlier = NoteFactory(assigned_to=rep, date=D(2026, 11, 18), time=datetime.time(9, 30))
    all_day = NoteFactory(assigned_to=rep, date=D(2026, 11, 18))
    html = page(rep_client, date="2026-11-18")
    positions = [html.index(f'data-note="{note.pk}"') for note in (all_day, earlier, later)]
    assert positions == sorted(positions)
    assert "09:30" in html and "15:00" in html


# Month grid -----------------------------------------------------------------

def test_french_month_starts_on_monday_and_shows_the_neighbouring_days(rep_client, rep):
    # November 2026 begins on a Sunday: the French grid runs from Monday Oct 26 to Sunday Dec 6.
    inside = [NoteFactory(assigned_to=rep, date=day) for day in (D(2026, 10, 26), D(2026, 11, 30), D(2026, 12, 6))]
    outside = [NoteFactory(assigned_to=rep, date=day) for day in (D(2026, 10, 25), D(2026, 12, 7))]
    html = page(rep_client, date="2026-11-15")
    assert "Novembre 2026" in html
    assert all(shown(html, note) for note in inside)
    assert not any(shown(html, note) for note in outside)
    headers = re.findall(r'<th scope="col" class="cal-weekday">(\w+)</th>', html)
    assert headers[0] == "Lundi" and headers[-1] == "Dimanche"
    assert 'data-date="2026-10-26"' in html and 'class="cal-day cal-outside' in html


def test_english_month_starts_on_sunday(rep_client_en, rep):
    first_sunday = NoteFactory(assigned_to=rep, date=D(2026, 11, 1))
    monday_before = NoteFactory(assigned_to=rep, date=D(2026, 10, 26))
    html = page(rep_client_en, date="2026-11-15")
    assert "November 2026" in html
    headers = re.findall(r'<th scope="col" class="cal-weekday">(\w+)</th>', html)
    assert headers[0] == "Sunday" and headers[-1] == "Saturday"
    assert html.index('data-date="2026-11-01"') < html.index('data-date="2026-11-02"')
    assert shown(html, first_sunday)
    assert not shown(html, monday_before)


def test_month_navigation_keeps_the_filters(rep_client, rep):
    html = page(rep_client, date="2026-12-15", assignee="everyone", state="history")
    assert 'href="/calendar/?date=2026-11-01&amp;assignee=everyone&amp;state=history"' in html
    assert 'href="/calendar/?date=2027-01-01&amp;assignee=everyone&amp;state=history"' in html
    assert 'href="/calendar/?assignee=everyone&amp;state=history"' in html  # today
    assert 'href="/calendar/week/?date=2026-12-15&amp;assignee=everyone&amp;state=history"' in html


def test_leap_day_is_on_the_february_2028_grid(rep_client, rep):
    leap = NoteFactory(assigned_to=rep, date=D(2028, 2, 29))
    html = page(rep_client, date="2028-02-29")
    assert shown(html, leap)
    assert 'data-date="2028-02-29"' in html
    assert 'data-date="2028-03-01"' in html  # Tuesday Feb 29 is followed by the rest of the week
    assert shown(page(rep_client, "calendar:day", date="2028-02-29"), leap)
    assert shown(page(rep_client, "calendar:agenda", date="2028-02-01"), leap)


def test_adding_months_keeps_the_day_or_the_month_end():
    assert add_months(D(2028, 1, 31), 1) == D(2028, 2, 29)
    assert add_months(D(2027, 1, 31), 1) == D(2027, 2, 28)
    assert add_months(D(2028, 2, 29), 12) == D(2029, 2, 28)
    assert add_months(D(2026, 12, 15), 1) == D(2027, 1, 15)
    assert add_months(D(2026, 1, 15), -1) == D(2025, 12, 15)
    assert add_months(D(2026, 5, 31), -6) == D(2025, 11, 30)


# Week view --------------------------------------------------------------------

def test_week_spanning_two_months_in_french_and_english(rep, rep_client, rep_client_en):
    monday = NoteFactory(assigned_to=rep, date=D(2026, 11, 30))
    sunday = NoteFactory(assigned_to=rep, date=D(2026, 12, 6))
    sunday_before = NoteFactory(assigned_to=rep, date=D(2026, 11, 29))
    french = page(rep_client, "calendar:week", date="2026-12-02")
    assert shown(french, monday) and shown(french, sunday) and not shown(french, sunday_before)
    assert "30 novembre – 6 décembre 2026" in french
    english = page(rep_client_en, "calendar:week", date="2026-12-02")
    assert shown(english, sunday_before) and shown(english, monday) and not shown(english, sunday)
    assert "29 November – 5 December 2026" in english


@pytest.mark.parametrize("language, day, heading", [
    ("fr", "2026-11-25", "23 – 29 novembre 2026"),
    ("en", "2026-11-25", "22 – 28 November 2026"),
    ("fr", "2026-12-30", "28 décembre 2026 – 3 janvier 2027"),
    ("en", "2026-12-30", "27 December 2026 – 2 January 2027"),
])
def test_week_heading_names_the_days_of_the_week(rep, language, day, heading):
    html = page(client_for(rep, language), "calendar:week", date=day)
    assert f'<h1 class="h3 mb-0 me-2 cal-heading">{heading}</h1>' in html


def timed_slot(html: str, note) -> str:
    """The data-slot of the cell holding the note in the week view."""
    position = html.index(f'data-note="{note.pk}"')
    return re.findall(r'data-slot="([^"]+)"', html[:position])[-1]


@pytest.mark.parametrize("day, hour", [(D(2026, 3, 8), 2), (D(2026, 11, 1), 1)])
def test_week_places_timed_notes_by_hour_across_daylight_saving_changes(rep_client, rep, day, hour):
    # Toronto springs forward at 2:00 on 2026-03-08 and falls back at 2:00 on 2026-11-01:
    # the calendar shows the wall-clock time the user typed.
    at_change = NoteFactory(assigned_to=rep, date=day, time=datetime.time(hour, 30))
    morning = NoteFactory(assigned_to=rep, date=day, time=datetime.time(9, 0))
    all_day = NoteFactory(assigned_to=rep, date=day)
    day_before = NoteFactory(assigned_to=rep, date=day - datetime.timedelta(days=1), time=datetime.time(9, 0))
    html = page(rep_client, "calendar:week", date=day.isoformat())
    assert timed_slot(html, at_change) == f"{hour:02d}"
    assert timed_slot(html, morning) == "09"
    assert timed_slot(html, day_before) == "09"
    assert timed_slot(html, all_day) == "all-day"
    assert f"{hour:02d}:30" in html
    # The grid grows to the earliest note, and keeps its working hours.
    assert f'data-slot="{hour:02d}"' in html and 'data-slot="18"' in html


def test_week_shows_working_hours_when_empty(rep_client):
    html = page(rep_client, "calendar:week", date="2026-11-18")
    slots = re.findall(r'data-slot="(\d\d)"', html)
    assert slots[0] == "08" and slots[-1] == "18"


# List and day views -----------------------------------------------------------

def test_agenda_lists_five_weeks_from_the_start_of_the_week(rep_client, rep):
    # 2026-11-10 is a Tuesday: the list runs Monday 9 November to Sunday 13 December.
    before = NoteFactory(assigned_to=rep, date=D(2026, 11, 8))
    history = NoteFactory(assigned_to=rep, date=D(2026, 11, 9), is_done=True, description="Historique du lundi")
    follow_up = NoteFactory(assigned_to=rep, date=D(2026, 11, 30), description="Envoyer la soumission")
    last_day = NoteFactory(assigned_to=rep, date=D(2026, 12, 13))
    after = NoteFactory(assigned_to=rep, date=D(2026, 12, 14))
    html = page(rep_client, "calendar:agenda", date="2026-11-10")
    assert shown(html, history) and shown(html, follow_up) and shown(html, last_day)
    assert not shown(html, before) and not shown(html, after)
    assert "Lundi 30 novembre 2026" in html
    assert "Envoyer la soumission" in html


def test_empty_period_says_so(rep_client):
    assert "Rien au calendrier pour cette période." in page(rep_client, "calendar:agenda", date="2026-11-10")
    assert "Rien au calendrier pour cette période." in page(rep_client, "calendar:day", date="2026-11-10")


# Filters ------------------------------------------------------------------------

@pytest.fixture
def colleague(db):
    return UserFactory(username="colleague", first_name="Julie", last_name="Roy")


def test_mine_is_the_default_and_everyone_shows_the_team(rep_client, rep, colleague):
    mine = NoteFactory(assigned_to=rep, date=D(2026, 11, 10))
    theirs = NoteFactory(assigned_to=colleague, date=D(2026, 11, 10))
    default = page(rep_client, date="2026-11-10")
    assert shown(default, mine) and not shown(default, theirs)
    everyone = page(rep_client, date="2026-11-10", assignee="everyone")
    assert shown(everyone, mine) and shown(everyone, theirs)
    just_julie = page(rep_client, date="2026-11-10", assignee=str(colleague.pk))
    assert shown(just_julie, theirs) and not shown(just_julie, mine)
    assert "Mes notes" in default and "Tout le monde" in default


def test_type_and_state_filters(rep_client, rep):
    from notes.models import NoteType

    meeting, call = NoteType.objects.order_by("order")[:2]
    done_meeting = NoteFactory(assigned_to=rep, type=meeting, is_done=True, date=D(2026, 11, 10))
    open_meeting = NoteFactory(assigned_to=rep, type=meeting, date=D(2026, 11, 10))
    open_call = NoteFactory(assigned_to=rep, type=call, date=D(2026, 11, 10))
    html = page(rep_client, date="2026-11-10", type=str(meeting.pk))
    assert shown(html, done_meeting) and shown(html, open_meeting) and not shown(html, open_call)
    html = page(rep_client, date="2026-11-10", state="history")
    assert shown(html, done_meeting) and not shown(html, open_meeting) and not shown(html, open_call)
    html = page(rep_client, date="2026-11-10", state="todo")
    assert not shown(html, done_meeting) and shown(html, open_meeting) and shown(html, open_call)
    # The form shows the filters in use, so the page can be bookmarked and shared.
    html = page(rep_client, date="2026-11-10", type=str(meeting.pk), state="todo")
    assert f'<option value="{meeting.pk}" selected>' in html
    assert '<option value="todo" selected>' in html
    assert 'value="2026-11-10"' in html


@pytest.mark.parametrize("name", ["calendar:month", "calendar:week", "calendar:agenda", "calendar:day"])
@pytest.mark.parametrize("params", [
    {"date": "2026-13-45"},
    {"date": "9999-12-31"},
    {"date": "0001-01-01"},
    {"date": "'; DROP TABLE notes_note; --"},
    {"assignee": "999999"},
    {"assignee": "-1"},
    {"assignee": "me' OR 1=1"},
    {"type": "abc"},
    {"type": "999999"},
    {"state": "everything"},
])
def test_bad_query_strings_give_the_default_view(rep_client, rep, name, params):
    mine = NoteFactory(assigned_to=rep, date=days_from_today(0))
    response = rep_client.get(reverse(name), params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Certains filtres n’ont pas été compris et ont été ignorés." in html
    assert shown(html, mine)


def test_repeated_parameters_take_the_last_value(rep_client, rep):
    done = NoteFactory(assigned_to=rep, is_done=True, date=D(2026, 12, 1))
    html = page(rep_client, "calendar:day", date=["2026-11-01", "2026-12-01"], state=["todo", "history"])
    assert shown(html, done)


def test_inactive_user_is_not_offered_as_assignee(rep_client, rep):
    gone = UserFactory(username="gone", first_name="Paul", last_name="Parti", is_active=False)
    note = NoteFactory(assigned_to=gone, date=D(2026, 11, 10))
    html = page(rep_client, date="2026-11-10", assignee=str(gone.pk))
    assert "Certains filtres n’ont pas été compris" in html
    assert not shown(html, note)
    assert "Paul Parti" not in html


# Admin-only notes ------------------------------------------------------------------

@pytest.mark.parametrize("name", ["calendar:month", "calendar:week", "calendar:agenda", "calendar:day"])
def test_rep_cannot_see_admin_only_note_in_calendar(rep_client, manager_client, rep, name):
    secret = NoteFactory(assigned_to=rep, admin_only=True, date=D(2026, 11, 10), description="Dossier confidentiel")
    public = NoteFactory(assigned_to=rep, date=D(2026, 11, 10))
    html = page(rep_client, name, date="2026-11-10")
    assert shown(html, public)
    assert not shown(html, secret)
    assert "Dossier confidentiel" not in html
    html = page(manager_client, name, date="2026-11-10", assignee="everyone")
    assert shown(html, secret) and shown(html, public)


@pytest.mark.parametrize("name", ["calendar:month", "calendar:week", "calendar:agenda"])
def test_more_link_does_not_count_admin_only_notes_for_a_rep(rep_client, manager_client, rep, name):
    NoteFactory.create_batch(21, assigned_to=rep, date=D(2026, 11, 10))
    NoteFactory.create_batch(3, assigned_to=rep, admin_only=True, date=D(2026, 11, 10))
    more = {"calendar:month": 17, "calendar:week": 18, "calendar:agenda": 1}[name]
    assert f"+{more} autre" in page(rep_client, name, date="2026-11-10")
    assert f"+{more + 3} autres" in page(manager_client, name, date="2026-11-10", assignee="everyone")


# Cost -------------------------------------------------------------------------------

def count_queries(django_assert_num_queries, client, expected, **params):
    with django_assert_num_queries(expected):
        assert client.get(reverse("calendar:month"), params).status_code == 200


@pytest.mark.parametrize("client_fixture, assignee", [("rep_client", "me"), ("manager_client", "everyone")])
def test_month_runs_a_constant_number_of_queries(request, django_assert_num_queries, rep, manager, client_fixture, assignee):
    client = request.getfixturevalue(client_fixture)
    # Session, user, permissions (one query), users and note types
    # for the filters, the ids of the first notes of each day, those notes, and
    # the count per day (an empty month skips loading the notes).
    NoteFactory(assigned_to=rep, date=D(2026, 11, 2))
    count_queries(django_assert_num_queries, client, 8, date="2026-11-10", assignee=assignee)
    for day in range(1, 29):
        for user in (rep, manager):
            NoteFactory.create_batch(3, assigned_to=user, date=D(2026, 11, day), contact=ContactFactory())
    count_queries(django_assert_num_queries, client, 8, date="2026-11-10", assignee=assignee)


def test_month_loads_only_the_notes_a_cell_shows(manager_client, rep, manager):
    for number in range(7):
        NoteFactory(assigned_to=rep, date=D(2026, 11, 12), time=datetime.time(8 + number), description=f"n{number}")
    response = manager_client.get(reverse("calendar:month"), {"date": "2026-11-10", "assignee": "everyone"})
    day = next(day for week in response.context["weeks"] for day in week if day.date == D(2026, 11, 12))
    assert [note.description for note in day.notes] == ["n0", "n1", "n2", "n3"]
    assert day.more == 3
    assert "+3 autres" in response.content.decode()


# The week and the list, like the month, load the first notes of each cell and
# a count per cell (ids, notes, counts); the day view loads its notes at once.
@pytest.mark.parametrize("name, expected", [("calendar:week", 8), ("calendar:agenda", 8), ("calendar:day", 7)])
def test_other_views_run_a_constant_number_of_queries(rep_client, rep, django_assert_num_queries, name, expected):
    NoteFactory.create_batch(10, assigned_to=rep, date=D(2026, 11, 10), time=datetime.time(10))
    with django_assert_num_queries(expected):
        assert rep_client.get(reverse(name), {"date": "2026-11-10"}).status_code == 200
    NoteFactory.create_batch(30, assigned_to=rep, date=D(2026, 11, 11), contact=ContactFactory())
    with django_assert_num_queries(expected):
        assert rep_client.get(reverse(name), {"date": "2026-11-10"}).status_code == 200


def test_busy_week_shows_three_entries_an_hour_and_a_link_to_the_day(manager_client, rep, manager):
    at_ten = [NoteFactory(assigned_to=rep, date=D(2026, 11, 18), time=datetime.time(10, minute)) for minute in range(5)]
    all_day = [NoteFactory(assigned_to=manager, date=D(2026, 11, 18)) for _ in range(4)]
    at_three = NoteFactory(assigned_to=rep, date=D(2026, 11, 18), time=datetime.time(15))
    html = page(manager_client, "calendar:week", date="2026-11-18", assignee="everyone")
    assert [shown(html, note) for note in at_ten] == [True, True, True, False, False]
    assert [shown(html, note) for note in all_day] == [True, True, True, False]
    assert shown(html, at_three)
    assert "+2 autres" in html and "+1 autre" in html
    day_url = reverse("calendar:day") + "?date=2026-11-18&amp;assignee=everyone"
    assert html.count(f'class="cal-more" href="{day_url}"') == 2
    assert timed_slot(html, at_ten[0]) == "10" and timed_slot(html, all_day[0]) == "all-day"
    day_html = page(manager_client, "calendar:day", date="2026-11-18", assignee="everyone")
    assert all(shown(day_html, note) for note in at_ten + all_day + [at_three])


def test_busy_day_in_the_list_shows_twenty_notes_and_a_link_to_the_rest(rep_client, rep):
    notes = NoteFactory.create_batch(22, assigned_to=rep, date=D(2026, 11, 18))
    quiet = NoteFactory(assigned_to=rep, date=D(2026, 11, 19))
    html = page(rep_client, "calendar:agenda", date="2026-11-18")
    assert sum(shown(html, note) for note in notes) == 20
    assert shown(html, quiet)
    assert "+2 autres" in html
    assert f'class="cal-more" href="{reverse("calendar:day")}?date=2026-11-18"' in html


def test_english_page_is_in_english(rep, rep_client_en):
    NoteFactory(assigned_to=rep, date=days_from_today(5))
    html = page(client_for(rep, "en"))
    for text in ["Legend:", "History note", "Follow-up", "Overdue", "My notes", "Everyone", "Subscribe"]:
        assert text in html


def test_a_busy_day_comes_in_pages_of_a_hundred(rep_client, rep):
    contact = ContactFactory()
    for number in range(105):
        NoteFactory(assigned_to=rep, contact=contact, date=D(2026, 11, 10), time=datetime.time(8 + number // 60, number % 60),
                    description=f"n{number:03}")
    first = page(rep_client, "calendar:day", date="2026-11-10")
    assert "n000" in first and "n099" in first and "n100" not in first
    assert "Page 1 sur 2" in first
    assert 'href="?date=2026-11-10&amp;page=2"' in first
    second = page(rep_client, "calendar:day", date="2026-11-10", page=2)
    assert "n100" in second and "n104" in second and "n099" not in second
