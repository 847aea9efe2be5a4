"""The dashboard's sums, cached until the next write to opportunities.

Every committed write to an opportunity or a stage (a stage's outcome decides
what "open" means) gives the one FiguresStamp row a new random token, and the
sums are cached under that token plus the filters. A request reads the token
(one primary-key query), then the sums from the cache; the grouped query over
100,000 rows runs only after a change.

Why the token changes only once the transaction has committed: a request that
read the new token must then read the new rows. Bumping inside the
transaction would let another request compute the old sums under the new
token (and cache them), and would also hold a lock on the stamp row until
commit, making every other write to opportunities wait for a long import.

Single-row saves and deletes (cascades from a deleted contact too) bump the
token through signals. Bulk writes send no signals: code that writes
opportunities with bulk_create, QuerySet.update or raw SQL must call
`opportunities_changed()` (the import does). Cached sums also expire after
CACHE_SECONDS, which bounds the damage of a forgotten call.
"""

import hashlib
import uuid

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from prospection.models import FiguresStamp, Opportunity, Stage, figures_of

CACHE_SECONDS = 15 * 60
STAMP_PK = 1


def current_token(using: str = "default") -> str | None:
    """The stamp's token (1 query); None when the row is missing (a flushed test database)."""
    return FiguresStamp.objects.using(using).filter(pk=STAMP_PK).values_list("token", flat=True).first()


def bump(using: str = "default") -> None:
    """A new token now, outside any transaction (run by on_commit)."""
    token = uuid.uuid4().hex
    if not FiguresStamp.objects.using(using).filter(pk=STAMP_PK).update(token=token):
        try:
            FiguresStamp.objects.using(using).create(pk=STAMP_PK, token=token)
        except IntegrityError:  # created meanwhile by another process: bump that one
            FiguresStamp.objects.using(using).filter(pk=STAMP_PK).update(token=token)


def opportunities_changed(using: str = "default") -> None:
    """Give the stamp a new token when the current transaction commits (at once outside one).

    Each write registers its own callback: a transaction of N writes ends
    with N one-row updates (well under a millisecond each), which is simpler
    than keeping track of what is already due.
    """
    transaction.on_commit(_Bump(using), using=using)


class _Bump:
    """A bump waiting for its transaction's commit; `done` when that commit changes the token itself (carry_sums)."""

    def __init__(self, using: str):
        self.using, self.done = using, False

    def __call__(self):
        if not self.done:
            bump(self.using)


@receiver(post_save, sender=Opportunity, dispatch_uid="prospection-figures-opportunity-saved")
@receiver(post_delete, sender=Opportunity, dispatch_uid="prospection-figures-opportunity-deleted")
@receiver(post_save, sender=Stage, dispatch_uid="prospection-figures-stage-saved")
@receiver(post_delete, sender=Stage, dispatch_uid="prospection-figures-stage-deleted")
def _written(sender, using, **kwargs):
    opportunities_changed(using)


def filter_values(opportunity_filter) -> dict | None:
    """What the filters select, as {name: value or pk}; None for a text search.

    A text search is never cached: it reads the contacts' search text, which
    changes without any write to opportunities. Filters the form refused are
    left out, as the FilterSet leaves them out of its queryset.
    """
    # The open/closed scope is always part of the key: "no choice" means its default.
    scope = {"outcome": opportunity_filter.scope()}
    if not opportunity_filter.is_bound:
        return scope
    opportunity_filter.errors  # noqa: B018  (cleans the form)
    data = opportunity_filter.form.cleaned_data
    if data.get("q"):
        return None
    return {
        **{
            name: getattr(data[name], "pk", data[name])
            for name in opportunity_filter.Meta.fields
            if data.get(name) not in (None, "")
        },
        **scope,
    }


_READ_IT = object()


def sums_key(token: str, described: dict) -> str:
    text = "&".join(f"{name}={value}" for name, value in sorted(described.items()))
    return "prospection:figures:%s:%s" % (token, hashlib.sha256(text.encode()).hexdigest()[:32])


def cached_sums(using: str, described: dict, compute, token=_READ_IT):
    """What `compute()` returns, cached until the next write; `described` ({name: value}) must name all it depends on.

    1 query (the stamp) when cached, plus compute's after a change. A caller that read the
    stamp's token in one of its own queries (the board, with its stages) passes it as `token`.
    """
    if token is _READ_IT:
        token = current_token(using)
    if token is None:
        return compute()
    key = sums_key(token, described)
    sums = cache.get(key)
    if sums is None:
        sums = compute()
        cache.set(key, sums, CACHE_SECONDS)
    return sums


def carry_sums(using: str, *, before: str, entries: list[tuple[dict, object]]) -> bool:
    """For a write that knows what it did to some cached sums (a card moved on the board): give the
    stamp a new token in the write's own transaction, and cache `entries` ([(described, sums)], as
    cached_sums) under it, so the next page reads them instead of recounting 100,000 rows. 1 query.

    Call it after the transaction's last write to opportunities, with `before` the token read in the
    same transaction before its first one, and sums computed from those cached under `before` plus
    what every write of the transaction changed (the board's move: one save). Why that is exact: the
    token is replaced only if it is still `before` (no other write's bump came in between), and the
    UPDATE holds the stamp's row until commit, so any write the sums under `before` missed bumps
    after the new token is in place. The bumps the transaction's writes registered so far are then
    done by its commit (a later write's still runs). Returns False, caching nothing, when the token
    had changed.
    """
    token = uuid.uuid4().hex
    if not FiguresStamp.objects.using(using).filter(pk=STAMP_PK, token=before).update(token=token):
        return False
    cache.set_many({sums_key(token, described): sums for described, sums in entries}, CACHE_SECONDS)
    connection = transaction.get_connection(using)
    if connection.savepoint_ids:  # a savepoint rolled back would undo the new token but not the writes before it
        return True
    # (savepoint ids, callback, robust), as transaction.on_commit keeps them until the commit or a rollback.
    for _savepoints, callback, _robust in connection.run_on_commit:
        if isinstance(callback, _Bump) and callback.using == using:
            callback.done = True
    return True


def cached_figures(queryset, filters: dict) -> dict:
    """The figures of `queryset`, which `filters` ({name: value}, as the dashboard's) must describe exactly.

    1 query (the stamp) when cached, 2 after a change.
    """
    return figures_of(cached_sums(queryset.db, filters, queryset.band_sums))


def dashboard_figures(opportunity_filter) -> dict:
    """The figures of the filtered opportunities: see cached_figures (1 query for a text search)."""
    filters = filter_values(opportunity_filter)
    if filters is None:
        return opportunity_filter.qs.figures()
    return cached_figures(opportunity_filter.qs, filters)
