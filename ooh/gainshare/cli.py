"""``ooh gainshare ...`` commands. Settlement commands live in ``cli_settle``; simulation,
threshold, sweep and compare in ``cli_simulate``; both are added to this group."""

from __future__ import annotations

import click


@click.group("gainshare")
def gainshare_group() -> None:
    """Settle, simulate, sweep and compare gain-share (fee-for-outcome) contracts."""


def _register() -> None:
    import importlib

    for module_name in ("ooh.gainshare.cli_settle", "ooh.gainshare.cli_simulate"):
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:  # pragma: no cover - during development only
            if exc.name != module_name:
                raise
            continue
        for command in getattr(module, "COMMANDS", []):
            gainshare_group.add_command(command)


_register()
