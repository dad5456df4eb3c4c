"""The ``ooh`` command line: a thin click layer over library functions.

Sub-groups live beside the engines (``ooh.rota.cli``, ``ooh.gainshare.cli``, ...) and are
imported only when used, so ``ooh --help`` does not load ortools, pandas or matplotlib.
Library errors (``OohError``) become ``Error: ...`` on stderr with exit code 1.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from ooh import __version__
from ooh.errors import OohError

# name -> "module:attribute" of a click command or group, loaded on first use.
LAZY_COMMANDS: dict[str, str] = {
    "demo": "ooh.demo:demo_command",
    "template": "ooh.templates:template_group",
    "rota": "ooh.rota.cli:rota_group",
    "gainshare": "ooh.gainshare.cli:gainshare_group",
    "bench": "ooh.bench.cli:bench_group",
}

SHORT_HELP: dict[str, str] = {
    "demo": "Run the rota planner and gain-share modeller on built-in sample data.",
    "template": "Write blank input templates (rota workbook, rota changes, contract, activity).",
    "rota": "Plan, check and explain out-of-hours rotas.",
    "gainshare": "Settle, simulate and compare gain-share contracts.",
    "bench": "Benchmarks: published rostering instances, scaling, gain-share throughput.",
}


def add_commands_from(group: click.Group, module_names: tuple[str, ...]) -> None:
    """Add the ``COMMANDS`` list of each module to ``group`` (modules keep features apart)."""
    for module_name in module_names:
        for command in importlib.import_module(module_name).COMMANDS:
            group.add_command(command)


def _set_deterministic(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    from ooh.outputs import set_deterministic

    set_deterministic(value)
    ctx.call_on_close(lambda: set_deterministic(False))  # the switch lasts one command
    return value


def deterministic_option(f: Any) -> Any:
    """``--deterministic``: reproducible files; read back with ``ooh.outputs.is_deterministic``."""
    return click.option(
        "--deterministic",
        is_flag=True,
        expose_value=False,
        callback=_set_deterministic,
        help="Reproducible output: the same inputs and seed give byte-identical files (no "
        "timestamps or run times recorded; a solver search runs on one worker with a "
        "deterministic time limit).",
    )(f)


class LazyGroup(click.Group):
    """A click group whose sub-commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(LAZY_COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS:
            module_name, attr = LAZY_COMMANDS[cmd_name].split(":")
            command = getattr(importlib.import_module(module_name), attr)
            assert isinstance(command, click.Command)
            return command
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Short help comes from a table so that listing commands imports nothing heavy.
        rows = [(name, SHORT_HELP.get(name, "")) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OohError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="ooh")
def cli() -> None:
    """Out-of-hours GP care: pooled rota planner and gain-share contract modeller.

    Inputs and outputs are Excel workbooks (and TOML contract files). Run `ooh demo` to see
    both engines on built-in sample data.
    """


def main() -> None:
    cli(prog_name="ooh")
    sys.exit(0)
