"""The minimum savings threshold that chance alone rarely crosses.

With no real change in activity, the performance year still differs from the baseline by
chance (overdispersed counts, trend uncertainty). A threshold t (% of baseline cost) pays for
chance with probability P(net savings >= t | no change). The smallest t keeping that at or
below alpha is the (1 - alpha) quantile of the null distribution of net savings, rounded up
to the next 0.01% whose £ amount (rounded to the penny, as settled) lies above it.

The table by population repeats this for federations of other sizes (the same practices'
rates and variation, scaled): the threshold falls roughly like 1/sqrt(population) until the
federation-wide shocks and trend uncertainty, which do not average out, dominate. This is
the reasoning behind the MSSP's size-based minimum savings rate, made explicit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, Decimal
from fractions import Fraction
from typing import Any

import numpy as np

from ooh.errors import OohError
from ooh.gainshare.activity import Activity
from ooh.gainshare.contract import MSSP_TABLE, Contract, Effect, Threshold
from ooh.gainshare.settle import interpolate_table
from ooh.gainshare.simulate import (
    DEFAULT_CHUNK,
    DEFAULT_SEED,
    compile_terms,
    draw_all,
    prepare_noise,
    settle_totals,
)

DEFAULT_DRAWS = 100_000
DEFAULT_POPULATIONS = (5_000, 10_000, 20_000, 50_000, 100_000, 250_000, 500_000, 1_000_000)


@dataclass(frozen=True)
class PopulationRow:
    population: int
    threshold_pct: float  # smallest threshold keeping P(payment | no change) <= alpha
    mssp_pct: float  # the MSSP minimum savings rate at this population, for comparison
    null_sd_pct: float  # sd of net savings under no change, % of baseline
    is_contract: bool  # the contract's own population


@dataclass(frozen=True)
class ThresholdResult:
    contract_name: str
    alpha: float
    draws: int
    seed: int
    counterfactual: str
    population: int
    baseline_cost: float  # £
    threshold_pct: float  # % of baseline cost
    threshold_amount: float  # £, as the settlement rounds it
    threshold_ratio: float  # the same threshold on the ratio basis: actual/baseline at most this
    p_payment_at_threshold: float  # P(payment | no change) settled with that threshold
    current_threshold_pct: float  # the contract's own gain threshold, % of baseline
    p_payment_current: float  # P(payment | no change) under the contract as written
    null_mean_pct: float  # mean net savings under no change, % of baseline
    null_sd_pct: float
    table: tuple[PopulationRow, ...]

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)


def smallest_threshold_pct(net_units: np.ndarray, baseline_units: int, alpha: float) -> Decimal:
    """Smallest percentage (0.01 steps) whose threshold, rounded to the penny as settled
    (half up), lies above all but a fraction alpha of the null net savings."""
    n = len(net_units)
    k = int(math.floor(alpha * n + 1e-9))  # draws allowed to meet the threshold
    if k >= n:
        return Decimal(0)
    ordered = np.sort(net_units)[::-1]
    limit = int(ordered[k])  # the (k+1)-th largest must fall below the threshold
    if limit <= 0:
        return Decimal(0)  # payment needs savings above 0: chance pays at most alpha already
    pct = (Decimal(limit) / Decimal(baseline_units) * 100).quantize(
        Decimal("0.01"), rounding=ROUND_CEILING
    )

    def amount(p: Decimal) -> int:  # money(B x p%) in units, half up
        value = Fraction(baseline_units) * Fraction(p) / 100
        return math.floor(value + Fraction(1, 2))

    while amount(pct) <= limit:
        pct += Decimal("0.01")
    while pct > 0 and amount(pct - Decimal("0.01")) > limit:
        pct -= Decimal("0.01")
    return pct


def with_gain_threshold(contract: Contract, pct: Decimal) -> Contract:
    """The contract with its gain threshold set to ``pct`` % of baseline (ratio on that basis)."""
    old = contract.gain.threshold
    if contract.savings.basis == "ratio":
        new = Threshold("ratio", 1 - pct / 100, old.sharing, old.population, old.table)
    else:
        new = Threshold("percent", pct, old.sharing, old.population, old.table)
    return replace(contract, gain=replace(contract.gain, threshold=new))


def find_threshold(
    contract: Contract,
    activity: Activity,
    alpha: float = 0.1,
    draws: int = DEFAULT_DRAWS,
    seed: int | None = None,
    *,
    populations: Sequence[int] = DEFAULT_POPULATIONS,
    counterfactual: str = "baseline",
    trend_sd: float | None = None,
    chunk: int = DEFAULT_CHUNK,
) -> ThresholdResult:
    """The smallest gain threshold keeping P(payment | no real change) <= alpha."""
    if not 0 < alpha < 1:
        raise OohError(f"alpha must be between 0 and 1 (e.g. 0.1); got {alpha}")
    if draws < 100:
        raise OohError(f"the threshold needs at least 100 draws; got {draws}")
    if seed is None:
        seed = DEFAULT_SEED if contract.simulation.seed is None else contract.simulation.seed
    terms = compile_terms(contract, activity)
    model = prepare_noise(contract, activity, terms, counterfactual, trend_sd)
    _, null = draw_all(model, Effect(), seed, draws, chunk)
    outcome = settle_totals(terms, null)
    net = outcome.net_savings
    pct = smallest_threshold_pct(net, terms.baseline_cost, alpha)
    found = compile_terms(with_gain_threshold(contract, pct), activity)
    achieved = float((settle_totals(found, null).gain_payment > 0).mean())
    null_pct = net.astype(float) / terms.baseline_cost * 100.0

    rows = []
    population = terms.population
    sizes = sorted(set(populations) | {population})
    prices = np.array(terms.prices, dtype=float) / terms.unit
    base_pounds = terms.baseline_cost / terms.unit
    extra_pounds = terms.extra / terms.unit
    for size in sizes:
        factor = size / population
        scaled = model.scaled(factor)
        _, totals = draw_all(scaled, Effect(), seed, draws, chunk)
        # the baseline and extra cost grow with the federation; savings as % of baseline
        savings = (base_pounds * factor - totals @ prices - extra_pounds * factor) / (
            base_pounds * factor
        )
        q = float(np.quantile(savings * 100.0, 1 - alpha, method="higher"))
        rows.append(
            PopulationRow(
                population=size,
                threshold_pct=max(0.0, math.ceil(q * 100 - 1e-9) / 100),
                mssp_pct=float(interpolate_table(size, MSSP_TABLE)),
                null_sd_pct=float(np.std(savings) * 100.0),
                is_contract=size == population,
            )
        )
    current = float(terms.gain.threshold) / terms.baseline_cost * 100.0
    return ThresholdResult(
        contract_name=contract.name,
        alpha=alpha,
        draws=draws,
        seed=seed,
        counterfactual=counterfactual,
        population=population,
        baseline_cost=base_pounds,
        threshold_pct=float(pct),
        threshold_amount=float(found.gain.threshold) / found.unit,
        threshold_ratio=float(1 - pct / 100),
        p_payment_at_threshold=achieved,
        current_threshold_pct=round(current, 4),
        p_payment_current=float((outcome.gain_payment > 0).mean()),
        null_mean_pct=float(null_pct.mean()),
        null_sd_pct=float(null_pct.std()),
        table=tuple(rows),
    )
