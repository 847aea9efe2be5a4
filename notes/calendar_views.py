"""Calendar pages: month, week, list and day, over the notes the user may see.

Each page runs a constant number of queries whatever the number of notes:
the session and the user's permissions, the users and note types offered by
the filters, then for the day view the day's notes, for the others the ids
of the first notes of each cell, those notes and a count per cell. However
busy the team, a page shows a bounded number of entries: the rest are a
"+N more" link to the day.
"""

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import quote as urlquote

from django.contrib.auth.decorators import permission_required
from django.db.models import Count, F, Window
from django.db.models.functions import ExtractHour, RowNumber
from django.shortcuts import render
from django.urls import reverse
from django.utils.dateformat import time_format
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from crm.dates import add_months
from crm.formatting import format_date
from crm.links import url_with_pk
from crm.pagination import paginate, query_without
from crm.text import user_name
from notes.calendar_forms import CalendarQuery
from notes.models import Note, today
from notes.states import State
from notes.states import translated as states  # the states' words in the current language

# A month cell shows this many entries, then "+N more" linking to the day;
# so does each hour of the week view (and its row of notes without a time),
# and each day of the list. The day view shows every note.
CELL_ENTRIES = 4
SLOT_ENTRIES = 3
AGENDA_DAY_ENTRIES = 20
# The day view lists every note of the day, in pages (a busy day for everyone: 1,200).
DAY_PAGE_SIZE = 100
# The week view always shows these hours; earlier or later notes widen it.
DAY_START, DAY_END = 8, 18
ONE_DAY = datetime.timedelta(days=1)


def first_weekday() -> int:
    """Python's weekday the week starts on: Monday in French, Sunday in English."""
    return (int(get_format("FIRST_DAY_OF_WEEK")) - 1) % 7


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=(day.weekday() - first_weekday()) % 7)


def week_heading(start: datetime.date, end: datetime.date) -> str:
    """1er – 7 mars 2027 / 1 – 7 March 2027, naming both months or years when they differ."""
    if (start.year, start.month) == (end.year, end.month):
        return pgettext("calendar week heading", "%(first)s – %(last)s %(month)s %(year)s") % {
            "month": format_date(start, "F"), "first": format_date(start, "j"), "last": end.day, "year": start.year,
        }
    if start.year == end.year:
        return pgettext("calendar week heading", "%(start)s – %(end)s %(year)s") % {
            "start": format_date(start, "MONTH_DAY_FORMAT"),
            "end": format_date(end, "MONTH_DAY_FORMAT"),
            "year": start.year,
        }
    heading_date = pgettext("PHP date format for a date in a heading", "j F Y")
    return pgettext("calendar week heading", "%(start)s – %(end)s") % {
        "start": format_date(start, heading_date),
        "end": format_date(end, heading_date),
    }


def month_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = day.replace(day=1)
    return first, add_months(first, 1) - ONE_DAY


def visible_notes(request, query: CalendarQuery, start: datetime.date, end: datetime.date):
    """The notes this user may see from start to end, with the page's filters (no query yet)."""
    return query.filter(Note.objects.visible_to(request.user), request.user).filter(date__range=(start, end))


def within_day() -> list:
    """A day's order: notes without a time first, then by time (the calendar index's order)."""
    return [F("time").asc(nulls_first=True), F("pk").asc()]


def load(notes) -> list[Note]:
    """These notes in day order with their contact's name (one query).

    Only what an entry shows is read (contacts have dozens of columns); the
    type and the assignee come from the lists the filters already hold.
    """
    return list(notes.annotate(contact_name=F("contact__name"))
                .only("date", "time", "is_done", "description", "contact", "type", "assigned_to")
                .order_by("date", *within_day()))


def first_notes(notes, *, slot: list, per_slot: int) -> list[Note]:
    """The first per_slot notes of each slot (a day, or an hour of a day), in day order: two queries.

    A busy team has thousands of notes a month; a month cell shows four. The
    notes are ranked on the calendar index alone (migration 0006: it is in
    this order, so day slots need no sort; about 5 ms for the 43,000 notes of
    six weeks at scale L), then only those are loaded. order_by() drops the
    model's ordering, whose is_pinned would make the ranking read the table.
    The ids are fetched first: as a subquery the planner misjudges their number.
    """
    ranked = notes.order_by().annotate(rank=Window(RowNumber(), partition_by=slot, order_by=within_day()))
    ids = list(ranked.filter(rank__lte=per_slot).values_list("pk", flat=True))
    return load(Note.objects.filter(pk__in=ids))


def counts_by(notes, *fields: str) -> dict:
    """How many notes each slot has, keyed like the slot (one aggregate query): "+N more"."""
    rows = notes.order_by().values_list(*fields).annotate(count=Count("pk"))
    if len(fields) == 1:
        return dict(rows)
    return {tuple(row[:-1]): row[-1] for row in rows}


@dataclass(slots=True)
class Entry:
    """A note as the calendar shows it.

    Worked out in Python once per note: in a template every lookup, filter and
    include costs microseconds, and a grid shows a couple of hundred entries.
    For the same reason the pages print {{ entry.html }} (grids) and
    {{ entry.row_html }} (the list), the markup below (every value escaped by
    format_html). An in-place action answers with the same markup (notes.views).
    """

    pk: int
    state: State
    url: str  # the note
    contact_url: str
    contact: str
    time: str  # "" for a note without a time
    text: str  # the description's first line
    type: str
    assignee: str
    actions_url: str = ""  # the note's action menu; "" for a user who may not change notes
    back: str = ""  # the page's own address, for the menu without JavaScript

    @property
    def meta(self) -> str:
        return f"{self.type} · {self.assignee}"

    @property
    def title(self) -> str:
        title = f"{self.contact} · {self.type} · {self.assignee}"
        return f"{title} — {self.text}" if self.text else title

    def menu_link(self, container: str, shape: str) -> str:
        if not self.actions_url:
            return ""
        return format_html(MENU_LINK_HTML, url=self.actions_url, back=self.back, shape=shape, container=container,
                           words=pgettext("calendar entry", "Actions on this note"))

    def html(self, notice: str = "", menu: str = "") -> str:
        return format_html(
            ENTRY_HTML, css=self.state.css, state=self.state.name, icon=self.state.icon, label=self.state.label,
            pk=self.pk, url=self.url, title=self.title, contact=self.contact,
            time=format_html(TIME_HTML, self.time) if self.time else "",
            text=format_html(TEXT_HTML, self.text) if self.text else "", meta=self.meta,
            menu_link=self.menu_link(".cal-item", "cal"), notice=notice, menu=menu,
        )

    def row_html(self, notice: str = "", menu: str = "") -> str:
        return format_html(
            ROW_HTML, css=self.state.css, state=self.state.name, icon=self.state.icon, label=self.state.label,
            pk=self.pk, url=self.url, contact_url=self.contact_url, contact=self.contact,
            time=self.time or str(ALL_DAY), type=self.type,
            assignee=self.assignee, text=self.text, menu_link=self.menu_link("tr", "agenda"), notice=notice,
            menu=menu,
        )


ALL_DAY = _("All day")
# A month cell or week slot entry: the state in words for screen readers
# (hidden), in colour and by icon for the eye; the entry opens the note, the
# "…" beside it its actions (in place with htmx, else the note's action page).
ENTRY_HTML = (
    '<div class="cal-item" data-note="{pk}">'
    '<a class="cal-entry cal-{css}" href="{url}" data-state="{state}" data-note="{pk}" title="{title}">\n'
    '  <span class="cal-entry-main"><i class="bi {icon}" aria-hidden="true"></i> '
    '<span class="visually-hidden">{label}</span>{time} <span class="cal-contact">{contact}</span></span>\n'
    '  {text}\n'
    '  <span class="cal-meta">{meta}</span>\n'
    '</a>{menu_link}{notice}{menu}</div>'
)
TIME_HTML = ' <span class="cal-time">{}</span>'
TEXT_HTML = '<span class="cal-text">{}</span>'
MENU_LINK_HTML = ('<a class="cal-act" href="{url}?next={back}" hx-get="{url}?shape={shape}" hx-target="closest {container}" '
                  'hx-swap="outerHTML" title="{words}"><i class="bi bi-three-dots" aria-hidden="true"></i>'
                  '<span class="visually-hidden">{words}</span></a>')
ROW_HTML = (
    '<tr class="cal-row cal-{css}" data-state="{state}" data-note="{pk}">\n'
    '  <td class="cal-row-time text-nowrap">{time}</td>\n'
    '  <td class="text-nowrap"><span class="cal-badge cal-{css}"><i class="bi {icon}" aria-hidden="true"></i> '
    '<span>{label}</span></span></td>\n'
    '  <td><a class="fw-semibold" href="{contact_url}">{contact}</a></td>\n'
    '  <td>{type}</td>\n'
    '  <td class="text-nowrap">{assignee}</td>\n'
    '  <td class="cal-row-text"><a class="link-secondary" href="{url}">{text}</a> {menu_link}{notice}{menu}</td>\n'
    '</tr>'
)


def entry_for(note: Note, *, may_change: bool, here: str) -> Entry:
    """One note as an entry, on its own (the answer to an in-place action); the note has its
    contact, type and assignee loaded."""
    return Entry(
        pk=note.pk, state=states()[note.state], url=note.get_absolute_url(),
        contact_url=note.contact.get_absolute_url(), contact=note.contact.name,
        time=time_format(note.time, get_format("TIME_FORMAT")) if note.time else "",
        text=str(note) if note.description else "", type=note.type.label, assignee=user_name(note.assigned_to),
        actions_url=reverse("notes:actions", args=[note.pk]) if may_change else "", back=urlquote(here),
    )


class EntryMaker:
    """Turns notes from load() into entries, with what they share (labels, formats) looked up once."""

    def __init__(self, query: CalendarQuery, *, may_change: bool, here: str):
        self.states = states()
        self.note_url = url_with_pk("notes:detail")  # Note.get_absolute_url
        self.contact_url = url_with_pk("contacts:detail")  # Contact.get_absolute_url
        self.actions_url = url_with_pk("notes:actions") if may_change else None
        self.back = urlquote(here)
        self.time_format = get_format("TIME_FORMAT")
        self.times = {}
        self.users = query.user_labels
        self.types = {pk: note_type.label for pk, note_type in query.types.items()}

    def __call__(self, note: Note) -> Entry:
        if note.time is None:
            time = ""
        elif (time := self.times.get(note.time)) is None:
            time = self.times[note.time] = time_format(note.time, self.time_format)
        # A user or type added since the filters were read is fetched on its own.
        assignee = self.users.get(note.assigned_to_id) or user_name(note.assigned_to)
        note_type = self.types.get(note.type_id) or note.type.label
        return Entry(
            pk=note.pk, state=self.states[note.state], url=self.note_url(note.pk),
            contact_url=self.contact_url(note.contact_id), contact=note.contact_name, time=time, text=str(note) if note.description else "",
            type=note_type, assignee=assignee,
            actions_url=self.actions_url(note.pk) if self.actions_url else "", back=self.back,
        )


@dataclass(slots=True)
class Slot:
    """A week cell: the first entries of an hour (or of the notes without a time) and how many more."""

    date: datetime.date
    entries: list
    more: int
    url: str  # the day, where the rest are


@dataclass
class Day:
    date: datetime.date
    url: str
    notes: list = field(default_factory=list)  # the notes loaded: all, or the first few
    entries: list = field(default_factory=list)
    in_period: bool = True
    more: int = 0  # the notes of the day that were not loaded
    is_today: bool = False

    @property
    def label(self) -> str:
        return format_date(self.date, pgettext("PHP date format for a day heading", "l j F Y"))


def make_days(request, query: CalendarQuery, dates, notes: list[Note], *, month: int | None = None,
              counts: dict | None = None) -> list[Day]:
    """The days of a page with their notes (loaded in day order) and, when only the
    first few of each day were loaded, how many more each has."""
    by_day = defaultdict(list)
    for note in notes:
        by_day[note.date].append(note)
    make_entry = EntryMaker(query, may_change=request.user.has_perm("notes.change_note"),
                            here=request.get_full_path())
    path = reverse("calendar:day")
    on = today()
    days = []
    for date in dates:
        day_notes = by_day.get(date, [])
        more = 0 if counts is None else max(0, counts.get(date, 0) - len(day_notes))
        days.append(Day(
            date, query.link(path, date), day_notes, [make_entry(note) for note in day_notes],
            month is None or date.month == month, more, date == on,
        ))
    return days


def page_context(query: CalendarQuery, view: str, *, previous: datetime.date, next: datetime.date) -> dict:
    """What every calendar page shows around its grid: navigation, view switch, filters and legend."""
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
        "states": states().values(),
    }


@permission_required("notes.view_note", raise_exception=True)
def month(request):
    """Six weeks at most; each cell shows its first four notes and "+N more" (8 queries)."""
    query = CalendarQuery.from_request(request)
    first, _last = month_bounds(query.day)
    weeks = calendar.Calendar(first_weekday()).monthdatescalendar(first.year, first.month)
    start, end = weeks[0][0], weeks[-1][-1]
    notes = visible_notes(request, query, start, end)
    days = make_days(request, query, [day for week in weeks for day in week],
                     first_notes(notes, slot=[F("date")], per_slot=CELL_ENTRIES),
                     month=first.month, counts=counts_by(notes, "date"))
    return render(request, "notes/calendar_month.html", {
        **page_context(query, "month", previous=add_months(first, -1), next=add_months(first, 1)),
        "heading": format_date(first, "YEAR_MONTH_FORMAT"),
        "weeks": [days[offset:offset + 7] for offset in range(0, len(days), 7)],
    })


def hour_of(note: Note) -> int | None:
    return None if note.time is None else note.time.hour


@permission_required("notes.view_note", raise_exception=True)
def week(request):
    """Seven days by hour; each hour of a day, and its notes without a time, show
    their first three notes and "+N more" (8 queries)."""
    query = CalendarQuery.from_request(request)
    start = week_start(query.day)
    dates = [start + datetime.timedelta(days=offset) for offset in range(7)]
    notes = visible_notes(request, query, dates[0], dates[-1]).annotate(hour=ExtractHour("time"))
    counts = counts_by(notes, "date", "hour")
    days = make_days(request, query, dates, first_notes(notes, slot=[F("date"), F("hour")], per_slot=SLOT_ENTRIES))
    hours_used = [hour for _date, hour in counts if hour is not None]
    hours = range(min([DAY_START, *hours_used]), max([DAY_END, *hours_used]) + 1)
    slots = {}
    for day in days:
        for note, entry in zip(day.notes, day.entries):
            slots.setdefault((day.date, hour_of(note)), []).append(entry)

    def slot(day: Day, hour: int | None) -> Slot:
        entries = slots.get((day.date, hour), [])
        return Slot(day.date, entries, counts.get((day.date, hour), 0) - len(entries), day.url)

    return render(request, "notes/calendar_week.html", {
        **page_context(query, "week", previous=start - 7 * ONE_DAY, next=start + 7 * ONE_DAY),
        "heading": week_heading(dates[0], dates[-1]),
        "days": days,
        "all_day": [slot(day, None) for day in days],
        "rows": [(datetime.time(hour), [slot(day, hour) for day in days]) for hour in hours],
    })


AGENDA_DAYS = 35


@permission_required("notes.view_note", raise_exception=True)
def agenda(request):
    """Five weeks from the start of the chosen day's week, as a list of the days
    that have notes: this week's history and the coming follow-ups at once.
    Each day lists its first notes and links to the rest (8 queries)."""
    query = CalendarQuery.from_request(request)
    first = week_start(query.day)
    last = first + (AGENDA_DAYS - 1) * ONE_DAY
    notes = visible_notes(request, query, first, last)
    counts = counts_by(notes, "date")
    loaded = first_notes(notes, slot=[F("date")], per_slot=AGENDA_DAY_ENTRIES) if counts else []
    return render(request, "notes/calendar_agenda.html", {
        **page_context(query, "agenda", previous=first - AGENDA_DAYS * ONE_DAY, next=first + AGENDA_DAYS * ONE_DAY),
        "heading": week_heading(first, last),
        "days": make_days(request, query, sorted(counts), loaded, counts=counts),
        "has_notes": bool(counts),
    })


@permission_required("notes.view_note", raise_exception=True)
def day(request):
    """The notes of one day, DAY_PAGE_SIZE a page: where "+N more" and the day numbers lead (7 queries)."""
    query = CalendarQuery.from_request(request)
    notes = visible_notes(request, query, query.day, query.day).order_by("date", *within_day())
    page = paginate(request, notes, per_page=DAY_PAGE_SIZE)
    notes = page.object_list = load(page.object_list)
    return render(request, "notes/calendar_agenda.html", {
        **page_context(query, "day", previous=query.day - ONE_DAY, next=query.day + ONE_DAY),
        "heading": Day(query.day, "").label,
        "days": make_days(request, query, [query.day], notes),
        "has_notes": bool(notes),
        "page": page,
        "page_query": query_without(request, "page"),
    })
