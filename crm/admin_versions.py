"""The admin follows the same no-lost-update rule as the app's forms (crm.concurrency).

Its change form carries the version it was opened with (a hidden field, as in the app's
forms), so the model's save refuses it when someone saved in between: the form comes back
with the same message as the app's and the values the other person saved; nothing of that
save is kept. Inline rows (the people of a contact) are checked row by row.

    @admin.register(Contact)
    class ContactAdmin(VersionedAdmin, admin.ModelAdmin): ...

    class ContactPersonInline(VersionedInline, admin.TabularInline): ...
"""

from django.contrib import messages
from django.contrib.admin.utils import flatten_fieldsets
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _

from crm.concurrency import StaleEdit, VersionedForm


class VersionedAdminForm(VersionedForm):
    """VersionedForm for the admin, whose templates show errors but not form.conflict:
    what the other person saved is said in the errors, one line per field."""

    def reject(self, current) -> None:
        super().reject(current)
        for label, value in self.conflict:
            self.add_error(None, _("What the other person saved: %(field)s = “%(value)s”")
                           % {"field": label, "value": value or "—"})


def model_fields(fields):
    """The fieldsets' names less the version: a field of the form, not one the model lets forms edit."""
    return None if fields is None else [name for name in fields if name != "version"]


class VersionedInline:
    """For an InlineModelAdmin of a Versioned model: each row sends its version."""

    form = VersionedAdminForm

    def get_formset(self, request, obj=None, **kwargs):
        # As InlineModelAdmin.get_formset picks its fields (fields=None: every field of the form).
        fields = kwargs.pop("fields") if "fields" in kwargs else flatten_fieldsets(self.get_fieldsets(request, obj))
        return super().get_formset(request, obj, fields=model_fields(fields), **kwargs)


class VersionedAdmin:
    """For a ModelAdmin of a Versioned model (list it before admin.ModelAdmin)."""

    form = VersionedAdminForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        if "fields" in kwargs:
            kwargs["fields"] = model_fields(kwargs["fields"])
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if "version" in flatten_fieldsets(fieldsets):
            return fieldsets
        # Declared fieldsets name the fields shown: the hidden version goes with the first ones.
        (name, options), *others = fieldsets
        return [(name, {**options, "fields": [*options.get("fields", ()), "version"]}), *others]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleEdit:
            # Someone saved between this form's check and its save: the admin's transaction
            # was rolled back, nothing of this save was kept. Checked again, the form (or
            # the inline row) now shows what they saved.
            pass
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleEdit:
            messages.error(request, _("Someone else saved this record while you were editing it; your "
                                      "changes were not saved. Check what they saved, then edit again."))
            return HttpResponseRedirect(request.get_full_path())
