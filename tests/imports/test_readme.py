"""The README's "Importing data" section lists every column name the commands accept."""

from pathlib import Path

import pytest
from django.conf import settings

from contacts.importing import ContactImport
from notes.importing import NoteImport

README = Path(settings.BASE_DIR) / "README.md"


def section() -> str:
    text = README.read_text(encoding="utf-8")
    return text[text.index("## Importing data"):]


def importers():
    found = [ContactImport, NoteImport]
    if settings.PROSPECTION_ENABLED:
        from prospection.importing import OpportunityImport

        found.append(OpportunityImport)
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("importer", importers(), ids=lambda importer: importer.__name__)
def test_every_accepted_column_name_is_documented(importer):
    documented = section()
    missing = [name for column in importer().get_columns() for name in column.accepted if name not in documented]
    assert not missing


def test_the_reading_of_0_35_is_documented():
    assert "`0,35` and `0.35` are read as 35 %" in section()
