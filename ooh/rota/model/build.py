"""Assemble the rota model: variables, every hard rule family, and (unless diagnosing) the
place variables and objectives."""

from __future__ import annotations

from dataclasses import dataclass

from ooh.rota.data import RotaData, Shift
from ooh.rota.model.constraints import add_hard_rules
from ooh.rota.model.objective import Objectives, build_objectives
from ooh.rota.model.variables import RotaModel, create_variables


@dataclass
class BuiltModel:
    rota: RotaModel
    objectives: Objectives | None  # None in diagnosis mode


def build_model(data: RotaData, shifts: list[Shift], diagnose: bool = False) -> BuiltModel:
    """The CP-SAT model for ``data`` over ``shifts``.

    diagnose=True guards every hard-rule group with an assumption literal (``rota.guards``)
    and leaves out the objectives: used only to find which rules contradict."""
    rota = create_variables(data, shifts, diagnose=diagnose)
    add_hard_rules(rota)
    objectives = None if diagnose else build_objectives(rota)
    return BuiltModel(rota, objectives)
