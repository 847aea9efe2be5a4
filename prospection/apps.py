from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProspectionConfig(AppConfig):
    name = "prospection"
    verbose_name = _("Prospection")

    def ready(self):
        from prospection import panels  # noqa: F401  (registers the contact tab and home panel)
