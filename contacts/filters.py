import re

import django_filters
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from contacts.models import Contact
from crm.text import digits, fold, user_name

# A search word made only of digits and the punctuation of phone numbers
# is looked up by its digits, as search_text also holds every phone's digits.
PHONE_WORD = re.compile(r"^\+?[\d().\-/]*\d[\d().\-/]*$")
MAX_SEARCH_WORDS = 8


def active_users(request=None):
    return get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "username")


def search_words(text: str) -> list[str]:
    """The folded words of a search, phone-like ones reduced to their digits."""
    words = []
    for word in fold(text).split()[:MAX_SEARCH_WORDS]:
        if PHONE_WORD.match(word) and len(digits(word)) >= 3:
            word = digits(word)
        words.append(word)
    return words


class UserChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        return user_name(obj)


class UserFilter(django_filters.ModelChoiceFilter):
    """A user, shown by full name as everywhere else (not by user name)."""

    field_class = UserChoiceField


class ContactOrderingFilter(django_filters.OrderingFilter):
    """Sort by an allow-listed column, then by name and id so pages never overlap."""

    def filter(self, qs, value):
        ordering = [self.get_ordering_value(param) for param in value or [] if param]
        if not ordering:
            return qs
        tie_breakers = ["pk"] if {"name", "-name"} & set(ordering) else ["name", "pk"]
        return qs.order_by(*ordering, *tie_breakers)


class ContactFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Contact.Status.choices, empty_label=_("All statuses"))
    kind = django_filters.ChoiceFilter(label=_("Contact type"), choices=Contact.Kind.choices, empty_label=_("All types"))
    account_manager = UserFilter(
        label=_("Account manager"), queryset=active_users, empty_label=_("Everyone")
    )
    ordering = ContactOrderingFilter(
        label=_("Sort by"),
        # (model field, value in the URL): nothing else reaches order_by().
        fields=[("name", "name"), ("status", "status"), ("city", "city"), ("updated_at", "updated")],
        field_labels={"name": _("Name"), "status": _("Status"), "city": _("City"), "updated_at": _("Updated")},
    )

    class Meta:
        model = Contact
        fields = ["q", "status", "kind", "account_manager"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not settings.PROSPECTION_ENABLED:
            del self.filters["account_manager"]
        for name in ("status", "kind", "account_manager"):
            if name in self.form.fields:
                self.form.fields[name].widget.attrs["class"] = "form-select"

    @property
    def current_ordering(self) -> str:
        """The sort the list really uses, as its URL value ("name", "-updated", ...)."""
        if not self.is_bound:
            return "name"
        self.form.is_valid()  # cleaned_data keeps the valid fields; a bad ordering is left out
        ordering = self.form.cleaned_data.get("ordering") or []
        return ordering[0] if ordering else "name"

    def search(self, queryset, name, value):
        for word in search_words(value):
            queryset = queryset.filter(search_text__contains=word)
        return queryset
