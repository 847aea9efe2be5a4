"""Django's own user admin, with delete confirmations that keep the pages' secrets; the
sign-in guard's locks (django-axes's list of attempts), translated and saying until when
each lock holds: an administrator lifts a lock by deleting its row."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from crm.admin_access import deleted_objects_for


class CRMUserAdmin(UserAdmin):
    def get_deleted_objects(self, objs, request):
        # A user's assigned notes keep them from being deleted: admin-only ones are only counted.
        return deleted_objects_for(self, objs, request)


User = get_user_model()
admin.site.unregister(User)
admin.site.register(User, CRMUserAdmin)


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
