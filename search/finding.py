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


def find(source: Source, user, query: Query, *, limit: int) -> Found:
    """The keys of up to `limit` + 1 rows this user may see that hold every word (1 query)."""
    rows = source.match(source.rows(user), query).order_by()
    return Found(source, list(rows.values_list("pk", flat=True)[:limit + 1]), limit)
