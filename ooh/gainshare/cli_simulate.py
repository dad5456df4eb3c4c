"""``ooh gainshare simulate | threshold | sweep | compare``: thin commands over the library.

Heavy imports (numpy, openpyxl, matplotlib) happen inside the commands so that
``ooh --help`` stays fast. Results go to stdout (``--json`` for scripts), progress to stderr.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import click

from ooh.cli import deterministic_option
from ooh.errors import OohError

ACTIVITY_HELP = "Activity table (.xlsx or .csv): practice, month, measure, count."


def _activity_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--activity",
        "activity_path",
        required=True,
        type=click.Path(dir_okay=False),
        help=ACTIVITY_HELP,
    )(f)


def _common_options(f: Callable[..., Any]) -> Callable[..., Any]:
    f = deterministic_option(f)
    f = click.option("--quiet", is_flag=True, help="No progress lines on stderr.")(f)
    f = click.option("--json", "as_json", is_flag=True, help="Print results as JSON on stdout.")(f)
    f = click.option(
        "--seed",
        type=int,
        default=None,
        help="Random seed (default: the contract's [simulation] seed, else 2026).",
    )(f)
    f = click.option(
        "--counterfactual",
        type=click.Choice(["baseline", "projection"]),
        default="baseline",
        show_default=True,
        help="Activity with no real change: the contract's baseline, or the baseline data's own "
        "season-and-trend projection.",
    )(f)
    return f


def _effect_options(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option(
        "--effect-sd",
        type=float,
        default=None,
        help="Spread (sd) of the assumed true effect; overrides the contract.",
    )(f)
    f = click.option(
        "--effect-mean",
        type=float,
        default=None,
        help="Assumed true change in activity, e.g. -0.03 for a 3% fall; overrides the contract.",
    )(f)
    return f


def _load(contract_path: str, activity_path: str) -> tuple[Any, Any]:
    from ooh.gainshare.activity import read_activity
    from ooh.gainshare.contract import load_contract

    contract = load_contract(contract_path)
    activity = read_activity(
        activity_path, [p.code for p in contract.practices], [m.code for m in contract.measures]
    )
    return contract, activity


def _progress(quiet: bool, what: str) -> Callable[[int, int], None] | None:
    if quiet:
        return None
    state = {"last": -1}

    def report(done: int, total: int) -> None:
        tenth = done * 10 // total
        if tenth != state["last"] and total > 1:
            state["last"] = tenth
            click.echo(f"{what}: {done:,} of {total:,}", err=True)

    return report


def _check_output(output: str | None, inputs: list[str]) -> None:
    if output:
        from ooh.outputs import check_output_path

        check_output_path(output, inputs)


def _plots_dir(plots: str | None) -> None:
    if plots:
        from pathlib import Path

        if not Path(plots).is_dir():
            raise OohError(f"--plots {plots}: folder does not exist; create it first")


def _money(x: float) -> str:
    return f"-£{-x:,.0f}" if x < 0 else f"£{x:,.0f}"


def _kpis(values: tuple[str, ...]) -> dict[str, str]:
    results: dict[str, str] = {}
    for item in values:
        code, sep, value = item.partition("=")
        if not sep or not code.strip() or not value.strip():
            raise OohError(f"--kpi {item!r}: give CODE=VALUE, e.g. --kpi urgent_20min=96.5")
        results[code.strip()] = value.strip()
    return results


def _year_settlement(contract: Any, activity: Any, kpis: tuple[str, ...]) -> Any:
    """The settlement of the performance year for the waterfall plot, if the activity has it."""
    from ooh.gainshare.settle import settle

    months = set(contract.performance_months)
    if not any(key[1] in months for key in activity.counts):
        click.echo("No settlement waterfall: the activity has no performance-year rows.", err=True)
        return None
    return settle(contract, activity, _kpis(kpis))


@click.command("simulate")
@click.argument("contract", type=click.Path(dir_okay=False))
@_activity_option
@click.option(
    "--draws",
    type=click.IntRange(min=1),
    default=None,
    help="Number of simulated years (default: the contract's, else 10,000).",
)
@_effect_options
@click.option(
    "--trend-sd",
    type=click.FloatRange(min=0),
    default=None,
    help="Trend uncertainty (sd of the log level) instead of the one estimated from the data.",
)
@click.option(
    "--kpi",
    "kpis",
    multiple=True,
    metavar="CODE=VALUE",
    help="A quality KPI result assumed for the year; repeat for each KPI (missing KPIs: the contract's result, else passed).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    help="Workbook to write (summary, percentiles, noise model, run info).",
)
@click.option(
    "--plots",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder for PNG plots (payment distribution, payment curve, and the settlement waterfall when the activity has the performance year).",
)
@click.option(
    "--workers", type=click.IntRange(min=1), default=None, help="Threads (default: up to 2)."
)
@_common_options
def simulate_command(
    contract: str,
    activity_path: str,
    draws: int | None,
    effect_mean: float | None,
    effect_sd: float | None,
    trend_sd: float | None,
    kpis: tuple[str, ...],
    output: str | None,
    plots: str | None,
    workers: int | None,
    counterfactual: str,
    seed: int | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Monte Carlo of CONTRACT: what the provider might be paid, and what for chance.

    Draws performance years from variation estimated from the baseline data (overdispersed
    counts, trend uncertainty) and an assumed true effect, settles each exactly, and reports
    percentiles of the payment and of the commissioner's net saving, P(provider is paid),
    P(provider repays) and P(payment | no real change).
    """
    from ooh.gainshare.simulate import effect_of, simulate

    _check_output(output, [contract, activity_path])
    _plots_dir(plots)
    terms, activity = _load(contract, activity_path)
    effect = effect_of(terms, effect_mean, effect_sd)
    sim = simulate(
        terms,
        activity,
        draws=draws,
        seed=seed,
        effect=effect,
        trend_sd=trend_sd,
        counterfactual=counterfactual,
        quality_results=_kpis(kpis),
        workers=workers,
        progress=_progress(quiet, "draws settled"),
    )
    inputs = {"Contract file": contract, "Activity file": activity_path}
    written = []
    if output:
        from ooh.gainshare.simulation_report import write_simulation

        written.append(write_simulation(sim, output, inputs))
    if plots:
        from ooh.gainshare.plots import save_simulation_plots

        written += save_simulation_plots(sim, plots, _year_settlement(terms, activity, kpis))
    if as_json:
        click.echo(json.dumps(sim.to_dict(), indent=2))
    else:
        s, p = sim.summary, sim.percentiles
        pay = ", ".join(f"P{k} {_money(v)}" for k, v in p["payment"].items())
        net = ", ".join(f"P{k} {_money(v)}" for k, v in p["commissioner_net_saving"].items())
        click.echo(f"{sim.contract_name}: {sim.draws:,} draws, seed {sim.seed}")
        click.echo(f"Payment to provider: mean {_money(s['mean_payment'])}; {pay}")
        click.echo(
            f"Commissioner net saving: mean {_money(s['mean_commissioner_net_saving'])}; {net}"
        )
        click.echo(
            f"P(provider is paid) {s['p_provider_paid']:.1%}; P(provider repays) {s['p_provider_repays']:.1%}"
        )
        click.echo(
            f"With no real change: P(payment) {s['p_paid_no_effect']:.1%}, "
            f"expected payment {_money(s['mean_payment_no_effect'])} (the cost of paying for chance)"
        )
        for note in sim.notes:
            click.echo(f"Note: {note}")
    for path in written:
        click.echo(f"Wrote {path}", err=True)


@click.command("threshold")
@click.argument("contract", type=click.Path(dir_okay=False))
@_activity_option
@click.option(
    "--alpha",
    type=click.FloatRange(min=0, max=1, min_open=True, max_open=True),
    default=0.1,
    show_default=True,
    help="Highest acceptable P(payment | no real change).",
)
@click.option(
    "--draws",
    type=click.IntRange(min=100),
    default=100_000,
    show_default=True,
    help="Simulated years with no real change.",
)
@click.option(
    "--populations",
    default=None,
    help="Comma list of population sizes for the table (default 5,000 to 1,000,000).",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), default=None, help="Workbook to write."
)
@_common_options
def threshold_command(
    contract: str,
    activity_path: str,
    alpha: float,
    draws: int,
    populations: str | None,
    output: str | None,
    counterfactual: str,
    seed: int | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """The smallest minimum savings threshold keeping P(payment | no real change) <= ALPHA.

    Also a table by population size: how the threshold chance requires falls as the
    federation grows (the reasoning behind the MSSP's size-based minimum savings rate).
    """
    from ooh.gainshare.threshold import DEFAULT_POPULATIONS, find_threshold

    _check_output(output, [contract, activity_path])
    sizes: tuple[int, ...] = DEFAULT_POPULATIONS
    if populations:
        try:
            sizes = tuple(
                int(x.replace("_", "").strip()) for x in populations.split(",") if x.strip()
            )
        except ValueError:
            raise OohError(
                f"--populations {populations!r}: give whole numbers, e.g. 5000,20000,100000"
            ) from None
        if not sizes or min(sizes) < 1:
            raise OohError("--populations: give positive whole numbers")
    terms, activity = _load(contract, activity_path)
    if not quiet:
        click.echo(f"Simulating {draws:,} years with no real change...", err=True)
    result = find_threshold(
        terms,
        activity,
        alpha=alpha,
        draws=draws,
        seed=seed,
        populations=sizes,
        counterfactual=counterfactual,
    )
    if output:
        from ooh.gainshare.simulation_report import write_threshold

        path = write_threshold(
            result, output, {"Contract file": contract, "Activity file": activity_path}
        )
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2))
    else:
        click.echo(
            f"{result.contract_name}: with no real change, net savings average {result.null_mean_pct:+.2f}% "
            f"of baseline (sd {result.null_sd_pct:.2f}%)"
        )
        click.echo(
            f"Smallest threshold keeping P(payment | no real change) <= {alpha:g}: "
            f"{result.threshold_pct:.2f}% of baseline cost ({_money(result.threshold_amount)}; "
            f"ratio {result.threshold_ratio:.4f}); P(payment) there {result.p_payment_at_threshold:.1%}"
        )
        click.echo(
            f"The contract's own threshold {result.current_threshold_pct:.2f}% pays for chance with "
            f"probability {result.p_payment_current:.1%}"
        )
        click.echo("Population  threshold  MSSP rate")
        for row in result.table:
            mark = "  <- this federation" if row.is_contract else ""
            click.echo(
                f"{row.population:>10,}  {row.threshold_pct:>8.2f}%  {row.mssp_pct:>8.2f}%{mark}"
            )
    if output:
        click.echo(f"Wrote {path}", err=True)


@click.command("sweep")
@click.argument("contract", type=click.Path(dir_okay=False))
@_activity_option
@click.option(
    "--vary",
    "vary",
    multiple=True,
    required=True,
    metavar="KEY=START:STOP:STEP",
    help="A contract term and its values (stop included), or KEY=a,b,c; repeat for a grid. E.g. --vary gain.threshold.value=0:4:0.5 --vary gain.tiers[0].share=30:70:10",
)
@click.option(
    "--draws",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    help="Simulated years, common to every grid point.",
)
@_effect_options
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    help="Workbook to write (one row per grid point).",
)
@click.option(
    "--plots",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder for heatmap PNGs (one or two varied terms).",
)
@_common_options
def sweep_command(
    contract: str,
    activity_path: str,
    vary: tuple[str, ...],
    draws: int,
    effect_mean: float | None,
    effect_sd: float | None,
    output: str | None,
    plots: str | None,
    counterfactual: str,
    seed: int | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Settle a grid of term variations of CONTRACT against the same draws.

    Reports, per grid point, the expected payment, the commissioner's net saving and the
    chance-payment risk P(payment | no real change).
    """
    from dataclasses import replace

    from ooh.gainshare.simulate import effect_of
    from ooh.gainshare.sweep import parse_vary, sweep

    _check_output(output, [contract, activity_path])
    _plots_dir(plots)
    specs = [parse_vary(v) for v in vary]
    terms, activity = _load(contract, activity_path)
    if effect_mean is not None or effect_sd is not None:
        effect = effect_of(terms, effect_mean, effect_sd)
        terms = replace(terms, simulation=replace(terms.simulation, effect=effect))
    result = sweep(
        terms,
        activity,
        specs,
        draws=draws,
        seed=seed,
        counterfactual=counterfactual,
        progress=_progress(quiet, "grid points"),
    )
    written = []
    if output:
        from ooh.gainshare.simulation_report import write_sweep

        written.append(
            write_sweep(result, output, {"Contract file": contract, "Activity file": activity_path})
        )
    if plots:
        from ooh.gainshare.plots import save_sweep_plots

        written += save_sweep_plots(result, plots)
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2))
    else:
        click.echo(
            f"{result.contract_name}: {len(result.points):,} grid points on {result.draws:,} common draws"
        )
        head = "  ".join(result.keys)
        click.echo(f"{head}  | mean payment | commissioner net | P(paid) | P(paid | no change)")
        for p in result.points[:50]:
            vals = "  ".join(str(v) for v in p.values)
            m = p.metrics
            click.echo(
                f"{vals}  | {_money(m.mean_payment)} | {_money(m.mean_commissioner_net_saving)} | "
                f"{m.p_provider_paid:.1%} | {m.p_paid_no_effect:.1%}"
            )
        if len(result.points) > 50:
            click.echo(f"... {len(result.points) - 50:,} more rows (use -o or --json)")
    for path in written:
        click.echo(f"Wrote {path}", err=True)


@click.command("compare")
@click.argument("contracts", nargs=-1, required=True, type=click.Path(dir_okay=False))
@_activity_option
@click.option(
    "--draws",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    help="Simulated years, common to every contract.",
)
@_effect_options
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), default=None, help="Workbook to write."
)
@_common_options
def compare_command(
    contracts: tuple[str, ...],
    activity_path: str,
    draws: int,
    effect_mean: float | None,
    effect_sd: float | None,
    output: str | None,
    counterfactual: str,
    seed: int | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Contracts side by side on the same activity and the same draws.

    The assumed effect is the first contract's (or --effect-mean/--effect-sd).
    """
    from ooh.gainshare.activity import read_activity
    from ooh.gainshare.compare import compare
    from ooh.gainshare.contract import load_contract
    from ooh.gainshare.simulate import effect_of

    _check_output(output, [*contracts, activity_path])
    loaded = [load_contract(c) for c in contracts]
    first = loaded[0]
    activity = read_activity(
        activity_path, [p.code for p in first.practices], [m.code for m in first.measures]
    )
    effect = effect_of(first, effect_mean, effect_sd)
    result = compare(
        loaded, activity, draws=draws, seed=seed, effect=effect, counterfactual=counterfactual
    )
    if output:
        from ooh.gainshare.simulation_report import write_comparison

        inputs: dict[str, Any] = {f"Contract file {i + 1}": c for i, c in enumerate(contracts)}
        inputs["Activity file"] = activity_path
        path = write_comparison(result, output, inputs)
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2, default=str))
    else:
        click.echo(f"{len(loaded)} contracts on {result.draws:,} common draws (seed {result.seed})")
        for c in result.contracts:
            m = c.metrics
            click.echo(
                f"{c.name}: mean payment {_money(m.mean_payment)}, commissioner net {_money(m.mean_commissioner_net_saving)}, "
                f"P(paid) {m.p_provider_paid:.1%}, P(repays) {m.p_provider_repays:.1%}, "
                f"P(paid | no change) {m.p_paid_no_effect:.1%}"
            )
    if output:
        click.echo(f"Wrote {path}", err=True)


COMMANDS = [simulate_command, threshold_command, sweep_command, compare_command]
