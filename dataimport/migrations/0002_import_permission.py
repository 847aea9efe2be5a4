from django.db import migrations

from crm.permissions import MANAGERS, grant


def give_managers_import(apps, schema_editor):
    grant(apps, MANAGERS, "dataimport", ["import_data"])


class Migration(migrations.Migration):
    dependencies = [("dataimport", "0001_initial"), ("crm", "0002_groups")]

    operations = [migrations.RunPython(give_managers_import, migrations.RunPython.noop)]
