from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataImportConfig(AppConfig):
    name = "dataimport"
    verbose_name = _("Data import")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Every import, from a command or a page, is recorded in the import log.
        from crm.importing import engine
        from dataimport.journal import ImportJournal

        engine.journal = ImportJournal()
