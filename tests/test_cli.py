"""The command line shell: help, version, entry points, error mapping, fast start-up."""

from __future__ import annotations

import subprocess
import sys

import click
from click.testing import CliRunner

from ooh import __version__
from ooh.cli import LAZY_COMMANDS, SHORT_HELP, cli


def test_help_lists_every_command_with_short_help() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in LAZY_COMMANDS:
        assert name in result.output
        assert SHORT_HELP[name] in " ".join(result.output.split())


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_python_dash_m_runs_the_same_cli() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "ooh", "--version"], capture_output=True, text=True
    )
    assert proc.returncode == 0
    assert __version__ in proc.stdout


def test_help_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from ooh.cli import cli\n"
        "for args in (['--help'], ['rota', '--help'], ['gainshare', '--help'], ['template', '--help']):\n"
        "    assert CliRunner().invoke(cli, args).exit_code == 0, args\n"
        "heavy = [m for m in ('ortools', 'pandas', 'matplotlib', 'numpy') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""


def _all_commands(group: click.Group, ctx: click.Context, prefix: str = "") -> list[str]:
    names = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        full = f"{prefix}{name}"
        names.append(full)
        if isinstance(command, click.Group):
            names += _all_commands(command, ctx, full + " ")
    return names


def test_every_command_has_help_text() -> None:
    ctx = click.Context(cli)
    for full in _all_commands(cli, ctx):
        result = CliRunner().invoke(cli, [*full.split(), "--help"])
        assert result.exit_code == 0, full
        assert "Usage:" in result.output


def test_missing_input_is_a_clean_error() -> None:
    result = CliRunner().invoke(cli, ["rota", "validate", "no-such-file.xlsx"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
    assert "no-such-file.xlsx" in result.output
    assert "Traceback" not in result.output
