"""Why a place is unfilled, in words a rota coordinator can act on.

For each shift with fewer people than it wants, the reason is the first of:

1. no clinician has the role and skills and works at the site;
2. no such clinician offered the date (unavailable, on leave, or offered other shift types);
3. every eligible clinician who offered the date would break a named hard rule if added
   (found by the independent checker, so the rules are written once, in ``check.py``);
4. otherwise some could take it without breaking a hard rule: for a target place the soft
   goals (cost, fairness) left it empty; for a required place the search stopped first.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta

from ooh.rota.check import (
    PeriodTotals,
    assignment_breaches,
    by_start,
    day_rule_breaches,
    day_text,
    eligibility_breaches,
    follows,
    period_total_breaches,
    rest_rule,
    shift_text,
    who,
)
from ooh.rota.data import Assignment, Breach, Clinician, Gap, RotaData, Shift

MAX_NAMED = 8  # clinicians named in one reason; the rest are counted


def explain_gaps(
    data: RotaData, shifts: Sequence[Shift], assignments: Iterable[Assignment]
) -> list[Gap]:
    """Every unfilled place, required ones (up to ``needed``) and target ones (up to
    ``wanted``, ``required=False``), each with a reason; in shift order."""
    by_shift: dict[str, list[str]] = defaultdict(list)
    by_clinician: dict[str, list[Shift]] = defaultdict(list)
    shift_by_id = {s.id: s for s in shifts}
    for a in assignments:
        if a.clinician in by_shift[a.shift_id]:
            continue
        by_shift[a.shift_id].append(a.clinician)
        if a.shift_id in shift_by_id:
            by_clinician[a.clinician].append(shift_by_id[a.shift_id])

    gaps: list[Gap] = []
    blocks = BlockCheck(data, by_clinician)
    for s in shifts:
        filled = len(by_shift.get(s.id, []))
        if filled >= s.type.wanted:
            continue
        reason, fillable = _reason(data, s, by_shift.get(s.id, []), blocks)
        for place in range(filled + 1, s.type.wanted + 1):
            required = place <= s.type.needed
            text = _fillable_tail(reason, required) if fillable else reason
            gaps.append(Gap(s.id, place, required, text))
    return gaps


EASED_ONLY = frozenset({"min-shifts", "min-period-hours"})  # one more shift cannot break these
# a breach by what it is about (a run of days off names no shifts, only its dates)
BreachKey = tuple[str, tuple[date, ...], tuple[str, ...]]


def reach_days(data: RotaData, c: Clinician) -> int:
    """Days from a shift beyond which no rule of the clinician's days looks: rest (a shift
    lasts at most a day), 7-day windows, runs one longer than their limit and the shortest
    runs, plus two days' margin. A run of nights is part of a run of working days, so
    where those are legal one more shift makes a run of nights of at most twice their
    limit and one (the night limit may be no limit at all)."""
    rest = _rest_days(data)
    days = data.max_consecutive_days(c)
    runs = max(days, min(data.max_consecutive_nights(c), 2 * days + 1)) + 1
    return 2 + max(7, rest, runs, c.min_consecutive_days, c.min_consecutive_days_off)


def _rest_days(data: RotaData) -> int:
    """Days between start dates within which one shift can break a rest rule with another
    (a shift lasts at most a day); at least one, for lines that may not follow."""
    rules = data.rules
    return math.ceil(max(rules.min_rest_hours, rules.rest_after_nights_hours) / 24) + 1


class BlockCheck:
    """Which hard rules a clinician would newly break by also working a shift: asked for
    every eligible clinician of every open place of one rota.

    New breaches are those of their rota with the shift that their rota without it does not
    have (so breaches a hand edit left are blamed on a shift only where it changes them;
    one more shift never breaks a minimum). Both are found by the checker, so the rules
    stay written once, but the rules of the clinician's days look only at the weeks around
    the shift (``reach_days`` each way, those weeks standing for the period) and the period
    totals at the whole rota: on a 364-day rota that is the difference between minutes and
    seconds. Where the clinician's rota is legal this is exactly the whole-rota answer
    (tests/test_explain.py checks both ways).
    """

    def __init__(self, data: RotaData, by_clinician: Mapping[str, Sequence[Shift]]) -> None:
        self.data = data
        self._theirs = {cid: sorted(mine, key=by_start) for cid, mine in by_clinician.items()}
        self._ids = {cid: {s.id for s in mine} for cid, mine in by_clinician.items()}
        self._days = {cid: [s.date for s in mine] for cid, mine in self._theirs.items()}
        self._periods: dict[tuple[date, int], RotaData] = {}
        self._day_keys: dict[tuple[str, date, int], set[BreachKey]] = {}
        self._totals: dict[str, PeriodTotals] = {}
        self._total_keys: dict[str, set[BreachKey]] = {}
        # start dates further apart break no rule of pairs (one day more for a clock change)
        self._pair_reach = timedelta(days=_rest_days(data) + 1)

    def blocking(self, c: Clinician, s: Shift) -> list[Breach]:
        """Hard rules the rota would newly break if ``c`` also worked ``s``."""
        return self._alone(c, s) + self._new_day_rules(c, s) + self._new_totals(c, s)

    def is_blocked(self, c: Clinician, s: Shift) -> bool:
        """Whether ``blocking`` finds any rule: the cheapest rules first, stopping at one.
        A rule between the shift and one of theirs (overlap, rest, cannot-follow) is the
        commonest on a busy rota and needs no pass over their weeks."""
        return bool(
            self._alone(c, s)
            or self._next_to(c, s)
            or self._new_totals(c, s)
            or self._new_day_rules(c, s)
        )

    def _next_to(self, c: Clinician, s: Shift) -> bool:
        """Whether ``s`` breaks a rule of pairs (rest, cannot-follow) with one of the
        clinician's shifts: a new breach, since no pair held ``s`` before."""
        reach = self._pair_reach
        days = self._days.get(c.id, [])
        theirs = self._theirs.get(c.id, [])
        near = theirs[bisect_left(days, s.date - reach) : bisect_right(days, s.date + reach)]
        for other in near:
            a, b = (other, s) if by_start(other) <= by_start(s) else (s, other)
            if rest_rule(self.data, a, b) or follows(self.data, a, b):
                return True
        return False

    def _alone(self, c: Clinician, s: Shift) -> list[Breach]:
        if s.id in self._ids.get(c.id, ()):
            return [
                Breach(
                    "duplicate", c.id, (s.date,), f"{who(c)} is already on {shift_text(s)}", (s.id,)
                )
            ]
        return assignment_breaches(self.data, c, s)

    def _new_totals(self, c: Clinician, s: Shift) -> list[Breach]:
        if c.id not in self._totals:
            self._totals[c.id] = PeriodTotals.of(self._theirs.get(c.id, []))
            self._total_keys[c.id] = _keys(period_total_breaches(self.data, c, self._totals[c.id]))
        return [
            b
            for b in period_total_breaches(self.data, c, self._totals[c.id].plus(s))
            if b.rule not in EASED_ONLY and _key(b) not in self._total_keys[c.id]
        ]

    def _new_day_rules(self, c: Clinician, s: Shift) -> list[Breach]:
        period, inside = self._around(c, s.date)
        key = (c.id, period.settings.period_start, period.settings.weeks)
        if key not in self._day_keys:
            self._day_keys[key] = _keys(day_rule_breaches(period, c, inside))
        with_s = sorted([*inside, s], key=by_start)
        return [
            b for b in day_rule_breaches(period, c, with_s) if _key(b) not in self._day_keys[key]
        ]

    def _around(self, c: Clinician, day: date) -> tuple[RotaData, list[Shift]]:
        """The whole weeks around ``day`` (``reach_days`` each way, inside the period) as a
        period of their own, and the clinician's shifts in them."""
        settings = self.data.settings
        reach = reach_days(self.data, c)
        weeks = -(-(2 * reach + 1) // 7)
        if weeks >= settings.weeks:
            return self.data, self._theirs.get(c.id, [])
        first = max(settings.period_start, day - timedelta(days=reach))
        first = min(first, settings.period_end - timedelta(days=7 * weeks - 1))
        last = first + timedelta(days=7 * weeks - 1)
        if (first, weeks) not in self._periods:
            self._periods[(first, weeks)] = replace(
                self.data, settings=replace(settings, period_start=first, weeks=weeks)
            )
        days = self._days.get(c.id, [])
        theirs = self._theirs.get(c.id, [])
        inside = theirs[bisect_left(days, first) : bisect_right(days, last)]
        return self._periods[(first, weeks)], inside


def _key(b: Breach) -> BreachKey:
    return (b.rule, b.dates, b.shifts)


def _keys(breaches: Iterable[Breach]) -> set[BreachKey]:
    return {_key(b) for b in breaches}


def _reason(
    data: RotaData, s: Shift, on_shift: Sequence[str], blocks: BlockCheck
) -> tuple[str, bool]:
    """The reason, and whether some clinician could take the place without breaking a rule."""
    st = s.type
    eligible = [c for c in data.clinicians if not eligibility_breaches(c, s)]
    if not eligible:
        skills = f" and skills {', '.join(sorted(st.skills))}" if st.skills else ""
        return f"no clinician with role {st.role}{skills} can work at site {st.site}", False
    free = [c for c in eligible if c.id not in on_shift]
    if not free:
        return (
            f"all {len(eligible)} clinician(s) with role {st.role} who can work at site "
            f"{st.site} are already on this shift",
            False,
        )
    offered = [c for c in free if data.availability_of(c.id, s.date).allows(st.id)]
    if not offered:
        return (
            f"no eligible clinician offered {day_text(s.date)} for {st.id} "
            f"({len(free)} eligible: all unavailable, on leave or offering other shifts)",
            False,
        )
    blocked: list[str] = []
    open_to: list[Clinician] = []
    for c in offered:
        if len(open_to) == MAX_NAMED:
            break  # names enough to act on; checking everyone takes minutes on a long rota
        if open_to or len(blocked) >= MAX_NAMED:
            # the rules are named only while nobody could take the place, and for
            # MAX_NAMED clinicians at most; from here whether one is blocked is enough
            if blocks.is_blocked(c, s):
                blocked.append(who(c))
            else:
                open_to.append(c)
            continue
        breaches = blocks.blocking(c, s)
        if breaches:
            blocked.append(f"{who(c)} ({'; '.join(_short(b, s) for b in breaches)})")
        else:
            open_to.append(c)
    n = len(offered)
    lead = f"{n} eligible clinician{'s' if n != 1 else ''} offered the date"
    if not open_to:
        return f"{lead}; all were blocked: {_name_some(blocked)}", False
    checked = len(blocked) + len(open_to)
    count = f"{'at least ' if checked < n else ''}{len(open_to)}"
    free_names = ", ".join(who(c) for c in open_to)
    return f"{lead}; {count} could work it without breaking a hard rule ({free_names})", True


def _fillable_tail(reason: str, required: bool) -> str:
    """Why a place someone could take is empty: required places come before every soft
    goal, so only the time limit leaves one open; a target place may be left open."""
    if required:
        return f"{reason}: the search ended before filling it; a longer --time-limit may fill it"
    return f"{reason}: left open for the soft goals (cost, fairness, requests) or by the time limit"


def _short(b: Breach, new: Shift) -> str:
    """A breach in a few words: the rule and the other shifts involved, if few."""
    others = [sid for sid in b.shifts if sid != new.id]
    if b.rule in ("overlap", "min-rest", "rest-after-nights") and others:
        return f"{b.rule} with {', '.join(others)}"
    return b.rule


def _name_some(names: Sequence[str]) -> str:
    shown = ", ".join(names[:MAX_NAMED])
    if len(names) > MAX_NAMED:
        shown += f" and {len(names) - MAX_NAMED} more"
    return shown


def explain_conflicts(breaches: Iterable[Breach]) -> list[str]:
    """Breaches as coordinator-readable lines ``rule: message``, for conflict reports."""
    return [f"{b.rule}: {b.message}" for b in breaches]
