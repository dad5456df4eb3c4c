"""Solve a rota: fill required places first, then weigh the soft goals.

Lexicographic optimisation over one CP-SAT model, from a first rota built one clinician at
a time (phase 0):

1. minimise unfilled required places, weighted 2**(priority-1);
2. keep that optimum (or the best found) as a constraint and minimise the soft goals in
   points (target places, fair shares, requests, preferences, cost, locum use).

Each phase first re-solves neighbourhoods of the best rota so far (``ooh.rota.improve``),
then searches the whole model from it (which also proves the bound). See
docs/rota-formulation.md.

A rota always comes back with its gaps listed; only contradicting hard rules (fixed
bookings, minimum shifts, availability) give Status.CONFLICT, with the conflict in words.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from time import perf_counter
from typing import Any

from ooh.rota.data import Assignment, Result, RotaData, Shift, Status
from ooh.rota.interrupt import SearchInterrupt

PHASE0_SHARE = 0.15  # of the time limit for the first rota
PHASE0_SOFT_SHARE = 0.05  # ... when no place is required (soft cover only)
# of the time left: the most the first rota may take. Where it is this slow, CP-SAT's own
# search of the whole model finds no rota either (Curtois & Qu 24, a year for 150 people:
# model and first rota took 187 s of a 300 s limit; the whole model found none in 93 s)
FIRST_ROTA_GIVE_UP = 0.8
TARGETS_SHARE = 0.1  # of the time limit, at most, to fill target places before phase 2
PHASE1_SHARE = 0.3  # of the time limit for 1b (1a: this x NEIGHBOURHOOD_SHARE); often far less
# of what is left for the soft goals: schedule generation first (its rounds, then the
# LP-guided neighbourhood), then neighbourhoods, then the whole model. The LP-guided
# neighbourhood's own loop improves M's rota faster than the loop over the whole rota
# (M at 60 s: 1.41-1.61% with 0.85 of the time, 1.61-1.78% with 0.6), so it gets most of
# what the rounds leave (``LP_GUIDED_TIMES`` caps it); the rounds keep their 0.45
# (docs/benchmarks.md, "The LP-guided neighbourhood a piece at a time")
SCHEDULES_SHARE = 0.85
ROUNDS_SHARE = 0.45
# ... unless its rounds converge early enough for dives through the schedule choice, which
# then may take this much (``ooh.rota.schedules._dive``)
DIVES_SHARE = 0.9
NEIGHBOURHOOD_SHARE = 0.7
# a bound from HiGHS's cutting planes on the whole model, on one core beside the search,
# for this share of what is left for the soft goals (``ooh.rota.mip_bound``); only where
# fair-share groups are (whole counts are what its cuts see and the schedule step's LP
# does not) and the model is small enough for its root to finish (M: 10,721 variables)
MIP_BOUND_SHARE = 0.2
MIP_BOUND_MAX_VARIABLES = 40_000


@dataclass(frozen=True)
class SolveParams:
    time_limit: float = 60.0  # seconds, both phases together (model building included)
    seed: int = 0
    workers: int = 2
    deterministic: bool = False  # reproducible: one worker, deterministic time limits
    log: bool = False  # CP-SAT's own search log on stdout
    neighbourhoods: bool = True  # improve by re-solving neighbourhoods before the full model


def solve(
    data: RotaData,
    params: SolveParams = SolveParams(),  # noqa: B008 (frozen: safe default)
    progress: Callable[[str], None] | None = None,
    shifts: list[Shift] | None = None,
    previous: list[Assignment] | None = None,
    frozen_before: date | None = None,
) -> Result:
    """Build and solve the rota model; never raises for "no full rota".

    With ``previous`` (a repair), a phase between filling and the soft goals keeps as much
    of the previous rota as possible (fewest people moved, then fewest assignments changed;
    ``ooh.rota.model.change``), and shifts before ``frozen_before`` stay exactly as they were.
    The first Ctrl-C stops the search and keeps the best rota so far, wherever it comes
    (``ooh.rota.interrupt``); a second one raises ``KeyboardInterrupt``.
    """
    stop = SearchInterrupt(progress)
    # guarded throughout, not only during searches: between two searches a first Ctrl-C
    # would otherwise raise and lose the rota
    with stop.catching():
        return _solve(data, params, progress, shifts, previous, frozen_before, stop)


def _solve(
    data: RotaData,
    params: SolveParams,
    progress: Callable[[str], None] | None,
    shifts: list[Shift] | None,
    previous: list[Assignment] | None,
    frozen_before: date | None,
    stop: SearchInterrupt,
) -> Result:
    """``solve``, with Ctrl-C caught by ``stop``."""
    from ortools.sat.python import cp_model

    from ooh.rota.calendar import build_shifts
    from ooh.rota.improve import Outcome, improve, with_assignments
    from ooh.rota.model.build import build_model
    from ooh.rota.model.conflicts import diagnose, precheck
    from ooh.rota.model.first import first_rota
    from ooh.rota.model.objective import SCALE, penalty_points, points_by_goal
    from ooh.rota.model.search import greedy_order, greedy_parameters

    started = perf_counter()
    if shifts is None:
        shifts = build_shifts(data)
    info: dict[str, Any] = asdict(params)

    def elapsed() -> float:
        return perf_counter() - started

    def conflict(lines: list[str]) -> Result:
        return Result(Status.CONFLICT, [], [], runtime=elapsed(), conflicts=lines, params=info)

    early = precheck(data, shifts)
    if early:
        return conflict(early)

    built = build_model(data, shifts)
    rota, objectives = built.rota, built.objectives
    assert objectives is not None
    model = rota.model
    info["variables"] = len(model.proto.variables)
    info["constraints"] = len(model.proto.constraints)
    info["candidate_assignments"] = len(rota.x)
    info["build_seconds"] = round(elapsed(), 3)

    def make_solver(limit: float, near_hint: bool = False) -> cp_model.CpSolver:
        solver = cp_model.CpSolver()
        p = solver.parameters
        p.num_workers = max(1, params.workers)
        p.random_seed = params.seed
        p.log_search_progress = params.log
        if params.deterministic:
            # one worker and deterministic time only: parallel workers and wall-clock
            # limits make runs differ (interleaved search aborted on these models with ortools 9.15)
            p.num_workers = 1
            p.max_deterministic_time = max(0.1, limit)
        else:
            p.max_time_in_seconds = max(0.1, limit)
        if near_hint:
            # first-solution heuristics ignore the hint and return arbitrary rotas, which
            # make a poor start for the soft goals; improve the hinted rota instead
            for name in ("fj", "ls", "feasibility_pump"):
                p.ignore_subsolvers.append(name)
        return solver

    def callback(
        phase: str,
        scale: int,
        floor: int | None = None,
        proven: Callable[[float], int | None] | None = None,
    ) -> Any:
        """Progress lines; with a floor (a known lower bound) search stops there.
        ``proven``: the bound a line shows for CP-SAT's (default: it rounded up)."""
        if progress is None and floor is None:
            return None
        return _Progress(
            phase, scale, objectives.unfilled_required, progress, started, floor, proven
        )

    used = 0.0  # deterministic time spent so far (the time limit in deterministic mode)
    # place literals (shift, variable index): required places of lines with hard cover, and
    # every place; a shift with an empty place is where neighbourhoods start
    required_places = [
        (s, lit.index)
        for s, lits in objectives.places.items()
        if rota.shifts[s].type.under_weight is None
        for lit in lits[: rota.shifts[s].type.needed]
    ]
    all_places = [(s, lit.index) for s, lits in objectives.places.items() for lit in lits]

    def neighbourhoods(
        phase: str,
        start: list[int],
        value: int,
        budget: float,
        scale: int,
        short: Callable[[list[int]], list[int]],
        floor: int | None = None,
        gaps_only: bool = False,
        hand_over: bool = False,
    ) -> Outcome:
        """Improve ``start`` (objective ``value``) by re-solving neighbourhoods."""
        nonlocal used

        def improved(new_value: int, solution: list[int]) -> None:
            if progress is not None:
                unfilled = expr_value(solution, objectives.unfilled_required)
                progress(
                    f"{elapsed():7.1f}s  phase {phase} neighbourhoods: "
                    f"objective {new_value / scale:,.1f}  unfilled required places {unfilled}"
                )

        out = improve(
            model,
            rota,
            start,
            value,
            budget,
            seed=params.seed,
            workers=params.workers,
            deterministic=params.deterministic,
            stopped=lambda: stop.hit,
            solve=stop.solve,
            on_improve=improved,
            short=short,
            floor=floor,
            gaps_only=gaps_only,
            hand_over=hand_over,
        )
        used += out.deterministic_time
        # in deterministic mode the clock stays out of what is recorded (the run's account
        # goes into the output workbook, which must then be the same from run to run)
        took = (
            f"{out.deterministic_time:.1f} work units"
            if params.deterministic
            else f"{out.seconds:.1f} s"
        )
        info[f"phase{phase}_neighbourhoods"] = (
            f"{out.neighbourhoods} solved, {out.improvements} improved, {took}; "
            + "; ".join(f"{k}: {v}" for k, v in out.by_kind.items())
        )
        return out

    change = None
    if previous is not None:
        from ooh.rota.model.change import keep_previous

        change = keep_previous(rota, list(previous), frozen_before)

    # ---- phase 0: a full first rota to start from -----------------------------------------
    status0 = cp_model.UNKNOWN
    if change is not None:  # a repair: the previous rota kept whole, open places filled
        from ooh.rota.model.change import kept_model

        solver0 = make_solver(params.time_limit * PHASE0_SHARE)
        status0 = stop.solve(solver0, kept_model(model, change, objectives.fill))
        info["phase0_kept_previous"] = status0 in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        used += solver0.response_proto.deterministic_time
    # soft cover only (no required place to fill first): the first rota need only be legal,
    # as the soft goals' own search (schedule generation) improves it far better
    soft_only = isinstance(objectives.fill, int)
    if change is None and not params.deterministic:
        # one clinician at a time: seconds where CP-SAT's first-solution search on the whole
        # model can take minutes (not reproducible: its sub-solves stop on the clock; a
        # repair dives through the previous rota instead)
        # it may go on past its share (without improving schedules) up to half the time
        # left: where it is that slow, the whole model's own search finds no rota either
        chosen = first_rota(
            rota,
            params.time_limit * (PHASE0_SOFT_SHARE if soft_only else PHASE0_SHARE),
            params.seed,
            lambda: stop.hit,
            give_up=FIRST_ROTA_GIVE_UP * (params.time_limit - elapsed()),
        )
        info["phase0_first_rota"] = "built" if chosen is not None else "none"
        if chosen is not None:
            solver0 = make_solver(params.time_limit * PHASE0_SHARE)
            status0 = stop.solve(solver0, with_assignments(model, rota, chosen, objectives.fill))
            used += solver0.response_proto.deterministic_time
    # with soft cover only the greedy dive has nothing to aim for and, on contract-heavy
    # rotas, rarely completes; phase 1 then just finds a rota
    if status0 not in (cp_model.OPTIMAL, cp_model.FEASIBLE) and not soft_only:  # greedy dive
        greedy = model.clone()
        order = greedy_order(rota)
        if change is not None:  # a repair dives through the previous rota first
            kept = {v.index for v in change.keep}
            order = change.keep + [v for v in order if v.index not in kept]
        greedy.add_decision_strategy(order, cp_model.CHOOSE_FIRST, cp_model.SELECT_MAX_VALUE)
        greedy.minimize(objectives.fill)
        solver0 = cp_model.CpSolver()
        limit0 = params.time_limit * PHASE0_SHARE
        greedy_parameters(solver0, limit0, params.seed, params.deterministic)
        status0 = stop.solve(solver0, greedy)
        used += solver0.response_proto.deterministic_time
    if status0 != cp_model.UNKNOWN:
        info["phase0_status"] = solver0.status_name(status0)
        info["phase0_seconds"] = round(elapsed() - info["build_seconds"], 3)
    if status0 == cp_model.INFEASIBLE:  # proven without search: the hard rules contradict
        limit = max(5.0, params.time_limit - elapsed())
        return conflict(diagnose(data, shifts, limit, params.seed))
    solution: list[int] = []
    best_fill = -1
    if status0 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        solution = list(solver0.response_proto.solution)
        best_fill = round(solver0.objective_value)
        set_hint(model, solution)
        if progress is not None:
            progress(
                f"{elapsed():7.1f}s  phase 0 first rota: "
                f"weighted unfilled required places {best_fill}"
            )

    # ---- phase 1: required places (skipped when the greedy rota fills them all) ------------
    if best_fill == 0 or (stop.hit and solution):  # all filled, or Ctrl-C: keep the greedy rota
        info["phase1_status"] = "OPTIMAL" if best_fill == 0 else "SKIPPED (interrupted)"
        info["phase1_seconds"] = 0.0
        proven1 = best_fill == 0
    else:
        model.minimize(objectives.fill)

        def fill_places(phase: str, gaps_only: bool) -> None:
            """Fill required places by neighbourhoods (or only the gaps step)."""
            nonlocal solution, best_fill
            out = neighbourhoods(
                phase,
                solution,
                best_fill,
                params.time_limit * PHASE1_SHARE * NEIGHBOURHOOD_SHARE,
                scale=1,
                floor=0,
                short=lambda sol: short_of(required_places, sol),
                gaps_only=gaps_only,
                hand_over=True,  # the whole model proves a fill level; neighbourhoods cannot
            )
            solution, best_fill = out.solution, out.objective

        if solution and params.neighbourhoods:  # 1a: fill gaps one neighbourhood at a time
            fill_places("1a", gaps_only=False)
        proven1 = best_fill == 0
        if not proven1:  # 1b: the whole model, from the best rota so far
            set_hint(model, solution)
            solver1 = make_solver(params.time_limit * PHASE1_SHARE, near_hint=bool(solution))
            # every required place filled: stop (CP-SAT's own bound may not see it)
            status1 = stop.solve(solver1, model, callback("1 fill required places", 1, floor=0))
            info["phase1_status"] = solver1.status_name(status1)
            info["phase1_seconds"] = round(solver1.wall_time, 3)
            used += solver1.response_proto.deterministic_time
            if status1 == cp_model.INFEASIBLE:
                limit = max(5.0, params.time_limit - elapsed())
                return conflict(diagnose(data, shifts, limit, params.seed))
            if status1 == cp_model.MODEL_INVALID:  # a bug in the model, not the user's doing
                raise RuntimeError(f"invalid rota model: {model.validate()}")
            found = status1 in (cp_model.OPTIMAL, cp_model.FEASIBLE)
            if not found and not solution:
                info["note"] = "no rota found within the time limit"
                if stop.hit:
                    info["note"] = "interrupted before any rota was found"
                return Result(
                    Status.NO_SOLUTION,
                    [],
                    [],
                    runtime=elapsed(),
                    params=info,
                    stopped_early=stop.hit,
                )
            if found and (not solution or round(solver1.objective_value) <= best_fill):
                best_fill = round(solver1.objective_value)
                solution = list(solver1.response_proto.solution)
            proven1 = status1 == cp_model.OPTIMAL or best_fill == 0
            if not proven1 and params.neighbourhoods and not stop.hit:
                # the whole-model search can stop with places someone could still take
                fill_places("1b", gaps_only=True)
                proven1 = best_fill == 0
        else:
            info["phase1_status"] = "OPTIMAL"
    info["phase1_weighted_unfilled"] = best_fill

    model.add(objectives.fill <= best_fill)

    # ---- phase 1c: target places, briefly: the rota phase 2 starts from ------------------
    # (phase 1 may empty target places freely; phase 2's search refills them only slowly)
    if objectives.targets_max and change is None:  # a repair leaves freed targets open
        set_hint(model, solution)
        model.minimize(objectives.targets)
        solver_t = make_solver(params.time_limit * TARGETS_SHARE, near_hint=True)
        status_t = stop.solve(solver_t, model, callback("1c fill target places", 1, floor=0))
        info["targets_seconds"] = round(solver_t.wall_time, 3)
        used += solver_t.response_proto.deterministic_time
        if status_t in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            solution = list(solver_t.response_proto.solution)

    # ---- repair only: keep the previous rota as far as possible ----------------------------
    if change is not None:
        set_hint(model, solution)
        model.minimize(change.expr)
        solver_c = make_solver(params.time_limit * PHASE1_SHARE)
        status_c = stop.solve(solver_c, model, callback("1b keep the previous rota", 1))
        info["change_status"] = solver_c.status_name(status_c)
        info["change_seconds"] = round(solver_c.wall_time, 3)
        used += solver_c.response_proto.deterministic_time
        proven1 = proven1 and status_c == cp_model.OPTIMAL
        if status_c in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            solution = list(solver_c.response_proto.solution)
            model.add(change.expr <= round(solver_c.objective_value))

    # ---- phase 2: soft goals, with the fill level (and changes) kept -----------------------
    def soft_goals_line(step: str, value: int, solution: list[int], bound: int | None) -> None:
        """A progress line for a rota whose soft goals are known (``bound``: proven, if any)."""
        if progress is not None:
            progress(
                f"{elapsed():7.1f}s  phase 2 {step}: objective {value / SCALE:,.1f}  "
                f"bound {'-' if bound is None else f'{bound / SCALE:,.1f}'}  "
                f"gap {_gap_pct(value, bound):.1f}%  "
                f"unfilled required places {expr_value(solution, objectives.unfilled_required)}"
            )

    soft = objectives.soft()  # the phase 2 objective, built once
    model.minimize(soft)
    current: int | None = None  # the soft goals of ``solution`` (SCALE units), once known
    if solution and not stop.hit:
        # the rota so far with its soft-goal terms at their least: earlier phases minimised
        # other things and left deviations anywhere their rows allow
        chosen = {cs for cs, var in rota.x.items() if solution[var.index]}
        solver_s = make_solver(max(1.0, params.time_limit * PHASE0_SHARE))
        status_s = stop.solve(solver_s, with_assignments(model, rota, chosen, soft))
        used += solver_s.response_proto.deterministic_time
        if status_s in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            solution = list(solver_s.response_proto.solution)
            current = round(solver_s.objective_value)

    def remaining() -> float:  # of the time limit (deterministic time in deterministic mode)
        return params.time_limit - (used if params.deterministic else elapsed())

    soft_floor, least = floor_of(soft), least_value(model, soft)

    def proven_floor(bound: float | None) -> int | None:
        return useful_bound(bound, least, soft_floor)

    mip = None
    if (
        current is not None
        and objectives.groups
        and len(model.proto.variables) <= MIP_BOUND_MAX_VARIABLES
        and not params.deterministic  # its bound depends on the clock
        and not stop.hit
        and remaining() > 2
    ):
        from ooh.rota.mip_bound import MipBound

        mip = MipBound(model.proto, remaining() * MIP_BOUND_SHARE)

    # 2-: schedules generated per clinician (column generation): a rota from the linear
    # relaxation of the schedule choice, and a proven bound (``floor``, rounded up to a value
    # the soft goals can take); 2a: neighbourhoods re-solved exactly (fast improvement on
    # large rotas); 2b: the whole model from the best rota, which may prove a bound too.
    # Each step stops once the rota reaches the floor: it is then proven optimal.
    floor: int | None = None
    if (
        current is not None
        and params.neighbourhoods
        and change is None
        and not params.deterministic
        and not stop.hit
        and remaining() > 2
    ):
        from ooh.rota.schedules import improve_by_schedules

        def master_round(line: str) -> None:
            if progress is not None:
                progress(f"{elapsed():7.1f}s  phase 2 schedules: {line}")

        def schedules_improved(value: int, solution: list[int], bound: float | None) -> None:
            soft_goals_line("schedules", value, solution, proven_floor(bound))

        # the rota the step starts from, so that the timeline has its soft goals
        soft_goals_line("rota so far", current, solution, None)
        gen = improve_by_schedules(
            model,
            rota,
            objectives,
            solution,
            current,
            remaining() * SCHEDULES_SHARE,
            fill_cap=None if soft_only else best_fill,
            seed=params.seed,
            workers=params.workers,
            stopped=lambda: stop.hit,
            solve=stop.solve,
            on_round=master_round,
            on_improve=schedules_improved,
            floor=soft_floor,
            dive_budget=remaining() * DIVES_SHARE,
            neighbourhood_share=1 - ROUNDS_SHARE / SCHEDULES_SHARE,
        )
        info["phase2_schedules"] = gen.summary(current)
        solution, current = gen.solution, gen.objective
        floor = proven_floor(gen.bound)

    def proven_by_floor() -> bool:
        return floor is not None and current is not None and current <= floor

    lns = None
    if params.neighbourhoods and not stop.hit and remaining() > 2 and not proven_by_floor():
        lns = neighbourhoods(
            "2a",
            solution,
            soft_value(objectives, solution) if current is None else current,
            remaining() * NEIGHBOURHOOD_SHARE,
            scale=SCALE,
            short=lambda sol: short_of(all_places, sol),
            floor=floor,
        )
        solution, current = lns.solution, lns.objective
    status2 = cp_model.UNKNOWN
    cp_bound: int | None = None
    if not proven_by_floor():
        set_hint(model, solution)
        solver2 = make_solver(max(0.5, remaining()))
        status2 = stop.solve(
            solver2, model, callback("2 soft goals", SCALE, floor=floor, proven=proven_floor)
        )
        info["phase2_status"] = solver2.status_name(status2)
        info["phase2_seconds"] = round(solver2.wall_time, 3)
        if status2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            cp_bound = proven_floor(solver2.best_objective_bound)
            if current is None or round(solver2.objective_value) <= current:
                solution = list(solver2.response_proto.solution)
                current = round(solver2.objective_value)
    if mip is not None:
        mip.cancel()  # where it is still at work (a Ctrl-C, or the end of the time)
        mip_bound = proven_floor(mip.result())
        info["phase2_mip_bound"] = mip.summary(SCALE)
        if mip_bound is not None and (floor is None or mip_bound > floor):
            floor = mip_bound  # the best proven bound: the rota is optimal if it is there
    objective: float | None = None
    bound: float | None = None
    if current is not None:  # the soft goals were weighed
        paid = penalty_points(objectives, solution)
        info["objective_by_goal"] = points_by_goal(paid)
        info["soft_goals_missed"] = [
            f"{p.name}: {points:g} points" for p, points in paid if p.goal != "cost"
        ]
        objective = current / SCALE
        bounds = [b for b in (cp_bound, floor) if b is not None]
        if bounds:
            bound = min(current, max(bounds)) / SCALE
        proven = proven1 and (status2 == cp_model.OPTIMAL or proven_by_floor())
        status = Status.OPTIMAL if proven else Status.FEASIBLE
    else:  # kept phase 1's rota: legal and as filled, soft goals not weighed
        status = Status.FEASIBLE

    if change is not None:
        info["changed_people"] = change.forced_people + expr_value(solution, change.people)
        info["changed_assignments"] = expr_value(solution, change.assignments)
    assignments = [
        Assignment(rota.shifts[s].id, data.clinicians[c].id)
        for (c, s), var in rota.x.items()
        if solution[var.index]
    ]
    position = {s.id: i for i, s in enumerate(shifts)}
    assignments.sort(key=lambda a: (position[a.shift_id], a.clinician))
    if stop.hit:  # interrupted: the best rota so far, not proven
        status = Status.FEASIBLE
    result = finish(data, shifts, assignments, status, objective, bound, elapsed(), info)
    result.stopped_early = stop.hit
    return result


def expr_value(solution: list[int], expr: Any) -> int:
    """Value of a linear expression (or constant) of the model in a solution vector."""
    from ortools.sat.python.cp_model_helper import FlatIntExpr

    if isinstance(expr, int):
        return expr
    flat = FlatIntExpr(expr)
    return flat.offset + sum(
        coef * solution[var.index] for var, coef in zip(flat.vars, flat.coeffs, strict=True)
    )


def least_value(model: Any, expr: Any) -> int:
    """The least value of a linear expression over the model's variable domains."""
    from ortools.sat.python.cp_model_helper import FlatIntExpr

    flat = FlatIntExpr(expr)
    least = flat.offset
    for var, coef in zip(flat.vars, flat.coeffs, strict=True):
        domain = model.proto.variables[var.index].domain
        # (the proto's repeated field does not index from the end: domain[-1] reads 0)
        least += min(coef * domain[0], coef * domain[len(domain) - 1])
    return least


def floor_of(expr: Any) -> Callable[[float], int]:
    """For ``expr`` (a linear expression over integer variables), the function giving its
    least value at or above a bound: its values are its constant plus multiples of its
    coefficients' greatest common divisor (the expression is read once)."""
    from ortools.sat.python.cp_model_helper import FlatIntExpr

    flat = FlatIntExpr(expr)
    offset = flat.offset
    step = math.gcd(*(abs(c) for c in flat.coeffs)) or 1
    return lambda bound: offset + step * math.ceil((bound - offset) / step - 1e-6)


def useful_bound(bound: float | None, least: int, round_up: Callable[[float], int]) -> int | None:
    """A proven lower bound as the least value the objective can take at or above it
    (``round_up``); None when it is no more than ``least``, the objective's least value
    over its variables' domains anyway: such a bound says nothing. (The Lagrangian bound of
    rounds far from converged is often negative; so was CP-SAT's on XL, -1,030,714.9
    points, when its search of the whole model proved nothing.)"""
    if bound is None or bound <= least:
        return None
    return round_up(bound)


def _gap_pct(value: int, bound: int | None) -> float:
    if bound is None or value == 0:
        return 0.0 if bound is not None else 100.0
    return max(0.0, (value - bound) / abs(value) * 100)


def soft_value(objectives: Any, solution: list[int]) -> int:
    """Phase 2 objective (SCALE units) of a solution."""
    return expr_value(solution, objectives.soft())


def short_of(places: list[tuple[int, int]], solution: list[int]) -> list[int]:
    """Shifts with an empty place among ``places`` (shift, place literal index)."""
    return sorted({s for s, index in places if not solution[index]})


def set_hint(model: Any, solution: list[int]) -> None:
    """Hint every variable with a previous solution (same model, same indices)."""
    model.clear_hints()
    hint = model.proto.solution_hint
    hint.vars.extend(range(len(solution)))
    hint.values.extend(solution)


def finish(
    data: RotaData,
    shifts: list[Shift],
    assignments: list[Assignment],
    status: Status,
    objective: float | None,
    bound: float | None,
    runtime: float,
    info: dict[str, Any],
) -> Result:
    """Attach the gap reasons and the independent checker's verdict to a rota."""
    from ooh.rota.check import check_rota
    from ooh.rota.explain import explain_gaps

    filled = Counter(a.shift_id for a in assignments)
    unfilled = sum(max(0, s.type.needed - filled[s.id]) for s in shifts)
    return Result(
        status=status,
        assignments=assignments,
        gaps=explain_gaps(data, shifts, assignments),
        objective=objective,
        bound=bound,
        runtime=runtime,
        unfilled_required=unfilled,
        breaches=check_rota(data, assignments, shifts),
        params=info,
    )


def _progress_class() -> type:
    from ortools.sat.python import cp_model

    class Progress(cp_model.CpSolverSolutionCallback):
        """One line per improving solution: time, objective, bound, gap, unfilled places."""

        def __init__(
            self,
            phase: str,
            scale: int,
            unfilled: Any,
            emit: Callable[[str], None] | None,
            started: float,
            floor: int | None = None,
            proven: Callable[[float], int | None] | None = None,
        ) -> None:
            super().__init__()
            self.phase, self.scale, self.unfilled = phase, scale, unfilled
            self.emit, self.started, self.floor, self.proven = emit, started, floor, proven

        def on_solution_callback(self) -> None:
            if self.emit is not None:
                self.report()
            if self.floor is not None and self.objective_value <= self.floor:
                self.stop_search()

        def report(self) -> None:
            assert self.emit is not None
            value = round(self.objective_value)
            raw = self.best_objective_bound
            if self.floor is not None:
                raw = max(raw, self.floor)
            bound = self.proven(raw) if self.proven else math.ceil(raw - 1e-6)
            shown = "-" if bound is None else f"{bound / self.scale:,.1f}"
            self.emit(
                f"{perf_counter() - self.started:7.1f}s  phase {self.phase}: "
                f"objective {value / self.scale:,.1f}  bound {shown}  "
                f"gap {_gap_pct(value, bound):.1f}%  "
                f"unfilled required places {self.value(self.unfilled)}"
            )

    return Progress


def _Progress(*args: Any) -> Any:  # noqa: N802 (a class made lazily: ortools loads on use)
    return _progress_class()(*args)
