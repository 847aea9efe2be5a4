"""import_notes: notes on existing contacts, from CSV or .xlsx (the importer: notes.importing)."""

from django.utils.translation import gettext_lazy

from crm.importing.command import ImportCommand
from notes.importing import NoteImport


class Command(ImportCommand):
    help = gettext_lazy(
        "Import notes on existing contacts from a CSV file or an .xlsx workbook. Every row is checked first; "
        "one bad row and nothing is written. See “Importing data” in the README."
    )
    importer = NoteImport
