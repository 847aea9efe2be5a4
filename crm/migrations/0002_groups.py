from django.db import migrations

from crm.permissions import MANAGERS, SALES_REPS


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in (SALES_REPS, MANAGERS):
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("crm", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
