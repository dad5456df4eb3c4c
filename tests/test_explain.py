"""Gap explanations: every unfilled place gets a reason a coordinator can act on, and the
rule named as blocking is the one the independent checker would report."""

from __future__ import annotations

from datetime import date, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from rota_check_helpers import DAY, EVE, MONDAY, NIGHT, clinician, rota_data, shift_type, sid

from ooh.rota.calendar import build_shifts
from ooh.rota.check import check_rota
from ooh.rota.data import UNAVAILABLE, Assignment, Gap, RotaData, Rules
from ooh.rota.explain import BlockCheck, explain_gaps, reach_days


def day(n: int) -> date:
    return MONDAY + timedelta(days=n)


def gaps_of(data: RotaData, assignments: list[Assignment], shift_id: str) -> list[Gap]:
    return [
        g for g in explain_gaps(data, build_shifts(data), assignments) if g.shift_id == shift_id
    ]


def test_no_clinician_with_role_and_skills() -> None:
    anp = shift_type(
        "ANP-TRIAGE", time(18, 30), time(23, 0), role="ANP", skills=frozenset({"triage"})
    )
    data = rota_data([clinician("C01"), clinician("C02", role="ANP")], [anp], weeks=1)
    (gap,) = gaps_of(data, [], sid(day(0), "ANP-TRIAGE"))
    assert gap.required and gap.place == 1
    assert gap.reason == "no clinician with role ANP and skills triage can work at site BASE-A"


def test_no_eligible_clinician_offered_the_date() -> None:
    data = rota_data(
        [clinician("C01"), clinician("C02", role="ANP")],
        [EVE],
        weeks=1,
        availability={("C01", day(2)): UNAVAILABLE},
    )
    (gap,) = explain_gaps(
        data,
        build_shifts(data),
        [Assignment(sid(day(n), "EVE"), "C01") for n in (0, 1, 3, 4, 5, 6)],
    )
    assert gap.shift_id == sid(day(2), "EVE")
    assert gap.reason.startswith("no eligible clinician offered Wed 2027-01-06 for EVE")
    assert "1 eligible" in gap.reason


def test_all_eligible_blocked_by_named_rules() -> None:
    data = rota_data(
        [clinician("C01"), clinician("C02", max_weekends=0), clinician("C03", role="ANP")],
        [NIGHT, DAY],
        weeks=1,
    )
    # C01 works Friday night (to Saturday 08:00); the Saturday DAY shift starts at 08:00.
    # C02 may work no weekend at all. C03 is not a GP: not counted as eligible.
    rota = [Assignment(sid(day(4), "NIGHT"), "C01")]
    (gap,) = gaps_of(data, rota, sid(day(5), "DAY"))
    assert gap.reason == (
        "2 eligible clinicians offered the date; all were blocked: "
        "C01 Dr C01 (min-rest with 2027-01-08/NIGHT), C02 Dr C02 (max-weekends)"
    )


def test_required_and_target_places_are_numbered_and_marked() -> None:
    eve = shift_type("EVE", time(18, 30), time(23, 0), needed=2, wanted=3)
    data = rota_data([clinician("C01")], [eve], weeks=1)
    rota = [Assignment(sid(day(n), "EVE"), "C01") for n in range(5)]
    gaps = gaps_of(data, rota, sid(day(0), "EVE"))
    assert [(g.place, g.required) for g in gaps] == [(2, True), (3, False)]
    assert "already on this shift" in gaps[0].reason
    # Saturday: nobody on it; C01 could take it (5 shifts in a row is within 6 days).
    gaps = gaps_of(data, rota, sid(day(5), "EVE"))
    assert [(g.place, g.required) for g in gaps] == [(1, True), (2, True), (3, False)]
    assert gaps[0].reason == (
        "1 eligible clinician offered the date; 1 could work it without breaking a hard rule "
        "(C01 Dr C01): the search ended before filling it; a longer --time-limit may fill it"
    )
    assert gaps[2].reason.endswith(
        "(C01 Dr C01): left open for the soft goals (cost, fairness, requests) or by the time limit"
    )


def test_names_enough_open_clinicians_and_says_there_may_be_more() -> None:
    # ten could take the empty Monday shift: the first eight are named, the count says
    # "at least"; with eight exactly, every one was checked and the count is exact
    people = [clinician(f"C{n:02d}") for n in range(1, 11)]
    (gap, *_) = gaps_of(rota_data(people, [EVE], weeks=1), [], sid(day(0), "EVE"))
    names = ", ".join(f"C{n:02d} Dr C{n:02d}" for n in range(1, 9))
    assert gap.reason.startswith(
        "10 eligible clinicians offered the date; at least 8 could work it without breaking "
        f"a hard rule ({names}):"
    )
    (gap, *_) = gaps_of(rota_data(people[:8], [EVE], weeks=1), [], sid(day(0), "EVE"))
    assert gap.reason.startswith(
        f"8 eligible clinicians offered the date; 8 could work it without breaking a hard rule ({names}):"
    )


def test_full_shift_has_no_gap() -> None:
    data = rota_data([clinician("C01")], [EVE], weeks=1)
    rota = [Assignment(sid(day(n), "EVE"), "C01") for n in range(6)]
    gaps = explain_gaps(data, build_shifts(data), rota)
    assert [g.shift_id for g in gaps] == [sid(day(6), "EVE")]
    assert "max-consecutive-days" in gaps[0].reason


def test_existing_breach_is_not_blamed_on_an_unrelated_gap() -> None:
    # A hand-edited rota: C01 already works two weekends against a limit of one.
    data = rota_data([clinician("C01", max_weekends=1)], [EVE], weeks=2)
    rota = [Assignment(sid(day(n), "EVE"), "C01") for n in (5, 12)]
    (c01,) = data.clinicians
    shifts = {s.id: s for s in build_shifts(data)}
    blocks = BlockCheck(data, {"C01": [shifts[a.shift_id] for a in rota]})
    assert blocks.blocking(c01, shifts[sid(day(1), "EVE")]) == []
    blocked = blocks.blocking(c01, shifts[sid(day(6), "EVE")])
    assert [b.rule for b in blocked] == ["max-weekends"]


@settings(max_examples=30, deadline=None)
@given(
    picks=st.lists(
        st.tuples(st.integers(0, 13), st.sampled_from(["EVE", "NIGHT", "DAY"]), st.integers(0, 2)),
        max_size=14,
    ),
    max_hours=st.sampled_from([20.0, 30.0, 48.0]),
    max_weekends=st.sampled_from([None, 0, 1]),
    max_days=st.integers(2, 6),
)
def test_blocking_rules_agree_with_the_checker(
    picks: list[tuple[int, str, int]],
    max_hours: float,
    max_weekends: int | None,
    max_days: int,
) -> None:
    """Adding a candidate is blocked exactly when the checker finds a new breach."""
    people = [
        clinician(f"C0{i}", max_hours_per_week=max_hours, max_weekends=max_weekends, max_shifts=5)
        for i in range(3)
    ]
    data = rota_data(people, [EVE, NIGHT, DAY], weeks=2, rules=Rules(max_consecutive_days=max_days))
    shifts = build_shifts(data)
    by_id = {s.id: s for s in shifts}
    rota = list({Assignment(sid(day(n), t), f"C0{i}") for n, t, i in picks})
    taken = {a.shift_id for a in rota}

    def keys(assignments: list[Assignment]) -> set[tuple[str, str | None, tuple[str, ...]]]:
        return {
            (b.rule, b.clinician, b.shifts)
            for b in check_rota(data, assignments, shifts)
            if b.rule not in ("over-staffed", "min-shifts")
        }

    before = keys(rota)
    for c in people:
        theirs = [by_id[a.shift_id] for a in rota if a.clinician == c.id]
        for s in shifts[::3]:
            if s.id in taken:
                continue
            new = keys([*rota, Assignment(s.id, c.id)]) - before
            blocked = BlockCheck(data, {c.id: theirs}).blocking(c, s)
            assert {(b.rule, b.clinician, b.shifts) for b in blocked} == new


# rules a hand-made base rota may break in the long-period test: the shortest runs (a
# partial rota has many); with the others broken, breaches reaching beyond the weeks around
# a shift may be named by other shifts than on the whole rota (the rule is the same)
SHORTEST_RUNS = ("min-consecutive-days", "min-consecutive-days-off")


@settings(max_examples=60, deadline=None)
@given(
    picks=st.lists(
        st.tuples(st.integers(0, 41), st.sampled_from(["EVE", "NIGHT", "DAY"])),
        max_size=30,
    ),
    max_hours=st.sampled_from([20.0, 30.0, 48.0]),
    max_days=st.integers(2, 6),
    min_days=st.integers(1, 3),
    min_off=st.integers(1, 3),
    follow=st.booleans(),
)
def test_blocking_on_a_long_period_equals_the_whole_rota_check(
    picks: list[tuple[int, str]],
    max_hours: float,
    max_days: int,
    min_days: int,
    min_off: int,
    follow: bool,
) -> None:
    """Over 6 weeks the rules of the clinician's days are checked on the weeks around the
    shift only; the new breaches are exactly those the whole-rota checker finds, and the
    quick yes-or-no check agrees."""
    c = clinician(
        "C01",
        max_hours_per_week=max_hours,
        max_weekends=2,
        max_shifts=7,
        max_period_hours=50.0,
        min_consecutive_days=min_days,
        min_consecutive_days_off=min_off,
        max_shifts_by_type=(("NIGHT", 4),),
    )
    rules = Rules(
        max_consecutive_days=max_days,
        cannot_follow=frozenset({("EVE", "DAY")}) if follow else frozenset(),
    )
    data = rota_data([c], [EVE, NIGHT, DAY], weeks=6, rules=rules)
    shifts = build_shifts(data)
    by_id = {s.id: s for s in shifts}

    def breaches(rota: list[Assignment]) -> set[tuple[str, tuple[date, ...], tuple[str, ...]]]:
        return {
            (b.rule, b.dates, b.shifts)
            for b in check_rota(data, rota, shifts)
            if b.rule not in ("over-staffed", "min-shifts", "min-period-hours")
        }

    rota: list[Assignment] = []  # the picks that break nothing but the shortest runs
    for n, t in picks:
        more = [*rota, Assignment(sid(day(n), t), "C01")]
        if len(set(more)) > len(rota) and all(r in SHORTEST_RUNS for r, _, _ in breaches(more)):
            rota = more
    blocks = BlockCheck(data, {"C01": [by_id[a.shift_id] for a in rota]})
    assert data.settings.weeks > -(-(2 * reach_days(data, c) + 1) // 7)  # weeks around < period
    before = breaches(rota)
    taken = {a.shift_id for a in rota}
    for s in shifts:
        if s.id in taken:
            continue
        new = breaches([*rota, Assignment(s.id, "C01")]) - before
        assert {(b.rule, b.dates, b.shifts) for b in blocks.blocking(c, s)} == new, s.id
        assert blocks.is_blocked(c, s) == bool(new), s.id


def test_is_blocked_agrees_with_blocking() -> None:
    c = clinician("C01", max_shifts=3, max_weekends=1)
    data = rota_data([c], [EVE, NIGHT, DAY], weeks=2, rules=Rules(max_consecutive_days=2))
    shifts = build_shifts(data)
    by_id = {s.id: s for s in shifts}
    theirs = [by_id[sid(day(n), "EVE")] for n in (0, 1, 5)]
    blocks = BlockCheck(data, {"C01": theirs})
    verdicts = {bool(blocks.blocking(c, s)) for s in shifts}
    assert verdicts == {True}  # three shifts already: a fourth breaks max-shifts
    blocks = BlockCheck(data, {"C01": theirs[:1]})
    verdicts = {s.id: bool(blocks.blocking(c, s)) for s in shifts}
    assert set(verdicts.values()) == {True, False}
    assert all(blocks.is_blocked(c, by_id[i]) == v for i, v in verdicts.items())
