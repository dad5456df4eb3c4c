"""Hard rules of the rota, one function per rule family (each can be posted and tested alone).

Definitions follow ooh/rota/data.py exactly (the independent checker uses the same ones):
a shift belongs to the date it starts on; "any 7 consecutive days" means every window of 7
dates lying fully inside the period; nights and weekends as defined there. Each group of
constraints carries a key such as ``("rest", clinician_id)``: in diagnosis mode the key's
assumption literal enforces the group, so an infeasible core names rule and clinician.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import defaultdict

from ortools.sat.python import cp_model

from ooh.rota.model.variables import RotaModel

WEEK = 7


def add_capacity(m: RotaModel) -> None:
    """At most ``wanted`` people on each dated shift (unless its line weighs extra people,
    ``over_weight``: then they are a soft goal)."""
    for s, cands in enumerate(m.by_shift):
        wanted = m.shifts[s].type.wanted
        if len(cands) > wanted and m.shifts[s].type.over_weight is None:
            people = cp_model.LinearExpr.sum([m.x[(c, s)] for c in cands])
            m.add(people <= wanted, ("capacity", m.shifts[s].id))


def add_fixed_bookings(m: RotaModel) -> None:
    """Fixed bookings stay. Bookings with no variable (ineligible, no such shift) are
    reported as conflicts before the model is built, so they are skipped here."""
    for k, booking in enumerate(m.data.fixed):
        c = m.clinician_index.get(booking.clinician)
        s = m.shift_index.get(f"{booking.date.isoformat()}/{booking.shift_type}")
        if c is None or s is None or (c, s) not in m.x:
            continue
        m.add(m.x[(c, s)] == 1, ("fixed", k))


def rest_cliques(m: RotaModel, c: int, rest_minutes: int) -> list[list[int]]:
    """Maximal sets of the clinician's shifts that pairwise conflict under the rest rule.

    Shifts a (starting first) and b conflict when b starts less than ``rest`` after a ends
    (overlap included). That is exactly "the intervals [start, end + rest) intersect", an
    interval graph whose maximal cliques a sweep finds in O(n log n); one AtMostOne per
    clique is the tightest linear form of the rule."""
    events = []
    for s in m.by_clinician[c]:
        info = m.info[s]
        events.append((info.start, 1, s))
        events.append((info.end + rest_minutes, 0, s))  # ends sort before starts: half-open
    events.sort()
    active: set[int] = set()
    cliques = []
    last_was_start = False
    for _, is_start, s in events:
        if is_start:
            active.add(s)
            last_was_start = True
        else:
            if last_was_start and len(active) > 1:
                cliques.append(sorted(active))
            active.discard(s)
            last_was_start = False
    return cliques


def add_rest(m: RotaModel) -> None:
    """No overlapping shifts and at least ``min_rest_hours`` between any two of a person's."""
    rest = round(m.data.rules.min_rest_hours * 60)
    for c, clinician in enumerate(m.data.clinicians):
        for clique in rest_cliques(m, c, rest):
            m.at_most_one([m.x[(c, s)] for s in clique], ("rest", clinician.id))


def add_rest_after_nights(m: RotaModel) -> None:
    """After a night shift, a non-night shift may start only ``rest_after_nights_hours``
    after the night ends. Shifts with identical times are grouped (they exclude each other
    already), so one constraint covers each pair of time slots."""
    rest = round(m.data.rules.min_rest_hours * 60)
    after = round(m.data.rules.rest_after_nights_hours * 60)
    if after <= rest:
        return  # the minimum rest rule already forbids every such pair
    for c, clinician in enumerate(m.data.clinicians):
        slots: dict[tuple[int, int], list[int]] = defaultdict(list)
        for s in m.by_clinician[c]:
            slots[(m.info[s].start, m.info[s].end)].append(s)
        day_slots = sorted(k for k, v in slots.items() if not m.info[v[0]].night)
        day_starts = [k[0] for k in day_slots]
        for (n_start, n_end), nights in slots.items():
            if not m.info[nights[0]].night:
                continue
            # day shifts starting in [night start, night end + after) break the rule;
            # those starting before night end + rest are already excluded by add_rest
            lo = bisect_left(day_starts, max(n_start, n_end + rest))
            hi = bisect_left(day_starts, n_end + after)
            for slot in day_slots[lo:hi]:
                lits = [m.x[(c, s)] for s in nights + slots[slot]]
                m.at_most_one(lits, ("nights_rest", clinician.id))


def _windows(m: RotaModel, c: int, key: str, weights: dict[int, int], limit: int) -> None:
    """sum of weights of the clinician's shifts starting in any 7 consecutive dates of the
    period (windows fully inside it) <= limit."""
    by_day = m.shifts_on_day(c)
    cid = m.data.clinicians[c].id
    # each date's literals and weights once: a shift lies in up to 7 windows
    lits = [[m.x[(c, s)] for s in by_day.get(d, [])] for d in range(m.days)]
    coefs = [[weights[s] for s in by_day.get(d, [])] for d in range(m.days)]
    # the most a date can add: one shift's weight where its shifts overlap pairwise (on
    # Curtois & Qu 24 every window was posted, 52,000 rows that could never bind)
    day_weight = [max(w) if w and m.one_at_most(by_day[d]) else sum(w) for d, w in enumerate(coefs)]
    most = sum(day_weight[:WEEK])  # the window's largest possible sum, slid one date a step
    for first in range(m.days - WEEK + 1):
        if first:
            most += day_weight[first + WEEK - 1] - day_weight[first - 1]
        if most <= limit:
            continue  # cannot be broken: no constraint needed
        week = range(first, first + WEEK)
        expr = cp_model.LinearExpr.weighted_sum(
            [v for d in week for v in lits[d]], [w for d in week for w in coefs[d]]
        )
        m.add(expr <= limit, (key, cid))


def add_hours_per_week(m: RotaModel) -> None:
    """Minutes worked in any 7 consecutive days <= 60 x the clinician's max hours per week."""
    for c, clinician in enumerate(m.data.clinicians):
        limit = math.floor(clinician.max_hours_per_week * 60 + 1e-9)
        weights = {s: m.info[s].minutes for s in m.by_clinician[c]}
        _windows(m, c, "hours", weights, limit)


def add_shifts_per_week(m: RotaModel) -> None:
    """Shifts in any 7 consecutive days <= rules.max_shifts_per_week (when set)."""
    limit = m.data.rules.max_shifts_per_week
    if limit is None:
        return
    for c in range(len(m.data.clinicians)):
        _windows(m, c, "shifts_per_week", dict.fromkeys(m.by_clinician[c], 1), limit)


def add_shift_counts(m: RotaModel) -> None:
    """min_shifts <= shifts in the period <= max_shifts, per clinician."""
    for c, clinician in enumerate(m.data.clinicians):
        lits = [m.x[(c, s)] for s in m.by_clinician[c]]
        shifts = cp_model.LinearExpr.sum(lits)
        if clinician.min_shifts > 0:
            m.add(shifts >= clinician.min_shifts, ("min_shifts", clinician.id))
        if clinician.max_shifts is not None and clinician.max_shifts < len(lits):
            m.add(shifts <= clinician.max_shifts, ("max_shifts", clinician.id))


def _max_run(m: RotaModel, c: int, key: str, limit: int, night_only: bool) -> None:
    """At most ``limit`` consecutive dates with a (night) shift starting on them: every
    run of limit+1 consecutive dates has at least one date off."""
    cid = m.data.clinicians[c].id
    indicators = [m.day_indicator(c, d, night_only) for d in range(m.days)]
    for first in range(m.days - limit):
        window = [ind for ind in indicators[first : first + limit + 1] if ind is not None]
        if len(window) <= limit:
            continue  # a date with no eligible shift already breaks the run
        m.add(cp_model.LinearExpr.sum(window) <= limit, (key, cid))


def add_consecutive_nights(m: RotaModel) -> None:
    """Night shifts on at most N consecutive dates (N per clinician, else the rules')."""
    for c, clinician in enumerate(m.data.clinicians):
        _max_run(m, c, "consecutive_nights", m.data.max_consecutive_nights(clinician), True)


def add_consecutive_days(m: RotaModel) -> None:
    """Shifts start on at most N consecutive dates (N per clinician, else the rules')."""
    for c, clinician in enumerate(m.data.clinicians):
        _max_run(m, c, "consecutive_days", m.data.max_consecutive_days(clinician), False)


def add_weekends(m: RotaModel) -> None:
    """Weekends worked (keyed by their Saturday) <= the clinician's max weekends."""
    for c, clinician in enumerate(m.data.clinicians):
        if clinician.max_weekends is None:
            continue
        by_weekend: dict[object, list[int]] = defaultdict(list)
        for s in m.by_clinician[c]:
            if m.info[s].weekend is not None:
                by_weekend[m.info[s].weekend].append(s)
        if len(by_weekend) <= clinician.max_weekends:
            continue
        worked = []
        for saturday, shifts in sorted(by_weekend.items()):
            if len(shifts) == 1:
                worked.append(m.x[(c, shifts[0])])
                continue
            ind = m.model.new_bool_var(f"weekend[{clinician.id},{saturday}]")
            for s in shifts:
                m.model.add_implication(m.x[(c, s)], ind)
            worked.append(ind)
        m.add(sum(worked) <= clinician.max_weekends, ("weekends", clinician.id))


RULE_FAMILIES = (
    add_capacity,
    add_fixed_bookings,
    add_rest,
    add_rest_after_nights,
    add_hours_per_week,
    add_shifts_per_week,
    add_shift_counts,
    add_consecutive_nights,
    add_consecutive_days,
    add_weekends,
)


def add_hard_rules(m: RotaModel) -> None:
    """Every hard rule: the families above, then the contract and rest-pattern families of
    ``ooh.rota.model.contract`` (contracted hours, per-line limits, shortest runs,
    cannot-follow pairs)."""
    from ooh.rota.model.contract import CONTRACT_FAMILIES

    for family in (*RULE_FAMILIES, *CONTRACT_FAMILIES):
        family(m)
