"""Minimum and maximum shifts in the period."""

from __future__ import annotations

from solve_helpers import family_alone, line, person, rota, run, worked

from ooh.rota.model.constraints import add_shift_counts

DAY = line("DAY", "08:00", "16:00")


def test_max_shifts_leaves_required_places_empty():
    data = rota([person("C1", max_shifts=2)], [DAY])
    assert len(family_alone(data, add_shift_counts)) == 2
    result = run(data)
    assert len(result.assignments) == 2
    assert result.unfilled_required == 5


def test_min_shifts_makes_the_expensive_clinician_work():
    cheap = person("C1", hourly_rate=10)
    dear = person("C2", hourly_rate=100, min_shifts=3)
    data = rota([cheap, dear], [DAY])
    # alone, minimising assignments: exactly the minimum
    assert len(family_alone(data, add_shift_counts, maximise=False)) == 3
    result = run(data)
    # cost (GBP 720 a shift more for C2) would give C2 nothing; the minimum gives C2 three
    assert len(worked(result, "C2")) == 3
    assert len(worked(result, "C1")) == 4
