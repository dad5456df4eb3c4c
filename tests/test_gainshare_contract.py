"""Contract loading: worked examples load, every key is documented, bad files are pinned."""

from __future__ import annotations

import re
from decimal import Decimal as D
from pathlib import Path

import pytest

from ooh.errors import InputError
from ooh.gainshare.contract import (
    DEFAULT_MEASURES,
    MSSP_TABLE,
    contract_from_dict,
    load_contract,
)

ROOT = Path(__file__).resolve().parents[1]
MODELS = sorted((ROOT / "models").glob("*.toml"))
README = (ROOT / "models" / "README.md").read_text(encoding="utf-8")

HEAD = """
[contract]
performance_year_start = "2026-04"
[parties]
commissioner = "ICB"
provider = "Federation"
[[practices]]
code = "P01"
list_size = 1000
"""


def write(tmp_path: Path, body: str, head: str = HEAD) -> Path:
    path = tmp_path / "terms.toml"
    path.write_text(head + body, encoding="utf-8")
    return path


def problems(tmp_path: Path, body: str, head: str = HEAD) -> str:
    with pytest.raises(InputError) as err:
        load_contract(write(tmp_path, body, head))
    return str(err.value)


def test_worked_examples_exist_and_load():
    names = {p.name for p in MODELS}
    assert {
        "flat-50-50-above-2pct.toml",
        "tiered-with-caps.toml",
        "two-sided-corridor.toml",
        "quality-gateway.toml",
        "mssp-size-threshold.toml",
    } <= names
    for path in MODELS:
        contract = load_contract(path)
        assert contract.source == path
        assert len(contract.practices) == 20
        assert f"`{path.name}`" in README  # every example is described


def test_examples_use_the_sample_federation():
    from ooh.rota.sample import sample_practices

    def key(practices):
        return [(p.code, p.name, p.list_size, p.weighted_list_size) for p in practices]

    expected = key(sample_practices("realistic"))
    for path in MODELS:
        assert key(load_contract(path).practices) == expected, path.name


def test_example_terms_are_what_their_comments_say():
    tiered = load_contract(ROOT / "models" / "tiered-with-caps.toml")
    assert [(t.up_to, t.share) for t in tiered.gain.tiers] == [
        (D(500000), D(60)),
        (D(1500000), D(40)),
        (None, D(20)),
    ]
    assert (tiered.gain.cap_amount, tiered.gain.cap_percent) == (D(1500000), D(5))
    corridor = load_contract(ROOT / "models" / "two-sided-corridor.toml")
    assert corridor.loss is not None and corridor.loss.threshold.value == D(2)
    mssp = load_contract(ROOT / "models" / "mssp-size-threshold.toml")
    assert mssp.gain.threshold.type == "population" and mssp.gain.threshold.table == MSSP_TABLE


def accepted_keys() -> set[str]:
    """Every key the loader accepts, read from its own 'allowed here' messages."""
    doc = {
        "zzz": 1,
        "contract": {"performance_year_start": "2026-04", "zzz": 1},
        "parties": {"commissioner": "a", "provider": "b", "zzz": 1},
        "practices": [{"code": "P01", "list_size": 10, "zzz": 1}],
        "measures": [{"code": "ae_attendance", "zzz": 1}],
        "baseline": {"zzz": 1},
        "savings": {"zzz": 1},
        "gain": {"tiers": [{"share": 50, "zzz": 1}], "threshold": {"zzz": 1}, "zzz": 1},
        "loss": {"tiers": [{"share": 50, "zzz": 1}], "threshold": {"zzz": 1}, "zzz": 1},
        "quality": {"kpis": [{"code": "A", "pass_mark": 1, "zzz": 1}], "zzz": 1},
        "withhold": {"base_contract_value": 1, "percent": 1, "zzz": 1},
        "attribution": {"zzz": 1},
        "simulation": {"effect": {"zzz": 1}, "zzz": 1},
    }
    with pytest.raises(InputError) as err:
        contract_from_dict(doc)
    keys: set[str] = set()
    tables = 0
    for issue in err.value.issues:
        if not issue.message.startswith("unknown key"):
            continue
        tables += 1
        table = issue.where.split(": ", 1)[1].rsplit("zzz", 1)[0]
        table = re.sub(r"\[\d+\]", "", table)
        allowed = issue.message.split("allowed here: ")[1].rstrip(")").split(", ")
        keys |= {table + k for k in allowed}
    assert tables == 19  # one unknown key planted in every table
    return keys


def test_every_accepted_key_is_documented():
    keys = accepted_keys()
    assert "gain.threshold.sharing" in keys and "quality.kpis.reduction" in keys
    missing = sorted(k for k in keys if f"`{k}`" not in README)
    assert missing == []


def test_unknown_key_suggests_the_closest_name(tmp_path):
    text = problems(
        tmp_path, '[gain]\ntiers = [{share = 50}]\n[gain.treshold]\ntype = "percent"\nvalue = 2\n'
    )
    assert "terms.toml: gain.treshold: unknown key; did you mean 'threshold'?" in text


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "[gain]\ntiers = [{share = 50}]\nminimum_payot = 10\n",
            "terms.toml: gain.minimum_payot: unknown key; did you mean 'minimum_payout'?",
        ),
        (
            "[gain]\ntiers = [{share = 150}]\n",
            "terms.toml: gain.tiers[0].share: must be at most 100; got 150",
        ),
        (
            "[gain]\ntiers = [{share = -5}]\n",
            "terms.toml: gain.tiers[0].share: must be at least 0; got -5",
        ),
        (
            "[gain]\ntiers = [{up_to = 500, share = 50}, {up_to = 400, share = 30}, {share = 10}]\n",
            "terms.toml: gain.tiers: tiers out of order or overlapping",
        ),
        (
            "[gain]\ntiers = [{up_to = 500, share = 50}, {share = 30, up_to = 900}]\n",
            "terms.toml: gain.tiers[1].up_to: the last tier has no upper limit",
        ),
        (
            "[gain]\ntiers = [{share = 50}, {share = 30}]\n",
            "terms.toml: gain.tiers[0].up_to: missing; every tier but the last needs its upper limit",
        ),
        (
            "[gain]\ntiers = [{share = 50}]\nminimum_payout = 5000\ncap_amount = 1000\n",
            "terms.toml: gain.cap_amount: £1000 is below minimum_payout £5000",
        ),
        (
            "[gain]\ntiers = [{share = 50}]\ncap_percent = 120\n",
            "terms.toml: gain.cap_percent: must be at most 100; got 120",
        ),
        (
            '[gain]\ntiers = [{share = 50}]\nminimum_payout_mode = "some"\n',
            "terms.toml: gain.minimum_payout_mode: must be one of deductible, all_or_nothing; got 'some'",
        ),
        (
            '[gain]\ntiers = [{share = "half"}]\n',
            "terms.toml: gain.tiers[0].share: must be a percentage 0-100; got 'half'",
        ),
        ("[gain]\n", "terms.toml: gain.tiers: missing; give at least one tier"),
        (
            "[baseline]\nyears = 3\nweights = [10, 30, 50]\n[gain]\ntiers = [{share = 50}]\n",
            "terms.toml: baseline.weights: must add up to 100; they add up to 90",
        ),
        (
            "[baseline]\nyears = 2\nweights = [10, 30, 60]\n[gain]\ntiers = [{share = 50}]\n",
            "terms.toml: baseline.weights: has 3 weights but baseline.years = 2",
        ),
        (
            "[baseline]\nrates_per_1000 = true\n[gain]\ntiers = [{share = 50}]\n",
            "terms.toml: baseline.list_sizes: rates_per_1000 = true needs the federation list size",
        ),
        (
            '[gain]\ntiers = [{share = 50}]\n[gain.threshold]\ntype = "ratio"\nvalue = 0.98\n',
            "terms.toml: gain.threshold.type: with savings.basis = 'currency' the threshold type must be one of none, percent, amount, population",
        ),
        (
            '[savings]\nbasis = "ratio"\n[gain]\ntiers = [{share = 50}]\n[gain.threshold]\ntype = "ratio"\nvalue = 1.2\n',
            "terms.toml: gain.threshold.value: a gain threshold ratio must be at most 1",
        ),
        (
            '[savings]\nbasis = "ratio"\n[gain]\ntiers = [{up_to = 0.9, share = 50}, {up_to = 0.95, share = 30}, {share = 10}]\n',
            "terms.toml: gain.tiers: tiers out of order or overlapping: up_to must be ratios below 1, falling",
        ),
        (
            '[gain]\ntiers = [{share = 50}]\n[gain.threshold]\ntype = "percent"\n',
            "terms.toml: gain.threshold.value: missing; type = 'percent' needs a value",
        ),
        (
            '[gain]\ntiers = [{share = 50}]\n[gain.threshold]\ntype = "population"\ntable = [[6000, 3], [5000, 4]]\n',
            "terms.toml: gain.threshold.table: populations must be in increasing order",
        ),
        (
            '[gain]\ntiers = [{share = 50}]\n[quality]\nmethod = "multiplier"\n[[quality.kpis]]\ncode = "A"\npass_mark = 9\nweight = 60\n',
            'terms.toml: quality.kpis: with method = "multiplier" the KPI weights must add up to 100; they add up to 60',
        ),
        (
            '[gain]\ntiers = [{share = 50}]\n[quality]\nmethod = "reductions"\n[[quality.kpis]]\ncode = "A"\npass_mark = 9\nweight = 60\n',
            'terms.toml: quality.kpis[0].weight: is used only with quality.method = "multiplier"',
        ),
        (
            '[gain]\ntiers = [{share = 50}]\n[attribution]\nmethod = "hours"\n',
            'terms.toml: attribution.method: method = "hours" needs attribution.hours or attribution.rota',
        ),
        (
            '[gain]\ntiers = [{share = 50}]\n[attribution]\nmethod = "hours"\nhours = {P09 = 3}\n',
            "terms.toml: attribution.hours.P09: unknown practice P09",
        ),
        (
            "[gain]\ntiers = [{share = 50}]\n[withhold]\npercent = 3\n",
            "terms.toml: withhold.base_contract_value: missing",
        ),
        (
            '[gain]\ntiers = [{share = 50}]\n[[measures]]\ncode = "calls"\n',
            "terms.toml: measures[0].unit_price: missing; give the £ price per unit",
        ),
        (
            '[gain]\ntiers = [{share = 50}]\n[simulation]\neffect = {distribution = "gamma"}\n',
            "terms.toml: simulation.effect.distribution: must be one of fixed, normal, uniform",
        ),
        (
            '[gain]\ntiers = [{share = 50}]\n[[practices]]\ncode = "P01"\nlist_size = 5\n',
            "terms.toml: practices[1].code: practice P01 is listed twice",
        ),
    ],
)
def test_bad_terms_are_named_by_file_and_key(tmp_path, body, expected):
    assert expected in problems(tmp_path, body)


def test_all_problems_are_reported_together(tmp_path):
    text = problems(
        tmp_path, '[gain]\ntiers = [{share = 150}]\ncap_percent = -1\n[baseline]\nyears = "three"\n'
    )
    assert "3 problems found" in text
    assert "gain.tiers[0].share" in text and "gain.cap_percent" in text and "baseline.years" in text


def test_missing_required_tables_and_bad_month(tmp_path):
    text = problems(tmp_path, "", head='[contract]\nperformance_year_start = "2026-13"\n')
    assert "terms.toml: contract.performance_year_start: must be a month as YYYY-MM" in text
    assert "terms.toml: parties: missing table" in text
    assert "terms.toml: gain: missing table" in text


def test_unreadable_files(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        load_contract(tmp_path / "nope.toml")
    with pytest.raises(InputError, match="not valid TOML"):
        load_contract(write(tmp_path, "[gain\n"))


def test_defaults():
    c = contract_from_dict(
        {
            "contract": {"performance_year_start": "2026-04"},
            "parties": {"commissioner": "a", "provider": "b"},
            "practices": [{"code": "P01", "list_size": 10}],
            "gain": {"tiers": [{"share": 50}]},
        }
    )
    assert [(m.code, m.unit_price) for m in c.measures] == [
        (k, v[1]) for k, v in DEFAULT_MEASURES.items()
    ]
    assert [m.unit_price for m in c.measures] == [D("280.17"), D("825.86"), D("5419.28")]
    assert c.loss is None and c.withhold is None and c.quality.method == "none"
    assert c.baseline.years == 1 and c.gain.threshold.type == "none"
    assert c.baseline_year_months()[0][0] == "2025-04" and c.performance_months[-1] == "2027-03"


def test_money_is_exact_decimal_from_toml_floats_and_text(tmp_path):
    c = load_contract(
        write(
            tmp_path,
            '[[measures]]\ncode = "x"\nunit_price = 0.1\n[gain]\ntiers = [{share = 50}]\ncap_amount = "1,250.55"\n',
        )
    )
    assert c.measures[0].unit_price == D("0.1")
    assert c.gain.cap_amount == D("1250.55")


def test_practices_file_reads_the_rota_practices_sheet(tmp_path):
    from ooh.rota.template import template_data, write_template

    write_template(tmp_path / "inputs.xlsx")
    head = '[contract]\nperformance_year_start = "2026-04"\npractices_file = "inputs.xlsx"\n[parties]\ncommissioner = "a"\nprovider = "b"\n'
    c = load_contract(write(tmp_path, "[gain]\ntiers = [{share = 50}]\n", head=head))
    assert c.practices == template_data().practices
    assert c.practices_file == (tmp_path / "inputs.xlsx").resolve()
    text = problems(
        tmp_path, "[gain]\ntiers = [{share = 50}]\n", head=head.replace("inputs.xlsx", "none.xlsx")
    )
    assert "terms.toml: contract.practices_file: file not found" in text


def test_trend_sd_left_out_is_estimated_and_zero_means_none(tmp_path):
    # Left out: None, so the simulation estimates trend uncertainty from the baseline data;
    # given (0 included), the value is used as is.
    gain = "[[gain.tiers]]\nshare = 50\n"
    assert load_contract(write(tmp_path, gain)).simulation.trend_sd is None
    zero = load_contract(write(tmp_path, gain + "[simulation]\ntrend_sd = 0\n"))
    assert zero.simulation.trend_sd == 0.0
    some = load_contract(write(tmp_path, gain + "[simulation]\ntrend_sd = 0.02\n"))
    assert some.simulation.trend_sd == 0.02
