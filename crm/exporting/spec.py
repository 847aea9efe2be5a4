"""What an export is, so that the same export runs in the request or, when big, in a background worker.

An export is declared once (an `Export`) in its app's exports module: how it selects its rows from who
asked and the query string, how it counts them, how it writes them. The page's view hands it to
crm.exporting.http.send; a background job (dataimport/exports.py) keeps its name, the query string and
the language, and runs the same three steps in the worker, for the same user, when it runs: what that
user may see then is what the file holds.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.http import QueryDict

# Rows between two progress reports of a writer (a call costs a cache write at most every 0.5 s).
REPORT_EVERY = 1000


@dataclass(frozen=True)
class Asker:
    """The two things an export reads of the request that asked for it: who, and the query string.

    The pages' filter functions (filtered_contacts(request), filtered_opportunities(request),
    Activities(user, params)) read nothing else of a request, so in the worker they are given this."""

    user: Any
    GET: QueryDict


@dataclass(frozen=True)
class Export:
    name: str  # the key a background job keeps: "contacts.csv"
    target: str  # what the rows are (dataimport.models.Target): "contacts", "notes", "opportunities"
    kind: str  # what the audit trail calls one of them: "contact"
    stem: str  # the file's name before its date, formatted with the view's arguments: "notes-{contact_pk}"
    extension: str  # "csv", "xlsx" (crm.exporting.http.CONTENT_TYPES)
    permission: str  # needed to ask, and checked again when a worker runs it
    select: Callable[..., Any]  # (asker, **view arguments) → what to write, a queryset; Http404 if not visible
    write: Callable[..., int]  # (selected, language, stream, progress=None) → the rows written
    # (selected, limit or None) → rows the file will have (at most limit): the threshold's cheap count.
    count: Callable[[Any, int | None], int] = lambda selected, limit: (
        selected[:limit] if limit else selected).count()

    def file_stem(self, args: dict) -> str:
        return self.stem.format(**args)


def reported(rows: Iterable, progress: Callable[[int], None] | None, every: int = REPORT_EVERY):
    """The rows, calling progress(rows so far) every `every` rows (nothing when progress is None)."""
    if progress is None:
        yield from rows
        return
    count = 0
    for row in rows:
        yield row
        count += 1
        if count % every == 0:
            progress(count)
