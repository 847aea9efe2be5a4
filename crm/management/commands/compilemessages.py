"""Django's compilemessages, which also works on a machine without GNU gettext.

`make run` must start on a fresh machine that has Python and npm but not
gettext's msgfmt: there, the project's own catalogues (LOCALE_PATHS) are
compiled with Babel, a pure-Python package pinned in requirements.txt. The
catalogues of Django and the other packages come already compiled. With
msgfmt installed, Django's command runs unchanged (it also checks the format
strings, which the translation test relies on).
"""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.commands import compilemessages
from django.core.management.utils import find_command


class Command(compilemessages.Command):
    def handle(self, **options):
        if find_command(self.program) is not None:
            return super().handle(**options)
        for po in self.catalogues(options["locale"], options["exclude"]):
            self.compile_with_babel(po, use_fuzzy=options["fuzzy"], verbosity=options["verbosity"])

    @staticmethod
    def catalogues(locales: list[str], exclude: list[str]) -> list[Path]:
        found = []
        for base in map(Path, settings.LOCALE_PATHS):
            for po in sorted(base.glob("*/LC_MESSAGES/*.po")):
                language = po.parent.parent.name
                if (not locales or language in locales) and language not in exclude:
                    found.append(po)
        return found

    def compile_with_babel(self, po: Path, *, use_fuzzy: bool, verbosity: int) -> None:
        if verbosity > 0:
            self.stdout.write(f"processing file {po.name} in {po.parent} (with Babel: msgfmt not found)")
        with po.open("rb") as source:
            catalog = read_po(source, locale=po.parent.parent.name)
        with po.with_suffix(".mo").open("wb") as target:
            write_mo(target, catalog, use_fuzzy=use_fuzzy)
