import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from contacts.models import Contact
from crm.text import fold
from prospection.forms import UserChoiceField
from prospection.models import DEFAULT_SCOPE, Category, Opportunity, Product, Stage, band_choices


def representatives():
    """Active users, and whoever still holds opportunities after leaving."""
    holds = Exists(Opportunity.objects.filter(representative=OuterRef("pk")))
    return get_user_model().objects.filter(Q(is_active=True) | holds).order_by("first_name", "last_name", "username")


class ChoicesReadOnce:
    """A ModelChoiceField that a page lists anyway (the board's filter menus): once read_choices() has read
    its choices, the value submitted is looked up among them, not by a query of its own."""

    choices_read = None  # {str(pk): object}, once read

    def read_choices(self) -> list:
        """The choices' objects, in the queryset's order: 1 query, the first time."""
        if self.choices_read is None:
            self.choices_read = {str(obj.pk): obj for obj in self.queryset}
        return list(self.choices_read.values())

    def to_python(self, value):
        if self.choices_read is None or value in self.empty_values:
            return super().to_python(value)
        try:
            return self.choices_read[str(value).strip()]
        except KeyError:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None


class FilterChoiceField(ChoicesReadOnce, forms.ModelChoiceField):
    pass


class FilterUserChoiceField(ChoicesReadOnce, UserChoiceField):
    pass


class ChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = FilterChoiceField


class UserFilter(django_filters.ModelChoiceFilter):
    field_class = FilterUserChoiceField


class StableOrderingFilter(django_filters.OrderingFilter):
    """An allow-listed sort; the primary key breaks ties so pages never overlap."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value and not any(v in (None, "") for v in value):
            qs = qs.order_by(*qs.query.order_by, "-pk")
        return qs


# The open/closed filter: what each choice keeps (OpportunityQuerySet.in_scope); open when none is given.
SCOPES = [
    ("open", pgettext_lazy("opportunities", "Open")),
    ("closed", pgettext_lazy("opportunities", "Closed")),
    ("won", pgettext_lazy("opportunities", "Won")),
    ("lost", pgettext_lazy("opportunities", "Lost")),
    ("all", _("All")),
]


class OpportunityFilter(django_filters.FilterSet):
    """The dashboard's filters. Open opportunities only unless `outcome` asks for closed ones.

    The scope applies to an unbound filter too, so whoever lists opportunities
    through it (dashboard, chart, export, forecast) counts the same ones.
    """

    q = django_filters.CharFilter(label=_("Search"), method="search")
    representative = UserFilter(
        label=_("Representative"), queryset=representatives(), empty_label=_("Everyone")
    )
    outcome = django_filters.ChoiceFilter(
        label=_("Open / closed"), choices=SCOPES, empty_label=None, method="in_scope",
    )
    stage = django_filters.ModelChoiceFilter(
        label=_("Stage"), queryset=Stage.objects.all(), empty_label=_("All stages")
    )
    product = ChoiceFilter(
        label=_("Product"), queryset=Product.objects.all(), empty_label=_("All products")
    )
    category = ChoiceFilter(
        label=_("Category"), queryset=Category.objects.all(), empty_label=_("All categories")
    )
    band = django_filters.ChoiceFilter(
        label=_("Success band"), choices=band_choices, empty_label=_("All bands"), method="in_band"
    )
    ordering = StableOrderingFilter(
        label=_("Sort by"),
        fields=[
            ("subject", "subject"), ("contact__name", "contact"), ("product__order", "product"),
            ("stage__order", "stage"), ("representative__first_name", "representative"),
            ("value", "value"), ("success_percent", "percent"), ("total", "total"),
            ("expected_close_date", "close"), ("updated_at", "updated"),
        ],
    )

    class Meta:
        model = Opportunity
        fields = ["q", "representative", "outcome", "stage", "product", "category", "band"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["outcome"].initial = DEFAULT_SCOPE
        for field in self.form.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select" if is_select else "form-control"

    @property
    def qs(self):
        if not hasattr(self, "_scoped_qs"):
            self._scoped_qs = super().qs.in_scope(self.scope())
        return self._scoped_qs

    def qs_any_outcome(self):
        """Every filter but the open/closed one (the forecast splits open and won itself)."""
        return super().qs

    def scope(self) -> str:
        """The open/closed choice in force: the one asked for if understood, else DEFAULT_SCOPE."""
        if self.is_bound:
            self.errors  # noqa: B018  (cleans the form)
            return self.form.cleaned_data.get("outcome") or DEFAULT_SCOPE
        return DEFAULT_SCOPE

    def in_scope(self, queryset, name, value):
        return queryset  # applied in qs, where the default applies too

    def in_band(self, queryset, name, value):
        return queryset.in_band(int(value))

    def search(self, queryset, name, value):
        """Every word in the subject or in the contact's name (or e-mail, phone, people).

        The contacts are found first (contact_id IN ...: their search text's trigram index), rather than
        joined to every opportunity and tested one by one, which read all 100,000 contacts at scale L.
        """
        for word in value.split()[:8]:
            contacts = Contact.objects.filter(search_text__contains=fold(word)).values("pk")
            queryset = queryset.filter(Q(subject__icontains=word) | Q(contact_id__in=contacts))
        return queryset

    def describe(self, skip=()) -> list[str]:
        """The filters in force but `skip`, as 'Label: value' lines (for the chart's subtitle)."""
        if not self.is_bound:
            return []
        self.errors  # noqa: B018  (cleans the form; invalid filters are ignored, as in qs)
        lines = []
        for name in self.Meta.fields:
            if name in skip:
                continue
            value = self.form.cleaned_data.get(name)
            if value in (None, ""):
                continue
            field = self.form.fields[name]
            if name == "band":
                shown = dict(band_choices())[int(value)]
            elif name == "outcome":
                shown = dict(SCOPES)[value]
            elif name == "representative":
                shown = field.label_from_instance(value)
            else:
                shown = str(value)
            lines.append(gettext("%(filter)s: %(value)s") % {"filter": field.label, "value": shown})
        return lines
