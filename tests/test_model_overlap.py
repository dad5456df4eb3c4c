"""Where a clinician's shifts on one date overlap (so they can work one of them at most),
the model posts fewer, tighter rows: one per date for the "works that date" indicator, no
7-day window that the longest shift of each date cannot break, one at-most-one for every
cannot-follow pair between two such groups. The rota still obeys each rule exactly, and in
diagnosis mode, where the rest rule itself may be switched off, nothing relies on it."""

from __future__ import annotations

from collections.abc import Callable

from ortools.sat.python import cp_model
from solve_helpers import line, person, rota, run

from ooh.rota.calendar import build_shifts
from ooh.rota.data import RotaData
from ooh.rota.model.constraints import add_hours_per_week
from ooh.rota.model.contract import add_cannot_follow
from ooh.rota.model.variables import RotaModel, create_variables

# two early and two late lines; each pair overlaps, an early and a late do not
EARLY = (line("E8", "06:00", "14:00"), line("E9", "06:00", "15:00"))
LATE = (line("L8", "14:30", "22:30"), line("L9", "15:00", "23:00"))


def _model(data: RotaData, diagnose: bool = False) -> RotaModel:
    m = create_variables(data, build_shifts(data))
    m.diagnose = diagnose
    return m


def _rows_added(m: RotaModel, post: Callable[[], None]) -> int:
    before = len(m.model.proto.constraints)
    post()
    return len(m.model.proto.constraints) - before


def test_a_window_the_longest_shifts_cannot_break_is_not_posted() -> None:
    # a week of E9 (9 h) every date is 63 h; E8 and E9 together would be 119 h
    for hours, windows in ((63.0, 0), (62.0, 1)):
        data = rota([person("C1", max_hours_per_week=hours)], EARLY)
        assert _rows_added(m := _model(data), lambda: add_hours_per_week(m)) == windows
    # the rule still binds: 62 h allows six of the nine-hour shifts, not seven
    data = rota([person("C1", max_hours_per_week=62.0)], [EARLY[1]])
    assert len(run(data).assignments) == 6
    # in diagnosis mode every date counts as if both could be worked
    data = rota([person("C1", max_hours_per_week=63.0)], EARLY)
    assert _rows_added(m := _model(data, diagnose=True), lambda: add_hours_per_week(m)) == 1


def test_the_indicator_of_a_date_of_overlapping_shifts_is_one_row() -> None:
    data = rota([person("C1")], EARLY)
    m = _model(data)
    ind = m.day_indicator(0, 0, night_only=False)
    assert ind is not None and len(m.model.proto.constraints) == 1
    # working either shift sets the indicator
    for s in m.shifts_on_day(0)[0]:
        probe = m.model.clone()
        probe.add(m.x[(0, s)] == 1)
        probe.add(ind == 0)
        assert cp_model.CpSolver().solve(probe) == cp_model.INFEASIBLE
    # diagnosis mode: one implication per shift, as the rest rule may be off
    m = _model(data, diagnose=True)
    m.day_indicator(0, 0, night_only=False)
    assert len(m.model.proto.constraints) == 2


def test_cannot_follow_groups_take_one_row_per_date_and_forbid_every_pair() -> None:
    pairs = frozenset((late.id, early.id) for late in LATE for early in EARLY)
    data = rota([person("C1")], EARLY + LATE, cannot_follow=pairs)
    # one at-most-one per date that has a next date: both lates and both earlies
    assert _rows_added(m := _model(data), lambda: add_cannot_follow(m)) == 6
    proto = m.model.proto.constraints
    assert all(len(ct.at_most_one.literals) == 4 for ct in proto)
    # diagnosis mode: each late with each early of the next date
    assert _rows_added(m := _model(data, diagnose=True), lambda: add_cannot_follow(m)) == 6 * 4
    # two people, four places a date: each can work every date (all earlies, or all lates),
    # and the checker finds no late followed by an early
    result = run(rota([person("C1"), person("C2")], EARLY + LATE, cannot_follow=pairs))
    assert len(result.assignments) == 14
