import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm.concurrency import VersionedForm
from crm.text import user_name
from notes.models import Note, NoteType, today


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user_name(user)


class NoteTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, note_type):
        return note_type.label


class NoteForm(VersionedForm):
    """The guide's note form. The admin-only box exists only for users allowed to see such notes."""

    assigned_to = UserChoiceField(label=_("Assigned to"), queryset=get_user_model().objects.none())
    type = NoteTypeChoiceField(label=_("Type"), queryset=NoteType.objects.none())

    class Meta:
        model = Note
        fields = ["assigned_to", "date", "time", "is_pinned", "is_done", "admin_only", "type", "description"]
        labels = {
            "date": _("Date"),
            "time": _("Time"),
            "is_pinned": _("Pin"),
            "is_done": _("Is done?"),
            "admin_only": _("Admin only"),
            "description": _("Description"),
        }
        help_texts = {
            "date": _("When it was done or is planned; the note shows on the calendar on this date."),
            "time": _("Optional."),
            "is_pinned": _("Shown at the top of the contact's notes."),
            "is_done": _("A done note is a history note; otherwise it is an action to do."),
            "admin_only": _("Only users with the permission see admin-only notes."),
        }
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "description": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(is_active=True)
        if self.instance.assigned_to_id:
            users = get_user_model().objects.filter(Q(is_active=True) | Q(pk=self.instance.assigned_to_id))
        self.fields["assigned_to"].queryset = users.order_by("first_name", "last_name", "username")
        # An inactive type is no longer offered, but a note that has it keeps it.
        types = Q(is_active=True)
        if self.instance.type_id:
            types |= Q(pk=self.instance.type_id)
        self.fields["type"].queryset = NoteType.objects.filter(types)
        if not self.instance.pk:
            self.initial["assigned_to"] = user.pk
            # The guide never asks for a type: the one the admin marked default (never "the first").
            self.initial["type"] = getattr(NoteType.objects.default(), "pk", None)
        if not user.has_perm("notes.view_admin_only_note"):
            # Not offered means not settable: a forged value is ignored.
            del self.fields["admin_only"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.render_hidden_fields = True  # the version
        checkboxes = [Column(name, css_class="col-md-4") for name in ("is_pinned", "is_done", "admin_only") if name in self.fields]
        self.helper.layout = Layout(
            Row(Column("assigned_to", css_class="col-md-4"), Column("date", css_class="col-md-4"),
                Column("time", css_class="col-md-4")),
            Row(*checkboxes),
            Field("type"),
            Field("description"),
        )

    def save(self, commit=True):
        note = super().save(commit=False)
        if "is_done" in self.changed_data or (note.is_done and note.done_at is None):
            note.mark_done(note.is_done)
        if commit:
            with transaction.atomic():
                self.save_checked(note)
        return note


# The in-place actions (notes/quick.py): small forms, every value checked before anything changes.
TOMORROW, NEXT_WEEK, ON_DATE = "tomorrow", "next_week", "date"


class QuickForm(forms.Form):
    """What every in-place action on a note posts: the version the user saw (required)."""

    version = forms.IntegerField(min_value=0, error_messages={
        "required": _("Open the page again before changing this note: the action did not say which version it changes."),
    })


class DoneForm(QuickForm):
    """Mark done (done=1) or not done (done=0): a state, not a toggle, so a repeated click changes nothing."""

    done = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1",
                                  required=False, empty_value=None)


class RescheduleForm(QuickForm):
    when = forms.ChoiceField(choices=[(TOMORROW, _("Tomorrow")), (NEXT_WEEK, _("Next week")), (ON_DATE, _("On a date"))])
    date = forms.DateField(label=_("New date"), required=False, input_formats=["%Y-%m-%d"])

    def clean(self):
        cleaned = super().clean()
        day = today()
        when = cleaned.get("when")
        if when == TOMORROW:
            cleaned["new_date"] = day + datetime.timedelta(days=1)
        elif when == NEXT_WEEK:
            cleaned["new_date"] = day + datetime.timedelta(days=7)
        elif when == ON_DATE:
            chosen = cleaned.get("date")
            if chosen is None:
                if "date" not in self.errors:
                    self.add_error("date", _("Choose the new date."))
            elif chosen < day:
                self.add_error("date", _("Choose today or a later date."))
            elif chosen > day + datetime.timedelta(days=3660):
                self.add_error("date", _("Choose a date within ten years."))
            else:
                cleaned["new_date"] = chosen
        return cleaned


class LogForm(forms.Form):
    """« Noter un appel / un courriel »: a one-line done note on a contact."""

    type = NoteTypeChoiceField(label=_("Type"), queryset=NoteType.objects.filter(is_active=True))
    text = forms.CharField(label=_("What happened"), max_length=500, error_messages={
        "required": _("Write what happened in a few words."),
    })
