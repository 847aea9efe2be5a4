from django.contrib import admin

from crm.admin_versions import VersionedAdmin
from prospection.models import Category, Opportunity, Product, Stage


class ListEntryAdmin(admin.ModelAdmin):
    list_display = ["label_fr", "label_en", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["label_fr", "label_en"]


@admin.register(Product)
class ProductAdmin(ListEntryAdmin):
    pass


@admin.register(Stage)
class StageAdmin(ListEntryAdmin):
    list_display = ["label_fr", "label_en", "outcome", "order", "is_active"]
    list_editable = ["outcome", "order", "is_active"]
    list_filter = ["outcome", "is_active"]


@admin.register(Category)
class CategoryAdmin(ListEntryAdmin):
    pass


@admin.register(Opportunity)
class OpportunityAdmin(VersionedAdmin, admin.ModelAdmin):
    list_display = [
        "subject", "contact", "product", "stage", "representative",
        "value", "purchase_costs", "success_percent", "total", "expected_close_date",
    ]
    list_filter = ["stage__outcome", "stage", "product", "category", "band", "representative"]
    search_fields = ["subject", "contact__name", "contact__external_ref"]
    list_select_related = ["contact", "product", "stage", "representative"]
    autocomplete_fields = ["contact", "contact_person"]
    readonly_fields = ["total", "band", "created_by", "created_at", "updated_at"]
    date_hierarchy = "expected_close_date"
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
