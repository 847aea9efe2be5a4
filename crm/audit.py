"""The audit trail of what was done to people's data: erasures, exports, merges, imports.

One function writes it, so every caller (pages, commands, background jobs) records the same
shape. Never pass personal data (names, e-mails, note text) in `details`: an audit entry
outlives the erased record.
"""

from crm.models import AuditEntry


def record(user, action: str, kind: str = "", count: int = 0, **details) -> AuditEntry:
    """Add one entry; `user` may be None (a command run from cron)."""
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return AuditEntry.objects.create(user=user, action=action, kind=kind, count=count, details=details)
