"""No lost update: a record carries a version number, and a save changes the record only
if it still holds the version the saver read.

The rule lives in the model's save path (Versioned), so that no writer can skip it: the
app's forms, the admin, the one-click toggles, a script in the shell. Every save of an
existing row is one conditional statement,

    UPDATE … SET …, version = <v + 1> WHERE id = <pk> AND version = <v>

where v is the instance's `version`: the one it was loaded with, or the one an edit form
was opened with (VersionedForm, crm.admin_versions). No row updated while the row exists
means someone saved in between: StaleEdit, and nothing was written. Why this and not a
SELECT … FOR UPDATE before the save: it is one statement instead of two, it cannot be
forgotten by a writer, and the new version is computed (v + 1), never an F() expression
left on the instance. Writers that do not go through save() bump the version themselves
in SQL (`version = version + 1`: crm.importing.bulk_sql.update, services that update
rows in bulk).

Two people editing the same record: the second save is refused, the form shows what the
other person saved, and saving again (now with the current version) is a deliberate
choice.
"""

from django import forms
from django.db import connections, models, router, transaction
from django.utils.translation import gettext_lazy as _


class StaleEdit(Exception):
    """Someone saved this record after it was read: nothing was written.

    Raised by Versioned.save (any writer); VersionedForm.save first makes its form explain it.
    """


class Versioned(models.Model):
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        connection = connections[using]
        marked = connection.in_atomic_block and connection.get_rollback()
        try:
            super().save(*args, **kwargs)
        except StaleEdit:
            # Model.save marks the enclosing transaction for rollback on any error, as a
            # database error may have broken it. Here nothing went wrong in the database
            # (an UPDATE matched no row, then a SELECT): the caller may go on, e.g. to read
            # the other person's version and show it.
            if connection.in_atomic_block and not marked:
                connection.set_rollback(False)
            raise

    save.alters_data = True

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update, returning_fields):
        # Django's hook for the UPDATE of save() (django-concurrency uses it too).
        field = self._meta.get_field("version")
        values = [value for value in values if value[0] is not field]
        if field.attname not in self.__dict__:
            # Loaded without its version (.only()/.defer()): nothing to compare with, but the
            # change still counts. The version stays deferred (read again when asked for).
            values.append((field, None, models.F(field.attname) + 1))
            return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update,
                                      returning_fields)
        expected = self.version
        values.append((field, None, expected + 1))
        updated = super()._do_update(base_qs.filter(version=expected), using, pk_val, values, update_fields,
                                     forced_update, returning_fields)
        if updated:
            self.version = expected + 1
            return updated
        if base_qs.filter(pk=pk_val).exists():
            raise StaleEdit(f"{self._meta.label} {pk_val} is no longer at version {expected}")
        return updated  # no such row: Django inserts it, as for any model


class VersionedForm(forms.ModelForm):
    """A ModelForm whose save is refused when the record changed since the form was opened.

    The form carries the version it was opened with (a hidden field) and gives it to the
    instance, so the model's own check (Versioned) compares with it. Before that, cleaning
    compares once with the database so that a conflict shows with the other validation
    errors; the save's conditional UPDATE is what guarantees it (someone may save between).
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        self.conflict: list[tuple[str, str]] = []
        self.rejected = False  # the form explains a conflict

    def full_clean(self):
        # After Django's own cleaning (fields, clean(), the instance built from them, the model's
        # validation): the conflict is compared with the values this form would save.
        super().full_clean()
        if not self.is_bound or self.instance.pk is None or self.errors:
            return
        version = self.cleaned_data.get("version")
        if version is None:
            # An edit sends the version it was opened with; without it (a script, a
            # hand-made post) it could save over a change it never saw.
            self.add_error(None, _("Open the record again before saving: this form did not say which "
                                   "version it changes."))
            return
        # What the model's save compares with: the version this form was opened with.
        self.instance.version = version
        current = type(self.instance)._base_manager.filter(pk=self.instance.pk).first()
        if current is not None and version != current.version:
            self.reject(current)

    def reject(self, current) -> None:
        """Explain the conflict and arm the form so that saving again overwrites knowingly."""
        self.rejected = True
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

    def explain_stale(self) -> None:
        """After a StaleEdit from a save of this form's instance: show what the other person saved."""
        current = type(self.instance)._base_manager.filter(pk=self.instance.pk).first()
        if current is not None:
            self.reject(current)

    def display(self, instance, name) -> str:
        value = getattr(instance, name, "")
        field = self.fields.get(name)
        if isinstance(value, models.Model) and isinstance(field, forms.ModelChoiceField):
            return str(field.label_from_instance(value))  # as the form's list shows it
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

    def save_if_current(self, save=None):
        """What a view calls: the saved instance, or None when someone saved the record in between —
        then nothing was written and the form shows what they saved (its errors and `conflict`).

        save(instance): how to save when a service does more than the form's save (e.g. moving the
        primary flag); by default the form's own save.
        """
        try:
            if save is None:
                return self.save()
            instance = super().save(commit=False)
            with transaction.atomic():
                save(instance)
                self.save_m2m()
            return instance
        except StaleEdit:
            if not self.rejected:  # the form's own save explains it already
                self.explain_stale()
            return None

    def save_checked(self, instance) -> None:
        """Save; if someone saved in between, the form explains it and StaleEdit is raised."""
        try:
            instance.save()
        except StaleEdit:
            self.explain_stale()
            raise
        self.save_m2m()
