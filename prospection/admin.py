from django.contrib import admin

from crm.admin_versions import VersionedAdmin
from prospection.models import Category, LostReason, Opportunity, Product, Stage


class ListEntryAdmin(admin.ModelAdmin):
    # The default is set on a value's own page (ticking it takes it from the old one), not in the list.
    fields = ["label_fr", "label_en", "order", "is_active", "is_default"]
    list_display = ["label_fr", "label_en", "order", "is_active", "is_default"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["label_fr", "label_en"]

    def has_delete_permission(self, request, obj=None):
        # A list that needs a default has it replaced (tick another), not deleted.
        if obj is not None and obj.is_default and obj.default_required:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Product)
class ProductAdmin(ListEntryAdmin):
    pass


@admin.register(Stage)
class StageAdmin(ListEntryAdmin):
    fields = ["label_fr", "label_en", "outcome", "probability", "order", "is_active", "is_default"]
    list_display = ["label_fr", "label_en", "outcome", "probability", "order", "is_active", "is_default"]
    list_editable = ["outcome", "probability", "order", "is_active"]
    list_filter = ["outcome", "is_active"]


@admin.register(Category)
class CategoryAdmin(ListEntryAdmin):
    pass


@admin.register(LostReason)
class LostReasonAdmin(ListEntryAdmin):
    pass


@admin.register(Opportunity)
class OpportunityAdmin(VersionedAdmin, admin.ModelAdmin):
    list_display = [
        "subject", "contact", "product", "stage", "representative",
        "value", "purchase_costs", "success_percent", "total", "expected_close_date",
    ]
    list_filter = ["stage__outcome", "stage", "product", "category", "band", "representative", "lost_reason"]
    search_fields = ["subject", "contact__name", "contact__external_ref"]
    list_select_related = ["contact", "product", "stage", "representative"]
    autocomplete_fields = ["contact", "contact_person"]
    readonly_fields = ["total", "band", "closed_on", "probability_set_by_hand", "created_by", "created_at", "updated_at"]
    date_hierarchy = "expected_close_date"
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
