"""first_rota: a legal first rota built one clinician at a time.

Every rota it returns must pass the independent checker (so capacity, minimums and fixed
bookings hold); None only when no legal rota can be built this way or time is up.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, event, given, settings
from solve_helpers import day, line, person, rota
from test_bench_nrp import CURTOIS, needs_files
from test_property_rota import instances

from ooh.bench.nrp.evaluate import evaluate
from ooh.bench.nrp.reader import PERIOD_START, read_instance, to_rota_data
from ooh.rota.calendar import build_shifts
from ooh.rota.check import check_rota
from ooh.rota.data import Assignment, FixedBooking, Request, RotaData
from ooh.rota.generate import generate
from ooh.rota.model.clinician import clinician_model
from ooh.rota.model.first import _first_schedule, first_rota
from ooh.rota.model.variables import RotaModel, create_variables
from ooh.rota.sample import generate_rota_data

DAY = line("DAY", "08:00", "16:00")


def build(data: RotaData) -> RotaModel:
    return create_variables(data, build_shifts(data))


def assignments(m: RotaModel, chosen: set[tuple[int, int]]) -> list[Assignment]:
    return [Assignment(m.shifts[s].id, m.data.clinicians[c].id) for c, s in sorted(chosen)]


def legal_first(data: RotaData, time_limit: float = 20.0) -> tuple[RotaModel, set]:
    """first_rota's rota, asserted legal by the checker and within capacity."""
    m = build(data)
    chosen = first_rota(m, time_limit)
    assert chosen is not None
    assert chosen <= m.x.keys()
    assert [str(b) for b in check_rota(data, assignments(m, chosen), m.shifts)] == []
    people = Counter(s for _, s in chosen)
    for s, n in people.items():
        if m.shifts[s].type.over_weight is None:
            assert n <= m.shifts[s].type.wanted
    return m, chosen


def required_filled(m: RotaModel, chosen: set[tuple[int, int]]) -> tuple[int, int]:
    people = Counter(s for _, s in chosen)
    required = [s for s, shift in enumerate(m.shifts) if shift.type.under_weight is None]
    total = sum(m.shifts[s].type.needed for s in required)
    return sum(min(m.shifts[s].type.needed, people[s]) for s in required), total


def test_realistic_sample_is_legal_and_nearly_full():
    data = generate_rota_data("realistic")
    m, chosen = legal_first(data)
    filled, total = required_filled(m, chosen)
    assert filled >= 0.95 * total  # measured 442 of 446
    for c, clinician in enumerate(data.clinicians):  # minimums and fixed bookings hold
        assert sum(1 for d, _ in chosen if d == c) >= clinician.min_shifts
    booked = {(b.clinician, f"{b.date.isoformat()}/{b.shift_type}") for b in data.fixed}
    assert data.fixed and booked <= {(a.clinician, a.shift_id) for a in assignments(m, chosen)}


def test_generated_small_instance_is_legal():
    m, chosen = legal_first(generate("S"))
    filled, total = required_filled(m, chosen)
    assert filled >= 0.9 * total  # measured 210 of 217


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_random_small_instances_are_legal_or_none(data):
    m = build(data)
    chosen = first_rota(m, 10.0)
    if chosen is None:
        # only a minimum or a fixed booking can leave a clinician without a legal schedule
        assert data.fixed or any(c.min_shifts for c in data.clinicians)
        event("none")
        return
    assert check_rota(data, assignments(m, chosen), m.shifts) == []


@needs_files
@pytest.mark.parametrize("number", [1, 2, 3])
def test_curtois_instances_are_legal_for_both_checkers(number):
    inst = read_instance(CURTOIS / f"Instance{number}.txt")
    m, chosen = legal_first(to_rota_data(inst))
    roster = {
        (m.data.clinicians[c].id, (m.shifts[s].date - PERIOD_START).days): m.shifts[s].type.id
        for c, s in chosen
    }
    assert evaluate(inst, roster).hard_violations == 0


def test_minimum_is_met_where_no_place_is_open_and_nobody_else_works():
    # nobody is needed or wanted; extra people cost 5 points each: only C2's minimum of 3
    # shifts puts anyone on
    soft = replace(line("SOFT", "08:00", "16:00", needed=0, wanted=0), over_weight=5)
    data = rota([person("C1"), person("C2", min_shifts=3)], [soft])
    m, chosen = legal_first(data)
    assert Counter(m.data.clinicians[c].id for c, _ in chosen) == {"C2": 3}


def test_fixed_bookings_hold_their_places_for_later_clinicians():
    # C1 (first) would take every required place, C2's booked Tuesday included, were it
    # not held for C2
    fixed = [FixedBooking("C1", day(0), "DAY"), FixedBooking("C2", day(1), "DAY")]
    data = rota([person("C1"), person("C2")], [DAY], fixed=fixed)
    m, chosen = legal_first(data)
    worked = {(m.data.clinicians[c].id, m.shifts[s].date) for c, s in chosen}
    assert {("C1", day(0)), ("C2", day(1))} <= worked
    assert len(chosen) == 7  # and every place is filled


def test_request_chooses_between_equal_places():
    early = line("EARLY", "08:00", "16:00", days=[0])
    late = line("LATE", "09:00", "17:00", days=[0])  # overlaps EARLY: one of the two
    wish = Request("C1", day(0), "LATE", want=True)
    m, chosen = legal_first(rota([person("C1")], [early, late], requests=[wish]))
    assert [m.shifts[s].type.id for _, s in chosen] == ["LATE"]


def test_none_when_a_minimum_cannot_be_met_with_the_places_left():
    # one place a day; C1 and C2 each must work 5 of the 7 days: no legal rota exists
    data = rota([person("C1", min_shifts=5), person("C2", min_shifts=5)], [DAY])
    assert first_rota(build(data), 10.0) is None


def test_none_when_fixed_bookings_overfill_a_shift_or_cannot_be_worked():
    fixed = [FixedBooking("C1", day(0), "DAY"), FixedBooking("C2", day(0), "DAY")]
    data = rota([person("C1"), person("C2")], [DAY], fixed=fixed)
    assert first_rota(build(data), 10.0) is None
    wrong_role = rota([person("C1", role="ANP")], [DAY], fixed=fixed[:1])
    assert first_rota(build(wrong_role), 10.0) is None


def test_none_when_stopped_or_out_of_time():
    m = build(rota([person("C1"), person("C2")], [DAY]))
    assert first_rota(m, 10.0, stop=lambda: True) is None
    assert first_rota(m, 0.0) is None


@needs_files
def test_past_its_share_it_goes_on_to_give_up_without_improving():
    # Curtois & Qu instance 4: every clinician must work (contracted minutes), so each needs
    # a search for a legal schedule; no time at all for them within the share
    inst = read_instance(CURTOIS / "Instance4.txt")
    m = build(to_rota_data(inst))
    assert first_rota(m, 0.0) is None
    chosen = first_rota(m, 0.0, give_up=60.0)
    assert chosen is not None
    assert check_rota(m.data, assignments(m, chosen), m.shifts) == []


def test_short_of_time_a_first_schedule_takes_the_most_valuable_shifts_first():
    """The dive takes the valuable shifts in the order given where the rules allow (here
    the clinician must work exactly two days); without it, any legal schedule will do."""
    data = rota([person("C1", min_shifts=2, max_shifts=2)], [DAY])
    m = build(data)
    sub = clinician_model(m, 0, m.by_clinician[0], [])
    by_day = {m.shifts[s].date: sub.x[(0, s)] for _, s in sub.x}
    valuable = [by_day[day(5)], by_day[day(3)], by_day[day(1)]]
    schedule = _first_schedule(sub, 10.0, 0, idle_is_legal=False, valuable=valuable)
    assert schedule is not None
    assert sorted(m.shifts[s].date for s in schedule) == [day(3), day(5)]
    assert len(sub.model.proto.search_strategy) == 0  # the dive's order is not kept
    plain = _first_schedule(sub, 10.0, 0, idle_is_legal=False)
    assert plain is not None and len(plain) == 2
