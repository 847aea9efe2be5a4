"""The fold function and the indexes of the header search on contacts' people and notes (PostgreSQL).

Opportunities have theirs in prospection (0009_search_subject_index), so that the
module can be off. The contacts' own search_text already has its trigram index.
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

from search.indexes import FOLD_FUNCTION, create_index_sql, drop_index_sql, postgresql_only

# Frozen here as the sources read them (contacts/search_sources.py, notes/search_sources.py).
PERSON_COLUMNS, PERSON_CONFIG = ("first_name", "last_name", "email", "role"), "simple"
NOTE_COLUMNS, NOTE_CONFIG = ("description",), "french"


def create():
    return [
        FOLD_FUNCTION,
        *create_index_sql("contacts_contactperson", "person_search", PERSON_COLUMNS, PERSON_CONFIG),
        *create_index_sql("notes_note", "note_search", NOTE_COLUMNS, NOTE_CONFIG),
        # Statistics on the new expressions, so that the planner can tell a common word from a rare one.
        "ANALYZE contacts_contactperson", "ANALYZE notes_note",
    ]


def drop():
    return [*drop_index_sql("person_search"), *drop_index_sql("note_search"),
            "DROP FUNCTION IF EXISTS relance_fold(text)"]


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0006_contactperson_version"),
        ("notes", "0009_list_defaults"),
    ]
    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunPython(postgresql_only(create), postgresql_only(drop)),
    ]
