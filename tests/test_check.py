"""The independent checker: for each rule family, a rota that breaks exactly that rule and
one that just satisfies it (boundaries: exactly 11 h rest, 7-day window edges, shifts that
cross midnight, the 3-hours-between-23:00-and-06:00 definition of a night)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta

import pytest
from rota_check_helpers import DAY, EVE, MONDAY, NIGHT, clinician, rota_data, shift_type, sid

from ooh.rota.check import RULES, check_rota
from ooh.rota.data import (
    UNAVAILABLE,
    Assignment,
    Availability,
    AvailabilityKind,
    Breach,
    FixedBooking,
    Rules,
    Settings,
)


def day(n: int) -> date:
    """Day n of the test period: day(0) is Monday 4 January 2027."""
    return MONDAY + timedelta(days=n)


def on(clinician_id: str, *shifts: tuple[int, str]) -> list[Assignment]:
    return [Assignment(sid(day(n), t), clinician_id) for n, t in shifts]


def rules_of(breaches: list[Breach]) -> list[tuple[str, str | None]]:
    return [(b.rule, b.clinician) for b in breaches]


def test_legal_rota_has_no_breaches() -> None:
    data = rota_data([clinician("C01"), clinician("C02")])
    rota = on("C01", (0, "EVE"), (2, "EVE")) + on("C02", (0, "NIGHT"), (3, "DAY"))
    assert check_rota(data, rota) == []


def test_every_rule_id_is_documented_in_the_module() -> None:
    import ooh.rota.check as check

    for rule in RULES:
        assert f"``{rule}``" in (check.__doc__ or ""), rule


# ---- rota-wide rules -----------------------------------------------------------------------


def test_unknown_shift_and_unknown_clinician() -> None:
    weekdays_only = shift_type("WKDAY", time(9, 0), time(17, 0), days=frozenset(range(5)))
    data = rota_data([clinician("C01")], [weekdays_only])
    # Saturday 9 January: the line does not run; C99 is not in the inputs.
    found = check_rota(
        data,
        [Assignment(sid(day(5), "WKDAY"), "C01"), Assignment(sid(day(0), "WKDAY"), "C99")],
    )
    assert rules_of(found) == [("unknown-shift", "C01"), ("unknown-clinician", "C99")]
    assert found[0].dates == (day(5),)
    assert "does not run" in found[0].message
    assert "C99" in found[1].message


def test_duplicate_is_reported_once_and_counted_once() -> None:
    data = rota_data([clinician("C01")])
    found = check_rota(data, on("C01", (0, "EVE"), (0, "EVE")))
    # Counted once: no overlap of the shift with itself, no over-staffing.
    assert rules_of(found) == [("duplicate", "C01")]


@pytest.mark.parametrize(("wanted", "expected"), [(1, [("over-staffed", None)]), (2, [])])
def test_over_staffed_beyond_wanted(wanted: int, expected: list[tuple[str, None]]) -> None:
    eve = shift_type("EVE", time(18, 30), time(23, 0), wanted=wanted)
    data = rota_data([clinician("C01"), clinician("C02")], [eve])
    found = check_rota(data, on("C01", (0, "EVE")) + on("C02", (0, "EVE")))
    assert rules_of(found) == expected


# ---- per assignment ------------------------------------------------------------------------


def test_availability_leave() -> None:
    data = rota_data([clinician("C01")], availability={("C01", day(1)): UNAVAILABLE})
    found = check_rota(data, on("C01", (1, "EVE")))
    assert rules_of(found) == [("availability", "C01")]
    assert found[0].dates == (day(1),)
    assert "on leave" in found[0].message
    assert check_rota(data, on("C01", (2, "EVE"))) == []


def test_availability_only_listed_shift_types() -> None:
    only_eve = Availability(AvailabilityKind.ONLY, frozenset({"EVE"}))
    data = rota_data([clinician("C01")], availability={("C01", day(1)): only_eve})
    found = check_rota(data, on("C01", (1, "DAY")))
    assert rules_of(found) == [("availability", "C01")]
    assert "offered only EVE" in found[0].message
    assert check_rota(data, on("C01", (1, "EVE"))) == []


def test_prefers_not_may_be_rostered_and_blank_means_what_settings_say() -> None:
    rather_not = Availability(AvailabilityKind.PREFERS_NOT)
    data = rota_data([clinician("C01")], availability={("C01", day(1)): rather_not})
    assert check_rota(data, on("C01", (1, "EVE"))) == []
    strict = rota_data(
        [clinician("C01")],
        availability={("C01", day(1)): Availability(AvailabilityKind.AVAILABLE)},
    )
    strict = replace(strict, settings=Settings(MONDAY, weeks=2, blank_is_available=False))
    assert check_rota(strict, on("C01", (1, "EVE"))) == []
    assert rules_of(check_rota(strict, on("C01", (2, "EVE")))) == [("availability", "C01")]


def test_role_skills_and_site() -> None:
    paeds = shift_type(
        "PAEDS", time(9, 0), time(17, 0), site="BASE-B", skills=frozenset({"paediatrics"}), wanted=5
    )
    data = rota_data(
        [
            clinician("C01", role="ANP", skills=frozenset({"paediatrics"})),
            clinician("C02", skills=frozenset({"minor injuries"})),
            clinician("C03", skills=frozenset({"paediatrics"}), sites=frozenset({"BASE-A"})),
            clinician("C04", skills=frozenset({"paediatrics", "x"}), sites=frozenset({"BASE-B"})),
            clinician("C05", skills=frozenset({"paediatrics"})),  # no sites listed: any site
        ],
        [paeds],
    )
    rota = [Assignment(sid(day(n), "PAEDS"), f"C0{n + 1}") for n in range(5)]
    found = check_rota(data, rota)
    assert rules_of(found) == [("role", "C01"), ("skills", "C02"), ("site", "C03")]
    assert "has role ANP but PAEDS on Mon 2027-01-04 09:00-17:00 needs role GP" in found[0].message
    assert "lacks skill paediatrics" in found[1].message
    assert "does not work at site BASE-B" in found[2].message


# ---- timing: overlap, rest -----------------------------------------------------------------


def test_overlap_across_midnight() -> None:
    early = shift_type("EARLY", time(7, 0), time(12, 0))
    data = rota_data([clinician("C01")], [NIGHT, early])
    # Monday's night runs to 08:00 Tuesday; Tuesday's 07:00 shift overlaps it.
    found = check_rota(data, on("C01", (0, "NIGHT"), (1, "EARLY")))
    assert rules_of(found) == [("overlap", "C01")]
    assert found[0].dates == (day(0), day(1))
    assert found[0].shifts == (sid(day(0), "NIGHT"), sid(day(1), "EARLY"))


def test_back_to_back_is_not_overlap_but_is_short_rest() -> None:
    data = rota_data([clinician("C01")])
    # EVE ends 23:00 as NIGHT starts 23:00: no overlap, zero rest.
    found = check_rota(data, on("C01", (0, "EVE"), (0, "NIGHT")))
    assert rules_of(found) == [("min-rest", "C01")]
    assert "0h00 rest" in found[0].message


@pytest.mark.parametrize(
    ("start", "rule"),
    [(time(5, 30), None), (time(5, 29), "min-rest")],
    ids=["exactly-11h", "10h59"],
)
def test_min_rest_boundary(start: time, rule: str | None) -> None:
    early = shift_type("EARLY", start, time(10, 0))
    data = rota_data([clinician("C01")], [DAY, early])
    # DAY ends 18:30; EARLY starts next morning.
    found = check_rota(data, on("C01", (0, "DAY"), (1, "EARLY")))
    assert rules_of(found) == ([] if rule is None else [(rule, "C01")])
    if rule:
        assert "10h59" in found[0].message


def test_min_rest_after_a_night_crossing_midnight() -> None:
    data = rota_data([clinician("C01")])
    # NIGHT Mon 23:00 -> Tue 08:00, EVE Tue 18:30: 10h30 rest.
    found = check_rota(data, on("C01", (0, "NIGHT"), (1, "EVE")))
    assert rules_of(found) == [("min-rest", "C01")]
    assert "10h30" in found[0].message


@pytest.mark.parametrize(
    ("start", "rule"),
    [(time(6, 0), None), (time(5, 59), "rest-after-nights")],
    ids=["exactly-46h", "45h59"],
)
def test_rest_after_nights_boundary(start: time, rule: str | None) -> None:
    early = shift_type("EARLY", start, time(12, 0))
    data = rota_data([clinician("C01")], [NIGHT, early])
    # Nights Mon and Tue end Wed 08:00; Fri 06:00 is 46 h later.
    found = check_rota(data, on("C01", (0, "NIGHT"), (1, "NIGHT"), (4, "EARLY")))
    assert rules_of(found) == ([] if rule is None else [(rule, "C01")])
    if rule:
        assert found[0].shifts == (sid(day(1), "NIGHT"), sid(day(4), "EARLY"))
        assert "45h59" in found[0].message


def test_night_after_night_needs_only_min_rest() -> None:
    data = rota_data([clinician("C01")])
    assert check_rota(data, on("C01", (0, "NIGHT"), (1, "NIGHT"), (2, "NIGHT"))) == []


# ---- 7-day windows -------------------------------------------------------------------------


def test_hours_in_seven_days_window_edges() -> None:
    # DAY is 10h30; limit 21 h allows two DAYs in any 7 consecutive days.
    data = rota_data([clinician("C01", max_hours_per_week=21)], [DAY])
    # Days 0, 6 are in the window 0-6; day 7 is not: no window holds three.
    assert check_rota(data, on("C01", (0, "DAY"), (6, "DAY"), (7, "DAY"))) == []
    found = check_rota(data, on("C01", (0, "DAY"), (3, "DAY"), (6, "DAY")))
    assert rules_of(found) == [("max-hours-week", "C01")]
    assert "31h30" in found[0].message
    assert found[0].dates == (day(0), day(3), day(6))


def test_hours_counted_on_start_date_for_night_crossing_midnight() -> None:
    # NIGHT is 9 h. Nights starting days 0 and 6 both fall in window 0-6 (18 h).
    data = rota_data([clinician("C01", max_hours_per_week=17.5)], [NIGHT])
    found = check_rota(data, on("C01", (0, "NIGHT"), (6, "NIGHT")))
    assert rules_of(found) == [("max-hours-week", "C01")]
    data = rota_data([clinician("C01", max_hours_per_week=18)], [NIGHT])
    assert check_rota(data, on("C01", (0, "NIGHT"), (6, "NIGHT"))) == []


def test_overlapping_heavy_windows_are_one_breach() -> None:
    data = rota_data([clinician("C01", max_hours_per_week=21)], [DAY])
    # Days 2, 3, 4: every window starting on days 0..2 holds all three (31h30).
    found = check_rota(data, on("C01", (2, "DAY"), (3, "DAY"), (4, "DAY")))
    assert rules_of(found) == [("max-hours-week", "C01")]
    assert "2 more overlapping" in found[0].message


def test_last_window_inside_the_period_counts() -> None:
    data = rota_data([clinician("C01", max_hours_per_week=21)], [DAY], weeks=2)
    # Days 11, 12, 13 lie in the last full window (days 7..13).
    found = check_rota(data, on("C01", (11, "DAY"), (12, "DAY"), (13, "DAY")))
    assert rules_of(found) == [("max-hours-week", "C01")]
    assert "Sun 2027-01-17" in found[0].message


def test_max_shifts_per_week() -> None:
    data = rota_data([clinician("C01")], [EVE], rules=Rules(max_shifts_per_week=2))
    assert check_rota(data, on("C01", (0, "EVE"), (1, "EVE"), (7, "EVE"))) == []
    found = check_rota(data, on("C01", (0, "EVE"), (1, "EVE"), (6, "EVE")))
    assert rules_of(found) == [("max-shifts-week", "C01")]
    assert "3 shifts" in found[0].message
    # No rule set: no limit.
    data = rota_data([clinician("C01")], [EVE])
    assert check_rota(data, on("C01", *[(n, "EVE") for n in range(5)])) == []


# ---- totals and runs -----------------------------------------------------------------------


def test_min_and_max_shifts() -> None:
    data = rota_data([clinician("C01", min_shifts=2, max_shifts=3)], [EVE])
    found = check_rota(data, on("C01", (0, "EVE")))
    assert rules_of(found) == [("min-shifts", "C01")]
    assert "1 shifts in the period (minimum 2)" in found[0].message
    assert check_rota(data, on("C01", (0, "EVE"), (2, "EVE"))) == []
    assert check_rota(data, on("C01", (0, "EVE"), (2, "EVE"), (4, "EVE"))) == []
    found = check_rota(data, on("C01", *[(n, "EVE") for n in (0, 2, 4, 8)]))
    assert rules_of(found) == [("max-shifts", "C01")]
    # A clinician with no shifts at all still has a minimum.
    data = rota_data([clinician("C01"), clinician("C02", min_shifts=1)], [EVE])
    assert rules_of(check_rota(data, on("C01", (0, "EVE")))) == [("min-shifts", "C02")]


def test_max_consecutive_nights_clinician_limit() -> None:
    data = rota_data([clinician("C01", max_consecutive_nights=2)], [NIGHT])
    assert check_rota(data, on("C01", (0, "NIGHT"), (1, "NIGHT"), (3, "NIGHT"))) == []
    found = check_rota(data, on("C01", (0, "NIGHT"), (1, "NIGHT"), (2, "NIGHT")))
    assert rules_of(found) == [("max-consecutive-nights", "C01")]
    assert found[0].dates == (day(0), day(1), day(2))


def test_max_consecutive_nights_rules_default() -> None:
    data = rota_data([clinician("C01")], [NIGHT], rules=Rules(max_consecutive_nights=2))
    found = check_rota(data, on("C01", (0, "NIGHT"), (1, "NIGHT"), (2, "NIGHT")))
    assert rules_of(found) == [("max-consecutive-nights", "C01")]
    # The clinician's own limit overrides the default.
    data = rota_data(
        [clinician("C01", max_consecutive_nights=3)], [NIGHT], rules=Rules(max_consecutive_nights=2)
    )
    assert check_rota(data, on("C01", (0, "NIGHT"), (1, "NIGHT"), (2, "NIGHT"))) == []


@pytest.mark.parametrize(
    ("end", "is_night"),
    [(time(2, 0), True), (time(1, 59), False)],
    ids=["3h-of-night", "2h59-of-night"],
)
def test_night_means_three_hours_between_23_and_06(end: time, is_night: bool) -> None:
    late = shift_type("LATE", time(20, 0), end)
    data = rota_data([clinician("C01", max_consecutive_nights=1)], [late])
    found = check_rota(data, on("C01", (0, "LATE"), (1, "LATE")))
    assert rules_of(found) == ([("max-consecutive-nights", "C01")] if is_night else [])


def test_max_consecutive_working_days() -> None:
    data = rota_data([clinician("C01")], [EVE], rules=Rules(max_consecutive_days=3))
    assert check_rota(data, on("C01", (0, "EVE"), (1, "EVE"), (2, "EVE"), (4, "EVE"))) == []
    found = check_rota(data, on("C01", (0, "EVE"), (1, "EVE"), (2, "EVE"), (3, "EVE")))
    assert rules_of(found) == [("max-consecutive-days", "C01")]
    assert "4 days in a row" in found[0].message


def test_night_counts_as_working_its_start_date_only() -> None:
    # Nights on days 0,1 (ending day 2 08:00) then EVE days 3,4: days worked 0,1,3,4.
    data = rota_data(
        [clinician("C01")], rules=Rules(max_consecutive_days=2, rest_after_nights_hours=11)
    )
    assert check_rota(data, on("C01", (0, "NIGHT"), (1, "NIGHT"), (3, "EVE"), (4, "EVE"))) == []


def test_max_weekends() -> None:
    data = rota_data([clinician("C01", max_weekends=1)])
    # Saturday and Sunday of one weekend, and a Friday night (belongs to Friday).
    assert check_rota(data, on("C01", (4, "NIGHT"), (12, "EVE"), (13, "EVE"))) == []
    found = check_rota(data, on("C01", (5, "EVE"), (13, "EVE")))
    assert rules_of(found) == [("max-weekends", "C01")]
    assert "2 weekends (limit 1)" in found[0].message
    assert found[0].dates == (day(5), day(13))


# ---- fixed bookings ------------------------------------------------------------------------


def test_fixed_booking_missing_or_not_running() -> None:
    weekdays = shift_type("WKDAY", time(9, 0), time(17, 0), days=frozenset(range(5)))
    data = rota_data(
        [clinician("C01")],
        [weekdays],
        fixed=(FixedBooking("C01", day(1), "WKDAY"), FixedBooking("C01", day(5), "WKDAY")),
    )
    found = check_rota(data, on("C01", (1, "WKDAY")))
    assert rules_of(found) == [("fixed-booking", "C01")]
    assert "no such shift runs" in found[0].message
    found = check_rota(data, [])
    assert rules_of(found) == [("fixed-booking", "C01"), ("fixed-booking", "C01")]
    assert "missing from the rota" in found[0].message


def test_bank_holiday_lines() -> None:
    # Monday 31 May 2027 is the Spring bank holiday in England: only bank-holiday lines run.
    bh_only = shift_type("BH", time(8, 0), time(18, 0), days=frozenset(), bank_holidays=True)
    weekday = shift_type(
        "WK", time(18, 30), time(23, 0), days=frozenset(range(5)), bank_holidays=False
    )
    data = rota_data([clinician("C01")], [bh_only, weekday], start=date(2027, 5, 31), weeks=1)
    assert check_rota(data, [Assignment("2027-05-31/BH", "C01")]) == []
    found = check_rota(data, [Assignment("2027-05-31/WK", "C01")])
    assert rules_of(found) == [("unknown-shift", "C01")]


def test_rest_across_the_spring_clock_change_is_real_elapsed_time() -> None:
    # 23:00 Saturday to 10:30 Sunday is 11.5 h on the wall clock. Clocks go forward on Sunday
    # 29 March 2026, so the real rest is 10.5 h and breaks an 11-hour rule; they go back on
    # Sunday 25 October 2026, so the real rest is 12.5 h and is legal.
    from datetime import date, time

    from ooh.rota.calendar import make_shift
    from ooh.rota.check import check_rota
    from ooh.rota.data import Assignment, Clinician, RotaData, Settings, ShiftType, Site

    late = ShiftType("LATE", "S1", "GP", time(18, 0), time(23, 0), frozenset(range(7)))
    morning = ShiftType("MORN", "S1", "GP", time(10, 30), time(14, 0), frozenset(range(7)))
    for saturday, legal in ((date(2026, 3, 28), False), (date(2026, 10, 24), True)):
        monday = saturday - timedelta(days=5)
        data = RotaData(
            Settings(monday, 1),
            (),
            (Site("S1", "Base"),),
            (Clinician("C1", "Dr One", None, "GP"),),
            (late, morning),
            rules=Rules(min_rest_hours=11),
        )
        first = make_shift(late, saturday, False)
        second = make_shift(morning, saturday + timedelta(days=1), False)
        breaches = check_rota(data, [Assignment(first.id, "C1"), Assignment(second.id, "C1")])
        assert [b.rule for b in breaches] == ([] if legal else ["min-rest"]), saturday
