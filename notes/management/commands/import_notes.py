"""import_notes: notes on existing contacts, from CSV or .xlsx.

A note is the same note when it has the same contact, date and text: with
--update its other columns are brought up to date, without it such a row is
refused, so running a file twice never doubles its notes.
"""


from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contacts.management.references import contact_column, find_contacts
from crm.importing import values, writing
from crm.importing.command import ImportCommand
from crm.importing.engine import Column, Importer, Tally
from notes.models import Note, NoteType

NOTE_ATTRS = {
    "date": "date", "time": "time", "assigned_to": "assigned_to_id", "type": "type_id",
    "description": "description", "is_done": "is_done", "is_pinned": "is_pinned", "admin_only": "admin_only",
}


class NoteImport(Importer):
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

    def reset(self):
        if self.writing:
            return  # the write pass only writes what the check pass counted
        self.versioned = writing.is_versioned(Note)
        self.new_note = writing.Blueprint(Note)
        self.notes = Tally()
        self.seen: dict[tuple, int] = {}  # (contact pk, date, text) → row
        self.default_type = getattr(NoteType.objects.default(), "pk", None)  # the note form's default

    def changes(self):
        return bool(self.notes.created or self.notes.updated)

    def summary(self):
        return [_("Notes — created: %(created)s, updated: %(updated)s, unchanged: %(unchanged)s.") % vars(self.notes)]

    def check_batch(self, rows):
        """2 queries for the contacts, 1 for the keys of their notes, 1 to load the notes the file changes.

        Both passes share one transaction, so what is found here is written on
        the rows (keys starting with "_") and the write pass looks nothing up.
        """
        contacts = find_contacts(self, rows)
        found = {}
        if contacts:
            # Not on the date: SQLite would then pick the date index and read the whole table.
            for pk, contact_id, date, description in Note.objects.filter(
                contact_id__in={contact.pk for contact in contacts.values()},
                description__in={row["description"] for row in rows if "description" in row},
            ).order_by("pk").values_list("pk", "contact_id", "date", "description"):
                found.setdefault((contact_id, date, description), pk)
        matched = {}
        for row in rows:
            contact = contacts.get(row.number)
            if contact is None or "date" not in row or "description" not in row:
                continue
            key = (contact.pk, row["date"], row["description"])
            if key in self.seen:
                self.error(row, None, _("The same note (contact, date and text) is already on row %(row)s.")
                           % {"row": self.seen[key]})
                continue
            self.seen[key] = row.number
            if key not in found:
                if "assigned_to" in row:  # else already reported: a value is required
                    row.values["_contact"] = contact.pk
                    self.notes.created += 1
            elif not self.update:
                self.error(row, None, _("This note is already on the contact; run the import with --update to "
                                        "update it."))
            else:
                matched[row] = found[key]
        notes = Note.objects.in_bulk(matched.values()) if matched else {}
        for row, pk in matched.items():
            if self.apply(notes[pk], row, timezone.now()):
                row.values["_note"] = pk
                self.notes.updated += 1
            else:
                self.notes.unchanged += 1

    def write_batch(self, rows):
        now = timezone.now()
        new = []
        for row in rows:
            if "_contact" in row:
                fields = self.fields(row)
                fields.setdefault("type_id", self.default_type)
                fields["contact_id"] = row["_contact"]
                note = self.new_note(fields)
                note.done_at = now if note.is_done else None
                new.append(note)
        writing.insert(Note, new, set_pks=False)
        changed = {row["_note"]: row for row in rows if "_note" in row}
        if changed:
            writing.update_changed(Note, ((note, self.apply(note, changed[pk], now))
                                          for pk, note in Note.objects.in_bulk(changed).items()))

    @staticmethod
    def fields(row) -> dict:
        return {attr: row[column] for column, attr in NOTE_ATTRS.items() if column in row}

    def apply(self, note, row, now) -> set:
        """Give the note the row's values; the fields to write (none when nothing changed)."""
        fields = self.fields(row)
        updated = {attr for attr, value in fields.items() if getattr(note, attr) != value}
        if not updated:
            return updated
        for attr in updated:
            setattr(note, attr, fields[attr])
        if "is_done" in updated:
            note.done_at = now if note.is_done else None
            updated.add("done_at")
        note.updated_at = now
        updated.add("updated_at")
        if self.versioned:
            note.version += 1
            updated.add("version")
        return updated


class Command(ImportCommand):
    help = gettext_lazy(
        "Import notes on existing contacts from a CSV file or an .xlsx workbook. Every row is checked first; "
        "one bad row and nothing is written. See “Importing data” in the README."
    )
    importer = NoteImport
