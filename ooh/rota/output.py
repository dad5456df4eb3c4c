"""The rota workbook: written after a solve, read back (perhaps edited by hand) to re-check.

Sheets: Rota (dates x shift lines -> names, gaps highlighted), By clinician, Assignments
(the long table; the one ``ooh rota check`` reads), Unfilled (each gap with its reason),
Practice contribution, Clinician summary, Cost, Run info.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ooh.errors import InputError, Issue, OohError
from ooh.excel import (
    DATE_FORMAT,
    GAP_FILL,
    MONEY_FORMAT,
    SOFT_FILL,
    fit_widths,
    write_key_values,
    write_table,
)
from ooh.outputs import write_atomically
from ooh.rota import report
from ooh.rota.calendar import build_shifts, shift_id
from ooh.rota.data import Assignment, Gap, Result, RotaData, Shift

if TYPE_CHECKING:
    import pandas as pd
    from openpyxl.worksheet.worksheet import Worksheet

ASSIGNMENTS_SHEET = "Assignments"
SHEETS = (
    "Rota",
    "By clinician",
    ASSIGNMENTS_SHEET,
    "Unfilled",
    "Practice contribution",
    "Clinician summary",
    "Cost",
    "Run info",
)
STOPPED_NOTE = "the search was interrupted (Ctrl-C); this is the best rota found so far"
# Columns read back from the Assignments sheet; the others are there for people to read.
DATE_COLUMN, TYPE_COLUMN, CLINICIAN_COLUMN = "Date", "Shift type", "Clinician id"


def _plain(value: Any) -> Any:
    """pandas/numpy values as plain Python values openpyxl writes cleanly."""
    if value is None:
        return None
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _rows(df: pd.DataFrame) -> list[list[Any]]:
    return [[_plain(v) for v in row] for row in df.itertuples(index=False, name=None)]


def _money_formats(df: pd.DataFrame) -> dict[str, str]:
    return {col: MONEY_FORMAT for col in df.columns if str(col).endswith("£")}


def _write_frame(ws: Worksheet, df: pd.DataFrame, **kwargs: Any) -> int:
    return write_table(ws, list(df.columns), _rows(df), number_formats=_money_formats(df), **kwargs)


def gaps_for(data: RotaData, shifts: Sequence[Shift], result: Result) -> list[Gap]:
    """The result's gaps if they account for every open place, else explained afresh."""
    filled = Counter(a.shift_id for a in result.assignments)
    open_places = sum(max(0, s.type.wanted - filled[s.id]) for s in shifts)
    if len(result.gaps) == open_places and all(g.reason for g in result.gaps):
        return list(result.gaps)
    from ooh.rota.explain import explain_gaps

    return explain_gaps(data, shifts, result.assignments)


def write_rota_workbook(
    data: RotaData,
    result: Result,
    path: str | Path,
    run_info: dict[str, object],
    *,
    shifts: Sequence[Shift] | None = None,
    extra_sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Any]]]] = (),
) -> None:
    """Write the rota workbook atomically (temp file, then rename).

    ``shifts``: the dated shifts when they differ from the inputs' (a repair's changed
    demand); ``extra_sheets``: (name, headers, rows) tables placed after the Rota sheet."""
    from openpyxl import Workbook

    shifts = build_shifts(data) if shifts is None else list(shifts)
    gaps = gaps_for(data, shifts, result)
    assignments = result.assignments
    wb = Workbook()
    wb.remove(wb.active)
    sheets = {name: wb.create_sheet(name) for name in SHEETS}

    _write_grid(sheets["Rota"], report.rota_grid(data, shifts, assignments, gaps), first_cols=2)
    _write_grid(sheets["By clinician"], report.clinician_grid(data, shifts, assignments), 4)
    table = with_calendar_columns(data, report.assignment_table(data, shifts, assignments))
    _write_frame(sheets[ASSIGNMENTS_SHEET], table)
    _write_unfilled(sheets["Unfilled"], shifts, gaps)
    _write_frame(
        sheets["Practice contribution"], report.practice_contribution(data, shifts, assignments)
    )
    _write_frame(sheets["Clinician summary"], report.clinician_summary(data, shifts, assignments))
    _write_cost(sheets["Cost"], data, shifts, assignments)
    _write_run_info(sheets["Run info"], data, shifts, result, gaps, run_info)
    for offset, (name, headers, rows) in enumerate(extra_sheets, start=1):
        write_table(wb.create_sheet(name, offset), headers, rows, widths={"Reason": 80})

    write_atomically(path, wb.save)


# Appended to the Assignments sheet so that `ooh rota ics rota.xlsx` needs no inputs workbook
# (calendars show names and postcodes, not ids); the columns before them keep their places.
CALENDAR_COLUMNS = ("Shift line", "Site name", "Postcode", "Practice name")


def with_calendar_columns(data: RotaData, table: pd.DataFrame) -> pd.DataFrame:
    """The assignment table plus the names behind its shift type, site and practice ids."""
    lines = {st.id: st.name or st.id for st in data.shift_types}
    sites = {s.id: s for s in data.sites}
    practices = {p.code: p.name for p in data.practices}
    table = table.copy()
    table["Shift line"] = [lines.get(t, t) for t in table["Shift type"]]
    table["Site name"] = [sites[s].name if s in sites else s for s in table["Site"]]
    table["Postcode"] = [sites[s].postcode if s in sites else None for s in table["Site"]]
    table["Practice name"] = [practices.get(p) for p in table["Practice"]]
    return table


def _write_grid(ws: Worksheet, grid: report.Grid, first_cols: int) -> None:
    from openpyxl.styles import Alignment

    write_table(ws, grid.headers, grid.rows, number_formats={"Date": DATE_FORMAT})
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(grid.rows):
        for c in range(first_cols, len(row)):
            cell = ws.cell(row=r + 2, column=c + 1)
            cell.alignment = wrap
            if (r, c) in grid.required_gaps:
                cell.fill = GAP_FILL
            elif (r, c) in grid.target_gaps:
                cell.fill = SOFT_FILL
    ws.freeze_panes = ws.cell(row=2, column=first_cols + 1)  # headers and names stay in view
    fit_widths(ws, cap=30)


def _write_unfilled(ws: Worksheet, shifts: Sequence[Shift], gaps: Sequence[Gap]) -> None:
    by_id = {s.id: s for s in shifts}
    headers = [
        "Date",
        "Shift type",
        "Start",
        "End",
        "Site",
        "Role",
        "Priority",
        "Place",
        "Kind",
        "Reason",
    ]
    rows = []
    for g in gaps:
        s = by_id[g.shift_id]
        kind = "required" if g.required else "target"
        rows.append(
            [
                s.date,
                s.type.id,
                s.start,
                s.end,
                s.type.site,
                s.type.role,
                s.type.priority,
                g.place,
                kind,
                g.reason,
            ]
        )
    write_table(ws, headers, rows, widths={"Reason": 100})
    for r, g in enumerate(gaps, start=2):
        fill = GAP_FILL if g.required else SOFT_FILL
        for c in range(1, len(headers) + 1):
            ws.cell(row=r, column=c).fill = fill


def _write_cost(
    ws: Worksheet, data: RotaData, shifts: Sequence[Shift], assignments: Sequence[Assignment]
) -> None:
    """Three tables on one sheet: by shift line (filterable), by group, by practice."""
    from openpyxl.styles import Font

    row = _write_frame(ws, report.cost_by_shift_line(data, shifts, assignments))
    for title, df in (
        ("Members, salaried and locums", report.cost_by_group(data, shifts, assignments)),
        ("By member practice", report.cost_by_practice(data, shifts, assignments)),
    ):
        row += 2
        ws.cell(row=row, column=1, value=title).font = Font(bold=True)
        row = _write_frame(ws, df, start_row=row + 1, freeze=False, autofilter=False)
    ws.freeze_panes = "A2"
    fit_widths(ws, cap=30)


def _write_run_info(
    ws: Worksheet,
    data: RotaData,
    shifts: Sequence[Shift],
    result: Result,
    gaps: Sequence[Gap],
    run_info: dict[str, object],
) -> None:
    from ooh import __version__
    from ooh.outputs import NOT_RECORDED, is_deterministic, written_at

    ratio = result.gap_ratio
    # --deterministic: wall-clock times stay out, so two runs give the same file
    steady = is_deterministic()
    stopped = f"yes: {result.params.get('stop_reason', STOPPED_NOTE)}"
    pairs: list[tuple[str, object]] = [
        ("ooh version", __version__),
        ("Written at (UTC)", written_at()),
        ("Status", result.status.value),
        ("Stopped early", stopped if result.stopped_early else "no"),
        ("Objective (points)", None if result.objective is None else round(result.objective, 2)),
        ("Bound (points)", None if result.bound is None else round(result.bound, 2)),
        ("Optimality gap %", None if ratio is None else round(100 * ratio, 2)),
        ("Solve time (s)", NOT_RECORDED if steady else round(result.runtime, 2)),
        ("Period", f"{data.settings.period_start} to {data.settings.period_end}"),
        ("Weeks", data.settings.weeks),
        ("Bank-holiday nation", data.settings.nation),
        ("Shifts in the period", len(shifts)),
        ("Required places", sum(s.type.needed for s in shifts)),
        ("Assignments", len(result.assignments)),
        ("Unfilled required places", sum(1 for g in gaps if g.required)),
        ("Unfilled target places", sum(1 for g in gaps if not g.required)),
        ("Hard-rule breaches (checker)", len(result.breaches)),
    ]
    pairs += [(str(k), _cell_value(v)) for k, v in run_info.items()]
    pairs += [
        (f"Parameter: {k}", _cell_value(v))
        for k, v in result.params.items()
        if not (steady and k.endswith("_seconds"))
    ]
    pairs += [(f"Breach {i}", f"{b.rule}: {b.message}") for i, b in enumerate(result.breaches, 1)]
    pairs += [(f"Conflict {i}", line) for i, line in enumerate(result.conflicts, 1)]
    write_key_values(ws, pairs)
    fit_widths(ws, {"Value": 70})


def _cell_value(value: object) -> object:
    """Lists and dicts as text; everything else as is."""
    if isinstance(value, (list, tuple, dict, set)):
        return str(value)
    if isinstance(value, Path):
        return str(value)
    return value


# ---- reading back ---------------------------------------------------------------------------


def read_assignments(path: str | Path, data: RotaData) -> list[Assignment]:
    """Assignments from a rota workbook's Assignments sheet, which a coordinator may edit.

    Only the Date, Shift type and Clinician id columns count (found by header name, any
    order); the clinician id is authoritative over the name. Blank rows, and rows whose
    clinician id is blank (a place left open), are skipped. Every bad cell is reported at
    once with its sheet and cell. Whether the rota obeys the rules is the checker's job.
    """
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    path = Path(path)
    if not path.exists():
        raise OohError(f"{path}: file not found")
    from ooh.safety import check_workbook

    check_workbook(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a non-workbook
        raise OohError(f"{path}: cannot be read as an Excel workbook (.xlsx): {exc}") from exc
    try:
        if ASSIGNMENTS_SHEET not in wb.sheetnames:
            raise InputError(
                [
                    Issue(
                        ASSIGNMENTS_SHEET,
                        "sheet missing: a rota workbook written by `ooh rota solve` has one",
                    )
                ],
                str(path),
            )
        rows = list(wb[ASSIGNMENTS_SHEET].iter_rows(values_only=True))
    finally:
        wb.close()

    issues: list[Issue] = []
    header = [str(v).strip().casefold() if v is not None else "" for v in (rows[0] if rows else [])]
    columns: dict[str, int] = {}
    for name in (DATE_COLUMN, TYPE_COLUMN, CLINICIAN_COLUMN):
        if name.casefold() in header:
            columns[name] = header.index(name.casefold())
        else:
            issues.append(Issue(f"{ASSIGNMENTS_SHEET}!1", f'no "{name}" column in the header row'))
    if issues:
        raise InputError(issues, str(path))

    type_ids = {st.id for st in data.shift_types}
    clinician_ids = {c.id for c in data.clinicians}
    found: list[Assignment] = []
    for row_no, row in enumerate(rows[1:], start=2):

        def cell(name: str, row: tuple[Any, ...] = row) -> Any:
            index = columns[name]
            value = row[index] if index < len(row) else None
            return value.strip() or None if isinstance(value, str) else value

        def where(name: str, row_no: int = row_no) -> str:
            return f"{ASSIGNMENTS_SHEET}!{get_column_letter(columns[name] + 1)}{row_no}"

        raw_date, raw_type, raw_id = cell(DATE_COLUMN), cell(TYPE_COLUMN), cell(CLINICIAN_COLUMN)
        if raw_id is None:
            continue  # blank row, or a place left open by hand
        clinician = _text_id(raw_id)
        day = _as_date(raw_date)
        ok = True
        if day is None:
            got = "blank" if raw_date is None else f'"{raw_date}"'
            issues.append(Issue(where(DATE_COLUMN), f"date must be a date (YYYY-MM-DD), got {got}"))
            ok = False
        if raw_type is None:
            issues.append(Issue(where(TYPE_COLUMN), "shift type is blank"))
            ok = False
        elif str(raw_type) not in type_ids:
            issues.append(
                Issue(
                    where(TYPE_COLUMN),
                    f'unknown shift type "{raw_type}"; the inputs have: '
                    + ", ".join(sorted(type_ids)),
                )
            )
            ok = False
        if clinician not in clinician_ids:
            issues.append(
                Issue(
                    where(CLINICIAN_COLUMN),
                    f'unknown clinician id "{clinician}"; use an id from the inputs\' '
                    "Clinicians sheet",
                )
            )
            ok = False
        if ok and day is not None:
            found.append(Assignment(shift_id(day, str(raw_type)), clinician))
    if issues:
        raise InputError(issues, str(path))
    return found


def _text_id(value: Any) -> str:
    """An id cell as text: Excel turns an id like 101 into the number 101.0."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        for parse in (date.fromisoformat, _uk_date):
            try:
                return parse(value.strip())
            except ValueError:
                continue
    return None


def _uk_date(text: str) -> date:
    return datetime.strptime(text, "%d/%m/%Y").date()
