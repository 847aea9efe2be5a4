from django.contrib import admin

from contacts.models import Contact, ContactPerson


class ContactPersonInline(admin.TabularInline):
    model = ContactPerson
    extra = 0


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "status", "email", "phone", "city", "account_manager", "updated_at"]
    list_filter = ["status", "kind", "language", "account_manager"]
    search_fields = ["name", "email", "phone", "external_ref", "people__last_name", "people__email"]
    list_select_related = ["account_manager"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    inlines = [ContactPersonInline]
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.refresh_search_text()


@admin.register(ContactPerson)
class ContactPersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "contact", "role", "email", "phone", "is_primary"]
    list_filter = ["is_primary"]
    search_fields = ["first_name", "last_name", "email", "contact__name"]
    list_select_related = ["contact"]
    autocomplete_fields = ["contact"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        obj.contact.refresh_search_text()
