"""Vectorised Monte Carlo of a gain-share contract: what might be paid, and what for chance.

Two halves:

1. ``compile_terms`` turns a contract and the baseline activity into fixed integer terms
   (money in pence): prices, baseline cost, thresholds, tier limits, caps, minimum payouts,
   the quality factor and the withhold, each worked out by the exact settlement's own step
   functions (``ooh.gainshare.settle``). ``settle_totals`` then settles many performance
   years at once from their yearly counts per measure, mirroring ``settle`` step by step in
   int64 pence: tiers -> minimum payout -> caps -> quality -> withhold -> who pays whom. Every
   rounding is the settlement's "to the penny, half up" done in integers, so each draw
   settles to exactly the same pennies as ``settle`` (the per-draw loop over ``settle`` in
   the tests is the oracle).
2. ``simulate`` draws performance-year totals from the noise model (``ooh.gainshare.noise``)
   under the assumed true effect, and again with no effect on the same random streams
   (common random numbers), in fixed-size chunks with their own seeds, so a seed gives the
   same answer on any machine and with any number of threads, and memory stays bounded.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np

from ooh.errors import OohError
from ooh.gainshare.activity import Activity
from ooh.gainshare.contract import Contract, Effect, Side
from ooh.gainshare.noise import NoiseModel, draw_counts, draw_rates, estimate_noise
from ooh.gainshare.settle import (
    effective_cap,
    money,
    population_of,
    settle,
    threshold_amount,
    tier_limits,
)

DEFAULT_SEED = 2026
DEFAULT_CHUNK = 65_536  # draws per chunk; each chunk has its own random streams
KEEP_DRAWS = 5_000_000  # per-draw results kept for percentiles and plots (32 bytes each)
PERCENTILES = (5, 25, 50, 75, 95)
COUNTERFACTUALS = ("baseline", "projection")
_INT_LIMIT = 2**62  # products above this would overflow int64: use exact Python ints


# --- fixed terms in integer money units -------------------------------------------------------


@dataclass(frozen=True)
class SideTerms:
    """One side's terms in money units (pence unless the contract uses fractions of a penny)."""

    threshold: int
    start: int  # sharing counted from here
    lowers: tuple[int, ...]
    uppers: tuple[int | None, ...]
    shares: tuple[Fraction, ...]  # share% / 100
    minimum: int
    all_or_nothing: bool
    cap: int | None


@dataclass(frozen=True)
class Terms:
    """A contract compiled for fast settlement: everything that does not depend on the draw."""

    measures: tuple[str, ...]
    unit: int  # money units per pound (100 = pence)
    prices: tuple[int, ...]
    baseline_counts: tuple[Decimal, ...]
    baseline_costs: tuple[int, ...]
    baseline_cost: int
    extra: int
    gain: SideTerms
    loss: SideTerms | None
    quality_factor: Fraction
    withheld: int
    returned_if_met: int
    population: int
    notes: tuple[str, ...] = ()

    def pounds(self, units: Any) -> Any:
        """Money units to pounds (float arrays for reporting; exact settlement stays integer)."""
        return np.asarray(units, dtype=float) / self.unit


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _to_units(value: Decimal, unit: int) -> int:
    scaled = value * unit
    if scaled != scaled.to_integral_value():
        raise AssertionError(f"{value} is not a whole number of money units")
    return int(scaled)


def _assumed_quality(contract: Contract, given: Mapping[str, Any] | None) -> tuple[dict, list[str]]:
    """KPI results for the simulation: given, else the contract's, else assumed passed."""
    results: dict[str, Any] = dict(given or {})
    notes = []
    for k in contract.quality.kpis:
        if k.code not in results and k.result is None:
            results[k.code] = k.pass_mark
            notes.append(f"KPI {k.code} has no result: assumed passed (at its pass mark)")
    return results, notes


def _baseline_activity(contract: Contract, activity: Activity) -> Activity:
    """The activity's baseline months plus a performance year of zeros: the settlement of this
    fixes every term that does not depend on the performance year's counts."""
    months = {m for year in contract.baseline_year_months() for m in year}
    counts = {k: v for k, v in activity.counts.items() if k[1] in months}
    for p in contract.practices:
        for m in contract.measures:
            for month in contract.performance_months:
                counts[(p.code, month, m.code)] = 0
    return Activity(counts, activity.source)


def compile_terms(
    contract: Contract,
    activity: Activity,
    quality_results: Mapping[str, Any] | None = None,
    cache: dict[Any, Any] | None = None,
) -> Terms:
    """Fix every settlement term that does not depend on the performance year's counts.

    The baseline, prices and quality factor come from ``settle`` itself (run on the baseline
    months with a performance year of zeros); thresholds, tier limits and caps from its step
    functions. KPIs without a result are assumed passed (noted). ``cache`` (a dict kept by
    the caller) reuses that settlement while only gain/loss terms change (sweeps).
    """
    results, notes = _assumed_quality(contract, quality_results)
    key = (
        contract.performance_year_start,
        contract.contract_year,
        contract.practices,
        contract.measures,
        contract.baseline,
        contract.savings,
        contract.quality,
        contract.withhold,
        tuple(sorted((k, str(v)) for k, v in results.items())),
    )
    base = cache.get(key) if cache is not None else None
    if base is None:
        base = settle(contract, _baseline_activity(contract, activity), quality_results=results)
        if cache is not None:
            cache[key] = base
    b = base.baseline_cost
    basis = contract.savings.basis

    def side_values(side: Side, name: str) -> tuple[Decimal, list[Decimal | None], Decimal | None]:
        population = population_of(contract.practices, side.threshold.population)
        threshold, _ = threshold_amount(side.threshold, name, b, population)
        limits = tier_limits(side, basis, b, name)
        cap = effective_cap(side.cap_amount, side.cap_percent, b)
        return threshold, limits, cap

    sides: list[tuple[Side, str]] = [(contract.gain, "gain")]
    if contract.loss is not None:
        sides.append((contract.loss, "loss"))
    values = {name: side_values(side, name) for side, name in sides}
    money_inputs: list[Decimal] = [b, base.extra_service_cost, base.withheld]
    money_inputs += [m.price for m in base.measures] + [m.baseline_cost for m in base.measures]
    for side, name in sides:
        threshold, limits, cap = values[name]
        money_inputs += [threshold, side.minimum_payout]
        money_inputs += [x for x in limits if x is not None] + ([cap] if cap is not None else [])
    unit = 100 * 10 ** max(0, max(_places(x) for x in money_inputs) - 2)

    def compile_side(side: Side, name: str) -> SideTerms:
        threshold, limits, cap = values[name]
        t = _to_units(threshold, unit)
        uppers = tuple(None if x is None else _to_units(x, unit) for x in limits)
        lowers = (0,) + tuple(u for u in uppers[:-1] if u is not None)
        return SideTerms(
            threshold=t,
            start=t if side.threshold.sharing == "above_threshold" else 0,
            lowers=lowers[: len(uppers)],
            uppers=uppers,
            shares=tuple(Fraction(tier.share) / 100 for tier in side.tiers),
            minimum=_to_units(side.minimum_payout, unit),
            all_or_nothing=side.minimum_payout_mode == "all_or_nothing",
            cap=None if cap is None else _to_units(cap, unit),
        )

    factor = base.quality.factor
    return Terms(
        measures=tuple(m.code for m in base.measures),
        unit=unit,
        prices=tuple(_to_units(m.price, unit) for m in base.measures),
        baseline_counts=tuple(m.baseline_count for m in base.measures),
        baseline_costs=tuple(_to_units(m.baseline_cost, unit) for m in base.measures),
        baseline_cost=_to_units(b, unit),
        extra=_to_units(base.extra_service_cost, unit),
        gain=compile_side(contract.gain, "gain"),
        loss=compile_side(contract.loss, "loss") if contract.loss is not None else None,
        quality_factor=Fraction(factor),
        withheld=_to_units(base.withheld, unit),
        returned_if_met=_to_units(money(base.withheld * factor), unit),
        population=base.population,
        notes=tuple(notes),
    )


# --- vectorised settlement ----------------------------------------------------------------------


def _round_share(base: np.ndarray, share: Fraction, penny: int) -> np.ndarray:
    """money(base x share) for base >= 0 in money units: half up to the penny, exactly.

    round_half_up(v) = floor((2 * num + den) / (2 * den)) for v = num / den >= 0; the
    products are checked against int64 overflow and done in Python integers if need be.
    """
    num, den = share.numerator, share.denominator * penny
    if num == 0:
        return np.zeros_like(base)
    if den == 1:
        return base * num
    peak = int(base.max()) if base.size else 0
    if peak * num * 2 + den < _INT_LIMIT:
        return (2 * base * num + den) // (2 * den) * penny
    exact = [(2 * int(x) * num + den) // (2 * den) * penny for x in base]
    return np.array(exact, dtype=np.int64)


def _side(terms: SideTerms, amount: np.ndarray, active: np.ndarray, penny: int) -> tuple:
    """Threshold test, marginal tiers, minimum payout and caps for one side (settle's order).

    Only the draws that meet the threshold are worked on (the rest get nothing).
    """
    met = active & (amount > 0) & (amount >= terms.threshold)
    result = np.zeros(len(amount), dtype=np.int64)
    idx = np.flatnonzero(met)
    if idx.size == 0:
        return met, result
    x = amount[idx]
    tiered = np.zeros_like(x)
    for lower, upper, share in zip(terms.lowers, terms.uppers, terms.shares, strict=True):
        top = x if upper is None else np.minimum(x, upper)
        base = np.maximum(0, top - max(lower, terms.start))
        tiered += _round_share(base, share, penny)
        if upper is None:
            break
    if terms.minimum > 0:
        if terms.all_or_nothing:
            tiered = np.where(tiered >= terms.minimum, tiered, 0)
        else:
            tiered = np.maximum(0, tiered - terms.minimum)
    if terms.cap is not None:
        tiered = np.minimum(tiered, terms.cap)
    result[idx] = tiered
    return met, result


@dataclass(frozen=True)
class Outcome:
    """Settlements of many performance years, in money units (int64 arrays, one per draw)."""

    net_savings: np.ndarray
    met: np.ndarray  # gain threshold met
    gain_payment: np.ndarray
    repayment: np.ndarray
    withhold_returned: np.ndarray
    transfer: np.ndarray  # > 0: commissioner pays provider
    provider_net: np.ndarray
    commissioner_net: np.ndarray


def settle_totals(terms: Terms, counts: np.ndarray) -> Outcome:
    """Settle each row of ``counts`` (draws x measures, performance-year totals) exactly."""
    counts = np.asarray(counts)
    if counts.ndim != 2 or counts.shape[1] != len(terms.prices):
        raise ValueError("counts must be draws x measures")
    approx = counts @ np.array(terms.prices, dtype=float)
    if counts.dtype.kind == "f" and float(approx.max(initial=0)) < 2**52:
        # whole counts times whole-unit prices: every partial sum is exact in float64
        actual = approx.astype(np.int64)
    else:
        actual = np.rint(counts).astype(np.int64) @ np.array(terms.prices, dtype=np.int64)
    return settle_net(terms, terms.baseline_cost - actual - terms.extra)


def settle_net(terms: Terms, net: np.ndarray) -> Outcome:
    """Settle from net savings in money units (baseline - actual - extra service cost)."""
    net = np.asarray(net, dtype=np.int64)
    penny = terms.unit // 100
    met, after_caps = _side(terms.gain, net, net > 0, penny)
    q = terms.quality_factor
    if q == 1:
        gain_payment = after_caps
    else:
        gain_payment = _round_share(after_caps, q, penny) if q else np.zeros_like(after_caps)
    if terms.loss is not None:
        _, repayment = _side(terms.loss, -net, net < 0, penny)
    else:
        repayment = np.zeros_like(net)
    returned = np.where(met, terms.returned_if_met, 0)
    transfer = gain_payment + returned - repayment
    provider_net = gain_payment - repayment - (terms.withheld - returned)
    return Outcome(
        net_savings=net,
        met=met,
        gain_payment=gain_payment,
        repayment=repayment,
        withhold_returned=returned,
        transfer=transfer,
        provider_net=provider_net,
        commissioner_net=net - provider_net,
    )


# --- random draws ------------------------------------------------------------------------------


def effect_of(contract: Contract, mean: float | None = None, sd: float | None = None) -> Effect:
    """The contract's assumed effect, overridden from the command line (mean and/or sd)."""
    effect = contract.simulation.effect
    if mean is None and sd is None:
        return effect
    m = effect.mean if mean is None else mean
    s = (effect.sd if effect.distribution == "normal" else 0.0) if sd is None else sd
    if m <= -1:
        raise OohError(f"--effect-mean {m}: an effect of -1 or less would mean no activity at all")
    if s < 0:
        raise OohError(f"--effect-sd {s}: must be 0 or more")
    return Effect("normal" if s > 0 else "fixed", m, s, 0.0, 0.0)


def draw_effect(effect: Effect, rng: np.random.Generator, n: int) -> np.ndarray:
    """True proportional change per draw (-0.03: activity 3% lower than it would have been)."""
    if effect.distribution == "normal":
        return effect.mean + effect.sd * rng.standard_normal(n)
    if effect.distribution == "uniform":
        return rng.uniform(effect.low, effect.high, n)
    return np.full(n, effect.mean)


def streams(seed: int, chunk_index: int, measures: int) -> tuple[np.random.Generator, list]:
    """The effect stream and one noise stream per measure of a chunk: fixed by (seed, chunk)."""

    def gen(k: int) -> np.random.Generator:
        return np.random.Generator(
            np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(chunk_index, k)))
        )

    return gen(0), [gen(1 + j) for j in range(measures)]


def draw_chunk(
    noise: NoiseModel, effect: Effect, seed: int, chunk_index: int, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Performance-year totals (n x measures) of one chunk, with the true effect and with none.

    Both share the chunk's trend and gamma draws (common random numbers); the Poisson part
    is drawn for each.
    """
    effect_rng, noise_rngs = streams(seed, chunk_index, len(noise.measures))
    e = draw_effect(effect, effect_rng, n)
    rates = draw_rates(noise, noise_rngs, n)
    # no-effect counts first: they then do not depend on the assumed effect at all
    null = draw_counts(noise_rngs, rates)
    return draw_counts(noise_rngs, rates, e), null


def draw_all(
    noise: NoiseModel, effect: Effect, seed: int, draws: int, chunk: int = DEFAULT_CHUNK
) -> tuple[np.ndarray, np.ndarray]:
    """All draws at once (draws x measures), with the effect and with none: the same numbers
    ``simulate`` uses for this seed and chunk. For sweeps and comparisons (common draws)."""
    parts = [
        draw_chunk(noise, effect, seed, i, min(chunk, draws - start))
        for i, start in enumerate(range(0, draws, chunk))
    ]
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


# --- the simulation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Simulation:
    """Results of ``simulate``. Money in pounds. Per-draw arrays hold the first
    ``min(draws, KEEP_DRAWS)`` draws (a random sample: draws are independent)."""

    contract_name: str
    draws: int
    seed: int
    chunk: int
    effect: Effect
    counterfactual: str
    noise: NoiseModel
    terms: Terms
    summary: dict[str, float]
    percentiles: dict[str, dict[int, float]]
    payment: np.ndarray  # year-end transfer, £ (> 0 commissioner pays provider)
    commissioner_net: np.ndarray  # £
    net_savings: np.ndarray  # £
    null_payment: np.ndarray  # transfer with no true effect, same draws
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for --json and run records."""
        return {
            "contract": self.contract_name,
            "draws": self.draws,
            "seed": self.seed,
            "chunk": self.chunk,
            "effect": {
                "distribution": self.effect.distribution,
                "mean": self.effect.mean,
                "sd": self.effect.sd,
                "low": self.effect.low,
                "high": self.effect.high,
            },
            "counterfactual": self.counterfactual,
            "summary": self.summary,
            "percentiles": {
                k: {str(p): v for p, v in d.items()} for k, d in self.percentiles.items()
            },
            "noise": [
                {
                    "measure": m.measure,
                    "expected": m.expected,
                    "projected": m.projected,
                    "phi_cell": m.phi_cell,
                    "phi_common": m.phi_common,
                    "trend": m.trend,
                    "trend_sd": m.trend_sd,
                    "total_shape": m.total_shape if math.isfinite(m.total_shape) else None,
                    "total_cv": m.total_cv,
                }
                for m in self.noise.measures
            ],
            "baseline_cost": float(self.terms.pounds(self.terms.baseline_cost)),
            "notes": list(self.notes),
        }


def prepare_noise(
    contract: Contract,
    activity: Activity,
    terms: Terms,
    counterfactual: str = "baseline",
    trend_sd: float | None = None,
    noise: NoiseModel | None = None,
) -> NoiseModel:
    """The noise model used for draws: fitted (or given), with the counterfactual chosen.

    "baseline" (default): with no real change, activity is centred on the contract's own
    baseline counts (the baseline is right on average; chance and trend uncertainty spread it);
    "projection": centred where the baseline data's own season and trend project it, which
    shows what a baseline that ignores (or misjudges) the trend would pay for.
    ``trend_sd`` (or the contract's ``simulation.trend_sd`` when set, 0 included) replaces the fitted
    trend uncertainty.
    """
    from dataclasses import replace

    if counterfactual not in COUNTERFACTUALS:
        raise OohError(f"counterfactual must be one of {', '.join(COUNTERFACTUALS)}")
    model = noise if noise is not None else estimate_noise(contract, activity)
    sd = trend_sd if trend_sd is not None else contract.simulation.trend_sd
    if sd is not None:
        model = model.with_trend_sd(sd)
    if counterfactual == "baseline":
        expected = dict(zip(terms.measures, terms.baseline_counts, strict=True))
        model = NoiseModel(
            tuple(replace(m, expected=float(expected[m.measure])) for m in model.measures)
        )
    return model


class _Accumulator:
    """Streaming sums and the kept per-draw arrays, filled chunk by chunk in order."""

    def __init__(self, draws: int, terms: Terms) -> None:
        self.terms = terms
        keep = min(draws, KEEP_DRAWS)
        self.kept = 0
        self.keep = keep
        self.arrays = {k: np.empty(keep) for k in ("payment", "commissioner", "net", "null")}
        self.sums = dict.fromkeys(
            (
                "payment",
                "payment_sq",
                "provider_net",
                "commissioner",
                "net",
                "gain_payment",
                "repayment",
                "paid",
                "repays",
                "met",
                "null_paid",
                "null_payment",
                "null_gain_payment",
                "null_met",
            ),
            0.0,
        )
        self.n = 0

    def add(self, out: Outcome, null: Outcome) -> None:
        t = self.terms
        pay = t.pounds(out.transfer)
        s = self.sums
        s["payment"] += float(pay.sum())
        s["payment_sq"] += float((pay**2).sum())
        s["provider_net"] += float(t.pounds(out.provider_net).sum())
        s["commissioner"] += float(t.pounds(out.commissioner_net).sum())
        s["net"] += float(t.pounds(out.net_savings).sum())
        s["gain_payment"] += float(t.pounds(out.gain_payment).sum())
        s["repayment"] += float(t.pounds(out.repayment).sum())
        s["paid"] += int((out.gain_payment > 0).sum())
        s["repays"] += int((out.repayment > 0).sum())
        s["met"] += int(out.met.sum())
        s["null_paid"] += int((null.gain_payment > 0).sum())
        s["null_payment"] += float(t.pounds(null.transfer).sum())
        s["null_gain_payment"] += float(t.pounds(null.gain_payment).sum())
        s["null_met"] += int(null.met.sum())
        n = len(pay)
        take = min(n, self.keep - self.kept)
        if take > 0:
            sl = slice(self.kept, self.kept + take)
            self.arrays["payment"][sl] = pay[:take]
            self.arrays["commissioner"][sl] = t.pounds(out.commissioner_net[:take])
            self.arrays["net"][sl] = t.pounds(out.net_savings[:take])
            self.arrays["null"][sl] = t.pounds(null.transfer[:take])
            self.kept += take
        self.n += n

    def summary(self) -> dict[str, float]:
        n = self.n
        s = self.sums
        mean = s["payment"] / n
        var = max(0.0, s["payment_sq"] / n - mean**2)
        return {
            "mean_payment": mean,
            "se_mean_payment": math.sqrt(var / n) if n > 1 else 0.0,
            "mean_gain_payment": s["gain_payment"] / n,
            "mean_repayment": s["repayment"] / n,
            "mean_provider_net": s["provider_net"] / n,
            "mean_commissioner_net_saving": s["commissioner"] / n,
            "mean_net_savings": s["net"] / n,
            "p_provider_paid": s["paid"] / n,
            "p_provider_repays": s["repays"] / n,
            "p_threshold_met": s["met"] / n,
            "p_paid_no_effect": s["null_paid"] / n,
            "p_threshold_met_no_effect": s["null_met"] / n,
            "mean_payment_no_effect": s["null_payment"] / n,
            "mean_gain_payment_no_effect": s["null_gain_payment"] / n,
        }


def simulate(
    contract: Contract,
    activity: Activity,
    draws: int | None = None,
    seed: int | None = None,
    effect: Effect | None = None,
    chunk: int = DEFAULT_CHUNK,
    *,
    trend_sd: float | None = None,
    counterfactual: str = "baseline",
    quality_results: Mapping[str, Any] | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    noise: NoiseModel | None = None,
    terms: Terms | None = None,
) -> Simulation:
    """Monte Carlo settlement of ``draws`` performance years.

    Each draw: a true effect from ``effect`` (default: the contract's ``[simulation]``),
    yearly totals per measure from the noise model, and the exact settlement of those totals.
    The same draws are settled again with no true effect (same random streams) to give
    P(payment | no real change). Chunks of ``chunk`` draws have their own seeds
    (``SeedSequence(seed, spawn_key=(chunk index, stream))``): results depend only on
    (seed, chunk), not on ``workers``.
    """
    draws = contract.simulation.draws if draws is None else draws
    if seed is None:
        seed = DEFAULT_SEED if contract.simulation.seed is None else contract.simulation.seed
    if draws < 1:
        raise OohError(f"draws must be at least 1; got {draws}")
    if chunk < 1:
        raise OohError(f"chunk must be at least 1; got {chunk}")
    effect = effect or contract.simulation.effect
    terms = terms or compile_terms(contract, activity, quality_results)
    model = prepare_noise(contract, activity, terms, counterfactual, trend_sd, noise)
    if model.names != terms.measures:
        raise OohError("the noise model's measures differ from the contract's")
    acc = _Accumulator(draws, terms)
    sizes = [min(chunk, draws - start) for start in range(0, draws, chunk)]

    def run(index: int) -> tuple[Outcome, Outcome]:
        totals, null = draw_chunk(model, effect, seed, index, sizes[index])
        return settle_totals(terms, totals), settle_totals(terms, null)

    workers = workers or min(2, os.cpu_count() or 1)
    done = 0
    if workers == 1 or len(sizes) == 1:
        for i in range(len(sizes)):
            acc.add(*run(i))
            done += sizes[i]
            if progress:
                progress(done, draws)
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            pending: list[Future] = []
            nxt = 0
            for i in range(len(sizes)):
                while nxt < len(sizes) and len(pending) < 2 * workers:
                    pending.append(pool.submit(run, nxt))
                    nxt += 1
                acc.add(*pending.pop(0).result())
                done += sizes[i]
                if progress:
                    progress(done, draws)
    kept = acc.kept
    arrays = {k: v[:kept] for k, v in acc.arrays.items()}
    percentiles = {
        "payment": _percentiles(arrays["payment"]),
        "commissioner_net_saving": _percentiles(arrays["commissioner"]),
        "net_savings": _percentiles(arrays["net"]),
    }
    notes = list(terms.notes)
    if kept < draws:
        notes.append(f"percentiles from the first {kept:,} of {draws:,} draws (means use all)")
    return Simulation(
        contract_name=contract.name,
        draws=draws,
        seed=seed,
        chunk=chunk,
        effect=effect,
        counterfactual=counterfactual,
        noise=model,
        terms=terms,
        summary=acc.summary(),
        percentiles=percentiles,
        payment=arrays["payment"],
        commissioner_net=arrays["commissioner"],
        net_savings=arrays["net"],
        null_payment=arrays["null"],
        notes=tuple(notes),
    )


def _percentiles(values: np.ndarray) -> dict[int, float]:
    if values.size == 0:
        return {p: 0.0 for p in PERCENTILES}
    qs = np.percentile(values, PERCENTILES)
    return {p: round(float(q), 2) for p, q in zip(PERCENTILES, qs, strict=True)}
