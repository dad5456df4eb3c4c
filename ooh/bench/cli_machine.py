"""``ooh bench machine``: how fast this machine runs CP-SAT and Python, and how much CPU time
the host takes from it, to read beside tables measured at a wall-clock limit."""

from __future__ import annotations

import json

import click


@click.command("machine")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def machine_command(as_json: bool) -> None:
    """CP-SAT work units per second (a fixed model, one worker), a fixed Python loop's
    seconds, and the CPU time the host stole meanwhile. See docs/benchmarks.md."""
    from ooh.bench.machine import machine_speed, speed_line

    speed = machine_speed()
    click.echo(json.dumps(speed, indent=2) if as_json else speed_line(speed))


COMMANDS = [machine_command]
