"""Untrusted files: size limits, entity-expansion attacks, formula text in every output."""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook
from test_catalogue import billion_laughs
from test_rota_io import save, template_book

from ooh import safety
from ooh.cli import cli
from ooh.errors import OohError
from ooh.excel import FORMULA_STARTS
from ooh.rota.data import RotaData
from ooh.safety import Limits, check_workbook, csv_cell, csv_text, strip_guard, write_csv

HOSTILE = '=HYPERLINK("http://x.invalid","click")'
HOSTILE_TEXTS = [HOSTILE, "+1+1", "-2+3", "@SUM(A1)"]


def validate(path: Path) -> str:
    result = CliRunner().invoke(cli, ["rota", "validate", str(path)])
    assert result.exit_code == 1 and result.output.startswith("Error:"), result.output
    assert "Traceback" not in result.output
    return result.output


# ---- size limits -----------------------------------------------------------------------------


def test_the_template_is_well_inside_the_limits(tmp_path: Path) -> None:
    check_workbook(save(template_book(), tmp_path))  # raises if not


@pytest.mark.parametrize(
    ("limits", "expected"),
    [
        (
            Limits(rows=10),
            'inputs.xlsx: sheet "README" has more than 10 rows (the limit per sheet)',
        ),
        (Limits(sheets=5), "inputs.xlsx: has 11 sheets, above the limit of 5; delete the sheets"),
        (Limits(cells=300), "inputs.xlsx: the workbook has more than 300 cells (the limit)"),
        (Limits(file_mb=0.01), "above the limit of 0.01 MB for an input workbook"),
        (Limits(xml_mb=0.05), "above the limit of 0.05 MB; delete unused sheets and rows"),
    ],
    ids=["rows", "sheets", "cells", "file size", "unpacked size"],
)
def test_each_limit_refuses_with_its_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limits: Limits, expected: str
) -> None:
    monkeypatch.setattr(safety, "LIMITS", limits)
    assert expected in validate(save(template_book(), tmp_path))


def test_the_column_limit_names_the_first_sheet_beyond_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wb = template_book()
    wide = next(ws for ws in wb.worksheets if ws.max_column > 4)
    monkeypatch.setattr(safety, "LIMITS", Limits(columns=4))
    expected = (
        f'inputs.xlsx: sheet "{wide.title}" has {wide.max_column} columns, above the limit of 4 '
        "columns per sheet; delete unused columns and save"
    )
    assert expected in validate(save(wb, tmp_path))


def test_rows_are_counted_not_taken_from_the_declared_dimension(tmp_path: Path) -> None:
    """A sheet that declares A1:B2 but holds 500 rows is measured by what it holds."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for r in range(500):
        ws.append([r, "x"])
    path = tmp_path / "lies.xlsx"
    wb.save(path)
    with zipfile.ZipFile(path) as source:
        parts = [(i, source.read(i)) for i in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in parts:
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="A1:B500"\s*/>', b'<dimension ref="A1:B2"/>', data)
                assert b'ref="A1:B2"' in data
            target.writestr(info, data)
    with pytest.raises(OohError, match='sheet "Sheet" has more than 100 rows'):
        check_workbook(path, Limits(rows=100))
    check_workbook(path, Limits(rows=500))  # exactly at the limit is fine


def test_a_one_gigabyte_sheet_is_refused_at_once(tmp_path: Path) -> None:
    """1 GB of sheet XML in a 7 MB file: refused from the zip's sizes, nothing loaded."""
    path = save(template_book(), tmp_path)
    row = b'<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c></row>' * 16384
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("xl/worksheets/sheet99.xml", "w", force_zip64=True) as part,
    ):
        part.write(b"<worksheet><sheetData>")
        for _ in range((1 << 30) // len(row) + 1):
            part.write(row)
        part.write(b"</sheetData></worksheet>")
    assert path.stat().st_size < 20 * 1024 * 1024
    output = validate(path)
    assert "inputs.xlsx: the workbook unpacks to 1,025.1 MB, above the limit of 400 MB" in output


def test_a_part_that_claims_less_than_it_holds_is_damaged_not_loaded(tmp_path: Path) -> None:
    """A zip bomb whose header understates its size: reading stops at the stated size."""
    path = save(template_book(), tmp_path)
    blob = b"<row/>" * 200_000
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet99.xml", blob)
    raw = bytearray(path.read_bytes())
    # patch the stated (uncompressed) size of the last member, in both its headers, to 100
    size = len(blob).to_bytes(4, "little")
    local = raw.rfind(b"PK\x03\x04")
    central = raw.rfind(b"PK\x01\x02")
    assert raw[local + 22 : local + 26] == size and raw[central + 24 : central + 28] == size
    raw[local + 22 : local + 26] = (100).to_bytes(4, "little")
    raw[central + 24 : central + 28] = (100).to_bytes(4, "little")
    path.write_bytes(bytes(raw))
    assert "inputs.xlsx: the workbook is damaged" in validate(path)


# ---- entity expansion ("billion laughs") ---------------------------------------------------


def test_billion_laughs_is_refused_by_every_workbook_reader(tmp_path: Path) -> None:
    bomb = billion_laughs(tmp_path / "bomb.xlsx")
    message = "bomb.xlsx: part xl/worksheets/sheet2.xml declares an XML document type"
    assert message in validate(bomb)
    from ooh.gainshare.activity import read_activity
    from ooh.gainshare.settle import read_rota_hours
    from ooh.rota.output import read_assignments
    from ooh.rota.template import template_data

    for read in (
        lambda: read_activity(bomb),
        lambda: read_rota_hours(bomb),
        lambda: read_assignments(bomb, template_data()),
    ):
        with pytest.raises(OohError, match="declares an XML document type"):
            read()


def test_openpyxl_itself_parses_with_defusedxml(tmp_path: Path) -> None:
    """The second line of defence: without the check, openpyxl still refuses the entities."""
    from defusedxml import DefusedXmlException
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML
    bomb = billion_laughs(tmp_path / "bomb.xlsx")
    with pytest.raises(ValueError, match="Unable to read workbook") as caught:
        load_workbook(bomb)
    assert isinstance(caught.value.__cause__, DefusedXmlException)  # entities refused


# ---- formula text in outputs ---------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_csv_cell_neutralises_formula_text(text: str) -> None:
    assert csv_cell(text) == "'" + text
    assert strip_guard(csv_cell(text)) == text


def test_csv_cell_leaves_other_values_alone() -> None:
    assert [csv_cell(v) for v in ["P01", "", "'quoted", 5, -3, 2.5, None]] == [
        "P01",
        "",
        "'quoted",
        5,
        -3,
        2.5,
        None,
    ]
    assert csv_cell("\tX") == "'\tX" and csv_cell("\r=1") == "'\r=1"


def test_csv_text_neutralises_header_and_cells() -> None:
    text = csv_text(["=a", "b"], [["@c", 1], ["d", -2]])
    assert text == "'=a,b\n'@c,1\nd,-2\n"


def test_write_csv_is_atomic_and_safe(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "out.csv", ["name"], [[HOSTILE]])
    assert (
        path.read_text(encoding="utf-8").splitlines()[1]
        == '"\'=HYPERLINK(""http://x.invalid"",""click"")"'
    )
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_activity_csv_round_trip_keeps_formula_looking_codes(tmp_path: Path) -> None:
    from ooh.gainshare.activity import Activity, read_activity, write_activity_csv

    counts = {("=P01", "2026-04", "@ae"): 3, ("-P02", "2026-05", "+x"): 0}
    path = write_activity_csv(Activity(counts), tmp_path / "a.csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[1:] == ["'-P02,2026-05,'+x,0", "'=P01,2026-04,'@ae,3"]
    assert read_activity(path).counts == counts


def formula_cells(path: Path) -> list[str]:
    """Every cell of every sheet that Excel would run as a formula."""
    found = []
    wb = load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f" or (
                    isinstance(c.value, str) and c.value.startswith(FORMULA_STARTS)
                ):
                    found.append(f"{ws.title}!{c.coordinate}: {c.value!r}")
    return found


def hostile_rota_data() -> RotaData:
    """The template federation with formula text in every name a user types."""
    from ooh.rota.template import template_data

    data = template_data()
    names = iter(HOSTILE_TEXTS * 20)
    return replace(
        data,
        practices=tuple(replace(p, name=next(names)) for p in data.practices),
        sites=tuple(replace(s, name=next(names)) for s in data.sites),
        clinicians=tuple(replace(c, name=next(names)) for c in data.clinicians),
        shift_types=tuple(replace(s, name=next(names)) for s in data.shift_types),
    )


def test_input_workbook_writer_neutralises_names(tmp_path: Path) -> None:
    from ooh.rota.io import read_workbook, write_input_workbook

    data = hostile_rota_data()
    path = tmp_path / "inputs.xlsx"
    write_input_workbook(data, path)
    assert formula_cells(path) == []
    assert read_workbook(path) == data  # the guard is stripped again on reading


def test_rota_workbook_neutralises_names(tmp_path: Path) -> None:
    from ooh.rota.run import solve_and_write

    path = tmp_path / "rota.xlsx"
    solve_and_write(hostile_rota_data(), tmp_path / "inputs.xlsx", path, time_limit=3, workers=1)
    assert formula_cells(path) == []
    names = {c.value for ws in load_workbook(path) for row in ws.iter_rows() for c in row}
    assert "'" + HOSTILE in names  # the names are there, as text


def test_statement_neutralises_names(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1]
    text = (root / "sample_inputs" / "contract.toml").read_text("utf-8")
    text = text.replace('"NHS Sample Integrated Care Board"', '"=1+1"').replace(
        '"Sample GP Federation"', '"@SUM(A1)"'
    )
    contract = tmp_path / "contract.toml"
    contract.write_text(text, encoding="utf-8")
    out = tmp_path / "statement.xlsx"
    result = CliRunner().invoke(
        cli,
        [
            "gainshare",
            "settle",
            str(contract),
            "--activity",
            str(root / "sample_inputs" / "activity.csv"),
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert formula_cells(out) == []
    values = {c.value for ws in load_workbook(out) for row in ws.iter_rows() for c in row}
    assert "'=1+1" in values and "'@SUM(A1)" in values
