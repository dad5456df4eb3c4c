"""``ooh rota ics``: one calendar file per clinician from a rota workbook."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ooh.errors import OohError

if TYPE_CHECKING:
    from ooh.rota.data import RotaData


def parse_stamp(text: str | None) -> datetime | None:
    """``--stamp``: an ISO date-time, UTC unless it says otherwise."""
    if text is None:
        return None
    try:
        stamp = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise OohError(
            f'--stamp: "{text}" is not a date and time; write e.g. 2026-10-01T09:00:00Z'
        ) from exc
    return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)


def echo_written(out_dir: Path, written: list[Path], shifts: int, *, err: bool = False) -> None:
    """Say what was written, and which older calendars in the folder this rota did not touch."""
    from ooh.rota.ics import stale_files

    if not written:
        click.echo(f"{out_dir}: no calendars written: the rota has no assignments", err=err)
        return
    click.echo(
        f"{out_dir}: {len(written)} calendar file(s), one per clinician with a shift "
        f"({shifts} shift(s), Europe/London times)",
        err=err,
    )
    stale = stale_files(out_dir, written)
    if stale:
        click.echo(
            f"Note: {len(stale)} other .ics file(s) in {out_dir} are not from this rota "
            "(clinicians with no shift in it, or renamed ids), left as they were: "
            + ", ".join(p.name for p in stale),
            err=True,
        )


def calendars_after_solve(
    data: RotaData, rota: Path, out_dir: Path, summary: dict[str, Any]
) -> int | None:
    """``ooh rota solve --ics-dir``: the calendars of the rota just written (messages on
    stderr, so ``--json`` output stays clean). Returns the number of files, or None when
    the checker found breaches: a rota that breaks a hard rule is not sent to clinicians."""
    from ooh.rota.ics import export_calendars

    if summary.get("breaches"):
        click.echo(
            f"{out_dir}: calendars not written: the rota breaks hard rules (see the breaches)",
            err=True,
        )
        return None
    exported = export_calendars(rota, out_dir, data=data)
    echo_written(out_dir, exported.files, exported.shifts, err=True)
    return len(exported.files)


@click.command("ics")
@click.argument("workbooks", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    "out_dir",
    default="calendars",
    show_default=True,
    type=click.Path(),  # a file given here is refused with exit 1 by check_calendar_dir
    help="Folder for the .ics files (created if missing).",
)
@click.option(
    "--stamp",
    default=None,
    metavar="DATETIME",
    help="Time recorded as each event's DTSTAMP (UTC), e.g. 2026-10-01T09:00:00Z. "
    "Default: when the rota workbook was written, so the same rota gives the same files.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the files written as JSON.")
def ics_command(workbooks: tuple[str, ...], out_dir: str, stamp: str | None, as_json: bool) -> None:
    """Write one calendar (.ics) per clinician from a rota: [INPUTS] ROTA.

    With ROTA alone, shifts come from its Assignments sheet (times, sites, names). With the
    INPUTS workbook first, times and names come from the inputs and only the dates, shift
    types and clinician ids of the Assignments sheet count (use this after editing it by
    hand). Re-importing the calendars of an updated rota updates events in place.
    """
    from ooh.rota.ics import check_calendar_dir, export_calendars

    if len(workbooks) > 2:
        raise click.UsageError("give ROTA, or INPUTS then ROTA")
    check_calendar_dir(out_dir)
    when = parse_stamp(stamp)
    data = None
    if len(workbooks) == 2:
        from ooh.rota.io import read_workbook

        data = read_workbook(workbooks[0])
    exported = export_calendars(workbooks[-1], out_dir, data=data, stamp=when)
    if as_json:
        files = [str(p) for p in exported.files]
        click.echo(json.dumps({"output": out_dir, "shifts": exported.shifts, "files": files}))
    else:
        echo_written(Path(out_dir), exported.files, exported.shifts)


COMMANDS = [ics_command]
