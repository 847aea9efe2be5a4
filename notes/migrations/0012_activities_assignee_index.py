from django.db import migrations

# « Activités » (notes/activities.py) lists one person's notes by date by default, and pages
# from either end of that order: with the assignee first and the calendar index's order after
# it (0006), a page, its count and the last page are index-only scans of that person's notes
# (about 50,000 at scale L) instead of a sort of them. The INCLUDE columns are those the
# list filters on (visibility, type, state).
COLUMNS = "admin_only, type_id, is_done"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS note_assignee_date_idx ON notes_note "
            f"(assigned_to_id, date, time NULLS FIRST, id) INCLUDE ({COLUMNS})"
        )
    else:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS note_assignee_date_idx ON notes_note (assigned_to_id, date, time, id, {COLUMNS})"
        )


def drop_index(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS note_assignee_date_idx")


class Migration(migrations.Migration):
    dependencies = [("notes", "0011_note_open_assignee_idx")]

    operations = [migrations.RunPython(create_index, drop_index)]
