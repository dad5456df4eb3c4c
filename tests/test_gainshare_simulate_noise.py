"""The noise model: dispersion estimates recover known values; the yearly-total shortcut has
the variance of the full practice-month model; draws follow the fitted model."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ooh.errors import OohError
from ooh.gainshare.noise import (
    NoiseModel,
    cell_dispersion,
    draw_totals,
    estimate_measure,
    month_index,
)

START = month_index(2022, 4)
MONTHS = list(range(START, START + 36))
PERF = list(range(START + 36, START + 48))


def simulate_cells(rng, sizes, phi_cell, phi_common, months, trend=0.0, season=0.0):
    """Counts from the model in the module docstring: practices x months."""
    t = np.arange(len(months))
    cal = (np.array(months) % 12) + 1
    mu = np.outer(
        sizes, (1 + trend) ** (t / 12) * (1 + season * np.cos(2 * np.pi * (cal - 1) / 12))
    )
    common = rng.gamma(1 / phi_common, phi_common, len(months)) if phi_common else 1.0
    cell = rng.gamma(1 / phi_cell, phi_cell, mu.shape) if phi_cell else 1.0
    return rng.poisson(mu * common * cell).astype(float)


def test_pure_poisson_counts_estimate_no_overdispersion():
    rng = np.random.default_rng(1)
    estimates = [
        cell_dispersion(simulate_cells(rng, np.full(20, 200.0), 0, 0, MONTHS)) for _ in range(30)
    ]
    # Poisson: phi is 0; each estimate is floored at 0, the average stays tiny
    assert np.mean(estimates) < 0.0005


def test_dispersions_are_recovered_on_average():
    rng = np.random.default_rng(2)
    sizes = rng.uniform(80, 400, 25)
    phi_cell, phi_common = 0.01, 0.0025  # CV 10% per practice-month, 5% federation-wide
    fits = [
        estimate_measure(
            "m", simulate_cells(rng, sizes, phi_cell, phi_common, MONTHS, 0.02, 0.1), MONTHS, PERF
        )
        for _ in range(40)
    ]
    assert np.mean([f.phi_cell for f in fits]) == pytest.approx(phi_cell, rel=0.1)
    assert np.mean([f.phi_common for f in fits]) == pytest.approx(phi_common, rel=0.3)
    # the fitted trend and winter peak are those simulated
    assert np.mean([f.trend for f in fits]) == pytest.approx(0.02, abs=0.01)
    season = np.mean([f.seasonal for f in fits], axis=0)
    assert season[0] > season[6]  # January above July


def test_yearly_total_shortcut_has_the_full_models_variance():
    # The simulation draws a year's total as one gamma-Poisson with matched variance; compare
    # with summing a full practice-month simulation of the same fitted model.
    rng = np.random.default_rng(3)
    sizes = rng.uniform(80, 400, 20)
    fit = estimate_measure("m", simulate_cells(rng, sizes, 0.01, 0.002, MONTHS), MONTHS, PERF)
    model = NoiseModel((fit,))
    share = sizes / sizes.sum()
    per_month = fit.expected / 12  # no season or trend was simulated: months are alike
    reps = 20_000
    full = np.empty(reps)
    for i in range(reps // 1000):
        common = (
            rng.gamma(1 / fit.phi_common, fit.phi_common, (1000, 12)) if fit.phi_common else 1.0
        )
        cell = (
            rng.gamma(1 / fit.phi_cell, fit.phi_cell, (1000, 12, len(sizes)))
            if fit.phi_cell
            else 1.0
        )
        mu = per_month * share[None, None, :] * np.asarray(common)[..., None] * cell
        full[i * 1000 : (i + 1) * 1000] = rng.poisson(mu).sum(axis=(1, 2))
    no_trend = NoiseModel((type(fit)(**{**fit.__dict__, "trend_sd": 0.0}),))
    gen = [np.random.default_rng(4)]
    short = draw_totals(no_trend, gen, np.zeros(reps))[:, 0]
    assert short.mean() == pytest.approx(full.mean(), rel=0.003)
    assert short.var() == pytest.approx(full.var(), rel=0.06)
    # and the model's own CV formula agrees with its draws (trend uncertainty included)
    with_trend = draw_totals(model, [np.random.default_rng(5)], np.zeros(reps))[:, 0]
    assert with_trend.std() / with_trend.mean() == pytest.approx(fit.total_cv, rel=0.05)


def test_effect_scales_the_mean():
    fit = estimate_measure(
        "m",
        simulate_cells(np.random.default_rng(6), np.full(10, 300.0), 0.005, 0.001, MONTHS),
        MONTHS,
        PERF,
    )
    model = NoiseModel((fit,))
    fall = draw_totals(model, [np.random.default_rng(7)], np.full(20_000, -0.1))[:, 0]
    assert fall.mean() == pytest.approx(0.9 * fit.expected, rel=0.01)


def test_scaling_to_a_larger_federation_shrinks_relative_variation():
    fit = estimate_measure(
        "m",
        simulate_cells(np.random.default_rng(8), np.full(10, 300.0), 0.005, 0.001, MONTHS),
        MONTHS,
        PERF,
    )
    big = fit.scaled(10)
    assert big.expected == pytest.approx(10 * fit.expected)
    assert big.total_cv < fit.total_cv
    assert big.herfindahl == pytest.approx(fit.herfindahl / 10)
    assert math.isfinite(big.total_shape)


def test_too_few_months_is_a_clear_error():
    with pytest.raises(OohError, match="at least 3 baseline months"):
        estimate_measure("ae_attendance", np.ones((2, 2)), MONTHS[:2], PERF)
