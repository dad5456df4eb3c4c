"""The noise model behind gain-share simulation: how much activity varies by chance.

Monthly counts vary more than Poisson (overdispersion), drift with season and trend, and move
together across a federation in bad months (flu, cold snaps). The model, per measure:

    Y[p,t] | C[t], G[p,t] ~ Poisson(mu[p,t] * C[t] * G[p,t])
    G[p,t] ~ Gamma(shape 1/phi_cell, mean 1)     practice-month noise, independent
    C[t]   ~ Gamma(shape 1/phi_common, mean 1)   federation-wide month shock
    log mu[t] = level + season[calendar month] + slope * years          (federation total)

Both dispersions are estimated from the baseline years by the method of moments (see
docs/gainshare-simulation.md), and the fitted level, season and slope project the performance
year's expected total ``M``. A settlement only needs each measure's yearly total, so the
simulation draws that total directly:

    T = Poisson(M * (1 + effect) * trend_factor * Gamma(shape K, mean 1))

where ``K = M**2 / Var(yearly rate)`` matches the variance of the sum of the monthly rates
exactly (the Poisson part of a sum of Poissons is exact; one gamma with matched mean and
variance stands in for the sum of monthly gammas), and ``trend_factor`` is a mean-one log-normal
whose spread is the standard error of the projection: the uncertainty of the counterfactual.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ooh.errors import OohError

if TYPE_CHECKING:
    from ooh.gainshare.activity import Activity
    from ooh.gainshare.contract import Contract

MONTHS_FOR_TREND = 24  # a slope and a season need two years of baseline months


@dataclass(frozen=True)
class MeasureNoise:
    """Fitted noise and projection for one measure (federation total)."""

    measure: str
    phi_cell: float  # extra-Poisson variance of a practice-month, as a fraction of its mean**2
    phi_common: float  # variance of the federation-wide month shock (mean 1)
    seasonal: tuple[float, ...]  # 12 factors, January..December, mean 1
    trend: float  # fitted yearly change in counts (0.012 = +1.2% a year)
    trend_sd: float  # sd of log(projected performance-year total): trend uncertainty
    expected: float  # projected performance-year total with no effect
    total_shape: float  # gamma shape K of the yearly total's rate; math.inf = pure Poisson
    baseline_months: int
    herfindahl: float = 1.0  # sum of squared practice shares of the count
    projected: float = math.nan  # the fitted projection (``expected`` may be re-centred)

    @property
    def omega(self) -> float:
        """Extra-Poisson variance of a month's federation total, as a fraction of its mean**2."""
        return self.phi_common + (1.0 + self.phi_common) * self.phi_cell * self.herfindahl

    def scaled(self, factor: float) -> MeasureNoise:
        """The same measure for a federation ``factor`` times as large (more practices alike).

        Counts scale with the population; the practice-month part of the variance shrinks
        with the Herfindahl index (h/factor, at most 1); the federation-wide shock does not.
        The projection's variance scales like a month's relative variance, 1/mu + omega.
        """
        from dataclasses import replace

        h = min(1.0, self.herfindahl / factor)
        scaled = replace(
            self, expected=self.expected * factor, projected=self.projected * factor, herfindahl=h
        )
        monthly = self.expected / 12.0
        before = 1.0 / monthly + self.omega if monthly > 0 else 0.0
        after = 1.0 / (monthly * factor) + scaled.omega if monthly > 0 else 0.0
        trend_sd = self.trend_sd * math.sqrt(after / before) if before > 0 else self.trend_sd
        shape = self.total_shape * self.omega / scaled.omega if scaled.omega > 0 else math.inf
        return replace(scaled, trend_sd=trend_sd, total_shape=shape)

    @property
    def total_cv(self) -> float:
        """Coefficient of variation of the performance-year total under no effect."""
        # T = Poisson(M * tau * G): Var = M + M^2 * (E[tau^2] E[G^2] - 1).
        inv_k = 0.0 if math.isinf(self.total_shape) else 1.0 / self.total_shape
        var = self.expected + self.expected**2 * (math.exp(self.trend_sd**2) * (1 + inv_k) - 1)
        return math.sqrt(var) / self.expected if self.expected else 0.0


@dataclass(frozen=True)
class NoiseModel:
    measures: tuple[MeasureNoise, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(m.measure for m in self.measures)

    def get(self, measure: str) -> MeasureNoise:
        for m in self.measures:
            if m.measure == measure:
                return m
        raise KeyError(measure)

    def with_trend_sd(self, trend_sd: float) -> NoiseModel:
        """The same model with a trend uncertainty fixed by the user (contract or CLI)."""
        from dataclasses import replace

        return NoiseModel(tuple(replace(m, trend_sd=float(trend_sd)) for m in self.measures))

    def scaled(self, factor: float) -> NoiseModel:
        return NoiseModel(tuple(m.scaled(factor) for m in self.measures))


def month_index(year: int, month: int) -> int:
    """Months counted from year 0, so consecutive months differ by one."""
    return year * 12 + (month - 1)


def _design(months: np.ndarray, ref: int, seasonal: bool, trend: bool) -> np.ndarray:
    cols = [np.ones(len(months))]
    if trend:
        cols.append((months - ref) / 12.0)
    if seasonal:
        cal = months % 12
        for c in range(1, 12):  # January is the reference month
            cols.append((cal == c).astype(float))
    return np.column_stack(cols)


def _irls(
    y: np.ndarray, x: np.ndarray, omega: float, iters: int = 50
) -> tuple[np.ndarray, np.ndarray]:
    """Fit log mu = x @ beta with variance mu + omega*mu**2 (Poisson when omega=0).

    Returns (beta, covariance). The covariance is the inverse Fisher information with the
    variance function taken as known, which is what the moment estimate of omega provides.
    """
    beta = np.zeros(x.shape[1])
    beta[0] = math.log(max(y.mean(), 0.5))
    for _ in range(iters):
        eta = x @ beta
        mu = np.exp(eta)
        w = mu / (1.0 + omega * mu)
        z = eta + (y - mu) / mu
        xtw = x.T * w
        new = np.linalg.solve(xtw @ x, xtw @ z)
        if np.max(np.abs(new - beta)) < 1e-10:
            beta = new
            break
        beta = new
    mu = np.exp(x @ beta)
    w = mu / (1.0 + omega * mu)
    cov = np.linalg.inv((x.T * w) @ x)
    return beta, cov


def cell_dispersion(counts: np.ndarray) -> float:
    """Method-of-moments extra-Poisson dispersion of practice-month counts.

    Fitted means are ``row total * column total / grand total`` (the Poisson ML fit of a
    practice level times a month level), so season, trend and federation-wide shocks are all
    removed and only practice-month noise remains. ``E[(y-mu)**2] = mu + phi*mu**2``; the
    squared residuals are scaled by n/(n - fitted parameters) for the fit.
    """
    p, t = counts.shape
    total = counts.sum()
    df = p * t - (p + t - 1)
    if p < 2 or df <= 0 or total <= 0:
        return 0.0
    mu = np.outer(counts.sum(axis=1), counts.sum(axis=0)) / total
    ss = float(((counts - mu) ** 2).sum()) * (p * t) / df
    return max(0.0, (ss - float(mu.sum())) / float((mu**2).sum()))


def estimate_measure(
    measure: str,
    counts: np.ndarray,
    months: Sequence[int],
    performance_months: Sequence[int],
) -> MeasureNoise:
    """Fit the noise model for one measure.

    ``counts``: practices x baseline months; ``months``: the month index (``month_index``) of
    each column; ``performance_months``: month indices of the year to project.
    """
    counts = np.asarray(counts, dtype=float)
    mon = np.asarray(months, dtype=np.int64)
    perf = np.asarray(performance_months, dtype=np.int64)
    if counts.ndim != 2 or counts.shape[1] != len(mon):
        raise ValueError("counts must be practices x months")
    if len(mon) < 3:
        raise OohError(
            f"{measure}: the simulation needs at least 3 baseline months to estimate variation, got {len(mon)}"
        )
    totals = counts.sum(axis=0)
    if totals.sum() <= 0:
        raise OohError(f"{measure}: all baseline counts are zero; nothing to simulate")
    share = counts.sum(axis=1) / totals.sum()
    herfindahl = float((share**2).sum())  # sum of squared practice shares

    phi_cell = cell_dispersion(counts)

    long_enough = len(np.unique(mon)) >= MONTHS_FOR_TREND
    ref = int(perf.min()) if len(perf) else int(mon.max()) + 1
    x = _design(mon, ref, seasonal=long_enough, trend=long_enough)
    beta, _ = _irls(totals, x, 0.0)
    mu = np.exp(x @ beta)
    n, q = len(totals), x.shape[1]
    # Var(total_t) = mu + phi_cell*(1+phi_common)*h*mu^2 + phi_common*mu^2 (see module doc).
    if n > q:
        ss = float(((totals - mu) ** 2).sum()) * n / (n - q)
        mu2 = float((mu**2).sum())
        phi_common = (ss - float(mu.sum()) - phi_cell * herfindahl * mu2) / (
            mu2 * (1.0 + phi_cell * herfindahl)
        )
        phi_common = max(0.0, phi_common)
    else:
        phi_common = 0.0
    omega = phi_common + (1.0 + phi_common) * phi_cell * herfindahl
    beta, cov = _irls(totals, x, omega)

    xp = _design(perf, ref, seasonal=long_enough, trend=long_enough)
    mu_p = np.exp(xp @ beta)
    expected = float(mu_p.sum())
    grad = (mu_p / expected) @ xp  # d log(expected) / d beta
    trend_sd = float(math.sqrt(max(0.0, grad @ cov @ grad)))
    var_rate = omega * float((mu_p**2).sum())
    total_shape = expected**2 / var_rate if var_rate > 0 else math.inf

    if long_enough:
        season = np.exp(np.concatenate([[0.0], beta[2:13]]))
        season = season / season.mean()
        trend = math.exp(beta[1]) - 1.0
    else:
        season = np.ones(12)
        trend = 0.0
    return MeasureNoise(
        measure=measure,
        phi_cell=phi_cell,
        phi_common=phi_common,
        seasonal=tuple(float(s) for s in season),
        trend=float(trend),
        trend_sd=trend_sd,
        expected=expected,
        total_shape=float(total_shape),
        baseline_months=len(mon),
        herfindahl=herfindahl,
        projected=expected,
    )


def draw_rates(model: NoiseModel, rngs: Sequence[np.random.Generator], n: int) -> np.ndarray:
    """Poisson rates of the performance-year totals (n x measures) with no true effect.

    Per measure, from its own stream: a normal for the trend factor (a mean-one log-normal),
    then a gamma for the year's extra-Poisson variation. A seed reproduces the draws.
    """
    out = np.empty((n, len(model.measures)), dtype=float)
    for j, (m, rng) in enumerate(zip(model.measures, rngs, strict=True)):
        lam = np.full(n, m.expected)
        z = rng.standard_normal(n)
        if m.trend_sd > 0:
            lam *= np.exp(m.trend_sd * z - 0.5 * m.trend_sd**2)
        if math.isfinite(m.total_shape):
            lam *= rng.gamma(m.total_shape, 1.0 / m.total_shape, n)
        out[:, j] = lam
    return out


def draw_counts(
    rngs: Sequence[np.random.Generator], rates: np.ndarray, effect: np.ndarray | None = None
) -> np.ndarray:
    """Poisson totals (n x measures, whole numbers as floats) at ``rates * (1 + effect)``.

    ``effect``: the true proportional change per draw, shape (n,) (every measure) or
    (n, measures); -0.05 is a 5% fall; None is no change.
    """
    out = np.empty_like(rates)
    for j, rng in enumerate(rngs):
        lam = rates[:, j]
        if effect is not None:
            e = effect if effect.ndim == 1 else effect[:, j]
            lam = lam * np.maximum(1.0 + e, 0.0)
        out[:, j] = rng.poisson(lam)
    return out


def draw_totals(
    model: NoiseModel, rngs: Sequence[np.random.Generator], effect: np.ndarray
) -> np.ndarray:
    """Performance-year totals per measure for each draw (rates, then Poisson counts)."""
    effect = np.asarray(effect, dtype=float)
    rates = draw_rates(model, rngs, effect.shape[0])
    return draw_counts(rngs, rates, effect)


def parse_index(month: str) -> int:
    """ "2026-04" -> month_index(2026, 4)."""
    return month_index(int(month[:4]), int(month[5:7]))


def estimate_noise(contract: Contract, activity: Activity) -> NoiseModel:
    """Fit the noise model of every contract measure from the activity before the performance year.

    Every month before the performance year in which all member practices have a count is
    used (more months estimate variation better than the contract's baseline years alone).
    """
    codes = [p.code for p in contract.practices]
    perf = [parse_index(m) for m in contract.performance_months]
    start = perf[0]
    by_measure: dict[str, dict[str, dict[int, int]]] = {m.code: {} for m in contract.measures}
    wanted = set(codes)
    for (practice, month, measure), count in activity.counts.items():
        if measure in by_measure and practice in wanted:
            idx = parse_index(month)
            if idx < start:
                by_measure[measure].setdefault(practice, {})[idx] = count
    fitted = []
    for m in contract.measures:
        rows = by_measure[m.code]
        months = sorted(
            set.intersection(*(set(rows.get(c, {})) for c in codes)) if codes else set()
        )
        if len(months) < 3:
            raise OohError(
                f"{activity.source or 'activity'}: measure {m.code} needs at least 3 months before "
                f"{contract.performance_year_start} with a count for every member practice to estimate "
                f"variation; found {len(months)}"
            )
        counts = np.array([[rows[c][t] for t in months] for c in codes], dtype=float)
        fitted.append(estimate_measure(m.code, counts, months, perf))
    return NoiseModel(tuple(fitted))
