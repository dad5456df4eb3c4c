"""Hours and shifts in any 7 consecutive days (windows lying fully inside the period)."""

from __future__ import annotations

from solve_helpers import family_alone, line, person, rota, run

from ooh.rota.model.constraints import add_hours_per_week, add_shifts_per_week

TEN_HOURS = line("DAY", "08:00", "18:00")


def test_hours_in_seven_days_capped():
    data = rota([person("C1", max_hours_per_week=20)], [TEN_HOURS])
    assert len(family_alone(data, add_hours_per_week)) == 2
    result = run(data)
    assert len(result.assignments) == 2  # 2 x 10 h = 20 h, the limit exactly
    assert result.unfilled_required == 5


def test_hours_just_below_a_shift_multiple():
    data = rota([person("C1", max_hours_per_week=19.99)], [TEN_HOURS])
    assert len(run(data).assignments) == 1


def test_hours_windows_slide_over_two_weeks():
    # 14 days are two disjoint 7-day windows, each <= 2 shifts: at most 4 in total, and
    # no 7 consecutive days (e.g. days 1..7) may hold 3
    data = rota([person("C1", max_hours_per_week=20)], [TEN_HOURS], weeks=2)
    result = run(data)
    assert len(result.assignments) == 4
    days = sorted(int(a.shift_id[8:10]) for a in result.assignments)
    for first in range(1, 9):
        assert sum(first <= d < first + 7 for d in days) <= 2


def test_shifts_per_week_capped():
    short = line("SHORT", "18:00", "20:00")
    data = rota([person("C1")], [short], max_shifts_per_week=3)
    assert len(family_alone(data, add_shifts_per_week)) == 3
    result = run(data)
    assert len(result.assignments) == 3
