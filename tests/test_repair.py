"""Rota repair: absences refilled with the fewest people moved, swap chains when needed,
frozen past and fixed bookings untouched, the checker's verdict, the changes workbook's
validation (sheet!cell) and the `ooh rota repair` command's exit codes."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from datetime import date
from functools import lru_cache
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from solve_helpers import FAST, day, line, person, rota

from ooh.cli import cli
from ooh.errors import InputError, OohError
from ooh.rota.calendar import shift_id
from ooh.rota.check import check_rota
from ooh.rota.data import Assignment, FixedBooking, Result, RotaData, Rules, Status
from ooh.rota.io import write_input_workbook
from ooh.rota.output import read_assignments, write_rota_workbook
from ooh.rota.repair import (
    Absence,
    Changes,
    DemandChange,
    apply_changes,
    change_rows,
    read_changes,
    repair,
    write_changes_template,
)

DAY = line("DAY", "08:00", "16:00")


def sid(n: int, type_id: str = "DAY") -> str:
    return shift_id(day(n), type_id)


def on(n: int, who: str, type_id: str = "DAY") -> Assignment:
    return Assignment(sid(n, type_id), who)


def away(who: str, first: int, last: int | None = None, reason: str = "sick") -> Absence:
    return Absence(who, day(first), day(first if last is None else last), reason)


def diff(before: list[Assignment], after: list[Assignment]) -> tuple[set, set]:
    return set(before) - set(after), set(after) - set(before)


def legal(data: RotaData, previous: list[Assignment]) -> None:
    assert check_rota(data, previous) == [], "the test's previous rota must be legal"


# ---- minimal change ----------------------------------------------------------------------


def test_one_absence_touches_only_the_vacated_shift_when_someone_is_free():
    # One DAY shift a day. C1 works Mon-Wed, C2 Thu-Sun (at its maximum of 4), C3 nothing.
    # C1 falls ill on Tuesday. C3 is free and eligible, so the repair is one line: C3 on
    # Tuesday. A fresh solve would share the week out (fair hours put C3 on ~2 shifts and
    # take C2 off its 4): the repair must not do that.
    data = rota([person("C1"), person("C2", max_shifts=4), person("C3")], [DAY])
    previous = [on(0, "C1"), on(1, "C1"), on(2, "C1")] + [on(n, "C2") for n in (3, 4, 5, 6)]
    legal(data, previous)
    done = repair(data, previous, Changes((away("C1", 1),)), params=FAST)
    removed, added = diff(previous, done.result.assignments)
    assert removed == {on(1, "C1")}
    assert added == {on(1, "C3")}
    assert done.people_changed == ["C1", "C3"]
    assert done.people_changed_unaffected == ["C3"]
    assert done.result.breaches == []
    assert done.result.params["phase0_kept_previous"] is True
    assert done.result.params["changed_people"] == 2  # C1 (forced) and C3
    assert done.result.params["changed_assignments"] == 1  # C3 added (C1's removal is forced)
    rows = {(r.shift_id, r.clinician): (r.change, r.reason) for r in done.changes}
    assert rows == {
        (sid(1), "C1"): ("removed", f"unavailable on {day(1).isoformat()} (sick)"),
        (sid(1), "C3"): ("added", f"covers C1 (unavailable on {day(1).isoformat()} (sick))"),
    }


def test_one_extra_person_beats_two_even_at_more_changed_assignments():
    # C1 is off Mon and Tue. C2 and C3 are free and identical: fair shares would give each
    # one day, but one extra person (both days to C2 or both to C3) moves fewer people.
    data = rota(
        [person("C1"), person("C2"), person("C3")], [line("DAY", "08:00", "16:00", days={0, 1})]
    )
    previous = [on(0, "C1"), on(1, "C1")]
    done = repair(data, previous, Changes((away("C1", 0, 1),)), params=FAST)
    removed, added = diff(previous, done.result.assignments)
    assert removed == set(previous)
    assert len(added) == 2
    assert len({a.clinician for a in added}) == 1
    assert {a.shift_id for a in added} == {sid(0), sid(1)}


def test_swap_chain_is_found_when_no_free_clinician_can_take_the_place():
    # Monday only: SKILLED (needs skill K) and PLAIN run at the same time. A (skill K) is on
    # SKILLED, B (skill K) on PLAIN, C (no K) is free. A falls ill. Only B can take SKILLED,
    # so B must give up PLAIN (same hours), which C then takes: B moves, C is added.
    skilled = line("SKILLED", "08:00", "16:00", days={0}, skills={"K"})
    plain = line("PLAIN", "08:00", "16:00", days={0})
    data = rota(
        [
            person("A", skills={"K"}),
            person("B", skills={"K"}),
            person("C"),
            person("D", role="ANP"),
        ],
        [skilled, plain],
    )
    previous = [on(0, "A", "SKILLED"), on(0, "B", "PLAIN")]
    legal(data, previous)
    done = repair(data, previous, Changes((away("A", 0),)), params=FAST)
    assert sorted(done.result.assignments, key=str) == sorted(
        [on(0, "B", "SKILLED"), on(0, "C", "PLAIN")], key=str
    )
    assert done.result.unfilled_required == 0
    assert done.people_changed_unaffected == ["B", "C"]
    rows = [(r.shift_id, r.clinician, r.change) for r in done.changes]
    assert sorted(rows) == sorted(
        [
            (sid(0, "SKILLED"), "A", "removed"),
            (sid(0, "SKILLED"), "B", "moved on"),
            (sid(0, "PLAIN"), "B", "moved off"),
            (sid(0, "PLAIN"), "C", "added"),
        ]
    )
    reasons = {(r.shift_id, r.clinician): r.reason for r in done.changes}
    assert reasons[(sid(0, "PLAIN"), "B")] == f"moved to {sid(0, 'SKILLED')}"
    assert reasons[(sid(0, "PLAIN"), "C")] == f"covers B (moved to {sid(0, 'SKILLED')})"


def test_chain_of_two_swaps_through_two_skills():
    # Monday: X (skill K), Y (skill L) and Z (no skill) all 08:00-16:00. A (K) on X,
    # B (K and L) on Y, C (L) on Z, D (nothing) free. A is ill: only B can do X, so B leaves
    # Y; only C can do Y, so C leaves Z; D takes Z. Two swaps and one addition.
    lines = [
        line("X", "08:00", "16:00", days={0}, skills={"K"}),
        line("Y", "08:00", "16:00", days={0}, skills={"L"}),
        line("Z", "08:00", "16:00", days={0}),
    ]
    data = rota(
        [
            person("A", skills={"K"}),
            person("B", skills={"K", "L"}),
            person("C", skills={"L"}),
            person("D"),
        ],
        lines,
    )
    previous = [on(0, "A", "X"), on(0, "B", "Y"), on(0, "C", "Z")]
    legal(data, previous)
    done = repair(data, previous, Changes((away("A", 0),)), params=FAST)
    assert set(done.result.assignments) == {on(0, "B", "X"), on(0, "C", "Y"), on(0, "D", "Z")}
    assert done.people_changed_unaffected == ["B", "C", "D"]
    assert done.result.breaches == []


def test_vacated_place_with_nobody_eligible_is_an_explained_gap_and_nothing_else_moves():
    data = rota([person("C1"), person("C2", role="ANP")], [DAY])
    previous = [on(n, "C1") for n in range(7)]
    done = repair(data, previous, Changes((away("C1", 2),)), params=FAST)
    removed, added = diff(previous, done.result.assignments)
    assert removed == {on(2, "C1")} and added == set()
    assert [(g.shift_id, g.required) for g in done.result.gaps] == [(sid(2), True)]
    assert done.result.gaps[0].reason.startswith("no eligible clinician offered Wed 2027-02-03")


def test_new_demand_is_filled_by_one_extra_person():
    data = rota([person("C1"), person("C2"), person("C3")], [DAY])
    previous = [on(n, "C1" if n % 2 else "C2") for n in range(7)]
    extra = DemandChange(sid(3), needed=2, wanted=2, reason="event in town")
    done = repair(data, previous, Changes(demand=(extra,)), params=FAST)
    removed, added = diff(previous, done.result.assignments)
    assert removed == set()
    assert len(added) == 1 and next(iter(added)).shift_id == sid(3)
    row = done.changes[0]
    assert row.change == "added"
    assert row.reason == "new demand: 2 required, 2 target place(s) (event in town)"


def test_demand_cut_removes_one_person_and_says_why():
    # Wednesday's DAY wanted 2 and had C1 and C2; it now wants 1: exactly one of them goes
    # (keeping the previous rota whole is impossible, so the first rota comes another way).
    data = rota(
        [person("C1"), person("C2"), person("C3")], [line("DAY", "08:00", "16:00", wanted=2)]
    )
    previous = [on(n, "C1") for n in range(7)] + [on(2, "C2")]
    cut = DemandChange(sid(2), needed=1, wanted=1, reason="clinic closed")
    done = repair(data, previous, Changes(demand=(cut,)), params=FAST)
    removed, added = diff(previous, done.result.assignments)
    assert len(removed) == 1 and next(iter(removed)).shift_id == sid(2)
    assert added == set()
    assert done.changes[0].reason == "demand cut to 1 place(s) (clinic closed)"
    assert done.result.params["phase0_kept_previous"] is False  # started by the greedy dive
    assert done.result.breaches == []


def test_change_labels_keep_forced_removals_apart_from_moves():
    # C1 is off Monday (forced) and, in this hand-made outcome, also gives up Tuesday for
    # Thursday: Monday is "removed", Tuesday "moved off", Thursday "moved on".
    data = rota([person("C1"), person("C2")], [DAY])
    prepared = apply_changes(data, Changes((away("C1", 0),)))
    previous = [on(0, "C1"), on(1, "C1"), on(2, "C2")]
    after = [on(0, "C2"), on(2, "C2"), on(3, "C1")]
    rows = [
        (r.shift_id, r.clinician, r.change, r.reason)
        for r in change_rows(prepared, previous, after)
    ]
    monday = day(0).isoformat()
    assert rows == [
        (sid(0), "C1", "removed", f"unavailable on {monday} (sick)"),
        (sid(0), "C2", "added", f"covers C1 (unavailable on {monday} (sick))"),
        (sid(1), "C1", "moved off", f"moved to {sid(3)}"),
        (sid(3), "C1", "moved on", "fills a place that was open"),
    ]


# ---- what never moves -----------------------------------------------------------------------


def test_frozen_past_and_fixed_bookings_never_move():
    # C1 works every day; C2 is fixed on Friday (day 4) and on Saturday (day 5) C3 works.
    # As of Thursday (day 3), C1 is reported off for the whole week: Mon-Wed were worked and
    # stay; Thu-Sun are refilled. C2's fixed Friday stays although C1's absence frees others.
    # A target place on Tuesday (in the past) stays open although C3 was free then.
    lines = [DAY, line("EXTRA", "17:00", "21:00", days={1}, needed=0, wanted=1)]
    data = rota(
        [person("C1"), person("C2", hourly_rate=500.0), person("C3")],
        lines,
        fixed=[FixedBooking("C2", day(4), "DAY")],
    )
    previous = [on(n, "C1") for n in (0, 1, 2, 3, 6)] + [on(4, "C2"), on(5, "C3")]
    legal(data, previous)
    done = repair(data, previous, Changes((away("C1", 0, 6),)), as_of=day(3), params=FAST)
    after = set(done.result.assignments)
    assert {on(0, "C1"), on(1, "C1"), on(2, "C1")} <= after  # worked: kept
    assert on(4, "C2") in after  # fixed: kept (C2 costs 50x as much)
    assert not any(a.shift_id == sid(1, "EXTRA") for a in after)  # past: nobody added
    assert on(5, "C3") in after
    removed, added = diff(previous, done.result.assignments)
    assert removed == {on(3, "C1"), on(6, "C1")}
    assert {a.shift_id for a in added} == {sid(3), sid(6)}
    assert check_rota(done.prepared.data, done.result.assignments, done.prepared.shifts) == []


def test_fixed_booking_of_an_absent_clinician_is_dropped_and_said():
    data = rota([person("C1"), person("C2")], [DAY], fixed=[FixedBooking("C1", day(2), "DAY")])
    previous = [on(n, "C1") for n in range(7)]
    done = repair(data, previous, Changes((away("C1", 2),)), params=FAST)
    assert done.prepared.dropped_fixed == [FixedBooking("C1", day(2), "DAY")]
    assert done.prepared.data.fixed == ()
    row = next(r for r in done.changes if r.clinician == "C1")
    assert row.reason == f"unavailable on {day(2).isoformat()} (sick); fixed booking dropped"
    assert set(done.result.assignments) - set(previous) == {on(2, "C2")}


def test_absence_lifts_the_minimum_number_of_shifts():
    # C1 must work 5 shifts; off for 4 of the 7 days they could work only 3: the minimum
    # is lifted instead of declaring the rota impossible.
    data = rota([person("C1", min_shifts=5), person("C2")], [DAY])
    previous = [on(n, "C1") for n in range(5)] + [on(5, "C2"), on(6, "C2")]
    prepared = apply_changes(data, Changes((away("C1", 0, 3),)))
    assert prepared.data.clinician("C1").min_shifts == 0
    assert prepared.data.clinician("C2").min_shifts == 0
    done = repair(data, previous, Changes((away("C1", 0, 3),)), params=FAST)
    assert done.result.status in (Status.OPTIMAL, Status.FEASIBLE)
    assert on(4, "C1") in done.result.assignments


def test_frozen_assignment_that_breaks_the_inputs_is_refused():
    data = rota([person("C1"), person("C2", role="ANP")], [DAY])
    previous = [on(0, "C2")]  # wrong role, on a date that can no longer move
    with pytest.raises(OohError, match="before --as-of"):
        repair(data, previous, Changes(), as_of=day(2), params=FAST)


def test_without_previous_solve_is_unchanged():
    from ooh.rota.solve import solve

    data = rota([person("C1"), person("C2"), person("C3", hourly_rate=30.0)], [DAY])
    plain = solve(data, FAST)
    again = solve(data, FAST, previous=None, frozen_before=None)
    assert plain.assignments == again.assignments
    assert plain.objective == again.objective


def checker_instance() -> RotaData:
    lines = [DAY, line("NIGHT", "22:00", "08:00", needed=1, wanted=2)]
    people = [person("C1"), person("C2"), person("C3", max_shifts=4), person("C4")]
    return rota(people, lines, min_rest_hours=11.0)


@lru_cache(maxsize=1)
def checker_previous() -> tuple[Assignment, ...]:
    from ooh.rota.solve import solve

    return tuple(solve(checker_instance(), FAST).assignments)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    absences=st.lists(
        st.tuples(st.sampled_from(["C1", "C2", "C3", "C4"]), st.integers(0, 6), st.integers(0, 3)),
        min_size=1,
        max_size=3,
    ),
    as_of=st.one_of(st.none(), st.integers(0, 6)),
)
def test_repaired_rota_always_passes_the_checker(absences, as_of):
    data = checker_instance()
    previous = list(checker_previous())
    changes = Changes(tuple(away(c, d, min(6, d + n)) for c, d, n in absences))
    frozen = None if as_of is None else day(as_of)
    done = repair(data, previous, changes, as_of=frozen, params=FAST)
    assert done.result.breaches == []
    assert check_rota(done.prepared.data, done.result.assignments, done.prepared.shifts) == []
    for a in previous:  # nothing before as-of moved
        if frozen is not None and a.shift_id < frozen.isoformat():
            assert a in done.result.assignments
    # Minimality: the trivial repair drops only the absent people's shifts. When it leaves no
    # more required places open than the repair does, the repair must be exactly that: no
    # one else moves. And the repair never leaves more required places open.
    by_id = {s.id: s for s in done.prepared.shifts}
    trivial = {
        a for a in previous if (a.clinician, by_id[a.shift_id].date) not in done.prepared.absent
    }
    filled = Counter(a.shift_id for a in trivial)
    trivial_open = sum(max(0, s.type.needed - filled[s.id]) for s in done.prepared.shifts)
    assert done.result.unfilled_required <= trivial_open
    if done.result.unfilled_required == trivial_open:
        assert set(done.result.assignments) == trivial
    assert done.people_changed_unaffected == sorted(
        {a.clinician for a in set(done.result.assignments) ^ set(previous)}
        - {c for c, _ in done.prepared.absent}
    )


# ---- the changes workbook ------------------------------------------------------------------


def _changes_book(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


UNAV = ["Clinician", "From date", "To date", "Reason"]
DEMAND = ["Date", "Shift type", "Needed", "Wanted", "Reason"]
WITHDRAWN = ["Clinician", "From date", "Reason"]


def small() -> RotaData:
    return rota([person("C1"), person("C2")], [DAY, line("WKD", "08:00", "16:00", days={5, 6})])


def test_changes_are_read(tmp_path: Path):
    path = _changes_book(
        tmp_path / "changes.xlsx",
        {
            "Unavailability": [UNAV, ["C1", day(1), None, "sick"], ["C2", day(2), day(4), ""]],
            "New demand": [DEMAND, [day(5), "WKD", 2, None, "fair"]],
            "Withdrawn": [WITHDRAWN, ["C2", day(6), "retired"]],
        },
    )
    got = read_changes(path, small())
    assert [(a.clinician, a.first, a.last, a.reason, a.withdrawn) for a in got.absences] == [
        ("C1", day(1), day(1), "sick", False),
        ("C2", day(2), day(4), "", False),
        ("C2", day(6), day(6), "retired", True),
    ]
    # WKD wants 1: a new Needed of 2 lifts Wanted to 2 as well
    assert [(d.shift_id, d.needed, d.wanted) for d in got.demand] == [(sid(5, "WKD"), 2, 2)]


def test_changes_errors_are_pinned_to_sheet_and_cell(tmp_path: Path):
    path = _changes_book(
        tmp_path / "changes.xlsx",
        {
            "Unavailability": [
                UNAV,
                ["C9", day(1), None, "sick"],  # row 2: unknown clinician
                ["C1", "next week", None, ""],  # row 3: not a date
                ["C1", day(3), day(2), ""],  # row 4: to before from
                ["C1", date(2027, 6, 1), None, ""],  # row 5: outside the period
            ],
            "New demand": [
                DEMAND,
                [day(1), "WKD", 2, 2, ""],  # row 2: WKD does not run on Tuesday
                [day(5), "WKD", 3, 2, ""],  # row 3: wanted below needed
                [day(5), "NOPE", 1, 1, ""],  # row 4: unknown shift type
                [day(6), "WKD", None, None, ""],  # row 5: nothing to change
            ],
            "Withdrawn": [WITHDRAWN, ["C1", date(2026, 1, 1), ""]],  # row 2: outside the period
        },
    )
    with pytest.raises(InputError) as err:
        read_changes(path, small())
    where = {i.where: i.message for i in err.value.issues}
    assert set(where) == {
        "Unavailability!A2",
        "Unavailability!B3",
        "Unavailability!C4",
        "Unavailability!B5",
        "New demand!A2",
        "New demand!D3",
        "New demand!B4",
        "New demand!C5",
        "Withdrawn!B2",
    }
    assert 'unknown clinician "C9"' in where["Unavailability!A2"]
    assert "date" in where["Unavailability!B3"]
    assert where["Unavailability!C4"] == "to date is before from date"
    assert "does not run on Tue" in where["New demand!A2"]
    assert where["New demand!D3"] == "wanted (2) must be at least needed (3)"
    assert 'unknown shift type "NOPE"' in where["New demand!B4"]
    assert "outside the period" in where["Withdrawn!B2"]


def test_changes_workbook_without_any_changes_sheet(tmp_path: Path):
    path = _changes_book(tmp_path / "changes.xlsx", {"Sheet1": [["hello"]]})
    with pytest.raises(OohError, match="no changes sheet found"):
        read_changes(path, small())


def test_template_reads_back_as_no_changes(tmp_path: Path):
    path = write_changes_template(tmp_path / "changes.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["README", "Unavailability", "New demand", "Withdrawn"]
    assert [c.value for c in wb["Unavailability"][1]] == UNAV
    assert read_changes(path, small()) == Changes()


# ---- the command ----------------------------------------------------------------------------


def cli_data() -> RotaData:
    """As in the first test, with rules and limits an input workbook accepts."""
    people = [person("C1"), person("C2", max_shifts=4), person("C3")]
    return rota([replace(p, max_hours_per_week=48.0) for p in people], [DAY], rules=Rules())


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    data = cli_data()
    inputs = tmp_path / "inputs.xlsx"
    write_input_workbook(data, inputs)
    previous = [on(0, "C1"), on(1, "C1"), on(2, "C1")] + [on(n, "C2") for n in (3, 4, 5, 6)]
    rota_path = tmp_path / "rota.xlsx"
    write_rota_workbook(data, Result(Status.OPTIMAL, previous, []), rota_path, {})
    changes = _changes_book(
        tmp_path / "changes.xlsx",
        {"Unavailability": [UNAV, ["C1", day(1), None, "sick"]]},
    )
    return {"inputs": inputs, "rota": rota_path, "changes": changes, "out": tmp_path / "v2.xlsx"}


def _repair_args(f: dict[str, Path], *extra: str) -> list[str]:
    return [
        "rota",
        "repair",
        str(f["inputs"]),
        str(f["rota"]),
        "--changes",
        str(f["changes"]),
        "-o",
        str(f["out"]),
        "--time-limit",
        "5",
        "--workers",
        "1",
        "--quiet",
        *extra,
    ]


def test_cli_repair_writes_rota_with_changes_and_unfilled_sheets(files):
    result = CliRunner().invoke(cli, _repair_args(files, "--json"))
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["people_changed"] == ["C1", "C3"]
    assert summary["breaches"] == []
    wb = openpyxl.load_workbook(files["out"])
    assert wb.sheetnames[:2] == ["Rota", "Changes"]
    assert "Unfilled" in wb.sheetnames
    changes = list(wb["Changes"].iter_rows(values_only=True))
    assert changes[0] == (
        "Date",
        "Shift type",
        "Start",
        "End",
        "Clinician id",
        "Clinician name",
        "Change",
        "Reason",
    )
    assert [(r[4], r[6]) for r in changes[1:]] == [("C1", "removed"), ("C3", "added")]
    assert on(1, "C3") in read_assignments(files["out"], cli_data())
    info = {r[0]: r[1] for r in wb["Run info"].iter_rows(values_only=True)}
    assert info["People whose shifts changed"] == 2
    # no demand changed, so the repaired rota re-checks clean against the original inputs
    check = CliRunner().invoke(cli, ["rota", "check", str(files["inputs"]), str(files["out"])])
    assert check.exit_code == 0, check.output


def test_cli_bad_changes_file_exits_1_naming_the_cell(files):
    _changes_book(files["changes"], {"Unavailability": [UNAV, ["C1", "soon", None, ""]]})
    result = CliRunner().invoke(cli, _repair_args(files))
    assert result.exit_code == 1
    assert "Unavailability!B2" in result.output
    assert not files["out"].exists()


def test_cli_refuses_to_overwrite_an_input_and_needs_changes(files):
    files["out"] = files["rota"]
    result = CliRunner().invoke(cli, _repair_args(files))
    assert result.exit_code == 1
    assert "overwrite an input" in result.output
    missing = CliRunner().invoke(cli, ["rota", "repair", str(files["inputs"]), str(files["rota"])])
    assert missing.exit_code == 2
    assert "--changes" in missing.output


def test_cli_as_of_outside_the_period_exits_1(files):
    result = CliRunner().invoke(cli, _repair_args(files, "--as-of", "2030-01-01"))
    assert result.exit_code == 1
    assert "outside the rota period" in result.output


def test_cli_exits_1_when_the_checker_finds_a_breach(files, monkeypatch):
    # The checker has the last word: a breach it reports fails the command (and is listed).
    import ooh.rota.check as check
    from ooh.rota.data import Breach

    def fake(data, assignments, shifts=None):
        return [Breach("min-rest", "C3", (day(1),), "C3 has too little rest")]

    monkeypatch.setattr(check, "check_rota", fake)
    result = CliRunner().invoke(cli, _repair_args(files, "--json"))
    assert result.exit_code == 1
    assert json.loads(result.stdout)["breaches"] == ["min-rest: C3 has too little rest"]


def test_cli_template_changes(tmp_path: Path):
    out = tmp_path / "changes.xlsx"
    result = CliRunner().invoke(cli, ["template", "changes", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert read_changes(out, small()) == Changes()


def test_cli_as_of_keeps_the_past_and_marks_past_gaps(files):
    # The published rota left Monday open; as of Wednesday the sick day (Tuesday) is
    # history: nothing changes, and Monday's open place is marked as past on Unfilled.
    previous = [on(n, "C1") for n in (1, 2)] + [on(n, "C2") for n in (3, 4, 5, 6)]
    write_rota_workbook(cli_data(), Result(Status.OPTIMAL, previous, []), files["rota"], {})
    result = CliRunner().invoke(cli, _repair_args(files, "--json", "--as-of", day(2).isoformat()))
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["people_changed"] == [] and summary["changes"] == []
    assert sorted(read_assignments(files["out"], cli_data()), key=str) == sorted(previous, key=str)
    unfilled = list(openpyxl.load_workbook(files["out"])["Unfilled"].iter_rows(values_only=True))
    assert len(unfilled) == 2  # header and Monday
    assert unfilled[1][9].startswith(f"already past (before {day(2).isoformat()}): ")
