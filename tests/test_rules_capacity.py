"""At most `wanted` people on a shift; target places above `needed` are filled when cheap."""

from __future__ import annotations

from collections import Counter

from solve_helpers import family_alone, line, people_on, person, rota, run

from ooh.rota.model.constraints import add_capacity


def test_at_most_wanted_people_per_shift():
    day = line("DAY", "08:00", "16:00", needed=1, wanted=2)
    data = rota(
        [person("C1", hourly_rate=1), person("C2", hourly_rate=1), person("C3", hourly_rate=1)],
        [day],
    )
    alone = family_alone(data, add_capacity)
    assert len(alone) == 14  # 2 of 3 people on each of 7 days
    per_shift = Counter(entry.split("@")[1] for entry in alone)
    assert set(per_shift.values()) == {2}
    result = run(data)
    # a target place is worth 400 x priority 3 points, a person GBP 8: both places filled
    assert all(len(p) == 2 for p in people_on(result).values())
    assert len(people_on(result)) == 7
