"""A reminder digest is claimed, then sent: a claim without sent_at is a run that died before
sending, and a later run sends it (notes/reminders.py). Rows from before were all sent."""

import django.utils.timezone
from django.db import migrations, models


def claimed_when_sent(apps, schema_editor):
    ReminderLog = apps.get_model("notes", "ReminderLog")
    ReminderLog.objects.update(claimed_at=models.F("sent_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("notes", "0007_contact_order_index_covers_admin_only"),
    ]

    operations = [
        migrations.AddField(
            model_name="reminderlog",
            name="claimed_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="claimed at"),
        ),
        migrations.AlterField(
            model_name="reminderlog",
            name="sent_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="sent at"),
        ),
        migrations.RunPython(claimed_when_sent, migrations.RunPython.noop, elidable=True),
    ]
