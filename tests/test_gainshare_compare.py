"""Contracts side by side on the same draws."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from ooh.errors import OohError
from ooh.gainshare.activity import read_activity
from ooh.gainshare.compare import compare
from ooh.gainshare.contract import load_contract
from ooh.gainshare.sweep import set_term, sweep

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sample():
    return (
        load_contract(ROOT / "sample_inputs" / "contract.toml"),
        read_activity(ROOT / "sample_inputs" / "activity.csv"),
    )


def test_compare_uses_the_same_draws_for_every_contract(sample):
    contract, activity = sample
    higher = set_term(contract, "gain.threshold.value", "3")
    result = compare([contract, higher, contract], activity, draws=3000, seed=5)
    a, b, c = (row.metrics for row in result.contracts)
    assert a == c  # the same terms on the same draws give the same figures
    assert b.p_paid_no_effect < a.p_paid_no_effect
    assert b.mean_net_savings == a.mean_net_savings  # same activity, same baseline
    # and the same numbers a sweep gives for those terms
    swept = sweep(contract, activity, [("gain.threshold.value", ["2", "3"])], draws=3000, seed=5)
    assert swept.points[0].metrics == a and swept.points[1].metrics == b
    assert result.contracts[1].threshold > result.contracts[0].threshold


def test_compare_shipped_models_on_the_sample(sample):
    contract, activity = sample
    models = [load_contract(p) for p in sorted((ROOT / "models").glob("*.toml"))]
    result = compare([contract, *models], activity, draws=2000, seed=1)
    assert len(result.contracts) == len(models) + 1
    names = [row.name for row in result.contracts]
    assert names[0] == contract.name
    two_sided = [row for row in result.contracts if load_contract_has_loss(row.source)]
    assert all(row.metrics.p_provider_repays >= 0 for row in result.contracts)
    assert any(row.metrics.p_provider_repays > 0 for row in two_sided)


def load_contract_has_loss(source: str) -> bool:
    return bool(source) and load_contract(source).loss is not None


def test_compare_refuses_different_federations(sample):
    contract, activity = sample
    other = replace(contract, practices=contract.practices[:5])
    with pytest.raises(OohError, match="member practices differ"):
        compare([contract, other], activity, draws=100)
    with pytest.raises(OohError, match="at least one contract"):
        compare([], activity)
