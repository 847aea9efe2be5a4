from rest_framework.permissions import BasePermission


class ActionPermission(BasePermission):
    """The permission each action needs, as on the pages (view's `action_permissions`)."""

    def has_permission(self, request, view):
        if not request.user.is_authenticated:
            return False
        needed = view.action_permissions.get(view.action) or view.action_permissions["list"]
        return request.user.has_perms([needed] if isinstance(needed, str) else needed)
