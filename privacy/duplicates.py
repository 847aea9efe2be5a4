"""The possible duplicates: keys per contact and the pairs sharing them, kept up to date.

The keys (contacts.matching) of every contact changed since the last look are computed
again before the page is read: contacts whose `updated_at` is at or after
MatchState.through (an indexed column; imports and people edits move it too). Deleted
contacts take their keys and pairs with them (CASCADE). The page itself reads one page of
DuplicatePair by score, an index scan: its cost does not grow with the number of contacts.
The first look computes every contact's keys (a few seconds for 100,000 contacts).
"""

import datetime
from collections import defaultdict
from itertools import combinations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from contacts.matching import MAX_SHARED, contact_keys, score
from contacts.models import Contact
from privacy.models import DuplicatePair, MatchKey, MatchState

CHUNK = 500


# A write stamps updated_at when it is made but is seen only once its transaction commits
# (an import: up to a minute later). Contacts stamped up to this long before the previous
# refresh ran are looked at again, and rekeyed only if their keys differ: a late commit is
# not missed, and a refresh with nothing new writes nothing.
LATE_COMMIT = datetime.timedelta(minutes=2)


# More changed contacts than this (the first look, a big import) are left to a background
# job (privacy.tasks): computing 100,000 contacts' keys takes minutes, not a page's time.
IN_PAGE = 2000
SCHEDULE_AGAIN_AFTER = datetime.timedelta(minutes=15)


def refresh(*, at_most: int | None = None) -> int | None:
    """Bring keys and pairs up to date (atomic); returns how many contacts were rekeyed, or None
    when more than `at_most` contacts changed (nothing done: schedule() it).

    Nothing changed: 4 queries. Two refreshes at once wait for each other (the state row is locked).
    """
    with transaction.atomic():
        state, _created = MatchState.objects.select_for_update().get_or_create(pk=1)
        full = state.through is None
        changed = Contact.objects.all()
        if not full:
            since = min(state.through, state.ran_at - LATE_COMMIT) if state.ran_at else state.through
            changed = changed.filter(updated_at__gt=since)
        if at_most is not None and _more_than(changed, at_most):
            # A page does not look back over a big import: the background job does.
            changed = Contact.objects.filter(updated_at__gt=state.through) if not full else changed
            if full or _more_than(changed, at_most):
                return None
        contacts = list(changed.only("pk", "name", "kind", "email", "phone", "updated_at"))
        keys = {contact.pk: contact_keys(contact) for contact in contacts}
        if not full and keys:
            held = defaultdict(set)
            for contact_id, rule, value in MatchKey.objects.filter(contact_id__in=list(keys)).values_list(
                    "contact_id", "rule", "key"):
                held[contact_id].add((rule, value))
            keys = {pk: wanted for pk, wanted in keys.items() if held.get(pk, set()) != wanted}
        if keys:
            _rekey(keys, full=full)
        through = max((contact.updated_at for contact in contacts), default=state.through)
        now = timezone.now()
        if full or through != state.through or state.ran_at is None or now - state.ran_at > LATE_COMMIT:
            # (Written only when it moves the window: a page view with nothing new writes nothing.)
            MatchState.objects.filter(pk=state.pk).update(through=through or now, ran_at=now, queued_at=None)
        return len(keys)


def _more_than(rows, number: int) -> bool:
    return rows[number:number + 1].exists()


def _rekey(keys_of: dict[int, set], *, full: bool) -> None:
    ids = list(keys_of)
    changed = set(ids)
    if not full:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            MatchKey.objects.filter(contact_id__in=chunk).delete()
            DuplicatePair.objects.filter(Q(first_id__in=chunk) | Q(second_id__in=chunk)).delete()
    keys = [MatchKey(contact_id=pk, rule=rule, key=value) for pk, pairs_ in keys_of.items() for rule, value in pairs_]
    MatchKey.objects.bulk_create(keys, batch_size=2000)
    holders = _holders_of({(key.rule, key.key) for key in keys}, full=full)
    shared = defaultdict(set)  # (first, second) → rules
    for (rule, _value), contact_ids in holders.items():
        if 2 <= len(contact_ids) <= MAX_SHARED:
            for first, second in combinations(sorted(contact_ids), 2):
                if full or first in changed or second in changed:
                    shared[first, second].add(rule)
    DuplicatePair.objects.bulk_create(
        [DuplicatePair(first_id=first, second_id=second, score=score(rules), rules=",".join(sorted(rules)))
         for (first, second), rules in shared.items()],
        batch_size=2000, ignore_conflicts=not full,
    )


def _holders_of(wanted: set[tuple[str, str]], *, full: bool) -> dict[tuple[str, str], set[int]]:
    """Every contact holding each of these keys (one indexed query per rule and chunk)."""
    holders = defaultdict(set)
    if full:
        rows = MatchKey.objects.values_list("rule", "key", "contact_id").iterator(chunk_size=5000)
        for rule, value, contact_id in rows:
            holders[rule, value].add(contact_id)
        return holders
    by_rule = defaultdict(list)
    for rule, value in wanted:
        by_rule[rule].append(value)
    for rule, values in by_rule.items():
        for start in range(0, len(values), CHUNK):
            rows = MatchKey.objects.filter(rule=rule, key__in=values[start:start + CHUNK])
            for value, contact_id in rows.values_list("key", "contact_id"):
                holders[rule, value].add(contact_id)
    return holders


def schedule() -> bool:
    """Queue a background refresh unless one was queued lately; True when one is pending."""
    from privacy.tasks import refresh_duplicates

    with transaction.atomic():
        state, _created = MatchState.objects.select_for_update().get_or_create(pk=1)
        now = timezone.now()
        if state.queued_at is None or now - state.queued_at > SCHEDULE_AGAIN_AFTER:
            MatchState.objects.filter(pk=state.pk).update(queued_at=now)
            transaction.on_commit(refresh_duplicates.enqueue)
    return True


def pairs():
    """Every pair, best score first (paginate it): each with its two contacts."""
    return (DuplicatePair.objects.select_related("first", "second")
            .only("score", "rules", *(f"{side}__{field}" for side in ("first", "second")
                                      for field in ("name", "email", "phone", "city", "kind")))
            .order_by("-score", "first_id", "second_id"))


def forget(contact_ids) -> None:
    """Drop the keys and pairs of these contacts (before a merge): the next refresh computes them again."""
    MatchKey.objects.filter(contact_id__in=contact_ids).delete()
    DuplicatePair.objects.filter(Q(first_id__in=contact_ids) | Q(second_id__in=contact_ids)).delete()


