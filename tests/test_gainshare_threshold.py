"""The threshold finder: the null-savings quantile, exactness at the penny, the population table."""

from __future__ import annotations

from decimal import ROUND_HALF_UP
from decimal import Decimal as D
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ooh.errors import OohError
from ooh.gainshare.activity import read_activity
from ooh.gainshare.contract import Effect, load_contract
from ooh.gainshare.simulate import compile_terms, draw_all, prepare_noise, settle_totals
from ooh.gainshare.threshold import find_threshold, smallest_threshold_pct, with_gain_threshold

ROOT = Path(__file__).resolve().parents[1]


def test_smallest_threshold_by_hand():
    # ten draws of null net savings 100..1000 pence on a baseline of 10,000 pence; alpha 0.2
    # allows 2 draws to meet the threshold, so the 3rd largest (800p) must fall below it:
    # 8.00% of 10,000p = 800p is met by 800p (>=), 8.01% = 801p is not.
    net = np.arange(100, 1001, 100)
    assert smallest_threshold_pct(net, 10_000, 0.2) == D("8.01")
    # alpha 0.1 allows 1 draw: the 2nd largest (900p) must fall below: 9.01%
    assert smallest_threshold_pct(net, 10_000, 0.1) == D("9.01")
    # half-up rounding of the threshold amount: on 12,345p, 6.49% = 801.19p -> 801p > 800p
    assert smallest_threshold_pct(net, 12_345, 0.2) == D("6.49")


def test_no_threshold_needed_when_chance_savings_are_rare():
    net = np.array([-500, -400, -300, -200, -100, -50, -10, 0, 5, 7])
    # alpha 0.2: the 3rd largest is 0, and payment needs savings above 0
    assert smallest_threshold_pct(net, 10_000, 0.2) == D(0)


@pytest.fixture(scope="module")
def sample():
    return (
        load_contract(ROOT / "sample_inputs" / "contract.toml"),
        read_activity(ROOT / "sample_inputs" / "activity.csv"),
    )


def test_found_threshold_is_the_smallest_keeping_chance_payment_within_alpha(sample):
    contract, activity = sample
    draws, seed, alpha = 20_000, 4, 0.1
    result = find_threshold(contract, activity, alpha=alpha, draws=draws, seed=seed)
    assert result.threshold_pct > 0
    assert result.p_payment_at_threshold <= alpha
    # one hundredth of a percent lower pays for chance more often than alpha on the same draws
    terms = compile_terms(contract, activity)
    model = prepare_noise(contract, activity, terms)
    _, null = draw_all(model, Effect(), seed, draws)
    lower = with_gain_threshold(contract, D(str(result.threshold_pct)) - D("0.01"))
    paid = (settle_totals(compile_terms(lower, activity), null).gain_payment > 0).mean()
    assert paid > alpha
    assert result.threshold_ratio == pytest.approx(1 - result.threshold_pct / 100)
    assert result.threshold_amount == pytest.approx(
        result.baseline_cost * result.threshold_pct / 100, abs=0.01
    )


def test_threshold_falls_with_population_and_matches_at_the_contract_size(sample):
    contract, activity = sample
    result = find_threshold(
        contract, activity, draws=20_000, seed=8, populations=(5_000, 20_000, 60_000, 500_000)
    )
    pcts = [row.threshold_pct for row in result.table]
    assert [row.population for row in result.table] == sorted(
        row.population for row in result.table
    )
    assert all(a >= b for a, b in pairwise(pcts))
    assert pcts[0] > 2 * pcts[-1]
    own = [row for row in result.table if row.is_contract]
    assert len(own) == 1 and own[0].population == result.population
    # the table works in pounds without the penny rounding: within a hundredth of a percent
    assert own[0].threshold_pct == pytest.approx(result.threshold_pct, abs=0.011)
    assert [row.mssp_pct for row in result.table][0] == pytest.approx(3.9)


def test_bad_alpha_is_an_error(sample):
    contract, activity = sample
    with pytest.raises(OohError, match="alpha must be between 0 and 1"):
        find_threshold(contract, activity, alpha=1.5, draws=1000)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(-50_000, 50_000), min_size=5, max_size=60),
    st.integers(10_000, 2_000_000),
    st.sampled_from([0.05, 0.1, 0.2, 0.5]),
)
def test_smallest_threshold_property(nets, baseline, alpha):
    net = np.array(nets)
    pct = smallest_threshold_pct(net, baseline, alpha)
    allowed = int(alpha * len(net) + 1e-9)

    def amount(p: D) -> int:  # the settlement's money(B x p%), half up, in pence
        return int((D(baseline) * p / 100).quantize(D(1), rounding=ROUND_HALF_UP))

    def met(p: D) -> int:
        return int(((net > 0) & (net >= amount(p))).sum())

    assert met(pct) <= allowed
    if pct > 0:
        assert met(pct - D("0.01")) > allowed
