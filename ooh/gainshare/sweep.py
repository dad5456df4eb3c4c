"""Term sweeps: a grid of contract variations settled against the same draws.

Every grid point is settled on the same simulated performance years (common random
numbers), so differences between points are differences in terms, not in luck. A key names a
contract term by its TOML path, e.g. ``gain.threshold.value``, ``gain.tiers[0].share``,
``gain.cap_percent``, ``savings.extra_service_cost`` or ``simulation.effect.mean``; values are
``start:stop:step`` (stop included) or a comma list.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np

from ooh.errors import OohError
from ooh.gainshare.activity import Activity
from ooh.gainshare.contract import Contract
from ooh.gainshare.noise import estimate_noise
from ooh.gainshare.simulate import (
    DEFAULT_CHUNK,
    DEFAULT_SEED,
    Terms,
    compile_terms,
    draw_all,
    prepare_noise,
    settle_totals,
)

MAX_POINTS = 100_000
_PERCENT_NAMES = ("share", "percent", "cap_percent", "uplift_pct", "reduction", "weight")


@dataclass(frozen=True)
class Metrics:
    """What one set of terms does on the common draws (money in £)."""

    mean_payment: float  # year-end transfer, > 0 commissioner pays provider
    mean_commissioner_net_saving: float
    mean_net_savings: float
    p_provider_paid: float
    p_provider_repays: float
    p_paid_no_effect: float  # P(payment | no real change): paying for chance
    mean_payment_no_effect: float
    payment_p5: float
    payment_p50: float
    payment_p95: float


def metrics(terms: Terms, totals: np.ndarray, null_totals: np.ndarray) -> Metrics:
    out = settle_totals(terms, totals)
    null = settle_totals(terms, null_totals)
    pay = out.transfer.astype(float) / terms.unit
    p5, p50, p95 = np.percentile(pay, (5, 50, 95))
    return Metrics(
        mean_payment=float(pay.mean()),
        mean_commissioner_net_saving=float(out.commissioner_net.mean()) / terms.unit,
        mean_net_savings=float(out.net_savings.mean()) / terms.unit,
        p_provider_paid=float((out.gain_payment > 0).mean()),
        p_provider_repays=float((out.repayment > 0).mean()),
        p_paid_no_effect=float((null.gain_payment > 0).mean()),
        mean_payment_no_effect=float(null.transfer.mean()) / terms.unit,
        payment_p5=round(float(p5), 2),
        payment_p50=round(float(p50), 2),
        payment_p95=round(float(p95), 2),
    )


METRIC_LABELS = {
    "mean_payment": "Expected payment to provider (£)",
    "mean_commissioner_net_saving": "Expected commissioner net saving (£)",
    "mean_net_savings": "Expected net savings (£)",
    "p_provider_paid": "P(provider is paid)",
    "p_provider_repays": "P(provider repays)",
    "p_paid_no_effect": "P(payment | no real change)",
    "mean_payment_no_effect": "Expected payment for chance (£)",
    "payment_p5": "Payment 5th percentile (£)",
    "payment_p50": "Payment median (£)",
    "payment_p95": "Payment 95th percentile (£)",
}


@dataclass(frozen=True)
class SweepPoint:
    values: tuple[Any, ...]  # one per varied key, in order
    metrics: Metrics


@dataclass(frozen=True)
class SweepResult:
    contract_name: str
    keys: tuple[str, ...]
    grid: tuple[tuple[Any, ...], ...]  # the values of each key
    points: tuple[SweepPoint, ...]  # in itertools.product order of the grid
    draws: int
    seed: int

    def rows(self) -> list[list[Any]]:
        """One row per point: the key values then every metric."""
        return [
            [*(_plain(v) for v in p.values), *dataclasses.astuple(p.metrics)] for p in self.points
        ]

    def headers(self) -> list[str]:
        return [*self.keys, *METRIC_LABELS.values()]

    def to_dict(self) -> dict[str, Any]:
        return {
            "contract": self.contract_name,
            "draws": self.draws,
            "seed": self.seed,
            "keys": list(self.keys),
            "points": [
                {
                    "values": [_plain(v) for v in p.values],
                    **dataclasses.asdict(p.metrics),
                }
                for p in self.points
            ],
        }


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    return value


# --- parsing --vary ---------------------------------------------------------------------------


def parse_vary(spec: str) -> tuple[str, list[str]]:
    """ "gain.threshold.value=0:4:0.5" -> ("gain.threshold.value", ["0", "0.5", ..., "4"]).

    ``start:stop:step`` includes stop (when a whole number of steps reaches it); a comma list
    gives the values as written (numbers or words, e.g. sharing=first_pound,above_threshold).
    """
    key, sep, rhs = spec.partition("=")
    key, rhs = key.strip(), rhs.strip()
    if not sep or not key or not rhs:
        raise OohError(f"--vary {spec!r}: write key=start:stop:step or key=a,b,c")
    if ":" in rhs:
        parts = rhs.split(":")
        if len(parts) != 3:
            raise OohError(f"--vary {spec!r}: a range is start:stop:step, e.g. 0:5:0.5")
        try:
            start, stop, step = (Decimal(p.strip()) for p in parts)
        except InvalidOperation:
            raise OohError(f"--vary {spec!r}: start, stop and step must be numbers") from None
        if step <= 0:
            raise OohError(f"--vary {spec!r}: step must be more than 0")
        if stop < start:
            raise OohError(f"--vary {spec!r}: stop must not be below start")
        count = int((stop - start) / step) + 1
        if count > MAX_POINTS:
            raise OohError(f"--vary {spec!r}: {count:,} values; at most {MAX_POINTS:,}")
        return key, [str(start + i * step) for i in range(count)]
    values = [v.strip() for v in rhs.split(",") if v.strip()]
    if not values:
        raise OohError(f"--vary {spec!r}: no values")
    return key, values


_PATH_PART = __import__("re").compile(r"^([A-Za-z_][A-Za-z0-9_]*)(?:\[(\d+)\])?$")


def _convert(key: str, annotation: str, current: Any, raw: Any) -> Any:
    kind = type(current) if current is not None else None
    text = str(raw)
    if kind is bool or (kind is None and annotation.startswith("bool")):
        if text.lower() in ("true", "false"):
            return text.lower() == "true"
        raise OohError(f"--vary {key}: must be true or false; got {text!r}")
    if kind is Decimal or (kind is None and "Decimal" in annotation):
        try:
            return Decimal(text)
        except InvalidOperation:
            raise OohError(f"--vary {key}: must be a number; got {text!r}") from None
    if kind is float or (kind is None and "float" in annotation):
        try:
            return float(text)
        except ValueError:
            raise OohError(f"--vary {key}: must be a number; got {text!r}") from None
    if kind is int or (kind is None and annotation.startswith("int")):
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite() or value != value.to_integral_value():
            raise OohError(f"--vary {key}: must be a whole number; got {text!r}")
        return int(value)
    if kind is str or (kind is None and annotation.startswith("str")):
        return text
    raise OohError(f"--vary {key}: this term cannot be varied (not a number or word)")


def set_term(contract: Contract, key: str, raw: Any) -> Contract:
    """The contract with the term at dotted ``key`` set to ``raw`` (converted to its type).

    Unknown keys, missing sections (e.g. loss.* on a one-sided contract) and out-of-range
    values raise OohError naming the key.
    """
    parts = key.split(".")
    parsed = []
    for part in parts:
        m = _PATH_PART.match(part)
        if not m:
            raise OohError(f"--vary {key}: {part!r} is not a key (use names and [index])")
        parsed.append((m.group(1), None if m.group(2) is None else int(m.group(2))))

    def walk(obj: Any, depth: int, prefix: str) -> Any:
        name, index = parsed[depth]
        fields = (
            {f.name: f for f in dataclasses.fields(obj)} if dataclasses.is_dataclass(obj) else {}
        )
        if name not in fields:
            known = ", ".join(sorted(fields)) or "none"
            where = prefix or "the contract"
            raise OohError(f"--vary {key}: unknown key {name!r} in {where} (known: {known})")
        here = f"{prefix}.{name}" if prefix else name
        current = getattr(obj, name)
        last = depth == len(parsed) - 1
        if index is not None:
            if not isinstance(current, tuple):
                raise OohError(f"--vary {key}: {here} is not a list; remove [{index}]")
            if index >= len(current):
                raise OohError(
                    f"--vary {key}: {here} has {len(current)} entries; [{index}] is out of range"
                )
            item = current[index]
            new_item = (
                _convert(key, "", item, raw) if last else walk(item, depth + 1, f"{here}[{index}]")
            )
            new_value: Any = current[:index] + (new_item,) + current[index + 1 :]
        elif last:
            annotation = str(fields[name].type)
            if dataclasses.is_dataclass(current) or isinstance(current, (tuple, dict)):
                raise OohError(f"--vary {key}: {here} is a section; name a value inside it")
            new_value = _convert(key, annotation, current, raw)
            _check_range(key, name, new_value)
        else:
            if current is None:
                raise OohError(f"--vary {key}: the contract has no [{here}] section")
            new_value = walk(current, depth + 1, here)
        return dataclasses.replace(obj, **{name: new_value})

    return walk(contract, 0, "")


def _check_range(key: str, name: str, value: Any) -> None:
    if isinstance(value, Decimal):
        if name in _PERCENT_NAMES and not 0 <= value <= 100:
            raise OohError(f"--vary {key}: must be a percentage 0-100; got {value}")
        if name not in ("trend_pct", "uplift_pct", "up_to") and value < 0:
            raise OohError(f"--vary {key}: must be 0 or more; got {value}")


def _check_contract(contract: Contract, key: str) -> None:
    """Contradictions a varied term can create (the loader checks them in files)."""
    for name, side in (("gain", contract.gain), ("loss", contract.loss)):
        if side is None:
            continue
        t = side.threshold
        if t.type in ("percent", "amount", "ratio") and t.value is None:
            raise OohError(f"--vary {key}: {name}.threshold.type {t.type!r} needs a value")
        bounds = [tier.up_to for tier in side.tiers if tier.up_to is not None]
        falling = contract.savings.basis == "ratio" and name == "gain"
        pairs = list(itertools.pairwise(bounds))
        if any((b >= a) if falling else (b <= a) for a, b in pairs):
            raise OohError(f"--vary {key}: puts the {name} tiers out of order")
        if side.cap_amount is not None and side.cap_amount < side.minimum_payout:
            raise OohError(f"--vary {key}: {name}.cap_amount falls below {name}.minimum_payout")


# --- the sweep --------------------------------------------------------------------------------


def _draw_key(contract: Contract) -> tuple[Any, ...]:
    s = contract.simulation
    return (s.effect, s.trend_sd)


def sweep(
    contract: Contract,
    activity: Activity,
    vary: Sequence[tuple[str, Sequence[Any]]],
    draws: int = 10_000,
    seed: int | None = None,
    *,
    counterfactual: str = "baseline",
    chunk: int = DEFAULT_CHUNK,
    progress: Callable[[int, int], None] | None = None,
) -> SweepResult:
    """Settle every combination of the varied terms on the same draws."""
    if not vary:
        raise OohError("give at least one --vary key=values")
    if draws < 1:
        raise OohError(f"draws must be at least 1; got {draws}")
    keys = tuple(k for k, _ in vary)
    if len(set(keys)) != len(keys):
        raise OohError("each --vary key may be given once")
    grid = tuple(tuple(values) for _, values in vary)
    total = 1
    for values in grid:
        total *= len(values)
    if total > MAX_POINTS:
        raise OohError(f"the grid has {total:,} points; at most {MAX_POINTS:,}")
    if seed is None:
        seed = DEFAULT_SEED if contract.simulation.seed is None else contract.simulation.seed

    cache: dict[Any, Any] = {}
    compile_terms(contract, activity, cache=cache)  # fails early on a bad contract
    fitted = estimate_noise(contract, activity)
    draws_cache: dict[Any, tuple[np.ndarray, np.ndarray]] = {}

    def draws_for(c: Contract, terms: Terms) -> tuple[np.ndarray, np.ndarray]:
        # draws change only with the assumed effect, the trend uncertainty and (when centred
        # on the baseline) the baseline counts; the seed is the same for every point
        centre = terms.baseline_counts if counterfactual == "baseline" else None
        k = (c.simulation.effect, c.simulation.trend_sd, centre)
        if k not in draws_cache:
            model = prepare_noise(c, activity, terms, counterfactual, noise=fitted)
            draws_cache.clear()  # one set of draws in memory at a time
            draws_cache[k] = draw_all(model, c.simulation.effect, seed, draws, chunk)
        return draws_cache[k]

    points = []
    for i, combo in enumerate(itertools.product(*grid)):
        varied = contract
        converted = []
        for key, raw in zip(keys, combo, strict=True):
            varied = set_term(varied, key, raw)
            converted.append(_value_at(varied, key))
        _check_contract(varied, ", ".join(keys))
        terms = compile_terms(varied, activity, cache=cache)
        totals, null = draws_for(varied, terms)
        points.append(SweepPoint(tuple(converted), metrics(terms, totals, null)))
        if progress:
            progress(i + 1, total)
    return SweepResult(
        contract_name=contract.name,
        keys=keys,
        grid=tuple(
            tuple(_value_at(set_term(contract, k, v), k) for v in values)
            for k, values in zip(keys, grid, strict=True)
        ),
        points=tuple(points),
        draws=draws,
        seed=seed,
    )


def _value_at(contract: Contract, key: str) -> Any:
    obj: Any = contract
    for part in key.split("."):
        m = _PATH_PART.match(part)
        assert m is not None
        obj = getattr(obj, m.group(1))
        if m.group(2) is not None:
            obj = obj[int(m.group(2))]
    return obj
