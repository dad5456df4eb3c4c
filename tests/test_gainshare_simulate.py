"""Monte Carlo engine: the vectorised settlement against the exact ``settle`` (the oracle),
reproducibility, and the simulation mean against the settlement of the expected activity."""

from __future__ import annotations

import math
from dataclasses import replace
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ooh.gainshare.activity import Activity, read_activity
from ooh.gainshare.contract import Effect, contract_from_dict, load_contract, months_from
from ooh.gainshare.settle import settle
from ooh.gainshare.simulate import (
    compile_terms,
    prepare_noise,
    settle_totals,
    simulate,
)

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_CONTRACT = ROOT / "sample_inputs" / "contract.toml"
SAMPLE_ACTIVITY = ROOT / "sample_inputs" / "activity.csv"
MEASURES = ("ae_attendance", "admission_short", "admission_long")
PRICES = (D("280.17"), D("825.86"), D("5419.28"))
PRACTICES = (("P01", 7000), ("P02", 5000), ("P03", 3000))
PERF_START = "2025-04"
BASE_MONTHS = months_from("2022-04", 36)
PERF_MONTHS = months_from(PERF_START, 12)
MONTHLY = {"ae_attendance": 15.0, "admission_short": 3.0, "admission_long": 2.1}  # per 1,000


def small_activity(seed: int = 7) -> Activity:
    """Three practices, 36 baseline months of gamma-Poisson counts, performance year zeros."""
    rng = np.random.default_rng(seed)
    counts: dict[tuple[str, str, str], int] = {}
    for code, size in PRACTICES:
        for measure in MEASURES:
            for month in BASE_MONTHS:
                mu = size / 1000 * MONTHLY[measure] * rng.gamma(400, 1 / 400)
                counts[(code, month, measure)] = int(rng.poisson(mu))
            for month in PERF_MONTHS:
                counts[(code, month, measure)] = 0
    return Activity(counts)


ACTIVITY = small_activity()


def baseline_cost_estimate() -> float:
    # 60/30/10 weighting is close enough to the mean for choosing test tier limits
    yearly = {
        m: sum(ACTIVITY.counts[(p, mo, m)] for p, _ in PRACTICES for mo in BASE_MONTHS) / 3
        for m in MEASURES
    }
    return sum(float(price) * yearly[m] for m, price in zip(MEASURES, PRICES, strict=True))


B_EST = baseline_cost_estimate()


def make_contract(**terms: Any):
    doc: dict[str, Any] = {
        "contract": {"performance_year_start": PERF_START},
        "parties": {"commissioner": "ICB", "provider": "Federation"},
        "practices": [{"code": c, "list_size": n} for c, n in PRACTICES],
        "baseline": {"years": 3, "weights": [10, 30, 60]},
    }
    doc.update(terms)
    return contract_from_dict(doc)


def with_performance(activity: Activity, contract: Any, totals: Any) -> Activity:
    """The activity with a performance year whose measure totals are ``totals`` (all in one
    practice-month; the settlement only uses yearly totals)."""
    counts = dict(activity.counts)
    codes = [p.code for p in contract.practices]
    for p in codes:
        for m in MEASURES:
            for month in contract.performance_months:
                counts[(p, month, m)] = 0
    for m, total in zip(MEASURES, totals, strict=True):
        counts[(codes[0], contract.performance_months[0], m)] = int(total)
    return Activity(counts)


def assert_matches_oracle(contract: Any, activity: Activity, totals: np.ndarray) -> None:
    terms = compile_terms(contract, activity)
    out = settle_totals(terms, totals)
    for i, row in enumerate(totals):
        exact = settle(contract, with_performance(activity, contract, row))
        got = {
            "net savings": out.net_savings[i],
            "gain payment": out.gain_payment[i],
            "repayment": out.repayment[i],
            "withhold returned": out.withhold_returned[i],
            "transfer": out.transfer[i],
            "provider net": out.provider_net[i],
            "commissioner net": out.commissioner_net[i],
        }
        want = {
            "net savings": exact.net_savings,
            "gain payment": exact.gain_payment,
            "repayment": exact.repayment,
            "withhold returned": exact.withhold_returned,
            "transfer": exact.transfer,
            "provider net": exact.provider_net,
            "commissioner net": exact.commissioner_net_saving,
        }
        for key, value in want.items():
            # exact: both work in whole pence with the same half-up roundings
            assert D(int(got[key])) / terms.unit == value, (key, row, got[key], value)
        assert bool(out.met[i]) == bool(exact.gain is not None and exact.gain.met)


# --- random contract terms -------------------------------------------------------------------

SHARES = st.sampled_from([0, 10, 12.5, 20, 25, 30, 33.33, 40, 50, 62.5, 66.67, 75, 100])


@st.composite
def side_doc(draw: Any, side: str, basis: str) -> dict[str, Any]:
    n = draw(st.integers(1, 3))
    if basis == "currency":
        kinds = ["none", "percent", "amount", "population"]
        fractions = sorted(draw(st.sets(st.integers(1, 150), min_size=n - 1, max_size=n - 1)))
        bounds: list[Any] = [round(B_EST * f / 1000, 2) for f in fractions]
    else:
        kinds = ["none", "ratio", "population"]
        steps = sorted(draw(st.sets(st.integers(1, 150), min_size=n - 1, max_size=n - 1)))
        bounds = [
            round(1 - s / 1000, 4) if side == "gain" else round(1 + s / 1000, 4) for s in steps
        ]
    tiers: list[dict[str, Any]] = [{"up_to": b, "share": draw(SHARES)} for b in bounds]
    tiers.append({"share": draw(SHARES)})
    kind = draw(st.sampled_from(kinds))
    threshold: dict[str, Any] = {
        "type": kind,
        "sharing": draw(st.sampled_from(["first_pound", "above_threshold"])),
    }
    if kind == "percent":
        threshold["value"] = draw(st.integers(0, 60)) / 10
    elif kind == "amount":
        threshold["value"] = round(B_EST * draw(st.integers(0, 60)) / 1000, 2)
    elif kind == "ratio":
        step = draw(st.integers(0, 60)) / 1000
        threshold["value"] = round(1 - step, 3) if side == "gain" else round(1 + step, 3)
    doc: dict[str, Any] = {"tiers": tiers, "threshold": threshold}
    minimum = round(B_EST * draw(st.integers(0, 20)) / 1000, 2)
    doc["minimum_payout"] = minimum
    doc["minimum_payout_mode"] = draw(st.sampled_from(["deductible", "all_or_nothing"]))
    if draw(st.booleans()):
        doc["cap_amount"] = round(minimum + B_EST * draw(st.integers(0, 60)) / 1000, 2)
    if draw(st.booleans()):
        doc["cap_percent"] = draw(st.integers(1, 8))
    return doc


@st.composite
def contract_doc(draw: Any) -> dict[str, Any]:
    basis = draw(st.sampled_from(["currency", "ratio"]))
    doc: dict[str, Any] = {
        "savings": {
            "basis": basis,
            "extra_service_cost": round(B_EST * draw(st.integers(0, 30)) / 1000, 2),
        },
        "gain": draw(side_doc("gain", basis)),
    }
    if draw(st.booleans()):
        doc["loss"] = draw(side_doc("loss", basis))
    method = draw(st.sampled_from(["none", "reductions", "multiplier"]))
    if method != "none":
        results = [draw(st.sampled_from([90, 96])) for _ in range(3)]
        kpis: list[dict[str, Any]] = []
        for i, result in enumerate(results):
            kpi: dict[str, Any] = {"code": f"k{i}", "pass_mark": 95, "result": result}
            if method == "reductions":
                kpi["reduction"] = draw(st.sampled_from([10, 12.5, 25, 33.33]))
            else:
                kpi["weight"] = [50, 30, 20][i]
            kpis.append(kpi)
        if draw(st.booleans()):
            kpis.append(
                {
                    "code": "gate",
                    "pass_mark": 90,
                    "gateway": True,
                    "result": draw(st.sampled_from([85, 95])),
                }
            )
        doc["quality"] = {
            "method": method,
            "combine": draw(st.sampled_from(["additive", "multiplicative"])),
            "kpis": kpis,
        }
    if draw(st.booleans()):
        doc["withhold"] = {
            "base_contract_value": 2_000_000,
            "percent": draw(st.sampled_from([1, 2.5, 3])),
        }
    if draw(st.booleans()):
        doc["baseline"] = {
            "years": 3,
            "weights": [10, 30, 60],
            "rates_per_1000": True,
            "list_sizes": [14_500, 14_800, 15_000],
            "trend_pct": draw(st.sampled_from([0, 1, -0.5])),
        }
    return doc


@settings(max_examples=40, deadline=None)
@given(contract_doc(), st.integers(0, 2**31 - 1))
def test_vectorised_settlement_equals_exact_settle_to_the_penny(doc, seed):
    contract = make_contract(**doc)
    rng = np.random.default_rng(seed)
    terms = compile_terms(contract, ACTIVITY)
    base = np.array([float(c) for c in terms.baseline_counts])
    # activity from 15% below to 15% above the baseline: every band, threshold and cap in reach
    totals = np.rint(base * (1 + rng.uniform(-0.15, 0.15, (12, 3))))
    assert_matches_oracle(contract, ACTIVITY, totals)


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "models").glob("*.toml")))
def test_vectorised_settlement_equals_settle_on_shipped_models(name):
    contract = load_contract(ROOT / "models" / name)
    activity = read_activity(SAMPLE_ACTIVITY)
    terms = compile_terms(contract, activity)
    base = np.array([float(c) for c in terms.baseline_counts])
    rng = np.random.default_rng(11)
    totals = np.rint(base * (1 + rng.uniform(-0.08, 0.08, (15, 3))))
    assert_matches_oracle(contract, activity, totals)


def test_rounding_half_up_at_an_exact_half_penny():
    # 50% of an odd number of pence is an exact half penny: settle rounds it up
    contract = make_contract(gain={"tiers": [{"share": 50}]}, loss={"tiers": [{"share": 50}]})
    terms = compile_terms(contract, ACTIVITY)
    base = np.array([float(c) for c in terms.baseline_counts])
    rows = []
    for delta in range(-40, 40):
        row = np.rint(base)
        row[0] += delta
        rows.append(row)
    totals = np.array(rows)
    out = settle_totals(terms, totals)
    odd = (out.net_savings % 2 != 0) & (out.net_savings > 0)
    assert odd.any()
    assert np.all(out.gain_payment[odd] == (out.net_savings[odd] + 1) // 2)
    assert_matches_oracle(contract, ACTIVITY, totals[:20])


# --- the simulation ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample() -> tuple[Any, Activity]:
    return load_contract(SAMPLE_CONTRACT), read_activity(SAMPLE_ACTIVITY)


def test_simulation_is_reproducible_for_a_seed_and_any_number_of_workers(sample):
    contract, activity = sample
    a = simulate(contract, activity, draws=3000, seed=5, chunk=1000, workers=1)
    b = simulate(contract, activity, draws=3000, seed=5, chunk=1000, workers=2)
    c = simulate(contract, activity, draws=3000, seed=6, chunk=1000, workers=1)
    assert np.array_equal(a.payment, b.payment)
    assert np.array_equal(a.null_payment, b.null_payment)
    assert a.summary == b.summary
    assert not np.array_equal(a.net_savings, c.net_savings)


def test_poisson_noise_alone_pays_for_chance_as_the_normal_approximation_says(sample):
    contract, activity = sample
    contract = replace(
        contract,
        savings=replace(contract.savings, extra_service_cost=D(0)),
        gain=replace(contract.gain, threshold=replace(contract.gain.threshold, value=D(1))),
    )
    terms = compile_terms(contract, activity)
    model = prepare_noise(contract, activity, terms, counterfactual="baseline", trend_sd=0.0)
    poisson_only = type(model)(tuple(replace(m, total_shape=math.inf) for m in model.measures))
    draws = 20_000
    sim = simulate(
        contract, activity, draws=draws, seed=3, noise=poisson_only, terms=terms, effect=Effect()
    )
    # net savings = sum of price x (baseline - Poisson count): mean ~0 (the baseline counts are
    # to 2 dp), variance sum of price^2 x baseline count; paid when it reaches the threshold.
    prices = [p / terms.unit for p in terms.prices]
    mean = sum(
        p * (float(b) - m.expected)
        for p, b, m in zip(prices, terms.baseline_counts, poisson_only.measures, strict=True)
    )
    sd = math.sqrt(
        sum(p * p * m.expected for p, m in zip(prices, poisson_only.measures, strict=True))
    )
    z = (terms.gain.threshold / terms.unit - mean) / sd
    want = 0.5 * math.erfc(z / math.sqrt(2))
    got = sim.summary["p_provider_paid"]
    assert 0.05 < want < 0.5
    assert abs(got - want) <= 4 * math.sqrt(want * (1 - want) / draws) + 0.005
    # no effect: the null run is the same experiment on common random numbers
    assert abs(sim.summary["p_paid_no_effect"] - got) <= 4 * math.sqrt(want * (1 - want) / draws)


def test_null_run_uses_no_effect_and_a_real_effect_pays_more(sample):
    contract, activity = sample
    sim = simulate(contract, activity, draws=4000, seed=9, effect=Effect("fixed", -0.06))
    assert sim.summary["p_provider_paid"] > sim.summary["p_paid_no_effect"]
    assert sim.summary["mean_payment"] > sim.summary["mean_payment_no_effect"]
    assert np.mean(sim.payment) == pytest.approx(sim.summary["mean_payment"])
    assert set(sim.percentiles["payment"]) == {5, 25, 50, 75, 95}
    assert sim.percentiles["payment"][5] <= sim.percentiles["payment"][95]


def test_mean_matches_the_settlement_of_expected_activity(sample):
    # A two-sided 40% share with no threshold, minimum or cap is linear in net savings
    # (up to half a penny of rounding per draw), so E[payment] = payment(E[activity]).
    _, activity = sample
    base = load_contract(SAMPLE_CONTRACT)
    contract = contract_from_dict(
        {
            "contract": {"performance_year_start": base.performance_year_start},
            "parties": {"commissioner": "ICB", "provider": "Federation"},
            "practices": [{"code": p.code, "list_size": p.list_size} for p in base.practices],
            "baseline": {"years": 3, "weights": [10, 30, 60]},
            "gain": {"tiers": [{"share": 40}]},
            "loss": {"tiers": [{"share": 40}]},
        }
    )
    effect = Effect("normal", -0.02, 0.01)
    draws = 40_000
    sim = simulate(contract, activity, draws=draws, seed=21, effect=effect)
    expected = [m.expected * (1 + effect.mean) for m in sim.noise.measures]
    whole = [round(x) for x in expected]
    exact = settle(contract, with_performance(activity, contract, whole))
    # rounding the expected counts to whole numbers moves the payment by at most
    # 40% x 0.5 count x price per measure
    rounding = sum(0.4 * 0.5 * float(m.price) for m in exact.measures)
    se = sim.summary["se_mean_payment"]
    assert se > 0
    assert abs(sim.summary["mean_payment"] - float(exact.transfer)) <= 4 * se + rounding


def test_percentiles_use_kept_draws_and_json_is_plain(sample):
    contract, activity = sample
    sim = simulate(contract, activity, draws=1500, seed=2)
    data = sim.to_dict()
    import json

    text = json.dumps(data)
    assert '"p_paid_no_effect"' in text
    assert data["draws"] == 1500 and len(sim.payment) == 1500
    assert data["percentiles"]["payment"]["50"] == pytest.approx(
        float(np.percentile(sim.payment, 50)), abs=0.01
    )


def test_memory_is_bounded_percentiles_from_kept_draws(sample, monkeypatch):
    import ooh.gainshare.simulate as sim_module

    contract, activity = sample
    full = simulate(contract, activity, draws=2500, seed=4, chunk=1000)
    monkeypatch.setattr(sim_module, "KEEP_DRAWS", 700)
    sim = simulate(contract, activity, draws=2500, seed=4, chunk=1000)
    assert len(full.payment) == 2500
    assert len(sim.payment) == 700 and sim.draws == 2500
    assert any("first 700 of 2,500 draws" in n for n in sim.notes)
    # means use every draw, and the kept draws are the first ones
    assert sim.summary == full.summary
    assert np.array_equal(sim.payment, full.payment[:700])
