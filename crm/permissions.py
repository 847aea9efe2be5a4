"""The groups users are given, their names as users read them, and helpers for data
migrations that give groups their permissions."""

from django.utils.translation import gettext_lazy as _

SALES_REPS = "Sales reps"
MANAGERS = "Managers"
# The database keeps the names above (the code and the migrations look groups up by
# them); users read them in their language: « Représentants », « Gestionnaires ».
GROUP_LABELS = {SALES_REPS: _("Sales reps"), MANAGERS: _("Managers")}


def group_label(group) -> str:
    """A group (or its name) as users read it; a group an administrator added, as named."""
    name = getattr(group, "name", group)
    return str(GROUP_LABELS.get(name, name))


def grant(apps, group_name: str, app_label: str, codenames: list[str]) -> None:
    """Give `group_name` these permissions of `app_label`, creating them first.

    Permissions are normally created after all migrations ran; a data
    migration that needs them creates them itself.
    """
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=group_name)
    permissions = Permission.objects.filter(
        content_type__app_label=app_label, codename__in=codenames
    )
    missing = set(codenames) - set(permissions.values_list("codename", flat=True))
    if missing:
        raise RuntimeError(f"Unknown permissions for {app_label}: {sorted(missing)}")
    group.permissions.add(*permissions)
