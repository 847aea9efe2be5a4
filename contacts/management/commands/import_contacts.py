from django.utils.translation import gettext_lazy as _

from contacts.importing import ContactImport
from crm.importing.command import ImportCommand


class Command(ImportCommand):
    help = _(
        "Import contacts and their people from a CSV file, an .xlsx workbook or vCards (.vcf). "
        "Every row is checked first; one bad row and nothing is written. See “Importing data” in the README."
    )
    importer = ContactImport
