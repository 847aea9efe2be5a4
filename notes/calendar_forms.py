"""The calendar's query string (period and filters), checked against allow-lists.

Every calendar page reads ?date=2026-11-28&assignee=me&type=3&state=history
through CalendarQuery.from_request: a value that is not understood falls back
to its default (and the page says so), it never reaches the ORM.
"""

import datetime
from dataclasses import dataclass, field, replace

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from crm.text import user_name
from notes.models import NoteQuerySet, NoteType, today

MINE = "me"
EVERYONE = "everyone"
HISTORY = "history"
TODO = "todo"
# Far enough for any real use, near enough that moving by a month never
# leaves the range of datetime.date.
FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(2999, 12, 31)


class CalendarFilterForm(forms.Form):
    date = forms.DateField(
        label=_("Date"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )
    assignee = forms.ChoiceField(
        label=_("Assigned to"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    type = forms.ChoiceField(label=_("Type"), required=False, widget=forms.Select(attrs={"class": "form-select"}))
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All states")), (HISTORY, _("History notes")), (TODO, _("To do"))],
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, users, types, **kwargs):
        """users and types are lists already fetched: building the form costs no query."""
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [
            (MINE, _("My notes")),
            (EVERYONE, _("Everyone")),
            (_("Users"), [(str(user.pk), user_name(user)) for user in users]),
        ]
        self.fields["type"].choices = [("", _("All types"))] + [
            (str(note_type.pk), note_type.label) for note_type in types
        ]

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise ValidationError(_("Choose a date between 1900 and 2999."), code="out_of_range")
        return day


@dataclass(frozen=True)
class CalendarQuery:
    day: datetime.date
    assignee: str = MINE  # MINE, EVERYONE or an active user's pk
    type: str = ""  # "" (all types) or a note type's pk
    state: str = ""  # "", HISTORY or TODO
    ignored: bool = False  # some of the query string was not understood
    form: CalendarFilterForm | None = None
    # Every user's name and every note type by pk: the entries take them from
    # here rather than joining them to each note.
    user_labels: dict = field(default_factory=dict, compare=False)
    types: dict = field(default_factory=dict, compare=False)

    @classmethod
    def from_request(cls, request) -> "CalendarQuery":
        """The page's period and filters (2 queries: the users and the note types)."""
        every_user = list(get_user_model().objects.order_by("first_name", "last_name", "username"))
        users = [user for user in every_user if user.is_active]
        types = list(NoteType.objects.all())
        form = CalendarFilterForm(request.GET, users=users, types=types)
        form.is_valid()
        values = {name: value for name, value in form.cleaned_data.items() if value not in (None, "")}
        query = cls(
            day=values.get("date") or today(),
            assignee=values.get("assignee", MINE),
            type=values.get("type", ""),
            state=values.get("state", ""),
            ignored=bool(form.errors),
        )
        # The form shown on the page holds the values in use, not what was typed.
        display = CalendarFilterForm({**query.params(), "date": query.day.isoformat()}, users=users, types=types)
        return replace(query, form=display, user_labels={user.pk: user_name(user) for user in every_user},
                       types={note_type.pk: note_type for note_type in types})

    def params(self, **changes) -> dict:
        """The query string's values that differ from the defaults (day included when set)."""
        values = {"date": self.day.isoformat(), "assignee": self.assignee, "type": self.type, "state": self.state}
        values.update(changes)
        if values["date"] is None:
            del values["date"]
        elif isinstance(values["date"], datetime.date):
            values["date"] = values["date"].isoformat()
        defaults = {"assignee": MINE, "type": "", "state": ""}
        return {name: value for name, value in values.items() if defaults.get(name) != value}

    def url(self, view_name: str, day: datetime.date | None = None, **changes) -> str:
        """A link to a calendar page with these filters, on `day` (today's when None)."""
        return self.link(reverse(view_name), day, **changes)

    def link(self, path: str, day: datetime.date | None = None, **changes) -> str:
        """url() for a path already reversed: a month grid links 42 days to the same page."""
        query_string = urlencode(self.params(date=day, **changes))
        return path + (f"?{query_string}" if query_string else "")

    def filter(self, notes: NoteQuerySet, user) -> NoteQuerySet:
        if self.assignee == MINE:
            notes = notes.assigned_to(user)
        elif self.assignee != EVERYONE:
            notes = notes.filter(assigned_to_id=int(self.assignee))
        if self.type:
            notes = notes.filter(type_id=int(self.type))
        if self.state == HISTORY:
            notes = notes.history()
        elif self.state == TODO:
            notes = notes.actions()
        return notes
