"""Hard rules from a clinician's contract and the service's rest pattern, one function per
rule family (the checker's ids in brackets):

- contracted hours in the period, min and max (min-/max-period-hours);
- most shifts of each shift line in the period (max-shifts-type);
- shortest run of working days and of days off, runs touching an end of the period exempt
  (min-consecutive-days, min-consecutive-days-off);
- lines that may not start the date after another line (cannot-follow).

Definitions as in ooh/rota/data.py; the most consecutive working days, per clinician, is
the existing ``add_consecutive_days``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from ortools.sat.python import cp_model

from ooh.rota.model.variables import RotaModel


def add_period_hours(m: RotaModel) -> None:
    """min_period_hours <= minutes worked in the period / 60 <= max_period_hours.

    Also posts the shift counts those imply (hours / longest shift <= shifts <= hours /
    shortest shift): redundant, but CP-SAT's linear relaxation and propagation use the count
    far better than the minute sum when lines have equal lengths."""
    for c, clinician in enumerate(m.data.clinicians):
        shifts = m.by_clinician[c]
        if not shifts:
            continue
        lo = round(clinician.min_period_hours * 60)
        hi = None if clinician.max_period_hours is None else round(clinician.max_period_hours * 60)
        minutes = [m.info[s].minutes for s in shifts]
        lits = [m.x[(c, s)] for s in shifts]
        total = cp_model.LinearExpr.weighted_sum(lits, minutes)
        key = ("period_hours", clinician.id)
        if lo > 0:
            m.add(total >= lo, key)
            m.add(sum(lits) >= math.ceil(lo / max(minutes)), key)
        if hi is not None and hi < sum(minutes):
            m.add(total <= hi, key)
            m.add(sum(lits) <= hi // min(minutes), key)


def add_shifts_by_type(m: RotaModel) -> None:
    """At most n shifts of each listed shift line in the period (0: never that line)."""
    for c, clinician in enumerate(m.data.clinicians):
        if not clinician.max_shifts_by_type:
            continue
        by_line: dict[str, list[cp_model.IntVar]] = {}
        for s in m.by_clinician[c]:
            by_line.setdefault(m.shifts[s].type.id, []).append(m.x[(c, s)])
        for line, limit in clinician.max_shifts_by_type:
            lits = by_line.get(line, [])
            if len(lits) > limit:
                m.add(sum(lits) <= limit, ("shifts_by_type", clinician.id, line))


def worked_days(m: RotaModel, c: int) -> list[cp_model.IntVar | None]:
    """Per date, a Boolean that is 1 exactly when the clinician works a shift starting that
    date (None: no eligible shift, never worked). Shares the model's day indicators and
    adds the missing direction (indicator -> some shift)."""
    out = []
    by_day = m.shifts_on_day(c)
    for d in range(m.days):
        ind = m.day_indicator(c, d, night_only=False)
        if ind is not None:
            shifts = [m.x[(c, s)] for s in by_day[d]]
            if len(shifts) > 1:
                m.model.add_bool_or(shifts).only_enforce_if(ind)
        out.append(ind)
    return out


def _forbid_short_runs(
    m: RotaModel, c: int, minimum: int, key: tuple[str, str], of_work: bool
) -> None:
    """No run of fewer than ``minimum`` working days (of_work) or days off (not of_work)
    with a date on each side inside the period: for each shorter run, the clause "the
    dates before and after are not both of the other kind, or some date inside differs"."""
    days = worked_days(m, c)
    n = len(days)

    def is_run(d: int) -> Any:
        """Literal "date d belongs to the run kind"; True/False when fixed."""
        ind = days[d]
        if ind is None:
            return not of_work  # never worked: always a day off
        return ind if of_work else ind.negated()

    def is_other(d: int) -> Any:
        ind = days[d]
        if ind is None:
            return of_work
        return ind.negated() if of_work else ind

    for length in range(1, minimum):
        for first in range(1, n - length):  # the dates first-1 and first+length exist
            last = first + length - 1
            clause: list[Any] = []
            possible = True
            for d in (first - 1, last + 1):  # both neighbours of the other kind
                lit = is_other(d)
                if lit is False:
                    possible = False
                elif lit is not True:
                    clause.append(lit.negated())
            for d in range(first, last + 1):  # every date inside of the run kind
                lit = is_run(d)
                if lit is False:
                    possible = False
                elif lit is not True:
                    clause.append(lit.negated())
            # never empty: a date fixed as the run kind cannot also be fixed as the other
            if possible:
                m.model.add_bool_or(clause).only_enforce_if(m.guard(key))


def add_min_consecutive_days(m: RotaModel) -> None:
    """Runs of working days at least ``min_consecutive_days`` long (ends of period exempt)."""
    for c, clinician in enumerate(m.data.clinicians):
        if clinician.min_consecutive_days > 1 and m.by_clinician[c]:
            key = ("min_consecutive_days", clinician.id)
            _forbid_short_runs(m, c, clinician.min_consecutive_days, key, of_work=True)


def add_min_consecutive_days_off(m: RotaModel) -> None:
    """Runs of days off at least ``min_consecutive_days_off`` long (ends of period exempt)."""
    for c, clinician in enumerate(m.data.clinicians):
        if clinician.min_consecutive_days_off > 1 and m.by_clinician[c]:
            key = ("min_consecutive_days_off", clinician.id)
            _forbid_short_runs(m, c, clinician.min_consecutive_days_off, key, of_work=False)


def add_cannot_follow(m: RotaModel) -> None:
    """A shift of line b may not start the date after a shift of line a, for each pair (a, b)
    in ``Rules.cannot_follow``."""
    follow = m.data.rules.cannot_follow
    if not follow:
        return
    not_after: dict[str, set[str]] = defaultdict(set)  # line -> lines that may not follow it
    for earlier, later in follow:
        not_after[earlier].add(later)
    for c, clinician in enumerate(m.data.clinicians):
        key = ("cannot_follow", clinician.id)
        by_day = m.shifts_on_day(c)
        for d, today in by_day.items():
            tomorrow = [(b, m.shifts[b].type.id) for b in by_day.get(d + 1, [])]
            # today's shifts grouped by the shifts tomorrow they forbid
            groups: dict[tuple[int, ...], list[int]] = defaultdict(list)
            for a in today:
                banned = not_after.get(m.shifts[a].type.id)
                if banned:
                    bad = tuple(b for b, line in tomorrow if line in banned)
                    if bad:
                        groups[bad].append(a)
            for bad, group in groups.items():
                _forbid_pairs(m, c, group, list(bad), key)


def _forbid_pairs(m: RotaModel, c: int, group: list[int], bad: list[int], key: Any) -> None:
    """No shift of ``group`` together with a shift of ``bad``. Where each side overlaps
    pairwise (one of it at most anyway), a single at-most-one covers every pair: a tighter
    relaxation, and on Curtois & Qu 24 a third of the constraints."""
    lits = [m.x[(c, s)] for s in group]
    others = [m.x[(c, s)] for s in bad]
    if not m.one_at_most(bad):
        for a in lits:
            for b in others:
                m.at_most_one([a, b], key)
    elif m.one_at_most(group):
        m.at_most_one(lits + others, key)
    else:
        for a in lits:
            m.at_most_one([a] + others, key)


CONTRACT_FAMILIES = (
    add_period_hours,
    add_shifts_by_type,
    add_min_consecutive_days,
    add_min_consecutive_days_off,
    add_cannot_follow,
)
