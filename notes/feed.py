"""The private iCalendar feed (RFC 5545): a user's notes, readable without a session.

Whoever holds the secret address reads the notes assigned to its owner that
the owner may see today (permissions are checked on every request), from six
months back to a year ahead.
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from icalendar import Calendar, Event

from notes.calendar_views import add_months
from notes.models import CalendarFeed, Note, today
from notes.reminders import user_language

MONTHS_BACK, MONTHS_AHEAD = 6, 12
# Notes have a start time but no length; calendars show them this long.
EVENT_LENGTH = datetime.timedelta(hours=1)


def feed_window(on: datetime.date) -> tuple[datetime.date, datetime.date]:
    return add_months(on, -MONTHS_BACK), add_months(on, MONTHS_AHEAD)


def feed_notes(owner, *, on: datetime.date):
    """The owner's notes in the feed's window, as the owner may see them now (one query)."""
    return (
        Note.objects.visible_to(owner)
        .assigned_to(owner)
        .filter(date__range=feed_window(on))
        .select_related("contact", "type")
        .order_by("date", F("time").asc(nulls_first=True), "pk")
    )


def note_event(note: Note, zone: ZoneInfo) -> Event:
    contact_url = settings.SITE_URL + note.contact.get_absolute_url()
    event = Event()
    event.add("uid", f"note-{note.pk}@relance")
    event.add("dtstamp", note.updated_at)
    event.add("created", note.created_at)
    event.add("last-modified", note.updated_at)
    if note.time is None:
        event.add("dtstart", note.date)
        event.add("dtend", note.date + datetime.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    else:
        # Wall-clock time in the office's zone (TZID), so daylight saving
        # changes are the calendar client's business, as they should be.
        event.add("dtstart", datetime.datetime.combine(note.date, note.time, tzinfo=zone))
        event.add("duration", EVENT_LENGTH)
    if note.is_done:
        summary = _("✓ %(type)s – %(contact)s") % {"type": note.type.label, "contact": note.contact.name}
    else:
        summary = _("%(type)s – %(contact)s") % {"type": note.type.label, "contact": note.contact.name}
    event.add("summary", summary)
    event.add("description", f"{note.description}\n\n{contact_url}")
    event.add("url", contact_url)
    event.add("categories", [note.type.label])
    event.add("class", "PRIVATE")
    return event


def build_feed(owner, notes, *, on: datetime.date) -> bytes:
    """The iCalendar text of these notes, in the owner's language."""
    zone = ZoneInfo(settings.TIME_ZONE)
    with translation.override(user_language(owner)):
        feed = Calendar()
        feed.add("prodid", "-//Relance//Calendar//EN")
        feed.add("version", "2.0")
        feed.add("calscale", "GREGORIAN")
        feed.add("method", "PUBLISH")
        feed.add("x-wr-calname", _("Relance – %(name)s") % {"name": owner.get_full_name() or owner.get_username()})
        feed.add("x-wr-timezone", settings.TIME_ZONE)
        for note in notes:
            feed.add_component(note_event(note, zone))
        # The zone's rules over the window only (a year's margin), not since 1970.
        start, end = feed_window(on)
        feed.add_missing_timezones(first_date=add_months(start, -12), last_date=add_months(end, 12))
    return feed.to_ical()


@login_not_required
@require_safe
def feed(request, token):
    """The feed itself, for calendar apps: no session, the secret is the key (4 queries)."""
    subscription = CalendarFeed.objects.select_related("user__profile").filter(token=token).first()
    if subscription is None or not subscription.user.has_perm("notes.view_note"):
        raise Http404
    owner = subscription.user
    day = today()
    response = HttpResponse(
        build_feed(owner, feed_notes(owner, on=day), on=day), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="relance.ics"'
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
