"""Activity data: a long table of practice, month, measure, count (Excel or CSV).

Every problem is reported with its place (``activity.xlsx: Activity!D7`` or
``activity.csv: row 7, column count (D)``), all at once in one ``InputError``.
Which months form the baseline years and the performance year comes from the contract.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from ooh.errors import InputError, IssueCollector
from ooh.gainshare.contract import parse_month
from ooh.safety import strip_guard, write_csv

COLUMNS = ("practice", "month", "measure", "count")
SHEET = "Activity"


@dataclass(frozen=True)
class Activity:
    """Counts keyed by (practice code, "YYYY-MM", measure code)."""

    counts: dict[tuple[str, str, str], int] = field(default_factory=dict)
    source: Path | None = None

    def total(
        self, measure: str, months: Iterable[str], practices: Iterable[str] | None = None
    ) -> int:
        """Sum of counts of one measure over the given months (and practices; default all)."""
        month_set = set(months)
        wanted = None if practices is None else set(practices)
        return sum(
            n
            for (p, m, code), n in self.counts.items()
            if code == measure and m in month_set and (wanted is None or p in wanted)
        )

    def missing(
        self, practices: Iterable[str], measures: Iterable[str], months: Iterable[str]
    ) -> list[tuple[str, str, str]]:
        """(practice, measure, month) combinations with no row, in order."""
        return [
            (p, code, m)
            for p in practices
            for code in measures
            for m in months
            if (p, m, code) not in self.counts
        ]

    @property
    def months(self) -> list[str]:
        return sorted({m for _, m, _ in self.counts})


def read_activity(
    path: str | Path,
    practice_codes: Iterable[str] | None = None,
    measure_codes: Iterable[str] | None = None,
) -> Activity:
    """Read and validate an activity table (.xlsx or .csv).

    With ``practice_codes``/``measure_codes`` given (from the contract), unknown codes are
    reported too.
    """
    path = Path(path)
    if not path.exists():
        raise InputError([], f"{path}: file not found")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows, place = _csv_rows(path)
    elif suffix in (".xlsx", ".xlsm"):
        rows, place = _xlsx_rows(path)
    else:
        raise InputError([], f"{path}: activity must be an .xlsx or .csv file")
    issues = IssueCollector(str(path))
    practices = set(practice_codes) if practice_codes is not None else None
    measures = set(measure_codes) if measure_codes is not None else None

    header_row, header = next(rows, (1, []))
    names = [str(h).strip().lower() if h is not None else "" for h in header]
    index: dict[str, int] = {}
    for column in COLUMNS:
        if column in names:
            index[column] = names.index(column)
        else:
            issues.add(
                place(header_row, None, column),
                f"missing column '{column}'; the header row needs practice, month, measure, count",
            )
    issues.raise_if_any()

    counts: dict[tuple[str, str, str], int] = {}
    first_seen: dict[tuple[str, str, str], str] = {}
    for row_no, values in rows:
        cell = {c: (values[i] if i < len(values) else None) for c, i in index.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cell.values()):
            continue  # blank line
        here = {c: place(row_no, index[c], c) for c in COLUMNS}
        unsaved = [c for c in COLUMNS if cell[c] is NO_SAVED_VALUE]
        for c in unsaved:
            issues.add(here[c], "formula has no saved value; open the file in Excel and save it")
        if unsaved:
            continue
        practice = _text(cell["practice"])
        measure = _text(cell["measure"])
        month = _month(cell["month"])
        count = _count(cell["count"])
        ok = True
        if not practice:
            issues.add(here["practice"], "missing practice code")
            ok = False
        elif practices is not None and practice not in practices:
            issues.add(
                here["practice"],
                f"unknown practice {practice!r}; it is not a member practice in the contract",
            )
            ok = False
        if not measure:
            issues.add(here["measure"], "missing measure code")
            ok = False
        elif measures is not None and measure not in measures:
            known = ", ".join(sorted(measures))
            issues.add(
                here["measure"], f"unknown measure {measure!r}; the contract's measures are {known}"
            )
            ok = False
        if month is None:
            issues.add(
                here["month"], f"must be a month as YYYY-MM (e.g. 2026-04); got {cell['month']!r}"
            )
            ok = False
        if count is None:
            issues.add(here["count"], f"must be a whole number of 0 or more; got {cell['count']!r}")
            ok = False
        if not ok:
            continue
        assert month is not None and count is not None
        key = (practice, month, measure)
        if key in counts:
            issues.add(
                here["practice"],
                f"duplicate row for {practice}, {month}, {measure} (first at {first_seen[key]})",
            )
            continue
        counts[key] = count
        first_seen[key] = here["practice"]
    issues.raise_if_any()
    if not counts:
        raise InputError([], f"{path}: no activity rows found below the header")
    return Activity(counts, path)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return strip_guard(str(value).strip())


def _month(value: Any) -> str | None:
    if isinstance(value, (datetime, date)):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, str):
        parsed = parse_month(value)
        if parsed:
            return f"{parsed[0]:04d}-{parsed[1]:02d}"
    return None


def _count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value >= 0 else None
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        if text.isdigit():
            return int(text)
    return None


class _NoSavedValue:
    """A formula cell whose result was never saved (openpyxl reads it as blank)."""

    def __repr__(self) -> str:
        return "a formula with no saved value (open the file in Excel and save it)"


NO_SAVED_VALUE = _NoSavedValue()


def _sheet_values(path: Path, data_only: bool) -> tuple[str, list[list[Any]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise InputError([], f"{path}: cannot open as an Excel workbook ({exc})") from None
    try:
        if not wb.worksheets:
            raise InputError([], f"{path}: the workbook has no sheets")
        ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
        return ws.title, [list(r) for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()


def _xlsx_rows(path: Path) -> tuple[Any, Any]:
    from ooh.safety import check_workbook, has_formulas

    check_workbook(path)
    title, values = _sheet_values(path, data_only=True)
    if has_formulas(path):  # tell a formula Excel never computed from a blank cell
        _, formulas = _sheet_values(path, data_only=False)
        for row, raw_row in zip(values, formulas, strict=False):
            for i, (value, raw) in enumerate(zip(row, raw_row, strict=False)):
                if value is None and isinstance(raw, str) and raw.startswith("="):
                    row[i] = NO_SAVED_VALUE
    data = [(i, row) for i, row in enumerate(values, start=1)]

    def place(row: int, col: int | None, name: str) -> str:
        if col is None:
            return f"{path.name}: {title}!{row}:{row} (header)"
        return f"{path.name}: {title}!{get_column_letter(col + 1)}{row}"

    return iter(data), place


def _csv_rows(path: Path) -> tuple[Any, Any]:
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            data = [
                (i, [v if v.strip() else None for v in r])
                for i, r in enumerate(csv.reader(handle), start=1)
            ]
    except UnicodeDecodeError:
        raise InputError([], f"{path}: not a UTF-8 CSV file; save it as 'CSV UTF-8'") from None
    except csv.Error as exc:  # e.g. a NUL byte: a binary file named .csv
        raise InputError(
            [], f"{path}: not a readable CSV file ({exc}); save it as 'CSV UTF-8'"
        ) from None

    def place(row: int, col: int | None, name: str) -> str:
        if col is None:
            return f"{path.name}: row {row} (header)"
        return f"{path.name}: row {row}, column {name} ({get_column_letter(col + 1)})"

    return iter(data), place


def write_activity_csv(activity: Activity, path: str | Path) -> Path:
    """Write the long table (sorted) as CSV, whole or not at all and formula-safe."""
    rows = [[p, m, code, n] for (p, m, code), n in sorted(activity.counts.items())]
    return write_csv(path, COLUMNS, rows)
