"""The rota template: a fixed, fictional example that validates as generated."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from ooh.cli import cli
from ooh.errors import OohError
from ooh.rota.io import read_workbook
from ooh.rota.template import template_data, write_template


def test_template_validates_as_generated(tmp_path: Path) -> None:
    path = write_template(tmp_path / "inputs.xlsx")
    assert path == tmp_path / "inputs.xlsx"
    data = read_workbook(path)
    assert data == template_data()
    assert data.settings.period_start == date(2027, 1, 4)
    assert data.settings.weeks == 2
    assert (len(data.practices), len(data.sites), len(data.clinicians), len(data.shift_types)) == (
        3,
        2,
        10,
        5,
    )


def test_template_is_reproducible(tmp_path: Path) -> None:
    first = read_workbook(write_template(tmp_path / "a.xlsx"))
    second = read_workbook(write_template(tmp_path / "b.xlsx"))
    assert first == second


def test_template_uses_every_kind_of_entry() -> None:
    data = template_data()
    kinds = {a.kind.value for a in data.availability.values()}
    assert kinds == {"A", "U", "P", "N", "S"}
    assert data.requests and data.fixed
    assert any(c.is_locum for c in data.clinicians)
    assert any(c.practice is None for c in data.clinicians)
    assert any(s.end <= s.start for s in data.shift_types)  # crosses midnight
    assert any(s.bank_holidays for s in data.shift_types)


def test_template_has_readme_and_role_list(tmp_path: Path) -> None:
    wb = load_workbook(write_template(tmp_path / "inputs.xlsx"))
    assert wb.sheetnames == [
        "README",
        "Settings",
        "Lists",
        "Practices",
        "Sites",
        "Clinicians",
        "Shift types",
        "Availability",
        "Requests",
        "Fixed",
        "Rules",
    ]
    readme = "\n".join(str(c.value) for row in wb["README"].iter_rows() for c in row)
    assert "Availability codes" in readme and "Max hours per week" in readme
    assert "fictional example federation" in readme
    roles = [c.value for c in wb["Lists"]["A"]][1:]
    assert roles == ["GP", "ANP", "Paramedic", "Driver", "Call handler"]


def test_template_refuses_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(OohError, match="does not exist"):
        write_template(tmp_path / "no" / "inputs.xlsx")


def test_cli_template_then_validate(tmp_path: Path) -> None:
    out = tmp_path / "inputs.xlsx"
    runner = CliRunner()
    made = runner.invoke(cli, ["template", "rota", "-o", str(out)])
    assert made.exit_code == 0, made.output
    assert f"Wrote {out}" in made.stdout
    checked = runner.invoke(cli, ["rota", "validate", str(out)])
    assert checked.exit_code == 0, checked.output
    assert "OK: 3 practices, 10 clinicians, 5 shift lines" in checked.stdout
