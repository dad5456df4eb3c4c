"""Neighbourhood improvement (ooh.rota.improve): never worse, always legal, fills gaps."""

from __future__ import annotations

from pathlib import Path

import pytest
from ortools.sat.python import cp_model
from solve_helpers import FAST, line, person, rota

from ooh.bench.nrp.evaluate import evaluate
from ooh.bench.nrp.reader import read_instance, to_rota_data
from ooh.bench.nrp.run import roster_of
from ooh.rota.calendar import build_shifts
from ooh.rota.check import check_rota
from ooh.rota.data import Assignment
from ooh.rota.improve import (
    EXHAUSTING,
    FIRST_SIZE,
    GROW,
    PATIENCE,
    fix_variable,
    improve,
    loop_timing,
)
from ooh.rota.model.build import build_model
from ooh.rota.solve import SolveParams, expr_value, short_of, solve

CURTOIS = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "curtois"
needs_files = pytest.mark.skipif(
    not (CURTOIS / "Instance2.txt").is_file(), reason="benchmark files not present"
)


def first_solution(model: cp_model.CpModel) -> list[int]:
    """Any rota: CP-SAT's first solution with no objective, one worker (reproducible)."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.stop_after_first_solution = True
    assert solver.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return list(solver.response_proto.solution)


def assignments_of(built, solution: list[int]) -> list[Assignment]:
    m = built.rota
    return [
        Assignment(m.shifts[s].id, m.data.clinicians[c].id)
        for (c, s), var in m.x.items()
        if solution[var.index]
    ]


@needs_files
def test_improves_a_benchmark_roster_and_stays_legal():
    """From an arbitrary roster of Curtois & Qu Instance2, the objective falls, the
    returned objective is the solution's own, and the roster is legal by the engine's
    checker and the benchmark's independent evaluator, which scores it the same."""
    inst = read_instance(CURTOIS / "Instance2.txt")
    data = to_rota_data(inst)
    shifts = build_shifts(data)
    built = build_model(data, shifts)
    model, objectives = built.rota.model, built.objectives
    start = first_solution(model)
    model.minimize(objectives.soft())
    start_value = expr_value(start, objectives.soft())
    out = improve(model, built.rota, start, start_value, budget=3.0, deterministic=True)
    assert out.objective < start_value
    assert out.objective == expr_value(out.solution, objectives.soft())
    assert out.neighbourhoods > 0 and out.improvements > 0
    assigned = assignments_of(built, out.solution)
    assert check_rota(data, assigned, shifts) == []
    scored = evaluate(inst, roster_of_assignments(assigned))
    assert scored.hard_violations == 0
    assert scored.penalty * 60 == out.objective


def roster_of_assignments(assigned: list[Assignment]):
    from ooh.rota.data import Result, Status

    return roster_of(Result(Status.FEASIBLE, assigned, []))


def test_never_worse_than_an_optimal_start():
    data = rota(
        [person("C1", hourly_rate=80.0), person("C2", hourly_rate=90.0)],
        [line("DAY", "08:00", "18:00", needed=2)],
    )
    shifts = build_shifts(data)
    built = build_model(data, shifts)
    model, objectives = built.rota.model, built.objectives
    model.minimize(objectives.soft())
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(model) == cp_model.OPTIMAL
    best = list(solver.response_proto.solution)
    value = round(solver.objective_value)
    out = improve(model, built.rota, best, value, budget=1.0, deterministic=True)
    assert out.objective == value
    assert out.improvements == 0


def twelve_on_two_lines(weeks: int):
    """The model of 12 clinicians on a day line (2 needed) and an evening line (1)."""
    data = rota(
        [person(f"C{i}", hourly_rate=80.0 + i) for i in range(12)],
        [line("DAY", "08:00", "18:00", needed=2), line("EVE", "18:30", "22:00", needed=1)],
        weeks=weeks,
    )
    return build_model(data, build_shifts(data))


def twelve_from_a_rota(weeks: int):
    """``twelve_on_two_lines`` minimising its soft goals, and a start CP-SAT found before
    that objective was set (so not the cheapest rota, which is the empty one): (the built
    model, the start, its soft goals)."""
    built = twelve_on_two_lines(weeks)
    start = first_solution(built.rota.model)
    built.rota.model.minimize(built.objectives.soft())
    return built, start, expr_value(start, built.objectives.soft())


def test_neighbourhoods_proven_with_nothing_better_grow_to_the_whole_rota_before_it_stops():
    """Neighbourhoods solved to optimality without an improvement were too small: the loop
    goes on, each kind growing, not after a fixed number of them (on NRP 12 the loop once
    ended at 358 assignments), until one frees the whole rota: proven, that one proves the
    rota optimal, and the loop ends there."""
    built, start, start_value = twelve_from_a_rota(weeks=4)
    model = built.rota.model
    assignments = len(built.rota.x)
    # more than each of the three kinds reaches in PATIENCE proven neighbourhoods
    assert assignments > FIRST_SIZE * GROW ** (PATIENCE // 3)
    out = improve(model, built.rota, start, start_value, budget=60.0, deterministic=True)
    sizes = [int(text.rsplit("size ", 1)[1]) for text in out.by_kind.values()]
    assert max(sizes) == assignments
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(model) == cp_model.OPTIMAL
    assert out.objective == round(solver.objective_value) < start_value


def test_handing_over_sets_aside_kinds_that_freed_a_quarter_of_the_rota_with_nothing_better():
    """Handing over (phase 1), a kind is set aside once it has freed all its shape reaches,
    or a quarter of the rota, with nothing better; when every kind is, the loop ends and
    leaves its time to the whole model's search (on the realistic sample's phase 1 the loop
    went on for 12.6 s, where the whole model then proved the rota optimal in 3 s). Until
    then proven neighbourhoods grow, past where PATIENCE of them would have stopped."""
    built, start, start_value = twelve_from_a_rota(weeks=10)
    model = built.rota.model
    assignments = len(built.rota.x)
    # a quarter of the rota is more than each of the three kinds reaches in PATIENCE proven
    # neighbourhoods growing by GROW
    assert EXHAUSTING * assignments > FIRST_SIZE * GROW ** (PATIENCE // 3)
    budget = 60.0
    out = improve(
        model, built.rota, start, start_value, budget=budget, deterministic=True, hand_over=True
    )
    assert len(out.by_kind) == 3
    assert all(text.endswith(", set aside") for text in out.by_kind.values())
    sizes = [int(text.split("size ", 1)[1].split(",")[0]) for text in out.by_kind.values()]
    assert max(sizes) >= EXHAUSTING * assignments
    assert out.deterministic_time < budget


@needs_files
def test_neighbourhoods_within_a_part_change_nothing_outside_it():
    """With ``within``, a neighbourhood frees only those assignments: every other one keeps
    its value (fixed in the model given), though freeing it would help, and the rota still
    improves within the part."""
    inst = read_instance(CURTOIS / "Instance2.txt")
    data = to_rota_data(inst)
    built = build_model(data, build_shifts(data))
    m, objectives = built.rota, built.objectives
    m.model.minimize(objectives.soft())
    start = first_solution(m.model)
    start_value = expr_value(start, objectives.soft())
    half = {var.index for (c, _), var in m.x.items() if c % 2 == 0}
    outside = [var.index for var in m.x.values() if var.index not in half]
    part = m.model.clone()
    for i in outside:
        fix_variable(part.proto.variables[i], start[i])
    out = improve(part, m, start, start_value, budget=3.0, deterministic=True, within=half)
    assert out.objective < start_value
    assert [out.solution[i] for i in outside] == [start[i] for i in outside]
    # the whole rota, from the same start and with the same time, changes assignments there
    whole = improve(m.model, m, start, start_value, budget=3.0, deterministic=True)
    assert [whole.solution[i] for i in outside] != [start[i] for i in outside]


def empty_start():
    """Six people, two places a day for a week, and the empty rota (every place open),
    with the model minimising unfilled required places."""
    data = rota([person(f"C{i}") for i in range(6)], [line("DAY", "08:00", "18:00", needed=2)])
    shifts = build_shifts(data)
    built = build_model(data, shifts)
    built.rota.model.minimize(built.objectives.fill)
    empty = empty_solution(built.rota.model)
    required = [(s, lit.index) for s, lits in built.objectives.places.items() for lit in lits]
    return data, shifts, built, empty, required


def test_fills_required_places_and_stops_at_the_floor():
    """From the empty rota the fill objective reaches 0 and the loop stops there, long
    before its budget."""
    data, shifts, built, empty, required = empty_start()
    start_value = expr_value(empty, built.objectives.fill)
    assert start_value > 0
    assert short_of(required, empty)  # every shift is short at the start
    out = improve(
        built.rota.model,
        built.rota,
        empty,
        start_value,
        budget=60.0,
        deterministic=True,
        short=lambda sol: short_of(required, sol),
        floor=0,
    )
    assert out.objective == 0
    assert short_of(required, out.solution) == []
    assert out.deterministic_time < 60.0
    assert check_rota(data, assignments_of(built, out.solution), shifts) == []


def empty_solution(model: cp_model.CpModel) -> list[int]:
    """The rota with nobody working, completed by CP-SAT (place literals, indicators)."""
    trial = model.clone()
    trial.clear_objective()
    for var in trial.proto.variables:
        if var.name.startswith("x["):
            var.domain[0] = var.domain[1] = 0
    return first_solution(trial)


def test_solve_reports_its_neighbourhoods_and_can_go_without():
    data = rota([person(f"C{i}") for i in range(4)], [line("DAY", "08:00", "18:00", needed=2)])
    with_lns = solve(data, FAST)
    assert "solved" in with_lns.params["phase2a_neighbourhoods"]
    without = solve(data, SolveParams(time_limit=5.0, workers=1, neighbourhoods=False))
    assert "phase2a_neighbourhoods" not in without.params
    assert with_lns.breaches == [] and without.breaches == []
    assert with_lns.objective == without.objective  # both optimal on this tiny rota


def test_gaps_step_alone_fills_every_place_someone_can_take():
    """gaps_only: one solve with every candidate of the short shifts free; from the empty
    rota that fills every place, and no neighbourhood loop follows."""
    data, shifts, built, empty, required = empty_start()
    out = improve(
        built.rota.model,
        built.rota,
        empty,
        expr_value(empty, built.objectives.fill),
        budget=60.0,
        deterministic=True,
        short=lambda sol: short_of(required, sol),
        gaps_only=True,
    )
    assert out.objective == 0 and out.improvements == 1 and out.neighbourhoods == 0
    assert check_rota(data, assignments_of(built, out.solution), shifts) == []


def test_loop_timing_takes_a_solve_with_nothing_free_only_when_much_quicker():
    """The neighbourhood loop is timed by the gaps step unless a solve with nothing free was
    at least OVERHEAD_TIMES quicker: then the gaps step was a search of its own (M)."""
    feasible, optimal = cp_model.FEASIBLE, cp_model.OPTIMAL
    # ran out of its time (a quarter of the loop's): the overhead is the quick solve's
    assert loop_timing(feasible, 0.75, optimal, 0.05) == (optimal, 0.05)
    # proven but slow (M: 2.4 s against about 0.1 s)
    assert loop_timing(optimal, 2.4, optimal, 0.1) == (optimal, 0.1)
    # both mostly copying and presolving the model: the gaps step decides
    assert loop_timing(feasible, 1.5, optimal, 1.2) == (feasible, 1.5)
    assert loop_timing(optimal, 0.3, optimal, 0.2) == (optimal, 0.3)
