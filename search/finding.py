"""Finding a search's hits of one kind in two steps, so that no word makes it slow.

1. The keys of the matching rows, at most `limit` + 1 of them, in no order. The
   planner reads them through the text indexes when the word is rare and
   stops scanning early when it is common.
2. The rows to show, by key, in their kind's order, sorted among those keys
   only. (Asked at once for "the 5 latest notes holding a word", PostgreSQL
   may walk all 1,000,000 notes by date for a word that none holds.)
A search that matches more than `limit` rows is too vague to read: it says
"more than `limit`", and its list holds the first `limit` rows found.
"""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import IntegerField, Value

from crm.pagination import PAGE_SIZE
from search.matching import Query
from search.registry import Source

PREVIEW_LIMIT = 100  # the results page: counted up to here
LIST_LIMIT = 500  # a kind's full list


@dataclass
class Found:
    source: Source
    keys: list
    limit: int

    @property
    def count(self) -> int:
        return min(len(self.keys), self.limit)

    @property
    def more(self) -> bool:
        return len(self.keys) > self.limit

    def first(self, user, number: int) -> list:
        """The first rows in their kind's order (1 query: all the found rows, at most `limit`)."""
        return list(self.source.rows(user).filter(pk__in=self.keys[:self.limit]))[:number]

    def page(self, user, number):
        """A page of the found rows in their kind's order (2 queries: the sorted keys, the page's rows)."""
        ordered = list(self.source.rows(user).filter(pk__in=self.keys[:self.limit]).values_list("pk", flat=True))
        page = Paginator(ordered, PAGE_SIZE).get_page(number)
        rows = self.source.rows(user).in_bulk(list(page.object_list))
        page.object_list = [rows[key] for key in page.object_list if key in rows]
        return page


def matching_keys(source: Source, user, query: Query, limit: int):
    """The keys of up to `limit` + 1 rows this user may see that hold every word (a queryset)."""
    return source.match(source.rows(user), query).order_by().values_list("pk", flat=True)[:limit + 1]


def find(source: Source, user, query: Query, *, limit: int) -> Found:
    """One kind's keys (1 query)."""
    return Found(source, list(matching_keys(source, user, query, limit)), limit)


def find_all(sources: list[Source], user, query: Query, *, limit: int) -> list[Found]:
    """Every kind's keys: 1 query on PostgreSQL (UNION ALL of each kind's own LIMIT), 1 a kind on SQLite."""
    if len(sources) < 2 or not connection.features.supports_slicing_ordering_in_compound:
        return [find(source, user, query, limit=limit) for source in sources]
    parts = [
        source.match(source.rows(user), query).order_by()
        .values_list(Value(number, output_field=IntegerField()), "pk")[:limit + 1]
        for number, source in enumerate(sources)
    ]
    keys = {number: [] for number in range(len(sources))}
    for number, key in parts[0].union(*parts[1:], all=True).order_by():
        keys[number].append(key)
    return [Found(source, keys[number], limit) for number, source in enumerate(sources)]
