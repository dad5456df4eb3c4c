"""Improve a rota by re-solving neighbourhoods (large neighbourhood search, LNS).

CP-SAT's own search over the whole model improves large rotas slowly: with two workers it
runs few of its neighbourhood workers, and its proofs work on the whole model. Here the
rota is improved one neighbourhood at a time: every assignment outside the neighbourhood is
fixed at its current value, the rest of the model (its rules, places, soft goals) is solved
exactly by CP-SAT, starting from the current rota. A solved neighbourhood can only keep or
improve the objective, so the rota stays legal and never gets worse.

Neighbourhoods follow the shape of the rules: a few clinicians over the whole period (swap
patterns between people: runs, weekends and contracted hours are per clinician), every
clinician over a few consecutive dates (move cover between people on the same days), and a
few clinicians over a longer window. Each kind's size adapts: it grows while sub-solves are
proven optimal within their time and shrinks when they are not, as CP-SAT's own LNS does.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from time import perf_counter
from typing import Any

from ortools.sat.python import cp_model

from ooh.rota.model.variables import RotaModel

FIRST_SIZE = 60  # free assignments in a kind's first neighbourhood
MIN_SIZE = 8
GROW, SHRINK = 1.25, 0.75
# handing over (``improve``'s hand_over): a neighbourhood proven within QUICK of its time
# limit doubles, and one with EXHAUSTING of the assignments free sets its kind aside
FAST_GROW = 2.0
QUICK = 0.25
EXHAUSTING = 0.25
FOCUS = 0.7  # share of neighbourhoods started at a shift short of people
PATIENCE = 24  # neighbourhoods in a row without improvement: the loop has stalled
SUB_LIMIT = 0.5  # seconds (or deterministic time) per neighbourhood, at most ...
OVERHEAD_TIMES = 4  # ... or this many times a solve with nothing free, if more
MIN_ROUNDS = 10  # neighbourhoods the budget must allow for the loop to start


Picker = Callable[[RotaModel, random.Random, int, list[int]], set[int]]


@dataclass
class Kind:
    """One neighbourhood shape and its adaptive size (free assignments)."""

    name: str
    pick: Picker  # (model, rng, size, shifts short of people) -> x variable indices
    size: float = FIRST_SIZE
    tried: int = 0
    improved: int = 0
    # handing over: it freed all it can reach (fewer than asked, or EXHAUSTING of the rota)
    # and that held nothing better; set aside until the rota improves
    exhausted: bool = False


@dataclass
class Outcome:
    solution: list[int]
    objective: int  # in the model's objective units
    neighbourhoods: int = 0
    seconds: float = 0.0
    deterministic_time: float = 0.0
    improvements: int = 0
    by_kind: dict[str, str] = field(default_factory=dict)


def clinicians(m: RotaModel, rng: random.Random, size: int, short: list[int]) -> set[int]:
    """Every assignment of a few clinicians of one role over the whole period: people who
    could work a shift short of people, when there is one."""
    pool = _people(m, rng, short)
    free: set[int] = set()
    for c in pool:
        if len(free) >= size:
            break
        free.update(m.x[(c, s)].index for s in m.by_clinician[c])
    return free


def dates(m: RotaModel, rng: random.Random, size: int, short: list[int]) -> set[int]:
    """Every assignment on a window of consecutive dates, grown around a date with a shift
    short of people when there is one (else a random date)."""
    by_day = _by_day(m)
    first = last = m.info[rng.choice(short)].day if short else rng.randrange(m.days)
    free = set(by_day[first])
    while len(free) < size and (first > 0 or last < m.days - 1):
        if last < m.days - 1 and (first == 0 or rng.random() < 0.5):
            last += 1
            free.update(by_day[last])
        else:
            first -= 1
            free.update(by_day[first])
    return free


def block(m: RotaModel, rng: random.Random, size: int, short: list[int]) -> set[int]:
    """Several clinicians (as ``clinicians``) over a window of about half the period."""
    pool = _people(m, rng, short)
    span = max(1, m.days // 2)
    if short:
        centre = m.info[rng.choice(short)].day
        first = min(max(0, centre - span // 2), max(0, m.days - span))
    else:
        first = rng.randrange(max(1, m.days - span + 1))
    free: set[int] = set()
    for c in pool:
        if len(free) >= size:
            break
        free.update(
            m.x[(c, s)].index for s in m.by_clinician[c] if first <= m.info[s].day < first + span
        )
    return free


def _people(m: RotaModel, rng: random.Random, short: list[int]) -> list[int]:
    """Clinicians in random order: those eligible for a shift short of people first (when
    there is one), then the rest of that role."""
    if short:
        s = rng.choice(short)
        first = list(m.by_shift[s])
        role = m.shifts[s].type.role
    else:
        first = []
        role = m.data.clinicians[rng.choice(_staffed(m))].role
    rng.shuffle(first)
    rest = [c for c in _staffed(m) if m.data.clinicians[c].role == role and c not in first]
    rng.shuffle(rest)
    return first + rest


def _staffed(m: RotaModel) -> list[int]:
    return [c for c, shifts in enumerate(m.by_clinician) if shifts]


def _by_day(m: RotaModel) -> list[list[int]]:
    out: list[list[int]] = [[] for _ in range(m.days)]
    for (_, s), var in m.x.items():
        out[m.info[s].day].append(var.index)
    return out


def improve(
    model: cp_model.CpModel,
    m: RotaModel,
    solution: list[int],
    objective: int,
    budget: float,
    seed: int = 0,
    workers: int = 2,
    deterministic: bool = False,
    stopped: Callable[[], bool] = lambda: False,
    solve: Callable[[cp_model.CpSolver, cp_model.CpModel], Any] | None = None,
    on_improve: Callable[[int, list[int]], None] | None = None,
    short: Callable[[list[int]], list[int]] = lambda solution: [],
    floor: int | None = None,
    gaps_only: bool = False,
    within: set[int] | None = None,
    hand_over: bool = False,
) -> Outcome:
    """Re-solve neighbourhoods of ``solution`` (a full solution of ``model``, whose
    objective is set and equals ``objective``) for ``budget`` seconds (deterministic time
    units when deterministic), or until the objective reaches ``floor``. ``short(solution)``
    lists the shifts still short of people, where neighbourhoods start; ``gaps_only``: only
    the first neighbourhood (every candidate of those shifts). ``within``: the assignment
    variables a neighbourhood may free (every other one is fixed in ``model`` already);
    by default all. ``hand_over``: where the whole model's search that follows can prove
    what neighbourhoods cannot (phase 1: that no one can take the places still open), a
    shape that freed all it reaches (a whole role) or a quarter of the rota with nothing
    better is set aside until the rota improves, and the loop ends once every shape is;
    neighbourhoods proven in a fraction of their time double, to get there soon. Returns
    the best solution found, never a worse one."""
    rng = random.Random(seed)
    kinds = [Kind("clinicians", clinicians), Kind("dates", dates), Kind("block", block)]
    every = [v.index for v in m.x.values()]
    x_indices = sorted(every if within is None else within)
    # the pickers count every assignment they take: within a part of them, each asks for
    # proportionally more so that about ``size`` of the part is free
    spread = len(every) / max(1, len(x_indices))
    best = Outcome(list(solution), objective)
    if not x_indices:
        return best
    # one working copy: every assignment fixed at the current rota; each round frees a
    # neighbourhood and fixes it again afterwards (only those domains change)
    work = model.clone()
    domains = work.proto.variables
    for i in x_indices:
        fix_variable(domains[i], solution[i])
    started = perf_counter()
    used = 0.0

    def spent() -> float:
        return used if deterministic else perf_counter() - started

    def accept(status: Any, solver: cp_model.CpSolver, kind: Kind | None) -> bool:
        """Keep the sub-solve's rota if it is at least as good (equal: a sideways move, to
        another rota as good); True when it is better."""
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return False
        value = round(solver.objective_value)
        if value > best.objective:
            return False
        improved = value < best.objective
        best.solution = list(solver.response_proto.solution)
        best.objective = value
        if improved:
            best.improvements += 1
            if kind is not None:
                kind.improved += 1
            if on_improve is not None:
                on_improve(value, best.solution)
        return improved

    def run(limit: float) -> tuple[Any, cp_model.CpSolver]:
        """Solve the working copy from the best rota within ``limit``."""
        nonlocal used
        _hint(work, best.solution)
        solver = cp_model.CpSolver()
        p = solver.parameters
        p.num_workers = 1 if deterministic else max(1, workers)
        p.random_seed = rng.randrange(1 << 30)
        if deterministic:
            p.max_deterministic_time = limit
        else:
            p.max_time_in_seconds = limit
        status = search(solver, work, solve)
        used += solver.response_proto.deterministic_time
        return status, solver

    def took(solver: cp_model.CpSolver) -> float:
        """A sub-solve's time, in the units of the budget."""
        return solver.response_proto.deterministic_time if deterministic else solver.wall_time

    # first, the gaps: every candidate of every shift short of people free, so any place
    # someone can take without other changes is taken. Mostly this solve's time is copying
    # and presolving the whole model: a neighbourhood gets several times that, and on a
    # model so large that few would fit in the budget the loop is not worth starting
    gaps = {m.x[(c, s)].index for s in short(best.solution) for c in m.by_shift[s]}
    if within is not None:
        gaps &= within
    for i in gaps:
        free_variable(domains[i])
    status, solver = run(budget / 4)
    base = took(solver)
    accept(status, solver, None)
    for i in gaps:
        fix_variable(domains[i], best.solution[i])

    def worth_it() -> bool:
        return (
            not gaps_only
            and status == cp_model.OPTIMAL
            and budget - spent() >= MIN_ROUNDS * OVERHEAD_TIMES * base
        )

    if not worth_it() and not gaps_only and not stopped() and budget > spent():
        # the gaps step may have been a real search, not just the overhead (on M, with
        # many target places open, it ran out of time or took seconds): time a solve with
        # nothing free, and let it time the loop only if it is much quicker (where both are
        # mostly the copy and presolve of the model, the gaps step decides as before)
        empty_status, solver = run(min(budget / 4, budget - spent()))
        status, base = loop_timing(status, base, empty_status, took(solver))
    sub_limit = max(SUB_LIMIT, OVERHEAD_TIMES * base)
    start_loop = worth_it()
    round_no = 0
    stalled = 0
    while start_loop and not stopped() and stalled < PATIENCE:
        left = budget - spent()
        if left < min(0.2, sub_limit) or (floor is not None and best.objective <= floor):
            break
        ready = [k for k in kinds if not k.exhausted]
        if not ready:  # every shape has been searched as far as it reaches
            break
        kind = ready[round_no % len(ready)]
        round_no += 1
        # mostly around shifts still short of people; sometimes anywhere (diversity)
        focus = short(best.solution) if rng.random() < FOCUS else []
        asked = round(max(MIN_SIZE, kind.size) * spread)
        free = kind.pick(m, rng, asked, focus)
        reached_all = len(free) < asked  # the shape can free no more (e.g. a whole role)
        if within is not None:
            free &= within
        reached_all = reached_all or len(free) >= EXHAUSTING * len(x_indices)
        for i in free:
            free_variable(domains[i])
        limit = min(sub_limit, left)
        status, solver = run(limit)
        kind.tried += 1
        improved = accept(status, solver, kind)
        # every assignment was free and the solve proven: the rota is optimal (in the part)
        proven_optimal = status == cp_model.OPTIMAL and len(free) >= len(x_indices)
        # a neighbourhood proven within its time can grow; one that ran out shrinks
        whole = kind.size >= len(x_indices)
        if status != cp_model.OPTIMAL:
            kind.size *= SHRINK
        else:
            kind.size *= FAST_GROW if hand_over and took(solver) < QUICK * limit else GROW
        kind.size = min(max(kind.size, MIN_SIZE), len(x_indices))
        # one proven with nothing better says it was too small, not that the search has
        # stalled, until it is the whole rota (NRP 12: 24 neighbourhoods of up to 358
        # assignments, all proven, ended the loop after 0.9 s; larger ones later found 100-300)
        if improved:
            stalled = 0
            for k in kinds:
                k.exhausted = False
        elif status != cp_model.OPTIMAL or whole:
            stalled += 1
        # handing over (the realistic sample's phase 1: 95 neighbourhoods in 12.6 s, up to
        # whole roles', proved nothing better; the whole model then proved its 3 open
        # places unfillable in 3 s)
        if hand_over and status == cp_model.OPTIMAL and not improved and reached_all:
            kind.exhausted = True
        for i in free:
            fix_variable(domains[i], best.solution[i])
        best.neighbourhoods += 1
        if proven_optimal:
            break
    best.seconds = perf_counter() - started
    best.deterministic_time = used
    best.by_kind = {
        k.name: f"{k.improved}/{k.tried} improved, size {k.size:.0f}"
        + (", set aside" if k.exhausted else "")
        for k in kinds
    }
    return best


def loop_timing(gaps_status: Any, gaps_time: float, empty_status: Any, empty_time: float) -> Any:
    """The status and time that decide whether the neighbourhood loop is worth starting:
    the gaps step's, unless a solve with nothing free was much quicker (then the gaps step
    was a search of its own, and the solve with nothing free is the overhead)."""
    if empty_time * OVERHEAD_TIMES > gaps_time:
        return gaps_status, gaps_time
    return empty_status, empty_time


def with_assignments(
    model: cp_model.CpModel,
    m: RotaModel,
    chosen: set[tuple[int, int]],
    objective: cp_model.LinearExprT,
) -> cp_model.CpModel:
    """A copy of the model with every assignment fixed: in ``chosen`` (clinician, shift)
    or not. Solving it completes a rota built outside CP-SAT into a full solution (place
    literals, indicators, fairness terms), or proves it breaks a rule."""
    fixed = model.clone()
    for cs, var in m.x.items():
        fix_variable(fixed.proto.variables[var.index], int(cs in chosen))
    fixed.minimize(objective)
    return fixed


def search(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    solve: Callable[[cp_model.CpSolver, cp_model.CpModel], Any] | None = None,
) -> Any:
    """The search's status: through ``solve`` (a stoppable search) where given."""
    return solve(solver, model) if solve is not None else solver.solve(model)


def fix_variable(domain_proto: Any, value: int) -> None:
    domain_proto.domain[0] = value
    domain_proto.domain[1] = value


def free_variable(domain_proto: Any) -> None:
    domain_proto.domain[0] = 0
    domain_proto.domain[1] = 1


def _hint(model: cp_model.CpModel, solution: list[int]) -> None:
    model.clear_hints()
    hint = model.proto.solution_hint
    hint.vars.extend(range(len(solution)))
    hint.values.extend(solution)
