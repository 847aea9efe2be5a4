from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProspectionConfig(AppConfig):
    name = "prospection"
    verbose_name = _("Prospection")
