"""Objectives: filling required places first (phase 1), then the weighted soft goals (phase 2).

Every soft-goal penalty is a named variable (or a named literal) recorded as a ``Penalty``,
so a report can say which goal a rota gives up and where. All coefficients are integers in
``SCALE`` units per point (1/60 point), which lets hours be counted in whole minutes; see
docs/rota-formulation.md for the formulas.
"""

from __future__ import annotations

import math
from collections.abc import Container
from dataclasses import dataclass, field
from datetime import date
from functools import reduce
from itertools import pairwise

from ortools.sat.python import cp_model

from ooh.rota.data import AvailabilityKind
from ooh.rota.model.variables import RotaModel

SCALE = 60  # objective units per point: a weight "per hour" is then a weight per minute


def priority_weight(priority: int) -> int:
    """Weight of one unfilled required place of this priority in phase 1: 2**(p-1),
    so a priority-5 place counts as much as 16 priority-1 places."""
    return 2 ** (max(1, priority) - 1)


@dataclass(frozen=True)
class Penalty:
    """One term of the soft objective: ``coef * var`` in SCALE units."""

    goal: str  # target, practice_fair_share, clinician_hours, ..., requests, cost
    name: str  # what it measures, in words with ids and dates
    var: cp_model.LinearExprT
    coef: int


@dataclass(frozen=True)
class OwnTerm:
    """A soft-goal term about one clinician's own schedule (pay, a request, a preference):
    ``coef`` SCALE units are paid when ``want`` and none of ``shifts`` is worked, or when
    not ``want`` and one of them is. ``shifts``: one shift, or the clinician's shifts of
    one date."""

    goal: str
    name: str
    clinician: int
    shifts: tuple[int, ...]
    want: bool
    coef: int

    def paid(self, worked: Container[int]) -> bool:
        """Whether a schedule (the shifts the clinician works) pays this term."""
        return any(s in worked for s in self.shifts) != self.want


@dataclass(frozen=True)
class FairMember:
    """One member of a fair-share group: amounts per assignment, and what it offered."""

    label: str
    amounts: tuple[tuple[int, int, int], ...]  # (clinician, shift, amount units)
    offered: int


@dataclass(frozen=True)
class FairGroup:
    """Members whose amounts should follow their offers: ``weight`` SCALE units per unit
    of each member's L1 deviation from its share of the group total (``_fair_share``)."""

    goal: str
    weight: int
    members: tuple[FairMember, ...]


@dataclass
class Objectives:
    places: dict[int, list[cp_model.IntVar]]  # shift index -> place k filled (k = 1..wanted)
    unfilled_required: cp_model.LinearExprT  # number of unfilled required places
    fill: cp_model.LinearExprT  # phase 1: priority-weighted unfilled required places
    penalties: list[Penalty]
    # priority-weighted unfilled target places (phase 1c) and the most it can be
    targets: cp_model.LinearExprT = 0
    targets_max: int = 0
    # the soft goals as data, for searches outside the model (``ooh.rota.schedules``):
    # every term about one clinician's own schedule, and the fair-share groups
    own: list[OwnTerm] = field(default_factory=list)
    groups: list[FairGroup] = field(default_factory=list)

    def soft(self) -> cp_model.LinearExprT:
        """Phase 2 objective in SCALE units."""
        return cp_model.LinearExpr.weighted_sum(
            [p.var for p in self.penalties], [p.coef for p in self.penalties]
        )


def add_places(m: RotaModel) -> dict[int, list[cp_model.IntVar]]:
    """Place k of a shift is filled iff at least k people work it (filled places in order).

    Required places are 1..needed, target places needed+1..wanted, so unfilled required and
    unfilled target places are exact linear sums of place literals."""
    places: dict[int, list[cp_model.IntVar]] = {}
    for s, shift in enumerate(m.shifts):
        wanted = shift.type.wanted
        cands = m.by_shift[s]
        lits = [m.model.new_bool_var(f"filled[{shift.id}#{k}]") for k in range(1, wanted + 1)]
        for k, lit in enumerate(lits):
            if k >= len(cands):
                m.model.add(lit == 0)  # fewer eligible people than places
        for a, b in pairwise(lits):
            m.model.add_implication(b, a)
        people = cp_model.LinearExpr.sum([m.x[(c, s)] for c in cands])
        filled = cp_model.LinearExpr.sum(lits)
        m.model.add(filled + extra_people(m, s, lits) == people)
        places[s] = lits
    return places


def extra_people(m: RotaModel, s: int, lits: list[cp_model.IntVar]) -> cp_model.IntVar | int:
    """People above ``wanted`` on a shift whose line weighs them (``over_weight`` set;
    otherwise ``wanted`` is a hard cap and this is 0). Extra people come only after every
    place is filled."""
    shift = m.shifts[s]
    room = len(m.by_shift[s]) - shift.type.wanted
    if shift.type.over_weight is None or room <= 0:
        return 0
    extra = m.model.new_int_var(0, room, f"extra[{shift.id}]")
    if lits:
        m.model.add(extra == 0).only_enforce_if(lits[-1].negated())
    m._extra[s] = extra
    return extra


def build_objectives(m: RotaModel) -> Objectives:
    places = add_places(m)
    required = []
    fill_coefs = []
    for s, lits in places.items():
        st = m.shifts[s].type
        if st.under_weight is not None:
            continue  # soft cover: its required places are weighed in phase 2 instead
        for lit in lits[: st.needed]:
            required.append(lit.negated())
            fill_coefs.append(priority_weight(st.priority))
    unfilled = cp_model.LinearExpr.sum(required) if required else 0
    fill = cp_model.LinearExpr.weighted_sum(required, fill_coefs) if required else 0
    target_lits = []
    target_coefs = []
    for s, lits in places.items():
        st = m.shifts[s].type
        for lit in lits[st.needed :]:
            target_lits.append(lit.negated())
            target_coefs.append(max(1, st.priority))
    targets = cp_model.LinearExpr.weighted_sum(target_lits, target_coefs) if target_lits else 0
    groups = [g for g in (practice_share_group(m), *clinician_fairness_groups(m)) if g]
    own = own_terms(m)
    penalties: list[Penalty] = []
    penalties += target_penalties(m, places)
    penalties += soft_cover_penalties(m, places)
    for group in groups:
        penalties += _fair_share(m, group)
    penalties += [Penalty(t.goal, t.name, own_literal(m, t), t.coef) for t in own]
    return Objectives(
        places, unfilled, fill, penalties, targets, sum(target_coefs), own=own, groups=groups
    )


def target_penalties(m: RotaModel, places: dict[int, list[cp_model.IntVar]]) -> list[Penalty]:
    w = m.data.rules.weights.target
    out = []
    for s, lits in places.items():
        st = m.shifts[s].type
        for k, lit in enumerate(lits[st.needed :], start=st.needed + 1):
            name = f"unfilled target place {k} of {m.shifts[s].id}"
            out.append(Penalty("target", name, lit.negated(), w * st.priority * SCALE))
    return out


def soft_cover_penalties(m: RotaModel, places: dict[int, list[cp_model.IntVar]]) -> list[Penalty]:
    """Lines with soft cover: ``under_weight`` points per person short of ``needed`` and
    ``over_weight`` points per person above ``wanted``."""
    out = []
    for s, lits in places.items():
        st = m.shifts[s].type
        if st.under_weight is not None:
            for k, lit in enumerate(lits[: st.needed], start=1):
                name = f"unfilled place {k} of {m.shifts[s].id} (soft cover)"
                out.append(Penalty("cover", name, lit.negated(), st.under_weight * SCALE))
        if st.over_weight is not None and s in m._extra:
            name = f"people above the target on {m.shifts[s].id}"
            out.append(Penalty("cover", name, m._extra[s], st.over_weight * SCALE))
    return out


def _fair_share(m: RotaModel, group: FairGroup) -> list[Penalty]:
    """L1 deviation of each member's amount from its share of the group total.

    Member i's fair amount is offered_i / sum(offered) of the total Q; with A = sum(offered)
    the deviation d_i obeys A*d_i >= |A*q_i - offered_i*Q| (exact integers, rounded up to a
    whole unit)."""
    members = group.members
    g = reduce(math.gcd, [mb.offered for mb in members])
    offered = [mb.offered // g for mb in members]
    total_offered = sum(offered)
    model = m.model
    goal = group.goal
    maxes = [sum(a for _, _, a in mb.amounts) for mb in members]
    total = model.new_int_var(0, sum(maxes), f"{goal}:total")
    qs = []
    for mb, hi in zip(members, maxes, strict=True):
        q = model.new_int_var(0, hi, f"{goal}:amount[{mb.label}]")
        model.add(
            q
            == cp_model.LinearExpr.weighted_sum(
                [m.x[(c, s)] for c, s, _ in mb.amounts], [a for _, _, a in mb.amounts]
            )
        )
        qs.append(q)
    model.add(total == sum(qs))
    out = []
    for mb, q, a, hi in zip(members, qs, offered, maxes, strict=True):
        dev = model.new_int_var(0, max(hi, sum(maxes)), f"{goal}:deviation[{mb.label}]")
        model.add(total_offered * dev >= total_offered * q - a * total)
        model.add(total_offered * dev >= a * total - total_offered * q)
        name = f"{goal.replace('_', ' ')} deviation of {mb.label}"
        out.append(Penalty(goal, name, dev, group.weight))
    return out


def _group(goal: str, weight: int, members: list[FairMember]) -> FairGroup | None:
    """The group, with members that offered nothing left out; None when there is nothing
    to share (fewer than two members, or no weight)."""
    members = [mb for mb in members if mb.offered > 0]
    if len(members) < 2 or weight == 0:
        return None
    return FairGroup(goal, weight, tuple(members))


def practice_share_group(m: RotaModel) -> FairGroup | None:
    """Member practices' worked minutes against their list-size share of all member minutes
    (locum and unattached clinicians' hours do not count)."""
    by_practice: dict[str, list[tuple[int, int, int]]] = {p.code: [] for p in m.data.practices}
    for c, s in m.x:
        cl = m.data.clinicians[c]
        if cl.practice in by_practice and not cl.is_locum:
            by_practice[cl.practice].append((c, s, m.info[s].minutes))
    members = [
        FairMember(p.code, tuple(by_practice[p.code]), p.list_size) for p in m.data.practices
    ]
    # weight is per hour; amounts are minutes, and SCALE = 60 makes it per minute
    return _group("practice_fair_share", m.data.rules.weights.practice_fair_share, members)


def offered_dates(m: RotaModel, shifts: list[int]) -> int:
    """Dates on which the clinician could work one of these shifts (their offer)."""
    return len({m.info[s].day for s in shifts})


def _is_kind(m: RotaModel, s: int, kind: str) -> bool:
    info = m.info[s]
    if kind == "hours":
        return True
    if kind == "nights":
        return info.night
    if kind == "weekends":
        return info.weekend is not None
    return info.bank_holiday


def clinician_fairness_groups(m: RotaModel) -> list[FairGroup | None]:
    """Within each role, members' (non-locum) hours, nights, weekend and bank-holiday shifts
    against their share by dates offered. Counts are in 1/60 units so every weight is per
    unit (hour, night, shift) in points."""
    w = m.data.rules.weights
    kinds = {
        "hours": w.clinician_hours,
        "nights": w.clinician_nights,
        "weekends": w.clinician_weekends,
        "bank_holidays": w.clinician_bank_holidays,
    }
    roles = sorted({cl.role for cl in m.data.clinicians})
    out = []
    for role in roles:
        group = [
            c
            for c, cl in enumerate(m.data.clinicians)
            if cl.role == role and not cl.is_locum and m.by_clinician[c]
        ]
        for kind, weight in kinds.items():
            members = []
            for c in group:
                shifts = [s for s in m.by_clinician[c] if _is_kind(m, s, kind)]
                amounts = tuple(
                    (c, s, m.info[s].minutes if kind == "hours" else SCALE) for s in shifts
                )
                label = m.data.clinicians[c].id
                members.append(FairMember(label, amounts, offered_dates(m, shifts)))
            out.append(_group(f"clinician_{kind}[{role}]", weight, members))
    return out


def own_literal(m: RotaModel, term: OwnTerm) -> cp_model.LinearExprT:
    """1 exactly when the term is paid: the shift's own variable (or its negation), or for
    a date a literal posted here (minimisation keeps it from being 1 needlessly)."""
    if len(term.shifts) == 1:
        lit = m.x[(term.clinician, term.shifts[0])]
        return lit.negated() if term.want else lit
    return date_literal(m, term)


def date_literal(m: RotaModel, term: OwnTerm) -> cp_model.IntVar:
    """For a term about several shifts (a date), a literal that is 1 whenever the term is
    paid; minimisation keeps it from being 1 needlessly."""
    lits = [m.x[(term.clinician, s)] for s in term.shifts]
    v = m.model.new_bool_var(term.name)
    if term.want:
        m.model.add(v + sum(lits) >= 1)
    else:
        for lit in lits:
            m.model.add_implication(lit, v)
    return v


def _day_shifts(m: RotaModel, c: int, day: date) -> tuple[int, ...]:
    """The clinician's shifts starting on ``day`` (none: no rota can honour or break a
    wish about that day, so it is not counted)."""
    d = (day - m.data.settings.period_start).days
    return tuple(m.shifts_on_day(c).get(d, []))


def own_terms(m: RotaModel) -> list[OwnTerm]:
    """Every soft-goal term about one clinician's own schedule."""
    return request_terms(m) + preference_terms(m) + cost_terms(m)


def request_terms(m: RotaModel) -> list[OwnTerm]:
    w = m.data.rules.weights.requests * SCALE
    out = []
    for r in m.data.requests:
        c = m.clinician_index.get(r.clinician)
        if c is None or w == 0:
            continue
        verb = "wants" if r.want else "avoids"
        what = r.shift_type or "any shift"
        name = f"request: {r.clinician} {verb} {r.date.isoformat()} {what}"
        if r.shift_type is not None:
            s = m.shift_index.get(f"{r.date.isoformat()}/{r.shift_type}")
            if s is None or (c, s) not in m.x:
                continue  # cannot be honoured by any rota: not counted
            shifts: tuple[int, ...] = (s,)
        else:
            shifts = _day_shifts(m, c, r.date)
        if shifts:
            out.append(OwnTerm("requests", name, c, shifts, r.want, w * r.weight))
    return out


def preference_terms(m: RotaModel) -> list[OwnTerm]:
    """Days marked "prefers to work" not worked, and "prefers not" days worked."""
    w = m.data.rules.weights.preferences * SCALE
    out: list[OwnTerm] = []
    if w == 0:
        return out
    first, last = m.data.settings.period_start, m.data.settings.period_end
    for (cid, day), avail in sorted(m.data.availability.items()):
        if avail.kind not in (AvailabilityKind.PREFERS, AvailabilityKind.PREFERS_NOT):
            continue
        c = m.clinician_index.get(cid)
        if c is None or not first <= day <= last:
            continue
        want = avail.kind is AvailabilityKind.PREFERS
        label = "prefers to work" if want else "prefers not to work"
        name = f"preference: {cid} {label} {day.isoformat()}"
        shifts = _day_shifts(m, c, day)
        if shifts:
            out.append(OwnTerm("preferences", name, c, shifts, want, w))
    return out


def cost_terms(m: RotaModel) -> list[OwnTerm]:
    """Pay (hours x rate x pay multiplier, GBP) plus a locum penalty per locum hour."""
    w = m.data.rules.weights
    out = []
    for c, s in m.x:
        cl = m.data.clinicians[c]
        hours = m.info[s].minutes / 60
        points = w.cost * hours * cl.hourly_rate * m.shifts[s].type.pay_multiplier
        if cl.is_locum:
            points += w.locum * hours
        coef = round(points * SCALE)
        if coef:
            name = f"pay of {cl.id} on {m.shifts[s].id}"
            out.append(OwnTerm("cost", name, c, (s,), False, coef))
    return out


def literal_value(solution: list[int], var: cp_model.LinearExprT) -> int:
    """Value of a variable or negated Boolean in a CP-SAT solution vector."""
    index = var.index  # type: ignore[union-attr]
    return solution[index] if index >= 0 else 1 - solution[-index - 1]


def penalty_points(objectives: Objectives, solution: list[int]) -> list[tuple[Penalty, float]]:
    """Every soft-goal penalty the solution pays, in points (largest first)."""
    paid = []
    for p in objectives.penalties:
        value = literal_value(solution, p.var)
        if value:
            paid.append((p, value * p.coef / SCALE))
    paid.sort(key=lambda item: -item[1])
    return paid


def points_by_goal(paid: list[tuple[Penalty, float]]) -> dict[str, float]:
    totals: dict[str, float] = {}
    for p, points in paid:
        goal = p.goal.split("[", 1)[0]
        totals[goal] = round(totals.get(goal, 0.0) + points, 2)
    return dict(sorted(totals.items(), key=lambda kv: -kv[1]))
