from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from crm.permissions import MANAGERS, SALES_REPS, grant


def grant_permissions(apps, schema_editor):
    everyday = ["view_contact", "add_contact", "change_contact",
                "view_contactperson", "add_contactperson", "change_contactperson", "delete_contactperson"]
    grant(apps, SALES_REPS, "contacts", everyday)
    grant(apps, MANAGERS, "contacts", everyday + ["delete_contact"])


def create_search_index(apps, schema_editor):
    # The contact list's text search is a LIKE '%word%' on search_text; on
    # PostgreSQL a trigram GIN index serves it. SQLite scans (fine to 100k rows).
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS contact_search_trgm_idx "
            "ON contacts_contact USING gin (search_text gin_trgm_ops)"
        )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS contact_search_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [("contacts", "0001_initial"), ("crm", "0002_groups")]
    operations = [
        TrigramExtension(),
        migrations.RunPython(create_search_index, drop_search_index),
        migrations.RunPython(grant_permissions, migrations.RunPython.noop),
    ]
