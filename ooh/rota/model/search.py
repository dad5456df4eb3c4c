"""Search helpers: a greedy first rota that CP-SAT builds by propagation (phase 0).

Deciding "clinician c works shift s" = 1 in the order (priority high to low, start time,
clinicians rotated per shift) with propagation of every hard rule is a greedy fill that
never breaks a rule; CP-SAT backtracks if a minimum or fixed booking needs it. Without
presolve or LP this dive takes well under a second on the realistic sample and gives phase 1
a full hint, where the default search needs many seconds to find any rota.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from ooh.rota.model.variables import RotaModel


def greedy_order(m: RotaModel) -> list[cp_model.IntVar]:
    """x variables in greedy fill order. Clinicians with a minimum number of shifts come
    first (taking their shifts late leads the dive into long backtracking); then shifts by
    priority and start, the clinician order rotated per shift so the first rota is spread
    over people instead of loading the first clinician in the list."""
    n = max(1, len(m.data.clinicians))
    keys = sorted(
        m.x,
        key=lambda cs: (
            m.data.clinicians[cs[0]].min_shifts == 0,
            -m.shifts[cs[1]].type.priority,
            m.info[cs[1]].start,
            (cs[0] + 7 * cs[1]) % n,
            cs[0],
        ),
    )
    return [m.x[k] for k in keys]


def greedy_parameters(
    solver: cp_model.CpSolver, time_limit: float, seed: int, deterministic: bool = False
) -> None:
    p = solver.parameters
    p.num_workers = 1
    p.random_seed = seed
    p.search_branching = cp_model.FIXED_SEARCH
    p.linearization_level = 0
    p.cp_model_presolve = False
    p.stop_after_first_solution = True
    if deterministic:
        p.max_deterministic_time = max(0.1, time_limit)
    else:
        p.max_time_in_seconds = max(0.1, time_limit)
