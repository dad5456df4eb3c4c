"""Read and write the rota input workbook, exactly as ``ooh.schema`` describes it.

``read_workbook`` collects every problem it finds (bad cells, unknown references, missing
sheets or columns) and raises them together as one ``InputError``; each names its place as
``Sheet!Cell`` (or ``Sheet``). ``write_input_workbook`` writes a ``RotaData`` back in the
same layout, with a README sheet and dropdowns, so that reading what was written gives the
same data.
"""

from __future__ import annotations

import difflib
import os
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ooh import schema
from ooh.errors import Issue, IssueCollector, OohError
from ooh.excel import (
    DATE_FORMAT,
    FORMULA_STARTS,
    HEADER_FILL,
    HEADER_FONT,
    MONEY_FORMAT,
    fit_widths,
    safe_text,
    write_table,
)
from ooh.outputs import write_atomically
from ooh.practice import Practice
from ooh.rota.data import (
    Availability,
    AvailabilityKind,
    Clinician,
    FixedBooking,
    Request,
    RotaData,
    Rules,
    Settings,
    ShiftType,
    Site,
    Weights,
)
from ooh.safety import check_workbook
from ooh.schema import Column, Sheet

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["read_workbook", "read_practices", "write_input_workbook"]

# ---- opening -------------------------------------------------------------------------


class _NoSavedValue:
    """A formula cell whose result was never saved (openpyxl sees None)."""

    def __repr__(self) -> str:
        return "<formula without saved value>"


NO_SAVED_VALUE = _NoSavedValue()


class _Book:
    """A workbook opened twice: values (what Excel last computed) and formulas (to tell a
    blank cell from a formula whose value was never saved)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.values = _open(self.path, data_only=True)
        self._formulas: Workbook | None = None
        self.has_formulas = _has_formulas(self.path)

    def formulas(self) -> Workbook:
        if self._formulas is None:
            self._formulas = _open(self.path, data_only=False)
        return self._formulas

    def sheet(self, name: str) -> Worksheet | None:
        """The sheet called ``name``, ignoring case and surrounding spaces."""
        wanted = _norm(name)
        for title in self.values.sheetnames:
            if _norm(title) == wanted:
                return self.values[title]
        return None

    def cell(self, ws: Worksheet, row: int, col: int) -> Any:
        value = ws.cell(row=row, column=col).value
        if value is None and self.has_formulas:
            raw = self.formulas()[ws.title].cell(row=row, column=col).value
            if raw is not None and (not isinstance(raw, str) or raw.startswith("=")):
                return NO_SAVED_VALUE
        return value


_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[ >/]")


def _has_formulas(path: Path) -> bool:
    """Whether any sheet holds a formula (only then is the workbook opened a second time)."""
    with zipfile.ZipFile(path) as archive:
        return any(
            _FORMULA_TAG.search(archive.read(name))
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
        )


def _open(path: Path, *, data_only: bool) -> Workbook:
    from openpyxl import load_workbook

    if not path.exists():
        raise OohError(f"{path}: file not found")
    if path.is_dir():
        raise OohError(f"{path}: is a folder, not an Excel workbook")
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise OohError(
            f"{path}: old Excel .xls format is not supported; open it in Excel and save as "
            "Excel Workbook (.xlsx)"
        )
    if suffix in (".csv", ".txt", ".tsv"):
        raise OohError(
            f"{path}: is a {suffix[1:].upper()} file; the rota input must be an Excel workbook "
            "(.xlsx) with the sheets described by `ooh template rota`"
        )
    check_workbook(path)  # encrypted, not a workbook, too large or unsafe: refused here
    try:
        with open(path, "rb") as handle:
            # Passing a handle skips openpyxl's file-name check, so any name may be read.
            return load_workbook(handle, data_only=data_only)
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise OohError(
            f"{path}: cannot be read as an Excel .xlsx workbook ({type(exc).__name__}: {exc}); "
            "save it from Excel as Excel Workbook (.xlsx)"
        ) from exc


# ---- parsing one cell ----------------------------------------------------------------


class _Bad(Exception):
    """A cell value that does not fit its column; the message says what was expected."""


def _norm(text: Any) -> str:
    return " ".join(str(text).split()).casefold()


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    text = str(value).strip()
    if text.startswith("'") and text[1:2] and text[1] in "".join(FORMULA_STARTS):
        text = text[1:]  # the writer's guard against Excel running text as a formula
    return text


def _range_words(column: Column, whole: bool) -> str:
    lo, hi = column.minimum, column.maximum
    num = schema._num
    if lo is not None and hi is not None:
        return f" between {num(lo)} and {num(hi)}"
    if lo is not None:
        return f" of at least {num(lo)}"
    return ""


def _parse_number(column: Column, value: Any, whole: bool) -> float | int:
    kind = "a whole number" if whole else "a number"
    expected = f"{column.label} must be {kind}{_range_words(column, whole)}, got {_shown(value)}"
    if isinstance(value, bool):
        raise _Bad(expected)
    number: float
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        cleaned = value.strip().replace(",", "").lstrip("£").strip()
        try:
            number = float(cleaned)
        except ValueError:
            raise _Bad(expected) from None
    else:
        raise _Bad(expected)
    if number != number or number in (float("inf"), float("-inf")):
        raise _Bad(expected)
    if whole and not number.is_integer():
        raise _Bad(expected)
    if column.minimum is not None and number < column.minimum:
        raise _Bad(expected)
    if column.maximum is not None and number > column.maximum:
        raise _Bad(expected)
    return int(number) if whole else number


EXCEL_EPOCH = date(1899, 12, 30)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_date(value: Any) -> date | None:
    """A date from a date cell, ISO or UK (day-first) text, or an Excel serial number."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if 1 <= value < 2958466 and float(value).is_integer():
            return EXCEL_EPOCH + timedelta(days=int(value))
        return None
    if isinstance(value, str):
        text = value.strip()
        try:
            if m := _ISO_DATE.match(text):
                return date(int(m[1]), int(m[2]), int(m[3]))
            if m := _UK_DATE.match(text):
                return date(int(m[3]), int(m[2]), int(m[1]))
        except ValueError:
            return None
    return None


_CLOCK = re.compile(r"^(\d{1,2})[:.](\d{2})(?::(\d{2}))?$")
_HHMM = re.compile(r"^(\d{3,4})$")


def _clock(hours: int, minutes: int) -> time | None:
    if hours == 24 and minutes == 0:
        return time(0, 0)  # 24:00: midnight at the end of the day
    if 0 <= hours <= 23 and 0 <= minutes <= 59:
        return time(hours, minutes)
    return None


def parse_time(value: Any) -> time | None:
    """A time of day from a time cell, ``18:30``, ``1830`` or ``24:00`` (midnight)."""
    if isinstance(value, datetime):
        serial = (value - datetime.combine(EXCEL_EPOCH, time())).total_seconds() / 86400
        if value.time() == time() and 2 <= serial <= 2400 and serial.is_integer():
            # 1830 typed into a time-formatted cell: Excel stores day 1830, meant 18:30.
            return _clock(int(serial) // 100, int(serial) % 100)
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, timedelta):
        minutes = round(value.total_seconds() / 60)
        return _clock(minutes // 60, minutes % 60) if 0 <= minutes <= 1440 else None
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and 0 <= value <= 1:  # Excel's fraction of a day
        minutes = round(value * 1440)
        return _clock(minutes // 60, minutes % 60)
    if isinstance(value, (int, float)) and float(value).is_integer() and 0 <= value <= 2400:
        number = int(value)  # typed as a number: 1830
        return _clock(number // 100, number % 100)
    if isinstance(value, str):
        text = value.strip()
        if m := _CLOCK.match(text):
            return _clock(int(m[1]), int(m[2]))
        if m := _HHMM.match(text):
            return _clock(int(m[1][:-2]), int(m[1][-2:]))
    return None


_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


def parse_cell(column: Column, value: Any) -> Any:
    """The Python value of a non-blank cell, or ``_Bad`` saying what was expected."""
    kind = column.kind
    if kind == "text":
        return _text(value)
    if kind == "int":
        return _parse_number(column, value, whole=True)
    if kind == "number":
        return _parse_number(column, value, whole=False)
    if kind == "date":
        found = parse_date(value)
        if found is None:
            raise _Bad(
                f"{column.label} must be a date such as 2027-01-04 or 04/01/2027, "
                f"got {_shown(value)}"
            )
        return found
    if kind == "time":
        found_time = parse_time(value)
        if found_time is None:
            raise _Bad(
                f"{column.label} must be a time such as 18:30, 1830 or 24:00, got {_shown(value)}"
            )
        return found_time
    if kind == "yesno":
        if isinstance(value, bool):
            return value
        word = _norm(_text(value))
        if word in _YES:
            return True
        if word in _NO:
            return False
        raise _Bad(f"{column.label} must be yes or no, got {_shown(value)}")
    if kind == "choice":
        word = _norm(_text(value))
        for choice, meant in column.values:
            if _norm(choice) == word:
                return meant
        raise _Bad(
            f"{column.label} must be one of {', '.join(column.choices)}, got {_shown(value)}"
        )
    if kind == "list":
        parts = [part.strip() for part in _text(value).split(",") if part.strip()]
        if column.field in _PAIR_LISTS:
            return _pairs(column, parts)
        return frozenset(parts)
    raise AssertionError(f"unhandled column kind {kind}")  # pragma: no cover


# list columns of pairs: field -> separator; "LINE=n" limits, "EARLIER>LATER" line pairs
_PAIR_LISTS = {"max_shifts_by_type": "=", "cannot_follow": ">"}


def _pairs(column: Column, parts: list[str]) -> Any:
    sep = _PAIR_LISTS[column.field]
    pairs: list[tuple[str, Any]] = []
    for part in parts:
        left, found, right = (p.strip() for p in part.partition(sep))
        if not found or not left or not right:
            form = "LINE=n" if sep == "=" else "EARLIER>LATER"
            raise _Bad(f"{column.label}: write each item as {form}, got {part!r}")
        if sep == "=":
            if not right.isdigit():
                raise _Bad(f"{column.label}: {part!r} needs a whole number after =")
            pairs.append((left, int(right)))
        else:
            pairs.append((left, right))
    return tuple(sorted(pairs)) if sep == "=" else frozenset(pairs)


def _referenced(field_name: str, value: Any) -> list[str]:
    """The names a cell refers to: its items, or the shift lines in LINE=n / A>B pairs."""
    if field_name == "max_shifts_by_type":
        return sorted({line for line, _ in value})
    if field_name == "cannot_follow":
        return sorted({line for pair in value for line in pair})
    return sorted(value) if isinstance(value, frozenset) else [value]


def _pair_text(column: Column, value: Any) -> str:
    return ", ".join(f"{a}{_PAIR_LISTS[column.field]}{b}" for a, b in sorted(value))


# ---- reading sheets ------------------------------------------------------------------


@dataclass
class _Row:
    """One data row: parsed values by field, and the column of each field (for messages)."""

    sheet: str
    row: int
    values: dict[str, Any]
    columns: dict[str, int]
    bad: set[str] = field(default_factory=set)

    def where(self, field_name: str) -> str:
        col = self.columns.get(field_name)
        if col is None:
            return f"{self.sheet}!A{self.row}"
        return f"{self.sheet}!{_letter(col)}{self.row}"

    def get(self, field_name: str, default: Any = None) -> Any:
        value = self.values.get(field_name)
        return default if value is None else value


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(col))


def _help_phrase(column: Column) -> str:
    """A column's help as a phrase inside a message: "one role from the Lists sheet"."""
    text = column.help.rstrip(".")
    return text[:1].lower() + text[1:]


def _suggest(word: str, known: Iterable[str], cutoff: float = 0.6) -> str:
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=cutoff)
    return f'; did you mean "{close[0]}"?' if close else ""


class _Reader:
    def __init__(self, book: _Book, issues: IssueCollector) -> None:
        self.book = book
        self.issues = issues
        self.value_cells: dict[str, str] = {}  # key/value sheets: field -> "Sheet!B7"

    # -- sheets and headers --

    def worksheet(self, spec: Sheet, name: str | None = None) -> Worksheet | None:
        name = name or spec.name
        ws = self.book.sheet(name)
        if ws is None and spec.required:
            have = [t for t in self.book.values.sheetnames if _norm(t) != "readme"]
            known = {_norm(s.name) for s in schema.SHEETS}
            hint = _suggest(name, [t for t in have if _norm(t) not in known], cutoff=0.75)
            self.issues.add(
                name,
                f'missing sheet "{name}"{hint}'
                if hint
                else f'missing sheet "{name}" (sheets found: {", ".join(have) or "none"}); '
                "see `ooh template rota` for the expected layout",
            )
        if ws is not None:
            self.check_layout(ws)
        return ws

    def check_layout(self, ws: Worksheet) -> None:
        """Merged cells and hidden rows or columns holding data are errors, not guesses.

        A merged range keeps its value in the top-left cell only, so the other rows would be
        read as blank; a hidden row (a clinician who left, hidden rather than deleted) would
        still be read. Either way the workbook would not mean what it shows, so the user
        decides: unmerge, or unhide or delete.
        """
        for merged in sorted(ws.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
            self.issues.add(
                f"{ws.title}!{_letter(merged.min_col)}{merged.min_row}",
                f"cells {merged.coord} are merged; unmerge them (Home > Merge & Center) and "
                "fill in every cell",
            )
        hidden_rows = [r for r, dim in ws.row_dimensions.items() if dim.hidden]
        for r in sorted(hidden_rows):
            if r <= ws.max_row and any(
                not _is_blank(ws.cell(row=r, column=c).value) for c in range(1, ws.max_column + 1)
            ):
                self.issues.add(
                    f"{ws.title}!A{r}",
                    f"row {r} is hidden but holds data, which would be read; unhide it "
                    "(right-click the row headers > Unhide), or delete the row if it should "
                    "not count",
                )
        for letter, dim in ws.column_dimensions.items():
            if not dim.hidden:
                continue
            first = dim.min or ws[f"{letter}1"].column
            last = dim.max or first
            for col in range(first, min(last, ws.max_column) + 1):
                if any(
                    not _is_blank(ws.cell(row=r, column=col).value)
                    for r in range(1, ws.max_row + 1)
                ):
                    self.issues.add(
                        f"{ws.title}!{_letter(col)}1",
                        f"column {_letter(col)} is hidden but holds data, which would be read; "
                        "unhide it, or delete the column if it should not count",
                    )

    def headers(
        self, ws: Worksheet, columns: Sequence[Column]
    ) -> tuple[dict[str, int], dict[int, Any]]:
        """Map each known column's field to its column number; return unknown headers too.

        An unknown header close to a missing column's name is reported as misspelt; other
        unknown headers (notes columns) are returned for the caller to judge.
        """
        known: dict[str, Column] = {}
        for column in columns:
            for name in column.names():
                known[_norm(name)] = column
        found: dict[str, int] = {}
        unknown: dict[int, Any] = {}
        for col in range(1, ws.max_column + 1):
            header = ws.cell(row=1, column=col).value
            if _is_blank(header):
                continue
            match = known.get(_norm(header)) if isinstance(header, str) else None
            if match is None:
                unknown[col] = header
            elif match.field in found:
                self.issues.add(
                    f"{ws.title}!{_letter(col)}1",
                    f'column "{match.header}" appears twice (also column '
                    f"{_letter(found[match.field])}); delete one",
                )
            else:
                found[match.field] = col
        missing = [c for c in columns if c.field not in found]
        for col, header in list(unknown.items()):
            if not isinstance(header, str):
                continue
            names = {_norm(n): c for c in missing for n in c.names()}
            close = difflib.get_close_matches(_norm(header), list(names), n=1, cutoff=0.75)
            if close:
                meant = names[close[0]]
                self.issues.add(
                    f"{ws.title}!{_letter(col)}1",
                    f'unknown column "{header}"; did you mean "{meant.header}"?',
                )
                missing.remove(meant)  # reported here: not "missing" again
                del unknown[col]
        for column in missing:
            if column.required:
                self.issues.add(
                    ws.title,
                    f'missing column "{column.header}" (row 1 holds the headers): '
                    f"{_help_phrase(column)}",
                )
        return found, unknown

    def value(self, ws: Worksheet, row: int, col: int, column: Column) -> tuple[Any, str | None]:
        """(parsed value or None when blank, problem or None)."""
        raw = self.book.cell(ws, row, col)
        if raw is NO_SAVED_VALUE:
            return None, f"{column.label}: formula has no saved value; open and save in Excel"
        if _is_blank(raw):
            if column.required:
                return (
                    None,
                    f"{column.label} is required ({_help_phrase(column)})",
                )
            return None, None
        try:
            return parse_cell(column, raw), None
        except _Bad as exc:
            return None, str(exc)

    def table(self, spec: Sheet, name: str | None = None) -> list[_Row] | None:
        """Every non-blank row of a table sheet; None when the sheet is missing."""
        ws = self.worksheet(spec, name)
        if ws is None:
            return None
        columns = [c for c in spec.columns if c.kind != "code"]
        found, _ = self.headers(ws, columns)
        # Rows are read even when a required column is missing (already reported), so the
        # other cells are still checked; the workbook cannot pass with that issue anyway.
        rows: list[_Row] = []
        for r in range(2, ws.max_row + 1):
            raws = {f: self.book.cell(ws, r, col) for f, col in found.items()}
            if all(_is_blank(v) for v in raws.values()):
                continue
            row = _Row(ws.title, r, {}, dict(found))
            for column in columns:
                col = found.get(column.field)
                if col is None:
                    continue
                parsed, problem = self.value(ws, r, col, column)
                if problem:
                    self.issues.add(row.where(column.field), problem)
                    row.bad.add(column.field)
                row.values[column.field] = parsed
            rows.append(row)
        self.check_unique(spec, rows)
        return rows

    def check_unique(self, spec: Sheet, rows: list[_Row]) -> None:
        for column in spec.columns:
            if not column.unique:
                continue
            first: dict[str, int] = {}
            for row in rows:
                value = row.values.get(column.field)
                if value is None:
                    continue
                if value in first:
                    self.issues.add(
                        row.where(column.field),
                        f'{column.label} "{value}" appears more than once (first in row '
                        f"{first[value]}); each must be unique",
                    )
                    row.bad.add(column.field)
                else:
                    first[value] = row.row

    def key_values(self, spec: Sheet) -> dict[str, Any] | None:
        """Values by field of a key/value sheet (``_Bad`` where a value is unusable)."""
        ws = self.worksheet(spec)
        if ws is None:
            return None
        key_col = Column(spec.key_header, "text", "key", "the name of the setting", required=True)
        value_col = Column(schema.VALUE_HEADER, "text", "value", "its value", required=True)
        help_col = Column(schema.HELP_HEADER, "text", "help", "ignored")
        found, _ = self.headers(ws, [key_col, value_col, help_col])
        if "key" not in found or "value" not in found:
            return None
        by_name = {_norm(c.header): c for c in spec.columns}
        values: dict[str, Any] = {}
        first_row: dict[str, int] = {}
        for r in range(2, ws.max_row + 1):
            key = self.book.cell(ws, r, found["key"])
            key_where = f"{ws.title}!{_letter(found['key'])}{r}"
            where = f"{ws.title}!{_letter(found['value'])}{r}"
            if _is_blank(key) or key is NO_SAVED_VALUE:
                if not _is_blank(self.book.cell(ws, r, found["value"])):
                    self.issues.add(
                        key_where, "a value without a name: fill in the name or clear the row"
                    )
                continue
            column = by_name.get(_norm(key))
            if column is None:
                names = [c.header for c in spec.columns]
                hint = _suggest(str(key), names)
                self.issues.add(
                    key_where,
                    f'unknown {spec.key_header.lower()} "{key}"'
                    + (hint or f" (known: {', '.join(names)})"),
                )
                continue
            if column.field in first_row:
                self.issues.add(
                    key_where,
                    f"{column.label} is given twice (first in row {first_row[column.field]})",
                )
                continue
            first_row[column.field] = r
            self.value_cells[column.field] = where
            parsed, problem = self.value(ws, r, found["value"], column)
            if problem:
                self.issues.add(where, problem)
                values[column.field] = _Bad
            elif parsed is not None:
                values[column.field] = parsed
        for column in spec.columns:
            if column.required and column.field not in first_row:
                self.issues.add(
                    ws.title,
                    f'missing {spec.key_header.lower()} "{column.header}" ({_help_phrase(column)})',
                )
        return values


# ---- the whole workbook --------------------------------------------------------------

_NOUN = {
    schema.ROLES_LIST: "role",
    schema.SKILLS_LIST: "skill",
    "Practices": "practice",
    "Sites": "site",
    "Clinicians": "clinician",
    "Shift types": "shift type",
}
_LIST_SHEET = {schema.ROLES_LIST: "Lists", schema.SKILLS_LIST: "Lists"}


def _check_refs(
    issues: IssueCollector,
    spec: Sheet,
    rows: list[_Row] | None,
    known: dict[str, list[str] | None],
) -> None:
    """Every reference (role, site, practice, ...) names something that exists."""
    if not rows:
        return
    for column in spec.columns:
        if column.refers_to is None or column.kind == "code":
            continue
        names = known.get(column.refers_to)
        if names is None:  # that sheet could not be read; it has its own issue
            continue
        name_set = set(names)
        sheet_name = _LIST_SHEET.get(column.refers_to, column.refers_to)
        noun = _NOUN[column.refers_to]
        for row in rows:
            value = row.values.get(column.field)
            if value is None:
                continue
            for item in _referenced(column.field, value):
                if item in name_set:
                    continue
                hint = _suggest(item, names)
                if not hint:
                    shown = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
                    hint = f"; known: {shown or 'none'}"
                issues.add(
                    row.where(column.field),
                    f'unknown {noun} "{item}" (not on the {sheet_name} sheet){hint}',
                )
                row.bad.add(column.field)


def _ids(rows: list[_Row] | None, field_name: str) -> list[str] | None:
    if rows is None:
        return None
    return [r.values[field_name] for r in rows if r.values.get(field_name) is not None]


def _build(cls: type, spec: Sheet, row: _Row, **extra: Any) -> Any:
    # A blank cell takes the column's default, which the schema read from the dataclass.
    kwargs = {
        c.field: row.get(c.field, c.default) for c in spec.columns if not c.field.startswith("day:")
    }
    kwargs.update(extra)
    return cls(**kwargs)


def read_workbook(path: str | os.PathLike[str]) -> RotaData:
    """Read and validate a rota input workbook; every problem is raised in one InputError."""
    book = _Book(path)
    issues = IssueCollector(str(path))
    reader = _Reader(book, issues)

    settings = _read_settings(reader)
    lists = reader.table(schema.LISTS)
    practices = reader.table(schema.PRACTICES)
    sites = reader.table(schema.SITES)
    clinicians = reader.table(schema.CLINICIANS)
    shift_types = reader.table(schema.SHIFT_TYPES)
    known: dict[str, list[str] | None] = {
        schema.ROLES_LIST: _ids(lists, schema.ROLES_LIST),
        schema.SKILLS_LIST: _ids(lists, schema.SKILLS_LIST),
        "Practices": _ids(practices, "code"),
        "Sites": _ids(sites, "id"),
        "Clinicians": _ids(clinicians, "id"),
        "Shift types": _ids(shift_types, "id"),
    }
    _check_refs(issues, schema.CLINICIANS, clinicians, known)
    _check_refs(issues, schema.SHIFT_TYPES, shift_types, known)
    _check_clinicians(issues, clinicians)
    _check_shift_types(issues, shift_types)

    availability = _read_availability(reader, settings, known)
    requests = reader.table(schema.REQUESTS)
    fixed = reader.table(schema.FIXED)
    for spec, rows in ((schema.REQUESTS, requests), (schema.FIXED, fixed)):
        _check_refs(issues, spec, rows, known)
        _check_dates(issues, rows, settings)
    _check_fixed_days(issues, fixed, shift_types, settings)
    _check_fixed_twice(issues, fixed)
    rules = _read_rules(reader)
    if rules is not None and rules.cannot_follow:
        _check_rule_refs(issues, reader, rules, known)

    _sort_issues(issues)
    issues.raise_if_any()
    assert settings is not None and rules is not None
    return RotaData(
        settings=settings,
        practices=tuple(_build(Practice, schema.PRACTICES, r) for r in practices or ()),
        sites=tuple(_build(Site, schema.SITES, r) for r in sites or ()),
        clinicians=tuple(_build(Clinician, schema.CLINICIANS, r) for r in clinicians or ()),
        shift_types=tuple(_build_shift_type(r) for r in shift_types or ()),
        availability=availability,
        requests=tuple(_build(Request, schema.REQUESTS, r) for r in requests or ()),
        fixed=tuple(_build(FixedBooking, schema.FIXED, r) for r in fixed or ()),
        rules=rules,
    )


_CELL = re.compile(r"^([A-Z]+)(\d+)$")


def _sort_issues(issues: IssueCollector) -> None:
    """Order issues as a reader scans the workbook: sheet by sheet, row by row."""
    order = {_norm(s.name): i for i, s in enumerate(schema.SHEETS)}

    def key(issue: Issue) -> tuple[int, int, int, int]:
        sheet, _, cell = issue.where.partition("!")
        m = _CELL.match(cell)
        if not m:
            return (order.get(_norm(sheet), len(order)), 0, 0, 0)
        letters = m[1]
        col = 0
        for ch in letters:
            col = col * 26 + ord(ch) - 64
        return (order.get(_norm(sheet), len(order)), int(m[2]), len(letters), col)

    issues.issues.sort(key=key)


def read_practices(path: str | os.PathLike[str], sheet: str = "Practices") -> tuple[Practice, ...]:
    """Read only a Practices sheet (the shared practice table), validated the same way."""
    book = _Book(path)
    issues = IssueCollector(str(path))
    reader = _Reader(book, issues)
    spec = schema.PRACTICES
    if book.sheet(sheet) is None:
        raise OohError(
            f'{path}: missing sheet "{sheet}" (sheets found: {", ".join(book.values.sheetnames)})'
        )
    rows = reader.table(spec, sheet)
    _sort_issues(issues)
    issues.raise_if_any()
    return tuple(_build(Practice, spec, r) for r in rows or ())


def _read_settings(reader: _Reader) -> Settings | None:
    values = reader.key_values(schema.SETTINGS)
    if values is None:
        return None
    if any(v is _Bad for v in values.values()) or "period_start" not in values:
        return None
    return Settings(**values)


def _read_rules(reader: _Reader) -> Rules | None:
    if reader.book.sheet(schema.RULES.name) is None:
        return Rules()
    values = reader.key_values(schema.RULES)
    if values is None:
        return None
    if any(v is _Bad for v in values.values()):
        return None
    weights = {k.split(".", 1)[1]: v for k, v in values.items() if k.startswith("weights.")}
    plain = {k: v for k, v in values.items() if not k.startswith("weights.")}
    # A blank "Max shifts per week" means no limit, which is its default: nothing to set.
    return Rules(**plain, weights=Weights(**weights))


def _check_rule_refs(
    issues: IssueCollector, reader: _Reader, rules: Rules, known: dict[str, list[str] | None]
) -> None:
    """The Rules sheet's shift-line pairs name shift lines that exist."""
    lines = known.get("Shift types")
    if lines is None:
        return
    where = reader.value_cells.get("cannot_follow", schema.RULES.name)
    for line in _referenced("cannot_follow", rules.cannot_follow):
        if line not in lines:
            hint = _suggest(line, lines) or f"; known: {', '.join(lines[:12]) or 'none'}"
            issues.add(where, f'unknown shift type "{line}" (not on the Shift types sheet){hint}')


def _check_clinicians(issues: IssueCollector, rows: list[_Row] | None) -> None:
    for row in rows or ():
        lo, hi = row.values.get("min_shifts"), row.values.get("max_shifts")
        if lo is not None and hi is not None and lo > hi:
            issues.add(
                row.where("min_shifts"),
                f"min shifts ({lo}) is more than max shifts ({hi}); lower min shifts or raise "
                "max shifts",
            )


def _check_shift_types(issues: IssueCollector, rows: list[_Row] | None) -> None:
    for row in rows or ():
        sid = row.values.get("id")
        if sid is not None and sid.upper() in schema.AVAILABILITY_CODES:
            issues.add(
                row.where("id"),
                f'shift type id "{sid}" is an availability code (A, U, P, N); choose another id',
            )
        start, end = row.values.get("start"), row.values.get("end")
        if start is not None and end is not None and start == end:
            issues.add(
                row.where("end"),
                f"end equals start ({start:%H:%M}): a shift must have a length (an end at or "
                "before the start means the next day, but not 24 hours)",
            )
        needed, wanted = row.values.get("needed"), row.values.get("wanted")
        if needed is None and "needed" not in row.bad:
            needed = schema.SHIFT_TYPES.column("needed").default
        if wanted is not None and needed is not None and wanted < needed:
            issues.add(
                row.where("wanted"),
                f"wanted ({wanted}) must be at least needed ({needed})",
            )
        day_fields = [f"day:{i}" for i in range(7)] + ["bank_holidays"]
        if not any(row.values.get(f) for f in day_fields) and not (row.bad & set(day_fields)):
            issues.add(
                row.where("id"),
                "the shift line runs on no day: put yes under at least one of Mon..Sun or "
                "Bank holidays",
            )


def _build_shift_type(row: _Row) -> ShiftType:
    days = frozenset(i for i in range(7) if row.values.get(f"day:{i}"))
    needed = row.get("needed", schema.SHIFT_TYPES.column("needed").default)
    wanted = row.get("wanted", needed)
    return _build(ShiftType, schema.SHIFT_TYPES, row, days=days, needed=needed, wanted=wanted)


def _period_words(settings: Settings) -> str:
    return f"{settings.period_start:%d/%m/%Y} to {settings.period_end:%d/%m/%Y}"


def _check_dates(
    issues: IssueCollector, rows: list[_Row] | None, settings: Settings | None
) -> None:
    if settings is None:
        return
    for row in rows or ():
        day = row.values.get("date")
        if day is not None and not settings.period_start <= day <= settings.period_end:
            issues.add(
                row.where("date"),
                f"date {day:%d/%m/%Y} is outside the period ({_period_words(settings)})",
            )
            row.bad.add("date")


def _check_fixed_twice(issues: IssueCollector, fixed: list[_Row] | None) -> None:
    first: dict[tuple[Any, ...], int] = {}
    for row in fixed or ():
        key = tuple(row.values.get(f) for f in ("clinician", "date", "shift_type"))
        if None in key:
            continue
        if key in first:
            issues.add(
                row.where("clinician"),
                f"the same booking appears twice (first in row {first[key]}); delete one",
            )
        else:
            first[key] = row.row


def _check_fixed_days(
    issues: IssueCollector,
    fixed: list[_Row] | None,
    shift_types: list[_Row] | None,
    settings: Settings | None,
) -> None:
    if not fixed or not shift_types or settings is None:
        return
    from ooh.rota.calendar import bank_holidays

    holidays = bank_holidays(settings)
    by_id = {r.values["id"]: r for r in shift_types if r.values.get("id") is not None}
    for row in fixed:
        day, sid = row.values.get("date"), row.values.get("shift_type")
        if day is None or sid not in by_id or row.bad & {"date", "shift_type"}:
            continue
        line = by_id[sid]
        if day in holidays:
            runs = bool(line.values.get("bank_holidays"))
            when = f"on bank holidays ({day:%a %d/%m/%Y} is {holidays[day]})"
        else:
            runs = bool(line.values.get(f"day:{day.weekday()}"))
            when = f"on {day:%A}s"
        if not runs:
            issues.add(
                row.where("shift_type"),
                f'shift type "{sid}" does not run {when}; fix the date or the Shift types sheet',
            )


def _read_availability(
    reader: _Reader, settings: Settings | None, known: dict[str, list[str] | None]
) -> dict[tuple[str, date], Availability]:
    spec = schema.AVAILABILITY
    ws = reader.worksheet(spec)
    if ws is None:
        return {}
    issues = reader.issues
    id_col, name_col, code_col = spec.columns
    found, unknown = reader.headers(ws, [id_col, name_col])
    if "clinician" not in found:
        return {}
    dates: dict[int, date] = {}
    seen: dict[date, int] = {}
    for col, header in unknown.items():
        where = f"{ws.title}!{_letter(col)}1"
        day = parse_date(header)
        if day is None:
            issues.add(
                where,
                f"each column after Clinician ID and Name must be headed by a date of the "
                f"period, got {_shown(header)}",
            )
            continue
        if settings is not None and not settings.period_start <= day <= settings.period_end:
            issues.add(
                where,
                f"date {day:%d/%m/%Y} is outside the period ({_period_words(settings)}); "
                "check Period start and Weeks on the Settings sheet",
            )
            continue
        if day in seen:
            issues.add(
                where,
                f"date {day:%d/%m/%Y} appears twice (also column {_letter(seen[day])})",
            )
            continue
        seen[day] = col
        dates[col] = day
    clinician_ids = set(known["Clinicians"] or ())
    shift_type_ids = known["Shift types"]
    result: dict[tuple[str, date], Availability] = {}
    first: dict[str, int] = {}
    for r in range(2, ws.max_row + 1):
        cells = {col: reader.book.cell(ws, r, col) for col in [found["clinician"], *dates]}
        if all(_is_blank(v) for v in cells.values()):
            continue
        cid, problem = reader.value(ws, r, found["clinician"], id_col)
        id_where = f"{ws.title}!{_letter(found['clinician'])}{r}"
        if problem:
            issues.add(id_where, problem)
            cid = None
        elif cid in first:
            issues.add(
                id_where, f'clinician "{cid}" appears more than once (first in row {first[cid]})'
            )
            cid = None
        elif known["Clinicians"] is not None and cid not in clinician_ids:
            names = known["Clinicians"] or []
            issues.add(
                id_where,
                f'unknown clinician "{cid}" (not on the Clinicians sheet){_suggest(str(cid), names)}',
            )
        if cid is not None:
            first[cid] = r
        for col, day in dates.items():
            raw = cells[col]
            where = f"{ws.title}!{_letter(col)}{r}"
            if raw is NO_SAVED_VALUE:
                issues.add(
                    where, "availability: formula has no saved value; open and save in Excel"
                )
                continue
            if _is_blank(raw):
                continue
            entry = _availability(issues, where, _text(raw), shift_type_ids)
            if entry is not None and cid is not None:
                result[(cid, day)] = entry
    return result


def _availability(
    issues: IssueCollector, where: str, text: str, shift_type_ids: list[str] | None
) -> Availability | None:
    code = text.strip().upper()
    for kind in AvailabilityKind:
        if kind is not AvailabilityKind.ONLY and code == kind.value:
            return Availability(kind)
    ids = [part.strip() for part in text.split(",") if part.strip()]
    if shift_type_ids is not None:
        known = set(shift_type_ids)
        bad = [i for i in ids if i not in known]
        if bad:
            hint = _suggest(bad[0], [*shift_type_ids, *schema.AVAILABILITY_CODES])
            issues.add(
                where,
                f"availability must be A, U, P, N or shift type ids separated by commas; "
                f'"{bad[0]}" is not a shift type{hint}',
            )
            return None
    return Availability(AvailabilityKind.ONLY, frozenset(ids))


# ---- writing -------------------------------------------------------------------------


def _cell_value(column: Column, value: Any) -> Any:
    if value is None:
        return None
    if column.values:
        return column.word_for(value)
    if column.kind == "yesno":
        return "yes" if value else "no"
    if column.kind == "list":
        if column.field in _PAIR_LISTS:
            return _pair_text(column, value) if value else None
        return ", ".join(sorted(value)) if value else None
    if column.kind == "number" and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _field(obj: Any, column: Column) -> Any:
    name = column.field
    if name.startswith("day:"):
        return int(name[4:]) in obj.days
    if name.startswith("weights."):
        return getattr(obj.weights, name.split(".", 1)[1])
    return getattr(obj, name)


def _ordered_unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


DROPDOWN_ROWS = 500  # dropdowns reach this far so rows can be added


def write_input_workbook(
    data: RotaData,
    path: str | os.PathLike[str],
    *,
    roles: Sequence[str] = (),
    skills: Sequence[str] = (),
    note: str = "",
) -> None:
    """Write ``data`` as a rota input workbook (README, dropdowns, frozen headers).

    The Lists sheet holds the roles and skills ``data`` uses, after any given in ``roles`` and
    ``skills`` (so a template can offer roles no one holds yet). ``note`` is added to the
    README sheet.
    """

    def write(tmp: Path) -> None:
        build_input_workbook(data, roles=roles, skills=skills, note=note).save(tmp)

    write_atomically(path, write)


def build_input_workbook(
    data: RotaData, *, roles: Sequence[str] = (), skills: Sequence[str] = (), note: str = ""
) -> Workbook:
    """The input workbook in memory (``write_input_workbook`` saves it safely)."""
    from openpyxl import Workbook

    wb = Workbook()
    readme = wb.active
    assert readme is not None
    readme.title = schema.README.name
    write_table(readme, ["Item", "Explanation"], schema.readme_rows(note), autofilter=False)
    fit_widths(readme, {"Item": 34, "Explanation": 110})

    role_list = _ordered_unique(
        [*roles, *(c.role for c in data.clinicians), *(s.role for s in data.shift_types)]
    )
    skill_list = _ordered_unique(
        [
            *skills,
            *(k for c in data.clinicians for k in sorted(c.skills)),
            *(k for s in data.shift_types for k in sorted(s.skills)),
        ]
    )

    _write_key_values(wb, schema.SETTINGS, data.settings)
    lists_rows = [
        (
            role_list[i] if i < len(role_list) else None,
            skill_list[i] if i < len(skill_list) else None,
        )
        for i in range(max(len(role_list), len(skill_list)))
    ]
    _write_rows(wb, schema.LISTS, lists_rows)
    _write_objects(wb, schema.PRACTICES, data.practices)
    _write_objects(wb, schema.SITES, data.sites)
    _write_objects(wb, schema.CLINICIANS, data.clinicians)
    _write_objects(wb, schema.SHIFT_TYPES, data.shift_types)
    _write_availability(wb, data)
    _write_objects(wb, schema.REQUESTS, data.requests)
    _write_objects(wb, schema.FIXED, data.fixed)
    _write_key_values(wb, schema.RULES, data.rules)
    return wb


def _table_columns(spec: Sheet) -> list[Column]:
    return [c for c in spec.columns if c.kind != "code"]


def _write_objects(wb: Workbook, spec: Sheet, objects: Sequence[Any]) -> None:
    columns = _table_columns(spec)
    rows = [[_cell_value(c, _field(obj, c)) for c in columns] for obj in objects]
    _write_rows(wb, spec, rows)


def _write_rows(wb: Workbook, spec: Sheet, rows: Sequence[Sequence[Any]]) -> None:
    ws = wb.create_sheet(spec.name)
    columns = _table_columns(spec)
    headers = [c.header for c in columns]
    formats = {c.header: MONEY_FORMAT for c in columns if c.field == "hourly_rate"}
    write_table(ws, headers, rows, number_formats=formats)
    _add_dropdowns(ws, columns, first_column=1)
    _add_header_notes(ws, columns)


def _write_key_values(wb: Workbook, spec: Sheet, obj: Any) -> None:
    ws = wb.create_sheet(spec.name)
    rows = [
        (c.header, _cell_value(c, _field(obj, c)), c.help + _allowed_suffix(c))
        for c in spec.columns
    ]
    write_table(
        ws, [spec.key_header, schema.VALUE_HEADER, schema.HELP_HEADER], rows, autofilter=False
    )
    for r, column in enumerate(spec.columns, start=2):
        choices = _choices(column)
        if choices:
            _validation(ws, f'"{",".join(choices)}"', f"B{r}", strict=True)
        if column.kind == "date":
            ws[f"B{r}"].number_format = DATE_FORMAT
    fit_widths(ws, {schema.HELP_HEADER: 90})


def _allowed_suffix(column: Column) -> str:
    allowed = schema.allowed_text(column)
    return f" Allowed: {allowed}." if allowed else ""


def _choices(column: Column) -> tuple[str, ...]:
    if column.values:
        return column.choices
    if column.kind == "yesno":
        return ("yes", "no")
    return ()


_REF_RANGES = {
    schema.ROLES_LIST: ("Lists", "A"),
    "Practices": ("Practices", "A"),
    "Sites": ("Sites", "A"),
    "Clinicians": ("Clinicians", "A"),
    "Shift types": ("Shift types", "A"),
}


def _add_dropdowns(ws: Worksheet, columns: Sequence[Column], first_column: int) -> None:
    for offset, column in enumerate(columns):
        letter = _letter(first_column + offset)
        cells = f"{letter}2:{letter}{DROPDOWN_ROWS}"
        choices = _choices(column)
        if choices:
            _validation(ws, f'"{",".join(choices)}"', cells, strict=True)
        elif column.refers_to in _REF_RANGES and column.kind == "text":
            sheet_name, col = _REF_RANGES[column.refers_to]
            _validation(
                ws,
                f"'{sheet_name}'!${col}$2:${col}${DROPDOWN_ROWS}",
                cells,
                strict=column.refers_to == schema.ROLES_LIST,
            )


def _add_header_notes(ws: Worksheet, columns: Sequence[Column]) -> None:
    from openpyxl.comments import Comment

    for col, column in enumerate(columns, start=1):
        ws.cell(row=1, column=col).comment = Comment(
            column.help + _allowed_suffix(column), "ooh", width=300, height=120
        )


def _validation(ws: Worksheet, formula: str, cells: str, *, strict: bool) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop" if strict else "warning",
    )
    dv.add(cells)
    ws.add_data_validation(dv)


def _availability_text(entry: Availability) -> str:
    if entry.kind is AvailabilityKind.ONLY:
        return ", ".join(sorted(entry.shift_types))
    return entry.kind.value


def _write_availability(wb: Workbook, data: RotaData) -> None:
    from openpyxl.styles import Alignment

    ws = wb.create_sheet(schema.AVAILABILITY.name)
    id_col, name_col, _ = schema.AVAILABILITY.columns
    dates = data.settings.dates
    headers: list[Any] = [id_col.header, name_col.header, *dates]
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=col, value=header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="center")
        if isinstance(header, date):
            cell.number_format = "ddd dd-mmm"
    for r, clinician in enumerate(data.clinicians, start=2):
        ws.cell(row=r, column=1, value=safe_text(clinician.id))
        ws.cell(row=r, column=2, value=safe_text(clinician.name))
        for col, day in enumerate(dates, start=3):
            entry = data.availability.get((clinician.id, day))
            if entry is not None:
                ws.cell(row=r, column=col, value=_availability_text(entry))
    ws.freeze_panes = "C2"
    last = _letter(len(headers))
    rows = max(DROPDOWN_ROWS, len(data.clinicians) + 1)
    # Codes are suggested, not enforced: a list of shift type ids is also allowed.
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(
        type="list",
        formula1='"' + ",".join(schema.AVAILABILITY_CODES) + '"',
        allow_blank=True,
        showErrorMessage=False,
    )
    dv.add(f"C2:{last}{rows}")
    ws.add_data_validation(dv)
    _validation(ws, f"'Clinicians'!$A$2:$A${DROPDOWN_ROWS}", f"A2:A{rows}", strict=False)
    fit_widths(ws)
    for col in range(3, len(headers) + 1):
        ws.column_dimensions[_letter(col)].width = 11
