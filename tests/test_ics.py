"""Clinicians' calendars: every event parsed back with icalendar and checked against the rota,
nights across both clock changes, stable UIDs, both input forms, and the CLI."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from icalendar import Calendar
from rota_check_helpers import sid

from ooh.cli import cli
from ooh.errors import InputError, OohError
from ooh.rota.calendar import build_shifts
from ooh.rota.cli_ics import calendars_after_solve
from ooh.rota.data import (
    Assignment,
    Clinician,
    Practice,
    Result,
    RotaData,
    Settings,
    ShiftType,
    Site,
    Status,
)
from ooh.rota.ics import (
    LONDON,
    CalendarShift,
    export_calendars,
    file_names,
    read_rota_shifts,
    sequence_for,
    shift_uid,
)
from ooh.rota.io import write_input_workbook
from ooh.rota.output import write_rota_workbook

ALL_DAYS = frozenset(range(7))
STAMP = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


def line(id: str, name: str, start: time, end: time, site: str) -> ShiftType:
    return ShiftType(
        id=id, site=site, role="GP", start=start, end=end, days=ALL_DAYS, bank_holidays=True,
        name=name,
    )  # fmt: skip


NIGHT = line("NIGHT", "Night GP", time(23, 0), time(8, 0), "BASE-A")
EVE = line("EVE", "Evening base GP", time(18, 30), time(23, 0), "BASE-B")


def data_from(monday: date) -> RotaData:
    """One week from ``monday``; two member GPs and a locum; two sites with postcodes."""
    return RotaData(
        settings=Settings(period_start=monday, weeks=1),
        practices=(Practice("P1", "Alpha Surgery", 6000), Practice("P2", "Beta Practice", 4000)),
        sites=(Site("BASE-A", "Base A", "ZZ1 1AA"), Site("BASE-B", "Base B", "ZZ2 2BB")),
        clinicians=(
            Clinician("C01", "Dr Ash", "P1", "GP", hourly_rate=100.0),
            Clinician("C02", "Dr Birch", "P2", "GP", hourly_rate=100.0),
            Clinician("L1", "Locum One", None, "GP", hourly_rate=150.0, is_locum=True),
        ),
        shift_types=(NIGHT, EVE),
    )


OCTOBER = date(2026, 10, 19)  # Monday; clocks go back at 02:00 BST on Sunday 25 October 2026
MARCH = date(2027, 3, 22)  # Monday; clocks go forward at 01:00 GMT on Sunday 28 March 2027


def october_rota() -> list[Assignment]:
    def on(n: int) -> date:
        return OCTOBER + timedelta(days=n)

    return [
        Assignment(sid(on(0), "NIGHT"), "C01"),  # Mon night: 9 h
        Assignment(sid(on(5), "NIGHT"), "C01"),  # Sat 24th night: 10 h
        Assignment(sid(on(2), "EVE"), "C02"),  # Wed evening: 4.5 h
        Assignment(sid(on(6), "EVE"), "C02"),  # Sun 25th evening: 4.5 h
        Assignment(sid(on(3), "NIGHT"), "L1"),  # Thu night: 9 h
    ]


def write_rota(data: RotaData, rota: list[Assignment], path: Path) -> Path:
    write_rota_workbook(data, Result(Status.FEASIBLE, list(rota), []), path, {})
    return path


def parse(path: Path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


def events_by_uid(path: Path) -> dict[str, Any]:
    return {str(e["UID"]): e for e in parse(path).walk("VEVENT")}


def utc_hours(event: Any) -> float:
    start = event.decoded("DTSTART").astimezone(UTC)
    end = event.decoded("DTEND").astimezone(UTC)
    return (end - start).total_seconds() / 3600


@pytest.fixture
def october(tmp_path: Path) -> tuple[Path, Path]:
    data = data_from(OCTOBER)
    inputs = tmp_path / "inputs.xlsx"
    write_input_workbook(data, inputs)
    return inputs, write_rota(data, october_rota(), tmp_path / "rota.xlsx")


# Expected events written out by hand: clinician -> [(start local, end local, hours, summary,
# location, practice text)].
Moment = tuple[int, int, int, int, int]
Expected = tuple[Moment, Moment, float, str, str, str]
EXPECTED: dict[str, list[Expected]] = {
    "C01": [
        ((2026, 10, 19, 23, 0), (2026, 10, 20, 8, 0), 9, "Night GP (GP)", "Base A, ZZ1 1AA",
         "Alpha Surgery (P1)"),
        ((2026, 10, 24, 23, 0), (2026, 10, 25, 8, 0), 10, "Night GP (GP)", "Base A, ZZ1 1AA",
         "Alpha Surgery (P1)"),
    ],
    "C02": [
        ((2026, 10, 21, 18, 30), (2026, 10, 21, 23, 0), 4.5, "Evening base GP (GP)",
         "Base B, ZZ2 2BB", "Beta Practice (P2)"),
        ((2026, 10, 25, 18, 30), (2026, 10, 25, 23, 0), 4.5, "Evening base GP (GP)",
         "Base B, ZZ2 2BB", "Beta Practice (P2)"),
    ],
    "L1": [
        ((2026, 10, 22, 23, 0), (2026, 10, 23, 8, 0), 9, "Night GP (GP)", "Base A, ZZ1 1AA",
         "locum"),
    ],
}  # fmt: skip


@pytest.mark.parametrize("form", ["rota alone", "inputs and rota"])
def test_every_event_matches_the_rota(
    october: tuple[Path, Path], tmp_path: Path, form: str
) -> None:
    inputs, rota = october
    data = data_from(OCTOBER) if form == "inputs and rota" else None
    out = tmp_path / "calendars"
    exported = export_calendars(rota, out, data=data, stamp=STAMP)
    assert [p.name for p in exported.files] == ["C01.ics", "C02.ics", "L1.ics"]
    assert exported.shifts == 5
    assert sorted(p.name for p in out.iterdir()) == ["C01.ics", "C02.ics", "L1.ics"]
    for clinician, expected in EXPECTED.items():
        cal = parse(out / f"{clinician}.ics")
        events = list(cal.walk("VEVENT"))
        assert len(events) == len(expected), clinician
        for event, (start, end, hours, summary, location, practice) in zip(
            events, expected, strict=True
        ):
            dtstart, dtend = event.decoded("DTSTART"), event.decoded("DTEND")
            assert dtstart == datetime(*start, tzinfo=LONDON)
            assert dtend == datetime(*end, tzinfo=LONDON)
            assert (dtstart.tzinfo.key, dtend.tzinfo.key) == ("Europe/London",) * 2
            assert event["DTSTART"].params["TZID"] == "Europe/London"
            assert utc_hours(event) == hours
            assert str(event["SUMMARY"]) == summary
            assert str(event["LOCATION"]) == location
            shift = sid(date(*start[:3]), "NIGHT" if "Night" in summary else "EVE")
            assert str(event["UID"]) == shift_uid(clinician, shift)
            description = str(event["DESCRIPTION"])
            assert f"Practice: {practice}" in description
            assert f"Hours: {hours:g}" in description
            assert f"Shift: {shift}" in description
            assert event.decoded("DTSTAMP") == STAMP
            assert event["SEQUENCE"] == sequence_for(STAMP)
        assert str(cal["X-WR-CALNAME"]).endswith(
            {"C01": "Dr Ash", "C02": "Dr Birch", "L1": "Locum One"}[clinician]
        )


def test_night_over_the_october_clock_change_is_ten_hours(october: tuple[Path, Path]) -> None:
    _, rota = october
    out = rota.parent / "cal"
    export_calendars(rota, out, stamp=STAMP)
    night = events_by_uid(out / "C01.ics")[shift_uid("C01", "2026-10-24/NIGHT")]
    # 23:00 BST is 22:00 UTC; 08:00 GMT is 08:00 UTC: ten hours, not nine.
    assert night.decoded("DTSTART").astimezone(UTC) == datetime(2026, 10, 24, 22, 0, tzinfo=UTC)
    assert night.decoded("DTEND").astimezone(UTC) == datetime(2026, 10, 25, 8, 0, tzinfo=UTC)
    assert utc_hours(night) == 10
    assert "Hours: 10 (the clocks go back an hour during this shift)" in str(night["DESCRIPTION"])


def test_vtimezone_onsets_follow_rfc5545_and_zoneinfo(october: tuple[Path, Path]) -> None:
    _, rota = october
    out = rota.parent / "cal"
    export_calendars(rota, out, stamp=STAMP)
    (zone,) = parse(out / "C01.ics").walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/London"
    parts = [
        (c.name, c.decoded("DTSTART"), c.decoded("TZOFFSETFROM"), c.decoded("TZOFFSETTO"))
        for c in zone.subcomponents
    ]
    hour = timedelta(hours=1)
    # Onsets are wall-clock times in the offset before the change (RFC 5545 3.6.5):
    # summer time starts at 01:00 GMT, winter time at 02:00 BST.
    assert ("DAYLIGHT", datetime(2026, 3, 29, 1, 0), timedelta(0), hour) in parts
    assert ("STANDARD", datetime(2026, 10, 25, 2, 0), hour, timedelta(0)) in parts
    # The first observance starts 1 January of the year before the shifts; every change from
    # then to the end of the year after is there, and each agrees with zoneinfo.
    assert parts[0] == ("STANDARD", datetime(2025, 1, 1), timedelta(0), timedelta(0))
    changes = parts[1:]
    assert len(changes) == 6  # spring and autumn of 2025, 2026 and 2027
    for _name, onset, before, after in changes:
        instant = (onset - before).replace(tzinfo=UTC)
        assert (instant - timedelta(seconds=1)).astimezone(LONDON).utcoffset() == before
        assert instant.astimezone(LONDON).utcoffset() == after


def test_night_over_the_march_clock_change_is_eight_hours(tmp_path: Path) -> None:
    data = data_from(MARCH)
    rota = [Assignment("2027-03-27/NIGHT", "C02"), Assignment("2027-03-28/NIGHT", "C02")]
    path = write_rota(data, rota, tmp_path / "rota.xlsx")
    out = tmp_path / "cal"
    export_calendars(path, out, stamp=STAMP)
    events = events_by_uid(out / "C02.ics")
    change = events[shift_uid("C02", "2027-03-27/NIGHT")]
    # 23:00 GMT is 23:00 UTC; 08:00 BST is 07:00 UTC: eight hours.
    assert change.decoded("DTSTART").astimezone(UTC) == datetime(2027, 3, 27, 23, 0, tzinfo=UTC)
    assert change.decoded("DTEND").astimezone(UTC) == datetime(2027, 3, 28, 7, 0, tzinfo=UTC)
    assert utc_hours(change) == 8
    assert "clocks go forward" in str(change["DESCRIPTION"])
    after = events[shift_uid("C02", "2027-03-28/NIGHT")]
    assert utc_hours(after) == 9  # 22:00 to 07:00 UTC, both in BST


def test_hours_count_the_clock_change_and_read_doubled_times_as_first() -> None:
    def shift(start: datetime, end: datetime) -> CalendarShift:
        return CalendarShift(
            "C01", "Dr Ash", "x", "L", "L", "GP", "S", "S", None, None, None, start, end
        )

    # 01:00-03:00 on 25 October 2026: 01:00 happens twice and is read as the first (BST),
    # so the shift lasts 01:00 BST (00:00 UTC) to 03:00 GMT (03:00 UTC): 3 hours.
    autumn = shift(datetime(2026, 10, 25, 1, 0), datetime(2026, 10, 25, 3, 0))
    assert autumn.start_local.utcoffset() == timedelta(hours=1)
    assert autumn.hours == 3
    # 00:30-03:00 on 28 March 2027: 00:30 GMT (00:30 UTC) to 03:00 BST (02:00 UTC): 1.5 hours.
    spring = shift(datetime(2027, 3, 28, 0, 30), datetime(2027, 3, 28, 3, 0))
    assert spring.hours == 1.5
    # A day in summer: no change, wall-clock hours.
    assert shift(datetime(2026, 7, 1, 8, 0), datetime(2026, 7, 1, 18, 30)).hours == 10.5


def test_uids_are_stable_and_same_stamp_gives_identical_files(
    october: tuple[Path, Path], tmp_path: Path
) -> None:
    _, rota = october
    first = export_calendars(rota, tmp_path / "a", stamp=STAMP)
    again = export_calendars(rota, tmp_path / "b", stamp=STAMP)
    for p, q in zip(first.files, again.files, strict=True):
        assert p.read_bytes() == q.read_bytes()

    # An updated rota, written later: C02 takes Monday's night from C01.
    data = data_from(OCTOBER)
    updated = [a for a in october_rota() if a.shift_id != "2026-10-19/NIGHT"]
    updated.append(Assignment("2026-10-19/NIGHT", "C02"))
    v2 = write_rota(data, updated, tmp_path / "rota-v2.xlsx")
    later = STAMP + timedelta(days=3)
    second = export_calendars(v2, tmp_path / "v2", stamp=later)
    before = {p.name: events_by_uid(p) for p in first.files}
    after = {p.name: events_by_uid(p) for p in second.files}
    # C01 keeps the Saturday night under the same UID; the moved night has C02's UID.
    assert set(after["C01.ics"]) == {shift_uid("C01", "2026-10-24/NIGHT")}
    assert set(after["C01.ics"]) < set(before["C01.ics"])
    assert set(after["C02.ics"]) == set(before["C02.ics"]) | {shift_uid("C02", "2026-10-19/NIGHT")}
    assert set(after["L1.ics"]) == set(before["L1.ics"])
    # The later rota's events carry a higher sequence number, so they supersede.
    kept = shift_uid("C02", "2026-10-21/EVE")
    assert after["C02.ics"][kept]["SEQUENCE"] > before["C02.ics"][kept]["SEQUENCE"]
    assert sequence_for(later) - sequence_for(STAMP) == 3 * 24 * 60


def test_uid_depends_on_clinician_and_shift_only() -> None:
    assert shift_uid("C01", "2026-10-24/NIGHT") == shift_uid("C01", "2026-10-24/NIGHT")
    uids = {
        shift_uid("C01", "2026-10-24/NIGHT"),
        shift_uid("C02", "2026-10-24/NIGHT"),
        shift_uid("C01", "2026-10-25/NIGHT"),
        shift_uid("C01", "2026-10-24/EVE"),
    }
    assert len(uids) == 4


def test_stamp_defaults_to_when_the_rota_was_written(october: tuple[Path, Path]) -> None:
    _, rota = october
    wb = openpyxl.load_workbook(rota)
    info = {r[0]: r[1] for r in wb["Run info"].iter_rows(values_only=True)}
    out = rota.parent / "cal"
    export_calendars(rota, out)
    for event in parse(out / "C01.ics").walk("VEVENT"):
        assert event.decoded("DTSTAMP") == info["Written at (UTC)"].replace(tzinfo=UTC)

    # Written with --deterministic, the rota records no time: a fixed stamp, same files.
    row = next(r for r in wb["Run info"].iter_rows() if r[0].value == "Written at (UTC)")
    row[1].value = "not recorded (--deterministic)"
    wb.save(rota)
    first = export_calendars(rota, rota.parent / "d1").files
    second = export_calendars(rota, rota.parent / "d2").files
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    event = parse(first[0]).walk("VEVENT")[0]
    assert event.decoded("DTSTAMP") == datetime(2020, 1, 1, tzinfo=UTC)
    assert event["SEQUENCE"] == 0

    # Made by hand, with no Run info: stamped now.
    del wb["Run info"]
    wb.save(rota)
    before = datetime.now(UTC).replace(microsecond=0)
    hand = export_calendars(rota, rota.parent / "hand").files
    stamp = parse(hand[0]).walk("VEVENT")[0].decoded("DTSTAMP")
    assert before <= stamp <= datetime.now(UTC)


def test_assignments_sheet_carries_names_and_postcodes(october: tuple[Path, Path]) -> None:
    _, rota = october
    rows = list(openpyxl.load_workbook(rota)["Assignments"].iter_rows(values_only=True))
    header = list(rows[0])
    assert header[-4:] == ["Shift line", "Site name", "Postcode", "Practice name"]
    locum = next(r for r in rows[1:] if r[header.index("Clinician id")] == "L1")
    assert locum[-4:] == ("Night GP", "Base A", "ZZ1 1AA", None)


# ---- hand-edited rota workbooks -------------------------------------------------------------


def edit(path: Path, cells: dict[str, object]) -> None:
    wb = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        wb["Assignments"][ref] = value
    wb.save(path)


def test_row_added_by_hand_needs_times_or_the_inputs(
    october: tuple[Path, Path], tmp_path: Path
) -> None:
    inputs, rota = october
    n = openpyxl.load_workbook(rota)["Assignments"].max_row + 1
    # Only date, shift type and clinician id, as `ooh rota check` accepts.
    edit(rota, {f"A{n}": date(2026, 10, 20), f"B{n}": "EVE", f"G{n}": "C01"})
    with pytest.raises(InputError) as err:
        read_rota_shifts(rota)
    assert f"Assignments!C{n}" in str(err.value) and f"Assignments!D{n}" in str(err.value)
    assert "inputs workbook" in str(err.value)
    # With the inputs, times come from the shift line.
    exported = export_calendars(rota, tmp_path / "cal", data=data_from(OCTOBER), stamp=STAMP)
    added = events_by_uid(exported.files[0])[shift_uid("C01", "2026-10-20/EVE")]
    assert added.decoded("DTSTART") == datetime(2026, 10, 20, 18, 30, tzinfo=LONDON)
    assert exported.shifts == 6


def test_start_on_another_date_and_end_before_start_are_reported(
    october: tuple[Path, Path],
) -> None:
    _, rota = october
    edit(rota, {"C2": datetime(2026, 10, 18, 23, 0), "D3": datetime(2026, 1, 1, 0, 0)})
    with pytest.raises(InputError) as err:
        read_rota_shifts(rota)
    text = str(err.value)
    assert "Assignments!C2: start 2026-10-18 23:00 is not on 2026-10-19" in text
    assert "Assignments!D3: end 2026-01-01 00:00 is not after the start" in text


def test_times_saved_by_excel_a_hair_early_round_to_the_minute(october: tuple[Path, Path]) -> None:
    _, rota = october
    early = datetime(2026, 10, 19, 22, 59, 59, 999000)
    edit(rota, {"C2": early, "D2": "2026-10-20 08:00"})
    first = read_rota_shifts(rota)[0]
    assert (first.start, first.end) == (datetime(2026, 10, 19, 23, 0), datetime(2026, 10, 20, 8, 0))


def test_missing_time_columns_point_to_the_inputs_form(october: tuple[Path, Path]) -> None:
    _, rota = october
    wb = openpyxl.load_workbook(rota)
    wb["Assignments"].delete_cols(3, 2)  # Start and End
    wb.save(rota)
    with pytest.raises(InputError) as err:
        read_rota_shifts(rota)
    assert 'no "Start" column' in str(err.value)
    assert "ooh rota ics inputs.xlsx rota.xlsx" in str(err.value)


def test_shift_outside_the_inputs_period_is_an_error(october: tuple[Path, Path]) -> None:
    _, rota = october
    with pytest.raises(OohError, match="not in the period of the inputs workbook"):
        export_calendars(rota, rota.parent / "cal", data=data_from(MARCH), stamp=STAMP)


# ---- file names and the folder --------------------------------------------------------------


def test_file_names_are_safe_and_distinct() -> None:
    names = file_names(["GP/01", "a b", "CON", "x", "X", "../etc"])
    assert names["GP/01"] == "GP-01.ics"
    assert names["a b"] == "a-b.ics"
    assert names["CON"] == "CON_.ics"
    assert names["../etc"] == "etc.ics"
    assert names["x"] != names["X"] and names["x"].casefold() != names["X"].casefold()
    assert names["x"].startswith("x-") and names["x"].endswith(".ics")
    assert len(set(names.values())) == 6


def test_output_folder_that_is_a_file_is_refused(october: tuple[Path, Path]) -> None:
    _, rota = october
    blocker = rota.parent / "calendars"
    blocker.write_text("not a folder")
    with pytest.raises(OohError, match="is a file"):
        export_calendars(rota, blocker, stamp=STAMP)
    assert blocker.read_text() == "not a folder"


# ---- command line ---------------------------------------------------------------------------


def test_ics_command_both_forms_and_exit_codes(october: tuple[Path, Path]) -> None:
    inputs, rota = october
    runner = CliRunner()
    out = rota.parent / "calendars"
    ok = runner.invoke(
        cli, ["rota", "ics", str(rota), "-o", str(out), "--stamp", "2026-10-01T09:00:00Z"]
    )
    assert ok.exit_code == 0, ok.output
    assert "3 calendar file(s)" in ok.output and "5 shift(s)" in ok.output
    first = {p.name: p.read_bytes() for p in out.iterdir()}

    both = runner.invoke(
        cli, ["rota", "ics", str(inputs), str(rota), "-o", str(out), "--stamp", "2026-10-01T09:00"]
    )
    assert both.exit_code == 0, both.output
    # The same rota gives the same calendars from either form.
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first

    as_json = runner.invoke(cli, ["rota", "ics", str(rota), "-o", str(out), "--json"])
    assert as_json.exit_code == 0
    payload = json.loads(as_json.stdout)
    assert payload["shifts"] == 5 and len(payload["files"]) == 3

    (out / "OLD.ics").write_text("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    noted = runner.invoke(cli, ["rota", "ics", str(rota), "-o", str(out)])
    assert noted.exit_code == 0
    assert "OLD.ics" in noted.output and (out / "OLD.ics").exists()

    blocker = rota.parent / "file.txt"
    blocker.write_text("x")
    refused = runner.invoke(cli, ["rota", "ics", str(rota), "-o", str(blocker)])
    assert refused.exit_code == 1 and "is a file" in refused.output
    missing = runner.invoke(cli, ["rota", "ics", str(rota.parent / "nope.xlsx"), "-o", str(out)])
    assert missing.exit_code == 1 and "file not found" in missing.output
    bad_stamp = runner.invoke(cli, ["rota", "ics", str(rota), "-o", str(out), "--stamp", "soon"])
    assert bad_stamp.exit_code == 1 and "--stamp" in bad_stamp.output
    too_many = runner.invoke(cli, ["rota", "ics", str(inputs), str(rota), str(rota)])
    assert too_many.exit_code == 2
    swapped = runner.invoke(cli, ["rota", "ics", str(rota), str(inputs), "-o", str(out)])
    assert swapped.exit_code == 1 and "Traceback" not in swapped.output


def test_solve_writes_calendars_with_the_rota(tmp_path: Path) -> None:
    data = data_from(OCTOBER)
    inputs = tmp_path / "inputs.xlsx"
    write_input_workbook(data, inputs)
    out, cal = tmp_path / "rota.xlsx", tmp_path / "calendars"
    args = ["rota", "solve", str(inputs), "-o", str(out), "--time-limit", "5", "--workers", "1"]
    result = CliRunner().invoke(cli, [*args, "--quiet", "--json", "--ics-dir", str(cal)])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    from ooh.rota.output import read_assignments

    rota = read_assignments(out, data)
    people = sorted({a.clinician for a in rota})
    assert summary["calendars"] == len(people) > 0
    assert sorted(p.name for p in cal.iterdir()) == [f"{c}.ics" for c in people]
    shifts = {s.id: s for s in build_shifts(data)}
    for c in people:
        events = events_by_uid(cal / f"{c}.ics")
        mine = [a.shift_id for a in rota if a.clinician == c]
        assert set(events) == {shift_uid(c, s) for s in mine}
        for s in mine:
            event = events[shift_uid(c, s)]
            assert event.decoded("DTSTART") == shifts[s].start.replace(tzinfo=LONDON)


def test_no_calendars_for_a_rota_that_breaks_hard_rules(october: tuple[Path, Path]) -> None:
    inputs, rota = october
    out = rota.parent / "cal"
    summary = {"breaches": ["min-rest: C01 ..."]}
    assert calendars_after_solve(data_from(OCTOBER), rota, out, summary) is None
    assert not out.exists()
    assert calendars_after_solve(data_from(OCTOBER), rota, out, {"breaches": []}) == 3
    assert len(list(out.glob("*.ics"))) == 3


def test_solve_refuses_a_calendar_folder_that_is_a_file_before_solving(tmp_path: Path) -> None:
    data = data_from(OCTOBER)
    inputs = tmp_path / "inputs.xlsx"
    write_input_workbook(data, inputs)
    blocker = tmp_path / "calendars"
    blocker.write_text("x")
    out = tmp_path / "rota.xlsx"
    result = CliRunner().invoke(
        cli, ["rota", "solve", str(inputs), "-o", str(out), "--ics-dir", str(blocker), "--quiet"]
    )
    assert result.exit_code == 1
    assert "is a file" in result.output
    assert not out.exists()
