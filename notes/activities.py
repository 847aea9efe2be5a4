"""« Activités »: every note the user may see, filtered, sorted, paginated, exported, changed in bulk.

The query string is read by ActivityFilterForm: a value it does not understand is left out
(the page says so), nothing else reaches the ORM; the sort is one of ORDERINGS.
The default list is the user's own notes, newest first, as the calendar's is.
A page costs a constant number of queries (see the tests): the session and permissions, the
users and the note types the filters offer, the count, the page.
"""

from dataclasses import dataclass

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import DateTimeField, F, Value
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from contacts.filters import search_words
from crm import audit, bulk
from crm.csv_export import csv_response
from crm.formatting import format_date
from crm.links import url_with_pk
from crm.pagination import KeyFirstPaginator, query_without
from crm.text import user_name
from notes.calendar_forms import EVERYONE, FIRST_DAY, LAST_DAY, MINE
from notes.forms import UserChoiceField
from notes.models import Note, NoteType, today
from notes.rows import state_badge
from notes.states import STATES as NOTE_STATES

PAGE_SIZE = 25
MAX_TEXT = 200

STATES = [
    ("todo", gettext_lazy("To do")),
    ("overdue", gettext_lazy("Overdue")),
    ("today", gettext_lazy("To do today")),
    ("follow_up", gettext_lazy("Follow-ups")),
    ("history", gettext_lazy("Done (history)")),
]

# The sorts offered (URL value → the columns, unique with the id last, so pages never overlap);
# "-value" is the same, descending. The date sort is the calendar index's order
# (notes/0006, and the assignee index of notes/0012_activities_assignee_index).
ORDERINGS = {
    "date": [F("date").asc(), F("time").asc(nulls_first=True), F("pk").asc()],
    "contact": [F("contact__name").asc(), F("pk").asc()],
    "assignee": [F("assigned_to__first_name").asc(), F("assigned_to__last_name").asc(), F("pk").asc()],
    "type": [F("type__order").asc(), F("type_id").asc(), F("pk").asc()],
}
DEFAULT_ORDERING = "-date"


def ordering_choices():
    return [(name, name) for name in ORDERINGS] + [(f"-{name}", f"-{name}") for name in ORDERINGS]


class ActivityFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Text"), required=False, max_length=MAX_TEXT)
    contact = forms.CharField(label=gettext_lazy("Contact"), required=False, max_length=MAX_TEXT)
    assignee = forms.ChoiceField(label=gettext_lazy("Assigned to"), required=False)
    type = forms.ChoiceField(label=gettext_lazy("Type"), required=False)
    state = forms.ChoiceField(label=gettext_lazy("State"), required=False,
                              choices=[("", gettext_lazy("All states")), *STATES])
    date_from = forms.DateField(label=gettext_lazy("From"), required=False, input_formats=["%Y-%m-%d"],
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    date_to = forms.DateField(label=gettext_lazy("To"), required=False, input_formats=["%Y-%m-%d"],
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    ordering = forms.ChoiceField(required=False, choices=ordering_choices)

    def __init__(self, *args, users, types, **kwargs):
        """users and types are lists already fetched: building the form costs no query."""
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [
            (MINE, _("My notes")), (EVERYONE, _("Everyone")),
            (_("Users"), [(str(user.pk), user_name(user)) for user in users]),
        ]
        self.fields["type"].choices = [("", _("All types"))] + [(str(kind.pk), kind.label) for kind in types]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
        self.fields["q"].widget.attrs["placeholder"] = _("Words in the note")
        self.fields["contact"].widget.attrs["placeholder"] = _("Contact name")

    def clean_date_from(self):
        return self.checked_day("date_from")

    def clean_date_to(self):
        return self.checked_day("date_to")

    def checked_day(self, name):
        day = self.cleaned_data[name]
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise ValidationError(_("Choose a date between 1900 and 2999."), code="out_of_range")
        return day

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data


class Activities:
    """The list's filters as read from a query string, and the notes they select."""

    def __init__(self, user, params: QueryDict):
        self.user = user
        self.every_user = list(get_user_model().objects.order_by("first_name", "last_name", "username"))
        self.users = [person for person in self.every_user if person.is_active]
        self.types = list(NoteType.objects.all())
        self.form = ActivityFilterForm(params or None, users=self.users, types=self.types)
        self.ignored = self.form.is_bound and not self.form.is_valid()
        # The fields that were understood (a bad one is left out, the others still apply).
        self.values = {name: value for name, value in getattr(self.form, "cleaned_data", {}).items()
                       if value not in (None, "")}
        self.ordering = self.values.get("ordering", DEFAULT_ORDERING)

    def notes(self):
        """The chosen notes in the chosen order (no query yet)."""
        notes = Note.objects.visible_to(self.user)
        values = self.values
        assignee = values.get("assignee", MINE)
        if assignee == MINE:
            notes = notes.assigned_to(self.user)
        elif assignee != EVERYONE:
            notes = notes.filter(assigned_to_id=int(assignee))
        if "type" in values:
            notes = notes.filter(type_id=int(values["type"]))
        if "state" in values:
            notes = self.in_state(notes, values["state"])
        if "date_from" in values:
            notes = notes.filter(date__gte=values["date_from"])
        if "date_to" in values:
            notes = notes.filter(date__lte=values["date_to"])
        for word in values.get("q", "").split()[:8]:
            notes = notes.filter(description__icontains=word)
        for word in search_words(values.get("contact", "")):
            notes = notes.filter(contact__search_text__contains=word)
        name = self.ordering.lstrip("-")
        columns = ORDERINGS[name]
        if self.ordering.startswith("-"):
            columns = [column.copy().reverse_ordering() for column in columns]
        return notes.order_by(*columns)

    @staticmethod
    def in_state(notes, state: str):
        day = today()
        return {
            "history": notes.history,
            "todo": notes.actions,
            "follow_up": lambda: notes.follow_ups(on=day),
            "overdue": lambda: notes.overdue(on=day),
            "today": lambda: notes.due_on(day),
        }[state]()

    def shown_form(self) -> ActivityFilterForm:
        """The form as the page shows it: the values in use, not what was typed."""
        shown = {name: value.isoformat() if hasattr(value, "isoformat") else value
                 for name, value in self.values.items()}
        form = ActivityFilterForm(shown, users=self.users, types=self.types)
        form.is_valid()
        return form


def menu(form, name: str) -> list:
    """A select's options as (value, label, selected, group): what the template writes out."""
    chosen = str(form[name].value() or "")
    options = []
    for value, label in form.fields[name].choices:
        if isinstance(label, (list, tuple)):
            options += [(str(inner), inner_label, str(inner) == chosen, value) for inner, inner_label in label]
        else:
            options.append((str(value), label, str(value) == chosen, ""))
    return options


class NearerEndPaginator(KeyFirstPaginator):
    """Counts and cuts pages over the notes alone, then loads the page's rows by key (`load`).

    The keys are taken from whichever end of the list is nearer: the last page of 50,000 notes is
    the first 25 keys of the reverse order (an index read backwards), not an OFFSET of 49,975.
    """

    def __init__(self, object_list, per_page, *, load, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.load = load

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if top + self.orphans >= self.count:
            top = self.count
        if bottom > self.count - top:
            keys = self.object_list.reverse().values("pk")[self.count - top:self.count - bottom]
        else:
            keys = self.object_list.values("pk")[bottom:top]
        rows = self.load(Note.objects.filter(pk__in=keys).order_by(*self.object_list.query.order_by))
        return self._get_page(rows, number, self)


def load_rows(notes):
    """Only what a row shows: the contact's name rather than its dozens of columns (the type and
    the assignee come from the lists the filters hold)."""
    return (notes.annotate(contact_name=F("contact__name"))
            .only("contact", "date", "time", "is_done", "admin_only", "description", "type", "assigned_to"))


@dataclass(frozen=True)
class Row:
    pk: int
    url: str
    day: str
    time: object
    badge: str
    admin_only: bool
    type: str
    contact: str
    contact_url: str
    description: str
    assignee: str


def rows_of(notes, activities: "Activities") -> list[Row]:
    """What the template shows of each note, worked out once a page (links reversed once, names from the lists)."""
    note_url, contact_url = url_with_pk("notes:detail"), url_with_pk("contacts:detail")
    names = {person.pk: user_name(person) for person in activities.every_user}
    types = {kind.pk: kind.label for kind in activities.types}
    return [Row(pk=note.pk, url=note_url(note.pk), day=format_date(note.date, "SHORT_DATE_FORMAT"), time=note.time,
                badge=state_badge(note.state), admin_only=note.admin_only, type=types.get(note.type_id, ""),
                contact=note.contact_name, contact_url=contact_url(note.contact_id),
                description=Truncator(note.description).chars(140), assignee=names.get(note.assigned_to_id, ""))
            for note in notes]


@permission_required("notes.view_note", raise_exception=True)
def activity_list(request):
    activities = Activities(request.user, request.GET)
    notes = activities.notes()
    page = NearerEndPaginator(notes, PAGE_SIZE, load=load_rows).get_page(request.GET.get("page"))
    shown = activities.shown_form()
    return render(request, "notes/activities.html", {
        "activities": activities,
        "form": shown,
        # The menus are written out by the template: Django's select widget renders a
        # sub-template per option (20 users, 3 menus), which cost more than the rows.
        "menus": {name: menu(shown, name) for name in ("assignee", "type", "state")},
        "page": page,
        "rows": rows_of(page.object_list, activities),
        "page_query": query_without(request, "page"),
        "sort_query": query_without(request, "page", "ordering"),
        "ordering": activities.ordering,
        "list_query": query_without(request, "page"),
        "bulk_actions": NOTES_BULK.offered(request.user),
    })


EXPORT_COLUMNS = [
    gettext_lazy("Date"), gettext_lazy("Time"), gettext_lazy("State"), gettext_lazy("Type"),
    gettext_lazy("Contact"), gettext_lazy("Assigned to"), gettext_lazy("Admin only"), gettext_lazy("Description"),
]


@permission_required("notes.view_note", raise_exception=True)
def activity_export(request):
    """The notes the list shows with its filters and sort, all pages, as a French spreadsheet reads a CSV:
    `;` between the cells, a BOM (crm.csv_export's rules for formulas)."""
    activities = Activities(request.user, request.GET)
    notes = activities.notes()
    audit.record(request.user, "export", kind="note", count=notes.count())
    users = {person.pk: user_name(person) for person in activities.every_user}
    types = {kind.pk: kind.label for kind in activities.types}
    states = {key: str(state.label) for key, state in NOTE_STATES.items()}
    yes, no = _("yes"), _("no")
    rows = notes.annotate(contact_name=F("contact__name")).values_list(
        "date", "time", "is_done", "type_id", "contact_name", "assigned_to_id", "admin_only", "description")
    day = today()

    def cells():
        for date, time, is_done, type_id, contact, assignee, admin_only, description in rows.iterator(2000):
            state = "history" if is_done else "follow_up" if date > day else "overdue" if date < day else "today"
            yield [date.isoformat(), time.strftime("%H:%M") if time else "", states[state], types.get(type_id, ""),
                   contact, users.get(assignee, ""),
                   yes if admin_only else no, description]

    return csv_response(f"activities-{timezone.localdate():%Y-%m-%d}.csv", [str(name) for name in EXPORT_COLUMNS],
                        cells(), delimiter=";")


# Bulk changes -------------------------------------------------------------------------------

class MarkDoneForm(forms.Form):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)

    def values(self) -> dict:
        # A note already done keeps the moment it was done.
        return {"is_done": True, "done_at": Coalesce(F("done_at"), Value(timezone.now(), output_field=DateTimeField()))}

    def done_message(self, count: int) -> str:
        return ngettext("%(count)d note marked done.", "%(count)d notes marked done.", count) % {"count": count}


class ReassignForm(forms.Form):
    assigned_to = UserChoiceField(label=gettext_lazy("Assign to"), queryset=get_user_model().objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = get_user_model().objects.filter(is_active=True).order_by(
            "first_name", "last_name", "username")
        self.fields["assigned_to"].widget.attrs["class"] = "form-select"

    def values(self) -> dict:
        return {"assigned_to": self.cleaned_data["assigned_to"]}

    def done_message(self, count: int) -> str:
        return ngettext("%(count)d note assigned to %(name)s.", "%(count)d notes assigned to %(name)s.", count) % {
            "count": count, "name": user_name(self.cleaned_data["assigned_to"])}


class RescheduleForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("New date"), input_formats=["%Y-%m-%d"],
                           widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
                           help_text=gettext_lazy("Each note keeps its time."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)

    def clean_date(self):
        day = self.cleaned_data["date"]
        if not FIRST_DAY <= day <= LAST_DAY:
            raise ValidationError(_("Choose a date between 1900 and 2999."), code="out_of_range")
        return day

    def values(self) -> dict:
        return {"date": self.cleaned_data["date"]}

    def done_message(self, count: int) -> str:
        return ngettext("%(count)d note rescheduled.", "%(count)d notes rescheduled.", count) % {"count": count}


def changeable_notes(user):
    """What a user may change in bulk: the notes they may see, with the permission to change notes."""
    if not user.has_perm("notes.change_note"):
        return Note.objects.none()
    return Note.objects.visible_to(user)


NOTES_BULK = bulk.BulkList(
    model=Note,
    allowed=changeable_notes,
    matching=lambda user, query: Activities(user, query).notes(),
    actions=[
        bulk.Action("done", gettext_lazy("Mark done"), MarkDoneForm, "notes.change_note"),
        bulk.Action("reassign", gettext_lazy("Reassign"), ReassignForm, "notes.change_note"),
        bulk.Action("reschedule", gettext_lazy("Reschedule"), RescheduleForm, "notes.change_note"),
    ],
    list_url="notes:activities",
    title=gettext_lazy("Activities"),
    noun=lambda count: ngettext("%(count)d note", "%(count)d notes", count) % {"count": count},
)


@permission_required("notes.change_note", raise_exception=True)
def activity_bulk(request):
    return bulk.bulk_view(request, NOTES_BULK)
