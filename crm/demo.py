"""Demo users; each app adds its own demo content in its `demo` module."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from crm.models import Profile
from crm.permissions import MANAGERS, SALES_REPS

DEMO_PASSWORD = "relance-demo-2026"


@dataclass
class DemoUsers:
    admin: object
    manager: object
    rep: object


def ensure_user(username, *, first_name, last_name, group=None, superuser=False, language="fr"):
    """Create the user once; never reset a password someone may have changed."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "email": f"{username}@relance.example",
            "is_staff": superuser,
            "is_superuser": superuser,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
        Profile.objects.update_or_create(user=user, defaults={"language": language})
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def seed_users() -> DemoUsers:
    return DemoUsers(
        admin=ensure_user("admin", first_name="Alex", last_name="Admin", superuser=True),
        manager=ensure_user("marie", first_name="Marie", last_name="Tremblay", group=MANAGERS),
        rep=ensure_user("luc", first_name="Luc", last_name="Gagnon", group=SALES_REPS),
    )
