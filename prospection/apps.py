from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProspectionConfig(AppConfig):
    name = "prospection"
    verbose_name = _("Prospection")

    def ready(self):
        # figures: the signals that refresh the cached sums; panels: the contact tab and home panel.
        from prospection import figures, panels  # noqa: F401
