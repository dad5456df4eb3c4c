"""``ooh rota ...`` commands: validate, solve, check. Thin: parse, call the library, print."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ooh.cli import add_commands_from, deterministic_option
from ooh.rota.cli_options import solver_options


@click.group("rota")
def rota_group() -> None:
    """Plan, check and explain out-of-hours rotas from an input workbook."""


@rota_group.command("validate")
@click.argument("inputs", type=click.Path(dir_okay=False))
def validate(inputs: str) -> None:
    """Check an input workbook and list every problem with its sheet and cell."""
    from ooh.rota.io import read_workbook

    data = read_workbook(inputs)
    click.echo(
        f"{inputs}: OK: {len(data.practices)} practices, {len(data.clinicians)} clinicians, "
        f"{len(data.shift_types)} shift lines, {data.settings.weeks} weeks from "
        f"{data.settings.period_start:%d %b %Y}"
    )


@rota_group.command("solve")
@click.argument("inputs", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    default="rota.xlsx",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Rota workbook to write.",
)
@solver_options
@click.option(
    "--ics-dir",
    default=None,
    type=click.Path(),  # a file given here is refused with exit 1 by check_calendar_dir
    help="Also write one calendar (.ics) per clinician into this folder.",
)
@deterministic_option
def solve_command(
    inputs: str,
    output: str,
    time_limit: float,
    seed: int,
    workers: int,
    as_json: bool,
    quiet: bool,
    ics_dir: str | None = None,
) -> None:
    """Build a rota: legal, filled where possible, fair and affordable."""
    from ooh.outputs import check_output_path, is_deterministic
    from ooh.rota.io import read_workbook
    from ooh.rota.run import solve_and_write

    check_output_path(output, [inputs])
    if ics_dir is not None:
        from ooh.rota.ics import check_calendar_dir

        check_calendar_dir(ics_dir)  # before the solve, not after it
    data = read_workbook(inputs)
    progress = None if quiet else (lambda line: click.echo(line, err=True))
    summary = solve_and_write(
        data,
        Path(inputs),
        Path(output),
        time_limit=time_limit,
        seed=seed,
        workers=workers,
        progress=progress,
        deterministic=is_deterministic(),
    )
    if ics_dir is not None:
        from ooh.rota.cli_ics import calendars_after_solve

        summary["calendars"] = calendars_after_solve(data, Path(output), Path(ics_dir), summary)
    if as_json:
        click.echo(json.dumps(summary, indent=2, default=str))
    else:
        for key, value in summary.items():
            if not isinstance(value, (list, dict)):
                click.echo(f"{key}: {value}")
    if summary.get("breaches"):
        sys.exit(1)


@rota_group.command("check")
@click.argument("inputs", type=click.Path(dir_okay=False))
@click.argument("rota", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print breaches as JSON on stdout.")
def check_command(inputs: str, rota: str, as_json: bool) -> None:
    """Re-check a rota workbook (even one edited by hand) against every hard rule.

    Reads the Assignments sheet of ROTA. Exit code 0 when the rota is legal, 1 when it
    breaks a rule (each breach is listed) or cannot be read.
    """
    from ooh.rota.check import check_rota
    from ooh.rota.io import read_workbook
    from ooh.rota.output import read_assignments

    data = read_workbook(inputs)
    assignments = read_assignments(rota, data)
    breaches = check_rota(data, assignments)
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "rule": b.rule,
                        "clinician": b.clinician,
                        "dates": [d.isoformat() for d in b.dates],
                        "message": b.message,
                    }
                    for b in breaches
                ],
                indent=2,
            )
        )
    elif breaches:
        for breach in breaches:
            click.echo(f"{breach.rule}: {breach.message}")
    else:
        click.echo(f"{rota}: OK: {len(assignments)} assignments break no hard rule")
    if breaches:
        click.echo(f"{len(breaches)} breach(es) of hard rules", err=True)
        sys.exit(1)


# Further rota commands live in their own modules, each with a COMMANDS list.
ROTA_MODULES: tuple[str, ...] = ("ooh.rota.cli_ics", "ooh.rota.cli_repair", "ooh.rota.cli_pool")
add_commands_from(rota_group, ROTA_MODULES)
