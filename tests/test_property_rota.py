"""Property tests over many random small instances.

1. Every rota the solver returns passes the independent checker.
2. No required place is left unfilled while some clinician could take it without breaking
   a hard rule: for every required gap and every clinician, adding that assignment to the
   rota makes the checker report a breach (filling required places outweighs every soft
   goal).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import time

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from solve_helpers import MONDAY, day, rota

from ooh.rota.calendar import build_shifts
from ooh.rota.check import check_rota
from ooh.rota.data import (
    Assignment,
    Availability,
    AvailabilityKind,
    Clinician,
    FixedBooking,
    Rules,
    ShiftType,
    Status,
)
from ooh.rota.solve import SolveParams, solve

PARAMS = SolveParams(time_limit=5.0, workers=1, seed=0)
ROLES = ("GP", "ANP")


@st.composite
def shift_lines(draw: st.DrawFn, index: int) -> ShiftType:
    start = draw(st.sampled_from([6, 8, 12, 16, 18, 20, 23]))
    hours = draw(st.sampled_from([3, 4, 6, 8, 9, 12]))
    needed = draw(st.integers(0, 2))
    return ShiftType(
        id=f"L{index}",
        site=draw(st.sampled_from(["A", "B"])),
        role=draw(st.sampled_from(ROLES)),
        start=time(start),
        end=time((start + hours) % 24),
        days=frozenset(draw(st.sets(st.integers(0, 6), min_size=1))),
        needed=needed,
        wanted=needed + draw(st.integers(0, 1)),
        priority=draw(st.integers(1, 5)),
        pay_multiplier=draw(st.sampled_from([1.0, 1.5])),
        skills=frozenset(draw(st.sets(st.sampled_from(["X"]), max_size=1))),
    )


@st.composite
def instances(draw: st.DrawFn):
    lines = [draw(shift_lines(i)) for i in range(draw(st.integers(1, 4)))]
    people = []
    for i in range(draw(st.integers(1, 4))):
        people.append(
            Clinician(
                id=f"C{i}",
                name=f"Dr C{i}",
                practice=draw(st.sampled_from(["P1", None])),
                role=draw(st.sampled_from(ROLES)),
                skills=frozenset(draw(st.sets(st.sampled_from(["X"])))),
                sites=frozenset(draw(st.sets(st.sampled_from(["A", "B"]), max_size=1))),
                max_hours_per_week=draw(st.sampled_from([12.0, 24.0, 40.0, 48.0])),
                max_shifts=draw(st.sampled_from([None, 2, 5])),
                max_consecutive_nights=draw(st.sampled_from([None, 1, 2])),
                max_weekends=draw(st.sampled_from([None, 0, 1])),
                hourly_rate=draw(st.sampled_from([10.0, 80.0, 150.0])),
                is_locum=draw(st.booleans()),
            )
        )
    weeks = draw(st.integers(1, 2))
    availability = {}
    kinds = [AvailabilityKind.UNAVAILABLE, AvailabilityKind.PREFERS, AvailabilityKind.PREFERS_NOT]
    for person in people:
        for d in draw(st.sets(st.integers(0, 7 * weeks - 1), max_size=4)):
            kind = draw(st.sampled_from([*kinds, AvailabilityKind.ONLY]))
            offered = frozenset([lines[0].id]) if kind is AvailabilityKind.ONLY else frozenset()
            availability[(person.id, day(d))] = Availability(kind, offered)
    rules = Rules(
        min_rest_hours=draw(st.sampled_from([8.0, 11.0])),
        rest_after_nights_hours=draw(st.sampled_from([11.0, 46.0])),
        max_consecutive_nights=draw(st.integers(1, 4)),
        max_consecutive_days=draw(st.integers(2, 6)),
        max_shifts_per_week=draw(st.sampled_from([None, 3, 5])),
    )
    fixed = []
    if draw(st.booleans()):  # a few fixed bookings and minimums: conflicts become possible
        shifts = build_shifts(rota(people, lines, weeks=weeks))
        for _ in range(draw(st.integers(0, 2))):
            shift = draw(st.sampled_from(shifts)) if shifts else None
            if shift is not None:
                who = draw(st.sampled_from(people))
                fixed.append(FixedBooking(who.id, shift.date, shift.type.id))
        people = [replace(p, min_shifts=draw(st.integers(0, 2))) for p in people]
    return rota(
        people,
        lines,
        weeks=weeks,
        start=MONDAY,
        availability=availability,
        rules=rules,
        fixed=fixed,
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_rota_is_legal_and_fills_every_fillable_required_place(data):
    shifts = build_shifts(data)
    result = solve(data, PARAMS, shifts=shifts)
    if result.status is Status.CONFLICT:
        # only fixed bookings and minimums can contradict the rules
        assert data.fixed or any(c.min_shifts for c in data.clinicians)
        assert result.conflicts and all(isinstance(t, str) and t for t in result.conflicts)
        assert result.assignments == []
        event("conflict")
        return
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE)
    assert (
        result.params["phase1_status"] == "OPTIMAL"
        or result.params["phase1_weighted_unfilled"] == 0
    )
    assert result.breaches == []
    assert check_rota(data, result.assignments, shifts) == []
    filled: dict[str, int] = {}
    for a in result.assignments:
        filled[a.shift_id] = filled.get(a.shift_id, 0) + 1
    required_gaps = [s for s in shifts if filled.get(s.id, 0) < s.type.needed]
    assert result.unfilled_required == sum(
        s.type.needed - filled.get(s.id, 0) for s in required_gaps
    )
    event(
        f"required gaps: {min(len(required_gaps), 3)}+, assignments: {min(len(result.assignments), 5)}+"
    )
    for shift in required_gaps:
        for person in data.clinicians:
            trial = [*result.assignments, Assignment(shift.id, person.id)]
            assert check_rota(data, trial, shifts), (
                f"{person.id} could fill {shift.id} without breaking a hard rule"
            )
