"""``ooh bench nrp DIR``: the Curtois & Qu instances through the rota engine, scored
independently. Heavy imports stay inside the command so ``ooh --help`` stays fast."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command("nrp")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--instances", default="1-12", show_default=True, help="E.g. 1-12 or 1,3,5-7.")
@click.option(
    "--time-limit",
    default=60.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Seconds per instance.",
)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(min=1))
@click.option("--seed", default=0, show_default=True, type=int, help="Random seed of the search.")
@click.option(
    "--runs",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="Solve every instance this many times, with seeds SEED, SEED+1, ...: the table then "
    "shows each instance's spread and judges the targets run by run and on each instance's "
    "mean gap over the runs.",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print the rows as JSON on stdout, each with the solver's account of its phases.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), default=None, help="Also write a CSV."
)
@click.option("--log", is_flag=True, help="CP-SAT's own search log on stdout.")
def nrp_command(
    folder: str,
    instances: str,
    time_limit: float,
    workers: int,
    seed: int,
    runs: int,
    as_json: bool,
    output: str | None,
    log: bool,
) -> None:
    """Solve Curtois & Qu instances (InstanceN.txt in FOLDER) and compare with best known.

    Each roster is scored by an evaluator independent of the solver; the table shows our
    objective, the evaluator's (they must agree), best known, gap, proven bound, time to the
    best roster and hard violations (must be 0). A 60 s solve's result varies from run to
    run (CP-SAT with two workers and a clock limit is not reproducible): --runs shows how much.
    """
    from dataclasses import asdict

    from ooh.bench.nrp.run import parse_instances, run_instance, table_markdown, write_csv
    from ooh.errors import OohError
    from ooh.outputs import check_output_path

    numbers = parse_instances(instances)
    base = Path(folder)
    missing = [n for n in numbers if not (base / f"Instance{n}.txt").is_file()]
    if missing:
        raise OohError(
            f"{base}: no Instance{missing[0]}.txt; give the folder holding InstanceN.txt files"
        )
    if output:
        check_output_path(output, [])
    rows = []
    # run after run, not instance after instance: a change in the machine's speed then
    # falls on every instance alike
    for run_seed in range(seed, seed + runs):
        for n in numbers:
            row = run_instance(base, n, time_limit, workers, run_seed, log)
            rows.append(row)
            if not as_json:
                label = f"Instance{n}" + (f" (seed {run_seed})" if runs > 1 else "")
                click.echo(
                    f"{label}: ours {row.objective} evaluator {row.evaluated} best "
                    f"{row.best_known} gap {row.gap_pct}% hard violations "
                    f"{row.hard_violations + row.checker_breaches}",
                    err=True,
                )
    if output:
        write_csv(rows, Path(output))
    if as_json:
        click.echo(json.dumps([asdict(r) for r in rows], indent=2))
    else:
        click.echo(table_markdown(rows))


COMMANDS = [nrp_command]
