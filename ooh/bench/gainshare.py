"""Gain-share throughput: Monte Carlo settlement and sweeps on the sample contract.

The contract is the package's sample (``ooh.gainshare.sample``): 20 practices, a 12-month
performance year, 3 measures, tiers, a cap and quality reductions. Each case runs in its own
process (``ooh.bench.measure``) so its peak memory is its own:

- ``simulate``: ``ooh.gainshare.simulate.simulate`` as ``ooh gainshare simulate`` runs it
  (draws with the assumed effect and again with none, both settled exactly, in chunks);
- ``settle``: the vectorised settlement alone (``settle_totals``) on pre-drawn totals;
- ``oracle``: a plain Python loop calling the exact ``ooh.gainshare.settle.settle`` once per
  draw on a few draws: its speed is the reference for the ratios, and its pennies must equal
  the vectorised settlement's on the same draws;
- ``sweep``: ``ooh.gainshare.sweep.sweep`` over a grid of gain thresholds x first-tier
  shares, every point settled on the same shared draws.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from time import perf_counter
from typing import Any

from ooh.bench.machine import cpu_ticks, steal_warning, stolen_pct
from ooh.bench.measure import run_in_subprocess
from ooh.errors import OohError

TARGET_SIMULATE_SECONDS = 2.0  # 1,000,000 draws ...
TARGET_SIMULATE_DRAWS = 1_000_000
TARGET_SIMULATE_MB = 1024.0  # ... under 1 GB
TARGET_SWEEP_SECONDS = 30.0  # a 1,000-point sweep over 10,000 shared draws
_OUTCOME_FIELDS = {  # vectorised Outcome field -> exact Settlement field
    "net_savings": "net_savings",
    "gain_payment": "gain_payment",
    "repayment": "repayment",
    "withhold_returned": "withhold_returned",
    "transfer": "transfer",
    "provider_net": "provider_net",
    "commissioner_net": "commissioner_net_saving",
}


def load_sample() -> tuple[Any, Any]:
    """The sample contract and activity, written by their generator to a temporary folder."""
    from ooh.gainshare.activity import read_activity
    from ooh.gainshare.contract import load_contract
    from ooh.gainshare.sample import write_samples

    with tempfile.TemporaryDirectory(prefix="ooh-bench-gs-") as tmp:
        write_samples(tmp)
        contract = load_contract(Path(tmp) / "contract.toml")
        activity = read_activity(Path(tmp) / "activity.csv")
    return contract, activity


def _shape(contract: Any) -> dict[str, Any]:
    return {
        "practices": len(contract.practices),
        "months": len(contract.performance_months),
        "measures": len(contract.measures),
    }


def run_simulate(draws: int, workers: int = 2, seed: int = 2026) -> dict[str, Any]:
    """``simulate`` end to end (after loading): draws per second."""
    from ooh.gainshare.simulate import simulate

    contract, activity = load_sample()
    started = perf_counter()
    sim = simulate(contract, activity, draws=draws, seed=seed, workers=workers)
    seconds = perf_counter() - started
    return {
        "case": "simulate",
        **_shape(contract),
        "draws": draws,
        "workers": workers,
        "seconds": round(seconds, 6),
        "draws_per_second": round(draws / seconds),
        "mean_payment": round(sim.summary["mean_payment"], 2),
    }


def run_settle(draws: int, seed: int = 2026) -> dict[str, Any]:
    """The vectorised exact settlement alone, on ``draws`` pre-drawn performance years."""
    from ooh.gainshare.simulate import compile_terms, draw_all, prepare_noise, settle_totals

    contract, activity = load_sample()
    terms = compile_terms(contract, activity)
    model = prepare_noise(contract, activity, terms)
    totals, _ = draw_all(model, contract.simulation.effect, seed, draws)
    started = perf_counter()
    out = settle_totals(terms, totals)
    seconds = perf_counter() - started
    return {
        "case": "settle",
        **_shape(contract),
        "draws": draws,
        "seconds": round(seconds, 6),
        "draws_per_second": round(draws / seconds),
        "mean_transfer": round(float(out.transfer.mean()) / terms.unit, 2),
    }


def run_oracle(draws: int, seed: int = 2026) -> dict[str, Any]:
    """Exact ``settle`` once per draw in a plain loop, against the vectorised settlement of
    the same draws: the loop's speed, and every penny compared."""
    from ooh.gainshare.activity import Activity
    from ooh.gainshare.settle import settle
    from ooh.gainshare.simulate import compile_terms, draw_all, prepare_noise, settle_totals

    contract, activity = load_sample()
    terms = compile_terms(contract, activity)
    model = prepare_noise(contract, activity, terms)
    totals, _ = draw_all(model, contract.simulation.effect, seed, draws)
    vectorised = settle_totals(terms, totals)
    # the settlement uses only the year's totals: put each draw's totals in one practice-month
    codes = [p.code for p in contract.practices]
    first_month = contract.performance_months[0]
    base = dict(activity.counts)
    for p in codes:
        for m in contract.measures:
            for month in contract.performance_months:
                base[(p, month, m.code)] = 0
    mismatches: list[str] = []
    started = perf_counter()
    for i, row in enumerate(totals):
        counts = dict(base)
        for m, total in zip(contract.measures, row, strict=True):
            counts[(codes[0], first_month, m.code)] = int(total)
        exact = settle(contract, Activity(counts, activity.source))
        for vec_name, exact_name in _OUTCOME_FIELDS.items():
            got = Decimal(int(getattr(vectorised, vec_name)[i])) / terms.unit
            if got != getattr(exact, exact_name):
                mismatches.append(f"draw {i} {exact_name}: {got} vs {getattr(exact, exact_name)}")
    seconds = perf_counter() - started
    return {
        "case": "oracle",
        **_shape(contract),
        "draws": draws,
        "seconds": round(seconds, 6),
        "draws_per_second": round(draws / seconds, 1),
        "compared": draws * len(_OUTCOME_FIELDS),
        "mismatches": len(mismatches),
        "mismatch_examples": mismatches[:5],
    }


def sweep_grid(points: int) -> list[tuple[str, list[str]]]:
    """A grid of about ``points`` points: gain threshold (% of baseline cost, 0-5) x first-tier
    share (30-70%), as close to square as the count allows (a prime count: thresholds only)."""
    rows = max(d for d in range(1, math.isqrt(points) + 1) if points % d == 0)
    cols = points // rows

    def spread(lo: float, hi: float, n: int) -> list[str]:
        return [f"{lo + (hi - lo) * i / max(1, n - 1):.4f}" for i in range(n)]

    grid = [("gain.threshold.value", spread(0, 5, cols))]
    if rows > 1:
        grid.append(("gain.tiers[0].share", spread(30, 70, rows)))
    return grid


def run_sweep(points: int, draws: int, seed: int = 2026) -> dict[str, Any]:
    """``sweep`` of a ``points``-point grid over ``draws`` shared draws."""
    from ooh.gainshare.sweep import sweep

    contract, activity = load_sample()
    grid = sweep_grid(points)
    started = perf_counter()
    result = sweep(contract, activity, grid, draws=draws, seed=seed)
    seconds = perf_counter() - started
    return {
        "case": "sweep",
        **_shape(contract),
        "points": len(result.points),
        "keys": [k for k, _ in grid],
        "draws": draws,
        "seconds": round(seconds, 6),
        "points_per_second": round(len(result.points) / seconds, 1),
        "settled_draws_per_second": round(2 * draws * len(result.points) / seconds),
    }


def bench_gainshare(
    draws: int = 1_000_000,
    sweep_points: int = 1_000,
    sweep_draws: int = 10_000,
    oracle_draws: int = 200,
    workers: int = 2,
    seed: int = 2026,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Every case in its own process; ratios against the loop; the targets judged."""
    if min(draws, sweep_points, sweep_draws, oracle_draws) < 1:
        raise OohError("draws, sweep points, sweep draws and oracle draws must be at least 1")
    cases = [
        ("simulate", "run_simulate", {"draws": draws, "workers": workers, "seed": seed}),
        ("settle", "run_settle", {"draws": draws, "seed": seed}),
        ("oracle", "run_oracle", {"draws": oracle_draws, "seed": seed}),
        ("sweep", "run_sweep", {"points": sweep_points, "draws": sweep_draws, "seed": seed}),
    ]
    results: dict[str, dict[str, Any]] = {}
    for name, function, kwargs in cases:
        if progress:
            progress(f"{name}: {kwargs} ...")
        ticks = cpu_ticks()
        results[name] = run_in_subprocess(f"ooh.bench.gainshare:{function}", kwargs)
        results[name]["stolen_pct"] = stolen_pct(ticks, cpu_ticks())
        if progress:
            progress(
                f"{name}: {results[name]['seconds']:.2f} s, peak {results[name]['peak_rss_mb']:,.0f} MB"
            )
    loop = results["oracle"]["draws_per_second"]
    ratios = {
        "simulate_vs_loop": round(results["simulate"]["draws_per_second"] / loop),
        "settle_vs_loop": round(results["settle"]["draws_per_second"] / loop),
    }
    sim, sw = results["simulate"], results["sweep"]
    found = []
    if draws >= TARGET_SIMULATE_DRAWS:
        seconds = sim["seconds"] * TARGET_SIMULATE_DRAWS / draws
        found.append(
            {
                "target": "1,000,000 draws settled in <= 2 s (2 cores), peak < 1 GB",
                "measured": f"{seconds:.2f} s per 1,000,000 draws, peak {sim['peak_rss_mb']:,.0f} MB",
                "met": seconds <= TARGET_SIMULATE_SECONDS
                and sim["peak_rss_mb"] < TARGET_SIMULATE_MB,
            }
        )
    if sweep_points >= 1_000 and sweep_draws >= 10_000:
        found.append(
            {
                "target": "1,000-point sweep over 10,000 shared draws in <= 30 s",
                "measured": f"{sw['points']:,} points x {sw['draws']:,} draws in {sw['seconds']:.1f} s",
                "met": sw["seconds"] <= TARGET_SWEEP_SECONDS,
            }
        )
    return {
        "seed": seed,
        "workers": workers,
        "cases": results,
        "ratios": ratios,
        "oracle_equal": results["oracle"]["mismatches"] == 0,
        "targets": found,
    }


def _stolen(case: dict[str, Any]) -> str:
    value = case.get("stolen_pct")
    return "-" if value is None else f"{value:.1f}"


def markdown_table(report: dict[str, Any]) -> str:
    """The report as Markdown tables, as in docs/benchmarks.md."""
    c = report["cases"]
    sim, st, orc, sw = c["simulate"], c["settle"], c["oracle"], c["sweep"]
    shape = f"{sim['practices']} practices, {sim['months']} months, {sim['measures']} measures"
    lines = [
        f"Contract: the sample ({shape}); seed {report['seed']}, {report['workers']} workers.",
        "",
        "| case | work | seconds | throughput | peak MB | vs per-draw loop | stolen % |",
        "|---|---|---:|---:|---:|---:|---:|",
        f"| simulate (draw + settle, with and without effect) | {sim['draws']:,} draws "
        f"| {sim['seconds']:.2f} | {sim['draws_per_second']:,} draws/s | {sim['peak_rss_mb']:,.0f} "
        f"| {report['ratios']['simulate_vs_loop']:,}x | {_stolen(sim)} |",
        f"| settle only (vectorised exact settlement) | {st['draws']:,} draws | {st['seconds']:.2f} "
        f"| {st['draws_per_second']:,} draws/s | {st['peak_rss_mb']:,.0f} "
        f"| {report['ratios']['settle_vs_loop']:,}x | {_stolen(st)} |",
        f"| per-draw loop over exact `settle` (oracle) | {orc['draws']:,} draws | {orc['seconds']:.2f} "
        f"| {orc['draws_per_second']:,} draws/s | {orc['peak_rss_mb']:,.0f} | 1x | {_stolen(orc)} |",
        f"| sweep ({' x '.join(sw['keys'])}) | {sw['points']:,} points x {sw['draws']:,} draws "
        f"| {sw['seconds']:.2f} | {sw['points_per_second']:,} points/s | {sw['peak_rss_mb']:,.0f} "
        f"| | {_stolen(sw)} |",
        "",
        f"Oracle: {orc['compared']:,} amounts compared ({orc['draws']:,} draws x 7 settlement "
        f"figures), {orc['mismatches']} differ"
        + (": " + "; ".join(orc["mismatch_examples"]) if orc["mismatches"] else "."),
    ]
    warning = steal_warning([case.get("stolen_pct") for case in c.values()])
    if warning:
        lines += ["", warning]
    codes = sorted({str(case.get("code")) for case in c.values()})
    lines += ["", f"Code measured: {', '.join(codes)}."]
    if report["targets"]:
        lines += ["", "| target | measured | met |", "|---|---|---|"]
        for t in report["targets"]:
            lines.append(f"| {t['target']} | {t['measured']} | {'yes' if t['met'] else 'no'} |")
    return "\n".join(lines)
