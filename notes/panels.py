"""What the notes app adds to shared pages: the Notes tab of a contact and the home page."""

import datetime
from functools import partial

from django.conf import settings
from django.db.models import Q
from django.middleware.csrf import get_token
from django.utils.translation import gettext_lazy as _

from crm import slots
from crm.pagination import paginate, query_without
from notes.filters import ContactNoteFilter
from notes.models import Note, NoteType, today
from notes.quick import log_type_for
from notes.rows import NoteRows

HOME_LIMIT = 10


def contact_notes(request, contact) -> dict:
    """The Notes tab: pinned first, then newest; filtered and paginated (2 queries)."""
    notes = (
        Note.objects.visible_to(request.user)
        .filter(contact=contact)
        .select_related("type", "assigned_to")
        .pinned_first()
    )
    note_filter = ContactNoteFilter(request.GET, queryset=notes)
    page = paginate(request, note_filter.qs, per_page=20)
    here = request.get_full_path()
    note_types = list(NoteType.objects.all())  # one query for the filter menu and « Noter un appel »
    return {
        "contact": contact,
        "page": page,
        "rows": partial(note_rows, request, page, here=here),  # drawn when the page prints it (the template calls it)
        "page_query": query_without(request, "page"),
        "export_query": query_without(request, "page", "tab"),
        "here": here,
        # The two filter menus are written out by the template: Django's select
        # widget renders a sub-template per option, which cost more than the notes.
        "type_choices": [(str(note_type.pk), note_type.label) for note_type in note_types],
        "log_types": [note_type for note_type in note_types if note_type.is_active],
        "log_type": log_type_for(note_types),
        "state_choices": ContactNoteFilter.STATES,
        "chosen": {"type": request.GET.get("type", ""), "state": request.GET.get("state", "")},
    }


def note_rows(request, notes, *, here: str) -> str:
    return NoteRows(user=request.user, csrf_token=get_token(request), here=here).many(notes)


def contact_note_count(request, contact) -> int:
    return Note.objects.visible_to(request.user).filter(contact=contact).count()


def first_few(notes) -> dict:
    """At most HOME_LIMIT notes and whether there are more, in one query."""
    rows = list(notes.select_related("contact", "type")[: HOME_LIMIT + 1])
    return {"notes": rows[:HOME_LIMIT], "has_more": len(rows) > HOME_LIMIT, "today": today()}


def home_panel(get_context, empty, request) -> dict:
    return {**get_context(request), "empty": empty}


def my_actions(request):
    return Note.objects.visible_to(request.user).assigned_to(request.user)


def overdue_panel(request) -> dict:
    return first_few(my_actions(request).overdue().order_by("date", "time", "pk"))


def today_panel(request) -> dict:
    return first_few(my_actions(request).due_on(today()).order_by("time", "pk"))


def next_days_panel(request) -> dict:
    day = today()
    upcoming = my_actions(request).actions().filter(date__gt=day, date__lte=day + datetime.timedelta(days=7))
    return first_few(upcoming.order_by("date", "time", "pk"))


def pinned_panel(request) -> dict:
    """Pinned notes assigned to me or, with the prospection module on, on contacts I manage."""
    mine = Q(assigned_to=request.user)
    if settings.PROSPECTION_ENABLED:  # off, nobody is shown as managing a contact
        mine |= Q(contact__account_manager=request.user)
    return first_few(Note.objects.visible_to(request.user).filter(mine, is_pinned=True).order_by("-date", "-pk"))


slots.register(slots.CONTACT_TABS, slots.Panel(
    key="notes", label=_("Notes"), template="notes/_contact_tab.html", get_context=contact_notes, order=10,
))
slots.register(slots.CONTACT_DELETE, slots.Count(key="notes", label=_("notes"), count=contact_note_count))
for order, (key, label, get_context, empty) in enumerate([
    ("overdue", _("My overdue actions"), overdue_panel, _("Nothing overdue. Well done!")),
    ("today", _("Today"), today_panel, _("Nothing planned today.")),
    ("next-days", _("Next 7 days"), next_days_panel, _("Nothing planned in the next 7 days.")),
    ("pinned", _("Pinned notes"), pinned_panel, _("No pinned note.")),
], start=1):
    slots.register(slots.HOME, slots.Panel(
        key=key, label=label, template="notes/_home_panel.html", order=order * 10,
        get_context=partial(home_panel, get_context, empty),
    ))
