"""Gain-share figures (matplotlib, no display needed): each ``plot_x(..., ax=None) -> Figure``.

Figures are built on ``matplotlib.figure.Figure`` directly (Agg canvas), never through
pyplot's global state, so they are safe in scripts, tests and threads.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ooh.errors import OohError
from ooh.outputs import write_atomically

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ooh.gainshare.settle import Settlement
    from ooh.gainshare.simulate import Simulation, Terms
    from ooh.gainshare.sweep import SweepResult

PROVIDER = "#1F4E78"
COMMISSIONER = "#C55A11"
CHANCE = "#A6A6A6"


def _axes(ax: Axes | None, size: tuple[float, float] = (8, 4.5)) -> tuple[Figure, Axes]:
    if ax is not None:
        return ax.figure, ax  # type: ignore[return-value]
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, layout="constrained")
    return fig, fig.subplots()


def _pounds(ax: Axes, axis: str = "x") -> None:
    from matplotlib.ticker import FuncFormatter

    def fmt(value: float, _: Any) -> str:
        sign = "-" if value < 0 else ""
        v = abs(value)
        if v >= 1e6:
            return f"{sign}£{v / 1e6:.1f}m"
        if v >= 1e3:
            return f"{sign}£{v / 1e3:.0f}k"
        return f"{sign}£{v:.0f}"

    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(FuncFormatter(fmt))


def plot_payment_distribution(sim: Simulation, ax: Axes | None = None) -> Figure:
    """Histogram of the year-end payment under the assumed effect and under no real change."""
    fig, ax = _axes(ax)
    pay, null = sim.payment, sim.null_payment
    both = np.concatenate([pay, null]) if pay.size else np.zeros(1)
    low, high = float(both.min()), float(both.max())
    if high <= low:
        high = low + 1.0
    bins = np.linspace(low, high, 61).tolist()
    s = sim.summary
    ax.hist(
        null,
        bins=bins,
        color=CHANCE,
        alpha=0.6,
        label=f"no real change: P(paid) {s['p_paid_no_effect']:.1%}",
    )
    ax.hist(
        pay,
        bins=bins,
        histtype="step",
        linewidth=1.8,
        color=PROVIDER,
        label=f"assumed effect: P(paid) {s['p_provider_paid']:.1%}",
    )
    ax.axvline(s["mean_payment"], color=PROVIDER, linestyle="--", linewidth=1)
    ax.set_xlabel("Year-end payment to the provider (negative: provider repays)")
    ax.set_ylabel(f"Draws (of {len(pay):,})")
    ax.set_title(
        f"{sim.contract_name}: payment distribution (mean £{s['mean_payment']:,.0f})", fontsize=10
    )
    _pounds(ax)
    ax.legend(fontsize=8)
    return fig


def plot_payment_curve(
    terms: Terms, ax: Axes | None = None, span: float = 0.10, points: int = 801
) -> Figure:
    """Payment and commissioner net saving against net savings (± ``span`` of baseline)."""
    from ooh.gainshare.simulate import settle_net

    fig, ax = _axes(ax)
    b = terms.baseline_cost
    net = np.rint(np.linspace(-span * b, span * b, points)).astype(np.int64)
    out = settle_net(terms, net)
    x = net / terms.unit
    ax.plot(x, out.transfer / terms.unit, color=PROVIDER, label="payment to provider")
    ax.plot(
        x,
        out.commissioner_net / terms.unit,
        color=COMMISSIONER,
        label="commissioner net saving",
    )
    ax.axhline(0, color="black", linewidth=0.5)
    ax.axvline(0, color="black", linewidth=0.5)
    if terms.gain.threshold > 0:
        ax.axvline(
            terms.gain.threshold / terms.unit,
            color=CHANCE,
            linestyle="--",
            label="gain threshold",
        )
    if terms.loss is not None and terms.loss.threshold > 0:
        ax.axvline(
            -terms.loss.threshold / terms.unit,
            color=CHANCE,
            linestyle=":",
            label="loss threshold",
        )
    ax.set_xlabel("Net savings (baseline cost - actual cost - extra service cost)")
    ax.set_ylabel("£")
    ax.set_title("Who gets what as savings grow", fontsize=10)
    _pounds(ax, "x")
    _pounds(ax, "y")
    ax.legend(fontsize=8)
    return fig


def waterfall_steps(settlement: Settlement) -> list[tuple[str, float, bool]]:
    """(label, amount £, is_total) bars from net savings to the year-end payment."""
    s = settlement
    steps: list[tuple[str, float, bool]] = [("Net savings", float(s.net_savings), True)]
    if s.gain is not None and s.gain.met:
        g = s.gain
        steps.append(("Provider's tiered share", float(g.tiered), True))
        if g.after_minimum != g.tiered:
            steps.append(("Minimum payout", float(g.after_minimum - g.tiered), False))
        if g.after_caps != g.after_minimum:
            steps.append(("Cap", float(g.after_caps - g.after_minimum), False))
        if s.gain_payment != g.after_caps:
            steps.append(("Quality", float(s.gain_payment - g.after_caps), False))
    else:
        steps.append(("Threshold not met", 0.0, True))
    if s.withhold_returned:
        steps.append(("Withhold returned", float(s.withhold_returned), False))
    if s.repayment:
        steps.append(("Repayment", -float(s.repayment), False))
    steps.append(("Year-end payment", float(s.transfer), True))
    steps.append(("Commissioner net saving", float(s.commissioner_net_saving), True))
    return steps


def plot_waterfall(settlement: Settlement, ax: Axes | None = None) -> Figure:
    """Settlement waterfall: net savings, the provider's share step by step, who keeps what."""
    fig, ax = _axes(ax, (9, 4.5))
    steps = waterfall_steps(settlement)
    level = 0.0
    for i, (label, amount, total) in enumerate(steps):
        if total:
            bottom, height, color = 0.0, amount, PROVIDER
            if label.startswith("Net") or label.startswith("Commissioner"):
                color = COMMISSIONER
            level = amount
        else:
            bottom, height = level, amount
            color = "#70AD47" if amount >= 0 else "#C00000"
            level += amount
        ax.bar(i, height, bottom=bottom, color=color, width=0.6)
        ax.annotate(
            f"£{amount:,.0f}",
            (i, bottom + height),
            ha="center",
            va="bottom" if height >= 0 else "top",
            fontsize=7,
        )
    ax.set_xticks(range(len(steps)), [s[0] for s in steps], rotation=25, ha="right", fontsize=8)
    ax.axhline(0, color="black", linewidth=0.5)
    ax.set_title(f"{settlement.contract.name}: settlement", fontsize=10)
    _pounds(ax, "y")
    return fig


def plot_sweep_heatmap(
    result: SweepResult, metric: str = "mean_payment", ax: Axes | None = None
) -> Figure:
    """A heatmap over two varied terms (a line for one) of one metric per grid point."""
    from ooh.gainshare.sweep import METRIC_LABELS

    if metric not in METRIC_LABELS:
        raise OohError(f"unknown sweep metric {metric!r}; one of {', '.join(METRIC_LABELS)}")
    if len(result.keys) not in (1, 2):
        raise OohError("a sweep heatmap shows one or two varied terms; this sweep has more")
    values = np.array([getattr(p.metrics, metric) for p in result.points], dtype=float)
    label = METRIC_LABELS[metric]
    fig, ax = _axes(ax, (8, 5))
    xs = [float(v) if not isinstance(v, str) else v for v in result.grid[0]]
    if len(result.keys) == 1:
        ax.plot(range(len(xs)), values, marker="o", color=PROVIDER)
        ax.set_xticks(range(len(xs)), [str(x) for x in xs], rotation=45, fontsize=7)
        ax.set_xlabel(result.keys[0])
        ax.set_ylabel(label)
    else:
        ys = [float(v) if not isinstance(v, str) else v for v in result.grid[1]]
        grid = values.reshape(len(xs), len(ys)).T  # rows: second key, columns: first key
        image = ax.imshow(grid, origin="lower", aspect="auto", cmap="viridis")
        fig.colorbar(image, ax=ax, label=label)
        step_x = max(1, len(xs) // 12)
        step_y = max(1, len(ys) // 12)
        ax.set_xticks(range(0, len(xs), step_x), [str(x) for x in xs[::step_x]], fontsize=7)
        ax.set_yticks(range(0, len(ys), step_y), [str(y) for y in ys[::step_y]], fontsize=7)
        ax.set_xlabel(result.keys[0])
        ax.set_ylabel(result.keys[1])
    ax.set_title(f"{label} ({result.draws:,} common draws)", fontsize=10)
    return fig


def save_figure(fig: Figure, path: str | Path) -> Path:
    """Write a PNG safely (temp file, then rename)."""
    return write_atomically(path, lambda tmp: fig.savefig(tmp, format="png", dpi=120))


def save_simulation_plots(
    sim: Simulation, folder: str | Path, settlement: Settlement | None = None
) -> list[Path]:
    folder = Path(folder)
    if not folder.is_dir():
        raise OohError(f"{folder}: plots folder does not exist; create it or choose another")
    paths = [
        save_figure(plot_payment_distribution(sim), folder / "payment-distribution.png"),
        save_figure(plot_payment_curve(sim.terms), folder / "payment-curve.png"),
    ]
    if settlement is not None:
        paths.append(save_figure(plot_waterfall(settlement), folder / "settlement-waterfall.png"))
    return paths


def save_sweep_plots(
    result: SweepResult,
    folder: str | Path,
    metrics: Sequence[str] = ("mean_payment", "mean_commissioner_net_saving", "p_paid_no_effect"),
) -> list[Path]:
    folder = Path(folder)
    if not folder.is_dir():
        raise OohError(f"{folder}: plots folder does not exist; create it or choose another")
    if len(result.keys) > 2:
        return []
    return [
        save_figure(plot_sweep_heatmap(result, m), folder / f"sweep-{m.replace('_', '-')}.png")
        for m in metrics
    ]
