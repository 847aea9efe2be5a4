from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from crm.demo import DEMO_PASSWORD, seed_users


class Command(BaseCommand):
    help = "Create demo users and demo content. Safe to run again: nothing is duplicated."

    def handle(self, *args, **options):
        with transaction.atomic():
            users = seed_users()
            for app_config in apps.get_app_configs():
                if module_has_submodule(app_config.module, "demo") and app_config.name != "crm":
                    created = import_module(f"{app_config.name}.demo").seed(users=users)
                    self.stdout.write(f"{app_config.verbose_name}: {created} created")
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Sign in at {settings.SITE_URL} with:"))
        for user, role in [(users.admin, "administrator"), (users.manager, "manager"), (users.rep, "sales rep")]:
            self.stdout.write(f"  {user.username:8} / {DEMO_PASSWORD}   ({role})")
