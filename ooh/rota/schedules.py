"""Improve a rota, and bound its soft goals, by generating clinicians' schedules.

Every hard rule but capacity is about one clinician, and every soft goal is either about
one clinician's own schedule (pay, requests, preferences) or a linear function of how many
people work each shift and how much each member works (places, soft cover, fair shares).
The soft-goal problem is therefore a choice of one legal schedule per clinician, coupled
only through shifts and fair-share amounts: the set-partitioning form of rostering, whose
linear relaxation is far tighter than that of the assignment model CP-SAT searches (on
Curtois & Qu instances 1-12 it is within 0.3% of the best known roster, where CP-SAT's
own bound on the assignment model stays near zero). Column generation solves it:

- **master** (linear programme, HiGHS): for each clinician a convex combination of schedules
  found so far; rows for every shift's places (required, target, people above the target)
  and every fair-share member's amount, costed exactly as the model's soft goals
  (``ooh.rota.model.objective``); after phase 1, the fill level is kept as a row too;
- **pricing** (CP-SAT, one clinician's own model: every hard rule but capacity, so every
  schedule it returns is legal for them; two clinicians at a time, one per worker thread):
  the schedule whose reduced cost under the master's duals is lowest. Rounds of pricing
  and master alternate until no schedule improves the master. When every clinician was
  priced in a round, the master's value plus each clinician's (negative) least reduced
  cost is a proven lower bound on the soft goals (the Lagrangian bound), whether or not
  the rounds have converged;
- **rota**: each assignment's share in the master's solution. Every assignment on which a
  clinician's schedules in that solution agree is fixed (worked or not): the rest of the
  whole model is an LP-guided neighbourhood. Its free assignments are rounded to the rota
  closest to each clinician's main schedule, which neighbourhoods within it then improve
  (``ooh.rota.improve``). The rota is kept only if it improves on the one given.

Used by phase 2 of ``ooh.rota.solve`` before the neighbourhoods; see
docs/rota-formulation.md, "Schedule generation".
"""

from __future__ import annotations

import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import reduce
from time import perf_counter
from typing import Any

import highspy
import numpy as np
from highspy._core import _Highs
from ortools.sat.python import cp_model

from ooh.rota.improve import fix_variable, improve, search
from ooh.rota.model.clinician import OwnCosts, clinician_model, has_room, own_costs
from ooh.rota.model.objective import SCALE, Objectives, OwnTerm, priority_weight
from ooh.rota.model.variables import RotaModel

PRICE_LIMIT = 1.0  # seconds for one clinician's pricing search, at most
NEW_PER_ROUND = 5  # schedules a clinician's pricing may add in one round, at most
REDUCED_COST_EPS = 1e-3  # SCALE units: a schedule must lower the master by more than this
INTEGRAL_EPS = 1e-6  # an assignment's share this close to 0 or 1 counts as whole
DUAL_EPS = 1e-6  # SCALE units: a dual value or reduced cost this close to 0 counts as 0
RESOLUTION = 1024  # pricing objective units per SCALE unit (duals are fractional)
SMOOTHING = 0.5  # weight of the last round's duals in pricing (0.3-0.5 fastest on NRP 8, 12)
ROUNDS_NEEDED = 20  # rounds to convergence to expect (NRP 1-12: 7-35): else not started
PACE_SAMPLE = 3  # searches per worker before a first round's pace can stop it ...
PACE_MARGIN = 2.0  # ... at this many times too slow (nearer cases: the round's own time)
# the LP-guided neighbourhood needs a master near its optimum: one still further than this
# above its bound when the rounds' time ends mixes schedules that no rota is near, and its
# neighbourhood found nothing there (M at half speed: 20-50% above, 2,300 assignments free);
# masters a little above their bound, a few rounds from converging, keep it
LP_GUIDED_GAP = 0.05
# a dive (``_dive``) fixes one clinician's schedule at a time and prices the others again;
# it pays where the master stays near its bound while most clinicians are fixed and the
# LP-guided neighbourhoods of the deep masters are small enough to solve outright (NRP 8:
# 1,305-1,307 in three dives of four, where the one neighbourhood of the converged master
# leads to 1,397-1,399; docs/benchmarks.md, "A dive with a neighbourhood at each depth")
DIVE_RISE = 0.01  # a dive ends once a fix lifts the master this far above its converged value
DIVE_ROUNDS = 5  # pricing rounds after each fix, at most
# ... and none after one that lowered the master by less than this share of its value: a
# depth needs the master only near enough to choose the next fix and to see a rise, and
# its last rounds, which find little, price everyone to the limit (NRP 8: the first way
# down 17 s instead of 33 s; docs/benchmarks.md, "A depth's last rounds")
DIVE_TAILING = 1e-4
DIVE_NEIGHBOURHOOD = 1.0  # seconds for each depth's LP-guided neighbourhood, at most
# share of the clinicians fixed before neighbourhoods start: shallower ones are too large to
# solve in their second (NRP 8: 300-460 assignments free, none proven optimal, none kept)
DIVE_FIRST_NEIGHBOURHOOD = 0.5
# rounds of time per clinician a dive is reckoned to need: it is tried only where that much
# time is left. Its first way down takes 0.8-2.1 (NRP 5-9 at 60 s; 8: 1.3 since
# DIVE_TAILING, 2.6-3.2 before). At 2.5, NRP 8's reckoning (30-39 s) nearly met its time
# (39-41 s): on a slower run the dive was not tried and the rota ended at 1,400-1,500 (at
# 45 s: 0 of 5 seeds within 5%, 5 of 5 at 1.5; docs/benchmarks.md, "The time a dive is
# reckoned to need")
DIVE_COST = 1.5
# at a leaf (the master risen, or everyone fixed) with at least DIVE_DEEP of the clinicians
# fixed, the dive undoes its last DIVE_BACKTRACK depths and goes on, fixing one of the
# DIVE_CHOICES heaviest at random at each depth: the last fixes are where a dive loses, and
# the leaves near it are the cheapest other rosters to try (NRP 8 at 90 s: 1,304-1,307 on
# five seeds, two of which end at 1,397-1,405 at 60 s; docs/benchmarks.md, "Backtracking
# at the dive's leaves"); for at most DIVE_BACKTRACK_TIMES the time its first way down took
# (NRP 1, whose LP is 8% below its optimum, took 5 ms a leaf: the whole model proves its
# optimum, not more leaves); twice since DIVE_TAILING made the first way down quicker:
# with once, NRP 8's dive ended up to 13 s before its time, which the neighbourhoods after
# seldom use (docs/benchmarks.md, "A depth's last rounds")
DIVE_DEEP = 0.5
DIVE_BACKTRACK = 3
DIVE_CHOICES = 3
DIVE_BACKTRACK_TIMES = 2.0
# of the converged master's LP-guided neighbourhood's time, at most, to round it to a rota
# (``_closest``; M: 0.4-0.8 s, NRP 12: 2.2 s, of 23-25 s at 60 s); the rest improves that rota
ROUNDING_SHARE = 0.5
# ... and that neighbourhood's time is at most this many times the rounds' time: its own
# loop improves M's rota faster than the loop over the whole rota at first (60 s: 1.41-1.61%
# with 23 s of it, 1.61-1.78% with 13 s), but then levels off inside the master's agreement
# (300 s: 180 s of it ended at 272,248, where the whole rota's loop and the whole model,
# from a worse rota, had reached 271,606)
LP_GUIDED_TIMES = 2.0
# a neighbourhood of at most this many free assignments is searched at once instead: CP-SAT
# searches a few hundred well (NRP 8, 454 free: 1,494, and 1,396 after the loop, where the
# rounding and the loop within gave 1,596), two thousand not (M: its first rota after 4.2 s)
ONE_SEARCH_MAX = 1000


@dataclass
class ScheduleOutcome:
    solution: list[int]  # the best full solution of the model: the start, or better
    objective: int  # its objective (SCALE units)
    bound: float | None = None  # proven lower bound on the objective (SCALE units)
    master: float | None = None  # the master's last value (SCALE units)
    rounds: int = 0
    schedules: int = 0
    converged: bool = False  # no schedule improves the master
    proven: bool = False  # the bound proved the rota given optimal before convergence
    free: int = 0  # assignments left to the LP-guided neighbourhood
    neighbourhood_status: str = ""  # of its one search (dives' and fallback)
    rounded: int | None = None  # objective of its rounding (``_closest``), where one was found
    lp_neighbourhoods: int = 0  # neighbourhoods within it solved after the rounding
    dived: bool = False  # a dive through the schedule choice (``_dive``) took its place
    leaves: int = 0  # leaves the dive reached
    dive_neighbourhoods: int = 0  # LP-guided neighbourhoods solved at the dive's depths
    improved: bool = False
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    # told of each better rota as it is kept: (objective, solution, bound so far)
    on_improve: Callable[[int, list[int], float | None], None] | None = None

    def keep(self, solution: list[int], objective: int) -> None:
        """Take a rota (a full solution and its objective) if it is better."""
        if objective < self.objective:
            self.solution, self.objective, self.improved = solution, objective, True
            if self.on_improve is not None:
                self.on_improve(objective, solution, self.bound)

    def near_optimum(self) -> bool:
        """Whether the master's solution is one worth rounding to a rota (LP-guided): the
        rounds converged, or the master is within ``LP_GUIDED_GAP`` of its bound."""
        if self.converged:
            return True
        if self.master is None or self.bound is None:
            return False
        return self.master - self.bound <= LP_GUIDED_GAP * abs(self.master)

    def summary(self, start: int) -> str:
        """One line for the run information (``start``: the objective it started from)."""
        state = "converged" if self.converged else "not converged"
        if self.proven:
            state += ", the rota proven optimal"
        steps = []
        if self.dived or self.leaves:
            steps.append(
                f"dive: {self.leaves} leaves, {self.dive_neighbourhoods} LP-guided neighbourhoods"
            )
        if self.rounded is not None:  # the converged master's, after the dive if any
            steps.append(
                f"LP-guided neighbourhood: {self.free} assignments free, rounded to "
                f"{self.rounded / SCALE:,.2f}, then {self.lp_neighbourhoods} neighbourhoods"
            )
        elif self.neighbourhood_status and not self.dived:
            steps.append(
                f"LP-guided neighbourhood: {self.free} assignments free, "
                f"{self.neighbourhood_status}"
            )
        step = "; ".join(steps) or "LP-guided neighbourhood: not run"
        bound = "-" if self.bound is None else f"{self.bound / SCALE:,.2f}"
        return (
            f"{self.rounds} rounds, {self.schedules} schedules, {state}, bound {bound}; "
            f"{step}; "
            f"objective {start / SCALE:,.2f} -> {self.objective / SCALE:,.2f}; "
            f"{self.seconds:.1f} s" + "".join(f"; {n}" for n in self.notes)
        )


@dataclass
class Duals:
    """The master's dual values: every row's (``rows``), and those pricing reads: shift
    place rows, fair-share amount rows, convexity rows."""

    rows: np.ndarray
    cover: list[float]
    amount: list[float]
    convexity: dict[int, float]


@dataclass
class _Clinician:
    """What pricing needs of one clinician: their model, own costs and master rows."""

    c: int
    sub: RotaModel
    own: OwnCosts
    amounts: list[tuple[int, dict[int, int]]]  # (fair-share amount row, shift -> amount)

    def reduced_cost(self, schedule: frozenset[int], duals: Duals) -> float:
        """Own costs, less the duals of the schedule's place rows and of the convexity row,
        plus the duals of the amount rows (where its coefficient is -amount)."""
        value = self.own.of(schedule) - duals.convexity[self.c]
        value -= sum(duals.cover[s] for s in schedule)
        for row, amounts in self.amounts:
            value += duals.amount[row] * sum(amounts.get(s, 0) for s in schedule)
        return value


PRIMAL_SIMPLEX = 4  # HiGHS's simplex_strategy value


class _Lp:
    """A linear programme (minimise) grown by rows and columns and re-solved by HiGHS from
    its last basis. New columns leave that basis feasible, so the primal simplex goes on
    from it: M's masters took 0.2-0.3 s each where GLOP (through pywraplp, which starts
    afresh every time) took 0.8-1.5 s and the rounds did not converge within their time."""

    def __init__(self) -> None:
        # highspy.Highs() would print HiGHS's banner on stdout before output can be turned
        # off; the class beneath it does not
        self.h = h = _Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("threads", 1)  # pricing runs beside it on the other cores
        h.setOptionValue("simplex_strategy", PRIMAL_SIMPLEX)
        # the last solution's duals and values, copied once: each read of highspy's
        # solution fields copies the whole vector
        self.row_duals: np.ndarray = np.zeros(0)
        self.col_values: list[float] = []
        self.row_lower: list[float] = []
        self.row_upper: list[float] = []

    def row(self, lower: float, upper: float) -> int:
        self.h.addRow(lower, upper, 0, np.array([], dtype=np.int32), np.array([], dtype=np.float64))
        self.row_lower.append(lower)
        self.row_upper.append(upper)
        return self.h.getNumRow() - 1

    def col(self, cost: float, lower: float, upper: float, entries: dict[int, float]) -> int:
        rows = np.fromiter(entries.keys(), dtype=np.int32, count=len(entries))
        values = np.fromiter(entries.values(), dtype=np.float64, count=len(entries))
        self.h.addCol(cost, lower, upper, len(entries), rows, values)
        return self.h.getNumCol() - 1

    def solve(self) -> float | None:
        self.h.run()
        if self.h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        solution = self.h.getSolution()
        self.row_duals = np.array(solution.row_dual)
        self.col_values = solution.col_value
        return float(self.h.getInfo().objective_function_value)

    def value(self, col: int) -> float:
        return float(self.col_values[col])


INF = math.inf


class _Master:
    """The restricted master linear programme, grown one schedule at a time."""

    def __init__(self, rota: RotaModel, objectives: Objectives, fill_cap: int | None) -> None:
        self.lp = lp = _Lp()
        # the columns other than schedules (places, fair shares), for the dual function;
        # each has lower bound 0
        costs: list[float] = []
        uppers: list[float] = []
        entries_of: list[dict[int, float]] = []

        def fixed(cost: float, upper: float, entries: dict[int, float]) -> None:
            lp.col(cost, 0, upper, entries)
            costs.append(cost)
            uppers.append(upper)
            entries_of.append(entries)

        target = rota.data.rules.weights.target
        cap = None if fill_cap is None else lp.row(-INF, fill_cap)
        # places: people + unfilled required + unfilled target - extra = wanted; the model
        # fills places in order, a relaxation may leave either kind empty
        self.cover: list[int] = []
        for shift in rota.shifts:
            st = shift.type
            row = lp.row(st.wanted, st.wanted)
            if st.needed:
                entries = {row: 1.0}
                cost = 0.0
                if st.under_weight is not None:
                    cost = st.under_weight * SCALE
                elif cap is not None:
                    entries[cap] = priority_weight(st.priority)
                fixed(cost, st.needed, entries)
            if st.wanted > st.needed:
                fixed(target * st.priority * SCALE, st.wanted - st.needed, {row: 1.0})
            if st.over_weight is not None:
                fixed(st.over_weight * SCALE, INF, {row: -1.0})
            self.cover.append(row)
        # fair shares: amount rows q_i = sum of schedules' amounts, total Q = sum q_i,
        # dev_i >= |q_i - a_i/A*Q| as in the model (there rounded up to whole units)
        self.amount_rows: list[int] = []  # fair-share members' amount rows
        # per clinician: (amount row number, shift -> amount) for the members they count in
        self.amounts: list[list[tuple[int, dict[int, int]]]] = [[] for _ in rota.data.clinicians]
        for group in objectives.groups:
            g = reduce(math.gcd, [mb.offered for mb in group.members])
            offered = [mb.offered // g for mb in group.members]
            whole = sum(offered)
            total_row = lp.row(0, 0)
            rows = []
            for mb, a in zip(group.members, offered, strict=True):
                q_row = lp.row(0, 0)
                self.amount_rows.append(q_row)
                # divided by A: coefficients near 1 keep the simplex exact
                above, below = lp.row(0, INF), lp.row(0, INF)
                rows.append((above, below, a / whole))
                fixed(0, INF, {q_row: 1.0, total_row: -1.0, above: -1.0, below: 1.0})
                fixed(group.weight, INF, {above: 1.0, below: 1.0})
                per_clinician: dict[int, dict[int, int]] = {}
                for c, s, amount in mb.amounts:
                    per_clinician.setdefault(c, {})[s] = amount
                for c, amounts in per_clinician.items():
                    self.amounts[c].append((len(self.amount_rows) - 1, amounts))
            total = {total_row: 1.0}
            for above, below, share in rows:
                total[above] = share
                total[below] = -share
            fixed(0, INF, total)
        self.fixed_cost = np.array(costs, dtype=np.float64)
        self.fixed_upper = np.array(uppers, dtype=np.float64)
        self.fixed_col = np.array([j for j, e in enumerate(entries_of) for _ in e], dtype=np.int64)
        self.fixed_row = np.array([r for e in entries_of for r in e], dtype=np.int64)
        self.fixed_value = np.array([v for e in entries_of for v in e.values()])
        self.convexity: dict[int, int] = {}
        self.columns: dict[int, list[tuple[frozenset[int], int]]] = {}
        self.known: dict[int, set[frozenset[int]]] = {}

    def add_clinician(self, c: int) -> None:
        self.convexity[c] = self.lp.row(1, 1)
        self.columns[c] = []
        self.known[c] = set()

    def add(self, c: int, schedule: frozenset[int], cost: int) -> bool:
        """Add a schedule of clinician c (False: known already)."""
        if schedule in self.known[c]:
            return False
        self.known[c].add(schedule)
        entries = {self.convexity[c]: 1.0}
        for s in schedule:
            entries[self.cover[s]] = 1.0
        for row, amounts in self.amounts[c]:
            amount = sum(amounts.get(s, 0) for s in schedule)
            if amount:
                entries[self.amount_rows[row]] = -amount
        col = self.lp.col(cost, 0, INF, entries)
        self.columns[c].append((schedule, col))
        return True

    def solve(self) -> float | None:
        return self.lp.solve()

    def duals(self, rows: np.ndarray | None = None) -> Duals:
        """Dual values ``rows`` (by default the last solution's) as pricing reads them."""
        y = self.lp.row_duals if rows is None else rows
        return Duals(
            y,
            [float(y[row]) for row in self.cover],
            [float(y[row]) for row in self.amount_rows],
            {c: float(y[row]) for c, row in self.convexity.items()},
        )

    def dual_value(self, rows: np.ndarray) -> float | None:
        """The master's Lagrangian function at row duals ``rows`` without its schedule
        columns: each row's dual times its bound on the side the dual's sign binds, plus
        each other column at the bound where its reduced cost is least. Adding each
        clinician's least reduced cost under ``rows`` (convexity dual included) gives a
        lower bound on the soft goals for any ``rows``, not only the master's own duals
        (at those, this is the master's value). None where ``rows`` makes it unbounded."""
        lower = np.array(self.lp.row_lower)
        upper = np.array(self.lp.row_upper)
        # signs within the simplex's tolerance count as zero; on the rows with one infinite
        # side (fill level, fair-share deviations) no schedule has an entry, so zero there
        # leaves every reduced cost as priced
        at_lower, at_upper = rows > DUAL_EPS, rows < -DUAL_EPS
        if np.isinf(lower[at_lower]).any() or np.isinf(upper[at_upper]).any():
            return None
        value = float(rows[at_lower] @ lower[at_lower] + rows[at_upper] @ upper[at_upper])
        used = np.bincount(
            self.fixed_col,
            weights=rows[self.fixed_row] * self.fixed_value,
            minlength=len(self.fixed_cost),
        )
        reduced = self.fixed_cost - used
        negative = reduced < -DUAL_EPS
        if np.isinf(self.fixed_upper[negative]).any():
            return None
        return value + float(reduced[negative] @ self.fixed_upper[negative])

    def shares(self, c: int) -> list[tuple[float, frozenset[int]]]:
        """The clinician's schedules in the last solution, with their weights."""
        out = [(self.lp.value(col), schedule) for schedule, col in self.columns[c]]
        return [(w, schedule) for w, schedule in out if w > INTEGRAL_EPS]


def _pricing_objective(
    cl: _Clinician, duals: Duals
) -> tuple[dict[int, float], float, list[tuple[OwnTerm, Any]]]:
    """``_Clinician.reduced_cost`` as (per shift worked, constant, date terms)."""
    per_shift: dict[int, float] = {s: float(v) for s, v in cl.own.per_shift.items()}
    for _, s in cl.sub.x:
        per_shift[s] = per_shift.get(s, 0.0) - duals.cover[s]
    for row, amounts in cl.amounts:
        dual = duals.amount[row]
        if dual:
            for s, amount in amounts.items():
                per_shift[s] += amount * dual
    constant = cl.own.constant - duals.convexity[cl.c]
    return per_shift, constant, cl.own.day_terms


def _price(
    cl: _Clinician, duals: Duals, true: Duals, limit: float, seed: int
) -> tuple[list[frozenset[int]], float | None]:
    """One CP-SAT search of the clinician's model for the schedule of least reduced cost
    under ``duals``: the schedules found whose reduced cost under the master's own duals
    (``true``) is negative (best last), and a lower bound on the reduced cost under
    ``duals`` (SCALE units; None if the search found no schedule)."""
    per_shift, constant, day_terms = _pricing_objective(cl, duals)
    sub = cl.sub
    variables = [sub.x[(0, s)] for s in per_shift]
    coefs = [round(RESOLUTION * v) for v in per_shift.values()]
    for term, lit in day_terms:
        variables.append(lit)
        coefs.append(RESOLUTION * term.coef)
    sub.model.minimize(cp_model.LinearExpr.weighted_sum(variables, coefs))
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = 1
    p.random_seed = seed
    p.linearization_level = 2  # proves most schedules optimal quickly
    # probing and SAT inprocessing cost more than they save on a model this small: the
    # rounds to convergence did 2-33% less CP-SAT work without them (NRP 8, 9, 12, M)
    p.cp_model_probing_level = 0
    p.use_sat_inprocessing = False
    p.max_time_in_seconds = max(0.01, limit)
    # CP-SAT's own Ctrl-C handler, installed from a worker thread, would replace the
    # solve's (``ooh.rota.interrupt``) and let Ctrl-C kill the process
    p.catch_sigint_signal = False
    found: list[frozenset[int]] = []
    xs = [(s, sub.x[(0, s)]) for _, s in sub.x]

    class Collect(cp_model.CpSolverSolutionCallback):
        def on_solution_callback(self) -> None:
            found.append(frozenset(s for s, var in xs if self.value(var)))

    status = solver.solve(sub.model, Collect())
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return [], None
    # each coefficient was rounded by at most half a unit
    slack = (len(variables) / 2) / RESOLUTION
    bound = solver.best_objective_bound / RESOLUTION + constant - slack
    good = [(cl.reduced_cost(schedule, true), schedule) for schedule in found]
    good = [(rc, schedule) for rc, schedule in good if rc < -REDUCED_COST_EPS]
    good.sort(key=lambda item: -item[0])
    return [schedule for _, schedule in good[-NEW_PER_ROUND:]], min(bound, 0.0)


class _Generation:
    """The master, every clinician's pricing model, and the rounds between them."""

    def __init__(
        self,
        rota: RotaModel,
        objectives: Objectives,
        solution: list[int],
        fill_cap: int | None,
        seed: int,
        workers: int,
        build_limit: float = math.inf,
    ) -> None:
        """Builds every clinician's model and solves the first master, unless building
        takes more than ``build_limit`` seconds: then ``built`` is false and ``value``
        None (Curtois & Qu 24, 150 clinicians over a year: 24 s to build them all)."""
        started = perf_counter()
        self.rota, self.seed = rota, seed
        self.pool = ThreadPoolExecutor(max(1, workers))
        self.master = master = _Master(rota, objectives, fill_cap)
        own_by_c: dict[int, list[OwnTerm]] = {}
        for term in objectives.own:
            own_by_c.setdefault(term.clinician, []).append(term)
        fixed_by_c: dict[int, list[Any]] = {}
        for booking in rota.data.fixed:
            c = rota.clinician_index.get(booking.clinician)
            if c is not None:
                fixed_by_c.setdefault(c, []).append(booking)
        self.people: list[_Clinician] = []
        self.built = False
        self.value: float | None = None
        self.rounds = 0
        self.centre: Duals | None = None  # the duals priced last (smoothing's centre)
        self.workers = max(1, workers)
        self.aborted = False  # a round stopped as too slow (``round``)
        self.projected = 0.0  # that round's pricing time as projected (seconds)
        for c, shifts in enumerate(rota.by_clinician):
            if perf_counter() - started > build_limit:
                return
            open_shifts = [s for s in shifts if has_room(rota.shifts[s], 0)]
            if not open_shifts:
                continue
            sub = clinician_model(rota, c, open_shifts, fixed_by_c.get(c, []))
            # a shift with no room is in no schedule, so its fair-share amount never counts
            amounts = [
                (row, {s: a for s, a in by_shift.items() if (0, s) in sub.x})
                for row, by_shift in master.amounts[c]
            ]
            cl = _Clinician(c, sub, own_costs(sub, own_by_c.get(c, [])), amounts)
            self.people.append(cl)
            master.add_clinician(c)
            current = frozenset(s for s in shifts if solution[rota.x[(c, s)].index])
            master.add(c, current, cl.own.of(current))
        self.built = True
        self.value = master.solve()

    def round(self, limit: float, too_slow: float = math.inf) -> tuple[int, float | None]:
        """Price clinicians and re-solve the master: (schedules added, Lagrangian bound or
        None). Pricing uses duals smoothed towards the last round's (fewer rounds where
        the master's own duals jump between vertices); when that finds nothing, the
        master's own duals, which alone prove that nothing improves. Every pricing of
        everyone gives a Lagrangian bound, at whichever duals it used. A round whose
        pricing would take far more than ``too_slow`` seconds by its first clinicians'
        pace stops there (``aborted``), with no bound and the master not re-solved."""
        self.rounds += 1
        true = self.master.duals()
        duals = true
        if self.centre is not None:
            duals = self.master.duals(SMOOTHING * self.centre.rows + (1 - SMOOTHING) * true.rows)
        added, bound = self._price(duals, true, limit, too_slow)
        if self.aborted:
            return 0, None
        if added == 0 and duals is not true:
            duals = true
            added, again = self._price(duals, true, limit, too_slow)
            if self.aborted:
                return 0, None
            bound = max((b for b in (bound, again) if b is not None), default=None)
        self.centre = duals
        self.value = self.master.solve()
        return added, bound

    def _price(
        self, duals: Duals, true: Duals, limit: float, too_slow: float = math.inf
    ) -> tuple[int, float | None]:
        """Price every clinician (in parallel) under ``duals``: schedules added, and the
        Lagrangian bound at ``duals`` (None when a search found no schedule, or the dual
        function is unbounded there). Stops (``aborted``) once the pace so far, over at
        least ``PACE_SAMPLE`` searches per worker, puts the whole pricing above
        ``PACE_MARGIN`` times ``too_slow`` seconds."""
        started = perf_counter()
        jobs = [self.pool.submit(_price, cl, duals, true, limit, self.seed) for cl in self.people]
        lagrangian = self.master.dual_value(duals.rows)
        added = 0
        sample = PACE_SAMPLE * self.workers
        for done, (cl, job) in enumerate(zip(self.people, jobs, strict=True), start=1):
            schedules, least = job.result()
            if least is None:
                lagrangian = None
            elif lagrangian is not None:
                lagrangian += least
            for schedule in schedules:
                added += self.master.add(cl.c, schedule, cl.own.of(schedule))
            pace = (perf_counter() - started) / done
            if sample <= done < len(jobs) and pace * len(jobs) > PACE_MARGIN * too_slow:
                for job in jobs[done:]:
                    job.cancel()  # those begun end within their limit
                self.aborted = True
                self.projected = pace * len(jobs)
                return added, None
        return added, lagrangian


def improve_by_schedules(
    model: cp_model.CpModel,
    rota: RotaModel,
    objectives: Objectives,
    solution: list[int],
    objective: int,
    budget: float,
    fill_cap: int | None = None,
    seed: int = 0,
    workers: int = 2,
    stopped: Callable[[], bool] = lambda: False,
    solve: Callable[[cp_model.CpSolver, cp_model.CpModel], Any] | None = None,
    on_round: Callable[[str], None] | None = None,
    on_improve: Callable[[int, list[int], float | None], None] | None = None,
    neighbourhood_share: float = 0.25,
    floor: Callable[[float], int] | None = None,
    dive_budget: float = 0.0,
) -> ScheduleOutcome:
    """Column generation from ``solution`` (a full solution of ``model``, whose objective is
    the soft goals and equals ``objective``), then the LP-guided neighbourhood, within
    ``budget`` seconds; at most ``1 - neighbourhood_share`` of it for the rounds, and for the
    LP-guided neighbourhood at most ``LP_GUIDED_TIMES`` the rounds' time. Where the
    rounds converge early enough that a dive (``_dive``) fits within ``dive_budget``
    seconds, a dive takes the neighbourhood's place and may use that longer time.
    ``fill_cap``: the fill level phase 1 reached (a row of the master). ``floor``: the
    least value the soft goals can take at or above a bound; once a round's bound lifts
    it to ``objective``, the rota given is proven optimal and the step ends there.
    ``on_round`` is told of each round, ``on_improve`` of each better rota as it is found
    (objective, solution, the bound so far). Never returns a worse solution than the one
    given."""
    started = perf_counter()
    out = ScheduleOutcome(list(solution), objective, on_improve=on_improve)

    def spent() -> float:
        return perf_counter() - started

    rounds_end = budget * (1 - neighbourhood_share)
    # building the models is cheap beside pricing them (NRP 12, M: 0.2 s; XL: 3 s): a build
    # slower than two rounds' share of the time means the rounds cannot fit either
    build_limit = 2 * rounds_end / ROUNDS_NEEDED
    gen = _Generation(rota, objectives, solution, fill_cap, seed, workers, build_limit)
    if not gen.built:
        gen.pool.shutdown()
        out.notes.append(
            f"stopped: building the clinicians' models took more than {build_limit:.1f} s, "
            f"too long for {ROUNDS_NEEDED} rounds in the time"
        )
        out.seconds = spent()
        return out
    rounds_started = spent()
    try:
        while gen.value is not None and not stopped() and spent() < rounds_end:
            value = gen.value
            round_started = spent()
            # a first round too slow to come near convergence: the time is better spent
            # elsewhere, and its first clinicians' pace says so (on Curtois & Qu 22 a round
            # of 50 clinicians over a year took 24 s of a 180 s solve)
            too_slow = (rounds_end - spent()) / ROUNDS_NEEDED if gen.rounds == 0 else math.inf
            added, lagrangian = gen.round(
                min(PRICE_LIMIT, max(0.05, rounds_end - spent())), too_slow
            )
            if lagrangian is not None and (out.bound is None or lagrangian > out.bound):
                out.bound = lagrangian
            took = spent() - round_started
            if gen.aborted or (gen.rounds == 1 and took * ROUNDS_NEEDED > rounds_end - spent()):
                pace = (
                    f"would take {gen.projected:.1f} s (stopped after {took:.1f} s)"
                    if gen.aborted
                    else f"takes {took:.1f} s"
                )
                out.notes.append(
                    f"stopped: a round {pace}, too long for {ROUNDS_NEEDED} rounds in the time"
                )
                out.rounds = gen.rounds
                out.seconds = spent()
                return out
            if on_round is not None:
                on_round(
                    f"master {value / SCALE:,.2f}, bound "
                    f"{'-' if out.bound is None else f'{out.bound / SCALE:,.2f}'}, "
                    f"{added} new schedules"
                )
            out.converged = added == 0
            out.proven = (
                out.bound is not None and floor is not None and floor(out.bound) >= objective
            )
            if out.converged or out.proven:
                break
        out.master = gen.value
        out.rounds = gen.rounds
        if gen.value is None:
            out.notes.append("the master linear programme was not solved")
        elif budget - spent() > 0.1 and not stopped() and not out.proven:
            rounds_seconds = spent() - rounds_started
            round_seconds = rounds_seconds / max(1, gen.rounds)
            dive_seconds = DIVE_COST * len(gen.people) * round_seconds
            tried = out.converged and bool(gen.people) and dive_seconds <= dive_budget - spent()
            if tried:

                def stop_diving() -> bool:  # stopped, or a rota at the bound: optimal
                    bound = out.bound
                    optimal = (
                        bound is not None and floor is not None and floor(bound) >= out.objective
                    )
                    return stopped() or optimal

                deepest = _dive(
                    model, rota, gen, out, dive_budget - spent(), seed, workers, solve, stop_diving
                )
                # a master that rose above its bound with most clinicians still free: the
                # schedule choice is far from whole, and the dive's neighbourhoods were few;
                # or it rose at every depth where a neighbourhood would be solved (S, 2 of
                # 8 solves at 60 s: 3 leaves, no neighbourhood, the rota left as it was)
                out.dived = deepest >= DIVE_DEEP and out.dive_neighbourhoods > 0
            if out.dived:
                pass  # the dive's neighbourhoods stood in for the LP-guided one
            elif not out.near_optimum():
                out.notes.append(
                    f"the master is more than {LP_GUIDED_GAP:.0%} above its bound: the "
                    "LP-guided neighbourhood's time is left to the neighbourhoods"
                )
            elif budget - spent() > 0.1:
                if tried:
                    why = (
                        "fixed under half the clinicians"
                        if deepest < DIVE_DEEP
                        else "solved no neighbourhood"
                    )
                    out.notes.append(
                        f"the dive {why}: the LP-guided neighbourhood of the converged "
                        "master followed"
                    )
                _lp_guided(
                    model,
                    rota,
                    gen.master,
                    gen.people,
                    out,
                    min(budget - spent(), LP_GUIDED_TIMES * rounds_seconds),
                    seed,
                    workers,
                    solve,
                    stopped,
                )
    finally:
        gen.pool.shutdown()
    out.schedules = sum(len(v) for v in gen.master.columns.values())
    out.seconds = spent()
    return out


def _dive(
    model: cp_model.CpModel,
    rota: RotaModel,
    gen: _Generation,
    out: ScheduleOutcome,
    limit: float,
    seed: int,
    workers: int,
    solve: Callable[[cp_model.CpSolver, cp_model.CpModel], Any] | None,
    stopped: Callable[[], bool] = lambda: False,
) -> float:
    """A dive from the converged master, for ``limit`` seconds or until ``stopped()``: fix
    a clinician's heaviest schedule (every clinician whose heaviest is whole, and the
    heaviest of the rest), price the others again for up to ``DIVE_ROUNDS`` rounds (fewer
    once one lowers the master by less than ``DIVE_TAILING``), solve
    the LP-guided neighbourhood of that master, repeat; until a leaf: the master rises more
    than ``DIVE_RISE`` above the converged master, or every clinician is fixed. A leaf
    reached with under ``DIVE_DEEP`` of the clinicians fixed ends the dive; from a deeper
    one it undoes its last ``DIVE_BACKTRACK`` depths and goes on, fixing another clinician
    than before at the depth it returns to, and from then on one of the ``DIVE_CHOICES``
    heaviest of the rest at random, for at most
    ``DIVE_BACKTRACK_TIMES`` the time it took to reach its first leaf. The rota improves
    only through the neighbourhoods: the dive's own choice of schedules is no rota while
    clinicians are left. Leaves the master as converged (its new schedules kept) and
    returns the largest share of clinicians it fixed."""
    started = perf_counter()
    master, people = gen.master, gen.people
    start_value = out.master
    assert start_value is not None
    free = {cl.c: cl for cl in people}
    depths: list[list[tuple[_Clinician, int]]] = []  # (clinician, column) fixed at each depth
    deepest = 0.0
    rng: np.random.Generator | None = None  # the first way down takes the heaviest
    retaken: int | None = None  # the clinician last chosen at the depth backtracked to

    def fixed_share() -> float:
        return (len(people) - len(free)) / len(people)

    def reprice() -> None:
        gen.people = list(free.values())
        gen.centre = None  # the last duals are those of another master
        gen.value = master.solve()

    try:
        while free and perf_counter() - started < limit and not stopped():
            heaviest = []
            for c in free:
                weight, col = max((master.lp.value(col), col) for _, col in master.columns[c])
                heaviest.append((weight, c, col))
            heaviest.sort(reverse=True)
            chosen = [item for item in heaviest if item[0] >= 1 - INTEGRAL_EPS]
            rest = heaviest[len(chosen) :]
            # where the dive backtracked to, another choice than the one that led to the leaf
            rest = [item for item in rest if item[1] != retaken] or rest
            retaken = None
            if rest:
                pick = 0 if rng is None else int(rng.integers(min(DIVE_CHOICES, len(rest))))
                chosen.append(rest[pick])
            depths.append([(free.pop(c), col) for _, c, col in chosen])
            for _, col in depths[-1]:
                master.lp.h.changeColBounds(col, 1.0, 1.0)
            deepest = max(deepest, fixed_share())
            reprice()
            for _ in range(DIVE_ROUNDS):
                if gen.value is None or not gen.people or perf_counter() - started >= limit:
                    break
                before = gen.value
                added, _ = gen.round(PRICE_LIMIT)  # its bound is the restricted master's
                if added == 0 or _stalled(before, gen.value):
                    break
            risen = gen.value is None or gen.value > start_value + DIVE_RISE * abs(start_value)
            left = limit - (perf_counter() - started)
            if not risen and fixed_share() >= DIVE_FIRST_NEIGHBOURHOOD and left > 0.1:
                _lp_guided(
                    model,
                    rota,
                    master,
                    people,
                    out,
                    min(DIVE_NEIGHBOURHOOD, left),
                    seed,
                    workers,
                    solve,
                )
                out.dive_neighbourhoods += 1
            if risen or not free:
                out.leaves += 1
                if fixed_share() < DIVE_DEEP:
                    break
                if out.leaves == 1:
                    limit = min(limit, (1 + DIVE_BACKTRACK_TIMES) * (perf_counter() - started))
                for _ in range(min(DIVE_BACKTRACK, len(depths))):
                    for cl, col in depths.pop():
                        master.lp.h.changeColBounds(col, 0.0, INF)
                        free[cl.c] = cl
                        retaken = cl.c  # the last of a depth's fixes is its choice
                rng = rng or np.random.default_rng(seed)
                reprice()
        return deepest
    finally:
        for depth in depths:
            for _, col in depth:
                master.lp.h.changeColBounds(col, 0.0, INF)
        gen.people = people
        gen.centre = None
        gen.value = master.solve()


def _stalled(before: float, after: float | None) -> bool:
    """Whether a round at a dive's depth lowered the master by less than ``DIVE_TAILING``
    of its value (None: the master not solved)."""
    return after is None or before - after < DIVE_TAILING * abs(after)


def _agreement(
    model: cp_model.CpModel, rota: RotaModel, master: _Master, people: list[_Clinician]
) -> tuple[cp_model.CpModel, set[int], list[int]]:
    """A copy of the model with every assignment on which the clinician's schedules in the
    master's solution agree fixed (worked or not), and every assignment in no schedule not
    worked; the assignment variables left free; and a hint for every assignment variable
    of the clinicians priced: worked in their main (heaviest) schedule or not (1 or 0)."""
    work = model.clone()
    domains = work.proto.variables
    work.clear_hints()
    free: set[int] = set()
    hint = [0] * len(domains)
    for cl in people:
        shares = master.shares(cl.c)
        main = max(shares, key=lambda item: item[0])[1] if shares else frozenset()
        for _, s in cl.sub.x:
            index = rota.x[(cl.c, s)].index
            share = sum(w for w, schedule in shares if s in schedule)
            if share <= INTEGRAL_EPS or share >= 1 - INTEGRAL_EPS:
                fix_variable(domains[index], int(share >= 1 - INTEGRAL_EPS))
            else:
                free.add(index)
            hint[index] = int(s in main)
    # assignments of shifts with no room never had a schedule: not worked
    open_x = {(cl.c, s) for cl in people for _, s in cl.sub.x}
    for cs, var in rota.x.items():
        if cs not in open_x:
            fix_variable(domains[var.index], 0)
    return work, free, hint


def _lp_guided(
    model: cp_model.CpModel,
    rota: RotaModel,
    master: _Master,
    people: list[_Clinician],
    out: ScheduleOutcome,
    limit: float,
    seed: int,
    workers: int,
    solve: Callable[[cp_model.CpSolver, cp_model.CpModel], Any] | None,
    stopped: Callable[[], bool] | None = None,
) -> None:
    """Fix every assignment on which the clinician's schedules in the master's solution
    agree: the rest of the whole model is the LP-guided neighbourhood. With ``stopped``
    (the converged master's neighbourhood) and more than ``ONE_SEARCH_MAX`` assignments
    free it is searched a piece at a time: rounded to the rota closest to the main
    schedules (``_closest``), then improved by neighbourhoods freed only within it
    (``ooh.rota.improve``). Otherwise (a dive's, a small one), or where no rota close to
    the main schedules is found in time, one search of the whole neighbourhood from the
    main schedules."""
    started = perf_counter()
    work, free, hint = _agreement(model, rota, master, people)
    out.free = len(free)
    if stopped is not None and len(free) > ONE_SEARCH_MAX:
        rounded = _closest(work, rota, free, hint, limit * ROUNDING_SHARE, seed, workers, solve)
        if rounded is not None:
            solution, value = rounded
            out.rounded = value
            loop = improve(
                work,
                rota,
                solution,
                value,
                limit - (perf_counter() - started),
                seed=seed,
                workers=workers,
                stopped=stopped,
                solve=solve,
                on_improve=lambda value, solution: out.keep(solution, value),
                within=free,
            )
            out.lp_neighbourhoods = loop.neighbourhoods
            out.keep(loop.solution, loop.objective)
            return
    _set_hint(work, rota, hint)
    solver = _solver(limit - (perf_counter() - started), seed, workers)
    status = search(solver, work, solve)
    out.neighbourhood_status = solver.status_name(status)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        out.keep(list(solver.response_proto.solution), round(solver.objective_value))


def _closest(
    work: cp_model.CpModel,
    rota: RotaModel,
    free: set[int],
    hint: list[int],
    limit: float,
    seed: int,
    workers: int,
    solve: Callable[[cp_model.CpSolver, cp_model.CpModel], Any] | None,
) -> tuple[list[int], int] | None:
    """The rota within ``work`` that changes fewest of the ``free`` assignments from
    ``hint``, with its soft goals at their least: (full solution of ``work``, objective),
    or None where none is found within ``limit`` seconds. The main schedules together are
    seldom a rota (M: 87 people above the places wanted, 97 required places empty), but
    the closest rota to them is found fast (M: 173 changes, 0.4 s; NRP 12: 2.2 s), where
    CP-SAT's own search of the neighbourhood took 4 s to find any rota (M: at 360,981)."""
    started = perf_counter()
    near = work.clone()
    _set_hint(near, rota, hint)
    changes = []
    for i in sorted(free):
        var = near.get_bool_var_from_proto_index(i)
        changes.append(var.Not() if hint[i] else var)
    near.minimize(cp_model.LinearExpr.sum(changes))
    solver = _solver(limit, seed, workers)
    status = search(solver, near, solve)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    chosen = solver.response_proto.solution
    completed = work.clone()
    for i in free:
        fix_variable(completed.proto.variables[i], chosen[i])
    solver = _solver(max(0.1, limit - (perf_counter() - started)), seed, workers)
    status = search(solver, completed, solve)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return list(solver.response_proto.solution), round(solver.objective_value)


def _set_hint(work: cp_model.CpModel, rota: RotaModel, hint: list[int]) -> None:
    """Hint every assignment variable at its value in ``hint``."""
    work.clear_hints()
    indices = [var.index for var in rota.x.values()]
    work.proto.solution_hint.vars.extend(indices)
    work.proto.solution_hint.values.extend(hint[i] for i in indices)


def _solver(limit: float, seed: int, workers: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = max(1, workers)
    p.random_seed = seed
    p.max_time_in_seconds = max(0.1, limit)
    return solver
