"""Sending an export: the writer fills a temporary file (memory stays flat), which is then streamed."""

import tempfile
from collections.abc import Callable

from django.db import transaction
from django.http import FileResponse
from django.utils import timezone

from crm import audit
from crm.models import AuditEntry

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "vcf": "text/vcard; charset=utf-8",
}


def dated_name(stem: str, extension: str) -> str:
    """'contacts', 'xlsx' → 'contacts-2026-12-01.xlsx' (the site's date)."""
    return f"{stem}-{timezone.localdate():%Y-%m-%d}.{extension}"


def download(request, kind: str, stem: str, extension: str, write: Callable[..., int]) -> FileResponse:
    """Run write(stream) (→ the rows written) into a temporary file, then send it as an attachment
    named stem-date.extension; the audit trail records who exported how many rows of which kind.

    The file is written before the first byte is sent, so an error is a proper error page, never a
    truncated file that looks complete; it lives on disk, and is removed once sent.
    """
    spool = tempfile.TemporaryFile()
    try:
        # One snapshot for the whole file; on PostgreSQL, inside a transaction the rows stream from a
        # plain cursor instead of a WITH HOLD one that is computed whole before the first row.
        with transaction.atomic(savepoint=False):  # reads only: no savepoint needed inside another block
            count = write(spool)
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    audit.record(request.user, AuditEntry.Action.EXPORT, kind, count or 0, format=extension)
    response = FileResponse(spool, as_attachment=True, filename=dated_name(stem, extension),
                            content_type=CONTENT_TYPES[extension])
    response["Cache-Control"] = "private, no-store"
    return response
