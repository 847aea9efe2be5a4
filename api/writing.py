"""Writes through the pages' own forms: the same rules, messages, version check and history rows.

A body is first checked for its shape by a write serializer; its values then fill the page's
form on top of what the form would show (a new record's defaults, or the record as it is),
so a PATCH changes only the keys it sends and the form sees them as the only changes.
"""

from django.db import models
from django.utils.translation import gettext as _
from rest_framework import serializers, status
from rest_framework.exceptions import APIException

from crm.concurrency import StaleEdit


class Conflict(APIException):
    """409: the record changed since the client read it; the body carries the current version."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "stale_version"

    def __init__(self, current: dict):
        super().__init__()
        self.detail = {
            "detail": _("Someone else saved this record after you read it: nothing was changed. "
                        "Read it again (its current version is below) and send your change with that version."),
            "current": current,
        }


def form_value(value):
    return value.pk if isinstance(value, models.Model) else value


def fill(form_class, values: dict, **form_kwargs):
    """The form bound to its own initial values overlaid with `values` (validated by a serializer).

    One form, built once (its choices and defaults cost queries): it reads its data only when
    it is validated, so the data can be filled from its own initial values after __init__.
    """
    form = form_class(data={}, **form_kwargs)
    data = {name: form_value(form[name].initial) for name in form.fields}
    data.update(values)
    # None means "empty" to a form; an unticked box is False (CheckboxInput reads a missing key as False).
    form.data = {name: ("" if value is None else value) for name, value in data.items()}
    return form


def form_errors(form) -> dict:
    errors = {name if name != "__all__" else "non_field_errors": list(messages)
              for name, messages in form.errors.items()}
    return errors


def check_version(instance, values: dict, current) -> None:
    """A change names the version it was made on; an old one is a 409 before anything is written."""
    if "version" not in values:
        raise serializers.ValidationError({"version": [_("Give the version you read (the record's “version”).")]})
    if values["version"] != instance.version:
        raise Conflict(current(instance))


def save_form(form, save, current) -> models.Model:
    """Validate and save through `save(form)`; a save refused by the version check is a 409."""
    if not form.is_valid():
        if getattr(form, "conflict", None):  # saved by someone between our check and the form's
            raise Conflict(current(type(form.instance)._base_manager.get(pk=form.instance.pk)))
        raise serializers.ValidationError(form_errors(form))
    try:
        return save(form)
    except StaleEdit:
        raise Conflict(current(type(form.instance)._base_manager.get(pk=form.instance.pk))) from None
