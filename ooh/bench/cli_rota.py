"""``ooh bench rota``: OOH-shaped instances of growing size through the users' solver."""

from __future__ import annotations

import json

import click

from ooh.errors import OohError


def _floats(text: str, what: str) -> list[float]:
    try:
        values = [float(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise OohError(
            f"{what} {text!r}: give seconds separated by commas, e.g. 10,30,60"
        ) from None
    if not values or any(v <= 0 for v in values):
        raise OohError(f"{what} {text!r}: give positive seconds separated by commas")
    return sorted(set(values))


@click.command("rota")
@click.option(
    "--sizes",
    default="S,M,L,XL",
    show_default=True,
    help="Sizes: S, M, L, XL or <practices>x<weeks> (e.g. 80x10), separated by commas.",
)
@click.option(
    "--time-limit",
    default=300.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Seconds each solve may run (model building included).",
)
@click.option(
    "--checkpoints",
    default="10,30,60,300",
    show_default=True,
    help="Seconds at which to report objective, bound and gap (in every solve).",
)
@click.option(
    "--workers", default=2, show_default=True, type=click.IntRange(min=1), help="Search workers."
)
@click.option("--seed", default=2026, show_default=True, type=int, help="Instance generator seed.")
@click.option(
    "--runs",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="Solve every size this many times, with search seeds 0, 1, ...: one 60 s solve is "
    "one draw of its result, and M's target is judged run by run and on the mean gap.",
)
@click.option(
    "--build-only",
    is_flag=True,
    help="Only build the models (for the build-time curve); each size is built three times "
    "and the fastest build counts.",
)
@click.option("--curve", type=click.Path(dir_okay=False), help="Write the build-time curve (PNG).")
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write one CSV row per size and run."
)
def rota_bench_command(
    sizes: str,
    time_limit: float,
    checkpoints: str,
    workers: int,
    seed: int,
    runs: int,
    build_only: bool,
    curve: str | None,
    as_json: bool,
    output: str | None,
) -> None:
    """Scaling: generate, build and solve OOH-shaped rotas of each size.

    Reports candidate assignments, build time, time to first rota, objective, bound and gap at
    each checkpoint, unfilled required places (and whether a clinician could fill them), and
    peak memory (each size in its own process). See docs/benchmarks.md.
    """
    from ooh.bench.rota import bench_rota, csv_rows, markdown_tables, plot_curve
    from ooh.rota.generate import parse_size

    names = [s.strip() for s in sizes.split(",") if s.strip()]
    if not names:
        raise OohError("--sizes: give at least one size, e.g. S,M")
    for name in names:
        try:
            parse_size(name)
        except ValueError as exc:
            raise OohError(f"--sizes: {exc}") from None
    points = _floats(checkpoints, "--checkpoints")
    if build_only and runs > 1:
        raise OohError(
            "--runs: give it without --build-only (a build-only run builds each size "
            "three times already and keeps the fastest)"
        )
    if output:
        from ooh.outputs import check_output_path

        check_output_path(output, [])
    report = bench_rota(
        names,
        seed=seed,
        time_limit=time_limit,
        checkpoints=points,
        workers=workers,
        build_only=build_only,
        progress=lambda line: click.echo(line, err=True),
        runs=runs,
    )
    if output:
        import csv

        from ooh.outputs import write_atomically

        headers, body = csv_rows(report)

        def write(path: object) -> None:
            with open(str(path), "w", newline="", encoding="utf-8") as f:
                writer = csv.writer(f)
                writer.writerow(headers)
                writer.writerows(body)

        write_atomically(output, write)
    if curve:
        plot_curve(report, curve)
    if as_json:
        click.echo(json.dumps(report, indent=2))
    else:
        click.echo(markdown_tables(report))


COMMANDS = [rota_bench_command]
