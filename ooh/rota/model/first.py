"""A legal first rota built one clinician at a time, for rotas too large for CP-SAT's own
first-solution search.

Every hard rule is about one clinician except capacity (at most ``wanted`` people on a
dated shift whose line does not weigh extra people). So schedules that are each legal for
their clinician make a legal rota as long as no shift goes over capacity. Each clinician in
turn gets a small CP-SAT model of their own rules (every rule family but capacity) over the
shifts that still have room, and takes the schedule worth most to the rota as it stands:
unfilled required places first (by priority), then target places and soft cover, their own
requests and preferences, less their pay. Fixed bookings hold their places from the start,
so a later booking never finds its shift full.

Returns None when some clinician has no legal schedule in what is left (a minimum that
the remaining places cannot meet) or the time runs out: the caller then falls back to
CP-SAT's own search on the whole model.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from time import perf_counter
from typing import Any

from ortools.sat.python import cp_model

from ooh.rota.data import Clinician, FixedBooking, Shift, Weights
from ooh.rota.model.clinician import OwnCosts, clinician_model, has_room, own_costs
from ooh.rota.model.objective import SCALE, OwnTerm, own_terms, priority_weight
from ooh.rota.model.variables import RotaModel

# points for taking an unfilled required place (x priority weight): more than any target
# place (Weights.target x priority, 2,000 at most by default), request or shift's pay
REQUIRED_POINTS = 10_000
WORK_COST = 1  # SCALE units per shift worked: nobody works a shift worth nothing
RESERVE = 2.0  # time kept for the clinicians to come: this many times their expected need
RECENT = 10  # clinicians averaged for the time to a first schedule (the very first is slow)
SPREAD = 3.0
MIN_SHARE = 0.25  # of an even share of the time left: the least a clinician's improvement gets
GAP_LIMIT = 0.005  # relative gap at which a sub-solve counts as done: a heuristic anyway
DIVE_LIMIT = 0.2  # seconds for a first schedule's dive through its most valuable shifts


def first_rota(
    rota: RotaModel,
    time_limit: float,
    seed: int = 0,
    stop: Callable[[], bool] | None = None,
    give_up: float | None = None,
) -> set[tuple[int, int]] | None:
    """(clinician index, shift index) pairs of a legal rota (keys of ``rota.x``), or None.

    Clinicians are placed in turn, each first on any legal schedule, then on the best one
    in a share of the time the others will not need; so it returns when every clinician
    is placed, in about ``time_limit`` seconds. Where legal schedules alone take longer
    (hundreds of clinicians over a year), it goes on without improving them until
    ``give_up`` seconds (default ``time_limit``): None after that, or as soon as ``stop()``
    returns true, checked between clinicians."""
    now = perf_counter()
    deadline = now + time_limit
    last_chance = now + max(time_limit, give_up or 0.0)
    data = rota.data
    fixed: dict[int, list[FixedBooking]] = defaultdict(list)
    held: Counter[int] = Counter()  # places held by fixed bookings not yet placed
    for booking in data.fixed:
        c = rota.clinician_index.get(booking.clinician)
        s = rota.shift_index.get(f"{booking.date.isoformat()}/{booking.shift_type}")
        if c is None or s is None or (c, s) not in rota.x:
            return None  # a booking no rota can hold (the solver's precheck names it)
        fixed[c].append(booking)
        held[s] += 1
    own: list[list[OwnTerm]] = [[] for _ in data.clinicians]
    for term in own_terms(rota):
        own[term.clinician].append(term)
    taken = [0] * len(rota.shifts)
    chosen: set[tuple[int, int]] = set()
    order = _order(rota, fixed, seed)
    firsts: deque[float] = deque(maxlen=RECENT)  # seconds to a first schedule, lately

    def needed(clinicians: int) -> float:
        """Seconds kept for that many clinicians' first schedules (RESERVE times as long
        as lately)."""
        return RESERVE * sum(firsts) / len(firsts) * clinicians

    for k, c in enumerate(order):
        if last_chance <= perf_counter() or (stop is not None and stop()):
            return None
        booked = Counter(rota.shift_index[f"{b.date.isoformat()}/{b.shift_type}"] for b in fixed[c])
        open_shifts = [
            s
            for s in rota.by_clinician[c]
            if has_room(rota.shifts[s], taken[s] + held[s] - booked[s])
        ]
        if set(booked) - set(open_shifts):
            return None  # more fixed bookings than places on a shift: no legal rota
        started = perf_counter()
        sub = clinician_model(rota, c, open_shifts, fixed[c])
        variables, coefs = _worth(sub, rota, taken, own_costs(sub, own[c]))
        worth = cp_model.LinearExpr.weighted_sum(variables, coefs)
        idle_is_legal = not fixed[c] and not _has_minimum(data.clinicians[c])
        # short of time (the clinicians to come need it all for their first schedules): the
        # first schedule is the one kept, so it takes the most valuable shifts first
        short = bool(firsts) and deadline - perf_counter() <= needed(len(order) - k)
        valuable = _most_valuable(sub, variables, coefs) if short else []
        schedule = _first_schedule(sub, last_chance - perf_counter(), seed, idle_is_legal, valuable)
        if schedule is None:
            return None
        firsts.append(perf_counter() - started)
        # improve it with the time the clinicians to come will not need for their first
        # schedules (RESERVE times as long as lately); most improvements end well within
        # their share, so one may take up to SPREAD shares of the spare time; at least
        # MIN_SHARE of an even share of what is left
        later = len(order) - k - 1
        left = deadline - perf_counter()
        spare = left - needed(later)
        limit = max(min(SPREAD * spare / (later + 1), spare), MIN_SHARE * left / (later + 1))
        schedule = _improve(sub, worth, schedule, limit, seed)
        for s in schedule:
            chosen.add((c, s))
            taken[s] += 1
        for s, n in booked.items():
            held[s] -= n
    return chosen


def _has_minimum(clinician: Clinician) -> bool:
    """Whether the clinician must work at all (the only rules an empty schedule breaks,
    with fixed bookings)."""
    return clinician.min_shifts > 0 or clinician.min_period_hours > 0


def _order(rota: RotaModel, fixed: dict[int, list[FixedBooking]], seed: int) -> list[int]:
    """Clinicians with fixed bookings, then with a minimum, then the rest, members before
    locums; within each, fewest eligible shifts first (the most constrained choose while
    their few shifts are open; flexible people fill what is left). Ties in seeded order."""
    rng = random.Random(seed)
    tie = [rng.random() for _ in rota.data.clinicians]

    def key(c: int) -> tuple[bool, bool, bool, int, float]:
        cl = rota.data.clinicians[c]
        return (not fixed[c], not _has_minimum(cl), cl.is_locum, len(rota.by_clinician[c]), tie[c])

    return sorted(range(len(rota.data.clinicians)), key=key)


def _place_points(shift: Shift, people: int, weights: Weights) -> int:
    """Points one more person on the shift is worth to the rota, with ``people`` on it."""
    st = shift.type
    if people < st.needed:
        if st.under_weight is None:
            return REQUIRED_POINTS * priority_weight(st.priority)
        return st.under_weight
    if people < st.wanted:
        return weights.target * max(1, st.priority)
    return -(st.over_weight or 0)  # (no over_weight: the shift is full, never offered)


def _worth(
    sub: RotaModel, rota: RotaModel, taken: list[int], own: OwnCosts
) -> tuple[list[cp_model.IntVar], list[int]]:
    """The schedule's worth to the rota (SCALE units): places by what the rota lacks now,
    less the clinician's own soft-goal terms (pay, requests, preferences) and a unit per
    shift."""
    weights = rota.data.rules.weights
    variables: list[cp_model.IntVar] = []
    coefs: list[int] = []
    for _, t in sub.x:
        points = _place_points(rota.shifts[t], taken[t], weights) * SCALE
        variables.append(sub.x[(0, t)])
        coefs.append(round(points) - own.per_shift.get(t, 0) - WORK_COST)
    for term, lit in own.day_terms:
        variables.append(lit)
        coefs.append(-term.coef)
    return variables, coefs


def _most_valuable(
    sub: RotaModel, variables: list[cp_model.IntVar], coefs: list[int]
) -> list[cp_model.IntVar]:
    """The clinician's shifts worth taking (``_worth``'s shift terms above 0), most
    valuable first, then in time order."""
    shifts = sorted(range(len(sub.x)), key=lambda i: (-coefs[i], i))  # _worth: shifts first
    return [variables[i] for i in shifts if coefs[i] > 0]


def _first_schedule(
    sub: RotaModel,
    limit: float,
    seed: int,
    idle_is_legal: bool,
    valuable: list[cp_model.IntVar] | None = None,
) -> list[int] | None:
    """Shift indices of any legal schedule (None: none within ``limit`` seconds), also set
    as the model's hint. With nothing required of the clinician (``idle_is_legal``) that
    is the empty schedule, found without a search.

    Searched without the objective: quick restarts without presolve or LP find one in a
    fraction of a second (0.06 s on average on Curtois & Qu instance 20, 0.25 s with
    presolve) where a search led by the objective can take many seconds there. Given
    ``valuable`` shifts, first a dive that takes them in that order where the rules allow,
    for at most ``DIVE_LIMIT`` seconds: a schedule as quick to find and far more useful
    (Curtois & Qu 13, 20, 21: first rotas whose soft goals cost a quarter to two fifths
    of what they did)."""
    if idle_is_legal:
        for var in sub.x.values():
            sub.model.add_hint(var, 0)
        return []
    found = None
    if valuable:
        sub.model.add_decision_strategy(valuable, cp_model.CHOOSE_FIRST, cp_model.SELECT_MAX_VALUE)
        found = _legal(sub, min(limit, DIVE_LIMIT), seed, cp_model.FIXED_SEARCH)
        sub.model.proto.search_strategy.clear()
    if found is None:
        found = _legal(sub, limit, seed, cp_model.PORTFOLIO_WITH_QUICK_RESTART_SEARCH)
    if found is None:
        return None
    for (_, s), var in sub.x.items():
        sub.model.add_hint(var, int(s in found))
    return [s for (_, s) in sub.x if s in found]


def _legal(sub: RotaModel, limit: float, seed: int, branching: Any) -> set[int] | None:
    """A legal schedule by ``branching``, without presolve or LP (None: none in time)."""
    solver = _solver(limit, seed)
    solver.parameters.search_branching = branching
    solver.parameters.linearization_level = 0
    solver.parameters.cp_model_presolve = False
    if solver.solve(sub.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return {s for (_, s), var in sub.x.items() if solver.value(var)}


def _improve(
    sub: RotaModel, worth: cp_model.LinearExpr, found: list[int], limit: float, seed: int
) -> list[int]:
    """The best schedule within ``limit`` seconds from ``found`` (the model's hint)."""
    if limit <= 0:
        return found
    sub.model.maximize(worth)
    solver = _solver(limit, seed)
    solver.parameters.linearization_level = 2  # proves most schedules optimal quickly
    if solver.solve(sub.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return [s for (_, s), var in sub.x.items() if solver.value(var)]
    return found


def _solver(limit: float, seed: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = 1
    p.random_seed = seed
    p.relative_gap_limit = GAP_LIMIT
    p.max_time_in_seconds = max(0.01, limit)
    return solver
