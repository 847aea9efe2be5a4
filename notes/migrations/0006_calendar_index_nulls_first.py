from django.db import migrations

# The calendar lists a day's notes with those without a time first, then by
# time: ORDER BY date, time NULLS FIRST, id. With an index in that order the
# grids rank each day's notes (to show the first few) straight from an
# index-only scan, and count them per day from it too. It replaces 0005's
# index, whose NULLS LAST order made PostgreSQL sort the whole period.
COLUMNS = "admin_only, assigned_to_id, type_id, is_done"


def create_calendar_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS note_calendar_idx")
        schema_editor.execute(
            "CREATE INDEX note_calendar_idx ON notes_note (date, time NULLS FIRST, id) "
            f"INCLUDE ({COLUMNS})"
        )
    else:
        # SQLite sorts NULL first already; listing the filtered columns makes
        # the index cover the ranking, as INCLUDE does on PostgreSQL.
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS note_calendar_idx ON notes_note (date, time, id, {COLUMNS})"
        )


def restore_previous_index(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS note_calendar_idx")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX note_calendar_idx ON notes_note (date, time, id) INCLUDE ({COLUMNS})"
        )


class Migration(migrations.Migration):
    dependencies = [("notes", "0005_pinned_and_calendar_indexes")]

    operations = [migrations.RunPython(create_calendar_index, restore_previous_index)]
