from django.contrib import admin

from crm.admin_access import deleted_objects_for
from crm.admin_versions import VersionedAdmin
from notes.history import admin_log_for
from notes.models import CalendarFeed, Note, NoteType, ReminderLog


@admin.register(NoteType)
class NoteTypeAdmin(admin.ModelAdmin):
    # The default is set on a type's own page (ticking it takes it from the old one), not in the list.
    fields = ["label_fr", "label_en", "order", "is_active", "is_default", "kind"]
    list_display = ["label_fr", "label_en", "order", "is_active", "is_default", "kind"]

    def has_delete_permission(self, request, obj=None):
        # A list that needs a default has it replaced (tick another), not deleted.
        if obj is not None and obj.is_default and obj.default_required:
            return False
        return super().has_delete_permission(request, obj)
    list_editable = ["order", "is_active"]
    list_filter = ["is_active"]

    def get_deleted_objects(self, objs, request):
        # The notes that keep a type from being deleted are listed; admin-only ones only counted.
        return deleted_objects_for(self, objs, request)


@admin.register(Note)
class NoteAdmin(VersionedAdmin, admin.ModelAdmin):
    list_display = ["__str__", "contact", "date", "type", "assigned_to", "is_done", "is_pinned", "admin_only"]
    list_filter = ["is_done", "is_pinned", "type", "date"]
    search_fields = ["description", "contact__name"]
    list_select_related = ["contact", "type", "assigned_to"]
    autocomplete_fields = ["contact"]
    date_hierarchy = "date"
    readonly_fields = ["done_at", "created_by", "created_at", "updated_at"]
    show_full_result_count = False

    def get_queryset(self, request):
        # The admin honours the admin-only rule like every other surface.
        return Note.objects.visible_to(request.user)

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        if request.user.has_perm("notes.view_admin_only_note"):
            filters.append("admin_only")
        return filters

    def get_exclude(self, request, obj=None):
        if not request.user.has_perm("notes.view_admin_only_note"):
            return ["admin_only"]
        return []

    def get_list_display(self, request):
        display = list(super().get_list_display(request))
        if not request.user.has_perm("notes.view_admin_only_note"):
            display.remove("admin_only")
        return display

    def history_view(self, request, object_id, extra_context=None):
        # The admin's log of this note, less what was done while it was admin-only
        # for those who may not see that (as on the note's page).
        response = super().history_view(request, object_id, extra_context)
        context = getattr(response, "context_data", None)
        if not context or "action_list" not in context:
            return response
        entries = context["action_list"].paginator.object_list
        hidden, rewritten = admin_log_for(request.user, context["object"], entries)
        if hidden:
            paginator = self.get_paginator(request, entries.exclude(pk__in=hidden), 100)
            page = paginator.get_page(context["action_list"].number)
            context.update(action_list=page, page_range=paginator.get_elided_page_range(page.number),
                           pagination_required=paginator.count > 100)
        page = context["action_list"]
        page.object_list = list(page.object_list)
        for entry in page.object_list:
            entry.change_message = rewritten.get(entry.pk, entry.change_message)
        return response

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        if "is_done" in form.changed_data:
            obj.mark_done(obj.is_done)
        super().save_model(request, obj, form, change)


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """Deleting a row here revokes that user's calendar address."""

    list_display = ["user", "created_at"]
    search_fields = ["user__username", "user__email"]
    fields = ["user", "created_at"]
    readonly_fields = ["user", "created_at"]
    view_on_site = False  # the feed's address is its secret

    def lookup_allowed(self, lookup, value, request=None):
        # ?token__startswith=a would let a staff user guess every secret letter by letter.
        if lookup.split("__")[0] == "token":
            return False
        return super().lookup_allowed(lookup, value, request)

    def has_add_permission(self, request):
        return False


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    # A claim without "sent at" is a digest being sent, or left by a run that died (sent by the next one).
    list_display = ["user", "day", "claimed_at", "sent_at"]
    list_filter = ["day"]
    search_fields = ["user__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
