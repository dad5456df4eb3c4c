"""Maximum weekends worked (a weekend is keyed by its Saturday)."""

from __future__ import annotations

from solve_helpers import dates_worked, family_alone, line, person, rota, run

from ooh.rota.model.constraints import add_weekends


def test_weekends_capped_but_both_days_of_one_weekend_allowed():
    weekend = line("WKND", "08:00", "16:00", days=[5, 6])
    data = rota([person("C1", max_weekends=1)], [weekend], weeks=2)
    assert len(family_alone(data, add_weekends)) == 2
    result = run(data)
    dates = dates_worked(data, result, "C1")
    assert len(dates) == 2
    saturdays = {d.toordinal() - (d.weekday() - 5) for d in dates}
    assert len(saturdays) == 1  # Saturday and Sunday of the same weekend
    assert result.unfilled_required == 2


def test_no_weekend_limit_means_every_weekend():
    weekend = line("WKND", "08:00", "16:00", days=[5, 6])
    data = rota([person("C1")], [weekend], weeks=2)
    assert len(run(data).assignments) == 4
