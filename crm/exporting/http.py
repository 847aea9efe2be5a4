"""Sending an export: the writer fills a temporary file (memory stays flat), which is then streamed;
or, above settings.EXPORT_BACKGROUND_ROWS rows, a background job writes it (send)."""

import tempfile
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.http import FileResponse
from django.utils import timezone

from crm import audit
from crm.exporting.spec import Asker, Export
from crm.language import is_english
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


def export_language() -> str:
    """The page's language: an export's column names and values follow it."""
    return "en" if is_english() else "fr"


# Set by the app that runs background jobs (dataimport, from its AppConfig.ready), which crm may not
# import: (request, export, args, language) → the response that queues the export. None: always at once.
queue_in_background: Callable | None = None


def send(request, export: Export, **args):
    """The export's file now, or — above settings.EXPORT_BACKGROUND_ROWS rows (counted with a LIMIT, so
    cheaply), and for a POST (the "prepare it" button) — a background job the user is sent to.

    The selection runs first, so what the user may not see is a 404 either way."""
    selected = export.select(Asker(request.user, request.GET), **args)
    language = export_language()
    if queue_in_background is not None:
        limit = settings.EXPORT_BACKGROUND_ROWS
        if request.method == "POST" or export.count(selected, limit + 1) > limit:
            return queue_in_background(request, export, args, language)
    return download(request, export.kind, export.file_stem(args), export.extension,
                    lambda stream: export.write(selected, language, stream))
