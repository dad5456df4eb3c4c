"""Summaries of a rota as pandas DataFrames: the tables behind the output workbook.

Definitions (one place for each): a shift's hours are its length; its cost is
``hours x clinician's hourly rate x shift line's pay multiplier``, and its premium the part
above the plain rate. *Member* hours are those worked by clinicians carried by a member
practice (not locums), the same pool the solver's fair-share goal uses; a practice's fair
share of them is its share of the federation's registered list size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from ooh.rota.data import (
    Assignment,
    AvailabilityKind,
    Clinician,
    Gap,
    RotaData,
    Shift,
    ShiftType,
)

if TYPE_CHECKING:
    import pandas as pd


def shift_cost(c: Clinician, s: Shift) -> float:
    return s.hours * c.hourly_rate * s.type.pay_multiplier


def shift_premium(c: Clinician, s: Shift) -> float:
    return s.hours * c.hourly_rate * (s.type.pay_multiplier - 1)


def is_member(data: RotaData, c: Clinician) -> bool:
    """Carried by a member practice (so counted in its contribution), not a locum."""
    return not c.is_locum and c.practice in {p.code for p in data.practices}


def _pairs(
    data: RotaData, shifts: Sequence[Shift], assignments: Iterable[Assignment]
) -> list[tuple[Shift, Clinician]]:
    """Known (shift, clinician) pairs in shift order, each once; unknown ids are the
    checker's business and are left out of the summaries."""
    by_shift = {s.id: s for s in shifts}
    by_clinician = {c.id: c for c in data.clinicians}
    order = {s.id: i for i, s in enumerate(shifts)}
    seen: set[tuple[str, str]] = set()
    pairs: list[tuple[Shift, Clinician]] = []
    for a in assignments:
        if (a.shift_id, a.clinician) in seen:
            continue
        seen.add((a.shift_id, a.clinician))
        s, c = by_shift.get(a.shift_id), by_clinician.get(a.clinician)
        if s is not None and c is not None:
            pairs.append((s, c))
    pairs.sort(key=lambda p: (order[p[0].id], p[1].id))
    return pairs


def _round(value: float, digits: int = 2) -> float:
    return round(value + 0.0, digits)


# ---- long table ---------------------------------------------------------------------------

ASSIGNMENT_COLUMNS = [
    "Date",
    "Shift type",
    "Start",
    "End",
    "Site",
    "Role",
    "Clinician id",
    "Name",
    "Practice",
    "Hours",
    "Night",
    "Weekend",
    "Bank holiday",
    "Cost £",
]


def assignment_table(
    data: RotaData, shifts: Sequence[Shift], assignments: Iterable[Assignment]
) -> pd.DataFrame:
    """One row per person per shift, in shift order."""
    import pandas as pd

    rows = [
        [
            s.date,
            s.type.id,
            s.start,
            s.end,
            s.type.site,
            s.type.role,
            c.id,
            c.name,
            c.practice or ("locum" if c.is_locum else ""),
            _round(s.hours),
            "yes" if s.is_night else "",
            "yes" if s.is_weekend else "",
            "yes" if s.is_bank_holiday else "",
            _round(shift_cost(c, s)),
        ]
        for s, c in _pairs(data, shifts, assignments)
    ]
    return pd.DataFrame(rows, columns=ASSIGNMENT_COLUMNS)


# ---- practice contribution ----------------------------------------------------------------


def practice_contribution(
    data: RotaData, shifts: Sequence[Shift], assignments: Iterable[Assignment]
) -> pd.DataFrame:
    """Each member practice's hours against its list-size share of all member hours."""
    import pandas as pd

    hours: dict[str, float] = defaultdict(float)
    for s, c in _pairs(data, shifts, assignments):
        if is_member(data, c) and c.practice:
            hours[c.practice] += s.hours
    offering: dict[str, int] = defaultdict(int)
    for c in data.clinicians:
        if is_member(data, c) and c.practice:
            offering[c.practice] += 1
    total_list = sum(p.list_size for p in data.practices)
    total_hours = sum(hours.values())
    rows = []
    for p in data.practices:
        list_share = p.list_size / total_list if total_list else 0.0
        hour_share = hours[p.code] / total_hours if total_hours else 0.0
        fair = list_share * total_hours
        rows.append(
            [
                p.code,
                p.name,
                p.list_size,
                _round(100 * list_share),
                offering[p.code],
                _round(hours[p.code]),
                _round(100 * hour_share),
                _round(fair),
                _round(hours[p.code] - fair),
                _round(100 * (hour_share - list_share)),
            ]
        )
    return pd.DataFrame(
        rows,
        columns=[
            "Practice",
            "Name",
            "List size",
            "List share %",
            "Clinicians offered",
            "Hours worked",
            "Share of member hours %",
            "Fair-share hours",
            "Difference (h)",
            "Difference (% points)",
        ],
    )


# ---- clinicians -----------------------------------------------------------------------------


def clinician_summary(
    data: RotaData, shifts: Sequence[Shift], assignments: Iterable[Assignment]
) -> pd.DataFrame:
    """Each clinician's load against their limits and against what they offered."""
    import pandas as pd

    mine: dict[str, list[Shift]] = defaultdict(list)
    for s, c in _pairs(data, shifts, assignments):
        mine[c.id].append(s)
    dates = data.settings.dates
    rows = []
    for c in data.clinicians:
        worked = mine[c.id]
        per_day: dict[date, float] = defaultdict(float)
        for s in worked:
            per_day[s.date] += s.hours
        busiest = max(
            (sum(per_day[d] for d in dates[i : i + 7]) for i in range(max(1, len(dates) - 6))),
            default=0.0,
        )
        night_dates = sorted({s.date for s in worked if s.is_night})
        offered = [
            d
            for d in dates
            if data.availability_of(c.id, d).kind is not AvailabilityKind.UNAVAILABLE
        ]
        worked_dates = {s.date for s in worked}
        rows.append(
            [
                c.id,
                c.name,
                c.practice or "",
                c.role,
                "yes" if c.is_locum else "",
                len(worked),
                c.min_shifts,
                c.max_shifts,
                _round(sum(s.hours for s in worked)),
                _round(busiest),
                c.max_hours_per_week,
                len(night_dates),
                _longest_run(night_dates),
                data.max_consecutive_nights(c),
                sum(1 for s in worked if s.is_weekend),
                len({s.weekend_key for s in worked if s.is_weekend}),
                c.max_weekends,
                sum(1 for s in worked if s.is_bank_holiday),
                len(offered),
                len(worked_dates),
                _round(100 * len(worked_dates) / len(offered)) if offered else None,
                _round(sum(shift_cost(c, s) for s in worked)),
            ]
        )
    return pd.DataFrame(
        rows,
        columns=[
            "Clinician id",
            "Name",
            "Practice",
            "Role",
            "Locum",
            "Shifts",
            "Min shifts",
            "Max shifts",
            "Hours",
            "Busiest 7 days (h)",
            "Max hours per 7 days",
            "Nights",
            "Longest run of nights",
            "Max consecutive nights",
            "Weekend shifts",
            "Weekends worked",
            "Max weekends",
            "Bank-holiday shifts",
            "Dates offered",
            "Dates worked",
            "Worked % of offered dates",
            "Cost £",
        ],
    )


def _longest_run(days: Sequence[date]) -> int:
    best = run = 0
    previous: date | None = None
    for d in sorted(set(days)):
        run = run + 1 if previous is not None and (d - previous).days == 1 else 1
        best = max(best, run)
        previous = d
    return best


# ---- cost -----------------------------------------------------------------------------------


def cost_by_shift_line(
    data: RotaData, shifts: Sequence[Shift], assignments: Iterable[Assignment]
) -> pd.DataFrame:
    import pandas as pd

    runs: dict[str, int] = defaultdict(int)
    for s in shifts:
        runs[s.type.id] += 1
    filled: dict[str, int] = defaultdict(int)
    hours: dict[str, float] = defaultdict(float)
    cost: dict[str, float] = defaultdict(float)
    premium: dict[str, float] = defaultdict(float)
    for s, c in _pairs(data, shifts, assignments):
        filled[s.type.id] += 1
        hours[s.type.id] += s.hours
        cost[s.type.id] += shift_cost(c, s)
        premium[s.type.id] += shift_premium(c, s)
    rows = [
        [
            st.id,
            st.site,
            st.role,
            runs[st.id],
            filled[st.id],
            _round(hours[st.id]),
            st.pay_multiplier,
            _round(cost[st.id]),
            _round(premium[st.id]),
        ]
        for st in data.shift_types
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "Shift line",
            "Site",
            "Role",
            "Shifts run",
            "Places filled",
            "Hours",
            "Pay multiplier",
            "Cost £",
            "Premium £",
        ],
    )


def _group(data: RotaData, c: Clinician) -> str:
    if c.is_locum:
        return "Locum / agency"
    if is_member(data, c):
        return "Member practices"
    return "Salaried / unattached"


def cost_by_group(
    data: RotaData, shifts: Sequence[Shift], assignments: Iterable[Assignment]
) -> pd.DataFrame:
    """Members vs salaried vs locums: where the money goes."""
    import pandas as pd

    groups = ["Member practices", "Salaried / unattached", "Locum / agency"]
    hours = dict.fromkeys(groups, 0.0)
    cost = dict.fromkeys(groups, 0.0)
    premium = dict.fromkeys(groups, 0.0)
    for s, c in _pairs(data, shifts, assignments):
        g = _group(data, c)
        hours[g] += s.hours
        cost[g] += shift_cost(c, s)
        premium[g] += shift_premium(c, s)
    total = sum(cost.values())
    rows = [
        [
            g,
            _round(hours[g]),
            _round(cost[g]),
            _round(premium[g]),
            _round(100 * cost[g] / total) if total else 0.0,
        ]
        for g in groups
    ]
    rows.append(
        [
            "Total",
            _round(sum(hours.values())),
            _round(total),
            _round(sum(premium.values())),
            100.0 if total else 0.0,
        ]
    )
    return pd.DataFrame(rows, columns=["Group", "Hours", "Cost £", "Premium £", "Share of cost %"])


def cost_by_practice(
    data: RotaData, shifts: Sequence[Shift], assignments: Iterable[Assignment]
) -> pd.DataFrame:
    """Pay to each member practice's clinicians."""
    import pandas as pd

    hours: dict[str, float] = defaultdict(float)
    cost: dict[str, float] = defaultdict(float)
    for s, c in _pairs(data, shifts, assignments):
        if is_member(data, c) and c.practice:
            hours[c.practice] += s.hours
            cost[c.practice] += shift_cost(c, s)
    rows = [[p.code, p.name, _round(hours[p.code]), _round(cost[p.code])] for p in data.practices]
    return pd.DataFrame(rows, columns=["Practice", "Name", "Hours", "Cost £"])


# ---- grids ----------------------------------------------------------------------------------

GAP_TEXT = "UNFILLED"
TARGET_TEXT = "(open)"


@dataclass
class Grid:
    """A sheet-shaped table: header row, data rows, and which cells to highlight."""

    headers: list[str]
    rows: list[list[object]]
    required_gaps: set[tuple[int, int]] = field(default_factory=set)  # (row, col) 0-based
    target_gaps: set[tuple[int, int]] = field(default_factory=set)


def rota_grid(
    data: RotaData,
    shifts: Sequence[Shift],
    assignments: Iterable[Assignment],
    gaps: Iterable[Gap],
) -> Grid:
    """Dates down, shift lines across, names in the cells (one per line); an unfilled
    required place reads UNFILLED, an open target place "(open)"; blank where the line
    does not run."""
    names: dict[str, list[str]] = defaultdict(list)
    for s, c in _pairs(data, shifts, assignments):
        names[s.id].append(c.name)
    required: dict[str, int] = defaultdict(int)
    target: dict[str, int] = defaultdict(int)
    for g in gaps:
        (required if g.required else target)[g.shift_id] += 1
    by_day_type = {(s.date, s.type.id): s for s in shifts}
    lines = list(data.shift_types)
    grid = Grid(
        headers=["Date", "Bank holiday"] + [_line_header(st) for st in lines],
        rows=[],
    )
    holidays = {s.date for s in shifts if s.is_bank_holiday}
    for r, d in enumerate(data.settings.dates):
        row: list[object] = [d, "yes" if d in holidays else ""]
        for col, st in enumerate(lines, start=2):
            found = by_day_type.get((d, st.id))
            if found is None:
                row.append(None)
                continue
            sid = found.id
            cell = names[sid] + [GAP_TEXT] * required[sid] + [TARGET_TEXT] * target[sid]
            row.append("\n".join(cell))
            if required[sid]:
                grid.required_gaps.add((r, col))
            elif target[sid]:
                grid.target_gaps.add((r, col))
        grid.rows.append(row)
    return grid


def _line_header(st: ShiftType) -> str:
    return f"{st.id}\n{st.start:%H:%M}-{st.end:%H:%M}"


def clinician_grid(
    data: RotaData, shifts: Sequence[Shift], assignments: Iterable[Assignment]
) -> Grid:
    """Clinicians down, dates across, shift line ids in the cells."""
    cells: dict[tuple[str, date], list[str]] = defaultdict(list)
    for s, c in _pairs(data, shifts, assignments):
        cells[(c.id, s.date)].append(s.type.id)
    dates = data.settings.dates
    grid = Grid(
        headers=["Clinician id", "Name", "Practice", "Role"] + [f"{d:%a %d %b}" for d in dates],
        rows=[],
    )
    for c in data.clinicians:
        row: list[object] = [c.id, c.name, c.practice or "", c.role]
        for d in dates:
            row.append(", ".join(cells.get((c.id, d), [])) or None)
        grid.rows.append(row)
    return grid
