"""Schedule generation (ooh.rota.schedules): the master costs a rota exactly as the model
does, its bound never passes the optimum, and on a benchmark it proves the optimum."""

from __future__ import annotations

import math
from dataclasses import replace
from itertools import pairwise

from hypothesis import HealthCheck, event, given, settings
from ortools.sat.python import cp_model
from solve_helpers import FAST, day, line, person, rota
from test_improve import CURTOIS, needs_files
from test_property_rota import instances

from ooh.bench.nrp.evaluate import evaluate
from ooh.bench.nrp.reader import read_instance, to_rota_data
from ooh.bench.nrp.run import roster_of
from ooh.rota import schedules
from ooh.rota.calendar import build_shifts
from ooh.rota.data import (
    Availability,
    AvailabilityKind,
    Practice,
    Request,
    RotaData,
    Status,
    Weights,
)
from ooh.rota.improve import fix_variable, with_assignments
from ooh.rota.model.build import build_model
from ooh.rota.model.objective import SCALE, Objectives
from ooh.rota.model.variables import RotaModel
from ooh.rota.schedules import (
    LP_GUIDED_GAP,
    ONE_SEARCH_MAX,
    PACE_SAMPLE,
    ScheduleOutcome,
    _agreement,
    _closest,
    _dive,
    _Generation,
    _lp_guided,
    improve_by_schedules,
)
from ooh.rota.solve import (
    SolveParams,
    expr_value,
    floor_of,
    least_value,
    solve,
    useful_bound,
)

EARLY = line("EARLY", "08:00", "16:00", needed=1, wanted=2, priority=2)
LATE = line("LATE", "16:00", "23:00", needed=1, wanted=2, pay=1.5)
NIGHT = line("NIGHT", "23:00", "08:00", needed=1, wanted=1)


def busy_week(weights: Weights) -> RotaData:
    """Every kind of soft goal: target places, two practices' shares, clinician fairness,
    requests for a shift and for a whole date, preferences, pay and a locum."""
    people = [
        person("A", practice="P1", hourly_rate=90.0),
        person("B", practice="P1", hourly_rate=100.0),
        person("C", practice="P2", hourly_rate=95.0),
        person("D", practice="P2", hourly_rate=110.0),
        person("L", practice=None, hourly_rate=150.0, is_locum=True),
    ]
    availability = {
        ("A", day(2)): Availability(AvailabilityKind.PREFERS),
        ("C", day(4)): Availability(AvailabilityKind.PREFERS_NOT),
        ("D", day(0)): Availability(AvailabilityKind.UNAVAILABLE),
    }
    requests = [
        Request("A", day(1), "LATE", want=True, weight=3),
        Request("B", day(3), None, want=False, weight=2),
        Request("C", day(5), None, want=True, weight=1),
        Request("D", day(6), "NIGHT", want=False, weight=4),
    ]
    data = rota(
        people,
        [EARLY, LATE, NIGHT],
        availability=availability,
        requests=requests,
        practices=[Practice("P1", "One", 6_000), Practice("P2", "Two", 9_000)],
        max_consecutive_days=5,
    )
    return replace(data, rules=replace(data.rules, weights=weights))


def solved_start(data: RotaData) -> tuple[RotaModel, Objectives, list[int], int]:
    """A solved rota as a full solution of the model minimising the soft goals, and its
    soft goals by the model."""
    result = solve(data, FAST)
    assert result.unfilled_required == 0  # so the fill row is "nothing unfilled"
    shifts = build_shifts(data)
    built = build_model(data, shifts)
    m, objectives = built.rota, built.objectives
    assert objectives is not None
    index = {(s.id): i for i, s in enumerate(m.shifts)}
    chosen = {(m.clinician_index[a.clinician], index[a.shift_id]) for a in result.assignments}
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    fixed = with_assignments(m.model, m, chosen, objectives.soft())
    assert solver.solve(fixed) == cp_model.OPTIMAL
    m.model.minimize(objectives.soft())
    return m, objectives, list(solver.response_proto.solution), round(solver.objective_value)


def generation_of_solved(
    data: RotaData, build_limit: float = math.inf
) -> tuple[_Generation, int, Objectives]:
    """Schedule generation started from a solved rota, that rota's soft goals by the
    model, and the model's soft goals (the caller shuts the generation's pool down)."""
    m, objectives, solution, value = solved_start(data)
    gen = _Generation(
        m, objectives, solution, fill_cap=0, seed=0, workers=1, build_limit=build_limit
    )
    return gen, value, objectives


def master_and_model_values(data: RotaData) -> tuple[float, int, int]:
    """A solved rota's soft goals by the master (with only that rota's schedules) and by
    the model, and the most the model's rounding up of fair-share deviations can add."""
    gen, model_value, objectives = generation_of_solved(data)
    gen.pool.shutdown()
    assert gen.value is not None
    rounding = sum(g.weight * len(g.members) for g in objectives.groups)
    return gen.value, model_value, rounding


def test_master_costs_a_rota_exactly_as_the_model_without_fair_shares():
    weights = Weights(
        practice_fair_share=0,
        clinician_hours=0,
        clinician_nights=0,
        clinician_weekends=0,
        clinician_bank_holidays=0,
        preferences=25,
    )
    master, model, rounding = master_and_model_values(busy_week(weights))
    assert rounding == 0
    assert abs(master - model) < 1e-6


def test_master_costs_fair_shares_at_most_a_unit_per_member_below_the_model():
    """The model rounds each deviation up to a whole unit; the master does not."""
    master, model, rounding = master_and_model_values(busy_week(Weights(preferences=25)))
    assert rounding > 0
    assert model - rounding - 1e-6 <= master <= model + 1e-6
    assert master < model  # the fair-share terms are really there


def test_floor_rounds_up_to_a_value_the_objective_can_take():
    model = cp_model.CpModel()
    x = model.new_bool_var("x")
    y = model.new_int_var(0, 10, "y")
    expr = 60 * x + 120 * y + 7
    assert floor_of(expr)(66.5) == 67
    assert floor_of(expr)(67.0) == 67
    assert floor_of(expr)(67.0000001) == 67  # float noise above a reachable value
    assert floor_of(expr)(68.0) == 127


def test_least_value_is_the_expression_at_its_domains_least():
    """A Lagrangian bound at or below this proves nothing and is not shown as a bound."""
    model = cp_model.CpModel()
    x = model.new_int_var(2, 5, "x")
    y = model.new_bool_var("y")
    assert least_value(model, 3 * x - 2 * y + 1) == 5
    assert least_value(model, 3 * x + 2 * y.negated()) == 6


def test_a_bound_no_higher_than_the_least_value_says_nothing():
    """Whichever step proved it (a Lagrangian bound, CP-SAT's own on the whole model): a
    bound at or below the objective's least value is no bound; one above it is rounded up
    to a value the objective can take."""
    model = cp_model.CpModel()
    x = model.new_bool_var("x")
    y = model.new_int_var(0, 10, "y")
    expr = 60 * x + 120 * y + 7
    least, round_up = least_value(model, expr), floor_of(expr)
    assert useful_bound(-1_030_714.9, least, round_up) is None
    assert useful_bound(7.0, least, round_up) is None
    assert useful_bound(None, least, round_up) is None
    assert useful_bound(7.5, least, round_up) == 67


NO_SCHEDULES = replace(FAST, neighbourhoods=False)


def test_generation_gives_up_when_building_the_models_is_too_slow():
    """Past its build limit the generation stops building clinicians' models and solves
    no master (the caller then gives the time back)."""
    gen, _, _ = generation_of_solved(busy_week(Weights()), build_limit=0.0)
    gen.pool.shutdown()
    assert not gen.built
    assert gen.value is None
    assert len(gen.people) < len(gen.rota.data.clinicians)
    whole, _, _ = generation_of_solved(busy_week(Weights()))
    whole.pool.shutdown()
    assert whole.built and whole.value is not None
    assert len(whole.people) == len(whole.rota.data.clinicians)


def test_a_round_stops_once_its_pace_is_far_too_slow():
    """A round whose first searches put it far past ``too_slow`` stops after the pace
    sample: no bound, no master solved, and the next round is whole again."""
    gen, _, _ = generation_of_solved(busy_week(Weights()))
    try:
        value = gen.value
        assert len(gen.people) > PACE_SAMPLE * gen.workers  # the sample is part of the round
        added, bound = gen.round(limit=1.0, too_slow=0.0)
        assert gen.aborted
        assert gen.projected > 0
        assert (added, bound) == (0, None)
        assert gen.value == value  # the master was not re-solved
        gen.aborted = False
        _, bound = gen.round(limit=1.0)
        assert not gen.aborted
        assert bound is not None
    finally:
        gen.pool.shutdown()


def test_a_shift_with_no_room_counts_towards_no_fair_share():
    """A line with no places (needed and wanted 0) is in no clinician's schedules, though
    its hours belong to the fair-share groups: pricing must not look for it."""
    spare = line("SPARE", "06:00", "08:00", needed=0, wanted=0)
    data = busy_week(Weights(preferences=25))
    data = replace(data, shift_types=(*data.shift_types, spare))
    gen, _, _ = generation_of_solved(data)
    try:
        added, _ = gen.round(5.0)
    finally:
        gen.pool.shutdown()
    assert added > 0  # fractional fair shares beat the whole rota: schedules to look at
    spare_shifts = {i for i, s in enumerate(gen.rota.shifts) if s.type.id == "SPARE"}
    assert spare_shifts
    for columns in gen.master.columns.values():
        assert all(not schedule & spare_shifts for schedule, _ in columns)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_bound_never_passes_the_optimum(data):
    """On instances small enough to solve exactly without schedule generation, the bound
    with it is at most the optimum, its rota no better than the optimum, and it calls a
    rota optimal only when it is."""
    exact = solve(data, NO_SCHEDULES)
    event(f"exact: {exact.status.value}")
    if exact.status is not Status.OPTIMAL:
        return  # a conflict, or not proven in the time: nothing to compare with
    result = solve(data, SolveParams(time_limit=10.0, workers=1, seed=0))
    event("schedules " + ("ran" if "phase2_schedules" in result.params else "did not run"))
    event(f"with schedules: {result.status.value}")
    assert result.breaches == []
    assert result.unfilled_required == exact.unfilled_required
    assert result.objective is not None and exact.objective is not None
    assert result.objective >= exact.objective - 1e-6
    if result.bound is not None:
        assert result.bound <= exact.objective + 1e-6
    if result.status is Status.OPTIMAL:
        assert abs(result.objective - exact.objective) < 1e-6


@needs_files
def test_proves_the_optimum_of_a_benchmark_instance():
    """Curtois & Qu Instance2: the master's bound meets the best known roster (828), so
    the solve stops there, proven, and the independent evaluator agrees."""
    inst = read_instance(CURTOIS / "Instance2.txt")
    result = solve(to_rota_data(inst), SolveParams(time_limit=60.0, workers=2, seed=0))
    assert result.status is Status.OPTIMAL
    assert result.objective == 828
    assert result.bound == 828
    assert evaluate(inst, roster_of(result)).penalty == 828
    assert "converged" in result.params["phase2_schedules"]


def test_every_rounds_bound_is_at_most_the_converged_value():
    """The Lagrangian bound of each round, at smoothed duals or the master's own, is at most
    the linear programme's optimum; at the master's own duals the dual function is the
    master's value (strong duality), and at convergence the bound reaches it."""
    gen, _, _ = generation_of_solved(busy_week(Weights(preferences=25)))
    bounds = []
    try:
        for _ in range(200):
            assert gen.value is not None
            own = gen.master.dual_value(gen.master.duals().rows)
            assert own is not None and abs(own - gen.value) < 1e-6 * max(1.0, abs(gen.value))
            added, bound = gen.round(5.0)
            assert bound is not None
            bounds.append(bound)
            if added == 0:
                break
    finally:
        gen.pool.shutdown()
    assert added == 0, "the rounds converged"
    assert len(bounds) > 2  # some rounds priced at smoothed duals
    optimum = gen.value
    assert all(b <= optimum + 1e-6 * abs(optimum) for b in bounds)
    assert bounds[-1] >= optimum - 1e-3 * SCALE


def test_a_bound_that_proves_the_rota_optimal_ends_the_step():
    """Once a round's bound, rounded up to a value the soft goals can take, reaches the
    rota's own value, no round or neighbourhood can improve it: the step ends there."""
    m, objectives, solution, value = solved_start(busy_week(Weights(preferences=25)))
    common = dict(fill_cap=0, seed=0, workers=1)
    whole = improve_by_schedules(m.model, m, objectives, solution, value, 30.0, **common)
    assert whole.converged and whole.rounds > 1
    # a floor that rounds any bound up to the rota's value: proven after the first round
    stopped = improve_by_schedules(
        m.model, m, objectives, solution, value, 30.0, floor=lambda bound: value, **common
    )
    assert stopped.proven and stopped.rounds == 1
    assert stopped.neighbourhood_status == ""  # not run
    assert stopped.objective == value and stopped.solution == solution
    assert "proven optimal" in stopped.summary(value)


def test_the_summary_says_once_whether_the_lp_guided_neighbourhood_ran():
    ran = ScheduleOutcome([], 0, free=454, neighbourhood_status="FEASIBLE")
    assert "LP-guided neighbourhood: 454 assignments free, FEASIBLE;" in ran.summary(0)
    dived = ScheduleOutcome([], 0, dived=True, leaves=4, dive_neighbourhoods=17)
    assert "; dive: 4 leaves, 17 LP-guided neighbourhoods;" in dived.summary(0)
    rounded = ScheduleOutcome(
        [], 0, free=2195, rounded=305_369 * SCALE, lp_neighbourhoods=60, dived=True
    )
    assert (
        "; dive: 0 leaves, 0 LP-guided neighbourhoods; LP-guided neighbourhood: 2195 assignments "
        "free, rounded to 305,369.00, then 60 neighbourhoods;" in rounded.summary(0)
    )
    skipped = ScheduleOutcome([], 0, notes=["the master is far above its bound"])
    line = skipped.summary(0)
    assert "LP-guided neighbourhood: not run;" in line
    assert "assignments free" not in line and line.count("not run") == 1
    assert line.endswith("; the master is far above its bound")


def test_the_lp_guided_neighbourhood_needs_a_master_near_its_bound():
    """Rounding the master to a rota is tried once the rounds converged or the master is
    within LP_GUIDED_GAP of its bound; further off (rounds cut short) its time goes to the
    neighbourhoods instead."""

    def near(master: float | None, bound: float | None, converged: bool = False) -> bool:
        out = ScheduleOutcome([], 0, bound=bound, master=master, converged=converged)
        return out.near_optimum()

    assert near(1_000.0, 1_000.0 * (1 - LP_GUIDED_GAP / 2))
    assert not near(1_000.0, 1_000.0 * (1 - 2 * LP_GUIDED_GAP))
    assert not near(1_000.0, -5_000.0)  # a Lagrangian bound far from converged
    assert not near(1_000.0, None) and not near(None, None)
    assert near(1_000.0, None, converged=True)


def is_full_solution(model: cp_model.CpModel, solution: list[int]) -> bool:
    """Whether ``solution`` gives every variable of ``model`` a value that keeps every rule."""
    work = model.clone()
    for var, value in zip(work.proto.variables, solution, strict=True):
        fix_variable(var, value)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    return solver.solve(work) == cp_model.OPTIMAL


def _dive_from_converged(monkeypatch, stop_after_leaves: int):
    """A dive on the busy week from its converged master, stopped once it has reached
    ``stop_after_leaves`` leaves: (the dive's return, the outcome, the number of
    clinicians left free at each pricing round it ran, the generation's state before and
    after as (people, value), the rota given and its value)."""
    m, objectives, solution, value = solved_start(busy_week(Weights(preferences=25)))
    gen = _Generation(m, objectives, solution, fill_cap=0, seed=0, workers=1)
    free_at_rounds: list[int] = []
    plain_round = _Generation.round

    def counted_round(self, *args, **kwargs):
        free_at_rounds.append(len(self.people))
        return plain_round(self, *args, **kwargs)

    try:
        while gen.round(5.0)[0]:
            pass
        before = (list(gen.people), gen.value)
        monkeypatch.setattr(_Generation, "round", counted_round)
        out = ScheduleOutcome(list(solution), value, master=gen.value, converged=True)
        deepest = _dive(
            m.model, m, gen, out, 120.0, 0, 1, None, lambda: out.leaves >= stop_after_leaves
        )
    finally:
        gen.pool.shutdown()
    return deepest, out, free_at_rounds, before, (gen.people, gen.value), (m, objectives, value)


def test_a_dive_backtracks_at_its_leaves_and_leaves_the_master_as_converged(monkeypatch):
    """At each leaf reached with most clinicians fixed, a dive undoes its last depths and
    goes on down (more clinicians free again after a leaf than at it); whenever it stops,
    every schedule is free again and the rota is a legal one no worse than the one given.
    (Every leaf counts as deep here: this small week's master rises early; and the time
    for backtracking is not what stops it.)"""
    monkeypatch.setattr(schedules, "DIVE_DEEP", 0.0)
    monkeypatch.setattr(schedules, "DIVE_BACKTRACK_TIMES", 1e6)
    deepest, out, free_at_rounds, before, after, (m, objectives, value) = _dive_from_converged(
        monkeypatch, stop_after_leaves=3
    )
    assert out.leaves == 3 and deepest >= schedules.DIVE_DEEP
    assert any(later > earlier for earlier, later in pairwise(free_at_rounds))
    people, converged = before
    assert after[0] == people
    assert after[1] is not None and converged is not None
    assert abs(after[1] - converged) <= 1e-6 * max(1, abs(converged))
    assert out.objective <= value
    assert expr_value(out.solution, objectives.soft()) == out.objective
    assert is_full_solution(m.model, out.solution)


def test_no_time_for_backtracking_ends_the_dive_at_its_first_leaf(monkeypatch):
    """Backtracking may take ``DIVE_BACKTRACK_TIMES`` the time of the first way down: with
    none, the dive ends at its first leaf, however deep."""
    monkeypatch.setattr(schedules, "DIVE_DEEP", 0.0)
    monkeypatch.setattr(schedules, "DIVE_BACKTRACK_TIMES", 0.0)
    _, out, _, before, after, _ = _dive_from_converged(monkeypatch, stop_after_leaves=3)
    assert out.leaves == 1
    assert after[0] == before[0]


def test_a_leaf_with_too_few_clinicians_fixed_ends_the_dive(monkeypatch):
    """A leaf reached with under ``DIVE_DEEP`` of the clinicians fixed (here: every leaf)
    ends the dive there: no backtracking, one leaf, the dive's return below DIVE_DEEP."""
    monkeypatch.setattr(schedules, "DIVE_DEEP", 1.01)
    deepest, out, free_at_rounds, _, _, _ = _dive_from_converged(monkeypatch, stop_after_leaves=3)
    assert out.leaves == 1 and deepest < schedules.DIVE_DEEP
    assert all(later <= earlier for earlier, later in pairwise(free_at_rounds))


def test_a_depth_of_a_dive_prices_again_only_while_its_rounds_lower_the_master(monkeypatch):
    """After a fix, a round that lowers the master by less than ``DIVE_TAILING`` of its
    value is the depth's last: with every fall too little, each depth prices once (the
    clinicians free fall at every round); with none, some depth prices more than once."""
    monkeypatch.setattr(schedules, "DIVE_DEEP", 1.01)  # the first leaf ends the dive

    def free_at_rounds(tailing: float) -> list[int]:
        monkeypatch.setattr(schedules, "DIVE_TAILING", tailing)
        with monkeypatch.context() as patch:
            return _dive_from_converged(patch, stop_after_leaves=1)[2]

    untailed = free_at_rounds(0.0)
    assert any(later == earlier for earlier, later in pairwise(untailed))
    tailed = free_at_rounds(math.inf)
    assert len(tailed) > 1
    assert all(later < earlier for earlier, later in pairwise(tailed))


def test_the_lp_guided_neighbourhood_rounds_within_what_the_schedules_agree_on(monkeypatch):
    """The converged master's LP-guided neighbourhood: every assignment on which a
    clinician's schedules agree is fixed, the rest rounded to a legal rota closest to the
    main schedules, and neighbourhoods improve it there. The rota keeps every agreed
    assignment, is a full solution valued as the model values it, and is no worse than
    either the rota given or the rounding. (This week's neighbourhood is small: the limit
    for searching it at once is lowered so that it is searched a piece at a time.)"""
    monkeypatch.setattr(schedules, "ONE_SEARCH_MAX", 0)
    m, objectives, solution, value = solved_start(busy_week(Weights(preferences=25)))
    gen = _Generation(m, objectives, solution, fill_cap=0, seed=0, workers=1)
    try:
        while gen.round(5.0)[0]:
            pass
        work, free, hint = _agreement(m.model, m, gen.master, gen.people)
        agreed = {
            var.index: work.proto.variables[var.index].domain[0]
            for var in m.x.values()
            if var.index not in free
        }
        assert free and agreed
        rounded = _closest(work, m, free, hint, 10.0, 0, 1, None)
        assert rounded is not None
        closest, closest_value = rounded
        assert all(closest[i] == v for i, v in agreed.items())
        assert is_full_solution(m.model, closest)
        assert expr_value(closest, objectives.soft()) == closest_value
        out = ScheduleOutcome(list(solution), value, master=gen.value, converged=True)
        _lp_guided(m.model, m, gen.master, gen.people, out, 10.0, 0, 1, None, lambda: False)
    finally:
        gen.pool.shutdown()
    assert out.rounded == closest_value and out.free == len(free)
    assert out.objective <= min(value, closest_value)
    assert is_full_solution(m.model, out.solution)
    assert expr_value(out.solution, objectives.soft()) == out.objective
    if out.improved:
        assert all(out.solution[i] == v for i, v in agreed.items())
    assert f"rounded to {closest_value / SCALE:,.2f}, then " in out.summary(value)


def test_each_better_rota_is_told_as_the_step_keeps_it(monkeypatch):
    """``on_improve`` hears of every rota the step keeps (here from the neighbourhoods
    within the LP-guided neighbourhood), as it is kept: each better than the one before,
    valued as the model values it, with a bound no higher; the last is the step's answer."""
    monkeypatch.setattr(schedules, "ONE_SEARCH_MAX", 0)
    m, objectives, _, _ = solved_start(busy_week(Weights(preferences=25)))
    m.model.add(objectives.fill <= 0)  # as phase 2 has it: the master's fill row, 0
    # a poor start: the rota that pays most, then its soft goals at their least
    worst = m.model.clone()
    worst.maximize(objectives.soft())
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 5.0
    assert solver.solve(worst) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    chosen = {cs for cs, var in m.x.items() if solver.value(var)}
    assert solver.solve(with_assignments(m.model, m, chosen, objectives.soft())) == cp_model.OPTIMAL
    solution, value = list(solver.response_proto.solution), round(solver.objective_value)
    heard: list[tuple[int, list[int], float | None]] = []
    out = improve_by_schedules(
        m.model,
        m,
        objectives,
        solution,
        value,
        30.0,
        fill_cap=0,
        seed=0,
        workers=1,
        on_improve=lambda v, sol, bound: heard.append((v, list(sol), bound)),
    )
    assert out.improved and heard
    values = [v for v, _, _ in heard]
    assert values[0] < value
    assert all(later < earlier for earlier, later in pairwise(values))
    assert (heard[-1][0], heard[-1][1]) == (out.objective, out.solution)
    for v, sol, bound in heard:
        assert expr_value(sol, objectives.soft()) == v
        assert bound is None or bound <= v + 1e-6


def test_dives_take_the_lp_guided_neighbourhoods_place_only_when_they_fit(monkeypatch):
    """With time for a dive (``dive_budget``) the step dives and says so; without, it
    solves the converged master's LP-guided neighbourhood: at once when it is small, a
    piece at a time (rounded, then improved there) when it is not."""
    m, objectives, solution, value = solved_start(busy_week(Weights(preferences=25)))
    common = dict(fill_cap=0, seed=0, workers=1)
    dived = improve_by_schedules(
        m.model, m, objectives, solution, value, 30.0, dive_budget=30.0, **common
    )
    assert dived.converged and dived.dived
    assert f"dive: {dived.leaves} leaves, " in dived.summary(value)
    assert dived.objective <= value and is_full_solution(m.model, dived.solution)
    plain = improve_by_schedules(m.model, m, objectives, solution, value, 30.0, **common)
    assert plain.converged and not plain.dived
    assert 0 < plain.free <= ONE_SEARCH_MAX
    assert plain.neighbourhood_status != "" and plain.rounded is None
    monkeypatch.setattr(schedules, "ONE_SEARCH_MAX", 0)
    pieces = improve_by_schedules(m.model, m, objectives, solution, value, 30.0, **common)
    assert pieces.converged and not pieces.dived
    assert pieces.neighbourhood_status == "" and pieces.rounded is not None


def test_a_dive_that_solved_no_neighbourhood_leaves_its_place_to_the_lp_guided_one(monkeypatch):
    """A dive deep enough but whose master rose at every depth where a neighbourhood would
    be solved leaves the rota as it was: the converged master's LP-guided neighbourhood
    follows it, and the run information says why (S at 60 s: 2 of 8 solves ended at 2.1%
    and 3.2% when it did not)."""
    m, objectives, solution, value = solved_start(busy_week(Weights(preferences=25)))
    monkeypatch.setattr(schedules, "DIVE_FIRST_NEIGHBOURHOOD", 1.01)  # never reached
    monkeypatch.setattr(schedules, "DIVE_DEEP", 0.0)  # every leaf counts as deep
    common = dict(fill_cap=0, seed=0, workers=1)
    out = improve_by_schedules(
        m.model, m, objectives, solution, value, 30.0, dive_budget=30.0, **common
    )
    assert out.converged and out.leaves > 0 and out.dive_neighbourhoods == 0
    assert not out.dived
    assert out.free > 0 and out.neighbourhood_status != ""
    summary = out.summary(value)
    assert (
        f"dive: {out.leaves} leaves, 0 LP-guided neighbourhoods; LP-guided neighbourhood: "
        in summary
    )
    assert "the dive solved no neighbourhood" in summary
