"""``ooh rota pool``: how many member practices it takes to fill the rota."""

from __future__ import annotations

import json
import sys

import click


@click.command("pool")
@click.argument("inputs", type=click.Path(dir_okay=False))
@click.option(
    "--order",
    type=click.Choice(["list-size", "locality", "given"]),
    default="list-size",
    show_default=True,
    help="How pools grow: largest list first; by locality (largest locality first); "
    "or workbook order.",
)
@click.option(
    "--coalitions",
    "coalitions_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Evaluate these groupings instead (.xlsx or .csv: columns Coalition, Practice).",
)
@click.option(
    "--target",
    type=click.FloatRange(min=0, max=1, min_open=True),
    default=None,
    help="Also find the smallest pool filling at least this share of required places, e.g. 0.98.",
)
@click.option(
    "--with-locums",
    is_flag=True,
    help="Offer salaried and locum clinicians (not carried by a member practice) to every "
    "pool too; by default pools have only their members' clinicians.",
)
@click.option(
    "--time-limit",
    default=20.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Per pool, in the solver's deterministic time (about seconds on an idle machine).",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Pools solved at once, one process each (default: the machine's cores).",
)
@click.option("--seed", default=0, show_default=True, type=int, help="Random seed of the search.")
@click.option(
    "-o",
    "--output",
    default="pool.xlsx",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Workbook to write (Pools, Unfilled by shift line, Run info).",
)
@click.option(
    "--plot",
    type=click.Path(dir_okay=False),
    default=None,
    help="PNG of fill rate and cost against pooled list size.",
)
@click.option("--json", "as_json", is_flag=True, help="Print results as JSON on stdout.")
@click.option("--quiet", is_flag=True, help="No progress lines on stderr.")
def pool_command(
    inputs: str,
    order: str,
    coalitions_path: str | None,
    target: float | None,
    with_locums: bool,
    time_limit: float,
    jobs: int | None,
    seed: int,
    output: str,
    plot: str | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """How many practices it takes: fill, cost and load for growing pools of practices.

    Solves the rota of INPUTS for pools of member practices (the first 1, 2, ... in --order,
    or the groupings in --coalitions) and reports, for each, the required places filled,
    unfilled places by shift line, cost and the heaviest per-clinician load.

    Each pool has only its own practices' clinicians (see --with-locums). Pools are
    independent solves run in parallel; results for a seed do not depend on --jobs.
    """
    from pathlib import Path

    from ooh.outputs import check_output_path, file_sha256
    from ooh.rota.io import read_workbook
    from ooh.rota.pool import (
        ORDER_WORDS,
        fill_warnings,
        plot_pool,
        pool_sizes,
        read_coalitions,
        save_plot,
        summary,
        target_words,
        write_pool_workbook,
    )

    given = [inputs] + ([coalitions_path] if coalitions_path else [])
    check_output_path(output, given)
    if plot:
        check_output_path(plot, given)
    data = read_workbook(inputs)
    coalitions = read_coalitions(coalitions_path, data) if coalitions_path else None
    progress = None if quiet else (lambda line: click.echo(line, err=True))
    results = pool_sizes(
        data,
        order,
        coalitions=coalitions,
        with_locums=with_locums,
        time_limit=time_limit,
        seed=seed,
        jobs=jobs,
        progress=progress,
    )
    run_info: dict[str, object] = {
        "Input file": Path(inputs).name,
        "Input SHA-256": file_sha256(inputs),
        "Pools": "coalitions from file" if coalitions else f"growing, {ORDER_WORDS[order]}",
        "Salaried and locum clinicians": "offered to every pool" if with_locums else "left out",
        "Seed": seed,
        "Time limit per pool (deterministic s)": time_limit,
        "Target share of required places": target,
    }
    if coalitions_path:
        run_info["Coalitions file"] = Path(coalitions_path).name
        run_info["Coalitions SHA-256"] = file_sha256(coalitions_path)
    write_pool_workbook(results, output, run_info, data, target)
    if plot:
        save_plot(plot_pool(results, target=target), plot)

    if as_json:
        out = summary(results, target)
        out["output"], out["plot"] = output, plot
        click.echo(json.dumps(out, indent=2))
        return
    click.echo(f"{'pool':>4}  {'practices':>9}  {'patients':>9}  {'filled %':>8}  {'cost £':>10}")
    for r in results:
        filled = "-" if r.fill is None else f"{100 * r.fill:.1f}"
        cost = "-" if r.cost is None else f"{r.cost:,.0f}"
        click.echo(
            f"{r.index:>4}  {len(r.practices):>9}  {r.registered_patients:>9,}  {filled:>8}  "
            f"{cost:>10}  {r.name}"
        )
    if target is not None:
        click.echo(target_words(results, target))
    for index, text in fill_warnings(results).items():
        click.echo(f"Warning: pool {index} {text}", err=True)
    click.echo(f"Written: {output}" + (f", {plot}" if plot else ""), err=True)
    sys.stdout.flush()


COMMANDS = [pool_command]
