"""The general rota rules added for contracts and rest patterns (used by the Curtois & Qu
benchmark, meaningful for any OOH service): each rule family alone in the model allows
exactly what the rule allows, the full solve respects it, and the independent checker
reports a rota that breaks it under its own rule id."""

from __future__ import annotations

from dataclasses import replace

from solve_helpers import FAST, day, family_alone, line, person, rota, run

from ooh.rota.calendar import build_shifts, shift_id
from ooh.rota.check import check_rota
from ooh.rota.data import UNAVAILABLE, Assignment, Cover, RotaData, Rules, Weights
from ooh.rota.model.constraints import add_consecutive_days
from ooh.rota.model.contract import (
    add_cannot_follow,
    add_min_consecutive_days,
    add_min_consecutive_days_off,
    add_period_hours,
    add_shifts_by_type,
)
from ooh.rota.solve import solve

QUIET = Weights(
    target=0,
    practice_fair_share=0,
    clinician_hours=0,
    clinician_nights=0,
    clinician_weekends=0,
    clinician_bank_holidays=0,
    requests=1,
    preferences=0,
    cost=0,
    locum=0,
)


def on(data: RotaData, who: str, days: list[int], line_id: str = "DAY") -> list[Assignment]:
    return [Assignment(shift_id(day(d), line_id), who) for d in days]


def rules_broken(data: RotaData, assignments: list[Assignment]) -> list[str]:
    return sorted(b.rule for b in check_rota(data, assignments))


def days_of(picked: list[str]) -> list[int]:
    """Day numbers of 'C1@2027-02-03/DAY' strings (family_alone output)."""
    return sorted((int(p.split("@")[1][8:10]) - day(0).day) for p in picked)


# ---- contracted hours in the period --------------------------------------------------------


def test_period_hours_bound_the_minutes_worked():
    eight = line("DAY", "08:00", "16:00")
    capped = rota([person("C1", max_period_hours=24)], [eight])
    assert len(family_alone(capped, add_period_hours)) == 3  # 3 x 8 h <= 24 h
    floor = rota([person("C1", min_period_hours=33)], [eight])
    assert len(family_alone(floor, add_period_hours, maximise=False)) == 5  # 5 x 8 >= 33


def test_solver_keeps_contracted_hours_and_checker_reports_both_sides():
    eight = line("DAY", "08:00", "16:00", needed=1)
    data = rota([person("C1", min_period_hours=16, max_period_hours=24)], [eight])
    result = run(data)
    assert len(result.assignments) == 3  # fills what the 24 h allow
    assert rules_broken(data, on(data, "C1", [0, 1, 2, 3])) == ["max-period-hours"]
    assert rules_broken(data, on(data, "C1", [0])) == ["min-period-hours"]
    assert rules_broken(data, on(data, "C1", [0, 1])) == []


# ---- shifts per line --------------------------------------------------------------------------


def test_shifts_by_type_caps_one_line_only():
    early = line("EARLY", "07:00", "12:00")
    late = line("LATE", "14:00", "20:00")
    data = rota([person("C1", max_shifts_by_type=(("LATE", 2),))], [early, late])
    picked = family_alone(data, add_shifts_by_type)
    assert sum("/LATE" in p for p in picked) == 2
    assert sum("/EARLY" in p for p in picked) == 7
    never = rota([person("C1", max_shifts_by_type=(("LATE", 0),))], [early, late], min_rest_hours=0)
    assert all("/LATE" not in a.shift_id for a in run(never).assignments)
    broken = on(data, "C1", [0, 2, 4], "LATE")
    assert rules_broken(data, broken) == ["max-shifts-type"]


# ---- most consecutive working days, per clinician ----------------------------------------------


def test_max_consecutive_days_per_clinician_overrides_the_rules():
    d = line("DAY", "08:00", "16:00")
    data = rota([person("C1", max_consecutive_days=2), person("C2")], [d])
    data = replace(data, shift_types=(replace(d, needed=2, wanted=2),))
    picked = family_alone(data, add_consecutive_days)
    # C1: runs of at most 2 in 7 days -> D D _ D D _ D = 5; C2 (rules: 28) works all 7
    assert sum(p.startswith("C1@") for p in picked) == 5
    assert sum(p.startswith("C2@") for p in picked) == 7
    assert rules_broken(data, on(data, "C1", [0, 1, 2])) == ["max-consecutive-days"]


# ---- shortest runs of working days and of days off ----------------------------------------------


def test_min_consecutive_days_forbids_a_lone_day_inside_the_period():
    d = line("DAY", "08:00", "16:00")
    off = {("C1", day(2)): UNAVAILABLE, ("C1", day(4)): UNAVAILABLE}
    data = rota([person("C1", min_consecutive_days=2)], [d], availability=off)
    # day 3 alone between two days off would be a 1-day run: the rule drops it
    assert days_of(family_alone(data, add_min_consecutive_days)) == [0, 1, 5, 6]
    assert days_of(family_alone(replace(data, clinicians=(person("C1"),)), lambda m: None)) == [
        0,
        1,
        3,
        5,
        6,
    ]
    # a lone day touching the first date is exempt (the run may continue before the period)
    assert rules_broken(data, on(data, "C1", [0])) == []
    assert rules_broken(data, on(data, "C1", [0, 3])) == ["min-consecutive-days"]


def test_min_consecutive_days_off_forbids_a_lone_day_off():
    d = line("DAY", "08:00", "16:00")
    off = {("C1", day(3)): UNAVAILABLE}
    data = rota([person("C1", min_consecutive_days_off=2)], [d], availability=off)
    picked = days_of(family_alone(data, add_min_consecutive_days_off))
    assert len(picked) == 5 and (2 not in picked or 4 not in picked)
    assert rules_broken(data, on(data, "C1", [0, 1, 2, 4, 5, 6])) == ["min-consecutive-days-off"]
    # the lone day off on day 6 touches the last date: exempt, so still one breach
    assert rules_broken(data, on(data, "C1", [0, 1, 2, 4, 5])) == ["min-consecutive-days-off"]


def test_solver_keeps_minimum_runs():
    d = line("DAY", "08:00", "16:00", needed=1)
    person_rules = {"min_consecutive_days": 3, "min_consecutive_days_off": 2}
    data = rota([person("C1", max_period_hours=40, **person_rules)], [d], weeks=2)
    result = run(data)
    assert result.breaches == []
    assert len(result.assignments) == 5


# ---- lines that may not follow each other ------------------------------------------------------


def test_cannot_follow_forbids_the_pair_on_consecutive_dates_only():
    early = line("EARLY", "07:00", "12:00")
    late = line("LATE", "14:00", "20:00")
    data = rota([person("C1")], [early, late], cannot_follow=frozenset({("LATE", "EARLY")}))
    # 14 shifts, each LATE on days 0-5 excludes the next EARLY: 14 - 6 = 8
    assert len(family_alone(data, add_cannot_follow)) == 8
    late_then_early = on(data, "C1", [0], "LATE") + on(data, "C1", [1], "EARLY")
    assert rules_broken(data, late_then_early) == ["cannot-follow"]
    early_then_late = on(data, "C1", [0], "EARLY") + on(data, "C1", [1], "LATE")
    assert rules_broken(data, early_then_late) == []
    solved = run(replace(data, shift_types=(replace(early, needed=1), replace(late, needed=1))))
    worked = {a.shift_id for a in solved.assignments}
    for d in range(6):
        assert not {shift_id(day(d), "LATE"), shift_id(day(d + 1), "EARLY")} <= worked


# ---- soft cover, dated cover ---------------------------------------------------------------


def test_dated_cover_replaces_the_lines_places_that_day():
    d = line("DAY", "08:00", "16:00", needed=1)
    data = rota([person("C1")], [d])
    data = replace(data, cover=(Cover(day(2), "DAY", 3, 4, under_weight=100, over_weight=1),))
    types = {s.date: s.type for s in build_shifts(data)}
    assert (types[day(2)].needed, types[day(2)].wanted, types[day(2)].under_weight) == (3, 4, 100)
    assert (types[day(1)].needed, types[day(1)].wanted, types[day(1)].under_weight) == (1, 1, None)


def test_soft_cover_weighs_under_and_over_and_allows_extra_people():
    # three people who must each work 3 x 8 h; one place a day on 3 days, soft:
    # 100 points per person short, 1 per person extra. Best: all on the 3 days (6 extra).
    d = replace(line("DAY", "08:00", "16:00", days=[0, 1, 2]), under_weight=100, over_weight=1)
    people = [person(f"C{i}", min_period_hours=24) for i in (1, 2, 3)]
    data = rota(people, [d], weights=QUIET)
    result = solve(data, FAST)
    assert result.breaches == []
    assert len(result.assignments) == 9
    assert result.objective == 6
    # over-staffing is a breach only where extra people are not weighed
    hard = replace(data, shift_types=(replace(d, over_weight=None),))
    assert "over-staffed" in rules_broken(hard, result.assignments)
    assert "over-staffed" not in rules_broken(data, result.assignments)


def test_soft_cover_under_weight_trades_against_requests():
    # one place, 100 points if empty; C1 asks (weight 150) not to work day 0 and is the only
    # one: leaving it empty costs 100 < 150, so the solver leaves day 0 empty
    from ooh.rota.data import Request

    d = replace(line("DAY", "08:00", "16:00", days=[0]), under_weight=100, over_weight=1)
    ask = Request("C1", day(0), "DAY", want=False, weight=150)
    data = rota([person("C1")], [d], weights=QUIET, requests=[ask])
    result = solve(data, FAST)
    assert result.assignments == [] and result.objective == 100
    cheap = replace(data, requests=(replace(ask, weight=50),))
    assert len(solve(cheap, FAST).assignments) == 1


# ---- the input workbook carries the new rules ---------------------------------------------------


def test_new_rules_round_trip_through_the_input_workbook(tmp_path):
    from ooh.rota.io import read_workbook, write_input_workbook

    early = replace(line("EARLY", "07:00", "12:00"), under_weight=100, over_weight=1)
    late = line("LATE", "14:00", "20:00")
    c1 = person(
        "C1",
        min_period_hours=20,
        max_period_hours=37.5,
        max_shifts_by_type=(("EARLY", 0), ("LATE", 3)),
        max_consecutive_days=4,
        min_consecutive_days=2,
        min_consecutive_days_off=2,
        max_hours_per_week=48,
    )
    data = rota([c1], [early, late], rules=Rules(cannot_follow=frozenset({("LATE", "EARLY")})))
    path = tmp_path / "inputs.xlsx"
    write_input_workbook(data, path)
    assert read_workbook(path) == data


def test_badly_written_pairs_are_reported_at_their_cell(tmp_path):
    import pytest
    from openpyxl import load_workbook

    from ooh.errors import InputError
    from ooh.rota.io import read_workbook, write_input_workbook

    c1 = person("C1", max_shifts_by_type=(("LATE", 3),), max_hours_per_week=48)
    data = rota([c1], [line("LATE", "14:00", "20:00")], rules=Rules())
    path = tmp_path / "inputs.xlsx"
    write_input_workbook(data, path)
    wb = load_workbook(path)
    sheet = wb["Clinicians"]
    col = next(c.column_letter for c in sheet[1] if c.value == "Max shifts per line")
    sheet[f"{col}2"] = "LATE three"
    wb.save(path)
    with pytest.raises(InputError) as err:
        read_workbook(path)
    assert f"Clinicians!{col}2" in str(err.value)
    assert "LINE=n" in str(err.value)


def test_unknown_shift_lines_in_pairs_are_reported_at_their_cell(tmp_path):
    import pytest
    from openpyxl import load_workbook

    from ooh.errors import InputError
    from ooh.rota.io import read_workbook, write_input_workbook

    c1 = person("C1", max_shifts_by_type=(("LATE", 3),), max_hours_per_week=48)
    lines = [line("LATE", "14:00", "20:00"), line("EARLY", "07:00", "13:00")]
    data = rota([c1], lines, rules=Rules(cannot_follow=frozenset({("LATE", "EARLY")})))
    path = tmp_path / "inputs.xlsx"
    write_input_workbook(data, path)
    wb = load_workbook(path)
    clinicians = wb["Clinicians"]
    col = next(c.column_letter for c in clinicians[1] if c.value == "Max shifts per line")
    clinicians[f"{col}2"] = "LATTE=3"
    rules = wb["Rules"]
    row = next(r for r in range(1, rules.max_row + 1) if rules.cell(r, 1).value == "Cannot follow")
    rules.cell(row, 2).value = "LATE>ERLY"
    wb.save(path)
    with pytest.raises(InputError) as err:
        read_workbook(path)
    text = str(err.value)
    assert (
        f'Clinicians!{col}2: unknown shift type "LATTE" (not on the Shift types sheet); '
        'did you mean "LATE"?' in text
    )
    assert (
        f'Rules!B{row}: unknown shift type "ERLY" (not on the Shift types sheet); '
        'did you mean "EARLY"?' in text
    )
