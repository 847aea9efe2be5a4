"""A note's history as one reader may see it.

A note shared after being admin-only keeps its admin-only versions in the
history table; readers without the permission must not see them, nor any value
they held: not on the note's page, not in the admin's history.
"""

import json
from bisect import bisect_right

from django.utils import translation
from django.utils.translation import gettext as _

from crm.history import history_entries
from notes.models import Note

ADMIN_ONLY_PERMISSION = "notes.view_admin_only_note"
LIMIT = 50


def sees_admin_only(user) -> bool:
    return user.has_perm(ADMIN_ONLY_PERMISSION)


def note_history(user, note) -> list:
    """The note's last changes, newest first, without its admin-only versions for
    users who may not see those (1 query + related names)."""
    records = list(note.history.select_related("history_user")[:LIMIT])
    if sees_admin_only(user):
        return history_entries(records, subject=lambda record: _("Note"))
    return history_entries(
        records, subject=lambda record: _("Note"),
        hide=lambda record: record.admin_only, hidden_fields={"admin_only"},
    )


def admin_log_for(user, note, entries) -> tuple[set[int], dict[int, str]]:
    """What of the note's admin log (LogEntry rows) this user may read: the ids to
    leave out, and new change messages for the entries to shorten.

    For a user who may not see admin-only notes, the entries made while the note
    was admin-only are left out (the version an admin save wrote is the last one
    recorded before its log entry), and the admin-only box is taken out of what
    the others say changed (an entry that changed only the box goes too).
    """
    if sees_admin_only(user):
        return set(), {}
    versions = list(note.history.order_by("history_date", "history_id").values_list("history_date", "admin_only"))
    dates = [when for when, _admin_only in versions]
    with translation.override(None):  # the admin stores the form's labels untranslated
        box = str(Note._meta.get_field("admin_only").formfield().label or "admin_only")
    hidden, rewritten = set(), {}
    for entry in entries:
        index = bisect_right(dates, entry.action_time) - 1
        # Before any version (none recorded) counts as hidden: nothing says it was shared.
        if index < 0 or versions[index][1]:
            hidden.add(entry.pk)
            continue
        message = _without_field(entry.change_message, box)
        if message == "[]":
            hidden.add(entry.pk)
        elif message != entry.change_message:
            rewritten[entry.pk] = message
    return hidden, rewritten


def _without_field(change_message: str, label: str) -> str:
    if not change_message.startswith("["):
        return change_message
    try:
        parts = json.loads(change_message)
    except json.JSONDecodeError:
        return change_message
    kept = []
    for part in parts:
        changed = part.get("changed") if isinstance(part, dict) else None
        if changed and "name" not in changed and label in changed.get("fields", []):
            fields = [name for name in changed["fields"] if name != label]
            if not fields:
                continue
            part = {"changed": {**changed, "fields": fields}}
        kept.append(part)
    return json.dumps(kept) if kept != parts else change_message
