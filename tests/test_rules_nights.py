"""Nights: rest after a night before a non-night shift, and runs of consecutive nights."""

from __future__ import annotations

from solve_helpers import dates_worked, family_alone, line, longest_run, person, rota, run, worked

from ooh.rota.model.constraints import add_consecutive_nights, add_rest_after_nights

# A Monday night (ends Tue 08:00), then day shifts on Wednesday (24 h after the night ends)
# and Thursday (48 h after).
NIGHT_MON = line("NIGHT", "23:00", "08:00", days=[0], priority=5)
DAY_WED_THU = line("DAY", "08:00", "16:00", days=[2, 3], priority=1)


def nights_then_days(rest_after_nights: float):
    return rota([person("C1")], [NIGHT_MON, DAY_WED_THU], rest_after_nights_hours=rest_after_nights)


def test_no_day_shift_within_46h_of_a_night():
    data = nights_then_days(46)
    alone = family_alone(data, add_rest_after_nights)
    assert len(alone) == 2  # the night and Wednesday exclude each other
    assert "C1@2027-02-01/NIGHT" not in alone or "C1@2027-02-03/DAY" not in alone
    result = run(data)
    # the night (priority 5) outweighs Wednesday's day (priority 1); Thursday is 48 h on
    assert worked(result) == ["2027-02-01/NIGHT", "2027-02-04/DAY"]
    assert result.unfilled_required == 1


def test_rest_after_nights_boundary():
    # 24 h after nights: Wednesday 08:00 is exactly 24 h after the night ends, so allowed
    assert len(run(nights_then_days(24)).assignments) == 3
    assert len(run(nights_then_days(24.5)).assignments) == 2


def test_consecutive_nights_capped_by_clinician_limit():
    night = line("NIGHT", "23:00", "08:00")
    data = rota([person("C1", max_consecutive_nights=2)], [night])
    # 7 nights, runs of at most 2: N N _ N N _ N
    assert len(family_alone(data, add_consecutive_nights)) == 5
    result = run(data)
    assert len(result.assignments) == 5
    assert longest_run(dates_worked(data, result, "C1")) == 2


def test_consecutive_nights_default_from_rules():
    night = line("NIGHT", "23:00", "08:00")
    data = rota([person("C1")], [night], max_consecutive_nights=3)
    result = run(data)
    assert len(result.assignments) == 6  # N N N _ N N N
    assert longest_run(dates_worked(data, result, "C1")) == 3
