"""No lost update: a record carries a version number; a form saves only if the
version it was opened with is still the current one.

Two people editing the same contact, note or opportunity: the second save is
refused, the form shows what the other person saved, and saving again (now
with the current version) is a deliberate choice.
"""

from django import forms
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


class Versioned(models.Model):
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)

    class Meta:
        abstract = True



class VersionedForm(forms.ModelForm):
    """A ModelForm whose save is refused when the record changed since the form was opened."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        self.conflict: list[tuple[str, str]] = []

    def _post_clean(self):
        super()._post_clean()
        if self.instance.pk is None or self.errors:
            return
        if self.cleaned_data.get("version") is None:
            # An edit sends the version it was opened with; without it (a script, a
            # hand-made post) it could save over a change it never saw.
            self.add_error(None, _("Open the record again before saving: this form did not say which "
                                   "version it changes."))
            return
        current = type(self.instance).objects.filter(pk=self.instance.pk).first()
        if current is not None and self.is_stale(current):
            self.reject(current)

    def is_stale(self, current) -> bool:
        return self.cleaned_data.get("version") != current.version

    def reject(self, current) -> None:
        """Explain the conflict and arm the form so that saving again overwrites knowingly."""
        self.conflict = [
            (str(self.fields[name].label), self.display(current, name))
            for name in self.fields
            if name != "version" and self.display(current, name) != self.display(self.instance, name)
        ]
        self.add_error(None, _(
            "Someone else saved this record while you were editing it. Their version is shown "
            "below; your changes were not saved. Save again to replace their version with yours."
        ))
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = current.version

    @staticmethod
    def display(instance, name) -> str:
        value = getattr(instance, name, "")
        getter = getattr(instance, f"get_{name}_display", None)
        if getter is not None:
            value = getter()
        return "" if value is None else str(value)

    def save(self, commit=True):
        instance = super().save(commit=False)
        if commit:
            with transaction.atomic():
                self.save_checked(instance)
        return instance

    def save_checked(self, instance) -> None:
        """Save only if nobody saved in between (the row is locked while we compare)."""
        if instance.pk is not None:
            current = type(instance).objects.select_for_update().get(pk=instance.pk)
            if self.is_stale(current):
                self.reject(current)
                raise StaleEdit
            instance.version = current.version + 1
        instance.save()
        self.save_m2m()


class StaleEdit(Exception):
    """Raised by VersionedForm.save when another save won the race; the form holds the errors."""
