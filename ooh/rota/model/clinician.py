"""One clinician's own model: every hard rule of the rota but capacity, over chosen shifts.

Every hard rule is about one clinician except capacity (at most ``wanted`` people on a
dated shift whose line does not weigh extra people), so a schedule legal in this model is
legal in the rota as long as its shifts have room. Used to build a first rota one clinician
at a time (``ooh.rota.model.first``) and to generate schedules (``ooh.rota.schedules``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from ooh.rota.data import FixedBooking, Shift
from ooh.rota.model.constraints import RULE_FAMILIES, add_capacity
from ooh.rota.model.contract import CONTRACT_FAMILIES
from ooh.rota.model.objective import OwnTerm, date_literal
from ooh.rota.model.variables import RotaModel

NOBODY: list[int] = []  # by_shift of a clinician's model: nobody, or its one clinician
ONLY_THEM = [0]


def has_room(shift: Shift, people: int) -> bool:
    """Whether one more person may work the shift with ``people`` on it already."""
    return shift.type.over_weight is not None or people < shift.type.wanted


def clinician_model(
    rota: RotaModel, c: int, shifts: list[int], fixed: list[FixedBooking]
) -> RotaModel:
    """The model of clinician c alone (as clinician 0) over ``shifts`` (shift indices of the
    whole rota, in ``rota.by_clinician[c]`` order): every hard rule but capacity, with the
    given fixed bookings. Shifts, their facts and indices are the whole rota's, shared
    rather than recomputed."""
    clinician = rota.data.clinicians[c]
    data = replace(rota.data, clinicians=(clinician,), fixed=tuple(fixed), requests=())
    model = cp_model.CpModel()
    x = {(0, s): model.new_bool_var("") for s in shifts}
    # shared lists, read only: one fresh list per shift per clinician took 3.5 s on XL
    by_shift: list[list[int]] = [NOBODY] * len(rota.shifts)
    for s in shifts:
        by_shift[s] = ONLY_THEM
    sub = RotaModel(
        data=data,
        shifts=rota.shifts,
        info=rota.info,
        model=model,
        x=x,
        by_clinician=[shifts],
        by_shift=by_shift,
        shift_index=rota.shift_index,
        clinician_index={clinician.id: 0},
    )
    for family in (*RULE_FAMILIES, *CONTRACT_FAMILIES):
        if family is not add_capacity:
            family(sub)
    return sub


@dataclass
class OwnCosts:
    """A clinician's own soft-goal terms (``OwnTerm``) in the form a schedule search needs:
    per shift worked, a constant, and the terms about a whole date with their literals in
    the clinician's model (posted once; only their coefficients change between searches)."""

    per_shift: dict[int, int]  # SCALE units when the shift is worked
    constant: int  # paid by the empty schedule: wanted shifts and dates not worked
    day_terms: list[tuple[OwnTerm, cp_model.IntVar]]  # terms about several shifts

    def of(self, schedule: frozenset[int] | set[int]) -> int:
        """What the schedule pays (SCALE units), exactly as the model's penalties count it."""
        paid = self.constant + sum(self.per_shift.get(s, 0) for s in schedule)
        return paid + sum(t.coef for t, _ in self.day_terms if t.paid(schedule))


def own_costs(sub: RotaModel, terms: list[OwnTerm]) -> OwnCosts:
    """The clinician's terms (any ``clinician`` index: the model's clinician is 0) laid out
    for ``sub``. A term about a date gets a literal in ``sub`` that is 1 exactly when the
    term is paid (when minimised); shifts of the term the model lacks are never worked."""
    per_shift: dict[int, int] = {}
    constant = 0
    day_terms: list[tuple[OwnTerm, cp_model.IntVar]] = []
    for term in terms:
        shifts = tuple(s for s in term.shifts if (0, s) in sub.x)
        if len(shifts) > 1:
            day_terms.append((term, date_literal(sub, replace(term, clinician=0, shifts=shifts))))
            continue
        if term.want:  # paid unless worked
            constant += term.coef
        for s in shifts:
            per_shift[s] = per_shift.get(s, 0) + (-term.coef if term.want else term.coef)
    return OwnCosts(per_shift, constant, day_terms)
