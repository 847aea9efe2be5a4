from django import forms
from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from contacts import searchable
from contacts.filters import search_words
from contacts.models import Contact, ContactPerson
from crm.admin_access import deleted_objects_for
from crm.admin_versions import VersionedAdmin, VersionedInline


class ContactPersonInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        primary = [
            form for form in self.forms
            if form.cleaned_data.get("is_primary") and not form.cleaned_data.get("DELETE")
        ]
        if len(primary) > 1:
            raise forms.ValidationError(_("Only one person can be the primary contact."))


class ContactPersonInline(VersionedInline, admin.TabularInline):
    model = ContactPerson
    formset = ContactPersonInlineFormSet
    extra = 0


def without_account_manager(names):
    if settings.PROSPECTION_ENABLED:
        return names
    return [name for name in names if name != "account_manager"]


@admin.register(Contact)
class ContactAdmin(VersionedAdmin, admin.ModelAdmin):
    list_display = ["name", "kind", "status", "email", "phone", "city", "account_manager", "updated_at"]
    list_filter = ["status", "kind", "language", "account_manager", "created_at"]
    # Searched through the folded search_text (see get_search_results), so
    # "eric" finds "Éric" here as in the contact list.
    search_fields = ["name", "email", "external_ref"]
    search_help_text = _("Name, e-mail, phone, external reference, or a person's name or e-mail.")
    list_select_related = ["account_manager"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    inlines = [ContactPersonInline]
    show_full_result_count = False

    # The account manager belongs to the prospection module: with it off, no column, filter or field.
    def get_list_display(self, request):
        return without_account_manager(super().get_list_display(request))

    def get_list_filter(self, request):
        return without_account_manager(super().get_list_filter(request))

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        return exclude if settings.PROSPECTION_ENABLED else [*exclude, "account_manager"]

    def get_search_results(self, request, queryset, search_term):
        words = search_words(search_term)
        if not words:
            return queryset, False
        for word in words:
            queryset = queryset.filter(search_text__contains=word)
        return queryset, False

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.refresh_search_text()

    def get_deleted_objects(self, objs, request):
        # Its admin-only notes go too, but are not listed to who may not see them.
        return deleted_objects_for(self, objs, request)


@admin.register(ContactPerson)
class ContactPersonAdmin(VersionedAdmin, admin.ModelAdmin):
    list_display = ["full_name", "contact", "role", "email", "phone", "mobile", "is_primary"]
    list_filter = ["is_primary", "contact__status", "contact__kind"]
    search_fields = ["first_name", "last_name", "email", "phone", "mobile", "role", "contact__name"]
    list_select_related = ["contact"]
    autocomplete_fields = ["contact"]

    def delete_queryset(self, request, queryset):
        # A bulk delete skips ContactPerson.delete(), which keeps search_text right.
        contact_ids = set(queryset.values_list("contact_id", flat=True))
        super().delete_queryset(request, queryset)
        searchable.refresh(contact_ids)
