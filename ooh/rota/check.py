"""Independent checker: does a rota break any hard rule?

Written from the rule definitions in ``ooh.rota.data`` only, never from the solver, so that a
solver bug cannot hide itself: every solve, every test and ``ooh rota check`` (a rota edited
by hand in Excel included) run through here. Plain loops per clinician over their shifts
sorted by start: clarity beats speed (a 100-clinician, 4-week rota checks in milliseconds).

Rule ids (``Breach.rule``):

- ``unknown-shift``: the assignment names a shift that does not run in the period.
- ``unknown-clinician``: the assignment names a clinician not in the inputs.
- ``duplicate``: the same clinician is on the same shift more than once.
- ``over-staffed``: more people on a shift than it wants (its target places).
- ``availability``: rostered on a date they are unavailable or on leave, or on a shift type
  other than those they offered that day.
- ``role``: the clinician's role is not the role the shift line needs.
- ``skills``: the clinician lacks a skill the shift line requires.
- ``site``: the clinician does not work at the shift line's site.
- ``overlap``: two of a clinician's shifts overlap in time (shifts crossing midnight included).
- ``min-rest``: less than ``Rules.min_rest_hours`` between the end of one shift and the start
  of the next.
- ``rest-after-nights``: a non-night shift starts less than ``Rules.rest_after_nights_hours``
  after the end of an earlier night shift.
- ``max-hours-week``: more than the clinician's max hours in some 7 consecutive days (shifts
  counted on their start date; only windows lying fully inside the period).
- ``max-shifts-week``: more than ``Rules.max_shifts_per_week`` shifts in some 7 consecutive
  days (same windows).
- ``min-shifts`` / ``max-shifts``: fewer / more shifts in the period than the clinician's limits.
- ``max-consecutive-nights``: night shifts starting on more consecutive dates than allowed
  (the clinician's limit, else ``Rules.max_consecutive_nights``).
- ``max-consecutive-days``: shifts starting on more consecutive dates than
  ``Rules.max_consecutive_days``.
- ``max-weekends``: more weekends worked (a shift starting on its Saturday or Sunday) than the
  clinician's limit.
- ``fixed-booking``: a fixed booking is not in the rota (or names a shift that does not run).
- ``min-period-hours`` / ``max-period-hours``: fewer / more hours in the whole period than the
  clinician's contracted hours (``Clinician.min_period_hours`` / ``max_period_hours``).
- ``max-shifts-type``: more shifts of one shift line than ``Clinician.max_shifts_by_type``.
- ``min-consecutive-days`` / ``min-consecutive-days-off``: a run of working days / of days off
  shorter than the clinician's minimum, the run touching neither end of the period.
- ``cannot-follow``: a shift starts the date after a shift of a line it may not follow
  (``Rules.cannot_follow``).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import cast

from ooh.rota.calendar import build_shifts, shift_id
from ooh.rota.data import (
    NIGHT_MIN_MINUTES,
    Assignment,
    AvailabilityKind,
    Breach,
    Clinician,
    RotaData,
    Shift,
    night_minutes,
)

RULES: dict[str, str] = {
    "unknown-shift": "assignment to a shift that does not run in the period",
    "unknown-clinician": "assignment of a clinician not in the inputs",
    "duplicate": "same clinician twice on one shift",
    "over-staffed": "more people than the shift's target places",
    "availability": "rostered when unavailable, on leave, or on a shift type not offered",
    "role": "clinician's role differs from the shift line's role",
    "skills": "clinician lacks a required skill",
    "site": "clinician does not work at the shift's site",
    "overlap": "two shifts of one clinician overlap",
    "min-rest": "too little rest between two shifts",
    "rest-after-nights": "too little rest after a night shift before a non-night shift",
    "max-hours-week": "too many hours in 7 consecutive days",
    "max-shifts-week": "too many shifts in 7 consecutive days",
    "min-shifts": "fewer shifts in the period than the clinician's minimum",
    "max-shifts": "more shifts in the period than the clinician's maximum",
    "max-consecutive-nights": "too many nights in a row",
    "max-consecutive-days": "too many working days in a row",
    "max-weekends": "too many weekends worked",
    "fixed-booking": "a fixed booking is missing from the rota",
    "min-period-hours": "fewer hours in the period than contracted",
    "max-period-hours": "more hours in the period than contracted",
    "max-shifts-type": "more shifts of one shift line than allowed",
    "min-consecutive-days": "too short a run of working days",
    "min-consecutive-days-off": "too short a run of days off",
    "cannot-follow": "a shift the date after a shift it may not follow",
}


# ---- wording ----------------------------------------------------------------------------


def who(c: Clinician) -> str:
    """How a clinician is named in messages: id and name."""
    return f"{c.id} {c.name}".strip()


def day_text(d: date) -> str:
    return f"{d:%a} {d.isoformat()}"


def shift_text(s: Shift) -> str:
    """E.g. ``NIGHT-A on Tue 2027-01-05 23:00-08:00``."""
    return f"{s.type.id} on {day_text(s.date)} {s.start:%H:%M}-{s.end:%H:%M}"


def hours_text(minutes: float) -> str:
    hours, mins = divmod(int(round(minutes)), 60)
    return f"{hours}h{mins:02d}"


def _limit_text(value: float) -> str:
    return f"{value:g}"


# ---- per assignment ---------------------------------------------------------------------


def eligibility_breaches(c: Clinician, s: Shift) -> list[Breach]:
    """Role, skills and site: whether the clinician may ever work this shift line."""
    found: list[Breach] = []
    st = s.type
    where = (s.date,)
    ids = (s.id,)
    if c.role != st.role:
        found.append(
            Breach(
                "role",
                c.id,
                where,
                f"{who(c)} has role {c.role} but {shift_text(s)} needs role {st.role}",
                ids,
            )
        )
    missing = sorted(st.skills - c.skills)
    if missing:
        found.append(
            Breach(
                "skills",
                c.id,
                where,
                f"{who(c)} lacks skill {', '.join(missing)} needed for {shift_text(s)}",
                ids,
            )
        )
    if c.sites and st.site not in c.sites:
        found.append(
            Breach(
                "site",
                c.id,
                where,
                f"{who(c)} does not work at site {st.site} ({shift_text(s)}); "
                f"their sites: {', '.join(sorted(c.sites))}",
                ids,
            )
        )
    return found


def availability_breach(data: RotaData, c: Clinician, s: Shift) -> Breach | None:
    """Leave / unavailability, or a shift type they did not offer that day."""
    avail = data.availability_of(c.id, s.date)
    if avail.allows(s.type.id):
        return None
    if avail.kind is AvailabilityKind.ONLY:
        offered = ", ".join(sorted(avail.shift_types)) or "none"
        text = f"{who(c)} offered only {offered} on {day_text(s.date)} but is on {s.type.id}"
    else:
        text = (
            f"{who(c)} is unavailable or on leave on {day_text(s.date)} but is on {shift_text(s)}"
        )
    return Breach("availability", c.id, (s.date,), text, (s.id,))


# ---- per clinician ----------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _night_between(start: datetime, end: datetime) -> bool:
    return night_minutes(start, end) >= NIGHT_MIN_MINUTES


def _is_night(s: Shift) -> bool:
    """``Shift.is_night``, remembered: explaining gaps asks the same question many times."""
    return _night_between(s.start, s.end)


def by_start(s: Shift) -> tuple[datetime, str]:
    """The order of a clinician's shifts in every check: by start, then line."""
    return (s.start, s.type.id)


def _runs(days: Iterable[date]) -> list[list[date]]:
    """Maximal runs of consecutive dates."""
    runs: list[list[date]] = []
    last = 0  # ordinal of the last run's last date
    for d in sorted(set(days)):
        day = d.toordinal()
        if runs and day == last + 1:
            runs[-1].append(d)
        else:
            runs.append([d])
        last = day
    return runs


def _window_breaches(
    data: RotaData,
    c: Clinician,
    shifts: Sequence[Shift],
    rule: str,
    measure: str,
    limit: float,
) -> list[Breach]:
    """Windows of 7 consecutive days (fully inside the period) whose total (hours or shifts,
    each shift counted on its start date) exceeds ``limit``.

    Overlapping windows that break the limit are reported once, naming the worst window,
    so one heavy week is one breach, not seven.
    """
    first = data.settings.period_start
    n_days = 7 * data.settings.weeks
    per_day = [0.0] * n_days
    for s in shifts:
        index = (s.date - first).days
        if 0 <= index < n_days:
            per_day[index] += s.minutes if measure == "hours" else 1
    cap = limit * 60 if measure == "hours" else limit
    window = sum(per_day[:7])
    heavy: list[list[tuple[float, int]]] = []  # runs of consecutive heavy window starts
    for start in range(n_days - 6):
        if start:
            window += per_day[start + 6] - per_day[start - 1]
        if window > cap + 1e-9:
            if heavy and heavy[-1][-1][1] == start - 1:
                heavy[-1].append((window, start))
            else:
                heavy.append([(window, start)])

    found: list[Breach] = []
    for run in heavy:
        total, start = max(run, key=lambda item: item[0])
        begin = first + timedelta(days=start)
        end = begin + timedelta(days=6)
        inside = [s for s in shifts if begin <= s.date <= end]
        if measure == "hours":
            amount = f"{hours_text(total)} ({total / 60:g} h)"
            limit_words = f"{_limit_text(limit)} h"
        else:
            amount = f"{int(total)} shifts"
            limit_words = f"{int(limit)}"
        more = f"; {len(run) - 1} more overlapping 7-day window(s) too" if len(run) > 1 else ""
        found.append(
            Breach(
                rule,
                c.id,
                tuple(sorted({s.date for s in inside})),
                f"{who(c)} works {amount} in the 7 days {day_text(begin)} to {day_text(end)} "
                f"(limit {limit_words}){more}",
                tuple(s.id for s in inside),
            )
        )
    return found


def clinician_breaches(data: RotaData, c: Clinician, shifts: Iterable[Shift]) -> list[Breach]:
    """Every rule about one clinician's whole rota: the rules of their days (rest, 7-day
    windows, runs, lines that may not follow) and the period totals (shifts, hours,
    weekends, shifts per line).

    ``shifts`` are that clinician's shifts, each at most once. Per-assignment rules
    (availability, eligibility) are separate: see ``assignment_breaches``.
    """
    mine = sorted(shifts, key=by_start)
    return day_rule_breaches(data, c, mine) + period_total_breaches(data, c, mine)


def day_rule_breaches(data: RotaData, c: Clinician, mine: Sequence[Shift]) -> list[Breach]:
    """The rules about a clinician's days, each reaching only a few days from a shift (see
    ``ooh.rota.explain.reach_days``): overlap and rest, 7-day windows, runs of nights, of
    working days and of days off, and lines that may not follow each other.
    ``mine`` is sorted by start."""
    rules = data.rules
    found: list[Breach] = []

    # Overlap, min rest and rest after nights: each pair once, earlier start first. The list
    # is sorted by start, so once a later shift starts beyond every rest horizon we stop.
    rest = timedelta(hours=rules.min_rest_hours)
    night_rest = timedelta(hours=rules.rest_after_nights_hours)
    night = {s.id: _is_night(s) for s in mine}
    for i, a in enumerate(mine):
        horizon = a.end_utc + (max(rest, night_rest) if night[a.id] else rest)
        for b in mine[i + 1 :]:
            if b.start_utc >= horizon:
                break
            breach = rest_breach(data, c, a, b)
            if breach is not None:
                found.append(breach)

    # Hours and shifts in any 7 consecutive days.
    found += _window_breaches(data, c, mine, "max-hours-week", "hours", float(c.max_hours_per_week))
    if rules.max_shifts_per_week is not None:
        found += _window_breaches(
            data, c, mine, "max-shifts-week", "shifts", float(rules.max_shifts_per_week)
        )

    # Runs of nights and of working days (by start date).
    max_nights = data.max_consecutive_nights(c)
    nights = [s for s in mine if night[s.id]]
    for run in _runs(s.date for s in nights):
        if len(run) > max_nights:
            found.append(
                Breach(
                    "max-consecutive-nights",
                    c.id,
                    tuple(run),
                    f"{who(c)} works {len(run)} nights in a row, {day_text(run[0])} to "
                    f"{day_text(run[-1])} (limit {max_nights})",
                    tuple(s.id for s in nights if run[0] <= s.date <= run[-1]),
                )
            )
    max_days = data.max_consecutive_days(c)
    for run in _runs(s.date for s in mine):
        if len(run) > max_days:
            found.append(
                Breach(
                    "max-consecutive-days",
                    c.id,
                    tuple(run),
                    f"{who(c)} works {len(run)} days in a row, {day_text(run[0])} to "
                    f"{day_text(run[-1])} (limit {max_days})",
                    tuple(s.id for s in mine if run[0] <= s.date <= run[-1]),
                )
            )

    first, last = data.settings.period_start, data.settings.period_end
    worked = {s.date for s in mine}
    if c.min_consecutive_days > 1:
        for run in _runs(worked):
            if run[0] > first and run[-1] < last and len(run) < c.min_consecutive_days:
                found.append(
                    Breach(
                        "min-consecutive-days",
                        c.id,
                        tuple(run),
                        f"{who(c)} works only {len(run)} day(s) in a row from "
                        f"{day_text(run[0])} (minimum {c.min_consecutive_days})",
                        tuple(s.id for s in mine if run[0] <= s.date <= run[-1]),
                    )
                )
    if c.min_consecutive_days_off > 1:
        off = [d for d in data.settings.dates if d not in worked]
        for run in _runs(off):
            if run[0] > first and run[-1] < last and len(run) < c.min_consecutive_days_off:
                found.append(
                    Breach(
                        "min-consecutive-days-off",
                        c.id,
                        tuple(run),
                        f"{who(c)} has only {len(run)} day(s) off in a row from "
                        f"{day_text(run[0])} (minimum {c.min_consecutive_days_off})",
                    )
                )
    follow = data.rules.cannot_follow
    if follow:
        by_date: dict[date, list[Shift]] = defaultdict(list)
        for s in mine:
            by_date[s.date].append(s)
        for a in mine:
            for b in by_date.get(a.date + timedelta(days=1), []):
                breach = follow_breach(data, c, a, b)
                if breach is not None:
                    found.append(breach)
    return found


def rest_rule(data: RotaData, a: Shift, b: Shift) -> str | None:
    """The rest rule ``b`` breaks after ``a`` (``a`` starting no later): overlap, min-rest
    or rest-after-nights. Gaps are real elapsed time (UTC), so rest across a clock change
    is counted truly."""
    gap = b.start_utc - a.end_utc
    if gap < timedelta(0):
        return "overlap"
    if gap < timedelta(hours=data.rules.min_rest_hours):
        return "min-rest"
    if gap < timedelta(hours=data.rules.rest_after_nights_hours) and _is_night(a):
        return None if _is_night(b) else "rest-after-nights"
    return None


def rest_breach(data: RotaData, c: Clinician, a: Shift, b: Shift) -> Breach | None:
    """``rest_rule`` as a breach, in words."""
    rule = rest_rule(data, a, b)
    if rule is None:
        return None
    rest = hours_text((b.start_utc - a.end_utc).total_seconds() / 60)
    if rule == "overlap":
        message = f"{who(c)} has overlapping shifts: {shift_text(a)} and {shift_text(b)}"
    elif rule == "min-rest":
        message = (
            f"{who(c)} has only {rest} rest between {shift_text(a)} and {shift_text(b)} "
            f"(minimum {_limit_text(data.rules.min_rest_hours)} h)"
        )
    else:
        message = (
            f"{who(c)} starts {shift_text(b)} only {rest} after night shift {shift_text(a)} "
            f"(minimum {_limit_text(data.rules.rest_after_nights_hours)} h after nights)"
        )
    return Breach(rule, c.id, tuple(sorted({a.date, b.date})), message, (a.id, b.id))


def follows(data: RotaData, a: Shift, b: Shift) -> bool:
    """``b``'s line may not follow ``a``'s, and ``b`` is on the next day."""
    next_day = b.date == a.date + timedelta(days=1)
    return next_day and (a.type.id, b.type.id) in data.rules.cannot_follow


def follow_breach(data: RotaData, c: Clinician, a: Shift, b: Shift) -> Breach | None:
    """``follows`` as a breach, in words."""
    if not follows(data, a, b):
        return None
    message = (
        f"{who(c)} works {shift_text(b)} the day after {shift_text(a)}; "
        f"{b.type.id} may not follow {a.type.id}"
    )
    return Breach("cannot-follow", c.id, (a.date, b.date), message, (a.id, b.id))


@dataclass(frozen=True)
class PeriodTotals:
    """What the period-total rules read from one clinician's shifts (sorted by start)."""

    shifts: tuple[Shift, ...]
    ids: tuple[str, ...]
    dates: tuple[date, ...]  # each date worked, once
    minutes: int
    per_line: dict[str, int]
    weekends: frozenset[date]  # the Saturday of each weekend worked

    @classmethod
    def of(cls, mine: Sequence[Shift]) -> PeriodTotals:
        return cls(
            tuple(mine),
            tuple(s.id for s in mine),
            tuple(dict.fromkeys(s.date for s in mine)),
            sum(s.minutes for s in mine),
            dict(Counter(s.type.id for s in mine)),
            frozenset(cast(date, s.weekend_key) for s in mine if s.is_weekend),
        )

    def plus(self, s: Shift) -> PeriodTotals:
        """The totals with one more shift, without a pass over the others in Python
        (explaining gaps asks this for every eligible clinician of every open place)."""
        at = bisect_left(self.shifts, by_start(s), key=by_start)
        day = bisect_left(self.dates, s.date)
        new_date = day == len(self.dates) or self.dates[day] != s.date
        return PeriodTotals(
            (*self.shifts[:at], s, *self.shifts[at:]),
            (*self.ids[:at], s.id, *self.ids[at:]),
            (*self.dates[:day], s.date, *self.dates[day:]) if new_date else self.dates,
            self.minutes + s.minutes,
            {**self.per_line, s.type.id: self.per_line.get(s.type.id, 0) + 1},
            self.weekends | {s.weekend_key} if s.weekend_key else self.weekends,
        )


def period_total_breaches(
    data: RotaData, c: Clinician, mine: Sequence[Shift] | PeriodTotals
) -> list[Breach]:
    """The totals over the period: shifts, contracted hours, weekends, shifts per line."""
    totals = mine if isinstance(mine, PeriodTotals) else PeriodTotals.of(mine)
    shifts, ids, dates = totals.shifts, totals.ids, totals.dates
    found: list[Breach] = []

    if len(shifts) < c.min_shifts:
        found.append(
            Breach(
                "min-shifts",
                c.id,
                dates,
                f"{who(c)} has {len(shifts)} shifts in the period (minimum {c.min_shifts})",
                ids,
            )
        )
    if c.max_shifts is not None and len(shifts) > c.max_shifts:
        found.append(
            Breach(
                "max-shifts",
                c.id,
                dates,
                f"{who(c)} has {len(shifts)} shifts in the period (maximum {c.max_shifts})",
                ids,
            )
        )

    # Weekends worked.
    if c.max_weekends is not None and len(totals.weekends) > c.max_weekends:
        weekend_shifts = [s for s in shifts if s.is_weekend]
        found.append(
            Breach(
                "max-weekends",
                c.id,
                tuple(dict.fromkeys(s.date for s in weekend_shifts)),
                f"{who(c)} works {len(totals.weekends)} weekends (limit {c.max_weekends}): "
                + ", ".join(f"{d:%d %b}" for d in sorted(totals.weekends)),
                tuple(s.id for s in weekend_shifts),
            )
        )
    minutes = totals.minutes
    if minutes < round(c.min_period_hours * 60):
        found.append(
            Breach(
                "min-period-hours",
                c.id,
                dates,
                f"{who(c)} works {hours_text(minutes)} in the period "
                f"(contracted at least {_limit_text(c.min_period_hours)} h)",
                ids,
            )
        )
    if c.max_period_hours is not None and minutes > round(c.max_period_hours * 60):
        found.append(
            Breach(
                "max-period-hours",
                c.id,
                dates,
                f"{who(c)} works {hours_text(minutes)} in the period "
                f"(contracted at most {_limit_text(c.max_period_hours)} h)",
                ids,
            )
        )
    for line, limit in c.max_shifts_by_type:
        if totals.per_line.get(line, 0) > limit:
            of_line = [s for s in shifts if s.type.id == line]
            found.append(
                Breach(
                    "max-shifts-type",
                    c.id,
                    tuple(s.date for s in of_line),
                    f"{who(c)} has {len(of_line)} {line} shifts (maximum {limit})",
                    tuple(s.id for s in of_line),
                )
            )
    return found


def assignment_breaches(data: RotaData, c: Clinician, s: Shift) -> list[Breach]:
    """Rules about one clinician on one shift, whatever else they work."""
    found = eligibility_breaches(c, s)
    avail = availability_breach(data, c, s)
    if avail is not None:
        found.insert(0, avail)
    return found


# ---- whole rota -------------------------------------------------------------------------


def check_rota(
    data: RotaData,
    assignments: Iterable[Assignment],
    shifts: list[Shift] | None = None,
) -> list[Breach]:
    """Every breach of a hard rule in a rota, in a stable order (rota-wide, then per clinician).

    An empty list means the rota is legal. Assignments naming an unknown shift or clinician
    are reported and left out of the other checks; a duplicate is reported once and counted
    once.
    """
    if shifts is None:
        shifts = build_shifts(data)
    shift_by_id = {s.id: s for s in shifts}
    clinician_by_id = {c.id: c for c in data.clinicians}
    found: list[Breach] = []

    seen: set[tuple[str, str]] = set()
    on_shift: dict[str, list[str]] = defaultdict(list)
    for a in assignments:
        s = shift_by_id.get(a.shift_id)
        c = clinician_by_id.get(a.clinician)
        day = _date_of(a.shift_id)
        dates = (day,) if day else ()
        if s is None:
            found.append(
                Breach(
                    "unknown-shift",
                    a.clinician,
                    dates,
                    f"{a.clinician} is on shift {a.shift_id}, which does not run in the period "
                    f"(check the date and the shift type's days)",
                    (a.shift_id,),
                )
            )
            continue
        if c is None:
            found.append(
                Breach(
                    "unknown-clinician",
                    a.clinician,
                    dates,
                    f"{shift_text(s)} has clinician {a.clinician!r}, who is not in the inputs",
                    (s.id,),
                )
            )
            continue
        if (s.id, c.id) in seen:
            found.append(
                Breach(
                    "duplicate",
                    c.id,
                    (s.date,),
                    f"{who(c)} is on {shift_text(s)} more than once",
                    (s.id,),
                )
            )
            continue
        seen.add((s.id, c.id))
        on_shift[s.id].append(c.id)

    for sid, people in on_shift.items():
        s = shift_by_id[sid]
        if len(people) > s.type.wanted and s.type.over_weight is None:  # else soft cover
            found.append(
                Breach(
                    "over-staffed",
                    None,
                    (s.date,),
                    f"{shift_text(s)} has {len(people)} people ({', '.join(people)}) but wants "
                    f"at most {s.type.wanted}",
                    (s.id,),
                )
            )

    by_clinician: dict[str, list[Shift]] = defaultdict(list)
    for sid, people in on_shift.items():
        for cid in people:
            by_clinician[cid].append(shift_by_id[sid])

    for c in data.clinicians:
        mine = sorted(by_clinician.get(c.id, []), key=by_start)
        for s in mine:
            found += assignment_breaches(data, c, s)
        found += clinician_breaches(data, c, mine)

    found += fixed_booking_breaches(data, shift_by_id, seen)
    return found


def fixed_booking_breaches(
    data: RotaData, shift_by_id: dict[str, Shift], assigned: set[tuple[str, str]]
) -> list[Breach]:
    """Fixed bookings that the rota does not contain."""
    found: list[Breach] = []
    names = {c.id: who(c) for c in data.clinicians}
    for fb in data.fixed:
        sid = shift_id(fb.date, fb.shift_type)
        name = names.get(fb.clinician, fb.clinician)
        if sid not in shift_by_id:
            found.append(
                Breach(
                    "fixed-booking",
                    fb.clinician,
                    (fb.date,),
                    f"fixed booking of {name} on {fb.shift_type} on {day_text(fb.date)}: "
                    f"no such shift runs that day",
                    (sid,),
                )
            )
        elif (sid, fb.clinician) not in assigned:
            found.append(
                Breach(
                    "fixed-booking",
                    fb.clinician,
                    (fb.date,),
                    f"fixed booking of {name} on {shift_text(shift_by_id[sid])} is missing "
                    f"from the rota",
                    (sid,),
                )
            )
    return found


def _date_of(sid: str) -> date | None:
    """The date part of a shift id ``YYYY-MM-DD/TYPE``, if it has one."""
    try:
        return date.fromisoformat(sid.split("/", 1)[0])
    except ValueError:
        return None
