"""solve(): statuses, gaps that never fail a solve, conflicts named in words, progress."""

from __future__ import annotations

import re
from dataclasses import replace

from solve_helpers import FAST, day, line, person, rota, run, worked

from ooh.rota.calendar import build_shifts
from ooh.rota.data import Availability, AvailabilityKind, FixedBooking, Status
from ooh.rota.solve import SolveParams, solve

DAY = line("DAY", "08:00", "16:00")


def test_small_rota_is_optimal_and_legal():
    data = rota([person("C1"), person("C2")], [DAY])
    result = run(data)
    assert result.status is Status.OPTIMAL
    assert len(result.assignments) == 7
    assert result.unfilled_required == 0
    assert result.gaps == []
    assert result.objective is not None and result.bound is not None
    assert result.objective >= result.bound - 1e-6
    assert result.params["seed"] == 0 and result.params["workers"] == 1
    assert result.params["phase1_weighted_unfilled"] == 0


def test_cost_in_points_matches_hand_calculation():
    # one person, one 8 h shift a day at GBP 10/h: 7 x 80 = GBP 560 = 560 points; nobody
    # else in the role, so no fairness terms; nothing else is penalised
    data = rota([person("C1", hourly_rate=10)], [DAY])
    result = run(data)
    assert result.objective == 560.0
    assert result.params["objective_by_goal"] == {"cost": 560.0}


def test_unfillable_places_are_gaps_not_failures():
    nobody = rota([person("C1", role="ANP")], [DAY])
    result = run(nobody)
    assert result.status is Status.OPTIMAL
    assert result.assignments == []
    assert result.unfilled_required == 7
    assert len(result.gaps) == 7
    assert all(g.required and g.reason for g in result.gaps)


def test_required_place_filled_whatever_it_costs():
    # filling required places comes first: a clinician at GBP 100,000/h still works
    data = rota([person("C1", hourly_rate=100_000)], [DAY])
    result = run(data)
    assert len(result.assignments) == 7


def test_higher_priority_place_wins_a_clash():
    # one person, two overlapping required shifts each day: priority 5 beats priority 1
    # even though the priority-1 line is far cheaper (pay multiplier 1 vs 3)
    high = line("HIGH", "18:00", "23:00", priority=5, pay=3.0)
    low = line("LOW", "18:00", "23:00", priority=1)
    result = run(rota([person("C1")], [high, low]))
    assert {sid.split("/")[1] for sid in worked(result)} == {"HIGH"}


def test_priority_weights_trade_places():
    # one person can do either one priority-3 place (weight 4) or two overlapping priority-2
    # places on two other lines (weight 2 each, tie) -- plus one priority-1 place (weight 1):
    # the person takes the two lower-priority shifts only if they outweigh the higher one
    long_high = line("LONG", "08:00", "20:00", days=[0], priority=3)
    am = line("AM", "08:00", "12:00", days=[0], priority=2)
    pm = line("PM", "16:00", "20:00", days=[0], priority=2)
    result = run(rota([person("C1")], [long_high, am, pm], min_rest_hours=1))
    # 4 (LONG) vs 2 + 2 (AM + PM): a tie on fill; cost breaks it (8 h < 12 h)
    assert sorted(s.split("/")[1] for s in worked(result)) == ["AM", "PM"]
    pm_top = line("PM", "16:00", "20:00", days=[0], priority=1)
    result = run(rota([person("C1")], [long_high, am, pm_top], min_rest_hours=1))
    assert worked(result) == ["2027-02-01/LONG"]  # 4 > 2 + 1


def test_progress_lines_report_each_improvement():
    lines: list[str] = []
    data = rota([person("C1"), person("C2")], [DAY])
    solve(data, FAST, progress=lines.append)
    assert lines
    pattern = re.compile(
        r"^\s*\d+\.\ds  phase (0|1|2) .*: .*(objective [-\d,.]+  bound [-\d,.]+  gap [\d.]+%  "
        r"unfilled required places \d+|weighted unfilled required places \d+)$"
        r"|^\s*\d+\.\ds  phase (1a|1b|2a) neighbourhoods: objective [-\d,.]+  "
        r"unfilled required places \d+$"
        # schedule generation's rounds: the master's value, the bound so far, new schedules
        r"|^\s*\d+\.\ds  phase 2 schedules: master [-\d,.]+, bound [-\d,.]+, \d+ new schedules$"
    )
    for text in lines:
        assert pattern.match(text), text
    assert any("phase 2" in text for text in lines)


def test_given_shifts_are_used():
    data = rota([person("C1")], [DAY])
    shifts = build_shifts(data)[:3]
    result = run(data, shifts=shifts)
    assert [a.shift_id for a in result.assignments] == [s.id for s in shifts]


def test_deterministic_mode_repeats_exactly():
    data = rota(
        [person(f"C{i}", hourly_rate=10 + i) for i in range(4)],
        [DAY, line("EVE", "18:00", "23:00")],
        weeks=2,
    )
    params = SolveParams(time_limit=5, workers=2, seed=7, deterministic=True)
    first = solve(data, params)
    second = solve(data, params)
    assert first.assignments == second.assignments
    assert first.objective == second.objective


# ---- conflicts ------------------------------------------------------------------------


NIGHT = line("NIGHT", "23:00", "08:00")
EARLY = line("EARLY", "11:00", "16:00")


def test_fixed_bookings_breaking_rest_are_named():
    ada = person("C07", name="Dr Ada Byrne")
    fixed = [FixedBooking("C07", day(1), "NIGHT"), FixedBooking("C07", day(2), "EARLY")]
    data = rota([ada, person("C08")], [NIGHT, EARLY], fixed=fixed)
    result = solve(data, FAST)
    assert result.status is Status.CONFLICT
    assert result.assignments == []
    assert result.conflicts == [
        "Fixed bookings of C07 Dr Ada Byrne on 2027-02-02 NIGHT and 2027-02-03 EARLY "
        "leave 3.0 h rest; minimum is 11 h"
    ]


def test_fixed_bookings_breaking_rest_after_nights_are_named():
    ada = person("C07", name="Dr Ada Byrne")
    fixed = [FixedBooking("C07", day(1), "NIGHT"), FixedBooking("C07", day(3), "EARLY")]
    data = rota([ada], [NIGHT, EARLY], fixed=fixed, rest_after_nights_hours=46)
    result = solve(data, FAST)
    assert result.status is Status.CONFLICT
    assert result.conflicts == [
        "Fixed bookings of C07 Dr Ada Byrne on 2027-02-02 NIGHT and 2027-02-04 EARLY "
        "leave 27.0 h rest; minimum after a night is 46 h"
    ]


def test_fixed_booking_on_leave_is_named_before_solving():
    leave = {("C07", day(1)): Availability(AvailabilityKind.UNAVAILABLE)}
    data = rota(
        [person("C07", name="Dr Ada Byrne")],
        [DAY],
        availability=leave,
        fixed=[FixedBooking("C07", day(1), "DAY")],
    )
    result = solve(data, FAST)
    assert result.status is Status.CONFLICT
    assert result.conflicts == [
        "Fixed booking of C07 Dr Ada Byrne on 2027-02-02 DAY is impossible: C07 Dr Ada Byrne "
        "availability on 2027-02-02 does not allow DAY"
    ]


def test_fixed_booking_of_a_shift_that_does_not_run():
    weekdays = line("DAY", "08:00", "16:00", days=[0, 1, 2, 3, 4])
    data = rota([person("C07")], [weekdays], fixed=[FixedBooking("C07", day(5), "DAY")])
    result = solve(data, FAST)
    assert result.status is Status.CONFLICT
    assert result.conflicts == [
        "Fixed booking of C07 Dr C07 on 2027-02-06 DAY: no shift DAY runs on that date"
    ]


def test_min_shifts_above_what_is_offered():
    leave = {("C07", day(d)): Availability(AvailabilityKind.UNAVAILABLE) for d in range(5)}
    data = rota([person("C07", min_shifts=3)], [DAY], availability=leave)
    result = solve(data, FAST)
    assert result.status is Status.CONFLICT
    assert result.conflicts == [
        "C07 Dr C07 must work at least 3 shifts (minimum shifts) but is eligible for only 2 "
        "in the period (availability, role, skills, sites)"
    ]


def test_min_shifts_against_hours_rule_found_by_search():
    # 7 shifts offered, but 20 h a week allows only 2 of the 10 h shifts: minimum 3 fails
    ten = line("DAY", "08:00", "18:00")
    data = rota([person("C07", min_shifts=3, max_hours_per_week=20)], [ten])
    result = solve(data, FAST)
    assert result.status is Status.CONFLICT
    assert result.conflicts == [
        "C07 Dr C07: working at least 3 shifts (minimum shifts) on the dates they are "
        "available cannot all hold under the rule(s): at most 20 hours in any 7 consecutive days"
    ]


def test_fixed_bookings_over_capacity_named():
    fixed = [FixedBooking("C1", day(0), "DAY"), FixedBooking("C2", day(0), "DAY")]
    data = rota([person("C1"), person("C2")], [DAY], fixed=fixed)
    result = solve(data, FAST)
    assert result.status is Status.CONFLICT
    assert result.conflicts == [
        "Fixed bookings put 2 people (C1, C2) on 2027-02-01/DAY, which takes at most 1"
    ]


def test_two_minimums_competing_for_one_shift():
    # C1 and C2 each need one shift, but only one shift a week exists with one place
    monday = line("MON", "08:00", "16:00", days=[0])
    data = rota([person("C1", min_shifts=1), person("C2", min_shifts=1)], [monday])
    result = solve(data, FAST)
    assert result.status is Status.CONFLICT
    assert len(result.conflicts) == 1
    text = result.conflicts[0]
    assert "C1 Dr C1 works at least 1 shifts" in text
    assert "C2 Dr C2 works at least 1 shifts" in text
    assert "2027-02-01/MON takes at most 1 people" in text


def test_min_shifts_met_when_possible():
    data = rota([person("C1", min_shifts=2, hourly_rate=50), person("C2", hourly_rate=5)], [DAY])
    result = run(data)
    assert result.status is Status.OPTIMAL
    assert len(worked(result, "C1")) == 2


def test_time_limit_and_seed_recorded():
    data = rota([person("C1")], [DAY])
    result = run(data, replace(FAST, seed=3, time_limit=2.5))
    assert result.params["seed"] == 3
    assert result.params["time_limit"] == 2.5
    assert result.runtime > 0


# ---- repair: keep a previous rota -------------------------------------------------------


def test_previous_rota_kept_against_cost():
    from ooh.rota.data import Assignment

    data = rota([person("C1", hourly_rate=10), person("C2", hourly_rate=50)], [DAY])
    previous = [Assignment(f"2027-02-0{d + 1}/DAY", "C2") for d in range(7)]
    fresh = run(data)
    assert worked(fresh, "C2") == []  # left alone, C2 is too dear
    kept = run(data, previous=previous)
    assert worked(kept, "C2") == [a.shift_id for a in previous]
    assert kept.params["changed_people"] == 0
    assert kept.params["changed_assignments"] == 0


def test_repair_refills_a_vacated_place_with_one_change():
    from ooh.rota.data import Assignment

    leave = {("C2", day(4)): Availability(AvailabilityKind.UNAVAILABLE)}
    data = rota(
        [person("C1", hourly_rate=10), person("C2", hourly_rate=50)], [DAY], availability=leave
    )
    previous = [Assignment(f"2027-02-0{d + 1}/DAY", "C2") for d in range(7)]
    result = run(data, previous=previous)
    # C2 keeps every shift but Friday's, which C1 takes. C2 losing Friday is forced (not
    # counted); C1 on Friday is the one change counted, C1 the one person moved besides C2.
    assert worked(result, "C1") == ["2027-02-05/DAY"]
    assert len(worked(result, "C2")) == 6
    assert result.params["changed_assignments"] == 1
    assert result.params["changed_people"] == 2


def test_frozen_dates_stay_as_they_were():
    from ooh.rota.data import Assignment

    data = rota([person("C1")], [DAY])
    previous = [Assignment(f"2027-02-0{d + 1}/DAY", "C1") for d in range(1, 7)]  # Monday open
    assert run(data, previous=previous).unfilled_required == 0  # Monday filled
    frozen = run(data, previous=previous, frozen_before=day(1))
    assert frozen.unfilled_required == 1  # Monday is in the past: nobody can be added
    assert worked(frozen, "C1") == [a.shift_id for a in previous]


def test_deterministic_mode_records_no_clock_time(monkeypatch):
    """The run's account goes into the output workbook: in deterministic mode nothing in it
    may depend on how long a step took by the clock (keys ending _seconds are left out of
    the workbook). A neighbourhood step that took longer by the clock must read the same."""
    import ooh.rota.improve as improve_module

    real = improve_module.improve
    clock = iter([0.04, 3.2, 0.04, 3.2])

    def slow_by_the_clock(*args, **kwargs):
        out = real(*args, **kwargs)
        out.seconds = next(clock)
        return out

    monkeypatch.setattr(improve_module, "improve", slow_by_the_clock)
    data = rota(
        [person(f"C{i}", hourly_rate=10 + i) for i in range(4)],
        [DAY, line("EVE", "18:00", "23:00")],
        weeks=2,
    )
    params = SolveParams(time_limit=5, workers=2, seed=7, deterministic=True)
    first, second = solve(data, params), solve(data, params)
    steps = [k for k in first.params if k.endswith("_neighbourhoods")]
    assert steps  # the neighbourhood steps ran and were recorded
    recorded = {k: v for k, v in first.params.items() if not k.endswith("_seconds")}
    assert recorded == {k: v for k, v in second.params.items() if not k.endswith("_seconds")}
