"""Django's own user admin, with delete confirmations that keep the pages' secrets; the
sign-in guard's locks (django-axes's list of attempts), translated and saying until when
each lock holds: an administrator lifts a lock by deleting its row."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from crm.admin_access import deleted_objects_for
from crm.permissions import group_label


class GroupFilter(admin.RelatedFieldListFilter):
    """"By group" with the groups' names in the user's language (« Représentants »)."""

    def field_choices(self, field, request, model_admin):
        return [(pk, group_label(name)) for pk, name in super().field_choices(field, request, model_admin)]


class CRMUserAdmin(UserAdmin):
    list_filter = [("groups", GroupFilter) if name == "groups" else name for name in UserAdmin.list_filter]

    def get_deleted_objects(self, objs, request):
        # A user's assigned notes keep them from being deleted: admin-only ones are only counted.
        return deleted_objects_for(self, objs, request)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups":
            formfield.label_from_instance = group_label
        return formfield


class CRMGroupAdmin(GroupAdmin):
    """Groups listed by their names in the user's language; the form edits the stored name."""

    list_display = ["label"]

    @admin.display(description=Group._meta.get_field("name").verbose_name, ordering="name")
    def label(self, group):
        return group_label(group)


User = get_user_model()
admin.site.unregister(User)
admin.site.register(User, CRMUserAdmin)
admin.site.unregister(Group)
admin.site.register(Group, CRMGroupAdmin)

# The admin wears the app's name (templates/admin/base_site.html puts it in every page title).
admin.site.site_header = admin.site.site_title = _("Relance — administration")
admin.site.index_title = _("Users, lists and records")


# Always empty here (AXES_DISABLE_ACCESS_LOG, no AXES_ENABLE_ACCESS_FAILURE_LOG): not shown.
admin.site.unregister(AccessLog)
admin.site.unregister(AccessFailureLog)
admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class SignInLockAdmin(AccessAttemptAdmin):
    @admin.display(description=_("Lock"))
    def status(self, obj):
        remaining = settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        if remaining > 0:
            return ngettext("%(count)d try left", "%(count)d tries left", remaining) % {"count": remaining}
        ends = obj.attempt_time + settings.AXES_COOLOFF_TIME
        if ends <= timezone.now():
            return _("Lock over")
        return _("Locked until %(time)s") % {"time": formats.time_format(timezone.localtime(ends))}

    @admin.action(description=_("Clean up expired attempts"))
    def cleanup_expired_attempts(self, request, queryset):
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(request, ngettext(
            "%(count)d expired attempt deleted.", "%(count)d expired attempts deleted.", count
        ) % {"count": count})
