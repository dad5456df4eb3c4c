"""Term sweeps: parsing --vary, setting terms by key, common draws across grid points."""

from __future__ import annotations

from decimal import Decimal as D
from itertools import pairwise
from pathlib import Path

import pytest

from ooh.errors import OohError
from ooh.gainshare.activity import read_activity
from ooh.gainshare.contract import load_contract
from ooh.gainshare.simulate import compile_terms, draw_all, prepare_noise
from ooh.gainshare.sweep import metrics, parse_vary, set_term, sweep

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sample():
    return (
        load_contract(ROOT / "sample_inputs" / "contract.toml"),
        read_activity(ROOT / "sample_inputs" / "activity.csv"),
    )


def test_parse_vary_ranges_include_stop_and_lists_keep_words():
    assert parse_vary("gain.threshold.value=0:1:0.25") == (
        "gain.threshold.value",
        ["0.00", "0.25", "0.50", "0.75", "1.00"],
    )
    assert parse_vary("gain.threshold.sharing=first_pound, above_threshold") == (
        "gain.threshold.sharing",
        ["first_pound", "above_threshold"],
    )
    for bad, message in [
        ("gain.threshold.value", "key=start:stop:step"),
        ("x=1:2", "start:stop:step"),
        ("x=1:0:1", "stop must not be below start"),
        ("x=0:1:0", "step must be more than 0"),
        ("x=a:b:c", "must be numbers"),
    ]:
        with pytest.raises(OohError, match=message):
            parse_vary(bad)


def test_set_term_converts_to_the_field_type(sample):
    contract, _ = sample
    c = set_term(contract, "gain.tiers[0].share", "40")
    assert c.gain.tiers[0].share == D("40") and isinstance(c.gain.tiers[0].share, D)
    assert c.gain.tiers[1] == contract.gain.tiers[1]
    c = set_term(contract, "simulation.effect.mean", "-0.05")
    assert c.simulation.effect.mean == -0.05
    c = set_term(contract, "gain.cap_amount", "2000000")  # None in the file: typed from the field
    assert c.gain.cap_amount == D(2_000_000)
    c = set_term(contract, "gain.threshold.sharing", "above_threshold")
    assert c.gain.threshold.sharing == "above_threshold"
    assert contract.gain.threshold.sharing == "first_pound"  # the original is untouched


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("gain.treshold.value", "2", "unknown key 'treshold' in gain .*known: .*threshold"),
        ("loss.tiers[0].share", "50", r"the contract has no \[loss\] section"),
        ("gain.tiers[5].share", "50", r"has 2 entries; \[5\] is out of range"),
        ("gain.tiers[0].share", "120", "must be a percentage 0-100"),
        ("gain.threshold", "2", "is a section"),
        ("gain.threshold.value", "two", "must be a number"),
        ("simulation.draws", "1.5", "must be a whole number"),
    ],
)
def test_set_term_rejects_unknown_keys_and_bad_values(sample, key, value, message):
    contract, _ = sample
    with pytest.raises(OohError, match=message):
        set_term(contract, key, value)


def test_sweep_rejects_tiers_out_of_order(sample):
    contract, activity = sample
    tiered = load_contract(ROOT / "models" / "tiered-with-caps.toml")  # bands to £500k, £1.5m
    with pytest.raises(OohError, match="puts the gain tiers out of order"):
        sweep(tiered, activity, [("gain.tiers[0].up_to", ["400000", "2000000"])], draws=100)
    with pytest.raises(OohError, match="unknown key"):
        sweep(contract, activity, [("gain.nope", ["1"])], draws=100)


def test_grid_points_share_the_same_draws(sample):
    contract, activity = sample
    draws, seed = 4000, 12
    result = sweep(
        contract,
        activity,
        [parse_vary("gain.threshold.value=1:3:0.5"), parse_vary("gain.tiers[0].share=40,60")],
        draws=draws,
        seed=seed,
    )
    assert result.keys == ("gain.threshold.value", "gain.tiers[0].share")
    assert len(result.points) == 10
    assert result.points[0].values == (D("1"), D("40"))
    assert result.points[1].values == (D("1"), D("60"))
    # the point equal to the contract as written matches a direct settlement of the same draws
    terms = compile_terms(contract, activity)
    totals, null = draw_all(
        prepare_noise(contract, activity, terms), contract.simulation.effect, seed, draws
    )
    direct = metrics(set_term_terms(contract, activity, "2", "40"), totals, null)
    point = next(p for p in result.points if p.values == (D("2.0"), D("40")))
    assert point.metrics == direct
    # with common draws a higher threshold can only lower the chance of being paid
    for share in (D("40"), D("60")):
        chance = [p.metrics.p_paid_no_effect for p in result.points if p.values[1] == share]
        assert all(a >= b for a, b in pairwise(chance))
        assert chance[0] > chance[-1]
    # a bigger share pays more at every threshold
    for a, b in zip(result.points[::2], result.points[1::2], strict=True):
        assert b.metrics.mean_payment > a.metrics.mean_payment
    assert len(result.rows()) == 10 and len(result.rows()[0]) == len(result.headers())


def set_term_terms(contract, activity, threshold, share):
    c = set_term(
        set_term(contract, "gain.threshold.value", threshold), "gain.tiers[0].share", share
    )
    return compile_terms(c, activity)


def test_sweeping_the_assumed_effect_redraws_activity(sample):
    contract, activity = sample
    result = sweep(
        contract, activity, [parse_vary("simulation.effect.mean=-0.06:0:0.03")], draws=3000, seed=2
    )
    pay = [p.metrics.mean_payment for p in result.points]
    assert pay[0] > pay[1] > pay[2]
    # the chance-payment risk does not depend on the assumed effect (same null draws)
    chance = {p.metrics.p_paid_no_effect for p in result.points}
    assert len(chance) == 1
