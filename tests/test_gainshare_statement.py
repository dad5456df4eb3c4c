"""Settlement statement workbook, JSON, and the `ooh gainshare settle` / `ooh template gainshare` commands."""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from ooh.cli import cli
from ooh.gainshare.activity import Activity, write_activity_csv
from ooh.gainshare.contract import add_months, load_contract, months_from
from ooh.gainshare.settle import settle
from ooh.gainshare.statement import settlement_to_json, write_statement

ROOT = Path(__file__).resolve().parents[1]

CONTRACT = """
[contract]
name = "Statement test"
performance_year_start = "2026-04"
[parties]
commissioner = "Test ICB"
provider = "Test Federation"
[[practices]]
code = "P01"
name = "One"
list_size = 12000
[[practices]]
code = "P02"
name = "Two"
list_size = 8000
[[measures]]
code = "ae_attendance"
unit_price = 100
[gain]
tiers = [{up_to = 30000, share = 50}, {share = 30}]
[gain.threshold]
type = "percent"
value = 2
sharing = "above_threshold"
[quality]
method = "reductions"
[[quality.kpis]]
code = "A"
pass_mark = 95
reduction = 25
result = 99
"""


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    contract = tmp_path / "contract.toml"
    contract.write_text(CONTRACT, encoding="utf-8")
    counts = {}
    for i, total in enumerate([10000, 9500]):  # baseline 10,000; actual 9,500
        months = months_from(add_months("2025-04", 12 * i), 12)
        for p in ("P01", "P02"):
            for m in months:
                counts[(p, m, "ae_attendance")] = 0
        counts[("P01", months[0], "ae_attendance")] = total
    activity = write_activity_csv(Activity(counts), tmp_path / "activity.csv")
    return contract, activity


def test_statement_workbook_shows_every_step(files, tmp_path):
    contract, activity = files
    from ooh.gainshare.activity import read_activity

    s = settle(load_contract(contract), read_activity(activity))
    # savings £50,000; threshold £20,000; band 1 £20,000-£30,000 = £10,000 x 50% = £5,000;
    # band 2 £20,000 x 30% = £6,000; total £11,000; split 12,000 : 8,000 = £6,600 : £4,400
    assert s.transfer == D("11000.00")
    out = write_statement(s, tmp_path / "statement.xlsx", {"Activity file": activity})
    wb = load_workbook(out)
    assert wb.sheetnames == ["Statement", "Measures", "Tiers", "Practices", "Quality", "Inputs"]
    rows = list(wb["Statement"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(s.steps)
    assert [r[2] for r in rows] == [st.label for st in s.steps]
    by_label = {r[2]: r[4] for r in rows}
    assert by_label["Gross savings"] == 50000
    assert by_label["Tiered amount"] == 11000
    assert by_label["Who pays whom"] == 11000
    assert any("Test ICB pays Test Federation £11,000.00" in (r[3] or "") for r in rows)
    tiers = list(wb["Tiers"].iter_rows(min_row=2, values_only=True))
    assert [t[-1] for t in tiers] == [5000, 6000]
    practices = list(wb["Practices"].iter_rows(min_row=2, values_only=True))
    assert [p[-1] for p in practices] == [6600, 4400, 11000]  # last row is the total
    info = dict(wb["Inputs"].iter_rows(min_row=2, values_only=True))
    assert info["Contract"] == "Statement test"
    assert len(info["Contract file SHA-256"]) == 64 and len(info["Activity file SHA-256"]) == 64


def test_json_is_exact_and_serialisable(files):
    contract, activity = files
    from ooh.gainshare.activity import read_activity

    data = settlement_to_json(settle(load_contract(contract), read_activity(activity)))
    text = json.dumps(data)
    assert data["transfer"] == "11000.00" and data["payer"] == "Test ICB"
    assert [b["amount"] for b in data["gain"]["bands"]] == ["5000.00", "6000.00"]
    assert [p["amount"] for p in data["practices"]] == ["6600.00", "4400.00"]
    assert "steps" in text


def test_cli_settle_writes_statement(files, tmp_path):
    contract, activity = files
    out = tmp_path / "st.xlsx"
    result = CliRunner().invoke(
        cli, ["gainshare", "settle", str(contract), "--activity", str(activity), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Test ICB pays Test Federation £11,000.00" in result.output
    assert out.exists()


def test_cli_settle_json_and_kpi_override(files, tmp_path):
    contract, activity = files
    args = [
        "gainshare",
        "settle",
        str(contract),
        "--activity",
        str(activity),
        "-o",
        str(tmp_path / "s.xlsx"),
        "--json",
        "--kpi",
        "A=90",
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["quality_factor"] == "0.75"
    assert data["transfer"] == "8250.00"  # £11,000 x 0.75


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--kpi", "A"], "--kpi 'A': give CODE=VALUE"),
        (["--kpi", "Z=3"], "quality result Z: unknown KPI"),
        (["--rota", "rota.xlsx"], "--rota is used only when the contract splits by hours"),
    ],
)
def test_cli_settle_bad_options_exit_1(files, tmp_path, extra, message):
    contract, activity = files
    args = [
        "gainshare",
        "settle",
        str(contract),
        "--activity",
        str(activity),
        "-o",
        str(tmp_path / "s.xlsx"),
        *extra,
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_cli_settle_bad_contract_and_activity_exit_1(files, tmp_path):
    contract, activity = files
    contract.write_text(CONTRACT.replace("[gain]", "[gain]\nshare = 5"), encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        [
            "gainshare",
            "settle",
            str(contract),
            "--activity",
            str(activity),
            "-o",
            str(tmp_path / "s.xlsx"),
        ],
    )
    assert result.exit_code == 1
    assert "contract.toml: gain.share: unknown key" in result.output
    contract.write_text(CONTRACT, encoding="utf-8")
    activity.write_text(
        "practice,month,measure,count\nP01,2026-04,ae_attendance,1\n", encoding="utf-8"
    )
    result = CliRunner().invoke(
        cli,
        [
            "gainshare",
            "settle",
            str(contract),
            "--activity",
            str(activity),
            "-o",
            str(tmp_path / "s.xlsx"),
        ],
    )
    assert result.exit_code == 1
    assert "practice P01, measure ae_attendance: no rows for 23 month(s)" in result.output
    assert not (tmp_path / "s.xlsx").exists()


def test_cli_settle_refuses_to_overwrite_an_input(files):
    contract, activity = files
    result = CliRunner().invoke(
        cli,
        ["gainshare", "settle", str(contract), "--activity", str(activity), "-o", str(activity)],
    )
    assert result.exit_code == 1
    assert "would overwrite an input" in result.output


def test_cli_settle_hours_from_rota_workbook(files, tmp_path):
    contract, activity = files
    contract.write_text(
        CONTRACT + '\n[attribution]\nmethod = "hours"\nhours = {P01 = 1}\n', encoding="utf-8"
    )
    wb = Workbook()
    ws = wb.active
    ws.title = "Practice contribution"
    # the columns `ooh rota solve` writes (ooh.rota.report.practice_contribution)
    ws.append(
        [
            "Practice",
            "Name",
            "List size",
            "List share %",
            "Clinicians offered",
            "Hours worked",
            "Share of member hours %",
            "Fair-share hours",
        ]
    )
    ws.append(["P01", "One", 12000, 60, 3, 30, 30, 60])
    ws.append(["P02", "Two", 8000, 40, 4, 70, 70, 40])
    rota = tmp_path / "rota.xlsx"
    wb.save(rota)
    result = CliRunner().invoke(
        cli,
        [
            "gainshare",
            "settle",
            str(contract),
            "--activity",
            str(activity),
            "-o",
            str(tmp_path / "s.xlsx"),
            "--rota",
            str(rota),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    # £11,000 by hours 30 : 70
    assert [p["amount"] for p in json.loads(result.stdout)["practices"]] == ["3300.00", "7700.00"]


@pytest.mark.skipif(
    not (ROOT / "sample_inputs" / "activity.csv").exists(), reason="sample activity not generated"
)
def test_every_model_settles_on_the_sample_activity(tmp_path):
    for model in sorted((ROOT / "models").glob("*.toml")):
        out = tmp_path / f"{model.stem}.xlsx"
        result = CliRunner().invoke(
            cli,
            [
                "gainshare",
                "settle",
                str(model),
                "--activity",
                str(ROOT / "sample_inputs" / "activity.csv"),
                "-o",
                str(out),
                "--json",
            ],
        )
        assert result.exit_code == 0, (model.name, result.output)
        data = json.loads(result.stdout)
        assert D(data["provider_net"]) + D(data["commissioner_net_saving"]) == D(
            data["net_savings"]
        )


def test_template_gainshare_writes_loadable_files(tmp_path):
    result = CliRunner().invoke(cli, ["template", "gainshare", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    contract = load_contract(tmp_path / "contract.toml")
    assert [p.code for p in contract.practices] == ["P01", "P02"]
    assert contract.gain.threshold.sharing == "above_threshold"
    wb = load_workbook(tmp_path / "activity.xlsx")
    assert wb.sheetnames == ["Activity", "README"]
    assert [c.value for c in wb["Activity"][1]] == ["practice", "month", "measure", "count"]
    again = CliRunner().invoke(cli, ["template", "gainshare", "-o", str(tmp_path)])
    assert again.exit_code == 1 and "already exists" in again.output


def test_template_contract_settles_with_template_style_activity(tmp_path):
    from ooh.gainshare.template import write_templates

    contract_path, _ = write_templates(tmp_path)
    contract = load_contract(contract_path)
    counts = {}
    for i, month in enumerate(months_from("2023-04", 48)):
        for p in ("P01", "P02"):
            for m in contract.measures:
                counts[(p, month, m.code)] = 100 if i < 36 else 90
    s = settle(contract, Activity(counts))
    assert s.gain_payment > 0
    assert sum(p.amount for p in s.practices) == s.transfer


def test_rota_named_in_the_contract_is_used_for_hours(files, tmp_path):
    contract, activity = files
    contract.write_text(
        CONTRACT + '\n[attribution]\nmethod = "hours"\nrota = "rota.xlsx"\n', encoding="utf-8"
    )
    wb = Workbook()
    ws = wb.active
    ws.title = "Practice contribution"
    ws.append(["Practice", "Name", "Hours worked"])
    ws.append(["P01", "One", 1])
    ws.append(["P02", "Two", 3])
    wb.save(tmp_path / "rota.xlsx")
    args = [
        "gainshare",
        "settle",
        str(contract),
        "--activity",
        str(activity),
        "-o",
        str(tmp_path / "s.xlsx"),
        "--json",
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert [p["amount"] for p in json.loads(result.stdout)["practices"]] == [
        "2750.00",
        "8250.00",
    ]  # 1 : 3
    (tmp_path / "rota.xlsx").unlink()
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1 and "rota workbook not found" in result.output


def test_template_gainshare_creates_its_folder_and_refuses_a_file(tmp_path):
    # As written in the README: `ooh template gainshare -o terms/` on a fresh machine.
    result = CliRunner().invoke(cli, ["template", "gainshare", "-o", str(tmp_path / "terms")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "terms").iterdir()) == [
        "activity.xlsx",
        "contract.toml",
    ]
    a_file = tmp_path / "notes.txt"
    a_file.write_text("keep me")
    result = CliRunner().invoke(cli, ["template", "gainshare", "-o", str(a_file)])
    assert result.exit_code == 1 and "is a file" in result.output
    assert a_file.read_text() == "keep me"
