"""import_opportunities: sales opportunities on existing contacts, from CSV or .xlsx (the importer:
prospection.importing)."""

from django.utils.translation import gettext_lazy

from crm.importing.command import ImportCommand
from prospection.importing import OpportunityImport


class Command(ImportCommand):
    help = gettext_lazy(
        "Import sales opportunities on existing contacts from a CSV file or an .xlsx workbook. Every row is "
        "checked first; one bad row and nothing is written. See “Importing data” in the README."
    )
    importer = OpportunityImport
