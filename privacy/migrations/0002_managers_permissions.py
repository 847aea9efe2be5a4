from django.db import migrations

from crm.permissions import MANAGERS, grant


def give_managers(apps, schema_editor):
    grant(apps, MANAGERS, "privacy", ["erase_personal_data", "export_personal_data", "merge_contacts"])


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial"), ("crm", "0002_groups")]
    operations = [migrations.RunPython(give_managers, migrations.RunPython.noop)]
