"""Any dashboard table as CSV or XLSX, with exactly the numbers the page shows."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.http import HttpResponse

from analytics.dashboards.pages import Table

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting with one of these is a formula to a spreadsheet: quote it (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, int | Decimal):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def table_csv(table: Table, filename: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(column.label) for column in table.columns])
    for row in table.rows:
        writer.writerow([_cell(value) for value in row])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def table_xlsx(table: Table, filename: str) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(table.title)[:31].replace("/", "-") or "Chorus")
    sheet.append([str(column.label) for column in table.columns])
    for row in table.rows:
        sheet.append(
            [_cell(value) if not isinstance(value, Decimal) else float(value) for value in row]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
