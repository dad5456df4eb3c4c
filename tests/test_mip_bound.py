"""The MIP read from a CP-SAT model is a relaxation of it, exact where every kind is read:
HiGHS and CP-SAT reach the same optimum, so HiGHS's bound is a bound on the rota."""

from __future__ import annotations

import random

from ortools.sat.python import cp_model

from ooh.rota.calendar import build_shifts
from ooh.rota.mip_bound import GAP, MipBound
from ooh.rota.model.build import build_model
from ooh.rota.solve import SolveParams, solve
from ooh.rota.template import template_data


def cp_sat_optimum(model: cp_model.CpModel) -> float:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    solver.parameters.max_time_in_seconds = 60
    assert solver.solve(model) == cp_model.OPTIMAL
    return solver.objective_value


def highs_bound(model: cp_model.CpModel) -> float:
    bound = MipBound(model.proto, 60).result()
    assert bound is not None
    return bound


def agrees(bound: float, optimum: float) -> bool:
    """HiGHS's bound is the optimum, less what it may leave: its gap (it stops once its
    bound is within GAP of its best solution) and the slack kept for its tolerances."""
    return optimum - (GAP + 1e-6) * (abs(optimum) + 1) <= bound <= optimum


def every_kind(seed: int) -> cp_model.CpModel:
    """Enforced linear rows (both sides, negated and several literals), enforced bool_or and
    bool_and, at_most_one, exactly_one, an integer variable, and a random objective."""
    rng = random.Random(seed)
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{i}") for i in range(8)]
    n = model.new_int_var(-3, 7, "n")
    model.add(sum(x[:5]) + n >= 2).only_enforce_if(x[5], x[6].negated())
    model.add(2 * x[0] - 3 * x[1] + n <= 1).only_enforce_if(x[7])
    model.add(sum(x[2:6]) - n == 1).only_enforce_if(x[0].negated())
    model.add_bool_or([x[1], x[3].negated(), x[4]]).only_enforce_if(x[2])
    model.add_bool_and([x[5], x[6].negated()]).only_enforce_if(x[1], x[4].negated())
    model.add_at_most_one([x[0], x[3], x[7]])
    model.add_exactly_one([x[2], x[4].negated(), x[6]])
    model.minimize(sum(rng.randint(-9, 9) * v for v in x) + rng.randint(-4, 4) * n + 5)
    return model


def test_every_kind_read_gives_cp_sat_s_optimum() -> None:
    for seed in range(12):
        model = every_kind(seed)
        optimum = cp_sat_optimum(model)
        bound = highs_bound(model)
        assert agrees(bound, optimum), (seed, bound, optimum)


def test_a_kind_not_read_is_left_out_and_the_bound_still_holds() -> None:
    model = every_kind(3)
    x = [model.get_bool_var_from_proto_index(i) for i in range(3)]
    top = model.new_int_var(0, 1, "top")
    model.add_max_equality(top, x)  # lin_max: not read
    model.add(top == 1)
    optimum = cp_sat_optimum(model)
    mip = MipBound(model.proto, 60)
    bound = mip.result()
    assert mip.left_out == 1
    assert bound is not None and bound <= optimum


def test_a_rota_s_optimum_agrees() -> None:
    """The template rota (fair-share groups, pay, requests, places): the soft goals'
    optimum by CP-SAT and by HiGHS on the MIP read from the same model."""
    data = template_data()
    built = build_model(data, build_shifts(data))
    assert built.objectives is not None and built.objectives.groups
    model = built.rota.model
    model.minimize(built.objectives.soft())
    optimum = cp_sat_optimum(model)
    bound = highs_bound(model)
    assert agrees(bound, optimum), (bound, optimum)


def test_the_solve_takes_the_bound_and_proves_the_rota_with_it() -> None:
    """On the template rota HiGHS proves the optimum within the time: the result's bound is
    at least its bound, and the rota, once there, is optimal."""
    result = solve(template_data(), SolveParams(time_limit=20, workers=2))
    summary = result.params["phase2_mip_bound"]
    assert summary.startswith("bound ")
    mip = float(summary.split()[1].rstrip(",").replace(",", ""))
    assert result.objective is not None and result.bound is not None
    assert result.bound >= mip - 0.01 and result.bound <= result.objective + 1e-9
    assert result.status.value == "optimal" or result.bound < result.objective


def test_no_mip_bound_in_deterministic_mode() -> None:
    """Its bound depends on the clock; deterministic outputs must not."""
    result = solve(template_data(), SolveParams(time_limit=5, workers=1, deterministic=True))
    assert "phase2_mip_bound" not in result.params
