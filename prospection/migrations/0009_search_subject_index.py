"""The header search's indexes on opportunities' subject (PostgreSQL; see search/indexes.py)."""

from django.db import migrations

from search.indexes import create_index_sql, drop_index_sql, postgresql_only

# Frozen here as prospection/search_sources.py reads them.
COLUMNS, CONFIG = ("subject",), "french"


class Migration(migrations.Migration):
    dependencies = [
        ("prospection", "0008_board_representative_index"),
        ("search", "0001_initial"),  # the extensions and relance_fold()
    ]
    operations = [
        migrations.RunPython(
            postgresql_only(lambda: [*create_index_sql("prospection_opportunity", "opp_search", COLUMNS, CONFIG),
                                     "ANALYZE prospection_opportunity"]),
            postgresql_only(lambda: drop_index_sql("opp_search")),
        ),
    ]
