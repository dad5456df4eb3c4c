"""Read a Curtois & Qu shift-scheduling instance (schedulingbenchmarks.org text format).

Two steps, kept apart so the evaluator never depends on the engine's data model:
``read_instance`` parses the file into plain records (``NrpInstance``), and ``to_rota_data``
translates those records into the engine's ``RotaData``, rule for rule:

- day 0 is a Monday: the period starts on ``PERIOD_START`` (a Monday) and every shift line
  runs every day, bank holidays included;
- every line starts at 06:00, so no shift is a night and two shifts on one date overlap
  (at most one shift a day); the engine's own minimum rest and night rules are switched off,
  and CannotFollow becomes the engine's ``Rules.cannot_follow`` rest rule between lines;
- MaxShifts per type, Min/MaxTotalMinutes, Max/MinConsecutiveShifts, MinConsecutiveDaysOff
  and MaxWeekends become the clinician's limits of the same meaning;
- days off are unavailability; on/off requests are weighted requests (1 point per weight);
- cover rows are dated cover with soft under/over weights (``ShiftType.under_weight``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from pathlib import Path

from ooh.errors import InputError, Issue
from ooh.rota.data import (
    UNAVAILABLE,
    Clinician,
    Cover,
    Request,
    RotaData,
    Rules,
    Settings,
    ShiftType,
    Site,
    Weights,
)

PERIOD_START = date(2024, 1, 1)  # a Monday, as the format's day 0
SHIFT_START = time(6, 0)  # no shift of up to 17 h then counts as a night
SITE = "BENCH"
ROLE = "staff"


@dataclass(frozen=True)
class NrpShift:
    id: str
    minutes: int
    cannot_follow: tuple[str, ...]  # shift ids that may not be worked the next day


@dataclass(frozen=True)
class NrpStaff:
    id: str
    max_shifts: dict[str, int]  # per shift id
    max_minutes: int
    min_minutes: int
    max_consecutive: int
    min_consecutive: int
    min_days_off: int
    max_weekends: int


@dataclass(frozen=True)
class NrpRequest:
    staff: str
    day: int
    shift: str
    weight: int


@dataclass(frozen=True)
class NrpCover:
    day: int
    shift: str
    requirement: int
    under: int
    over: int


@dataclass
class NrpInstance:
    """The file's content, as written (no engine types)."""

    name: str
    horizon: int
    shifts: list[NrpShift]
    staff: list[NrpStaff]
    days_off: dict[str, set[int]] = field(default_factory=dict)
    on_requests: list[NrpRequest] = field(default_factory=list)
    off_requests: list[NrpRequest] = field(default_factory=list)
    cover: list[NrpCover] = field(default_factory=list)


def _sections(path: Path) -> dict[str, list[tuple[int, list[str]]]]:
    """Section name -> (line number, comma-split fields) of its data rows."""
    sections: dict[str, list[tuple[int, list[str]]]] = {}
    current: str | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            current = line
            sections.setdefault(current, [])
            continue
        if current is None:
            raise InputError([Issue(f"{path}:{number}", "data before the first SECTION_ line")])
        sections[current].append((number, [f.strip() for f in line.split(",")]))
    return sections


def read_instance(path: str | Path) -> NrpInstance:
    """Parse one instance file; a malformed row raises InputError naming file and line."""
    path = Path(path)
    if not path.is_file():
        raise InputError([Issue(str(path), "no such instance file")])
    sections = _sections(path)
    issues: list[Issue] = []

    def rows(name: str) -> list[tuple[int, list[str]]]:
        return sections.get(name, [])

    def number(where: int, text: str) -> int:
        try:
            return int(text)
        except ValueError:
            issues.append(Issue(f"{path}:{where}", f"expected a whole number, found {text!r}"))
            return 0

    horizon_rows = rows("SECTION_HORIZON")
    if len(horizon_rows) != 1:
        raise InputError([Issue(str(path), "SECTION_HORIZON must hold exactly one number")])
    horizon = number(horizon_rows[0][0], horizon_rows[0][1][0])

    shifts = []
    for where, f in rows("SECTION_SHIFTS"):
        follow = tuple(s for s in (f[2].split("|") if len(f) > 2 else []) if s)
        shifts.append(NrpShift(f[0], number(where, f[1]), follow))

    staff = []
    for where, f in rows("SECTION_STAFF"):
        if len(f) != 8:
            issues.append(Issue(f"{path}:{where}", f"staff row needs 8 fields, has {len(f)}"))
            continue
        limits = {}
        for part in filter(None, f[1].split("|")):
            sid, _, value = part.partition("=")
            limits[sid] = number(where, value)
        n = [number(where, v) for v in f[2:]]
        staff.append(NrpStaff(f[0], limits, *n))

    days_off = {
        f[0]: {number(where, d) for d in f[1:] if d} for where, f in rows("SECTION_DAYS_OFF")
    }

    def requests(name: str) -> list[NrpRequest]:
        return [
            NrpRequest(f[0], number(where, f[1]), f[2], number(where, f[3]))
            for where, f in rows(name)
        ]

    cover = [
        NrpCover(number(w, f[0]), f[1], number(w, f[2]), number(w, f[3]), number(w, f[4]))
        for w, f in rows("SECTION_COVER")
    ]
    if issues:
        raise InputError(issues)
    return NrpInstance(
        name=path.stem,
        horizon=horizon,
        shifts=shifts,
        staff=staff,
        days_off=days_off,
        on_requests=requests("SECTION_SHIFT_ON_REQUESTS"),
        off_requests=requests("SECTION_SHIFT_OFF_REQUESTS"),
        cover=cover,
    )


def day_date(day: int) -> date:
    return PERIOD_START + timedelta(days=day)


def to_rota_data(inst: NrpInstance) -> RotaData:
    """The instance as engine input: the same rules, in the engine's general terms."""
    if inst.horizon % 7:
        raise InputError([Issue(inst.name, f"horizon {inst.horizon} is not whole weeks")])
    shift_types = tuple(
        ShiftType(
            id=s.id,
            site=SITE,
            role=ROLE,
            start=SHIFT_START,
            end=_clock(SHIFT_START, s.minutes),
            days=frozenset(range(7)),
            bank_holidays=True,
            needed=0,
            wanted=0,
            under_weight=0,  # no cover row: nobody needed, nobody extra is penalised
            over_weight=0,
            name=s.id,
        )
        for s in inst.shifts
    )
    clinicians = tuple(
        Clinician(
            id=p.id,
            name=p.id,
            practice=None,
            role=ROLE,
            max_hours_per_week=7 * 24,  # the benchmark limits hours over the period only
            max_weekends=p.max_weekends,
            min_period_hours=p.min_minutes / 60,
            max_period_hours=p.max_minutes / 60,
            max_shifts_by_type=tuple(sorted(p.max_shifts.items())),
            max_consecutive_days=p.max_consecutive,
            min_consecutive_days=p.min_consecutive,
            min_consecutive_days_off=p.min_days_off,
        )
        for p in inst.staff
    )
    availability = {
        (sid, day_date(d)): UNAVAILABLE for sid, days in inst.days_off.items() for d in days
    }
    requests = tuple(
        Request(r.staff, day_date(r.day), r.shift, want=want, weight=r.weight)
        for want, rows in ((True, inst.on_requests), (False, inst.off_requests))
        for r in rows
    )
    cover = tuple(
        Cover(day_date(c.day), c.shift, c.requirement, c.requirement, c.under, c.over)
        for c in inst.cover
    )
    weights = Weights(
        target=0,
        practice_fair_share=0,
        clinician_hours=0,
        clinician_nights=0,
        clinician_weekends=0,
        clinician_bank_holidays=0,
        requests=1,
        preferences=0,
        cost=0,
        locum=0,
    )
    rules = Rules(
        min_rest_hours=0,
        rest_after_nights_hours=0,
        max_consecutive_nights=inst.horizon,
        max_consecutive_days=inst.horizon,
        weights=weights,
        cannot_follow=frozenset((s.id, nxt) for s in inst.shifts for nxt in s.cannot_follow),
    )
    return RotaData(
        settings=Settings(period_start=PERIOD_START, weeks=inst.horizon // 7),
        practices=(),
        sites=(Site(SITE, "Benchmark"),),
        clinicians=clinicians,
        shift_types=shift_types,
        availability=availability,
        requests=requests,
        rules=rules,
        cover=cover,
    )


def _clock(start: time, minutes: int) -> time:
    total = start.hour * 60 + start.minute + minutes
    if not 0 < minutes < 17 * 60:
        raise InputError([Issue("SECTION_SHIFTS", f"shift length {minutes} min not supported")])
    return time((total // 60) % 24, total % 60)
