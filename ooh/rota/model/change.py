"""Keeping a previous rota: the "minimal change" objective of a repair, and frozen dates.

Given the rota as published (``previous``), every assignment is either kept or changed:

- a previous assignment is *changed* when it is dropped (its variable is 0, or it has no
  variable at all because the clinician is no longer eligible: a forced change);
- any other assignment is *changed* when it is made (its variable is 1);
- a clinician is *touched* when any of their assignments changes.

The repair objective, minimised after the required places are filled and before the soft
goals, is ``PEOPLE_WEIGHT * touched people + changed assignments`` with ``PEOPLE_WEIGHT``
one more than the number of assignments that could change: exactly lexicographic, so one
more person moved always costs more than any number of extra changed assignments. Forced
changes are constants and left out.

Dates before ``frozen_before`` (shifts already worked) are fixed as they were: previous
assignments kept, nobody added.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ortools.sat.python import cp_model

from ooh.rota.data import Assignment
from ooh.rota.model.variables import RotaModel


@dataclass
class ChangeObjective:
    expr: cp_model.LinearExprT  # PEOPLE_WEIGHT * people + assignments
    people: cp_model.LinearExprT  # clinicians touched (beyond those forced to change)
    assignments: cp_model.LinearExprT  # assignments changed (beyond forced ones)
    people_weight: int
    keep: list[cp_model.IntVar]  # variables of the previous assignments that can be kept
    forced_people: int  # clinicians with a forced change (a previous assignment now impossible)


def keep_previous(
    m: RotaModel, previous: list[Assignment], frozen_before: date | None = None
) -> ChangeObjective:
    """Post the frozen dates and build the change objective over the model's variables."""
    before: set[tuple[int, int]] = set()
    forced: set[int] = set()
    for a in previous:
        c = m.clinician_index.get(a.clinician)
        s = m.shift_index.get(a.shift_id)
        if c is not None and s is not None and (c, s) in m.x:
            before.add((c, s))
        elif c is not None:
            forced.add(c)
    if frozen_before is not None:
        for (c, s), var in m.x.items():
            if m.shifts[s].date < frozen_before:
                m.model.add(var == (1 if (c, s) in before else 0))
    changes: dict[int, list[Any]] = {}  # literals: x or not x
    for (c, s), var in m.x.items():
        if frozen_before is not None and m.shifts[s].date < frozen_before:
            continue
        changes.setdefault(c, []).append(var.Not() if (c, s) in before else var)
    touched = []
    for c, lits in sorted(changes.items()):
        if c in forced:
            continue  # touched whatever the rota: a constant
        t = m.model.new_bool_var(f"touched[{m.data.clinicians[c].id}]")
        for lit in lits:
            m.model.add_implication(lit, t)
        touched.append(t)
    all_lits = [lit for lits in changes.values() for lit in lits]
    weight = len(all_lits) + 1
    people = cp_model.LinearExpr.Sum(touched) if touched else 0
    moved = cp_model.LinearExpr.Sum(all_lits) if all_lits else 0
    expr = weight * people + moved if touched else moved
    keep = [m.x[cs] for cs in sorted(before, key=lambda cs: (m.info[cs[1]].start, cs[0]))]
    return ChangeObjective(expr, people, moved, weight, keep, len(forced))


def kept_model(
    model: cp_model.CpModel, change: ChangeObjective, fill: cp_model.LinearExprT
) -> cp_model.CpModel:
    """A repair's first rota: every keepable previous assignment kept, the open places
    filled as well as possible around them (minimise ``fill``). With most variables fixed
    CP-SAT solves this in a fraction of a second where a greedy dive over the whole model
    can take many; it is also the best start for the fewest-changes phase. Infeasible (the
    kept set no longer fits together, e.g. after a demand cut): the caller falls back to the
    greedy dive."""
    trial = model.clone()
    for var in change.keep:
        trial.add(var == 1)
    trial.minimize(fill)
    return trial
