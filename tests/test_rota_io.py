"""Reading and writing the rota input workbook: a catalogue of broken workbooks, each with
its cell and message pinned; accepted date and time spellings; round trip; the CLI."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from ooh.cli import cli
from ooh.errors import InputError, OohError
from ooh.practice import Practice
from ooh.rota.data import (
    AVAILABLE,
    UNAVAILABLE,
    Availability,
    AvailabilityKind,
    Clinician,
    FixedBooking,
    Request,
    RotaData,
    Rules,
    Settings,
    ShiftType,
    Site,
    Weights,
)
from ooh.rota.io import (
    build_input_workbook,
    parse_date,
    parse_time,
    read_practices,
    read_workbook,
    write_input_workbook,
)
from ooh.rota.template import TEMPLATE_ROLES, TEMPLATE_SKILLS, template_data

# Layout of the template workbook the mutations start from (written in schema order):
# Clinicians: A ID, B Name, C Practice, D Role, E Skills, F Max hours per week, G Min shifts,
#   H Max shifts, I Max consecutive nights, J Max weekends, K Hourly rate, L Locum, M Sites;
#   rows 2..11 are C01..C10.
# Shift types: A ID, B Name, C Site, D Role, E Skills, F Start, G End, H..N Mon..Sun,
#   O Bank holidays, P Needed, Q Wanted, R Priority, S Pay multiplier; rows 2..6 are
#   N-EVE-GP, N-NIGHT-GP, S-DAY-GP, S-EVE-ANP, N-CAR-DRV.
# Settings rows 2..5: Period start, Weeks, Bank holiday nation, Blank availability means.
# Availability: A Clinician ID, B Name, C..P the dates 04/01/2027..17/01/2027.

Mutation = Callable[[Workbook], None]


def template_book() -> Workbook:
    return build_input_workbook(template_data(), roles=TEMPLATE_ROLES, skills=TEMPLATE_SKILLS)


def save(wb: Workbook, tmp_path: Path, name: str = "inputs.xlsx") -> Path:
    path = tmp_path / name
    wb.save(path)
    return path


def put(sheet: str, cell: str, value: object) -> Mutation:
    def mutate(wb: Workbook) -> None:
        wb[sheet][cell] = value

    return mutate


def append_clinician_with_hours(hours: object) -> Mutation:
    def mutate(wb: Workbook) -> None:
        ws = wb["Clinicians"]
        ws.cell(row=12, column=1, value="C11")
        ws.cell(row=12, column=2, value="Dr New Starter")
        ws.cell(row=12, column=4, value="GP")
        ws.cell(row=12, column=6, value=hours)

    return mutate


def delete_column(sheet: str, col: int) -> Mutation:
    def mutate(wb: Workbook) -> None:
        wb[sheet].delete_cols(col)

    return mutate


def delete_sheet(sheet: str) -> Mutation:
    def mutate(wb: Workbook) -> None:
        del wb[sheet]

    return mutate


def delete_row(sheet: str, row: int) -> Mutation:
    def mutate(wb: Workbook) -> None:
        wb[sheet].delete_rows(row)

    return mutate


def no_days(row: int) -> Mutation:
    def mutate(wb: Workbook) -> None:
        for col in range(8, 16):  # H..O: Mon..Sun and Bank holidays
            wb["Shift types"].cell(row=row, column=col, value="no")

    return mutate


def both(*mutations: Mutation) -> Mutation:
    def mutate(wb: Workbook) -> None:
        for m in mutations:
            m(wb)

    return mutate


CATALOGUE: list[tuple[str, Mutation, str, str]] = [
    (
        "hours as words (the issue's own example)",
        append_clinician_with_hours("forty"),
        "Clinicians!F12",
        'max hours per week must be a number between 1 and 72, got "forty"',
    ),
    (
        "hours above the legal range",
        put("Clinicians", "F3", 80),
        "Clinicians!F3",
        "max hours per week must be a number between 1 and 72, got 80",
    ),
    (
        "role not on Lists",
        put("Clinicians", "D2", "Nurse"),
        "Clinicians!D2",
        'unknown role "Nurse" (not on the Lists sheet)',
    ),
    (
        "practice code misspelt",
        put("Clinicians", "C2", "P0001"),
        "Clinicians!C2",
        'unknown practice "P0001" (not on the Practices sheet); did you mean "P001"?',
    ),
    (
        "skill not on Lists, in a list of skills",
        put("Clinicians", "E2", "Paediatrics, Surgery"),
        "Clinicians!E2",
        'unknown skill "Surgery" (not on the Lists sheet)',
    ),
    (
        "site not on Sites",
        put("Clinicians", "M7", "BASE-N, BASE-X"),
        "Clinicians!M7",
        'unknown site "BASE-X" (not on the Sites sheet)',
    ),
    (
        "duplicated clinician id",
        put("Clinicians", "A3", "C01"),
        "Clinicians!A3",
        'id "C01" appears more than once (first in row 2)',
    ),
    (
        "locum neither yes nor no",
        put("Clinicians", "L2", "maybe"),
        "Clinicians!L2",
        'locum must be yes or no, got "maybe"',
    ),
    (
        "min shifts above max shifts",
        put("Clinicians", "G4", 9),
        "Clinicians!G4",
        "min shifts (9) is more than max shifts (8)",
    ),
    (
        "whole number expected",
        put("Clinicians", "H2", 2.5),
        "Clinicians!H2",
        "max shifts must be a whole number of at least 0, got 2.5",
    ),
    (
        "required cell blank",
        put("Clinicians", "B2", None),
        "Clinicians!B2",
        "name is required",
    ),
    (
        "misspelt header, with a suggestion",
        put("Clinicians", "F1", "Max hours per wek"),
        "Clinicians!F1",
        'unknown column "Max hours per wek"; did you mean "Max hours per week"?',
    ),
    (
        "required column missing",
        delete_column("Clinicians", 4),
        "Clinicians",
        'missing column "Role"',
    ),
    (
        "header given twice",
        put("Clinicians", "N1", "role"),
        "Clinicians!N1",
        'column "Role" appears twice (also column D)',
    ),
    (
        "formula without a saved value",
        put("Clinicians", "F2", "=40+8"),
        "Clinicians!F2",
        "max hours per week: formula has no saved value; open and save in Excel",
    ),
    (
        "missing sheet",
        delete_sheet("Sites"),
        "Sites",
        'missing sheet "Sites"',
    ),
    (
        "wanted below needed",
        put("Shift types", "Q2", 0),
        "Shift types!Q2",
        "wanted (0) must be at least needed (1)",
    ),
    (
        "zero-length shift",
        put("Shift types", "G3", "23:00"),
        "Shift types!G3",
        "end equals start (23:00): a shift must have a length",
    ),
    (
        "time out of range",
        put("Shift types", "F2", "25:00"),
        "Shift types!F2",
        'start must be a time such as 18:30, 1830 or 24:00, got "25:00"',
    ),
    (
        "duplicated shift type id",
        put("Shift types", "A5", "S-DAY-GP"),
        "Shift types!A5",
        'id "S-DAY-GP" appears more than once (first in row 4)',
    ),
    (
        "shift at an unknown site",
        put("Shift types", "C2", "BASE-Q"),
        "Shift types!C2",
        'unknown site "BASE-Q" (not on the Sites sheet)',
    ),
    (
        "priority out of range",
        put("Shift types", "R2", 7),
        "Shift types!R2",
        "priority must be a whole number between 1 and 5, got 7",
    ),
    (
        "shift line that never runs",
        no_days(2),
        "Shift types!A2",
        "the shift line runs on no day",
    ),
    (
        "shift type id that is an availability code",
        put("Shift types", "A6", "p"),
        "Shift types!A6",
        'shift type id "p" is an availability code',
    ),
    (
        "too many weeks",
        put("Settings", "B3", 14),
        "Settings!B3",
        "weeks must be a whole number between 1 and 13, got 14",
    ),
    (
        "unknown nation",
        put("Settings", "B4", "France"),
        "Settings!B4",
        "bank holiday nation must be one of England, Wales, Scotland, Northern Ireland, "
        'got "France"',
    ),
    (
        "period start not a date",
        put("Settings", "B2", "next Monday"),
        "Settings!B2",
        'period start must be a date such as 2027-01-04 or 04/01/2027, got "next Monday"',
    ),
    (
        "impossible UK date",
        put("Settings", "B2", "31/02/2027"),
        "Settings!B2",
        'period start must be a date such as 2027-01-04 or 04/01/2027, got "31/02/2027"',
    ),
    (
        "misspelt setting name",
        put("Settings", "A4", "Bank holiday natoin"),
        "Settings!A4",
        'unknown setting "Bank holiday natoin"; did you mean "Bank holiday nation"?',
    ),
    (
        "required setting missing",
        delete_row("Settings", 2),
        "Settings",
        'missing setting "Period start"',
    ),
    (
        "availability date outside the period",
        put("Availability", "P1", datetime(2027, 1, 18)),
        "Availability!P1",
        "date 18/01/2027 is outside the period (04/01/2027 to 17/01/2027)",
    ),
    (
        "availability header that is not a date",
        put("Availability", "C1", "Monday"),
        "Availability!C1",
        'must be headed by a date of the period, got "Monday"',
    ),
    (
        "availability date given twice",
        put("Availability", "D1", "2027-01-04"),
        "Availability!D1",
        "date 04/01/2027 appears twice (also column C)",
    ),
    (
        "availability code unknown",
        put("Availability", "D2", "X"),
        "Availability!D2",
        'availability must be A, U, P, N or shift type ids separated by commas; "X" is not a '
        "shift type",
    ),
    (
        "availability offering an unknown shift type",
        put("Availability", "E3", "N-EVE-GP, N-NITE-GP"),
        "Availability!E3",
        '"N-NITE-GP" is not a shift type; did you mean "N-NIGHT-GP"?',
    ),
    (
        "availability of an unknown clinician",
        put("Availability", "A2", "C99"),
        "Availability!A2",
        'unknown clinician "C99" (not on the Clinicians sheet)',
    ),
    (
        "request outside the period",
        put("Requests", "B2", datetime(2027, 2, 1)),
        "Requests!B2",
        "date 01/02/2027 is outside the period (04/01/2027 to 17/01/2027)",
    ),
    (
        "request neither want nor avoid",
        put("Requests", "D2", "maybe"),
        "Requests!D2",
        'want or avoid must be one of want, avoid, got "maybe"',
    ),
    (
        "request for an unknown shift type",
        put("Requests", "C3", "S-EVE-NP"),
        "Requests!C3",
        'unknown shift type "S-EVE-NP" (not on the Shift types sheet); did you mean "S-EVE-ANP"?',
    ),
    (
        "fixed booking on a day the line does not run",
        put("Fixed", "B2", datetime(2027, 1, 9)),
        "Fixed!C2",
        'shift type "N-EVE-GP" does not run on Saturdays',
    ),
    (
        "fixed booking of an unknown clinician",
        put("Fixed", "A2", "C42"),
        "Fixed!A2",
        'unknown clinician "C42" (not on the Clinicians sheet)',
    ),
    (
        "fixed booking listed twice",
        both(
            put("Fixed", "A3", "C03"),
            put("Fixed", "B3", "2027-01-04"),
            put("Fixed", "C3", "N-EVE-GP"),
        ),
        "Fixed!A3",
        "the same booking appears twice (first in row 2)",
    ),
    (
        "rule out of range",
        put("Rules", "B2", -1),
        "Rules!B2",
        "min rest hours must be a number between 0 and 48, got -1",
    ),
    (
        "weight not a number",
        put("Rules", "B15", "high"),
        "Rules!B15",
        'weight: cost must be a whole number between 0 and 1000000, got "high"',
    ),
    (
        "role listed twice",
        put("Lists", "A3", "GP"),
        "Lists!A3",
        'roles "GP" appears more than once (first in row 2)',
    ),
    (
        "list size not a number",
        put("Practices", "C2", "lots"),
        "Practices!C2",
        'list size must be a whole number of at least 1, got "lots"',
    ),
]


@pytest.mark.parametrize(
    ("mutation", "where", "message"),
    [pytest.param(m, w, msg, id=name) for name, m, w, msg in CATALOGUE],
)
def test_broken_workbook_is_reported_at_its_cell(
    tmp_path: Path, mutation: Mutation, where: str, message: str
) -> None:
    wb = template_book()
    mutation(wb)
    path = save(wb, tmp_path)
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    found = [(i.where, i.message) for i in caught.value.issues]
    assert any(w == where and message in m for w, m in found), found
    assert caught.value.source == str(path)


def test_catalogue_is_large_and_cells_are_distinct() -> None:
    assert len(CATALOGUE) >= 20
    assert len({name for name, *_ in CATALOGUE}) == len(CATALOGUE)


def test_the_issue_example_message_is_exact(tmp_path: Path) -> None:
    wb = template_book()
    append_clinician_with_hours("forty")(wb)
    with pytest.raises(InputError) as caught:
        read_workbook(save(wb, tmp_path))
    assert [str(i) for i in caught.value.issues] == [
        'Clinicians!F12: max hours per week must be a number between 1 and 72, got "forty"'
    ]


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    wb = template_book()
    both(
        put("Clinicians", "F3", 80),
        put("Shift types", "R2", 7),
        put("Settings", "B4", "France"),
        put("Availability", "D2", "X"),
    )(wb)
    with pytest.raises(InputError) as caught:
        read_workbook(save(wb, tmp_path))
    assert sorted(i.where for i in caught.value.issues) == [
        "Availability!D2",
        "Clinicians!F3",
        "Settings!B4",
        "Shift types!R2",
    ]
    assert str(caught.value).splitlines()[0].endswith("4 problems found")


def test_issues_are_listed_sheet_by_sheet_row_by_row(tmp_path: Path) -> None:
    wb = template_book()
    both(
        put("Rules", "B2", -1),
        put("Clinicians", "F3", 80),
        put("Clinicians", "D2", "Nurse"),
        put("Settings", "B4", "France"),
        put("Clinicians", "AA1", "Role"),  # a second Role column
    )(wb)
    with pytest.raises(InputError) as caught:
        read_workbook(save(wb, tmp_path))
    assert [i.where for i in caught.value.issues] == [
        "Settings!B4",
        "Clinicians!AA1",  # header row first
        "Clinicians!D2",
        "Clinicians!F3",
        "Rules!B2",
    ]


def test_a_missing_column_does_not_hide_other_problems(tmp_path: Path) -> None:
    wb = template_book()
    put("Shift types", "Q2", 0)(wb)
    put("Availability", "D2", "Z")(wb)
    delete_column("Shift types", 6)(wb)  # Start; Wanted moves from Q to P
    with pytest.raises(InputError) as caught:
        read_workbook(save(wb, tmp_path))
    assert [str(i) for i in caught.value.issues] == [
        'Shift types: missing column "Start" (row 1 holds the headers): start time, e.g. 18:30 '
        "(a time cell, 18:30 or 1830)",
        "Shift types!P2: wanted (0) must be at least needed (1)",
        "Availability!D2: availability must be A, U, P, N or shift type ids separated by commas; "
        '"Z" is not a shift type',
    ]


def test_misspelt_header_is_not_also_reported_missing(tmp_path: Path) -> None:
    wb = template_book()
    put("Clinicians", "D1", "Rol")(wb)
    with pytest.raises(InputError) as caught:
        read_workbook(save(wb, tmp_path))
    assert [str(i) for i in caught.value.issues] == [
        'Clinicians!D1: unknown column "Rol"; did you mean "Role"?'
    ]


def test_unknown_role_reference_skipped_when_lists_sheet_missing(tmp_path: Path) -> None:
    wb = template_book()
    del wb["Lists"]
    with pytest.raises(InputError) as caught:
        read_workbook(save(wb, tmp_path))
    assert [i.where for i in caught.value.issues] == ["Lists"]


# ---- files that are not workbooks ----------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(OohError, match="nope.xlsx: file not found"):
        read_workbook(tmp_path / "nope.xlsx")


def test_csv_file(tmp_path: Path) -> None:
    path = tmp_path / "inputs.csv"
    path.write_text("ID,Name\nC01,Dr A\n")
    with pytest.raises(OohError, match=r"is a CSV file; the rota input must be an Excel workbook"):
        read_workbook(path)


def test_old_xls_file(tmp_path: Path) -> None:
    path = tmp_path / "inputs.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(OohError, match=r"old Excel \.xls format is not supported"):
        read_workbook(path)


@pytest.mark.parametrize("content", [b"garbage, not a workbook", b"PK\x03\x04broken zip"])
def test_garbage_named_xlsx(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "inputs.xlsx"
    path.write_bytes(content)
    with pytest.raises(OohError, match=r"is not an Excel \.xlsx workbook"):
        read_workbook(path)


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "inputs.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(OohError, match=r"cannot be read as an Excel \.xlsx workbook"):
        read_workbook(path)


# ---- accepted spellings --------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [datetime(2027, 1, 4), "2027-01-04", "04/01/2027", "4/1/2027", 46391, "2027-01-04 00:00:00"],
)
def test_period_start_spellings(tmp_path: Path, value: object) -> None:
    wb = template_book()
    put("Settings", "B2", value)(wb)
    assert read_workbook(save(wb, tmp_path)).settings.period_start == date(2027, 1, 4)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (time(18, 30), time(18, 30)),
        ("18:30", time(18, 30)),
        ("1830", time(18, 30)),
        (1830, time(18, 30)),
        ("18.30", time(18, 30)),
        ("18:30:00", time(18, 30)),
        (0.7708333333333334, time(18, 30)),  # Excel's fraction of a day
        ("24:00", time(0, 0)),
        ("0800", time(8, 0)),
    ],
)
def test_time_spellings(tmp_path: Path, value: object, expected: time) -> None:
    wb = template_book()
    put("Shift types", "F2", value)(wb)  # N-EVE-GP start (ends 23:00)
    data = read_workbook(save(wb, tmp_path))
    assert data.shift_types[0].start == expected


@pytest.mark.parametrize("value", ["7pm", "12:60", "24:30", 2401, "18", -0.5, True, "1860"])
def test_times_that_are_rejected(value: object) -> None:
    assert parse_time(value) is None


@pytest.mark.parametrize(
    "value", ["2027-13-01", "31/04/2027", "04-01-2027", "Jan 4 2027", 0, 2.5, True, None]
)
def test_dates_that_are_rejected(value: object) -> None:
    assert parse_date(value) is None


def test_24_00_end_is_midnight_and_crosses_the_day(tmp_path: Path) -> None:
    wb = template_book()
    put("Shift types", "G5", "24:00")(wb)
    line = read_workbook(save(wb, tmp_path)).shift_types[3]
    assert (line.start, line.end, line.minutes) == (time(18, 30), time(0, 0), 330)


def test_availability_headers_as_text_and_serials(tmp_path: Path) -> None:
    wb = template_book()
    ws = wb["Availability"]
    ws["C1"] = "2027-01-04"  # C09 is A on this date
    ws["E1"] = "06/01/2027"  # C01 is U on this date
    ws["F1"] = 46394  # 07/01/2027: C01 is U
    data = read_workbook(save(wb, tmp_path))
    assert data.availability == template_data().availability


def test_availability_codes_any_case(tmp_path: Path) -> None:
    wb = template_book()
    put("Availability", "D2", "u")(wb)  # C01 on 05/01/2027
    put("Availability", "H3", " p ")(wb)  # C02 on 09/01/2027
    data = read_workbook(save(wb, tmp_path))
    assert data.availability[("C01", date(2027, 1, 5))] == UNAVAILABLE
    assert data.availability[("C02", date(2027, 1, 9))] == Availability(AvailabilityKind.PREFERS)


def test_column_order_does_not_matter(tmp_path: Path) -> None:
    wb = template_book()
    ws = wb["Clinicians"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    del wb["Clinicians"]
    reordered = wb.create_sheet("Clinicians")
    for row in rows:
        reordered.append(list(reversed(row)))
    assert read_workbook(save(wb, tmp_path)) == template_data()


def test_blank_rows_and_note_columns_are_ignored(tmp_path: Path) -> None:
    wb = template_book()
    wb["Clinicians"].insert_rows(4, amount=2)
    wb["Shift types"].insert_rows(3)
    wb["Clinicians"]["Z1"] = "Notes"
    wb["Clinicians"]["Z2"] = "back from leave in February"
    assert read_workbook(save(wb, tmp_path)) == template_data()


def test_headers_ignore_case_and_spaces_and_accept_aliases(tmp_path: Path) -> None:
    wb = template_book()
    put("Clinicians", "F1", "  MAX hours   per week ")(wb)
    put("Clinicians", "A1", "Clinician ID")(wb)
    put("Clinicians", "K1", "Hourly rate")(wb)
    assert read_workbook(save(wb, tmp_path)) == template_data()


def test_optional_sheets_may_be_left_out(tmp_path: Path) -> None:
    wb = template_book()
    for name in ("README", "Availability", "Requests", "Fixed", "Rules"):
        del wb[name]
    data = read_workbook(save(wb, tmp_path))
    assert (data.availability, data.requests, data.fixed, data.rules) == ({}, (), (), Rules())


def test_blank_optional_cells_take_dataclass_defaults(tmp_path: Path) -> None:
    wb = template_book()
    for cell in ("F2", "G2", "K2", "L2"):  # hours, min shifts, rate, locum of C01
        put("Clinicians", cell, None)(wb)
    put("Shift types", "Q2", None)(wb)  # wanted blank: same as needed
    for row in range(2, 6):  # clear the first rules; keep the weights
        put("Rules", f"B{row}", None)(wb)
    data = read_workbook(save(wb, tmp_path))
    c01 = data.clinicians[0]
    assert (c01.max_hours_per_week, c01.min_shifts, c01.hourly_rate, c01.is_locum) == (
        48.0,
        0,
        0.0,
        False,
    )
    assert (data.shift_types[0].needed, data.shift_types[0].wanted) == (1, 1)
    assert data.rules == Rules()


# ---- round trip ----------------------------------------------------------------------


def rich_data() -> RotaData:
    """Every feature of the input: all sheets, optional fields set and unset, odd values."""
    return RotaData(
        settings=Settings(date(2026, 12, 21), weeks=2, nation="Wales", blank_is_available=False),
        practices=(
            Practice("P1", "One Surgery", 8000, 8500.5, "North"),
            Practice("007", "Leading Zero Practice", 6000),
        ),
        sites=(Site("BASE-A", "Base A", "ZZ1 1AA"), Site("CAR", "Visiting car")),
        clinicians=(
            Clinician(
                "C1",
                "Dr One",
                "P1",
                "GP",
                frozenset({"Paeds", "Home visits"}),
                frozenset({"BASE-A", "CAR"}),
                40.5,
                1,
                10,
                3,
                2,
                95.25,
                False,
            ),
            Clinician("C2", "-Dash Locum", None, "GP", is_locum=True, hourly_rate=120.0),
            Clinician("C3", "Dan Driver", "007", "Driver", max_shifts=0),
            Clinician("C4", "=Not A Formula", "P1", "Call handler", sites=frozenset({"CAR"})),
        ),
        shift_types=(
            ShiftType(
                "EVE",
                "BASE-A",
                "GP",
                time(18, 30),
                time(0, 0),
                frozenset({0, 1, 2, 3, 4}),
                False,
                1,
                2,
                4,
                1.0,
                frozenset({"Home visits"}),
                "Evening",
            ),
            ShiftType(
                "NIGHT",
                "CAR",
                "Driver",
                time(23, 0),
                time(8, 0),
                frozenset({5, 6}),
                True,
                0,
                1,
                5,
                1.5,
            ),
            ShiftType(
                "BH-ONLY", "CAR", "Call handler", time(9, 15), time(17, 45), frozenset(), True
            ),
        ),
        availability={
            ("C1", date(2026, 12, 21)): AVAILABLE,
            ("C1", date(2026, 12, 25)): UNAVAILABLE,
            ("C2", date(2026, 12, 22)): Availability(
                AvailabilityKind.ONLY, frozenset({"EVE", "NIGHT"})
            ),
            ("C3", date(2026, 12, 26)): Availability(AvailabilityKind.PREFERS),
            ("C4", date(2027, 1, 3)): Availability(AvailabilityKind.PREFERS_NOT),
        },
        requests=(
            Request("C1", date(2026, 12, 24), None, False, 3),
            Request("C2", date(2026, 12, 22), "EVE", True),
        ),
        fixed=(
            FixedBooking("C1", date(2026, 12, 21), "EVE"),
            FixedBooking("C4", date(2026, 12, 25), "BH-ONLY"),  # Christmas Day: a bank holiday
        ),
        rules=Rules(10.0, 48.5, 3, 5, 4, Weights(target=300, cost=2, locum=0)),
    )


def test_round_trip_of_every_feature(tmp_path: Path) -> None:
    data = rich_data()
    path = tmp_path / "rich.xlsx"
    write_input_workbook(data, path)
    assert read_workbook(path) == data


def test_round_trip_of_template_data(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_input_workbook(template_data(), path)
    assert read_workbook(path) == template_data()


def test_writer_adds_readme_dropdowns_and_frozen_headers(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "rich.xlsx"
    write_input_workbook(rich_data(), path, roles=["Paramedic"], skills=["Prescriber"])
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "README"
    assert wb["Clinicians"].freeze_panes == "A2"
    assert wb["Availability"].freeze_panes == "C2"
    lists = [c.value for c in wb["Lists"]["A"]]
    assert lists == ["Roles", "Paramedic", "GP", "Driver", "Call handler"]
    assert [c.value for c in wb["Lists"]["B"]][:2] == ["Skills", "Prescriber"]
    formulas = {dv.formula1 for dv in wb["Clinicians"].data_validations.dataValidation}
    assert "'Lists'!$A$2:$A$500" in formulas  # role dropdown
    assert '"yes,no"' in formulas  # locum
    settings = {dv.formula1 for dv in wb["Settings"].data_validations.dataValidation}
    assert '"England,Wales,Scotland,Northern Ireland"' in settings
    grid = {dv.formula1 for dv in wb["Availability"].data_validations.dataValidation}
    assert '"A,U,P,N"' in grid
    # text that Excel would run as a formula is stored as text
    assert wb["Clinicians"]["B5"].data_type == "s"


def test_writer_leaves_no_temp_file_and_overwrites_atomically(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    write_input_workbook(template_data(), path)
    write_input_workbook(rich_data(), path)
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]
    assert read_workbook(path) == rich_data()


def test_reads_a_workbook_with_any_file_name(tmp_path: Path) -> None:
    path = tmp_path / "inputs.data"
    write_input_workbook(template_data(), path)
    assert read_workbook(path) == template_data()


# ---- practices alone -----------------------------------------------------------------


def test_read_practices_alone(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_input_workbook(template_data(), path)
    assert read_practices(path) == template_data().practices


def test_read_practices_from_another_sheet_with_problems(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Members"
    ws.append(["Practice code", "Name", "List size", "Locality"])
    ws.append(["P1", "One", 5000, "East"])
    ws.append(["P1", "Two", "many", None])
    path = save(wb, tmp_path)
    with pytest.raises(InputError) as caught:
        read_practices(path, sheet="Members")
    assert [str(i) for i in caught.value.issues] == [
        'Members!A3: code "P1" appears more than once (first in row 2); each must be unique',
        'Members!C3: list size must be a whole number of at least 1, got "many"',
    ]
    with pytest.raises(OohError, match='missing sheet "Practices"'):
        read_practices(path)


# ---- CLI -----------------------------------------------------------------------------


def test_cli_validate_good_workbook(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_input_workbook(template_data(), path)
    result = CliRunner().invoke(cli, ["rota", "validate", str(path)])
    assert result.exit_code == 0, result.output
    assert (
        "OK: 3 practices, 10 clinicians, 5 shift lines, 2 weeks from 04 Jan 2027" in result.stdout
    )
    assert result.stderr == ""


def test_cli_validate_bad_workbook(tmp_path: Path) -> None:
    wb = template_book()
    append_clinician_with_hours("forty")(wb)
    put("Settings", "B3", 14)(wb)
    path = save(wb, tmp_path)
    result = CliRunner().invoke(cli, ["rota", "validate", str(path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: {path}: 2 problems found")
    assert 'Clinicians!F12: max hours per week must be a number between 1 and 72, got "forty"' in (
        result.stderr
    )
    assert "Settings!B3: weeks must be a whole number between 1 and 13, got 14" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_validate_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["rota", "validate", str(tmp_path / "none.xlsx")])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert "file not found" in result.stderr
