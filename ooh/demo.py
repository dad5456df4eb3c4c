"""``ooh demo``: both engines on built-in sample data, from any folder, no files needed.

The inputs come from the seeded generator in the package (``ooh.rota.sample``), the same one
that wrote the committed sample workbooks, so the demo needs nothing from the repository.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

Echo = Callable[[str], None]


@click.command("demo")
@click.option(
    "-o",
    "--output-dir",
    "folder",
    default="ooh-demo",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder to write the sample inputs and results into (created if missing).",
)
@click.option(
    "--time-limit",
    default=60.0,  # the same as `ooh rota solve`
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Seconds the rota solver may search.",
)
@click.option(
    "--workers",
    default=None,
    type=click.IntRange(min=1),
    help="Parallel search workers for the rota solver [default: the machine's cores, up to 8].",
)
@click.option(
    "--sample",
    type=click.Choice(["realistic", "small"]),
    default="realistic",
    show_default=True,
    help="Which sample rota to solve (small: 3 practices, 2 weeks, solves in seconds).",
)
@click.option("--quiet", is_flag=True, help="No solver progress lines on stderr.")
def demo_command(
    folder: str, time_limit: float, workers: int | None, sample: str, quiet: bool
) -> None:
    """Run the rota planner and gain-share modeller on built-in sample data.

    Writes the sample input workbooks (inputs.xlsx: 20 practices, about 100 clinicians, four
    weeks over Christmas; inputs-small.xlsx), solves the realistic one into rota.xlsx, and
    prints what came out. Open the workbooks in Excel to see how inputs and results look.
    """
    if workers is None:  # the demo shows the solver at its best on this machine
        workers = max(1, min(8, os.cpu_count() or 1))
    out = Path(folder)  # click has refused an existing file already
    out.mkdir(parents=True, exist_ok=True)
    echo: Echo = click.echo
    progress = None if quiet else (lambda line: click.echo(line, err=True))
    summary = _rota_demo(
        out, echo, sample=sample, time_limit=time_limit, workers=workers, progress=progress
    )
    _gainshare_demo(out, echo)
    if summary["breaches"]:  # the independent checker disagrees with the solver: say so
        raise SystemExit(1)


def _rota_demo(
    folder: Path,
    echo: Echo,
    *,
    sample: str = "realistic",
    time_limit: float,
    workers: int,
    progress: Echo | None,
) -> dict[str, Any]:
    """Write both sample rota inputs, solve one of them, print a short summary."""
    from ooh.rota.io import read_workbook, write_input_workbook
    from ooh.rota.run import solve_and_write
    from ooh.rota.sample import generate_rota_data

    small_path = folder / "inputs-small.xlsx"
    inputs_path = folder / "inputs.xlsx"
    rota_path = folder / "rota.xlsx"
    write_input_workbook(generate_rota_data("small"), small_path)
    write_input_workbook(generate_rota_data("realistic"), inputs_path)
    # Solve what the workbook says (as `ooh rota solve inputs.xlsx` would), not the
    # generator's objects, so the rota and the input file can never disagree.
    chosen = inputs_path if sample == "realistic" else small_path
    data = read_workbook(chosen)
    echo(
        f"Rota planner: {len(data.practices)} practices "
        f"({sum(p.list_size for p in data.practices):,} patients), "
        f"{len(data.clinicians)} clinicians, {len(data.shift_types)} shift lines, "
        f"{data.settings.weeks} weeks from {data.settings.period_start:%a %d %b %Y}"
    )
    echo(f"Solving (up to {time_limit:g} s)...")
    summary = solve_and_write(
        data,
        chosen,
        rota_path,
        time_limit=time_limit,
        seed=0,
        workers=workers,
        progress=progress,
    )
    for line in _summary_lines(summary):
        echo(line)
    echo(f"  inputs: {inputs_path} (realistic), {small_path} (small)")
    echo(f"  rota:   {rota_path} (of the {sample} sample)")
    echo(f"  check it yourself: ooh rota check {chosen} {rota_path}")
    return summary


def _summary_lines(summary: dict[str, Any]) -> list[str]:
    """A few human lines from the summary of ``solve_and_write``."""
    required, unfilled = summary["required_places"], summary["unfilled_required"]
    filled = required - unfilled
    percent = 100.0 * filled / required if required else 100.0
    gap = summary.get("gap_percent")
    if summary["status"] == "optimal":
        proven = "proven best"
    elif gap is not None:
        proven = f"{gap:g}% above the proven lower bound"
    else:
        proven = "best found in the time"
    breaches = summary["breaches"]
    lines = [
        f"  rota: {summary['status']} ({proven}) after {summary['runtime_seconds']:g} s",
        f"  filled: {filled} of {required} required places ({percent:.1f}%), "
        f"{summary['assignments']} assignments",
        f"  gaps: {unfilled} required place(s) unfilled, {summary['unfilled_target']} extra "
        f"(wanted, not required) place(s) open; reasons in the Unfilled sheet",
        f"  checker: {len(breaches)} hard-rule breach(es)"
        + ("" if not breaches else ": " + "; ".join(breaches[:3])),
    ]
    return lines


def _gainshare_demo(folder: Path, echo: Echo) -> list[Path]:
    """Settle and simulate the sample contract on the sample activity (same federation).

    Runs the very commands a user would (`ooh gainshare settle` and `simulate`), so the demo
    shows their real output and cannot drift from them.
    """
    from ooh.gainshare.cli_settle import settle_command
    from ooh.gainshare.cli_simulate import simulate_command
    from ooh.gainshare.sample import write_samples

    activity_csv, _, contract = write_samples(folder)
    statement = folder / "statement.xlsx"
    simulation = folder / "simulation.xlsx"
    plots = folder / "plots"
    plots.mkdir(exist_ok=True)
    ctx = click.get_current_context()
    echo(f"Gain-share modeller: {contract.name} on {activity_csv.name}")
    ctx.invoke(
        settle_command,
        contract=str(contract),
        activity_path=str(activity_csv),
        output=str(statement),
    )
    ctx.invoke(
        simulate_command,
        contract=str(contract),
        activity_path=str(activity_csv),
        draws=20_000,
        seed=1,
        output=str(simulation),
        plots=str(plots),
        quiet=True,
    )
    echo(f"  statement: {statement} (every step of the year-end settlement)")
    echo(f"  simulation: {simulation}, plots in {plots}")
    return [activity_csv, contract, statement, simulation]
