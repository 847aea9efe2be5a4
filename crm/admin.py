"""Django's own user admin, with delete confirmations that keep the pages' secrets."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from crm.admin_access import deleted_objects_for


class CRMUserAdmin(UserAdmin):
    def get_deleted_objects(self, objs, request):
        # A user's assigned notes keep them from being deleted: admin-only ones are only counted.
        return deleted_objects_for(self, objs, request)


User = get_user_model()
admin.site.unregister(User)
admin.site.register(User, CRMUserAdmin)
