"""``ooh bench gainshare``: Monte Carlo and sweep throughput on the sample contract."""

from __future__ import annotations

import json
import sys

import click


@click.command("gainshare")
@click.option("--draws", default=1_000_000, show_default=True, type=click.IntRange(min=1),
              help="Draws for the simulate and settle cases.")  # fmt: skip
@click.option("--sweep-points", default=1_000, show_default=True, type=click.IntRange(min=1),
              help="Grid points of the sweep case.")  # fmt: skip
@click.option("--sweep-draws", default=10_000, show_default=True, type=click.IntRange(min=1),
              help="Shared draws of the sweep case.")  # fmt: skip
@click.option("--oracle-draws", default=200, show_default=True, type=click.IntRange(min=1),
              help="Draws settled one by one by the exact per-draw loop (the reference).")  # fmt: skip
@click.option("--workers", default=2, show_default=True, type=click.IntRange(min=1),
              help="Threads for simulate.")  # fmt: skip
@click.option("--seed", default=2026, show_default=True, type=int, help="Random seed.")
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
def gainshare_bench_command(
    draws: int,
    sweep_points: int,
    sweep_draws: int,
    oracle_draws: int,
    workers: int,
    seed: int,
    as_json: bool,
) -> None:
    """Throughput of simulate and sweep on the sample contract (20 practices, 12 months, 3
    measures): draws per second, peak memory (each case in its own process) and the speed-up
    over a per-draw loop of the exact settlement, whose pennies must agree (exit 1 if not).
    See docs/benchmarks.md."""
    from ooh.bench.gainshare import bench_gainshare, markdown_table

    report = bench_gainshare(
        draws=draws,
        sweep_points=sweep_points,
        sweep_draws=sweep_draws,
        oracle_draws=oracle_draws,
        workers=workers,
        seed=seed,
        progress=lambda line: click.echo(line, err=True),
    )
    click.echo(json.dumps(report, indent=2) if as_json else markdown_table(report))
    if not report["oracle_equal"]:
        click.echo(
            "The vectorised settlement differs from the exact per-draw settlement.", err=True
        )
        sys.exit(1)


COMMANDS = [gainshare_bench_command]
