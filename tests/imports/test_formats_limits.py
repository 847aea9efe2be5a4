"""Reading files safely: a formula without a value is refused naming its cell; a huge field is refused while
reading, with memory bounded, and a clear message in both languages."""

import tracemalloc
import zipfile

import openpyxl
import pytest
from django.core.management.base import CommandError
from django.utils import translation

from contacts.models import Contact
from crm.importing.sources import FIELD_LIMIT, CsvSource, SourceError, open_source
from tests.imports.conftest import run_import

pytestmark = pytest.mark.django_db


def workbook_with_formula(path, *, cached: str | None = None):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Feuille1"
    sheet.append(["Nom", "Ville", "Code postal"])
    for number in range(2, 7):
        sheet.append([f"Client {number}", "Québec", "G1K 3A9"])
    sheet["A7"], sheet["B7"], sheet["C7"] = "Client 7", "Lévis", "=LEFT(C6,3)"
    book.save(path)
    if cached is not None:  # what Excel writes: the formula and the value it computed
        with zipfile.ZipFile(path) as archive:
            parts = {name: archive.read(name) for name in archive.namelist()}
        sheet_xml = parts["xl/worksheets/sheet1.xml"].decode()
        assert '<c r="C7"><f>' in sheet_xml
        sheet_xml = sheet_xml.replace('<c r="C7"><f>', '<c r="C7" t="str"><f>').replace(
            "<v></v>", f"<v>{cached}</v>").replace("<v />", f"<v>{cached}</v>")
        parts["xl/worksheets/sheet1.xml"] = sheet_xml.encode()
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in parts.items():
                archive.writestr(name, data)
    return path


def test_a_formula_without_its_value_is_refused_naming_the_cell(tmp_path):
    path = workbook_with_formula(tmp_path / "clients.xlsx")
    with pytest.raises(CommandError) as error:
        run_import("import_contacts", path)
    assert "La cellule Feuille1!C7 contient une formule dont la valeur n’a jamais été calculée" in str(error.value)
    assert not Contact.objects.exists()
    with translation.override("en"), pytest.raises(SourceError, match=r"The cell Feuille1!C7 holds a formula"):
        open_source(path)


def test_a_formula_with_its_value_is_imported_as_that_value(tmp_path):
    run_import("import_contacts", workbook_with_formula(tmp_path / "clients.xlsx", cached="G1K"))
    assert Contact.objects.get(name="Client 7").postal_code == "G1K"
    assert Contact.objects.count() == 6


def test_a_huge_field_is_refused_while_reading_with_memory_bounded(tmp_path, settings):
    path = tmp_path / "huge.csv"
    with open(path, "w", encoding="utf-8") as file:
        file.write("nom;description\nA;court\nB;")
        chunk = "é" * (1024 * 1024)
        for _megabyte in range(40):  # 40 million characters (80 MB of UTF-8) in one cell of row 3
            file.write(chunk)
        file.write("\nC;court\n")
    source = CsvSource(path)
    tracemalloc.start()
    try:
        with translation.override("fr"), pytest.raises(SourceError) as error:
            for _row in source.rows():
                pass
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        source.close()
    # A line is read at most FIELD_LIMIT characters at a time (4 bytes each at worst), never the whole 80 MB.
    assert peak < 3 * FIELD_LIMIT, peak  # 17 MB here; 85 MB before lines were bounded
    assert str(error.value).startswith("Ligne 3 contient une cellule de plus de 8,0\xa0Mio")
    settings.LANGUAGE_CODE = "en"  # the commands speak the site's language
    with pytest.raises(CommandError) as english:
        run_import("import_contacts", path)
    assert "Row 3 holds a cell longer than 8.0\xa0MB, more than an import reads" in str(english.value)
    assert not Contact.objects.exists()


def test_a_huge_quoted_field_over_many_lines_is_refused_too(tmp_path, settings):
    settings.LANGUAGE_CODE = "en"
    path = tmp_path / "huge.csv"
    with open(path, "w", encoding="utf-8") as file:
        file.write('nom,description\nA,"')
        line = "x" * 1000 + "\n"
        for _line in range(10_000):  # 10 MB in one quoted cell, in short lines
            file.write(line)
        file.write('"\n')
    with pytest.raises(CommandError, match="Row 2 holds a cell longer than 8.0\xa0MB"):
        run_import("import_contacts", path)
