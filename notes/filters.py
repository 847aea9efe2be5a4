import django_filters
from django.utils.translation import gettext_lazy as _

from notes.forms import NoteTypeChoiceField
from notes.models import Note, NoteType, today


class NoteTypeFilter(django_filters.ModelChoiceFilter):
    field_class = NoteTypeChoiceField


class ContactNoteFilter(django_filters.FilterSet):
    """Filters of the Notes tab on a contact file."""

    STATES = [
        ("history", _("History notes")),
        ("todo", _("To do")),
        ("follow_up", _("Follow-ups")),
        ("overdue", _("Overdue")),
    ]
    type = NoteTypeFilter(label=_("Type"), queryset=NoteType.objects.all(), empty_label=_("All types"))
    state = django_filters.ChoiceFilter(label=_("State"), choices=STATES, method="filter_state", empty_label=_("All notes"))

    class Meta:
        model = Note
        fields = ["type", "state"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs["class"] = "form-select"

    def filter_state(self, queryset, name, value):
        day = today()
        return {
            "history": queryset.history(),
            "todo": queryset.actions(),
            "follow_up": queryset.follow_ups(on=day),
            "overdue": queryset.overdue(on=day),
        }[value]
