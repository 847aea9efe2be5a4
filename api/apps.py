from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self):
        from api import bulk_events, events, schema  # noqa: F401  (signal handlers; the schema's token scheme)
