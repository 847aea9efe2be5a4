"""The retention rule: inactive contacts with no note and no change for N years are erased."""

import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from contacts.models import Contact
from notes.models import Note


def cutoff(years: int) -> datetime.datetime:
    now = timezone.now()
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def inactive_contacts(years: int):
    """Contacts the rule selects: status inactive, unchanged since the cut-off, no note dated or
    written since then (one query)."""
    since = cutoff(years)
    recent_notes = Note.objects.filter(contact=OuterRef("pk")).filter(
        Q(date__gte=since.date()) | Q(created_at__gte=since) | Q(updated_at__gte=since))
    return (Contact.objects.filter(status=Contact.Status.INACTIVE, updated_at__lt=since)
            .exclude(Exists(recent_notes)).order_by("pk"))
