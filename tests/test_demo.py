"""`ooh demo`: sample inputs written, the realistic rota solved, written and legal."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ooh.cli import cli
from ooh.rota.check import check_rota
from ooh.rota.io import read_workbook
from ooh.rota.output import read_assignments
from ooh.rota.sample import generate_rota_data


def _run_demo(folder: Path, *args: str) -> tuple[str, Path]:
    result = CliRunner().invoke(
        cli, ["demo", *args, "--workers", "1", "--quiet"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    inputs, small, rota = folder / "inputs.xlsx", folder / "inputs-small.xlsx", folder / "rota.xlsx"
    assert inputs.is_file() and small.is_file() and rota.is_file()
    assert read_workbook(inputs) == generate_rota_data("realistic")
    assert read_workbook(small) == generate_rota_data("small")
    assert "filled:" in result.output and "required places" in result.output
    assert "checker: 0 hard-rule breach(es)" in result.output
    return result.output, rota


def test_demo_from_an_empty_folder_writes_a_legal_rota(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no -o: the default ./ooh-demo in the user's folder
    output, rota = _run_demo(tmp_path / "ooh-demo", "--sample", "small", "--time-limit", "5")
    data = generate_rota_data("small")
    assignments = read_assignments(rota, data)
    assert len(assignments) >= 30  # a real rota (42 required places), not an empty one
    assert check_rota(data, assignments) == []
    assert "inputs-small.xlsx" in output
    # The gain-share part settles and simulates the sample contract on the sample activity.
    folder = tmp_path / "ooh-demo"
    for name in ("contract.toml", "activity.csv", "statement.xlsx", "simulation.xlsx"):
        assert (folder / name).stat().st_size > 0, name
    assert sorted(p.name for p in (folder / "plots").glob("*.png")) == [
        "payment-curve.png",
        "payment-distribution.png",
        "settlement-waterfall.png",
    ]
    assert "P(payment)" in output and "pays Sample GP Federation" in output


@pytest.mark.slow
def test_demo_solves_the_realistic_sample_into_a_legal_rota(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    output, rota = _run_demo(folder, "-o", str(folder), "--time-limit", "60")
    data = read_workbook(folder / "inputs.xlsx")
    assignments = read_assignments(rota, data)
    assert len(assignments) > 300  # most of about 420 required places
    assert check_rota(data, assignments) == []
    # The sample is tuned so members and locums fill nearly everything: three places over the
    # Christmas bank holidays are proven unfillable; a short search on a busy machine may
    # leave a few more around them, never a large share of the 446.
    gaps = re.search(r"gaps: (\d+) required place", output)
    assert gaps is not None and 3 <= int(gaps.group(1)) <= 20, output


def test_demo_refuses_a_file_as_its_folder(tmp_path: Path) -> None:
    target = tmp_path / "not-a-folder"
    target.write_text("keep me")
    result = CliRunner().invoke(cli, ["demo", "-o", str(target), "--time-limit", "1"])
    assert result.exit_code != 0
    assert target.read_text() == "keep me"
