"""Any dashboard table as CSV or XLSX, with exactly the numbers the page shows."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.http import HttpResponse

from analytics.dashboards.formatting import XLSX_RATE_FORMAT, export_cell
from analytics.dashboards.tables import Table

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting with one of these is a formula to a spreadsheet: quote it (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value, kind: str):
    if kind == "percent" and isinstance(value, int | float | Decimal):
        return export_cell(value, kind)  # our own "-12.5%", not a formula
    value = export_cell(value, kind)
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def table_csv(table: Table, filename: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(column.label) for column in table.columns])
    for row in table.cells():
        writer.writerow([_cell(value, kind) for value, kind in row])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def table_xlsx(table: Table, filename: str) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(table.title)[:31].replace("/", "-") or "Chorus")
    sheet.append([str(column.label) for column in table.columns])
    for row in table.cells():
        cells = []
        for value, kind in row:
            if kind == "percent" and isinstance(value, int | float | Decimal):
                cell = WriteOnlyCell(sheet, value=float(value))  # the fraction, shown as 12.5%
                cell.number_format = XLSX_RATE_FORMAT
                cells.append(cell)
            elif isinstance(value, Decimal):
                cells.append(float(value))
            else:
                cells.append(_cell(value, kind))
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
