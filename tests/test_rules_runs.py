"""Maximum consecutive working days (dates a shift starts on)."""

from __future__ import annotations

from solve_helpers import dates_worked, family_alone, line, longest_run, person, rota, run

from ooh.rota.model.constraints import add_consecutive_days


def test_consecutive_days_capped():
    day = line("DAY", "08:00", "16:00")
    data = rota([person("C1")], [day], weeks=2, max_consecutive_days=3)
    # 14 days in runs of at most 3: D D D _ D D D _ D D D _ D D = 11
    assert len(family_alone(data, add_consecutive_days)) == 11
    result = run(data)
    assert len(result.assignments) == 11
    assert longest_run(dates_worked(data, result, "C1")) == 3


def test_night_and_day_on_one_date_count_once():
    # two shifts starting on the same date are one working day
    early = line("EARLY", "06:00", "08:00")
    late = line("LATE", "20:00", "22:00")
    data = rota([person("C1")], [early, late], max_consecutive_days=2, min_rest_hours=4)
    result = run(data)
    # 7 days, runs of 2: 5 working days x 2 shifts
    assert len(result.assignments) == 10
    assert longest_run(dates_worked(data, result, "C1")) == 2
