"""The private iCalendar feed (RFC 5545): a user's notes, readable without a session.

Whoever holds the secret address reads the notes assigned to its owner that
the owner may see today (permissions are checked on every request), from 30
days back to a year ahead. Actions with a time from today on ring (VALARM) the owner's chosen
minutes before, when the owner chose an alarm in My preferences (Profile.calendar_alarm).
"""

import datetime
import functools
import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, F, Max
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from icalendar import Timezone

from crm.dates import add_months
from crm.links import url_with_pk
from crm.models import Profile
from crm.text import user_name
from notes.models import CalendarFeed, Note, NoteType, today

# What calendar apps need: the last month's history and the year ahead. Six
# months back made a busy rep's feed 15,000 events (seven megabytes, twenty
# seconds) for apps that re-read it every few hours.
DAYS_BACK, MONTHS_AHEAD = 30, 12
# Notes have a start time but no length; calendars show them this long.
EVENT_LENGTH = "PT1H"
# How often calendar apps should read the feed again (RFC 7986 REFRESH-INTERVAL, and Outlook's
# X-PUBLISHED-TTL); an unchanged feed costs them a 304.
REFRESH = "PT1H"
# Part of every ETag: change it when the feed's text changes for the same notes, so that
# calendar apps read the new text instead of being told nothing changed.
FEED_FORMAT = "2"

# Characters RFC 5545 forbids in a content line (CONTROL: C0 but tab, DEL; C1 too, which some
# parsers take for line ends) and Unicode's line and paragraph separators: a text field of a
# note takes whatever is typed, pasted or imported. Line breaks of any kind become the escaped
# newline of TEXT; the others go.
LINE_BREAKS = "\x0b\x0c\x85\u2028\u2029"
UNSAFE_TEXT = {
    **{code: None for code in [*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F, *range(0x80, 0xA0)]},
    **{ord(char): "\n" for char in LINE_BREAKS},
}


def alarm_minutes(user) -> int | None:
    """How many minutes before a timed action the user's calendar app should ring (My preferences);
    None: no alarm."""
    try:
        return user.profile.calendar_alarm
    except ObjectDoesNotExist:
        return None


def feed_window(on: datetime.date) -> tuple[datetime.date, datetime.date]:
    return on - datetime.timedelta(days=DAYS_BACK), add_months(on, MONTHS_AHEAD)


def feed_notes(owner, *, on: datetime.date):
    """The owner's notes in the feed's window, as the owner may see them now (one query).

    Rows of plain values, not model instances: a feed has thousands of events
    and what each shows is a few columns.
    """
    return (
        Note.objects.visible_to(owner)
        .assigned_to(owner)
        .filter(date__range=feed_window(on))
        .order_by("date", F("time").asc(nulls_first=True), "pk")
        .values_list("pk", "date", "time", "is_done", "description", "created_at", "updated_at",
                     "contact_id", "contact__name", "type_id", "type__label_fr", "type__label_en",
                     "contact__updated_at")
    )


def feed_etag(owner, *, on: datetime.date, count: int, notes_changed, contacts_changed) -> tuple[str, datetime.datetime]:
    """The (ETag, Last-Modified) of the owner's feed: what its text depends on, without its text.

    The notes the owner may see in the window (how many, when the last one and the last of their
    contacts changed: a deleted note changes the count, any other edit a date), the day (the
    window moves), and the owner's name, language, alarm choice and permissions. Notes the owner may not see
    take no part: a change to one does not turn a 304 into a 200. Last-Modified is no earlier than
    today's midnight, so that a client sending only If-Modified-Since reads the feed again each
    day; such a client sees a deletion alone, or a new language, the next day (apps send ETags).
    """
    key = "|".join(str(part) for part in [
        FEED_FORMAT, on, settings.SITE_URL, settings.TIME_ZONE, Profile.language_of(owner), alarm_minutes(owner),
        user_name(owner), owner.has_perm("notes.view_admin_only_note"),
        count, notes_changed, contacts_changed,
    ])
    midnight = datetime.datetime.combine(on, datetime.time.min, tzinfo=timezone.get_current_timezone())
    last_modified = max(moment for moment in (notes_changed, contacts_changed, midnight) if moment is not None)
    return quote_etag(hashlib.sha256(key.encode()).hexdigest()[:32]), last_modified


def feed_etag_of_rows(owner, rows, *, on: datetime.date):
    """feed_etag from the rows of feed_notes, as feed_etag_of_notes gets it from the database."""
    return feed_etag(owner, on=on, count=len(rows), notes_changed=max((row[6] for row in rows), default=None),
                     contacts_changed=max((row[12] for row in rows), default=None))


def feed_etag_of_notes(owner, notes, *, on: datetime.date):
    """feed_etag of feed_notes(...) without reading the notes (one aggregate query)."""
    found = notes.order_by().aggregate(count=Count("pk"), notes=Max("updated_at"), contacts=Max("contact__updated_at"))
    return feed_etag(owner, on=on, count=found["count"], notes_changed=found["notes"],
                     contacts_changed=found["contacts"])


def ics_text(value: str) -> str:
    """A TEXT value with its special characters escaped (RFC 5545, 3.3.11), without the characters
    a content line may not hold (UNSAFE_TEXT)."""
    return (value.translate(UNSAFE_TEXT).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold_line(line: str) -> bytes:
    """A content line of at most 75 octets, continued on lines starting with a space (RFC 5545, 3.1).

    A UTF-8 character is never split.
    """
    data = line.encode()
    if len(data) <= 75:
        return data + b"\r\n"
    parts, start, limit = [], 0, 75
    while len(data) - start > limit:
        end = start + limit
        while data[end] & 0xC0 == 0x80:  # a continuation byte: cut before its character
            end -= 1
        parts.append(data[start:end])
        start, limit = end, 74  # the leading space counts
    parts.append(data[start:])
    return b"\r\n ".join(parts) + b"\r\n"


def utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def event_lines(row, *, zone: str, host: str, contact_url, summaries: tuple[str, str], type_label: str,
                alarm: tuple[int, str] | None = None) -> list[str]:
    """One note as a VEVENT, its content lines unfolded; with `alarm` (minutes before, description
    format; see rings), a VALARM."""
    pk, date, time, is_done, description, created_at, updated_at, contact_id, contact_name = row[:9]
    url = settings.SITE_URL + contact_url(contact_id)
    stamp = utc(updated_at)
    lines = ["BEGIN:VEVENT", f"UID:note-{pk}@{host}", f"DTSTAMP:{stamp}", f"CREATED:{utc(created_at)}",
             f"LAST-MODIFIED:{stamp}"]
    if time is None:
        lines += [f"DTSTART;VALUE=DATE:{date:%Y%m%d}",
                  f"DTEND;VALUE=DATE:{date + datetime.timedelta(days=1):%Y%m%d}", "TRANSP:TRANSPARENT"]
    else:
        # Wall-clock time in the office's zone (TZID), so daylight saving
        # changes are the calendar client's business, as they should be.
        lines += [f"DTSTART;TZID={zone}:{date:%Y%m%d}T{time:%H%M%S}", f"DURATION:{EVENT_LENGTH}"]
    summary = summaries[is_done] % {"type": type_label, "contact": contact_name}
    lines += [f"SUMMARY:{ics_text(summary)}", f"DESCRIPTION:{ics_text(description)}\\n\\n{ics_text(url)}", f"URL:{url}",
              f"CATEGORIES:{ics_text(type_label)}", "CLASS:PRIVATE"]
    if alarm is not None:
        minutes, description = alarm
        lines += ["BEGIN:VALARM", "ACTION:DISPLAY", f"TRIGGER:-PT{minutes}M",
                  f"DESCRIPTION:{ics_text(description % {'summary': summary})}", "END:VALARM"]
    lines.append("END:VEVENT")
    return lines


def rings(row, *, on: datetime.date) -> bool:
    """Whether a note of feed_notes gets the owner's alarm: an action with a time, today or later.
    Not an all-day note (no moment to ring before), not a done one, not an overdue one: choosing
    an alarm would otherwise pop up a month of missed alarms at once."""
    _pk, date, time, is_done = row[:4]
    return time is not None and not is_done and date >= on


@functools.lru_cache(maxsize=4)
def zone_component(zone: str, first_date: datetime.date, last_date: datetime.date) -> bytes:
    """The zone's VTIMEZONE over these dates (the same all day long: kept)."""
    return Timezone.from_tzid(zone, first_date=first_date, last_date=last_date).to_ical()


def build_feed(owner, rows, *, on: datetime.date) -> bytes:
    """The iCalendar text of these notes (rows of feed_notes), in the owner's language.

    Written line by line: the icalendar package's objects cost about a
    millisecond per event; its VTIMEZONE is used as is.
    """
    zone = settings.TIME_ZONE
    host = urlsplit(settings.SITE_URL).hostname or "relance"  # UIDs are unique on this host's name
    contact_url = url_with_pk("contacts:detail")  # Contact.get_absolute_url
    with translation.override(Profile.language_of(owner)):
        summaries = (_("%(type)s – %(contact)s"), _("✓ %(type)s – %(contact)s"))
        name = _("Relance – %(name)s") % {"name": user_name(owner)}
        minutes = alarm_minutes(owner)
        alarm = (minutes, _("Reminder: %(summary)s")) if minutes else None
        type_labels = {}
        events, timed = [], False
        for row in rows:
            type_id = row[9]
            if type_id not in type_labels:
                type_labels[type_id] = NoteType(label_fr=row[10], label_en=row[11]).label
            timed = timed or row[2] is not None
            events += event_lines(row, zone=zone, host=host, contact_url=contact_url, summaries=summaries,
                                  type_label=type_labels[type_id],
                                  alarm=alarm if alarm and rings(row, on=on) else None)
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Relance//Calendar//EN", "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH", f"X-WR-CALNAME:{ics_text(name)}", f"X-WR-TIMEZONE:{ics_text(zone)}",
            f"REFRESH-INTERVAL;VALUE=DURATION:{REFRESH}", f"X-PUBLISHED-TTL:{REFRESH}"]
    parts = [fold_line(line) for line in head]
    if timed:
        # The zone's rules over the window only (a year's margin), not since 1970.
        start, end = feed_window(on)
        parts.append(zone_component(zone, add_months(start, -12), add_months(end, 12)))
    parts += [fold_line(line) for line in events]
    parts.append(b"END:VCALENDAR\r\n")
    return b"".join(parts)


@login_not_required
@require_safe
def feed(request, token):
    """The feed itself, for calendar apps: no session, the secret is the key (3 queries).

    A poll with If-None-Match or If-Modified-Since first asks the database whether the feed
    changed (one aggregate, see feed_etag): 304 when it did not, else the notes (4 queries).
    """
    subscription = CalendarFeed.objects.select_related("user__profile").filter(token=token).first()
    if subscription is None or not subscription.user.has_perm("notes.view_note"):
        raise Http404
    owner = subscription.user
    day = today()
    notes = feed_notes(owner, on=day)
    if "if-none-match" in request.headers or "if-modified-since" in request.headers:
        etag, last_modified = feed_etag_of_notes(owner, notes, on=day)
        response = get_conditional_response(request, etag=etag, last_modified=int(last_modified.timestamp()))
        if response is not None:  # 304 Not Modified (or 412 to an If-Match)
            return feed_headers(response, etag, last_modified)
    rows = list(notes)
    # From the rows sent, not the aggregate: a change between the two queries is seen next time.
    etag, last_modified = feed_etag_of_rows(owner, rows, on=day)
    response = HttpResponse(build_feed(owner, rows, on=day), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="relance.ics"'
    return feed_headers(response, etag, last_modified)


def feed_headers(response, etag: str, last_modified: datetime.datetime):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified.timestamp())
    # Calendar apps may keep it, but ask each time (a 304 when unchanged).
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response


@permission_required("notes.view_note", raise_exception=True)
def feed_settings(request):
    subscription = CalendarFeed.objects.filter(user=request.user).first()
    return render(request, "notes/feed_settings.html", {"subscription": subscription})


@require_POST
@permission_required("notes.view_note", raise_exception=True)
def feed_create(request):
    """Create the address, or replace it: the old one stops working at once."""
    replaced = CalendarFeed.objects.filter(user=request.user).exists()
    CalendarFeed.rotate(request.user)
    if replaced:
        messages.success(request, _("Your calendar address was replaced; the old one no longer works."))
    else:
        messages.success(request, _("Your private calendar address was created."))
    return redirect("calendar:feed_settings")


@require_POST
@permission_required("notes.view_note", raise_exception=True)
def feed_revoke(request):
    CalendarFeed.objects.filter(user=request.user).delete()
    messages.success(request, _("Your calendar address was revoked; calendar apps can no longer read it."))
    return redirect("calendar:feed_settings")
