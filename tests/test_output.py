"""The rota workbook: sheets and key cells, reading the Assignments sheet back (as edited by
hand), `ooh rota check` exit codes, and solve-and-write end to end on a tiny instance."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from rota_check_helpers import MONDAY, clinician, rota_data, shift_type, sid

from ooh.cli import cli
from ooh.errors import InputError, OohError
from ooh.excel import GAP_FILL, SOFT_FILL
from ooh.rota.check import check_rota
from ooh.rota.data import (
    UNAVAILABLE,
    Assignment,
    FixedBooking,
    Result,
    RotaData,
    Status,
)
from ooh.rota.io import write_input_workbook
from ooh.rota.output import SHEETS, read_assignments, write_rota_workbook
from ooh.rota.run import solve_and_write


def day(n: int) -> date:
    return MONDAY + timedelta(days=n)


def small_data() -> RotaData:
    """One week, EVE/NIGHT/DAY lines; two member GPs (P1 6,000 and P2 4,000 patients) and a
    locum at £150/h."""
    return rota_data(
        [
            clinician("C01"),
            clinician("C02", practice="P2"),
            clinician("L1", name="Locum One", practice=None, is_locum=True, hourly_rate=150.0),
        ],
        weeks=1,
    )


ROTA = [
    Assignment(sid(MONDAY, "DAY"), "L1"),  # 10h30 at £150
    Assignment(sid(MONDAY, "EVE"), "C02"),  # 4h30 at £100
    Assignment(sid(MONDAY, "NIGHT"), "C01"),  # 9h at £100
]


@pytest.fixture
def written(tmp_path: Path) -> Path:
    path = tmp_path / "rota.xlsx"
    result = Result(Status.OPTIMAL, list(ROTA), [], objective=12.5, bound=12.5, runtime=0.5)
    write_rota_workbook(small_data(), result, path, {"Input file": "inputs.xlsx"})
    return path


def sheet_rows(path: Path, sheet: str) -> list[tuple[object, ...]]:
    wb = openpyxl.load_workbook(path)
    return list(wb[sheet].iter_rows(values_only=True))


def run_info(path: Path) -> dict[object, object]:
    return {row[0]: row[1] for row in sheet_rows(path, "Run info")}


def test_sheets_and_round_trip(written: Path) -> None:
    wb = openpyxl.load_workbook(written)
    assert tuple(wb.sheetnames) == SHEETS
    assert sorted(read_assignments(written, small_data()), key=str) == sorted(ROTA, key=str)
    for name in SHEETS:
        assert wb[name].freeze_panes is not None, name


def test_rota_sheet_names_and_highlighted_gaps(tmp_path: Path) -> None:
    eve = shift_type("EVE", time(18, 30), time(23, 0), needed=1, wanted=2)
    data = rota_data([clinician("C01")], [eve], weeks=1)
    rota = [Assignment(sid(day(0), "EVE"), "C01")]
    path = tmp_path / "rota.xlsx"
    write_rota_workbook(data, Result(Status.FEASIBLE, rota, []), path, {})
    ws = openpyxl.load_workbook(path)["Rota"]
    assert ws["A1"].value == "Date" and ws["C1"].value == "EVE\n18:30-23:00"
    # Monday: C01 plus one open target place; Tuesday: a required gap and a target place.
    assert ws["C2"].value == "Dr C01\n(open)"
    assert ws["C2"].fill.fgColor.rgb == SOFT_FILL.fgColor.rgb
    assert ws["C3"].value == "UNFILLED\n(open)"
    assert ws["C3"].fill.fgColor.rgb == GAP_FILL.fgColor.rgb
    unfilled = openpyxl.load_workbook(path)["Unfilled"]
    kinds = [row[8] for row in unfilled.iter_rows(min_row=2, values_only=True)]
    # Monday's target place, then Tuesday to Sunday: one required and one target each.
    assert kinds == ["target"] + ["required", "target"] * 6
    assert unfilled["A2"].fill.fgColor.rgb == SOFT_FILL.fgColor.rgb
    assert unfilled["A3"].fill.fgColor.rgb == GAP_FILL.fgColor.rgb
    assert "could work it without breaking a hard rule" in str(unfilled["J3"].value)


def test_assignments_practice_cost_and_run_info_cells(written: Path) -> None:
    assignments = sheet_rows(written, "Assignments")
    assert assignments[0][:7] == (
        "Date",
        "Shift type",
        "Start",
        "End",
        "Site",
        "Role",
        "Clinician id",
    )
    night = next(r for r in assignments if r[1] == "NIGHT")
    # Crosses midnight: ends Tuesday 08:00; 9 h at £100.
    assert night[3] == datetime(2027, 1, 5, 8, 0)
    assert (night[6], night[9], night[10], night[13]) == ("C01", 9, "yes", 900)

    practices = sheet_rows(written, "Practice contribution")
    # Member hours 13.5 (C01 9 h for P1, C02 4.5 h for P2; the locum does not count).
    # P1 has 60% of the list: fair share 8.1 h, worked 9 h (66.67%), +0.9 h, +6.67 points.
    assert practices[1] == ("P1", "Alpha Surgery", 6000, 60, 1, 9, 66.67, 8.1, 0.9, 6.67)
    assert practices[2] == ("P2", "Beta Practice", 4000, 40, 1, 4.5, 33.33, 5.4, -0.9, -6.67)

    cost = sheet_rows(written, "Cost")
    groups = {
        row[0]: row[1:5]
        for row in cost
        if row[0] in ("Member practices", "Locum / agency", "Total")
    }
    # Members 900 + 450 = £1,350; locum 10.5 h x £150 = £1,575; total £2,925.
    assert groups["Member practices"] == (13.5, 1350, 0, 46.15)
    assert groups["Locum / agency"] == (10.5, 1575, 0, 53.85)
    assert groups["Total"] == (24, 2925, 0, 100)

    info = run_info(written)
    assert info["Status"] == "optimal"
    assert info["Objective (points)"] == 12.5
    assert info["Assignments"] == 3
    assert info["Unfilled required places"] == 18  # 21 shifts in the week, 3 filled
    assert info["Input file"] == "inputs.xlsx"


def test_clinician_summary_against_limits(written: Path) -> None:
    rows = sheet_rows(written, "Clinician summary")
    header = rows[0]
    c01 = dict(zip(header, rows[1], strict=True))
    assert (c01["Clinician id"], c01["Shifts"], c01["Hours"], c01["Nights"]) == ("C01", 1, 9, 1)
    assert c01["Max hours per 7 days"] == 48
    assert c01["Dates offered"] == 7 and c01["Dates worked"] == 1


# ---- reading back ---------------------------------------------------------------------------


def edit(path: Path, cells: dict[str, object], sheet: str = "Assignments") -> None:
    wb = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        wb[sheet][ref] = value
    wb.save(path)


def test_clinician_id_is_authoritative_and_blank_id_is_an_open_place(written: Path) -> None:
    rows = sheet_rows(written, "Assignments")
    night_row = next(i for i, r in enumerate(rows, start=1) if r[1] == "NIGHT")
    eve_row = next(i for i, r in enumerate(rows, start=1) if r[1] == "EVE")
    # Name left as "Dr C01"; the id says C02.
    edit(written, {f"G{night_row}": "C02", f"G{eve_row}": None})
    got = read_assignments(written, small_data())
    assert sorted(got, key=str) == sorted(
        [Assignment(sid(MONDAY, "DAY"), "L1"), Assignment(sid(MONDAY, "NIGHT"), "C02")], key=str
    )


def test_bad_rows_are_all_reported_with_their_cells(written: Path) -> None:
    edit(
        written,
        {
            "A2": "next tuesday",
            "B3": "NOPE",
            "G4": "C99",
            "A5": "2027-01-05",
            "B5": "EVE",
            "G5": "C01",
        },
    )
    with pytest.raises(InputError) as err:
        read_assignments(written, small_data())
    wheres = [issue.where for issue in err.value.issues]
    assert wheres == ["Assignments!A2", "Assignments!B3", "Assignments!G4"]
    text = str(err.value)
    assert 'date must be a date (YYYY-MM-DD), got "next tuesday"' in text
    assert 'unknown shift type "NOPE"' in text
    assert 'unknown clinician id "C99"' in text


def test_missing_sheet_column_or_file(tmp_path: Path, written: Path) -> None:
    edit(written, {"G1": "Who"})
    with pytest.raises(InputError, match='no "Clinician id" column'):
        read_assignments(written, small_data())
    wb = openpyxl.Workbook()
    wb.active.title = "Something"
    wb.save(tmp_path / "other.xlsx")
    with pytest.raises(InputError, match="Assignments: sheet missing"):
        read_assignments(tmp_path / "other.xlsx", small_data())
    with pytest.raises(OohError, match="file not found"):
        read_assignments(tmp_path / "absent.xlsx", small_data())
    (tmp_path / "text.xlsx").write_text("not a workbook")
    with pytest.raises(OohError, match=r"text.xlsx: is not an Excel \.xlsx workbook"):
        read_assignments(tmp_path / "text.xlsx", small_data())


def test_dates_typed_as_text_and_numeric_ids(tmp_path: Path) -> None:
    data = rota_data([clinician("101")], weeks=1)
    path = tmp_path / "rota.xlsx"
    write_rota_workbook(
        data, Result(Status.FEASIBLE, [Assignment(sid(day(0), "EVE"), "101")], []), path, {}
    )
    edit(path, {"A2": "06/01/2027", "G2": 101})  # a UK date typed as text; the id as a number
    assert read_assignments(path, data) == [Assignment(sid(day(2), "EVE"), "101")]


# ---- ooh rota check ------------------------------------------------------------------------


def test_check_command_exit_codes(tmp_path: Path, written: Path) -> None:
    data = small_data()
    inputs = tmp_path / "inputs.xlsx"
    write_input_workbook(data, inputs)
    runner = CliRunner()
    ok = runner.invoke(cli, ["rota", "check", str(inputs), str(written)])
    assert ok.exit_code == 0, ok.output
    assert "OK: 3 assignments break no hard rule" in ok.output

    # By hand: C01 also takes Tuesday's DAY shift, starting as Monday's night ends.
    rows = sheet_rows(written, "Assignments")
    n = len(rows) + 1
    edit(written, {f"A{n}": day(1), f"B{n}": "DAY", f"G{n}": "C01"})
    bad = runner.invoke(cli, ["rota", "check", str(inputs), str(written)])
    assert bad.exit_code == 1
    assert "min-rest: C01 Dr C01 has only 0h00 rest between NIGHT on Mon 2027-01-04" in bad.output
    as_json = runner.invoke(cli, ["rota", "check", "--json", str(inputs), str(written)])
    assert as_json.exit_code == 1
    payload = json.loads(as_json.stdout)
    assert [(b["rule"], b["clinician"], b["dates"]) for b in payload] == [
        ("min-rest", "C01", ["2027-01-04", "2027-01-05"])
    ]

    edit(written, {f"A{n}": "someday"})
    unreadable = runner.invoke(cli, ["rota", "check", str(inputs), str(written)])
    assert unreadable.exit_code == 1
    assert f"Assignments!A{n}" in unreadable.output


# ---- solve and write -----------------------------------------------------------------------


def test_solve_and_write_end_to_end(tmp_path: Path) -> None:
    data = small_data()
    inputs = tmp_path / "inputs.xlsx"
    write_input_workbook(data, inputs)
    out = tmp_path / "rota.xlsx"
    summary = solve_and_write(data, inputs, out, time_limit=5, seed=1, workers=1, progress=None)
    assert summary["status"] in ("optimal", "feasible")
    assert summary["breaches"] == []
    assert summary["output"] == str(out)
    json.dumps(summary)  # JSON-able as promised
    rota = read_assignments(out, data)
    assert len(rota) == summary["assignments"]
    assert check_rota(data, rota) == []
    info = run_info(out)
    from ooh.outputs import file_sha256

    assert info["Input SHA-256"] == file_sha256(inputs)
    assert info["Parameter: seed"] == 1
    assert info["Unfilled required places"] == summary["unfilled_required"]


def test_conflict_writes_nothing_and_names_the_rule(tmp_path: Path) -> None:
    data = rota_data(
        [clinician("C01")],
        weeks=1,
        availability={("C01", day(2)): UNAVAILABLE},
        fixed=(FixedBooking("C01", day(2), "EVE"),),
    )
    out = tmp_path / "rota.xlsx"
    with pytest.raises(OohError) as err:
        solve_and_write(
            data, tmp_path / "inputs.xlsx", out, time_limit=5, seed=0, workers=1, progress=None
        )
    assert "contradict" in str(err.value)
    assert "C01" in str(err.value)
    assert not out.exists()


def test_solve_command_through_the_cli(tmp_path: Path) -> None:
    data = small_data()
    inputs = tmp_path / "inputs.xlsx"
    write_input_workbook(data, inputs)
    out = tmp_path / "rota.xlsx"
    args = ["rota", "solve", str(inputs), "-o", str(out), "--time-limit", "5", "--workers", "1"]
    result = CliRunner().invoke(cli, [*args, "--json", "--quiet"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["breaches"] == [] and out.exists()
    check = CliRunner().invoke(cli, ["rota", "check", str(inputs), str(out)])
    assert check.exit_code == 0, check.output
