"""CSV downloads that are safe to open in a spreadsheet."""

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

from django.http import StreamingHttpResponse

# A cell starting with one of these is run as a formula by spreadsheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Rows written per chunk of the response: fewer, bigger writes to the client.
CHUNK_ROWS = 500


def spreadsheet_safe(value):
    """Numbers stay numbers; text that a spreadsheet would run gets a leading quote."""
    if type(value) is str:  # the common case first: called for every cell of big exports
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, float, Decimal)):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_response(filename: str, header: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    """Stream rows as UTF-8 CSV with a BOM (so Excel reads accents right), CHUNK_ROWS rows at a time."""

    def chunks():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
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
