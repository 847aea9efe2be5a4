"""In-place actions on notes (« Ma journée », the calendar, the Notes tab): mark done or not done,
reschedule, and log a call or an e-mail. Every change is checked against the version the user saw
(crm.concurrency): someone changed the note in between → StaleEdit, nothing written."""

import datetime

from django.db import transaction

from crm.concurrency import StaleEdit
from notes.models import Note, NoteType, today


def change_checked(note: Note, *, version: int, change, fields: list[str]) -> Note:
    """Apply `change` to the note if it is still at `version`, the one the user saw; 2 queries (the
    UPDATE, the history row), no row lock and no savepoint: the UPDATE is conditional on the version
    (crm.concurrency.Versioned), so a change saved in between makes it match no row and nothing is
    written. `note` is the note as the request read it (with its relations, to show it)."""
    if note.version != version:
        raise StaleEdit(f"note {note.pk} is at version {note.version}, the user saw {version}")
    change(note)
    # The change and its history row together. A StaleEdit is caught inside the block (Versioned
    # leaves the transaction usable), so the caller can still read the note to show it as it is now.
    with transaction.atomic(savepoint=False):
        try:
            note.save(update_fields=[*fields, "updated_at"])
        except StaleEdit as stale:
            refused = stale
        else:
            return note
    raise refused


def set_done(note: Note, *, done: bool, version: int) -> Note:
    return change_checked(note, version=version, change=lambda note: note.mark_done(done),
                          fields=["is_done", "done_at"])


def reschedule(note: Note, *, day: datetime.date, version: int) -> Note:
    """Move an action to another day (its time, if any, stays)."""
    return change_checked(note, version=version, change=lambda note: setattr(note, "date", day),
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
