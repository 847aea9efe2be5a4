"""Finding a search's hits of one kind in two steps, so that no word makes it slow.

1. The keys of the matching rows, at most LIMIT + 1 of them, in no order: on
   PostgreSQL read through the text indexes only (bitmap scans). Left to itself
   the planner, which cannot guess how many rows hold a word, may walk a whole
   1,000,000-row table by date looking for a word that no row holds.
2. The rows to show, by key, in their kind's order.
A search that matches more than LIMIT rows is too vague to read: it is shown
as "more than LIMIT", and its list holds the first LIMIT rows found.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction

from search.matching import Query
from search.registry import Source

LIMIT = 500


@contextmanager
def through_indexes():
    """Queries inside use the text indexes (PostgreSQL: one SET LOCAL in a read-only transaction)."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
        yield


def matching_keys(source: Source, user, query: Query) -> list:
    """Up to LIMIT + 1 keys of the rows this user may see that hold every word (1 query)."""
    rows = source.match(source.rows(user), query).order_by()
    return list(rows.values_list("pk", flat=True)[:LIMIT + 1])


@dataclass
class Found:
    source: Source
    keys: list
    hits: list = field(default_factory=list)  # the first rows to show, when the page asks for them

    @property
    def count(self) -> int:
        return min(len(self.keys), LIMIT)

    @property
    def more(self) -> bool:
        return len(self.keys) > LIMIT

    def rows(self, user):
        """The found rows in their kind's order (a queryset: slice it or paginate it)."""
        return self.source.rows(user).filter(pk__in=self.keys[:LIMIT])


def find(sources: list[Source], user, query: Query) -> list[Found]:
    """The keys of each kind's hits: one query a kind (and one SET on PostgreSQL)."""
    with through_indexes():
        return [Found(source, matching_keys(source, user, query)) for source in sources]
