"""Shared workbook styling: every table sheet looks and behaves the same in Excel.

Headers bold on a fill, frozen header row, auto-filter, sensible column widths, dates as
dates. Text that Excel would read as a formula (=, +, -, @ first) is written as text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
HEADER_FONT = Font(bold=True, color="FFFFFF")
GAP_FILL = PatternFill("solid", fgColor="F8CBAD")  # unfilled required place
SOFT_FILL = PatternFill("solid", fgColor="FFF2CC")  # unfilled target place, warnings
OK_FILL = PatternFill("solid", fgColor="E2EFDA")
DATE_FORMAT = "ddd dd-mmm-yyyy"
DATETIME_FORMAT = "dd-mmm-yyyy hh:mm"
TIME_FORMAT = "hh:mm"
MONEY_FORMAT = '"£"#,##0.00'
FORMULA_STARTS = ("=", "+", "-", "@")


def safe_text(value: Any) -> Any:
    """Neutralise strings that a spreadsheet would evaluate as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_table(
    ws: Worksheet,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    start_row: int = 1,
    number_formats: dict[str, str] | None = None,
    widths: dict[str, float] | None = None,
    freeze: bool = True,
    autofilter: bool = True,
) -> int:
    """Write a header row and data rows; returns the last row written."""
    number_formats = number_formats or {}
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(row=start_row, column=col, value=header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    row_no = start_row
    for row_no, row in enumerate(rows, start=start_row + 1):  # noqa: B007
        for col, value in enumerate(row, start=1):
            cell = ws.cell(row=row_no, column=col, value=safe_text(value))
            fmt = number_formats.get(headers[col - 1])
            if fmt:
                cell.number_format = fmt
            elif isinstance(value, datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(value, date):
                cell.number_format = DATE_FORMAT
            elif isinstance(value, time):
                cell.number_format = TIME_FORMAT
    if freeze:
        ws.freeze_panes = ws.cell(row=start_row + 1, column=1)
    if autofilter and row_no >= start_row:
        ws.auto_filter.ref = (
            f"A{start_row}:{get_column_letter(len(headers))}{max(row_no, start_row)}"
        )
    fit_widths(ws, widths)
    return row_no


def fit_widths(ws: Worksheet, fixed: dict[str, float] | None = None, cap: float = 50) -> None:
    """Size columns to their content (capped), or to a fixed width by header name."""
    fixed = fixed or {}
    for column in ws.iter_cols(min_row=1, max_row=min(ws.max_row, 500)):
        letter = get_column_letter(column[0].column)
        header = column[0].value
        if isinstance(header, str) and header in fixed:
            ws.column_dimensions[letter].width = fixed[header]
            continue
        longest = 0
        for cell in column:
            value = cell.value
            if isinstance(value, (date, datetime)):
                length = 16
            elif value is None:
                length = 0
            else:
                length = max(len(part) for part in str(value).split("\n"))
            longest = max(longest, length)
        ws.column_dimensions[letter].width = min(cap, max(8, longest + 2))


def write_key_values(ws: Worksheet, pairs: Iterable[tuple[str, Any]], title: str = "") -> None:
    """A two-column sheet of labels and values (run info, settings)."""
    write_table(ws, ["Item", "Value"] if not title else [title, "Value"], pairs, autofilter=False)
