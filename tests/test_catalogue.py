"""Broken and hostile inputs, through the command line, for both engines.

Every case runs a real command (CliRunner on ``ooh.cli.cli``) and pins its message: exit code
1, output starting "Error:", no traceback. The rota workbook catalogue of
tests/test_rota_io.py is reused whole; the cases here add what a reader alone cannot show
(file-level problems, merged cells, hidden rows, encrypted and hostile files) and the
gain-share contract and activity files.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook
from test_rota_io import CATALOGUE, save, template_book

from ooh.cli import cli

ROOT = Path(__file__).resolve().parents[1]

# An encrypted .xlsx (and an old .xls) is an OLE2 compound file, not a zip: its first sector
# starts with this signature. Enough of one to be recognised; Excel would ask for a password.
OLE2_HEADER = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(16) + bytes.fromhex("3E000300FEFF0900")


def ole2_file(path: Path) -> Path:
    stream_name = "EncryptionInfo".encode("utf-16-le")
    path.write_bytes(OLE2_HEADER + bytes(512 - len(OLE2_HEADER)) + stream_name + bytes(1024))
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def assert_error(args: list[str], *expected: str) -> str:
    """The command fails cleanly: exit 1, "Error:" first, no traceback, messages present."""
    code, output = run(*args)
    assert code == 1, output
    assert output.startswith("Error:"), output
    assert "Traceback" not in output
    for text in expected:
        assert text in output, f"{text!r} not in:\n{output}"
    return output


# ---- the rota workbook catalogue of tests/test_rota_io.py, through `ooh rota validate` -----


@pytest.mark.parametrize(
    ("mutation", "where", "message"),
    [pytest.param(m, w, msg, id=name) for name, m, w, msg in CATALOGUE],
)
def test_rota_catalogue_through_the_cli(
    tmp_path: Path, mutation: Callable[[Workbook], None], where: str, message: str
) -> None:
    wb = template_book()
    mutation(wb)
    path = save(wb, tmp_path)
    output = assert_error(["rota", "validate", str(path)])
    lines = output.splitlines()
    assert lines[0].startswith(f"Error: {path}: ") and "problem" in lines[0]
    assert any(line.strip().startswith(f"{where}: ") and message in line for line in lines), output


# ---- rota workbooks: what the reader catalogue does not cover --------------------------------

Edit = Callable[[Workbook], None]


def cell(sheet: str, ref: str, value: object) -> Edit:
    def edit(wb: Workbook) -> None:
        wb[sheet][ref] = value

    return edit


def merge(sheet: str, cells: str) -> Edit:
    return lambda wb: wb[sheet].merge_cells(cells)


def hide_row(sheet: str, row: int) -> Edit:
    def edit(wb: Workbook) -> None:
        wb[sheet].row_dimensions[row].hidden = True

    return edit


def hide_column(sheet: str, letter: str) -> Edit:
    def edit(wb: Workbook) -> None:
        wb[sheet].column_dimensions[letter].hidden = True

    return edit


def keep_only(wb: Workbook, sheet: str) -> None:
    for ws in list(wb.worksheets):
        if ws.title != sheet:
            wb.remove(ws)


def edits(*steps: Edit) -> Edit:
    def edit(wb: Workbook) -> None:
        for step in steps:
            step(wb)

    return edit


# (name, edit of the template workbook, expected "where: message" text)
ROTA_CASES: list[tuple[str, Edit, str]] = [
    (
        "merged cells in a table",
        merge("Clinicians", "C2:C4"),
        "Clinicians!C2: cells C2:C4 are merged; unmerge them (Home > Merge & Center) and fill "
        "in every cell",
    ),
    (
        "merged cells on a key/value sheet",
        merge("Settings", "B3:C3"),
        "Settings!B3: cells B3:C3 are merged",
    ),
    (
        "hidden row holding a clinician",
        hide_row("Clinicians", 6),
        "Clinicians!A6: row 6 is hidden but holds data, which would be read; unhide it "
        "(right-click the row headers > Unhide), or delete the row if it should not count",
    ),
    (
        "hidden column",
        hide_column("Shift types", "P"),
        "Shift types!P1: column P is hidden but holds data, which would be read",
    ),
    (
        "formula without a saved value on the Settings sheet",
        cell("Settings", "B3", "=1+1"),
        "Settings!B3: weeks: formula has no saved value; open and save in Excel",
    ),
    (
        "formula without a saved value in the availability grid",
        cell("Availability", "E4", '=IF(1,"A","U")'),
        "Availability!E4: availability: formula has no saved value; open and save in Excel",
    ),
    (
        "period start in US month-first form",
        cell("Settings", "B2", "01/31/2027"),
        'Settings!B2: period start must be a date such as 2027-01-04 or 04/01/2027, got "01/31/2027"',
    ),
    (
        "period start an impossible ISO date",
        cell("Settings", "B2", "2027-02-30"),
        'Settings!B2: period start must be a date such as 2027-01-04 or 04/01/2027, got "2027-02-30"',
    ),
    (
        # the cell is date-formatted: Excel itself cannot show this serial as a date
        "period start an Excel serial far out of range",
        cell("Settings", "B2", 3_000_000),
        'Settings!B2: period start must be a date such as 2027-01-04 or 04/01/2027, got "#VALUE!"',
    ),
    (
        "period start as a serial number typed as text",
        cell("Settings", "B2", "46391"),
        'Settings!B2: period start must be a date such as 2027-01-04 or 04/01/2027, got "46391"',
    ),
    (
        "start time written 8.30pm",
        cell("Shift types", "F2", "8.30pm"),
        'Shift types!F2: start must be a time such as 18:30, 1830 or 24:00, got "8.30pm"',
    ),
    (
        "a shift from 24:00 to 00:00 has no length",
        edits(cell("Shift types", "F4", "24:00"), cell("Shift types", "G4", "00:00")),
        "Shift types!G4: end equals start (00:00): a shift must have a length",
    ),
    (
        "end time 24:30",
        cell("Shift types", "G2", "24:30"),
        'Shift types!G2: end must be a time such as 18:30, 1830 or 24:00, got "24:30"',
    ),
    (
        "zero weeks",
        cell("Settings", "B3", 0),
        "Settings!B3: weeks must be a whole number between 1 and 13, got 0",
    ),
    (
        "availability grid for another period",
        cell("Settings", "B2", datetime(2027, 2, 1)),
        "Availability!C1: date 04/01/2027 is outside the period (01/02/2027 to 14/02/2027); "
        "check Period start and Weeks on the Settings sheet",
    ),
    (
        "duplicated practice code",
        cell("Practices", "A3", "P001"),
        'Practices!A3: code "P001" appears more than once (first in row 2)',
    ),
    (
        "shift line for an unknown role",
        cell("Shift types", "D3", "Consultant"),
        'Shift types!D3: unknown role "Consultant" (not on the Lists sheet)',
    ),
    (
        "request from an unknown clinician",
        cell("Requests", "A2", "C77"),
        'Requests!A2: unknown clinician "C77" (not on the Clinicians sheet)',
    ),
    (
        "negative minimum shifts",
        cell("Clinicians", "G2", -1),
        "Clinicians!G2: min shifts must be a whole number of at least 0, got -1",
    ),
    (
        "every sheet deleted but the README",
        lambda wb: keep_only(wb, "README"),
        'Settings: missing sheet "Settings" (sheets found: none)',
    ),
]


@pytest.mark.parametrize(
    ("edit", "expected"), [pytest.param(e, x, id=name) for name, e, x in ROTA_CASES]
)
def test_rota_workbook_cases(tmp_path: Path, edit: Edit, expected: str) -> None:
    wb = template_book()
    edit(wb)
    assert_error(["rota", "validate", str(save(wb, tmp_path))], expected)


def billion_laughs(path: Path) -> Path:
    """The template with an entity-expansion bomb in its Settings sheet (9 levels of 10)."""
    save(template_book(), path.parent, path.name)
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    )
    bomb = (
        f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        "</sheetData></worksheet>"
    ).encode()
    with zipfile.ZipFile(path) as source:
        parts = [(i, source.read(i)) for i in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in parts:
            target.writestr(info, bomb if info.filename == "xl/worksheets/sheet2.xml" else data)
    return path


# (name, how to make the file in tmp_path, expected message text)
FILE_CASES: list[tuple[str, Callable[[Path], Path], str]] = [
    (
        "file not found",
        lambda d: d / "absent.xlsx",
        "absent.xlsx: file not found",
    ),
    (
        "empty file",
        lambda d: _write(d / "inputs.xlsx", b""),
        "inputs.xlsx: is not an Excel .xlsx workbook (the file cannot be opened as one); save "
        "it from Excel as Excel Workbook (.xlsx)",
    ),
    (
        "CSV given where Excel expected",
        lambda d: _write(d / "inputs.csv", b"ID,Name\nC01,Dr A\n"),
        "inputs.csv: is a CSV file; the rota input must be an Excel workbook (.xlsx)",
    ),
    (
        "CSV text saved under an .xlsx name",
        lambda d: _write(d / "inputs.xlsx", b"ID,Name\nC01,Dr A\n"),
        "inputs.xlsx: is not an Excel .xlsx workbook",
    ),
    (
        "old .xls",
        lambda d: ole2_file(d / "inputs.xls"),
        "inputs.xls: old Excel .xls format is not supported; open it in Excel and save as "
        "Excel Workbook (.xlsx)",
    ),
    (
        "password-protected workbook",
        lambda d: ole2_file(d / "inputs.xlsx"),
        "inputs.xlsx: is a password-protected workbook or an old Excel .xls file, which cannot "
        "be read; open it in Excel, remove the password",
    ),
    (
        "entity-expansion (billion laughs) workbook",
        lambda d: billion_laughs(d / "inputs.xlsx"),
        "inputs.xlsx: part xl/worksheets/sheet2.xml declares an XML document type or entities, "
        "which Excel never writes",
    ),
    (
        "a zip that is not a workbook",
        lambda d: _zip(d / "inputs.xlsx", {"hello.txt": b"hi"}),
        "inputs.xlsx: cannot be read as an Excel .xlsx workbook",
    ),
    (
        "a workbook with one empty sheet",
        lambda d: _blank_workbook(d / "inputs.xlsx"),
        'Settings: missing sheet "Settings" (sheets found: Sheet); see `ooh template rota`',
    ),
]


def _write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _blank_workbook(path: Path) -> Path:
    Workbook().save(path)
    return path


@pytest.mark.parametrize(
    ("make", "expected"), [pytest.param(m, x, id=name) for name, m, x in FILE_CASES]
)
def test_rota_file_cases(tmp_path: Path, make: Callable[[Path], Path], expected: str) -> None:
    assert_error(["rota", "validate", str(make(tmp_path))], expected)


def test_rota_check_of_a_rota_workbook_without_assignments(tmp_path: Path) -> None:
    inputs = save(template_book(), tmp_path)
    rota = _blank_workbook(tmp_path / "rota.xlsx")
    assert_error(
        ["rota", "check", str(inputs), str(rota)],
        "Assignments: sheet missing: a rota workbook written by `ooh rota solve` has one",
    )


def test_rota_check_of_an_encrypted_rota_workbook(tmp_path: Path) -> None:
    inputs = save(template_book(), tmp_path)
    assert_error(
        ["rota", "check", str(inputs), str(ole2_file(tmp_path / "rota.xlsx"))],
        "rota.xlsx: is a password-protected workbook or an old Excel .xls file",
    )


# ---- gain-share contract files, through `ooh gainshare settle` ------------------------------

HEAD = """[contract]
performance_year_start = "2026-04"
[parties]
commissioner = "ICB"
provider = "Federation"
[[practices]]
code = "P01"
list_size = 1000
"""
GAIN = "[gain]\ntiers = [{share = 50}]\n"
ACTIVITY = "practice,month,measure,count\nP01,2026-04,ae_attendance,3\n"

# (name, whole contract text, expected message text)
CONTRACT_CASES: list[tuple[str, str | bytes, str]] = [
    (
        "TOML syntax error: unclosed table header",
        HEAD + "[gain\ntiers = [{share = 50}]\n",
        "terms.toml: not valid TOML (Expected ']' at the end of a table declaration (at line 9, "
        "column 6)); check quotes and brackets",
    ),
    (
        "TOML syntax error: text without quotes",
        HEAD.replace('"ICB"', "ICB") + GAIN,
        "terms.toml: not valid TOML (Invalid value (at line 4, column 16)); check quotes and "
        "brackets",
    ),
    (
        "TOML syntax error: key given twice",
        HEAD + GAIN + "[gain]\n",
        "terms.toml: not valid TOML (Cannot declare ('gain',) twice (at line 11, column 6)); "
        "check quotes and brackets",
    ),
    (
        "not text at all",
        b"\xff\xfe\x00binary",
        "terms.toml: not a UTF-8 text file",
    ),
    (
        "list size as text",
        HEAD.replace("list_size = 1000", 'list_size = "many"') + GAIN,
        "terms.toml: practices[0].list_size: must be a whole number; got 'many'",
    ),
    (
        "contract year as a fraction",
        HEAD.replace('"2026-04"', '"2026-04"\ncontract_year = 1.5') + GAIN,
        "terms.toml: contract.contract_year: must be a whole number; got 1.5",
    ),
    (
        "performance year start as a TOML date",
        HEAD.replace('"2026-04"', "2026-04-01") + GAIN,
        "terms.toml: contract.performance_year_start: must be non-empty text in quotes",
    ),
    (
        "performance year start in UK month form",
        HEAD.replace('"2026-04"', '"04/2026"') + GAIN,
        "terms.toml: contract.performance_year_start: must be a month as YYYY-MM, e.g. "
        "2026-04; got '04/2026'",
    ),
    (
        "tiers as a number",
        HEAD + "[gain]\ntiers = 5\n",
        "terms.toml: gain.tiers: must be a list of tables ([[...]] or [{...}, ...])",
    ),
    (
        "gain as a number",
        "gain = 5\n" + HEAD,
        "terms.toml: gain: must be a table",
    ),
    (
        "share as text",
        HEAD + '[gain]\ntiers = [{share = "half"}]\n',
        "terms.toml: gain.tiers[0].share: must be a percentage 0-100; got 'half'",
    ),
    (
        "a yes/no as text",
        HEAD + GAIN + '[baseline]\nrates_per_1000 = "yes"\n',
        "terms.toml: baseline.rates_per_1000: must be true or false (no quotes)",
    ),
    (
        "practice listed twice in the contract",
        HEAD + '[[practices]]\ncode = "P01"\nlist_size = 5\n' + GAIN,
        "terms.toml: practices[1].code: practice P01 is listed twice",
    ),
    (
        "misspelt key",
        HEAD + GAIN + "minimum_payot = 10\n",
        "terms.toml: gain.minimum_payot: unknown key; did you mean 'minimum_payout'?",
    ),
    (
        "hours for an unknown practice",
        HEAD + GAIN + '[attribution]\nmethod = "hours"\nhours = {P09 = 3}\n',
        "terms.toml: attribution.hours.P09: unknown practice P09",
    ),
    (
        "negative hours",
        HEAD + GAIN + '[attribution]\nmethod = "hours"\nhours = {P01 = -3}\n',
        "terms.toml: attribution.hours.P01: must be hours (0 or more); got -3",
    ),
    (
        "practices file that is password-protected",
        HEAD.replace('[[practices]]\ncode = "P01"\nlist_size = 1000\n', "").replace(
            '"2026-04"', '"2026-04"\npractices_file = "locked.xlsx"'
        )
        + GAIN,
        "terms.toml: contract.practices_file:",
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), [pytest.param(t, x, id=name) for name, t, x in CONTRACT_CASES]
)
def test_contract_cases(tmp_path: Path, text: str | bytes, expected: str) -> None:
    contract = tmp_path / "terms.toml"
    if isinstance(text, bytes):
        contract.write_bytes(text)
    else:
        contract.write_text(text, encoding="utf-8")
    ole2_file(tmp_path / "locked.xlsx")
    activity = _write(tmp_path / "activity.csv", ACTIVITY.encode())
    out = tmp_path / "statement.xlsx"
    assert_error(
        ["gainshare", "settle", str(contract), "--activity", str(activity), "-o", str(out)],
        expected,
    )
    assert not out.exists()


def test_practices_file_that_is_password_protected_says_so(tmp_path: Path) -> None:
    # the message of the case above, in full: the workbook's own problem, under the key
    text = dict((n, t) for n, t, _ in CONTRACT_CASES)["practices file that is password-protected"]
    contract = _write(tmp_path / "terms.toml", str(text).encode())
    ole2_file(tmp_path / "locked.xlsx")
    activity = _write(tmp_path / "activity.csv", ACTIVITY.encode())
    assert_error(
        ["gainshare", "settle", str(contract), "--activity", str(activity)],
        "terms.toml: contract.practices_file: ",
        "locked.xlsx: is a password-protected workbook or an old Excel .xls file",
    )


def test_missing_contract_file_is_one_line(tmp_path: Path) -> None:
    activity = _write(tmp_path / "activity.csv", ACTIVITY.encode())
    output = assert_error(
        ["gainshare", "settle", str(tmp_path / "none.toml"), "--activity", str(activity)]
    )
    assert output.strip() == f"Error: {tmp_path / 'none.toml'}: file not found"


# ---- gain-share activity tables, through `ooh gainshare settle` -----------------------------


def _activity_xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Activity"
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


HEADER: list[object] = ["practice", "month", "measure", "count"]

# (name, how to make the activity file in tmp_path, expected message text)
ACTIVITY_CASES: list[tuple[str, Callable[[Path], Path], str]] = [
    (
        "month written out in words",
        lambda d: _write(
            d / "a.csv", b"practice,month,measure,count\nP01,April 2026,ae_attendance,3\n"
        ),
        "a.csv: row 2, column month (B): must be a month as YYYY-MM (e.g. 2026-04); got 'April 2026'",
    ),
    (
        "month as a UK date",
        lambda d: _write(
            d / "a.csv", b"practice,month,measure,count\nP01,01/04/2026,ae_attendance,3\n"
        ),
        "a.csv: row 2, column month (B): must be a month as YYYY-MM (e.g. 2026-04); got '01/04/2026'",
    ),
    (
        "month as an unformatted Excel serial",
        lambda d: _activity_xlsx(d / "a.xlsx", [HEADER, ["P01", 46113, "ae_attendance", 3]]),
        "a.xlsx: Activity!B2: must be a month as YYYY-MM (e.g. 2026-04); got 46113",
    ),
    (
        "negative count",
        lambda d: _write(
            d / "a.csv", b"practice,month,measure,count\nP01,2026-04,ae_attendance,-3\n"
        ),
        "a.csv: row 2, column count (D): must be a whole number of 0 or more; got '-3'",
    ),
    (
        "duplicated row",
        lambda d: _write(
            d / "a.csv",
            b"practice,month,measure,count\nP01,2026-04,ae_attendance,3\nP01,2026-04,ae_attendance,4\n",
        ),
        "a.csv: row 3, column practice (A): duplicate row for P01, 2026-04, ae_attendance "
        "(first at a.csv: row 2, column practice (A))",
    ),
    (
        "unknown practice",
        lambda d: _write(
            d / "a.csv", b"practice,month,measure,count\nP07,2026-04,ae_attendance,3\n"
        ),
        "a.csv: row 2, column practice (A): unknown practice 'P07'; it is not a member practice "
        "in the contract",
    ),
    (
        "misspelt header",
        lambda d: _write(
            d / "a.csv", b"practice,month,measure,cuont\nP01,2026-04,ae_attendance,3\n"
        ),
        "a.csv: row 1 (header): missing column 'count'; the header row needs practice, month, "
        "measure, count",
    ),
    (
        "header only",
        lambda d: _write(d / "a.csv", b"practice,month,measure,count\n"),
        "a.csv: no activity rows found below the header",
    ),
    (
        "an Excel workbook saved under a .csv name",
        lambda d: _write(d / "a.csv", (ROOT / "sample_inputs" / "activity.xlsx").read_bytes()),
        "a.csv: not a UTF-8 CSV file; save it as 'CSV UTF-8'",
    ),
    (
        "a CSV with a NUL byte",
        lambda d: _write(d / "a.csv", b"practice,month,measure,count\nP01,2026-04,ae\x00,3\n"),
        "a.csv: row 2, column measure (C): unknown measure 'ae\\x00'; the contract's measures "
        "are admission_long, admission_short, ae_attendance",
    ),
    (
        "a CSV field longer than any real one",
        lambda d: _write(d / "a.csv", b"practice,month,measure,count\n" + b"P" * 200_000 + b"\n"),
        "a.csv: not a readable CSV file (field larger than field limit (131072)); save it as "
        "'CSV UTF-8'",
    ),
    (
        "a formula with no saved value",
        lambda d: _activity_xlsx(
            d / "a.xlsx", [HEADER, ["P01", "2026-04", "ae_attendance", "=1+2"]]
        ),
        "a.xlsx: Activity!D2: formula has no saved value; open the file in Excel and save it",
    ),
    (
        "a password-protected activity workbook",
        lambda d: ole2_file(d / "a.xlsx"),
        "a.xlsx: is a password-protected workbook or an old Excel .xls file",
    ),
    (
        "an old .xls activity file",
        lambda d: ole2_file(d / "a.xls"),
        "a.xls: activity must be an .xlsx or .csv file",
    ),
]


@pytest.mark.parametrize(
    ("make", "expected"), [pytest.param(m, x, id=name) for name, m, x in ACTIVITY_CASES]
)
def test_activity_cases(tmp_path: Path, make: Callable[[Path], Path], expected: str) -> None:
    contract = _write(tmp_path / "terms.toml", (HEAD + GAIN).encode())
    out = tmp_path / "statement.xlsx"
    assert_error(
        ["gainshare", "settle", str(contract), "--activity", str(make(tmp_path)), "-o", str(out)],
        expected,
    )
    assert not out.exists()


def test_bad_kpi_option() -> None:
    contract = ROOT / "sample_inputs" / "contract.toml"
    activity = ROOT / "sample_inputs" / "activity.csv"
    assert_error(
        ["gainshare", "settle", str(contract), "--activity", str(activity), "--kpi", "fast"],
        "--kpi 'fast': give CODE=VALUE, e.g. --kpi urgent_20min=96.5",
    )


def test_the_catalogue_is_large() -> None:
    """At least 40 broken inputs across both engines, each with its own name."""
    rota = len(CATALOGUE) + len(ROTA_CASES) + len(FILE_CASES) + 2
    gainshare = len(CONTRACT_CASES) + len(ACTIVITY_CASES) + 2
    assert rota >= 40 and gainshare >= 25
    names = [n for n, *_ in (*ROTA_CASES, *FILE_CASES, *CONTRACT_CASES, *ACTIVITY_CASES)]
    assert len(names) == len(set(names))
