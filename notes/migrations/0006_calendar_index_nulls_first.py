from django.db import migrations

# The calendar lists a day's notes with those without a time first, then by
# time: ORDER BY date, time NULLS FIRST, id. An index in that order lets the
# month and week grids read just the first few entries of each day (LIMIT per
# day) instead of ranking the whole period, and counts per day stay
# index-only. It replaces 0005's index, whose NULLS LAST order forced a sort.
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
