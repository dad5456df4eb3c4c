"""Overlap and minimum rest: two of a person's shifts must leave min_rest_hours between them."""

from __future__ import annotations

from solve_helpers import family_alone, line, person, rota, run, worked

from ooh.rota.calendar import build_shifts
from ooh.rota.model.constraints import add_rest, rest_cliques
from ooh.rota.model.variables import create_variables

# EARLY 07:00-12:00 then LATE 16:00-23:00 each day: 4 h between EARLY and LATE of a day,
# 8 h between LATE and the next day's EARLY. One person, two required places a day.
EARLY = line("EARLY", "07:00", "12:00")
LATE = line("LATE", "16:00", "23:00")


def chain(min_rest: float):
    return rota([person("C1")], [EARLY, LATE], min_rest_hours=min_rest)


def test_overlapping_lines_take_one_person_once():
    site_a = line("EVE-A", "18:00", "23:00", site="A")
    site_b = line("EVE-B", "18:00", "23:00", site="B")
    data = rota([person("C1")], [site_a, site_b])
    assert len(family_alone(data, add_rest)) == 7  # one of the two each evening
    result = run(data)
    assert len(result.assignments) == 7
    assert result.unfilled_required == 7


def test_min_rest_11h_allows_one_shift_a_day():
    # 14 shifts form a path EARLY0-LATE0-EARLY1-... where neighbours are < 11 h apart:
    # at most every other one, 7 of 14.
    data = chain(11)
    assert len(family_alone(data, add_rest)) == 7
    result = run(data)
    assert len(result.assignments) == 7
    assert result.unfilled_required == 7


def test_rest_exactly_at_the_minimum_is_allowed():
    # gaps are 4 h and 8 h: a 4 h minimum allows all 14 shifts, 4.5 h only 7 (never both
    # shifts of one day), 8.5 h still 7 (one a day).
    assert len(run(chain(4)).assignments) == 14
    result = run(chain(4.5))
    assert len(result.assignments) == 7
    days = [sid.split("/")[0] for sid in worked(result)]
    assert len(set(days)) == 7
    assert len(run(chain(8.5)).assignments) == 7


def test_rest_cliques_are_maximal_sets_of_conflicting_shifts():
    data = chain(11)
    shifts = build_shifts(data)
    m = create_variables(data, shifts)
    cliques = rest_cliques(m, 0, 11 * 60)
    names = [[shifts[s].id.replace("2027-02-0", "d") for s in c] for c in cliques]
    # neighbours in time conflict pairwise, nothing else: 13 cliques of two
    assert len(cliques) == 13
    assert names[0] == ["d1/EARLY", "d1/LATE"]
    assert names[1] == ["d1/LATE", "d2/EARLY"]


def test_rest_is_real_elapsed_time_across_the_clocks_going_back():
    # Saturday 30 Oct 2027 20:00 to Sunday 00:30, then Sunday 11:00: 10.5 h on the clock but
    # 11.5 h elapsed (the clocks go back at 02:00), so an 11 h minimum rest allows both
    from datetime import date

    late = line("LATE", "20:00", "00:30", days=[5])
    morning = line("MORNING", "11:00", "15:00", days=[6])
    data = rota([person("C1")], [late, morning], start=date(2027, 10, 25))
    result = run(data)
    assert worked(result) == ["2027-10-30/LATE", "2027-10-31/MORNING"]
    # in spring the clocks go forward: the same times leave 9.5 h, too little
    spring = rota([person("C1")], [late, morning], start=date(2027, 3, 22))
    assert len(run(spring).assignments) == 1
