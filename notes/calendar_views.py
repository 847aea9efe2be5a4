"""Calendar pages: month, week, list and day, over the notes the user may see.

Each page runs a constant number of queries whatever the number of notes:
the session and the user's permissions, the users and note types offered by
the filters, and one query for the period's notes.
"""

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.decorators import permission_required
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.shortcuts import render
from django.utils.dateformat import format as date_format
from django.utils.formats import get_format
from django.utils.translation import pgettext

from notes.calendar_forms import CalendarQuery
from notes.models import Note, today

# A month cell shows this many entries, then "+N more" linking to the day.
CELL_ENTRIES = 4
# The week view always shows these hours; earlier or later notes widen it.
DAY_START, DAY_END = 8, 18
ONE_DAY = datetime.timedelta(days=1)


def first_weekday() -> int:
    """Python's weekday the week starts on: Monday in French, Sunday in English."""
    return (int(get_format("FIRST_DAY_OF_WEEK")) - 1) % 7


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=(day.weekday() - first_weekday()) % 7)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it has no such day."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    return day.replace(year=year, month=month + 1, day=min(day.day, calendar.monthrange(year, month + 1)[1]))


def week_heading(start: datetime.date, end: datetime.date) -> str:
    """23 – 29 novembre 2026 / November 23 – 29, 2026, naming both months or years when they differ."""
    if (start.year, start.month) == (end.year, end.month):
        return pgettext("calendar week heading", "%(month)s %(first)s – %(last)s, %(year)s") % {
            "month": date_format(start, "F"), "first": start.day, "last": end.day, "year": start.year,
        }
    if start.year == end.year:
        return pgettext("calendar week heading", "%(start)s – %(end)s, %(year)s") % {
            "start": date_format(start, get_format("MONTH_DAY_FORMAT")),
            "end": date_format(end, get_format("MONTH_DAY_FORMAT")),
            "year": start.year,
        }
    return pgettext("calendar week heading", "%(start)s – %(end)s") % {
        "start": date_format(start, get_format("DATE_FORMAT")),
        "end": date_format(end, get_format("DATE_FORMAT")),
    }


def month_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = day.replace(day=1)
    return first, add_months(first, 1) - ONE_DAY


def notes_by_day(request, query: CalendarQuery, start: datetime.date, end: datetime.date,
                 *, per_day: int | None = None) -> dict:
    """The notes this user may see from start to end, filtered, by day: one query (two with per_day).

    Within a day, notes without a time come first, then by time. With per_day,
    only that many notes of each day are loaded (the month grid: a busy team
    has thousands of notes a month, a cell shows four).
    """
    visible = query.filter(Note.objects.visible_to(request.user), request.user).filter(date__range=(start, end))
    if per_day is not None:
        # Rank the period's notes on the calendar index alone, then load just
        # the first few of each day with their contact, type and assignee. The
        # ids are fetched first: as a subquery the planner misjudges their number.
        first_ids = list(visible.annotate(rank=Window(
            RowNumber(), partition_by=F("date"), order_by=[F("time").asc(nulls_first=True), F("pk").asc()],
        )).filter(rank__lte=per_day).values_list("pk", flat=True))
        visible = Note.objects.filter(pk__in=first_ids)
    notes = visible.select_related("contact", "type", "assigned_to").order_by(
        "date", F("time").asc(nulls_first=True), "pk")
    by_day = defaultdict(list)
    for note in notes:
        by_day[note.date].append(note)
    return by_day


def counts_by_day(request, query: CalendarQuery, start: datetime.date, end: datetime.date) -> dict:
    """How many notes each day has, for "+N more" (one aggregate query)."""
    visible = query.filter(Note.objects.visible_to(request.user), request.user).filter(date__range=(start, end))
    return dict(visible.order_by().values_list("date").annotate(count=Count("pk")))


@dataclass
class Day:
    date: datetime.date
    url: str
    notes: list = field(default_factory=list)
    in_period: bool = True
    count: int | None = None  # all the day's notes, when only the first few were loaded

    @property
    def is_today(self) -> bool:
        return self.date == today()

    @property
    def first_notes(self) -> list:
        return self.notes[:CELL_ENTRIES]

    @property
    def more(self) -> int:
        total = len(self.notes) if self.count is None else self.count
        return max(0, total - CELL_ENTRIES)

    @property
    def untimed(self) -> list:
        return [note for note in self.notes if note.time is None]

    @property
    def label(self) -> str:
        return date_format(self.date, pgettext("PHP date format for a day heading", "l, F j, Y"))

    def at_hour(self, hour: int) -> list:
        return [note for note in self.notes if note.time is not None and note.time.hour == hour]


def make_days(query: CalendarQuery, dates, notes: dict, *, month: int | None = None,
              counts: dict | None = None) -> list[Day]:
    return [
        Day(day, query.url("calendar:day", day), notes.get(day, []), month is None or day.month == month,
            None if counts is None else counts.get(day, 0))
        for day in dates
    ]


def page_context(query: CalendarQuery, view: str, *, previous: datetime.date, next: datetime.date) -> dict:
    """What every calendar page shows around its grid: navigation, view switch and filters."""
    view_name = f"calendar:{view}"
    return {
        "query": query,
        "form": query.form,
        "view": view,
        "previous_url": query.url(view_name, previous),
        "next_url": query.url(view_name, next),
        "today_url": query.url(view_name),
        "view_urls": {
            name: query.url(f"calendar:{name}", query.day) for name in ("month", "week", "agenda", "day")
        },
    }


@permission_required("notes.view_note", raise_exception=True)
def month(request):
    query = CalendarQuery.from_request(request)
    first, _last = month_bounds(query.day)
    weeks = calendar.Calendar(first_weekday()).monthdatescalendar(first.year, first.month)
    start, end = weeks[0][0], weeks[-1][-1]
    notes = notes_by_day(request, query, start, end, per_day=CELL_ENTRIES)
    counts = counts_by_day(request, query, start, end)
    return render(request, "notes/calendar_month.html", {
        **page_context(query, "month", previous=add_months(first, -1), next=add_months(first, 1)),
        "heading": date_format(first, "F Y"),
        "weeks": [make_days(query, week, notes, month=first.month, counts=counts) for week in weeks],
    })


@permission_required("notes.view_note", raise_exception=True)
def week(request):
    query = CalendarQuery.from_request(request)
    start = week_start(query.day)
    dates = [start + datetime.timedelta(days=offset) for offset in range(7)]
    notes = notes_by_day(request, query, dates[0], dates[-1])
    days = make_days(query, dates, notes)
    hours_used = [note.time.hour for day in days for note in day.notes if note.time is not None]
    hours = range(min([DAY_START, *hours_used]), max([DAY_END, *hours_used]) + 1)
    return render(request, "notes/calendar_week.html", {
        **page_context(query, "week", previous=start - 7 * ONE_DAY, next=start + 7 * ONE_DAY),
        "heading": week_heading(dates[0], dates[-1]),
        "days": days,
        "has_untimed": any(day.untimed for day in days),
        "rows": [(datetime.time(hour), [day.at_hour(hour) for day in days]) for hour in hours],
    })


AGENDA_DAYS = 35


@permission_required("notes.view_note", raise_exception=True)
def agenda(request):
    """Five weeks from the start of the chosen day's week, as a list of the days
    that have notes: this week's history and the coming follow-ups at once."""
    query = CalendarQuery.from_request(request)
    first = week_start(query.day)
    last = first + (AGENDA_DAYS - 1) * ONE_DAY
    notes = notes_by_day(request, query, first, last)
    dates = sorted(notes)
    return render(request, "notes/calendar_agenda.html", {
        **page_context(query, "agenda", previous=first - AGENDA_DAYS * ONE_DAY, next=first + AGENDA_DAYS * ONE_DAY),
        "heading": week_heading(first, last),
        "days": make_days(query, dates, notes),
        "has_notes": bool(notes),
    })


@permission_required("notes.view_note", raise_exception=True)
def day(request):
    """Every note of one day: where "+N more" and the day numbers lead."""
    query = CalendarQuery.from_request(request)
    notes = notes_by_day(request, query, query.day, query.day)
    return render(request, "notes/calendar_agenda.html", {
        **page_context(query, "day", previous=query.day - ONE_DAY, next=query.day + ONE_DAY),
        "heading": Day(query.day, "").label,
        "days": make_days(query, [query.day], notes),
        "has_notes": bool(notes),
    })
