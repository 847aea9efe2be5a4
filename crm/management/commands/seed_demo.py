from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from crm.demo import DEMO_PASSWORD, seed_users


class Command(BaseCommand):
    help = gettext_lazy("Create demo users and demo content. Safe to run again: nothing is duplicated.")

    def create_parser(self, prog_name, subcommand, **kwargs):
        # The help, too, in the site's language (argparse wants real strings).
        with translation.override(settings.LANGUAGE_CODE):
            self.help = str(self.help)
            return super().create_parser(prog_name, subcommand, **kwargs)

    def handle(self, *args, **options):
        # Printed in the site's language, whatever the shell's.
        with translation.override(settings.LANGUAGE_CODE):
            self.seed()

    def seed(self):
        with transaction.atomic():
            users = seed_users()
            for app_config in apps.get_app_configs():
                if module_has_submodule(app_config.module, "demo") and app_config.name != "crm":
                    created = import_module(f"{app_config.name}.demo").seed(users=users)
                    self.stdout.write(ngettext("%(app)s: %(count)d item created", "%(app)s: %(count)d items created",
                                               created) % {"app": app_config.verbose_name, "count": created})
        self.stdout.write(self.style.SUCCESS(_("Demo data ready. Sign in at %(url)s with:") % {"url": settings.SITE_URL}))
        for user, role in [(users.admin, _("administrator")), (users.manager, _("manager")), (users.rep, _("sales rep"))]:
            self.stdout.write(f"  {user.username:8} / {DEMO_PASSWORD}   ({role})")
