"""The pages' filters, with the API's sort orders: only columns a keyset page can walk
(never null, ended by the id), so a page costs the same wherever it starts."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contacts.filters import MAX_SEARCH_WORDS, ContactFilter, UserFilter, active_users
from notes.filters import ContactNoteFilter

# API value → columns, for each list; "-value" reverses them all.
CONTACT_ORDERINGS = {"name": ["name", "pk"], "status": ["status", "name", "pk"], "city": ["city", "name", "pk"],
                     "updated": ["updated_at", "pk"]}
NOTE_ORDERINGS = {"date": ["date", "pk"], "created": ["created_at", "pk"], "updated": ["updated_at", "pk"]}
PERSON_ORDERINGS = {"name": ["last_name", "first_name", "pk"], "id": ["pk"]}


def ordering_filter(orderings: dict) -> django_filters.ChoiceFilter:
    """The sort, checked against its allow-list here; the keyset pagination applies it."""
    values = [value for name in orderings for value in (name, f"-{name}")]
    return django_filters.ChoiceFilter(label=_("Sort by"), choices=[(value, value) for value in values],
                                       method=lambda queryset, name, value: queryset)


class ApiContactFilter(ContactFilter):
    ordering = ordering_filter(CONTACT_ORDERINGS)


class PersonFilter(django_filters.FilterSet):
    contact = django_filters.NumberFilter(field_name="contact_id", label=_("Contact"))
    ordering = ordering_filter(PERSON_ORDERINGS)


class NoteFilter(ContactNoteFilter):
    """The Notes tab's filters (type, state), the calendar's (assignee), a contact, a text search."""

    contact = django_filters.NumberFilter(field_name="contact_id", label=_("Contact"))
    assigned_to = UserFilter(label=_("Assigned to"), queryset=active_users)
    q = django_filters.CharFilter(label=_("Search"), method="search")
    ordering = ordering_filter(NOTE_ORDERINGS)

    class Meta(ContactNoteFilter.Meta):
        fields = ["contact", "assigned_to", "type", "state", "q"]

    def search(self, queryset, name, value):
        for word in value.split()[:MAX_SEARCH_WORDS]:
            queryset = queryset.filter(Q(description__icontains=word))
        return queryset
