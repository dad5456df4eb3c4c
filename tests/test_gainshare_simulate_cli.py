"""The simulate, threshold, sweep and compare commands through click's CliRunner."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from ooh.cli import cli

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = str(ROOT / "sample_inputs" / "contract.toml")
ACTIVITY = str(ROOT / "sample_inputs" / "activity.csv")


def run(*args: str):
    return CliRunner().invoke(cli, ["gainshare", *args])


def test_simulate_json_is_reproducible_for_a_seed():
    args = (
        "simulate",
        CONTRACT,
        "--activity",
        ACTIVITY,
        "--draws",
        "2000",
        "--seed",
        "3",
        "--json",
        "--quiet",
    )
    a, b = run(*args), run(*args)
    assert a.exit_code == 0, a.output
    data = json.loads(a.stdout)
    assert data["draws"] == 2000 and data["seed"] == 3
    assert set(data["percentiles"]["payment"]) == {"5", "25", "50", "75", "95"}
    assert 0 <= data["summary"]["p_paid_no_effect"] <= 1
    assert json.loads(b.stdout)["summary"] == data["summary"]


def test_simulate_writes_workbook_and_plots(tmp_path):
    out = tmp_path / "sim.xlsx"
    result = run(
        "simulate",
        CONTRACT,
        "--activity",
        ACTIVITY,
        "--draws",
        "1500",
        "--effect-mean",
        "-0.05",
        "--effect-sd",
        "0",
        "-o",
        str(out),
        "--plots",
        str(tmp_path),
    )
    assert result.exit_code == 0, result.output
    assert "P(provider is paid)" in result.stdout and "With no real change" in result.stdout
    wb = load_workbook(out)
    assert wb.sheetnames == ["Summary", "Percentiles", "Noise model", "Run info"]
    info = dict(wb["Run info"].iter_rows(min_row=2, values_only=True))
    assert info["Seed"] == 2026 and info["Draws"] == 1500
    assert info["Assumed true effect on activity"] == "fixed -0.05"
    assert len(info["Activity file SHA-256"]) == 64
    assert (tmp_path / "payment-distribution.png").exists()
    assert (tmp_path / "settlement-waterfall.png").exists()  # the sample has the year's activity


def test_threshold_command(tmp_path):
    out = tmp_path / "t.xlsx"
    result = run(
        "threshold",
        CONTRACT,
        "--activity",
        ACTIVITY,
        "--alpha",
        "0.2",
        "--draws",
        "5000",
        "--populations",
        "10000,100000",
        "-o",
        str(out),
        "--json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["alpha"] == 0.2 and data["p_payment_at_threshold"] <= 0.2
    assert [r["population"] for r in data["table"]] == [10_000, 100_000, data["population"]]
    assert load_workbook(out).sheetnames == ["Threshold", "By population", "Run info"]


def test_sweep_command(tmp_path):
    out = tmp_path / "s.xlsx"
    result = run(
        "sweep",
        CONTRACT,
        "--activity",
        ACTIVITY,
        "--vary",
        "gain.threshold.value=1:2:0.5",
        "--vary",
        "gain.tiers[0].share=40,50",
        "--draws",
        "500",
        "-o",
        str(out),
        "--quiet",
    )
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(out)["Sweep"].iter_rows(values_only=True))
    assert rows[0][:2] == ("gain.threshold.value", "gain.tiers[0].share")
    assert len(rows) == 1 + 6
    assert "6 grid points on 500 common draws" in result.stdout


def test_compare_command():
    flat = str(ROOT / "models" / "flat-50-50-above-2pct.toml")
    result = run("compare", CONTRACT, flat, "--activity", ACTIVITY, "--draws", "500", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [c["name"] for c in data["contracts"]][1] == "Flat 50/50 above a 2% threshold"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("sweep", CONTRACT, "--activity", ACTIVITY, "--vary", "gain.nope=1:2:1"),
            "unknown key 'nope'",
        ),
        (
            ("sweep", CONTRACT, "--activity", ACTIVITY, "--vary", "gain.threshold.value"),
            "key=start:stop:step",
        ),
        (
            ("simulate", CONTRACT, "--activity", ACTIVITY, "--effect-mean", "-1.5"),
            "no activity at all",
        ),
        (("simulate", CONTRACT, "--activity", ACTIVITY, "--kpi", "nonsense"), "CODE=VALUE"),
        (("simulate", CONTRACT, "--activity", "missing.csv"), "file not found"),
        (
            ("simulate", CONTRACT, "--activity", ACTIVITY, "--plots", "no/such/dir"),
            "folder does not exist",
        ),
        (("threshold", CONTRACT, "--activity", ACTIVITY, "--populations", "ten"), "whole numbers"),
    ],
)
def test_user_errors_exit_1_without_traceback(args, message):
    result = run(*args)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_output_may_not_overwrite_an_input(tmp_path):
    activity = tmp_path / "activity.csv"
    shutil.copy(ACTIVITY, activity)
    result = run("simulate", CONTRACT, "--activity", str(activity), "-o", str(activity))
    assert result.exit_code == 1
    assert "would overwrite an input" in result.output
