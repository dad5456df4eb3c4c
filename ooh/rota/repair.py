"""Repair a published rota after absences, withdrawals or new demand, moving as little as possible.

The changes workbook lists what happened (sheets ``Unavailability``, ``New demand``,
``Withdrawn``; see ``CHANGE_SHEETS``). The changes are applied to the inputs, the previous
rota is read back from its Assignments sheet, and the solver is run with the previous rota as
the one to keep (``solve(previous=..., frozen_before=...)``):

1. required places are filled first, as in every solve;
2. then the number of people whose shifts change is minimised, then the number of changed
   assignments (so a free eligible clinician refilling a vacated place beats a chain of swaps,
   and a swap chain is used only when nothing simpler fills the place);
3. then the usual soft goals.

Shifts on dates before ``as_of`` (already worked) and fixed bookings never move. Changes
dated before ``as_of`` are history and change nothing. A clinician whose availability the
changes cut has their minimum number of shifts lifted (they can no longer be held to it), and
a fixed booking on a date they can no longer work is dropped (and listed as a change).
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ooh.errors import IssueCollector, OohError
from ooh.rota.data import (
    UNAVAILABLE,
    Assignment,
    FixedBooking,
    Result,
    RotaData,
    Shift,
    Status,
)
from ooh.schema import Column, Sheet

# ---- the changes workbook -------------------------------------------------------------------

_CLINICIAN = Column(
    "Clinician",
    "text",
    "clinician",
    "Clinician id from the inputs' Clinicians sheet.",
    example="C03",
    required=True,
    aliases=("Clinician ID",),
)
_REASON = Column(
    "Reason",
    "text",
    "reason",
    "Why (sick leave, compassionate leave, ...): shown on the Changes sheet.",
    example="Sick leave",
)

UNAVAILABILITY = Sheet(
    "Unavailability",
    "table",
    "New absences: the clinician cannot work any shift starting on these dates.",
    required=False,
    columns=(
        _CLINICIAN,
        Column(
            "From date",
            "date",
            "first",
            "First date away.",
            example=date(2027, 1, 6),
            required=True,
        ),
        Column(
            "To date",
            "date",
            "last",
            "Last date away (inclusive); blank for one day only.",
            example=date(2027, 1, 8),
        ),
        _REASON,
    ),
)
NEW_DEMAND = Sheet(
    "New demand",
    "table",
    "Changed demand on one dated shift: its new number of required and target places.",
    required=False,
    columns=(
        Column(
            "Date",
            "date",
            "date",
            "Date the shift starts.",
            example=date(2027, 1, 9),
            required=True,
        ),
        Column(
            "Shift type",
            "text",
            "shift_type",
            "Shift type id from the inputs' Shift types sheet.",
            example="A-EVE-GP",
            required=True,
        ),
        Column(
            "Needed",
            "int",
            "needed",
            "New number of required places that date; blank: unchanged.",
            example=2,
            minimum=0,
            maximum=50,
        ),
        Column(
            "Wanted",
            "int",
            "wanted",
            "New number of target places (at least Needed); blank: unchanged, or Needed "
            "when Needed rises above it.",
            example=2,
            minimum=0,
            maximum=50,
        ),
        _REASON,
    ),
)
WITHDRAWN = Sheet(
    "Withdrawn",
    "table",
    "Clinicians who leave the rota: unavailable from the date on, to the end of the period.",
    required=False,
    columns=(
        _CLINICIAN,
        Column(
            "From date",
            "date",
            "first",
            "First date they no longer work.",
            example=date(2027, 1, 11),
            required=True,
        ),
        _REASON,
    ),
)
CHANGE_SHEETS = (UNAVAILABILITY, NEW_DEMAND, WITHDRAWN)


@dataclass(frozen=True)
class Absence:
    """A clinician unavailable on ``first``..``last`` (inclusive). Withdrawals are absences
    to the end of the period, marked ``withdrawn``."""

    clinician: str
    first: date
    last: date
    reason: str = ""
    withdrawn: bool = False
    where: str = ""  # sheet!row of the changes workbook, for messages

    def describe(self) -> str:
        if self.withdrawn:
            text = f"withdrawn from {self.first.isoformat()}"
        elif self.first == self.last:
            text = f"unavailable on {self.first.isoformat()}"
        else:
            text = f"unavailable {self.first.isoformat()} to {self.last.isoformat()}"
        return f"{text} ({self.reason})" if self.reason else text


@dataclass(frozen=True)
class DemandChange:
    """New required (``needed``) and target (``wanted``) places of one dated shift."""

    shift_id: str
    needed: int
    wanted: int
    reason: str = ""
    where: str = ""


@dataclass(frozen=True)
class Changes:
    absences: tuple[Absence, ...] = ()
    demand: tuple[DemandChange, ...] = ()


def read_changes(path: str | os.PathLike[str], data: RotaData) -> Changes:
    """Read and validate a changes workbook against the inputs; every problem is raised in one
    ``InputError`` naming its sheet and cell."""
    from ooh.rota.calendar import build_shifts, shift_id
    from ooh.rota.io import _Book, _Reader, _sort_issues, _suggest

    book = _Book(path)
    issues = IssueCollector(str(path))
    reader = _Reader(book, issues)
    if all(book.sheet(spec.name) is None for spec in CHANGE_SHEETS):
        names = ", ".join(f'"{s.name}"' for s in CHANGE_SHEETS)
        raise OohError(
            f"{path}: no changes sheet found (sheets found: {', '.join(book.values.sheetnames)}); "
            f"a changes workbook has at least one of {names}: see `ooh template changes`"
        )
    first, last = data.settings.period_start, data.settings.period_end
    period = f"{first.isoformat()} to {last.isoformat()}"
    clinicians = [c.id for c in data.clinicians]
    types = {st.id: st for st in data.shift_types}
    shifts = {s.id: s for s in build_shifts(data)}

    def known_clinician(row: Any) -> bool:
        cid = row.values.get("clinician")
        if cid is None or cid in clinicians:
            return cid is not None
        hint = _suggest(cid, clinicians) or f"; known: {', '.join(clinicians[:12])}"
        issues.add(row.where("clinician"), f'unknown clinician "{cid}"{hint}')
        return False

    def in_period(row: Any, name: str, value: date | None) -> bool:
        if value is None:
            return False
        if first <= value <= last:
            return True
        issues.add(row.where(name), f"date {value.isoformat()} is outside the period ({period})")
        return False

    absences: list[Absence] = []
    for row in reader.table(UNAVAILABILITY) or ():
        ok = known_clinician(row)
        start: date | None = row.values.get("first")
        end: date | None = row.values.get("last") or start
        if start is None or end is None:
            continue  # a bad or blank date: already reported
        if end < start:
            issues.add(row.where("last"), "to date is before from date")
            ok = False
        elif end < first or start > last:
            issues.add(
                row.where("first"),
                f"{start.isoformat()} to {end.isoformat()} is outside the period ({period})",
            )
            ok = False
        if ok:
            where = f"{row.sheet}!{row.row}"
            absences.append(
                Absence(row.values["clinician"], start, end, row.get("reason", ""), False, where)
            )
    for row in reader.table(WITHDRAWN) or ():
        ok = known_clinician(row)
        start = row.values.get("first")
        if ok and start is not None and in_period(row, "first", start):
            where = f"{row.sheet}!{row.row}"
            absences.append(
                Absence(row.values["clinician"], start, last, row.get("reason", ""), True, where)
            )

    demand: list[DemandChange] = []
    seen: dict[str, int] = {}
    for row in reader.table(NEW_DEMAND) or ():
        day, type_id = row.values.get("date"), row.values.get("shift_type")
        needed, wanted = row.values.get("needed"), row.values.get("wanted")
        ok = in_period(row, "date", day)
        if type_id is not None and type_id not in types:
            hint = _suggest(type_id, list(types)) or f"; known: {', '.join(sorted(types))}"
            issues.add(row.where("shift_type"), f'unknown shift type "{type_id}"{hint}')
            ok = False
        if needed is None and wanted is None:
            if not {"needed", "wanted"} & row.bad:
                issues.add(row.where("needed"), "give the new Needed or Wanted number (or both)")
            ok = False
        if not ok or day is None or type_id is None or {"needed", "wanted"} & row.bad:
            continue
        sid = shift_id(day, type_id)
        if sid not in shifts:
            issues.add(
                row.where("date"),
                f"shift type {type_id} does not run on {day:%a} {day.isoformat()}",
            )
            continue
        if sid in seen:
            issues.add(
                row.where("date"), f"{sid} is changed twice (first in row {seen[sid]}); keep one"
            )
            continue
        seen[sid] = row.row
        st = types[type_id]
        new_needed = st.needed if needed is None else needed
        new_wanted = max(st.wanted, new_needed) if wanted is None else wanted
        if new_wanted < new_needed:
            issues.add(
                row.where("wanted"),
                f"wanted ({new_wanted}) must be at least needed ({new_needed})",
            )
            continue
        demand.append(
            DemandChange(
                sid, new_needed, new_wanted, row.get("reason", ""), f"{row.sheet}!{row.row}"
            )
        )
    _sort_issues(issues)
    issues.raise_if_any()
    return Changes(tuple(absences), tuple(demand))


def write_changes_template(path: str | os.PathLike[str]) -> Path:
    """A blank changes workbook: README, the three sheets with headers, notes and dropdowns
    (no example rows: an example left in would be read as a real change)."""
    from openpyxl import Workbook

    from ooh.excel import DATE_FORMAT, fit_widths, write_table
    from ooh.outputs import write_atomically
    from ooh.rota.io import _add_header_notes

    wb = Workbook()
    readme = wb.active
    assert readme is not None
    readme.title = "README"
    rows: list[list[Any]] = [
        [
            "What this is",
            "Changes to a published rota, for `ooh rota repair inputs.xlsx rota.xlsx "
            "--changes changes.xlsx -o rota-v2.xlsx`. Fill any of the sheets; leave the others "
            "empty or delete them.",
        ]
    ]
    for spec in CHANGE_SHEETS:
        rows.append([spec.name, spec.help])
        for column in spec.columns:
            example = column.example
            shown = example.isoformat() if isinstance(example, date) else example
            rows.append([f"{spec.name}: {column.header}", f"{column.help} Example: {shown}"])
    write_table(readme, ["Item", "Explanation"], rows, autofilter=False)
    fit_widths(readme, {"Item": 30, "Explanation": 110})
    for spec in CHANGE_SHEETS:
        ws = wb.create_sheet(spec.name)
        write_table(ws, [c.header for c in spec.columns], [])
        _add_header_notes(ws, spec.columns)
        for col, column in enumerate(spec.columns, start=1):
            if column.kind == "date":
                letter = ws.cell(row=1, column=col).column_letter
                for r in range(2, 200):
                    ws[f"{letter}{r}"].number_format = DATE_FORMAT
        fit_widths(ws, {c.header: 16 for c in spec.columns if c.kind == "date"})
    write_atomically(path, wb.save)
    return Path(path)


# ---- applying the changes -------------------------------------------------------------------


@dataclass
class Prepared:
    """The inputs with the changes applied, ready to re-solve."""

    data: RotaData
    shifts: list[Shift]  # dated shifts, with the changed demand
    absent: dict[tuple[str, date], Absence]  # (clinician, date) newly unavailable -> why
    demand: dict[str, DemandChange]  # shift id -> its demand change
    dropped_fixed: list[FixedBooking] = field(default_factory=list)


def apply_changes(data: RotaData, changes: Changes, as_of: date | None = None) -> Prepared:
    """New availability, demand and fixed bookings; nothing before ``as_of`` changes."""
    from ooh.rota.calendar import build_shifts

    availability = dict(data.availability)
    absent: dict[tuple[str, date], Absence] = {}
    start = data.settings.period_start if as_of is None else max(as_of, data.settings.period_start)
    for a in changes.absences:
        day = max(a.first, start)
        while day <= min(a.last, data.settings.period_end):
            availability[(a.clinician, day)] = UNAVAILABLE
            absent.setdefault((a.clinician, day), a)
            day += timedelta(days=1)
    cut = {cid for cid, _ in absent}
    clinicians = tuple(
        replace(c, min_shifts=0) if c.id in cut and c.min_shifts else c for c in data.clinicians
    )
    kept_fixed = tuple(f for f in data.fixed if (f.clinician, f.date) not in absent)
    dropped = [f for f in data.fixed if (f.clinician, f.date) in absent]
    new_data = replace(data, availability=availability, clinicians=clinicians, fixed=kept_fixed)
    demand = {
        d.shift_id: d
        for d in changes.demand
        if as_of is None or date.fromisoformat(d.shift_id[:10]) >= as_of
    }
    shifts = [
        replace(s, type=replace(s.type, needed=demand[s.id].needed, wanted=demand[s.id].wanted))
        if s.id in demand
        else s
        for s in build_shifts(new_data)
    ]
    return Prepared(new_data, shifts, absent, demand, dropped)


# ---- repairing -------------------------------------------------------------------------------


CHANGE_HEADERS = (
    "Date",
    "Shift type",
    "Start",
    "End",
    "Clinician id",
    "Clinician name",
    "Change",
    "Reason",
)


@dataclass(frozen=True)
class ChangeRow:
    """One assignment removed from or added to the rota, and why."""

    shift_id: str
    clinician: str
    change: str  # removed, added, moved off, moved on
    reason: str


@dataclass
class Repair:
    prepared: Prepared
    previous: list[Assignment]
    result: Result
    changes: list[ChangeRow]

    @property
    def people_changed(self) -> list[str]:
        return sorted({r.clinician for r in self.changes})

    @property
    def people_changed_unaffected(self) -> list[str]:
        """People whose shifts changed though the changes did not name them."""
        named = {cid for cid, _ in self.prepared.absent}
        return [c for c in self.people_changed if c not in named]


def repair(
    data: RotaData,
    previous: Sequence[Assignment],
    changes: Changes,
    *,
    as_of: date | None = None,
    params: Any = None,
    progress: Callable[[str], None] | None = None,
) -> Repair:
    """Re-solve with the changes, keeping as much of ``previous`` as the rules allow.

    Raises ``OohError`` when an assignment that cannot move (before ``as_of``) no longer
    fits the inputs, or when the hard rules contradict each other."""
    from ooh.rota.check import assignment_breaches
    from ooh.rota.solve import SolveParams, solve

    prepared = apply_changes(data, changes, as_of)
    pdata, shifts = prepared.data, prepared.shifts
    by_id = {s.id: s for s in shifts}
    clinicians = {c.id: c for c in pdata.clinicians}
    frozen_problems = []
    if as_of is not None:
        for a in previous:
            s = by_id.get(a.shift_id)
            if s is None or s.date >= as_of:
                continue
            for b in assignment_breaches(pdata, clinicians[a.clinician], s):
                frozen_problems.append(f"  - {b.message}")
    if frozen_problems:
        raise OohError(
            f"assignments before --as-of {as_of} cannot move but break the inputs' rules:\n"
            + "\n".join(frozen_problems)
            + "\nCorrect the rota's Assignments sheet or the inputs, or give an earlier --as-of."
        )
    result = solve(
        pdata,
        params if params is not None else SolveParams(),
        progress,
        shifts,
        previous=list(previous),
        frozen_before=as_of,
    )
    if result.status is Status.CONFLICT:
        lines = "\n".join(f"  - {line}" for line in result.conflicts) or "  (no detail given)"
        raise OohError(
            "after the changes the hard rules contradict each other, so no rota can obey them "
            f"all; no rota written. Fix these in the inputs or the changes:\n{lines}"
        )
    if result.status is Status.NO_SOLUTION:
        raise OohError(
            "no repaired rota found within the time limit; no rota written. "
            "Run again with a longer --time-limit."
        )
    rows = change_rows(prepared, previous, result.assignments)
    return Repair(prepared, list(previous), result, rows)


def change_rows(
    prepared: Prepared, previous: Sequence[Assignment], assignments: Sequence[Assignment]
) -> list[ChangeRow]:
    """Every assignment removed or added, shift by shift, with its reason in words."""
    before = set(previous)
    after = set(assignments)
    removed = before - after
    added = after - before
    by_id = {s.id: s for s in prepared.shifts}
    fixed_dropped = {(f.clinician, f.date, f.shift_type) for f in prepared.dropped_fixed}
    added_by_person: dict[str, list[str]] = defaultdict(list)
    removed_by_person: dict[str, list[str]] = defaultdict(list)
    removed_from: dict[str, list[str]] = defaultdict(list)
    for a in sorted(added, key=lambda a: a.shift_id):
        added_by_person[a.clinician].append(a.shift_id)
    for a in sorted(removed, key=lambda a: a.shift_id):
        removed_by_person[a.clinician].append(a.shift_id)
        removed_from[a.shift_id].append(a.clinician)
    forced: dict[Assignment, str] = {}
    for a in removed:
        s = by_id.get(a.shift_id)
        if s is None:
            forced[a] = "no such shift runs in the period"
            continue
        absence = prepared.absent.get((a.clinician, s.date))
        if absence is not None:
            text = absence.describe()
            if (a.clinician, s.date, s.type.id) in fixed_dropped:
                text += "; fixed booking dropped"
            forced[a] = text

    def moved(cid: str) -> bool:
        forced_only = all(Assignment(sid, cid) in forced for sid in removed_by_person.get(cid, []))
        return (
            bool(added_by_person.get(cid))
            and bool(removed_by_person.get(cid))
            and not (forced_only)
        )

    rows: list[ChangeRow] = []
    for a in removed:
        if a in forced:
            reason = forced[a]
        elif a.shift_id in prepared.demand and prepared.demand[a.shift_id].wanted < len(
            [p for p in before if p.shift_id == a.shift_id]
        ):
            cut = prepared.demand[a.shift_id]
            reason = f"demand cut to {cut.wanted} place(s)" + (
                f" ({cut.reason})" if cut.reason else ""
            )
        elif added_by_person.get(a.clinician):
            reason = "moved to " + ", ".join(added_by_person[a.clinician])
        else:
            reason = "released so the rota stays within the rules after the changes"
        rows.append(
            ChangeRow(
                a.shift_id,
                a.clinician,
                "moved off" if moved(a.clinician) and a not in forced else "removed",
                reason,
            )
        )
    for a in added:
        gone = [c for c in removed_from.get(a.shift_id, []) if c != a.clinician]
        more = prepared.demand.get(a.shift_id)
        if gone:
            parts = []
            for cid in gone:
                why = forced.get(Assignment(a.shift_id, cid))
                if why is None and added_by_person.get(cid):
                    why = "moved to " + ", ".join(added_by_person[cid])
                parts.append(f"{cid} ({why})" if why else cid)
            reason = "covers " + "; ".join(parts)
        elif more is not None:
            reason = f"new demand: {more.needed} required, {more.wanted} target place(s)" + (
                f" ({more.reason})" if more.reason else ""
            )
        else:
            reason = "fills a place that was open"
        rows.append(
            ChangeRow(
                a.shift_id, a.clinician, "moved on" if moved(a.clinician) else "added", reason
            )
        )
    order = {s.id: i for i, s in enumerate(prepared.shifts)}
    rows.sort(
        key=lambda r: (
            order.get(r.shift_id, len(order)),
            r.shift_id,
            r.change not in ("removed", "moved off"),
            r.clinician,
        )
    )
    return rows


def change_table(prepared: Prepared, rows: Sequence[ChangeRow]) -> list[list[Any]]:
    """The Changes sheet's rows (``CHANGE_HEADERS``)."""
    by_id = {s.id: s for s in prepared.shifts}
    names = {c.id: c.name for c in prepared.data.clinicians}
    table = []
    for r in rows:
        s = by_id.get(r.shift_id)
        day, _, type_id = r.shift_id.partition("/")
        table.append(
            [
                s.date if s else date.fromisoformat(day),
                type_id,
                s.start if s else None,
                s.end if s else None,
                r.clinician,
                names.get(r.clinician, ""),
                r.change,
                r.reason,
            ]
        )
    return table


def repair_and_write(
    inputs_path: Path,
    rota_path: Path,
    changes_path: Path,
    output_path: Path,
    *,
    as_of: date | None = None,
    time_limit: float = 60.0,
    seed: int = 0,
    workers: int = 2,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Read the three workbooks, repair, check, write the new rota; a JSON-able summary."""
    from ooh.outputs import file_sha256
    from ooh.rota.check import check_rota
    from ooh.rota.io import read_workbook
    from ooh.rota.output import gaps_for, read_assignments, write_rota_workbook
    from ooh.rota.run import summary
    from ooh.rota.solve import SolveParams

    data = read_workbook(inputs_path)
    if as_of is not None and not (
        data.settings.period_start <= as_of <= data.settings.period_end + timedelta(days=1)
    ):
        raise OohError(
            f"--as-of {as_of.isoformat()} is outside the rota period "
            f"({data.settings.period_start.isoformat()} to "
            f"{data.settings.period_end.isoformat()})"
        )
    previous = read_assignments(rota_path, data)
    changes = read_changes(changes_path, data)
    params = SolveParams(time_limit=time_limit, seed=seed, workers=workers)
    done = repair(data, previous, changes, as_of=as_of, params=params, progress=progress)
    result, prepared = done.result, done.prepared
    # Never trust the solver's own verdict: the independent checker has the last word.
    result.breaches = check_rota(prepared.data, result.assignments, prepared.shifts)
    result.gaps = gaps_for(prepared.data, prepared.shifts, result)
    if as_of is not None:  # open places in the past are history, not work for a locum agency
        result.gaps = [
            replace(g, reason=f"already past (before {as_of.isoformat()}): {g.reason}")
            if g.shift_id[:10] < as_of.isoformat()
            else g
            for g in result.gaps
        ]
    for key, value in (("time_limit", time_limit), ("seed", seed), ("workers", workers)):
        result.params.setdefault(key, value)
    run_info: dict[str, object] = {
        "Input file": inputs_path.name,
        "Input SHA-256": file_sha256(inputs_path),
        "Previous rota": rota_path.name,
        "Previous rota SHA-256": file_sha256(rota_path),
        "Changes file": changes_path.name,
        "Changes SHA-256": file_sha256(changes_path),
        "As of (dates before never move)": as_of if as_of is not None else "not given",
        "People whose shifts changed": len(done.people_changed),
        "... of whom not named in the changes": len(done.people_changed_unaffected),
        "Assignments removed": sum(r.change in ("removed", "moved off") for r in done.changes),
        "Assignments added": sum(r.change in ("added", "moved on") for r in done.changes),
    }
    write_rota_workbook(
        prepared.data,
        result,
        output_path,
        run_info,
        shifts=prepared.shifts,
        extra_sheets=[("Changes", list(CHANGE_HEADERS), change_table(prepared, done.changes))],
    )
    out = summary(
        result,
        shifts_required=sum(s.type.needed for s in prepared.shifts),
        output=output_path,
    )
    out["people_changed"] = done.people_changed
    out["people_changed_not_named_in_changes"] = done.people_changed_unaffected
    out["changes"] = [
        {"shift": r.shift_id, "clinician": r.clinician, "change": r.change, "reason": r.reason}
        for r in done.changes
    ]
    return out


__all__ = [
    "Absence",
    "ChangeRow",
    "Changes",
    "DemandChange",
    "Prepared",
    "Repair",
    "apply_changes",
    "change_rows",
    "read_changes",
    "repair",
    "repair_and_write",
    "write_changes_template",
]
