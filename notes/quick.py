"""In-place actions on notes (« Ma journée », the calendar, the Notes tab): mark done or not done,
reschedule, and log a call or an e-mail. Every change is checked against the version the user saw
(crm.concurrency): someone changed the note in between → StaleEdit, nothing written."""

import datetime

from django.db import transaction

from crm.concurrency import StaleEdit
from notes.models import Note, NoteType, today


@transaction.atomic
def change_checked(note: Note, *, version: int, change, fields: list[str]) -> Note:
    """Apply `change` to the note under a row lock if it is still at `version`; 3 queries
    (lock, update, history row). Returns the saved note with the relations the caller had."""
    locked = Note.objects.select_for_update().get(pk=note.pk)
    if locked.version != version:
        raise StaleEdit(f"note {note.pk} is at version {locked.version}, the user saw {version}")
    change(locked)
    locked.save(update_fields=[*fields, "updated_at"])
    # Same rows as the caller's (the ids did not change): no query to show them.
    locked.contact, locked.type, locked.assigned_to = note.contact, note.type, note.assigned_to
    return locked


def set_done(note: Note, *, done: bool, version: int) -> Note:
    return change_checked(note, version=version, change=lambda locked: locked.mark_done(done),
                          fields=["is_done", "done_at"])


def reschedule(note: Note, *, day: datetime.date, version: int) -> Note:
    """Move an action to another day (its time, if any, stays)."""
    return change_checked(note, version=version, change=lambda locked: setattr(locked, "date", day),
                          fields=["date"])


def log_type_for(types: list[NoteType], kind: str = NoteType.Kind.CALL) -> int | None:
    """The type « Noter un appel / un courriel » preselects among the active `types`: the one logged
    as `kind` (a call, unless the action followed up is an e-mail), else the default type."""
    active = [note_type for note_type in types if note_type.is_active]
    chosen = (next((note_type for note_type in active if note_type.kind == kind), None)
              or next((note_type for note_type in active if note_type.is_default), None))
    return chosen.pk if chosen else None


def log_activity(*, contact, user, note_type: NoteType, text: str) -> Note:
    """A done note dated today, assigned to and written by the user: a call made, an e-mail sent."""
    note = Note(contact=contact, assigned_to=user, created_by=user, date=today(), type=note_type,
                description=text)
    note.mark_done()
    note.save()
    return note
