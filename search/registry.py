"""What the header search looks in: one Source per kind of record, registered by its own app.

contacts, notes and prospection each have a search_sources.py (found by
SearchConfig.ready(), like admin.py) that registers its sources here; the
results page shows every registered kind the user may see, in `order`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class Source:
    key: str  # in the URL of the kind's full list: /search/<key>/
    label: str  # the kind's heading, plural (« Notes »)
    # user → the rows this user may see, related rows loaded, in the order the results show
    # them. Visibility comes from the app's own queryset (Note.objects.visible_to…).
    rows: Callable[..., QuerySet]
    # (rows, Query) → those of the rows that hold every word of the search.
    match: Callable[..., QuerySet]
    template: str  # one hit; gets `hit` and `words`
    # Who may look in this kind at all (a permission check, no query).
    allowed: Callable[..., bool]
    order: int = 100


_sources: dict[str, Source] = {}


def register(source: Source) -> None:
    _sources[source.key] = source


def sources_for(user) -> list[Source]:
    """The kinds this user may search, in their order."""
    return sorted((source for source in _sources.values() if source.allowed(user)),
                  key=lambda source: (source.order, source.key))


def source_for(user, key: str) -> Source | None:
    return next((source for source in sources_for(user) if source.key == key), None)
