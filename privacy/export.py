"""Everything held about a contact or a person, in one archive (Law 25, GDPR: access, portability).

The zip holds data.json (the file, its people, notes, opportunities and their history, with
each field's name in English and French under "labels"), a vCard and the notes as CSV (its
header in both languages). Notes come from Note.objects.visible_to(user): admin-only notes,
and their history, only for those allowed to see them. Runs a fixed number of queries
(one per kind of row), whatever the number of notes.
"""

import datetime
import io
import json
import zipfile
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone, translation

from contacts.models import Contact, ContactPerson
from crm.csv_export import write_csv
from crm.text import user_name
from notes.models import Note
from privacy.erasure import history_model

SKIPPED = {"search_text", "version"}
NOTE_COLUMNS = ["date", "time", "type", "description", "is_done", "done_at", "admin_only", "is_pinned",
                "assigned_to", "created_at"]


def _value(instance, field):
    if field.is_relation:
        if field.is_cached(instance):
            related = getattr(instance, field.name)
            if related is None:
                return None
            return user_name(related) if isinstance(related, get_user_model()) else str(related)
        return getattr(instance, field.attname)
    value = getattr(instance, field.attname)
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _fields(model):
    return [field for field in model._meta.concrete_fields if field.name not in SKIPPED]


def as_dict(instance) -> dict:
    return {field.name: _value(instance, field) for field in _fields(type(instance))}


def rows(queryset) -> list[dict]:
    """The rows as dicts, read as plain values (no model instances: a 5,000-note file in a blink);
    a relation reads as what it names (a user's name, a type's label), one query per relation."""
    fields = _fields(queryset.model)
    values = list(queryset.values_list(*(field.attname for field in fields)))
    columns = []
    for index, field in enumerate(fields):
        if not field.is_relation:
            columns.append(None)
            continue
        ids = {row[index] for row in values if row[index] is not None}
        related = field.related_model._base_manager.in_bulk(ids) if ids else {}
        columns.append({pk: user_name(obj) if isinstance(obj, get_user_model()) else str(obj)
                        for pk, obj in related.items()})
    names = [field.name for field in fields]
    return [{name: (_plain(value) if shown is None else shown.get(value)) for name, value, shown in zip(names, row, columns)}
            for row in values]


def _label(field, language: str) -> str:
    with translation.override(language):
        return str(getattr(field, "verbose_name", field.name))


def labels(model) -> dict:
    return {field.name: {"en": _label(field, "en"), "fr": _label(field, "fr")} for field in _fields(model)}


def _history(model, **lookups) -> list[dict]:
    history = history_model(model)
    return rows(history.objects.filter(**lookups).order_by("history_date", "history_id"))


def _opportunities(**lookups):
    if not settings.PROSPECTION_ENABLED:
        return None
    from prospection.models import Opportunity

    return Opportunity.objects.filter(**lookups).select_related(
        "product", "stage", "category", "representative", "contact_person")


def _visible_notes(user, contact_id) -> list[dict]:
    return rows(Note.objects.visible_to(user).filter(contact_id=contact_id).order_by("date", "time", "pk"))


def _note_history(user, contact_id) -> list[dict]:
    history = _history(Note, contact_id=contact_id)
    if user.has_perm("notes.view_admin_only_note"):
        return history
    hidden = set(Note.objects.filter(contact_id=contact_id, admin_only=True).values_list("pk", flat=True))
    return [row for row in history if not row["admin_only"] and row["id"] not in hidden]


def contact_data(contact: Contact, user) -> tuple[dict, list]:
    notes = _visible_notes(user, contact.pk)
    data = {
        "exported_at": timezone.now().isoformat(),
        "contact": as_dict(contact),
        "people": [as_dict(person) for person in contact.people.all()],
        "notes": notes,
        "history": {
            "contact": _history(Contact, id=contact.pk),
            "people": _history(ContactPerson, contact_id=contact.pk),
            "notes": _note_history(user, contact.pk),
        },
        "labels": {"contact": labels(Contact), "person": labels(ContactPerson), "note": labels(Note)},
    }
    opportunities = _opportunities(contact=contact)
    if opportunities is not None:
        from prospection.models import Opportunity

        data["opportunities"] = [as_dict(opportunity) for opportunity in opportunities]
        data["history"]["opportunities"] = _history(Opportunity, contact_id=contact.pk)
        data["labels"]["opportunity"] = labels(Opportunity)
    return data, notes


def person_data(person: ContactPerson, user) -> tuple[dict, list]:
    """The person, their history, their opportunities, and the visible notes naming them."""
    notes = [note for note in _visible_notes(user, person.contact_id)
             if person.full_name and person.full_name.casefold() in note["description"].casefold()]
    data = {
        "exported_at": timezone.now().isoformat(),
        "contact": {"id": person.contact_id, "name": person.contact.name},
        "person": as_dict(person),
        "notes": notes,
        "history": {"person": _history(ContactPerson, id=person.pk)},
        "labels": {"person": labels(ContactPerson), "note": labels(Note)},
    }
    opportunities = _opportunities(contact_person=person)
    if opportunities is not None:
        from prospection.models import Opportunity

        data["opportunities"] = [as_dict(opportunity) for opportunity in opportunities]
        data["labels"]["opportunity"] = labels(Opportunity)
    return data, notes


def _vcard_text(value: str) -> str:
    return (value or "").replace("\\", "\\\\").replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;")


def vcard(contact: Contact, people) -> str:
    """vCard 4.0: one card per person (with their organisation), or one for the contact alone."""
    cards = []
    for person in people or [None]:
        lines = ["BEGIN:VCARD", "VERSION:4.0"]
        if person is None:
            lines += [f"FN:{_vcard_text(contact.name)}", f"KIND:{'org' if contact.kind == 'organization' else 'individual'}"]
            email, phone = contact.email, contact.phone
        else:
            lines += [f"FN:{_vcard_text(person.full_name)}",
                      f"N:{_vcard_text(person.last_name)};{_vcard_text(person.first_name)};;;"]
            if person.role:
                lines.append(f"TITLE:{_vcard_text(person.role)}")
            email, phone = person.email, person.phone
        if contact.kind == "organization":
            lines.append(f"ORG:{_vcard_text(contact.name)}")
        if email:
            lines.append(f"EMAIL:{_vcard_text(email)}")
        if phone:
            lines.append(f"TEL:{_vcard_text(phone)}")
        if person is not None and person.mobile:
            lines.append(f"TEL;TYPE=CELL:{_vcard_text(person.mobile)}")
        if contact.postal_address:
            lines.append(f"ADR:;;{_vcard_text(contact.street)};{_vcard_text(contact.city)};"
                         f"{_vcard_text(contact.region)};{_vcard_text(contact.postal_code)};{_vcard_text(contact.country)}")
        lines.append("END:VCARD")
        cards.append("\r\n".join(lines))
    return "\r\n".join(cards) + "\r\n"


def notes_csv(notes) -> bytes:
    """The notes as CSV (UTF-8 with a BOM, spreadsheet-safe cells), headers in both languages."""
    header = [f"{_label(field, 'en')} / {_label(field, 'fr')}"
              for field in (Note._meta.get_field(name) for name in NOTE_COLUMNS)]
    buffer = io.BytesIO()
    write_csv(buffer, header, ([note[name] for name in NOTE_COLUMNS] for note in notes))
    return buffer.getvalue()


def _plain(value):
    """What JSON and CSV can hold: dates and times in ISO 8601, amounts as exact text."""
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value) if isinstance(value, Decimal) else value


def archive(data: dict, *, vcard_text: str, notes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("data.json", json.dumps(data, ensure_ascii=False, cls=_Encoder))
        zipped.writestr("contact.vcf", vcard_text)
        zipped.writestr("notes.csv", notes_csv(notes))
    return buffer.getvalue()


class _Encoder(json.JSONEncoder):
    def default(self, o):
        if isinstance(o, (datetime.date, datetime.time)):
            return o.isoformat()
        if isinstance(o, (Decimal, models.Model)):
            return str(o)
        return super().default(o)
