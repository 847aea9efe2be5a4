import django_filters
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from contacts.models import Contact
from crm.text import fold


def active_users():
    return get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "username")


class ContactFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Contact.Status.choices, empty_label=_("All statuses"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Contact.Kind.choices, empty_label=_("All kinds"))
    account_manager = django_filters.ModelChoiceFilter(
        label=_("Account manager"), queryset=active_users(), empty_label=_("Everyone")
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
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

    def search(self, queryset, name, value):
        words = fold(value).split()
        for word in words[:8]:
            queryset = queryset.filter(search_text__contains=word)
        return queryset
