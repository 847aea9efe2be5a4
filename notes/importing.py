"""Notes on existing contacts, from CSV or .xlsx (the import_notes command and the import page).

A note is the same note when it has the same contact, date and text: with
--update its other columns are brought up to date, without it such a row is
refused, so running a file twice never doubles its notes.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contacts.importing import contact_column, find_contacts
from crm.importing import values
from crm.importing.engine import Column
from crm.importing.records import RecordImport
from notes.models import Note, NoteType

NOTE_ATTRS = {
    "date": "date", "time": "time", "assigned_to": "assigned_to_id", "type": "type_id",
    "description": "description", "is_done": "is_done", "is_pinned": "is_pinned", "admin_only": "admin_only",
}


class NoteImport(RecordImport):
    model = Note
    attrs = NOTE_ATTRS
    derived = ("is_done", "done_at")
    counted = {"notes": gettext_lazy("Notes — created: %(created)s, updated: %(updated)s, unchanged: %(unchanged)s.")}
    repeated_message = gettext_lazy("The same note (contact, date and text) is already on row %(row)s.")
    exists_message = gettext_lazy("This note is already on the contact; run the import with --update to update it.")

    def get_columns(self):
        return [
            contact_column(),
            Column("date", ("date", "date de la note", "note date", "jour", "day"), parse=values.date, required=True),
            Column("time", ("heure", "time"), parse=values.time),
            Column("assigned_to", ("assigné à", "assignée à", "assigné", "assigned to", "responsable", "utilisateur",
                                   "user", "owner"), parse=values.Users(), required=True),
            Column("type", ("type", "type de note", "note type"),
                   parse=values.labelled(NoteType.objects.all(),
                                         unknown_message=_("“%(value)s” is not a note type."))),
            Column("description", ("description", "note", "texte", "text", "contenu", "content"), required=True),
            Column("is_done", ("fait", "faite", "terminé", "terminée", "done", "completed", "is done"),
                   parse=values.boolean),
            Column("is_pinned", ("épinglé", "épinglée", "pinned", "is pinned"), parse=values.boolean),
            Column("admin_only", ("admin seulement", "réservé aux administrateurs", "administrateurs seulement",
                                  "admin only"), parse=values.boolean),
        ]

    def reset_check(self):
        self.default_type = getattr(NoteType.objects.default(), "pk", None)  # the note form's default

    def locate(self, rows):
        """2 queries for the contacts, 1 for the keys of their notes."""
        contacts = find_contacts(self, rows)
        found = {}
        if contacts:
            # Not on the date: SQLite would then pick the date index and read the whole table.
            for pk, contact_id, date, description in Note.objects.filter(
                contact_id__in={contact.pk for contact in contacts.values()},
                description__in={row["description"] for row in rows if "description" in row},
            ).order_by("pk").values_list("pk", "contact_id", "date", "description"):
                found.setdefault((contact_id, date, description), pk)  # the same note twice: the first
        for row in rows:
            contact = contacts.get(row.number)
            if contact is None or "date" not in row or "description" not in row:
                continue
            key = (contact.pk, row["date"], row["description"])
            yield row, contact, key, [found[key]] if key in found else []

    def plan_new(self, row, contact):
        return "assigned_to" in row  # else already reported: a value is required

    def build(self, row, now):
        fields = self.fields(row)
        fields.setdefault("type_id", self.default_type)
        fields["contact_id"] = row["_contact"]
        note = self.blueprint(fields)
        note.done_at = now if note.is_done else None
        return note

    def derive(self, note, before, now):
        if note.is_done != before["is_done"]:
            note.done_at = now if note.is_done else None
