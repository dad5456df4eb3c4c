"""``ooh gainshare ...`` commands. Settlement commands live in ``cli_settle``; simulation,
threshold, sweep and compare in ``cli_simulate``; both are added to this group."""

from __future__ import annotations

import click

from ooh.cli import add_commands_from


@click.group("gainshare")
def gainshare_group() -> None:
    """Settle, simulate, sweep and compare gain-share (fee-for-outcome) contracts."""


add_commands_from(gainshare_group, ("ooh.gainshare.cli_settle", "ooh.gainshare.cli_simulate"))
