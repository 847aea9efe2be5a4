"""CSV downloads that are safe to open in a spreadsheet.

A cell starting with = + - @ is run as a formula by spreadsheets: such text gets a leading
apostrophe, which the imports take off again. Not a phone number or a plain number, though
(`+1 514 555-0101`, `-5`, `(418) 555-0101 poste 12`): made only of digits, spaces and
+ - ( ) . / marks (and an extension), it cannot call a function or reach another cell, so nothing
can run; the apostrophe would only show in the cell. XLSX exports need none of this (their text
cells are never formulas, crm.exporting.xlsx).
"""

import csv
import io
import re
from collections.abc import Iterable
from decimal import Decimal

from django.http import StreamingHttpResponse

from crm.exporting.spec import reported

# A cell starting with one of these is run as a formula by spreadsheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER_SHAPED = re.compile(r"[+-]?[\d\s().\-/+]*\d[\d\s().\-/]*(?:\s*(?:x|ext\.?|poste|p\.)\s*\d+)?", re.IGNORECASE)
# Rows written per chunk of the response: fewer, bigger writes to the client.
CHUNK_ROWS = 500


def spreadsheet_safe(value):
    """Numbers stay numbers; text that a spreadsheet would run gets a leading quote."""
    if type(value) is str:  # the common case first: called for every cell of big exports
        if value.startswith(FORMULA_STARTS) and not NUMBER_SHAPED.fullmatch(value):
            return "'" + value
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, float, Decimal)):
        return value
    return spreadsheet_safe(str(value))


def write_csv(stream, header: list[str], rows: Iterable[list], *, delimiter: str = ",", progress=None) -> int:
    """Rows as UTF-8 CSV with a BOM (so Excel reads accents right) to the binary `stream`, made safe
    by spreadsheet_safe; a French Excel wants delimiter=";". Returns the number of rows written;
    progress(rows so far), when given, is called every thousand rows (crm.exporting.spec.reported)."""
    rows = reported(rows, progress)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="", write_through=False)
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerow(header)
    count = 0
    french = delimiter == ";"  # a French Excel reads 1234,50 as a number, 1234.50 as text
    for row in rows:
        count += 1
        cells = list(map(spreadsheet_safe, row))
        if french:
            cells = [str(cell).replace(".", ",") if type(cell) in (Decimal, float) else cell for cell in cells]
        writer.writerow(cells)
    text.flush()
    text.detach()  # the caller's stream stays open
    return count


def csv_response(filename: str, header: list[str], rows: Iterable[list], *, delimiter: str = ",") -> StreamingHttpResponse:
    """Stream rows as UTF-8 CSV with a BOM (so Excel reads accents right), CHUNK_ROWS rows at a time;
    a French Excel wants delimiter=";"."""

    def chunks():
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter)
        buffer.write("\ufeff")
        writer.writerow(header)
        for count, row in enumerate(rows, start=1):
            writer.writerow(list(map(spreadsheet_safe, row)))
            if count % CHUNK_ROWS == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    response = StreamingHttpResponse(chunks(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
