from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


def _add_fold_to_sqlite(sender, connection, **kwargs):
    """SQLite has no unaccent: the search's relance_fold() is Python's fold there (crm/text.py)."""
    if connection.vendor == "sqlite":
        from crm.text import fold

        connection.connection.create_function("relance_fold", 1, fold, deterministic=True)


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        connection_created.connect(_add_fold_to_sqlite, dispatch_uid="search_sqlite_fold")
        # Each installed app says what it lets people find in its search_sources.py (like admin.py):
        # an app switched off (prospection) registers nothing, and no app imports another for it.
        autodiscover_modules("search_sources")
