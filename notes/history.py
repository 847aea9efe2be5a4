"""A note's history as one reader may see it.

A note shared after being admin-only keeps its admin-only versions in the
history table; readers without the permission must not see them, nor any value
they held: not on the note's page, not in the admin's history.
"""

from bisect import bisect_right

from django.utils.translation import gettext as _

from crm.history import history_entries

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


def admin_log_hidden_from(user, note, entries) -> set[int]:
    """Ids of the admin log entries (LogEntry) made while the note was admin-only,
    for a user who may not see those: the log says who changed what and when.

    The version an admin save wrote is the last one recorded before its log entry.
    """
    if sees_admin_only(user):
        return set()
    versions = list(note.history.order_by("history_date", "history_id").values_list("history_date", "admin_only"))
    dates = [when for when, _admin_only in versions]
    hidden = set()
    for entry in entries:
        index = bisect_right(dates, entry.action_time) - 1
        # Before any version (none recorded) counts as hidden: nothing says it was shared.
        if index < 0 or versions[index][1]:
            hidden.add(entry.pk)
    return hidden
