from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataImportConfig(AppConfig):
    name = "dataimport"
    verbose_name = _("Data import")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Every import, from a command or a page, is recorded in the import log.
        from crm.exporting import http
        from crm.importing import engine
        from dataimport.exports import queue
        from dataimport.journal import ImportJournal

        engine.journal = ImportJournal()
        # Big exports are written by a background job (crm.exporting.http.send).
        http.queue_in_background = queue
