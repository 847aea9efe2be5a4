from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from crm.models import AuditEntry
from crm.text import user_name

KEEP, TAKE = "keep", "take"


def shown(instance, name: str) -> str:
    """A field's value as users read it (a choice's label, a user's name), '—' when empty."""
    field = instance._meta.get_field(name)
    value = getattr(instance, name)
    if field.choices and not field.is_relation:
        value = getattr(instance, f"get_{name}_display")()
    elif isinstance(value, get_user_model()):
        value = user_name(value)
    elif isinstance(value, bool):
        value = _("yes") if value else _("no")
    return str(value) if value not in (None, "") else "—"


class MergeForm(forms.Form):
    """One choice per field whose values differ: keep the survivor's or take the other's.

    Carries both records' versions: a merge of records changed since the page was opened
    is refused (crm.concurrency.StaleEdit)."""

    survivor_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    other_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, survivor, other, fields: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.survivor, self.other = survivor, other
        self.initial.setdefault("survivor_version", survivor.version)
        self.initial.setdefault("other_version", other.version)
        self.differing = []
        for name in fields:
            if getattr(survivor, name) == getattr(other, name):
                continue
            model_field = survivor._meta.get_field(name)
            # By default the survivor keeps its value, or takes the other's where it has none.
            self.fields[name] = forms.ChoiceField(
                label=model_field.verbose_name, widget=forms.RadioSelect(attrs={"class": "form-check-input"}), required=False,
                initial=KEEP if getattr(survivor, name) not in ("", None) else TAKE,
                choices=[(KEEP, shown(survivor, name)), (TAKE, shown(other, name))],
            )
            self.differing.append(name)

    def chosen_values(self) -> dict:
        """The fields whose value comes from the other record."""
        return {name: getattr(self.other, name) for name in self.differing
                if (self.cleaned_data[name] or self.fields[name].initial) == TAKE}


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("action"), required=False,
                               choices=[("", _("All actions")), *AuditEntry.Action.choices])
    user = forms.ModelChoiceField(label=_("by"), required=False, empty_label=_("Everyone"),
                                  queryset=get_user_model().objects.order_by("username"))
    since = forms.DateField(label=_("from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].label_from_instance = user_name

    def filter(self, entries):
        if not self.is_valid():
            return entries
        data = self.cleaned_data
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["user"]:
            entries = entries.filter(user=data["user"])
        if data["since"]:
            entries = entries.filter(at__date__gte=data["since"])
        if data["until"]:
            entries = entries.filter(at__date__lte=data["until"])
        return entries
