"""Plain data for the rota planner: what the reader produces and the solver consumes.

Nothing here imports ortools, pandas or openpyxl, so tests build instances in code.
All times are naive local (Europe/London wall-clock) datetimes; durations are whole minutes.

Definitions used everywhere (solver, checker, reports) live here so there is one meaning:
- a shift *belongs to the date it starts on* (availability, requests, working days, weekends);
- a *night* shift works at least ``NIGHT_MIN_MINUTES`` between 23:00 and 06:00 (the Working
  Time Regulations 1998 definition of night work: 3 hours of night time, 23:00-06:00 default);
- a *weekend* shift starts on a Saturday or Sunday; weekends are keyed by their Saturday;
- a *bank-holiday* shift starts on a bank holiday (only bank-holiday shift lines run then);
- lengths and rest gaps are *real elapsed time* (``real_utc``): a 23:00-08:00 night is 10 hours
  on the night the clocks go back and 8 on the night they go forward.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from functools import cached_property
from zoneinfo import ZoneInfo

from ooh.practice import Practice as Practice  # re-export: shared with gain-share

LONDON = ZoneInfo("Europe/London")  # shift times are wall-clock times in this zone
NIGHT_START = time(23, 0)
NIGHT_END = time(6, 0)
NIGHT_MIN_MINUTES = 180


WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
NATIONS = ("England", "Wales", "Scotland", "Northern Ireland")


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    postcode: str | None = None


@dataclass(frozen=True)
class Clinician:
    id: str
    name: str
    practice: str | None  # None: salaried or locum, not carried by a member practice
    role: str
    skills: frozenset[str] = frozenset()
    sites: frozenset[str] = frozenset()  # empty: any site
    max_hours_per_week: float = 48.0  # in any 7 consecutive days
    min_shifts: int = 0  # in the whole period
    max_shifts: int | None = None  # in the whole period
    max_consecutive_nights: int | None = None  # None: Rules.max_consecutive_nights
    max_weekends: int | None = None  # weekends worked in the period
    hourly_rate: float = 0.0  # GBP per hour before the shift's pay multiplier
    is_locum: bool = False  # agency/locum: used only when members cannot fill
    # contracted hours in the whole period (shift lengths summed; None: no upper limit)
    min_period_hours: float = 0.0
    max_period_hours: float | None = None
    # most shifts of each listed shift line in the period, e.g. (("NIGHT-A", 4),); 0: never
    max_shifts_by_type: tuple[tuple[str, int], ...] = ()
    max_consecutive_days: int | None = None  # None: Rules.max_consecutive_days
    # shortest run of working days / of days off between them; a run touching the first or
    # last date of the period is exempt (it may continue outside the period); 1: no limit
    min_consecutive_days: int = 1
    min_consecutive_days_off: int = 1


@dataclass(frozen=True)
class ShiftType:
    """A shift line: e.g. base GP evening at site A, 18:30-23:00 on weekdays."""

    id: str
    site: str
    role: str
    start: time
    end: time  # end <= start means the shift crosses midnight
    days: frozenset[int]  # 0=Mon .. 6=Sun, on dates that are not bank holidays
    bank_holidays: bool = False  # runs on bank holidays (whatever the weekday)
    needed: int = 1  # required places (minimum); an unfilled one is a gap
    wanted: int = 1  # target places (>= needed)
    priority: int = 3  # 1 (lowest) .. 5 (highest): which gaps hurt most
    pay_multiplier: float = 1.0
    skills: frozenset[str] = frozenset()  # all required
    name: str = ""
    # soft cover: points per person short of ``needed`` (None: required places are filled
    # first, lexicographically) and per person above ``wanted`` (None: ``wanted`` is a cap)
    under_weight: int | None = None
    over_weight: int | None = None

    @cached_property
    def minutes(self) -> int:
        start = self.start.hour * 60 + self.start.minute
        end = self.end.hour * 60 + self.end.minute
        return end - start if end > start else end - start + 24 * 60


class AvailabilityKind(Enum):
    AVAILABLE = "A"
    UNAVAILABLE = "U"  # unavailable or on leave
    PREFERS = "P"  # prefers to work
    PREFERS_NOT = "N"  # would rather not, but may be rostered
    ONLY = "S"  # available only for the listed shift types


@dataclass(frozen=True)
class Availability:
    kind: AvailabilityKind
    shift_types: frozenset[str] = frozenset()  # for ONLY

    def allows(self, shift_type: str) -> bool:
        if self.kind is AvailabilityKind.UNAVAILABLE:
            return False
        if self.kind is AvailabilityKind.ONLY:
            return shift_type in self.shift_types
        return True


AVAILABLE = Availability(AvailabilityKind.AVAILABLE)
UNAVAILABLE = Availability(AvailabilityKind.UNAVAILABLE)


@dataclass(frozen=True)
class Request:
    clinician: str
    date: date
    shift_type: str | None  # None: any shift that day
    want: bool  # True: wants to work it; False: wants to avoid it
    weight: int = 1


@dataclass(frozen=True)
class Cover:
    """Places on one dated shift, replacing its line's needed/wanted and cover weights that
    day (e.g. more doctors on Boxing Day). None keeps the line's value."""

    date: date
    shift_type: str
    needed: int
    wanted: int | None = None  # None: same as needed
    under_weight: int | None = None
    over_weight: int | None = None


@dataclass(frozen=True)
class FixedBooking:
    clinician: str
    date: date
    shift_type: str


@dataclass(frozen=True)
class Weights:
    """Soft-goal weights, in points. The solver minimises total points.

    Filling *required* places is not weighed: it comes first, lexicographically, so no soft
    goal can ever leave a required place empty that could be filled.
    """

    target: int = 400  # per unfilled target place above the required number (x priority)
    practice_fair_share: int = 30  # per hour a practice is away from its list-size share
    clinician_hours: int = 10  # per hour a clinician is away from their fair share of hours
    clinician_nights: int = 30  # per night away from fair share (of their role)
    clinician_weekends: int = 30  # per weekend shift away from fair share (of their role)
    clinician_bank_holidays: int = 40  # per bank-holiday shift away from fair share
    requests: int = 50  # per request weight unit not honoured
    preferences: int = 10  # per "prefers"/"prefers not" day not honoured
    # Fairness outweighs the pay differences between members (a few GBP an hour); locums,
    # at 100 points an hour on top of their pay, come only where members cannot fill.
    cost: int = 1  # per GBP of pay
    locum: int = 100  # per locum hour, on top of cost: members first


@dataclass(frozen=True)
class Rules:
    min_rest_hours: float = 11.0  # between the end of one shift and the start of the next
    rest_after_nights_hours: float = 46.0  # after a night before the next non-night shift
    max_consecutive_nights: int = 4  # default when a clinician has none
    max_consecutive_days: int = 6  # dates with a shift start, in a row
    max_shifts_per_week: int | None = None  # in any 7 consecutive days
    weights: Weights = field(default_factory=Weights)
    # (earlier, later): a shift of line ``later`` may not start the date after a shift of
    # line ``earlier`` (a rest rule between lines, e.g. no early straight after a late)
    cannot_follow: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True)
class Settings:
    period_start: date
    weeks: int = 4  # 1..13
    nation: str = "England"  # one of NATIONS; chooses the bank-holiday calendar
    blank_is_available: bool = True  # meaning of a blank availability cell

    @cached_property
    def dates(self) -> tuple[date, ...]:
        """Every date of the period (kept: the checker asks for them per clinician)."""
        return tuple(self.period_start + timedelta(days=i) for i in range(7 * self.weeks))

    @property
    def period_end(self) -> date:
        """Last date of the period (inclusive)."""
        return self.period_start + timedelta(days=7 * self.weeks - 1)


@dataclass(frozen=True)
class Shift:
    """One dated occurrence of a shift type: the unit the solver fills."""

    id: str  # "2026-12-24/BASE-A-EVE"
    type: ShiftType
    date: date
    start: datetime
    end: datetime
    is_bank_holiday: bool

    @cached_property
    def start_utc(self) -> datetime:
        return real_utc(self.start)

    @cached_property
    def end_utc(self) -> datetime:
        return real_utc(self.end)

    # the facts below are kept once worked out: explaining the gaps of a year-long rota
    # asks for them hundreds of millions of times
    @cached_property
    def minutes(self) -> int:
        """Real length in minutes (clock changes included)."""
        return int((self.end_utc - self.start_utc).total_seconds() // 60)

    @property
    def hours(self) -> float:
        return self.minutes / 60

    @cached_property
    def is_night(self) -> bool:
        return night_minutes(self.start, self.end) >= NIGHT_MIN_MINUTES

    @cached_property
    def is_weekend(self) -> bool:
        return self.date.weekday() >= 5

    @cached_property
    def weekend_key(self) -> dt.date | None:  # dt.: the field `date` shadows the type here
        """The Saturday of the weekend this shift falls in, or None on weekdays."""
        if not self.is_weekend:
            return None
        return self.date - timedelta(days=self.date.weekday() - 5)


def real_utc(local: datetime) -> datetime:
    """A Europe/London wall-clock time as UTC (times that occur twice: the first, fold=0)."""
    return local.replace(tzinfo=LONDON).astimezone(UTC)


def night_minutes(start: datetime, end: datetime) -> int:
    """Minutes of [start, end) that fall between NIGHT_START and NIGHT_END."""
    total = 0
    day = start.date() - timedelta(days=1)
    while datetime.combine(day, NIGHT_START) < end:
        night_from = datetime.combine(day, NIGHT_START)
        night_to = datetime.combine(day + timedelta(days=1), NIGHT_END)
        overlap = min(end, night_to) - max(start, night_from)
        total += max(0, int(overlap.total_seconds() // 60))
        day += timedelta(days=1)
    return total


@dataclass(frozen=True)
class RotaData:
    settings: Settings
    practices: tuple[Practice, ...]
    sites: tuple[Site, ...]
    clinicians: tuple[Clinician, ...]
    shift_types: tuple[ShiftType, ...]
    availability: dict[tuple[str, date], Availability] = field(default_factory=dict)
    requests: tuple[Request, ...] = ()
    fixed: tuple[FixedBooking, ...] = ()
    rules: Rules = field(default_factory=Rules)
    cover: tuple[Cover, ...] = ()  # dated overrides of the lines' places and cover weights

    def availability_of(self, clinician: str, day: date) -> Availability:
        """Availability of a clinician on a date, blank cells per the settings."""
        found = self.availability.get((clinician, day))
        if found is not None:
            return found
        return AVAILABLE if self.settings.blank_is_available else UNAVAILABLE

    def clinician(self, clinician_id: str) -> Clinician:
        for c in self.clinicians:
            if c.id == clinician_id:
                return c
        raise KeyError(clinician_id)

    def max_consecutive_nights(self, c: Clinician) -> int:
        if c.max_consecutive_nights is not None:
            return c.max_consecutive_nights
        return self.rules.max_consecutive_nights

    def max_consecutive_days(self, c: Clinician) -> int:
        if c.max_consecutive_days is not None:
            return c.max_consecutive_days
        return self.rules.max_consecutive_days


# ---- results -------------------------------------------------------------------------


@dataclass(frozen=True)
class Assignment:
    shift_id: str
    clinician: str


@dataclass(frozen=True)
class Gap:
    """An unfilled place. ``required`` places are gaps a coordinator must cover (locums);
    target places above the required number are reported too, marked not required."""

    shift_id: str
    place: int  # 1-based index of the place within the shift
    required: bool
    reason: str = ""


@dataclass(frozen=True)
class Breach:
    """A hard rule a rota breaks, found by the independent checker."""

    rule: str  # e.g. "min-rest", "availability", "overlap"
    clinician: str | None
    dates: tuple[date, ...]
    message: str
    shifts: tuple[str, ...] = ()  # ids of the shifts involved, when the rule is about shifts

    def __str__(self) -> str:
        return self.message


class Status(Enum):
    OPTIMAL = "optimal"  # proven best under the soft-goal weights
    FEASIBLE = "feasible"  # a legal rota, not proven best within the time limit
    CONFLICT = "conflict"  # the hard rules contradict each other; see Result.conflicts
    NO_SOLUTION = "no solution"  # none found within the time limit (rare: empty rota is legal)


@dataclass
class Result:
    status: Status
    assignments: list[Assignment]
    gaps: list[Gap]
    objective: float | None = None  # points (soft goals after filling required places)
    bound: float | None = None  # best proven lower bound on the objective
    runtime: float = 0.0  # seconds
    unfilled_required: int = 0
    conflicts: list[str] = field(default_factory=list)  # why the hard rules cannot all hold
    breaches: list[Breach] = field(default_factory=list)  # checker findings (must be empty)
    stopped_early: bool = False  # interrupted: best rota so far
    params: dict[str, object] = field(default_factory=dict)  # seed, workers, time limit, ...

    @property
    def gap_ratio(self) -> float | None:
        """Relative optimality gap (objective - bound) / objective, 0 when proven."""
        if self.objective is None or self.bound is None:
            return None
        if self.objective == 0:
            return 0.0
        return max(0.0, (self.objective - self.bound) / abs(self.objective))
