"""crm.exporting.xlsx: what openpyxl (as Excel would) reads back from the writer, cell by cell."""

import datetime
import io
import zoneinfo
from decimal import Decimal

import openpyxl
from django.utils import timezone

from crm.exporting.xlsx import MAX_CELL_TEXT, write_xlsx


def read(rows, **options):
    stream = io.BytesIO()
    assert write_xlsx(stream, sheet=options.get("sheet", "Feuille [1]"), header=["a", "b", "c", "d"], rows=rows) == len(rows)
    book = openpyxl.load_workbook(io.BytesIO(stream.getvalue()))
    return book.worksheets[0]


def test_every_type_of_cell_reads_back_typed():
    aware = datetime.datetime(2026, 12, 1, 20, 30, tzinfo=zoneinfo.ZoneInfo("UTC"))
    with timezone.override("America/Toronto"):
        sheet = read([["=1+1", 42, Decimal("1234.50"), True],
                      [datetime.date(2026, 11, 28), aware, None, 3.25],
                      ["  espaces  ", "a\r\nb", "x\x07y", "t" * (MAX_CELL_TEXT + 10)]])
    assert sheet.title == "Feuille  1"
    first, second, third = (list(row) for row in sheet.iter_rows(min_row=2))
    assert [cell.value for cell in first] == ["=1+1", 42, 1234.5, True]
    assert [cell.data_type for cell in first] == ["s", "n", "n", "b"]
    assert second[0].value == datetime.datetime(2026, 11, 28) and second[0].is_date
    assert second[1].value == datetime.datetime(2026, 12, 1, 15, 30)  # the site's time (Toronto)
    assert second[2].value is None and second[3].value == 3.25
    assert [cell.value for cell in third[:3]] == ["  espaces  ", "a\r\nb", "xy"]
    assert len(third[3].value) == MAX_CELL_TEXT


def test_rows_keep_their_columns_when_cells_are_empty():
    sheet = read([[None, "", "c", None]])
    assert [cell.value for cell in next(sheet.iter_rows(min_row=2))][:3] == [None, None, "c"]
