"""Contracts side by side on the same activity and the same draws.

The draws come from the first contract's noise model and assumed effect (or the effect given
on the command line), so every contract faces exactly the same simulated years. The
contracts must share the member practices, measures and performance year; their baselines,
thresholds, shares, caps and quality terms may differ.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ooh.errors import OohError
from ooh.gainshare.activity import Activity
from ooh.gainshare.contract import Contract, Effect
from ooh.gainshare.noise import estimate_noise
from ooh.gainshare.simulate import (
    DEFAULT_CHUNK,
    DEFAULT_SEED,
    compile_terms,
    draw_all,
    prepare_noise,
)
from ooh.gainshare.sweep import Metrics, metrics


@dataclass(frozen=True)
class ComparedContract:
    name: str
    source: str
    baseline_cost: float
    threshold: float  # £ gain threshold
    metrics: Metrics


@dataclass(frozen=True)
class Comparison:
    contracts: tuple[ComparedContract, ...]
    draws: int
    seed: int
    effect: Effect
    counterfactual: str

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)


def _same_shape(contracts: Sequence[Contract]) -> None:
    first = contracts[0]
    for c in contracts[1:]:
        label = str(c.source or c.name)
        if [p.code for p in c.practices] != [p.code for p in first.practices]:
            raise OohError(
                f"{label}: member practices differ from {first.source or first.name}; compare contracts for the same federation"
            )
        if [m.code for m in c.measures] != [m.code for m in first.measures]:
            raise OohError(
                f"{label}: measures differ from {first.source or first.name}; compare contracts with the same measures"
            )
        if c.performance_year_start != first.performance_year_start:
            raise OohError(
                f"{label}: performance year starts {c.performance_year_start}, not {first.performance_year_start}"
            )


def compare(
    contracts: Sequence[Contract],
    activity: Activity,
    draws: int = 10_000,
    seed: int | None = None,
    *,
    effect: Effect | None = None,
    counterfactual: str = "baseline",
    chunk: int = DEFAULT_CHUNK,
) -> Comparison:
    """Settle each contract on the same simulated performance years."""
    if not contracts:
        raise OohError("give at least one contract to compare")
    if draws < 1:
        raise OohError(f"draws must be at least 1; got {draws}")
    _same_shape(contracts)
    first = contracts[0]
    if seed is None:
        seed = DEFAULT_SEED if first.simulation.seed is None else first.simulation.seed
    effect = effect or first.simulation.effect
    fitted = estimate_noise(first, activity)
    first_terms = compile_terms(first, activity)
    model = prepare_noise(first, activity, first_terms, counterfactual, noise=fitted)
    totals, null = draw_all(model, effect, seed, draws, chunk)
    rows = []
    for c in contracts:
        terms = first_terms if c is first else compile_terms(c, activity)
        rows.append(
            ComparedContract(
                name=c.name,
                source=str(c.source) if c.source else "",
                baseline_cost=terms.baseline_cost / terms.unit,
                threshold=terms.gain.threshold / terms.unit,
                metrics=metrics(terms, totals, null),
            )
        )
    return Comparison(tuple(rows), draws, seed, effect, counterfactual)
