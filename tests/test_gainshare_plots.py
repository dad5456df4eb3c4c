"""Gain-share figures: each builds on a given axes or its own figure and saves a PNG."""

from __future__ import annotations

from pathlib import Path

import pytest

from ooh.errors import OohError
from ooh.gainshare.activity import read_activity
from ooh.gainshare.contract import load_contract
from ooh.gainshare.plots import (
    plot_payment_curve,
    plot_payment_distribution,
    plot_sweep_heatmap,
    plot_waterfall,
    save_figure,
    save_simulation_plots,
    save_sweep_plots,
    waterfall_steps,
)
from ooh.gainshare.settle import settle
from ooh.gainshare.simulate import simulate
from ooh.gainshare.sweep import set_term, sweep

ROOT = Path(__file__).resolve().parents[1]
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def sample():
    contract = load_contract(ROOT / "sample_inputs" / "contract.toml")
    activity = read_activity(ROOT / "sample_inputs" / "activity.csv")
    return contract, activity, simulate(contract, activity, draws=2000, seed=1)


def test_each_plot_draws_on_a_given_axes(sample):
    from matplotlib.figure import Figure

    contract, activity, sim = sample
    fig = Figure()
    axes = fig.subplots(2, 2).ravel()
    assert plot_payment_distribution(sim, ax=axes[0]) is fig
    assert plot_payment_curve(sim.terms, ax=axes[1]) is fig
    assert plot_waterfall(settle(contract, activity), ax=axes[2]) is fig
    result = sweep(contract, activity, [("gain.tiers[0].share", ["40", "50"])], draws=200)
    assert plot_sweep_heatmap(result, ax=axes[3]) is fig
    assert len(axes[0].patches) > 0 and len(axes[1].lines) >= 2 and len(axes[2].patches) >= 3


def test_waterfall_steps_add_up_to_the_payment(sample):
    contract, activity, _ = sample
    capped = set_term(contract, "gain.cap_amount", "500000")
    s = settle(capped, activity)
    steps = waterfall_steps(s)
    labels = [label for label, _, _ in steps]
    assert labels[0] == "Net savings" and labels[-2:] == [
        "Year-end payment",
        "Commissioner net saving",
    ]
    assert "Cap" in labels
    tiered = next(a for label, a, _ in steps if label == "Provider's tiered share")
    deltas = sum(a for _, a, total in steps if not total)
    assert tiered + deltas == pytest.approx(float(s.transfer), abs=0.001)
    assert next(a for label, a, _ in steps if label == "Year-end payment") == float(s.transfer)


def test_saved_plots_are_pngs(sample, tmp_path):
    contract, activity, sim = sample
    paths = save_simulation_plots(sim, tmp_path, settle(contract, activity))
    assert [p.name for p in paths] == [
        "payment-distribution.png",
        "payment-curve.png",
        "settlement-waterfall.png",
    ]
    for p in paths:
        assert p.read_bytes()[:8] == PNG
    result = sweep(
        contract,
        activity,
        [("gain.threshold.value", ["1", "2", "3"]), ("gain.tiers[0].share", ["40", "60"])],
        draws=200,
    )
    sweep_paths = save_sweep_plots(result, tmp_path)
    assert len(sweep_paths) == 3 and all(p.read_bytes()[:8] == PNG for p in sweep_paths)
    assert save_figure(plot_payment_curve(sim.terms), tmp_path / "x.png").stat().st_size > 1000


def test_plot_errors_are_clear(sample, tmp_path):
    contract, activity, sim = sample
    result = sweep(contract, activity, [("gain.tiers[0].share", ["40"])], draws=100)
    with pytest.raises(OohError, match="unknown sweep metric"):
        plot_sweep_heatmap(result, "nope")
    with pytest.raises(OohError, match="plots folder does not exist"):
        save_simulation_plots(sim, tmp_path / "missing")
