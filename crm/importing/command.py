"""The shared shape of the import commands: a file and five options."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext

from crm.importing.engine import ImportFailed, Progress, report_lines
from crm.importing.sources import SourceError, delimiter_option


class ImportCommand(BaseCommand):
    """Subclasses set `help` and `importer` (an Importer subclass)."""

    importer = None

    def create_parser(self, prog_name, subcommand, **kwargs):
        # The help, too, in the site's language (argparse wants real strings).
        with translation.override(settings.LANGUAGE_CODE):
            self.help = str(self.help)
            return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help=gettext("CSV file (UTF-8 or Windows-1252; comma, semicolon or tab) or .xlsx workbook.")
        )
        parser.add_argument("--dry-run", action="store_true",
                            help=gettext("Check every row and say what would happen; write nothing."))
        parser.add_argument("--update", action="store_true",
                            help=gettext("Update the rows that already exist instead of refusing them."))
        parser.add_argument("--encoding", help=gettext("The file's encoding, e.g. cp1252 (detected when not given)."))
        parser.add_argument("--delimiter", help=gettext("The column separator: , ; or tab (detected when not given)."))
        parser.add_argument("--ignore-unknown", action="store_true",
                            help=gettext("Leave out the columns whose name is not known (they are listed) instead "
                                         "of refusing the file."))

    def handle(self, *args, file, dry_run, update, encoding, delimiter, ignore_unknown=False, **options):
        # Messages in the site's language, whatever the shell's.
        with translation.override(settings.LANGUAGE_CODE):
            try:
                importer = self.importer(
                    update=update, dry_run=dry_run, encoding=encoding, delimiter=delimiter_option(delimiter),
                    progress=Progress(self.stderr if self.stderr.isatty() else None),
                    ignore_unknown=ignore_unknown, origin="command", file_name=os.path.basename(file),
                )
                report = importer.run(file)
            except SourceError as error:
                raise CommandError(str(error)) from None
            except ImportFailed as failure:
                raise CommandError(failure.render()) from None
            for line in report_lines(report):
                self.stdout.write(line)
