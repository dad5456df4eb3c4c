"""``ooh rota repair``: re-plan a published rota after absences, moving as few people as possible."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import click

from ooh.rota.cli_options import solver_options


@click.command("repair")
@click.argument("inputs", type=click.Path(dir_okay=False))
@click.argument("rota", type=click.Path(dir_okay=False))
@click.option(
    "--changes",
    "changes",
    required=True,
    type=click.Path(dir_okay=False),
    help="Changes workbook (Unavailability, New demand, Withdrawn); `ooh template changes`.",
)
@click.option(
    "-o",
    "--output",
    default="rota-v2.xlsx",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Repaired rota workbook to write (with a Changes sheet).",
)
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d", "%d/%m/%Y"]),
    default=None,
    help="Shifts starting before this date (already worked) never move. Default: none frozen.",
)
@solver_options
def repair_command(
    inputs: str,
    rota: str,
    changes: str,
    output: str,
    as_of: datetime | None,
    time_limit: float,
    seed: int,
    workers: int,
    as_json: bool,
    quiet: bool,
) -> None:
    """Repair ROTA (written by `ooh rota solve`) after the CHANGES, keeping every assignment
    it can: required places are refilled first, then as few people as possible see their
    shifts change, then as few assignments as possible. Exit code 1 if the repaired rota
    breaks a hard rule (never expected) or an input cannot be read."""
    from ooh.outputs import check_output_path
    from ooh.rota.repair import repair_and_write

    check_output_path(output, [inputs, rota, changes])
    progress = None if quiet else (lambda line: click.echo(line, err=True))
    summary = repair_and_write(
        Path(inputs),
        Path(rota),
        Path(changes),
        Path(output),
        as_of=None if as_of is None else as_of.date(),
        time_limit=time_limit,
        seed=seed,
        workers=workers,
        progress=progress,
    )
    if as_json:
        click.echo(json.dumps(summary, indent=2, default=str))
    else:
        for key, value in summary.items():
            if not isinstance(value, (list, dict)):
                click.echo(f"{key}: {value}")
        click.echo(f"people whose shifts changed: {', '.join(summary['people_changed']) or 'none'}")
        for row in summary["changes"]:
            click.echo(f"  {row['shift']}  {row['clinician']}  {row['change']}: {row['reason']}")
    if summary.get("breaches"):
        sys.exit(1)


COMMANDS = [repair_command]
