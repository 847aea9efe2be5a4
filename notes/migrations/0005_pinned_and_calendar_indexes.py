from django.db import migrations, models


def create_calendar_index(apps, schema_editor):
    # The calendar ranks a period's notes in day order (the month grid shows the
    # first four of each day) from this index alone, without reading the table.
    # Covering indexes are PostgreSQL's; SQLite does well enough with note_date_idx.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS note_calendar_idx ON notes_note (date, time, id) "
            "INCLUDE (admin_only, assigned_to_id, type_id, is_done)"
        )


def drop_calendar_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS note_calendar_idx")


class Migration(migrations.Migration):
    dependencies = [("notes", "0004_note_version_historicalnote")]

    operations = [
        migrations.RunPython(create_calendar_index, drop_calendar_index),
        migrations.AddIndex(
            model_name="note",
            index=models.Index(condition=models.Q(("is_pinned", True)), fields=["-date", "-id"],
                               name="note_pinned_date_idx"),
        ),
    ]
