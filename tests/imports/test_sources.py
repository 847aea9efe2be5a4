"""Opening files as people have them: encodings, separators, quoted line breaks, workbooks, vCards."""

import io
import time
import tracemalloc
import zipfile

import pytest
from django.template.defaultfilters import filesizeformat
from django.utils import translation

from crm.importing import vcard
from crm.importing.sources import (
    CsvSource,
    SourceError,
    WorkbookSource,
    delimiter_option,
    detect_delimiter,
    detect_encoding,
    kind_of_file,
    open_source,
)
from tests.imports.conftest import DATA


@pytest.mark.parametrize("content, expected", [
    ("Nom;Ville\nCafé;Québec\n".encode(), "utf-8-sig"),
    ("\ufeffNom;Ville\nCafé;Québec\n".encode("utf-8"), "utf-8-sig"),
    ("Nom;Ville\nCafé;Québec\n".encode("cp1252"), "cp1252"),
    (b"name,city\nA,B\n", "utf-8-sig"),
])
def test_encoding_is_utf8_with_or_without_bom_else_windows_1252(write_file, content, expected):
    assert detect_encoding(write_file("x.csv", content)) == expected


def test_bytes_that_are_not_windows_1252_either(write_file):
    with pytest.raises(SourceError, match="--encoding"):
        detect_encoding(write_file("x.csv", b"name\n\x81\x8d\x8f\x90\x9d\xff\xfe\n"))


@pytest.mark.parametrize("sample, expected", [
    ("nom,ville\na,b\n", ","),
    ("nom;ville\na;b\n", ";"),
    ("nom\tville\na\tb\n", "\t"),
    ("nom\n", ","),
    # The sniffer sees many commas in the text; the header line says semicolon.
    ('nom;description\nA;"un, deux, trois, quatre"\nB;"cinq, six, sept"\n', ";"),
])
def test_delimiter_is_sniffed_among_comma_semicolon_and_tab(sample, expected):
    assert detect_delimiter(sample) == expected


@pytest.mark.parametrize("option, expected", [(",", ","), (";", ";"), ("tab", "\t"), ("\\t", "\t"), (None, None)])
def test_delimiter_option(option, expected):
    assert delimiter_option(option) == expected


def test_delimiter_option_is_one_character():
    with pytest.raises(SourceError):
        delimiter_option("::")


def test_row_numbers_count_records_not_lines(write_file):
    path = write_file("x.csv", 'nom,description\r\nA,"une\r\ndeux\r\ntrois"\r\nB,x\r\n\r\nC,y\r\n')
    source = CsvSource(path)
    rows = list(source.rows())
    source.close()
    assert [number for number, _cells in rows] == [2, 3, 4, 5]
    assert rows[0][1] == ["A", "une\r\ndeux\r\ntrois"]
    assert rows[2][1] == []  # the empty line is a row of the spreadsheet too


def test_bom_is_not_part_of_the_first_header(write_file):
    source = CsvSource(write_file("x.csv", "\ufeffnom;ville\r\nA;B\r\n"))
    assert source.header == ["nom", "ville"]
    assert source.delimiter == ";"
    source.close()


def test_workbook_gives_typed_cells_and_percentages_as_shown():
    source = WorkbookSource(DATA / "opportunities_fr.xlsx")
    assert source.header[:3] == ["Contact", "Objet", "Étape"]
    (number, cells), = list(source.rows())
    source.close()
    assert number == 2
    assert cells[3] == 12345.67
    assert cells[4] == "35 %"


@pytest.mark.parametrize("name, expected", [
    ("contacts_fr.xlsx", "xlsx"), ("contacts.vcf", "vcard"), ("contacts_tab.tsv", "csv"),
])
def test_kind_of_file(name, expected):
    assert kind_of_file(DATA / name) == expected


def test_kind_of_file_from_its_first_bytes(write_file):
    assert kind_of_file(write_file("export.txt", "BEGIN:VCARD\r\nEND:VCARD\r\n")) == "vcard"
    assert kind_of_file(write_file("old.xls", b"\xd0\xcf\x11\xe0")) == "xls"


def test_vcard_folded_lines_escapes_groups_and_quoted_printable():
    text = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\n"
        "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=98stergaard;S=C3=B8ren\r\n"
        "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:ligne un=0D=0A=\r\nligne deux\r\n"
        "item1.EMAIL;TYPE=work:soren@x.example\r\n"
        "ADR;WORK:;;12\\, rue Est;Qu\r\n ébec;QC\r\n"
        "END:VCARD\r\n"
    )
    (line, card), = list(vcard.read_cards(io.StringIO(text)))
    assert line == 1
    assert card.components("N")[:2] == ["Østergaard", "Søren"]
    assert card.text("NOTE") == "ligne un\r\nligne deux"
    assert card.text("EMAIL", prefer="WORK") == "soren@x.example"
    assert card.components("ADR")[2:5] == ["12, rue Est", "Québec", "QC"]


def test_vcard_without_its_end():
    with pytest.raises(vcard.VCardError, match="END:VCARD"):
        list(vcard.read_cards(io.StringIO("BEGIN:VCARD\nFN:A\n")))


# Workbooks are zip archives: what they hold is measured before anything is decompressed.

def workbook_with_shared_strings(path, megabytes: int):
    """contacts_fr.xlsx with a sharedStrings.xml of `megabytes` of one repeated string: it compresses
    about a thousand times (a zip bomb). Written in chunks, never whole in memory."""
    chunk = b"<si><t>Fromagerie</t></si>" * 40_000  # ~1 MB
    with zipfile.ZipFile(DATA / "contacts_fr.xlsx") as original, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in original.infolist():
            if info.filename != "xl/sharedStrings.xml":
                bomb.writestr(info, original.read(info))
        with bomb.open("xl/sharedStrings.xml", "w", force_zip64=True) as strings:
            strings.write(b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="'
                          b'http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            for _ in range(megabytes):
                strings.write(chunk)
            strings.write(b"</sst>")
    return path


def test_a_zip_bomb_workbook_is_refused_fast_without_being_decompressed(tmp_path):
    path = workbook_with_shared_strings(tmp_path / "bomb.xlsx", 64)
    assert path.stat().st_size < 1024 * 1024
    tracemalloc.start()
    started = time.monotonic()
    try:
        with translation.override("en"), pytest.raises(SourceError) as raised:
            open_source(path)
        seconds = time.monotonic() - started
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "compressed" in str(raised.value) and "CSV" in str(raised.value)
    assert seconds < 1
    assert peak < 5 * 1024 * 1024


def test_a_workbook_larger_than_the_limit_is_refused_naming_the_limit(settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 10_000
    with translation.override("en"), pytest.raises(SourceError) as raised:
        open_source(DATA / "contacts_fr.xlsx")
    with zipfile.ZipFile(DATA / "contacts_fr.xlsx") as archive:
        size = sum(info.file_size for info in archive.infolist())
    with translation.override("en"):
        size = filesizeformat(size)
    assert str(raised.value) == (
        f"The workbook holds {size} once decompressed, more than the 9.8\xa0KB an import "
        "may read (IMPORT_MAX_UNCOMPRESSED_BYTES): save its first sheet as CSV, or import it in parts."
    )
    with translation.override("fr"), pytest.raises(SourceError) as raised:
        open_source(DATA / "contacts_fr.xlsx")
    assert "une fois décompressé, plus que les 9,8\xa0Kio qu’une importation peut lire" in str(raised.value)


def test_a_normal_workbook_is_within_the_default_limit(settings):
    # A 100,000-row workbook of contacts with a long notes column measured 87 MB decompressed
    # (5.6 MB on disk, compressed 16 times): the default leaves room for twice that.
    assert settings.IMPORT_MAX_UNCOMPRESSED_BYTES >= 200 * 1024 * 1024
    source = open_source(DATA / "contacts_fr.xlsx")
    assert source.header[:2] == ["Référence externe", "Nom"]
    assert len(list(source.rows())) == 2
    source.close()


def test_a_file_named_xlsx_that_is_not_a_zip_archive(write_file):
    with translation.override("en"), pytest.raises(SourceError, match="The workbook cannot be opened"):
        open_source(write_file("fake.xlsx", b"PK\x03\x04 not really"))
