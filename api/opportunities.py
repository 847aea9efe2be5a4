"""Opportunities and the prospection lists: imported only when the module is on (CRM_PROSPECTION)."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from api.base import RecordViewSet
from api.filters import ordering_filter
from api.serializers import VERSION_HELP, ListEntrySerializer, WriteSerializer, identifier, text
from api.views import ListViewSet, contact_for, record_schema, unchanged_contact
from api.writing import fill, save_form
from prospection.filters import OpportunityFilter
from prospection.forms import OpportunityForm
from prospection.models import Category, LostReason, Opportunity, Product, Stage

OPPORTUNITY_ORDERINGS = {"updated": ["updated_at", "pk"], "created": ["created_at", "pk"],
                         "subject": ["subject", "pk"], "value": ["value", "pk"], "total": ["total", "pk"]}


class OpportunitySerializer(serializers.ModelSerializer):
    # Computed by the database (a float on SQLite): shown as the exact decimal like the value.
    total = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True,
                                     help_text="(value − purchase costs) × success % / 100, by the database.")
    band = serializers.IntegerField(read_only=True, help_text="Success band 0–4 (0–20 %, …, 80–100 %).")

    class Meta:
        model = Opportunity
        fields = [
            "id", "contact", "subject", "product", "stage", "contact_person", "category", "value",
            "purchase_costs", "success_percent", "total", "band", "representative", "expected_close_date",
            "probability_set_by_hand", "closed_on", "lost_reason", "lost_comment", "created_by", "created_at",
            "updated_at", "version",
        ]
        read_only_fields = fields


class OpportunityWrite(WriteSerializer):
    read_only_names = ("id", "total", "band", "probability_set_by_hand", "closed_on", "created_by",
                       "created_at", "updated_at")
    contact = identifier(help_text="Required to add an opportunity; cannot be changed afterwards.")
    subject = serializers.CharField(required=False, max_length=200)
    product = identifier()
    stage = identifier(help_text="By default, the default stage.")
    contact_person = identifier(help_text="One of this contact's people.")
    category = identifier()
    value = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, min_value=0)
    purchase_costs = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, min_value=0)
    success_percent = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=100)
    representative = identifier(help_text="A user's id; by default the contact's account manager, else you.")
    expected_close_date = serializers.DateField(required=False, allow_null=True)
    lost_reason = identifier(help_text="Required when the stage is a lost one.")
    lost_comment = text()
    version = serializers.IntegerField(required=False, min_value=0, help_text=VERSION_HELP)


class ApiOpportunityFilter(OpportunityFilter):
    """The dashboard's filters (open ones unless `outcome` says otherwise), plus a contact."""

    contact = django_filters.NumberFilter(field_name="contact_id")
    ordering = ordering_filter(OPPORTUNITY_ORDERINGS)

    class Meta(OpportunityFilter.Meta):
        fields = [*OpportunityFilter.Meta.fields, "contact"]


@record_schema("opportunities", OpportunityWrite, OpportunitySerializer)
class OpportunityViewSet(RecordViewSet):
    serializer_class = OpportunitySerializer
    write_serializer_class = OpportunityWrite
    filterset_class = ApiOpportunityFilter
    orderings = OPPORTUNITY_ORDERINGS
    default_ordering = "-updated"
    action_permissions = {"list": "prospection.view_opportunity", "retrieve": "prospection.view_opportunity",
                          "create": ["prospection.add_opportunity", "contacts.view_contact"],
                          "partial_update": ["prospection.view_opportunity", "prospection.change_opportunity"],
                          "destroy": ["prospection.view_opportunity", "prospection.delete_opportunity"]}

    def get_queryset(self):
        return Opportunity.objects.select_related("stage", "contact")

    def write(self, values, instance):
        user = self.request.user
        if instance is None:
            contact = contact_for(values)
            form = fill(OpportunityForm, values, contact=contact, user=user)

            def save(form):
                opportunity = form.save(commit=False)
                opportunity.created_by = user
                opportunity.save()
                return opportunity
        else:
            unchanged_contact(values, instance)
            form = fill(OpportunityForm, values, instance=instance, contact=instance.contact, user=user)

            def save(form):
                return form.save()
        return save_form(form, save, self.shown)


class StageSerializer(ListEntrySerializer):
    class Meta(ListEntrySerializer.Meta):
        model = Stage
        fields = [*ListEntrySerializer.Meta.fields, "outcome", "probability"]
        read_only_fields = fields


def list_viewset(model, name: str, serializer=None):
    serializer = serializer or type(f"{model.__name__}Serializer", (ListEntrySerializer,), {
        "Meta": type("Meta", (ListEntrySerializer.Meta,), {"model": model}),
    })
    return extend_schema_view(list=extend_schema(summary=f"List the {name}"),
                              retrieve=extend_schema(summary=f"One of the {name}"))(
        type(f"{model.__name__}ViewSet", (ListViewSet,), {
            "serializer_class": serializer, "queryset": model.objects.all(),
            "action_permissions": {"list": "prospection.view_opportunity"}}))


StageViewSet = list_viewset(Stage, "stages", StageSerializer)
ProductViewSet = list_viewset(Product, "products")
CategoryViewSet = list_viewset(Category, "categories")
LostReasonViewSet = list_viewset(LostReason, "lost reasons")
