"""Options shared by the rota commands that run the solver (solve, repair)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import click

F = TypeVar("F", bound=Callable[..., object])


def solver_options(command: F) -> F:
    """--time-limit, --seed, --workers, --json and --quiet, the same on every solving command."""
    options = [
        click.option(
            "--time-limit",
            default=60.0,
            show_default=True,
            type=click.FloatRange(min=0.1),
            help="Seconds the solver may search.",
        ),
        click.option(
            "--seed", default=0, show_default=True, type=int, help="Random seed of the search."
        ),
        click.option(
            "--workers",
            default=2,
            show_default=True,
            type=click.IntRange(min=1),
            help="Parallel search workers (cores).",
        ),
        click.option("--json", "as_json", is_flag=True, help="Print a JSON summary on stdout."),
        click.option("--quiet", is_flag=True, help="No progress lines on stderr."),
    ]
    for option in reversed(options):
        command = option(command)
    return command
