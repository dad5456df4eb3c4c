"""Tiny rota instances built in code for the solver tests, and small assertions on results."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date, time, timedelta

from ooh.rota.calendar import build_shifts
from ooh.rota.check import check_rota
from ooh.rota.data import (
    Availability,
    Clinician,
    FixedBooking,
    Practice,
    Request,
    Result,
    RotaData,
    Rules,
    Settings,
    Shift,
    ShiftType,
    Site,
)
from ooh.rota.solve import SolveParams, solve

# Monday 1 February 2027: no bank holiday anywhere in the UK in February or early March.
MONDAY = date(2027, 2, 1)
ALL_DAYS = frozenset(range(7))
FAST = SolveParams(time_limit=5.0, workers=1, seed=0)
# Rules that stay out of the way unless a test sets them: each test then sees one rule.
RELAXED = Rules(max_consecutive_days=28, max_consecutive_nights=28, rest_after_nights_hours=11.0)


def line(
    id: str,
    start: str,
    end: str,
    *,
    days: Iterable[int] = ALL_DAYS,
    role: str = "GP",
    site: str = "A",
    needed: int = 1,
    wanted: int | None = None,
    priority: int = 3,
    skills: Iterable[str] = (),
    pay: float = 1.0,
) -> ShiftType:
    """A shift line from 'HH:MM' times."""
    h1, m1 = map(int, start.split(":"))
    h2, m2 = map(int, end.split(":"))
    return ShiftType(
        id=id,
        site=site,
        role=role,
        start=time(h1, m1),
        end=time(h2, m2),
        days=frozenset(days),
        needed=needed,
        wanted=needed if wanted is None else wanted,
        priority=priority,
        skills=frozenset(skills),
        pay_multiplier=pay,
    )


def person(id: str, **kwargs: object) -> Clinician:
    fields: dict[str, object] = {
        "name": f"Dr {id}",
        "practice": "P1",
        "role": "GP",
        "max_hours_per_week": 168.0,
        "hourly_rate": 10.0,
    }
    fields.update(kwargs)
    if isinstance(fields.get("skills"), (set, list, tuple)):
        fields["skills"] = frozenset(fields["skills"])  # type: ignore[arg-type]
    if isinstance(fields.get("sites"), (set, list, tuple)):
        fields["sites"] = frozenset(fields["sites"])  # type: ignore[arg-type]
    return Clinician(id=id, **fields)  # type: ignore[arg-type]


def rota(
    clinicians: Iterable[Clinician],
    lines: Iterable[ShiftType],
    *,
    weeks: int = 1,
    start: date = MONDAY,
    availability: dict[tuple[str, date], Availability] | None = None,
    fixed: Iterable[FixedBooking] = (),
    requests: Iterable[Request] = (),
    rules: Rules | None = None,
    practices: Iterable[Practice] | None = None,
    **rule_changes: object,
) -> RotaData:
    """A RotaData with the given people and lines; rule_changes override Rules fields."""
    base = rules or RELAXED
    if rule_changes:
        base = replace(base, **rule_changes)  # type: ignore[arg-type]
    lines = tuple(lines)
    return RotaData(
        settings=Settings(period_start=start, weeks=weeks),
        practices=tuple(practices or (Practice("P1", "Practice One", 10_000),)),
        sites=tuple(Site(s, f"Site {s}") for s in sorted({t.site for t in lines})),
        clinicians=tuple(clinicians),
        shift_types=lines,
        availability=dict(availability or {}),
        requests=tuple(requests),
        fixed=tuple(fixed),
        rules=base,
    )


def day(n: int) -> date:
    return MONDAY + timedelta(days=n)


def run(data: RotaData, params: SolveParams = FAST, **kwargs: object) -> Result:
    """Solve and insist on the basics every rota must meet: legal, phase 1 proven."""
    result = solve(data, params, **kwargs)  # type: ignore[arg-type]
    assert result.breaches == [], [str(b) for b in result.breaches]
    assert check_rota(data, result.assignments) == []
    return result


def worked(result: Result, clinician: str | None = None) -> list[str]:
    """Shift ids worked (by one clinician, or by anyone), in order."""
    return [a.shift_id for a in result.assignments if clinician in (None, a.clinician)]


def people_on(result: Result) -> dict[str, list[str]]:
    on: dict[str, list[str]] = defaultdict(list)
    for a in result.assignments:
        on[a.shift_id].append(a.clinician)
    return on


def shifts_of(data: RotaData) -> dict[str, Shift]:
    return {s.id: s for s in build_shifts(data)}


def dates_worked(data: RotaData, result: Result, clinician: str) -> list[date]:
    by_id = shifts_of(data)
    return sorted(by_id[s].date for s in worked(result, clinician))


def longest_run(dates: Iterable[date], keep: Callable[[date], bool] = lambda d: True) -> int:
    best = run_len = 0
    previous: date | None = None
    for d in sorted(set(filter(keep, dates))):
        run_len = run_len + 1 if previous is not None and d - previous == timedelta(days=1) else 1
        best = max(best, run_len)
        previous = d
    return best


def family_alone(data: RotaData, family: Callable[..., None], maximise: bool = True) -> list[str]:
    """Post ONE rule family on the bare variables and maximise (or minimise) the number of
    assignments: shows what that family alone allows. Returns 'clinician@shift' strings."""
    from ortools.sat.python import cp_model

    from ooh.rota.model.variables import create_variables

    shifts = build_shifts(data)
    m = create_variables(data, shifts)
    family(m)
    total = sum(m.x.values())
    if maximise:
        m.model.maximize(total)
    else:
        m.model.minimize(total)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 5.0
    assert solver.solve(m.model) == cp_model.OPTIMAL
    return sorted(
        f"{data.clinicians[c].id}@{shifts[s].id}" for (c, s), v in m.x.items() if solver.value(v)
    )
