"""Opening the files people really have: CSV in any of the usual encodings and
dialects, Excel workbooks, vCards. Rows are streamed, never all in memory.

A source gives its header (a list of names), then (number, cells) pairs where
number is what the user sees: the spreadsheet row (the header is row 1, a
quoted cell with line breaks is still one row) or, for vCards, the line where
the card begins.
"""

import codecs
import csv
import datetime
import os
import zipfile
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from crm.importing import vcard

DELIMITERS = ",;\t"
SAMPLE_SIZE = 32 * 1024
# A field of a few megabytes is a broken file, not a description. Lines are read at most this long
# too (bounded_lines), so the limit holds while reading: a 100 MB field never reaches memory.
FIELD_LIMIT = 8 * 1024 * 1024
csv.field_size_limit(FIELD_LIMIT)


class SourceError(Exception):
    """The file cannot be read at all (wrong type, encoding, empty...)."""


def detect_encoding(path) -> str:
    """utf-8-sig when the whole file is valid UTF-8 (with or without a BOM), else cp1252.

    Reads the file once, in chunks (cheap next to the import itself).
    """
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with open(path, "rb") as file:
                while chunk := file.read(1024 * 1024):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise SourceError(_("The file is neither UTF-8 nor Windows-1252 text; give its encoding with --encoding."))


def detect_delimiter(sample: str) -> str:
    """Comma, semicolon or tab: csv.Sniffer, checked against the header line.

    The sniffer can be fooled by commas inside quoted descriptions; when its
    answer does not appear in the first line, the mark the first line uses most
    wins. A one-column file reads the same with any of them: comma.
    """
    first_line = sample.split("\n", 1)[0]
    counts = {mark: first_line.count(mark) for mark in DELIMITERS}
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = None
    if sniffed and (counts[sniffed] or not any(counts.values())):
        return sniffed
    best = max(DELIMITERS, key=lambda mark: counts[mark])
    return best if counts[best] else ","


def delimiter_option(value: str | None) -> str | None:
    """--delimiter: one character, or the words tab, comma, semicolon (or \\t)."""
    if not value:
        return None
    named = {"tab": "\t", "\\t": "\t", "comma": ",", "virgule": ",", "semicolon": ";", "point-virgule": ";"}
    value = named.get(value.lower(), value)
    if len(value) != 1:
        raise SourceError(_("The delimiter must be one character, or “tab”."))
    return value


class LineTooLong(Exception):
    """A line of the file is longer than FIELD_LIMIT characters."""


def bounded_lines(file, limit=FIELD_LIMIT):
    """The file's lines, each read at most `limit` characters at a time: a longer line raises
    LineTooLong once its first `limit` characters are read (memory: one limit's worth)."""
    while line := file.readline(limit + 1):
        if len(line) > limit:
            raise LineTooLong
        yield line


def too_long_message(where) -> str:
    """Where the reading stopped (row or line, a number) and what to do about it."""
    return _("%(where)s holds a cell longer than %(limit)s, more than an import reads: the file is probably "
             "not a table of contacts. Check that cell (or save the sheet again from the spreadsheet) and import "
             "again.") % {"where": where, "limit": filesizeformat(FIELD_LIMIT)}


class TextFileSource:
    """What the text sources share: progress by bytes read, and closing the file."""

    def fraction(self) -> float:
        try:
            return min(self.file.buffer.tell() / self.size, 1.0)
        except (OSError, ValueError):
            return 0.0

    def close(self):
        self.file.close()


class CsvSource(TextFileSource):
    row_word = gettext_lazy("Row")

    def __init__(self, path, *, encoding=None, delimiter=None):
        self.path = Path(path)
        self.size = max(os.path.getsize(path), 1)
        if encoding:
            try:
                codecs.lookup(encoding)
            except LookupError:
                raise SourceError(_("Unknown encoding “%(encoding)s”.") % {"encoding": encoding}) from None
        self.encoding = encoding or detect_encoding(path)
        self.file = open(path, encoding=self.encoding, newline="")
        try:
            sample = self.file.read(SAMPLE_SIZE)
        except UnicodeDecodeError as error:
            self.close()
            raise SourceError(self.read_error(error, 1)) from None
        self.file.seek(0)
        self.delimiter = delimiter or detect_delimiter(sample)
        self.reader = csv.reader(bounded_lines(self.file), delimiter=self.delimiter)
        try:
            self.header = next(self.reader)
        except StopIteration:
            self.close()
            raise SourceError(_("The file is empty.")) from None
        except (UnicodeDecodeError, csv.Error, LineTooLong) as error:
            self.close()
            raise SourceError(self.read_error(error, 1)) from None

    def read_error(self, error, number) -> str:
        # csv says "field larger than field limit": its own words, in English only.
        if isinstance(error, LineTooLong) or (isinstance(error, csv.Error) and "field limit" in str(error)):
            return too_long_message(_("Row %(row)s") % {"row": number})
        if isinstance(error, UnicodeDecodeError):
            return _("The file is not valid %(encoding)s text (near row %(row)s); give its encoding with --encoding.") % {
                "encoding": self.encoding, "row": number}
        return _("Row %(row)s cannot be read as CSV: %(error)s.") % {"row": number, "error": error}

    def rows(self):
        number = 1
        try:
            for number, cells in enumerate(self.reader, start=2):
                yield number, cells
        except (UnicodeDecodeError, csv.Error, LineTooLong) as error:
            raise SourceError(self.read_error(error, number + 1)) from None



def _workbook_cell(cell):
    value = cell.value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "%" in (getattr(cell, "number_format", None) or ""):
            # A cell shown as 35 % holds 0.35; say what the user sees.
            return f"{(Decimal(repr(value)) * 100).normalize():f} %"
    return value


# A part of a workbook that decompresses more than this many times is not a spreadsheet but a
# zip bomb (sheets and shared strings of real workbooks: 5 to 20 times); small parts may.
MAX_COMPRESSION_RATIO, RATIO_FROM_BYTES = 200, 1024 * 1024


def check_workbook_archive(path) -> None:
    """Refuse a workbook that would decompress into more than IMPORT_MAX_UNCOMPRESSED_BYTES, or that
    compresses like a zip bomb, from the sizes in the archive's directory: nothing is decompressed.

    openpyxl holds the shared strings (every distinct text of the workbook) in memory, about twice
    their decompressed size, and reads a sheet as fast as it inflates; Python's zipfile stops reading
    a part at the size the directory gives, so a directory that lies only makes the part fail its CRC.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise SourceError(_("The workbook cannot be opened: %(error)s") % {"error": error}) from None
    for part in parts:
        if part.file_size > RATIO_FROM_BYTES and part.file_size > MAX_COMPRESSION_RATIO * max(part.compress_size, 1):
            raise SourceError(
                _("The workbook cannot be imported: its part “%(part)s” is compressed %(ratio)s times (%(size)s "
                  "once decompressed), which spreadsheets never are. Save its first sheet as CSV and import that.")
                % {"part": part.filename, "ratio": part.file_size // max(part.compress_size, 1),
                   "size": filesizeformat(part.file_size)})
    total, limit = sum(part.file_size for part in parts), settings.IMPORT_MAX_UNCOMPRESSED_BYTES
    if total > limit:
        raise SourceError(
            _("The workbook holds %(size)s once decompressed, more than the %(limit)s an import may read "
              "(IMPORT_MAX_UNCOMPRESSED_BYTES): save its first sheet as CSV, or import it in parts.")
            % {"size": filesizeformat(total), "limit": filesizeformat(limit)})


FORMULA_MARKS = (b"<f>", b"<f ", b":f>", b":f ")  # <f>, <f t="shared" …/>, or with a namespace prefix
SHOWN_CELLS = 5


def refuse_formulas_without_values(path, sheet) -> None:
    """SourceError naming the cells (« Feuille1!C7 ») whose formula has no value saved with it.

    Read with computed values, such a cell looks empty: the program that wrote the workbook
    (a script, some web apps) never calculated it. Importing it as empty would lose data
    without a word. A quick look through the sheet's bytes first (most sheets hold no formula);
    only a sheet with formulas is parsed, cell by cell, streamed.
    """
    part = getattr(sheet, "_worksheet_path", None)
    if not part:
        return
    with zipfile.ZipFile(path) as archive, archive.open(part.lstrip("/")) as stream:
        tail = b""
        while chunk := stream.read(1024 * 1024):
            if any(mark in tail + chunk for mark in FORMULA_MARKS):
                break
            tail = chunk[-8:]
        else:
            return
    missing, total = [], 0
    with zipfile.ZipFile(path) as archive, archive.open(part.lstrip("/")) as stream:
        for _event, element in ElementTree.iterparse(stream):
            if element.tag.rpartition("}")[2] != "c":
                continue
            children = {child.tag.rpartition("}")[2]: child for child in element}
            if "f" in children and not (children.get("v") is not None and children["v"].text):
                total += 1
                if len(missing) < SHOWN_CELLS:
                    missing.append(f"{sheet.title}!{element.get('r', '?')}")
            element.clear()
    if total:
        cells = ", ".join(missing) + (" …" if total > len(missing) else "")
        raise SourceError(ngettext(
            "The cell %(cells)s holds a formula whose value was never calculated: the import cannot know "
            "what it shows. Open the workbook in Excel or LibreOffice, save it, and import it again (or "
            "replace the formula by its value).",
            "%(count)s cells (%(cells)s) hold formulas whose values were never calculated: the import cannot "
            "know what they show. Open the workbook in Excel or LibreOffice, save it, and import it again (or "
            "replace the formulas by their values).",
            total) % {"cells": cells, "count": total})


class WorkbookSource:
    """The first sheet of an .xlsx workbook, read-only (streamed), computed values of formulas."""

    row_word = gettext_lazy("Row")

    def __init__(self, path):
        import openpyxl
        from openpyxl.utils.exceptions import InvalidFileException

        check_workbook_archive(path)
        try:
            self.workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
            raise SourceError(_("The workbook cannot be opened: %(error)s") % {"error": error}) from None
        sheet = self.workbook.worksheets[0]
        try:
            refuse_formulas_without_values(path, sheet)
        except SourceError:
            self.close()
            raise
        self.total = max(sheet.max_row or 1, 1)
        # Some programs write a wrong size in the file; read every row there is.
        sheet.reset_dimensions()
        self.iterator = iter(sheet.iter_rows(min_row=1))
        self.number = 0
        try:
            first = next(self.iterator)
        except StopIteration:
            self.close()
            raise SourceError(_("The file is empty.")) from None
        self.number = 1
        self.header = [_header_text(cell.value) for cell in first]

    def rows(self):
        try:
            for number, cells in enumerate(self.iterator, start=2):
                self.number = number
                yield number, [_workbook_cell(cell) for cell in cells]
        except zipfile.BadZipFile as error:  # a part longer than the archive's directory says, say
            raise SourceError(_("The workbook cannot be opened: %(error)s") % {"error": error}) from None

    def fraction(self) -> float:
        return min(self.number / self.total, 1.0)

    def close(self):
        self.workbook.close()


def _header_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value)


class VCardSource(TextFileSource):
    """vCards turned into rows by `to_row(card) -> dict`; the header is `columns`."""

    row_word = gettext_lazy("Line")

    def __init__(self, path, *, to_row, columns, encoding=None):
        self.size = max(os.path.getsize(path), 1)
        self.encoding = encoding or detect_encoding(path)
        self.file = open(path, encoding=self.encoding, newline="")
        self.header = list(columns)
        self.to_row = to_row

    def rows(self):
        try:
            for number, card in vcard.read_cards(vcard.chunked_lines(self.file)):
                row = self.to_row(card)
                yield number, [row.get(key, "") for key in self.header]
        except vcard.VCardError as error:
            raise SourceError(str(error)) from None
        except UnicodeDecodeError:
            raise SourceError(_("The file is not valid %(encoding)s text; give its encoding with --encoding.")
                              % {"encoding": self.encoding}) from None



def kind_of_file(path) -> str:
    """csv, xlsx, vcard or xls, from the name, else from the first bytes."""
    suffix = Path(path).suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return "xlsx"
    if suffix in {".vcf", ".vcard"}:
        return "vcard"
    if suffix == ".xls":
        return "xls"
    with open(path, "rb") as file:
        start = file.read(512)
    if start.startswith(b"PK\x03\x04"):
        return "xlsx"
    if start.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if start.lstrip(b"\xef\xbb\xbf \r\n\t").upper().startswith(b"BEGIN:VCARD"):
        return "vcard"
    return "csv"


def open_source(path, *, encoding=None, delimiter=None, vcard_reader=None):
    """The right source for the file; vcard_reader is (to_row, columns) for importers that take vCards."""
    if not os.path.isfile(path):
        raise SourceError(_("There is no file “%(path)s”.") % {"path": path})
    kind = kind_of_file(path)
    if kind == "xls":
        raise SourceError(_("Old Excel files (.xls) cannot be read: save the sheet as .xlsx or CSV."))
    if kind == "xlsx":
        return WorkbookSource(path)
    if kind == "vcard":
        if vcard_reader is None:
            raise SourceError(_("vCard files can only be imported as contacts (import_contacts)."))
        to_row, columns = vcard_reader
        return VCardSource(path, to_row=to_row, columns=columns, encoding=encoding)
    return CsvSource(path, encoding=encoding, delimiter=delimiter)
