"""Readable change history from django-simple-history records.

`history_entries(records)` turns historical rows (newest first, of one or
several models) into entries a template can show: who, when, what kind of
change, and for each changed field its label, the value before and after.

Some versions may be hidden from the reader (a note's versions while it was
admin-only): they are left out, and no shown entry uses them as its "before".
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from crm.formatting import FORMATTERS
from crm.text import user_name

# What happened, agreed in French with the model's noun: a model whose noun is feminine
# (une note, une opportunité) says `history_kinds = FEMININE_KINDS`; others set their own words.
KINDS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
FEMININE_KINDS = {
    "+": pgettext_lazy("feminine noun", "created"),
    "~": pgettext_lazy("feminine noun", "changed"),
    "-": pgettext_lazy("feminine noun", "deleted"),
}
HIDDEN = {"id", "version", "search_text", "updated_at", "created_at", "done_at"}


@dataclass
class Entry:
    when: object
    who: object
    kind: str
    subject: str
    changes: list = field(default_factory=list)
    reason: str = ""  # said by the writer (a merge: « Fusionné avec … »)


def _fields(record) -> list[models.Field]:
    """The model's fields that the history keeps, less the bookkeeping ones."""
    return [
        f for f in record.instance_type._meta.concrete_fields
        if f.name not in HIDDEN and hasattr(record, f.attname)
    ]


def _display(model_field, value, related: dict) -> str:
    if value in (None, ""):
        return ""
    # The model says which of its fields are money or a percentage (field_formats): written as on its pages.
    formatter = FORMATTERS.get(getattr(model_field.model, "field_formats", {}).get(model_field.name))
    if formatter:
        return formatter(value)
    if model_field.is_relation:
        return related.get((model_field.related_model, value), f"#{value}")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)


def history_entries(records: list, *, subject, hide=None, hidden_fields=frozenset()) -> list[Entry]:
    """Entries for records given newest first; `subject(record)` names the changed object.

    `hide(record)` true leaves that version out: the next shown version of the
    object is compared with the last shown one before it or, when every older
    version loaded is hidden, lists its values with nothing before (as a
    creation would), so no hidden value appears. `hidden_fields` are never shown.
    Costs one query per related model named in the records (users, note types...).
    """
    by_object = defaultdict(list)
    for record in records:
        by_object[(record.instance_type, record.id)].append(record)
    previous, after_hidden = {}, set()
    for rows in by_object.values():
        shown = [record for record in rows if not (hide and hide(record))]
        for newer, older in zip(shown, shown[1:]):
            previous[id(newer)] = older
        if shown and shown[-1] is not rows[-1]:
            after_hidden.add(id(shown[-1]))  # every version loaded before it is hidden
    records = [record for record in records if not (hide and hide(record))]

    related_ids = defaultdict(set)
    for record in records:
        for model_field in _fields(record):
            if model_field.is_relation:
                value = getattr(record, model_field.attname)
                if value is not None:
                    related_ids[model_field.related_model].add(value)
    related = {}
    for model, ids in related_ids.items():
        for pk, obj in model._default_manager.in_bulk(list(ids)).items():
            related[(model, pk)] = user_name(obj) if hasattr(obj, "get_full_name") else str(obj)

    entries = []
    for record in records:
        older = previous.get(id(record))
        first_shown = id(record) in after_hidden
        changes = []
        for model_field in _fields(record):
            if model_field.name in hidden_fields:
                continue
            after = _display(model_field, getattr(record, model_field.attname), related)
            before = _display(model_field, getattr(older, model_field.attname), related) if older else ""
            if first_shown:
                if after:
                    changes.append((str(model_field.verbose_name).capitalize(), "", after))
                continue
            if record.history_type == "~" and older is None:
                continue  # its previous state is beyond what was loaded
            if (record.history_type == "+" and after) or (record.history_type == "~" and before != after):
                changes.append((str(model_field.verbose_name).capitalize(), before, after))
        reason = getattr(record, "history_change_reason", None) or ""
        if record.history_type == "~" and not changes and not reason:
            continue
        entries.append(Entry(
            when=record.history_date, who=record.history_user,
            kind=str(getattr(record.instance_type, "history_kinds", KINDS)[record.history_type]),
            subject=subject(record), changes=changes, reason=reason,
        ))
    return entries
