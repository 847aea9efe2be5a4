from django.db import migrations

from crm.permissions import MANAGERS, SALES_REPS, grant

# The first active type (by order) is the form's default: a plain note.
DEFAULT_TYPES = [
    ("Note", "Note"),
    ("Rendez-vous", "Meeting"),
    ("Appel téléphonique", "Phone call"),
    ("Envoi courriel", "E-mail sent"),
    ("Courriel reçu", "E-mail received"),
    ("Soumission envoyée", "Quote sent"),
    ("Tâche", "Task"),
]


def create_defaults(apps, schema_editor):
    NoteType = apps.get_model("notes", "NoteType")
    for order, (label_fr, label_en) in enumerate(DEFAULT_TYPES, start=1):
        NoteType.objects.get_or_create(label_en=label_en, defaults={"label_fr": label_fr, "order": order * 10})
    everyday = ["view_note", "add_note", "change_note", "delete_note", "view_notetype"]
    grant(apps, SALES_REPS, "notes", everyday)
    grant(apps, MANAGERS, "notes", everyday + ["view_admin_only_note"])


class Migration(migrations.Migration):
    dependencies = [("notes", "0001_initial"), ("crm", "0002_groups")]
    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
