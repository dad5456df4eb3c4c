"""docs/commands.md, generated from the command line's own help.

Run ``python -m ooh.cli_docs > docs/commands.md`` after changing a command; a test checks
that the file is current, that every command is in it and that every command has an example
(each example is parsed by the command itself, so a renamed option breaks the test).
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Iterator

import click

from ooh.cli import cli

WIDTH = 100  # help is wrapped the same on every terminal, so the file is reproducible

# Examples by command, with the files the repository ships (sample_inputs/, models/).
EXAMPLES: dict[str, list[str]] = {
    "demo": ["ooh demo", "ooh demo -o ooh-demo --sample small --time-limit 20"],
    "template rota": ["ooh template rota -o inputs.xlsx"],
    "template gainshare": ["ooh template gainshare  # into the current folder"],
    "template changes": ["ooh template changes -o changes.xlsx"],
    "rota validate": ["ooh rota validate sample_inputs/rota-small.xlsx"],
    "rota solve": [
        "ooh rota solve sample_inputs/rota-small.xlsx -o rota.xlsx --time-limit 30",
        "ooh rota solve inputs.xlsx -o rota.xlsx --time-limit 300 --workers 4 --json",
        "ooh rota solve inputs.xlsx -o rota.xlsx --seed 1 --deterministic",
        "ooh rota solve inputs.xlsx -o rota.xlsx --ics-dir calendars/",
    ],
    "rota check": ["ooh rota check sample_inputs/rota-small.xlsx rota.xlsx"],
    "rota ics": [
        "ooh rota ics rota.xlsx -o calendars/",
        "ooh rota ics inputs.xlsx rota.xlsx -o calendars/",
    ],
    "rota repair": [
        "ooh rota repair inputs.xlsx rota.xlsx --changes changes.xlsx -o rota-v2.xlsx",
        "ooh rota repair inputs.xlsx rota.xlsx --changes changes.xlsx --as-of 2027-01-11",
    ],
    "rota pool": [
        "ooh rota pool sample_inputs/rota-realistic.xlsx -o pools.xlsx --target 0.98",
        "ooh rota pool inputs.xlsx --coalitions coalitions.csv -o pools.xlsx",
    ],
    "gainshare settle": [
        "ooh gainshare settle models/flat-50-50-above-2pct.toml "
        "--activity sample_inputs/activity.csv -o statement.xlsx",
        "ooh gainshare settle sample_inputs/contract.toml --activity sample_inputs/activity.csv "
        "--kpi urgent_20min=96.5 --json",
    ],
    "gainshare simulate": [
        "ooh gainshare simulate sample_inputs/contract.toml --activity sample_inputs/activity.csv "
        "--draws 100000 --seed 1 -o simulation.xlsx",
        "ooh gainshare simulate sample_inputs/contract.toml --activity sample_inputs/activity.csv "
        "--effect-mean -0.03 --effect-sd 0.01 --plots figures/",
    ],
    "gainshare threshold": [
        "ooh gainshare threshold sample_inputs/contract.toml "
        "--activity sample_inputs/activity.csv --alpha 0.1 -o threshold.xlsx",
    ],
    "gainshare sweep": [
        "ooh gainshare sweep sample_inputs/contract.toml --activity sample_inputs/activity.csv "
        "--vary gain.threshold.value=0:4:0.5 --vary gain.tiers[0].share=30:70:10 -o sweep.xlsx",
    ],
    "gainshare compare": [
        "ooh gainshare compare models/flat-50-50-above-2pct.toml models/tiered-with-caps.toml "
        "--activity sample_inputs/activity.csv -o compare.xlsx",
    ],
    "bench rota": [
        "ooh bench rota --sizes S,M --time-limit 60 -o scaling.csv",
        "ooh bench rota --sizes M --time-limit 60 --checkpoints 10,30,60 --runs 5",
    ],
    "bench gainshare": ["ooh bench gainshare --draws 100000"],
    "bench machine": ["ooh bench machine"],
    "bench nrp": [
        "ooh bench nrp instances/ --instances 1-4 --time-limit 60 -o nrp.csv",
        "ooh bench nrp instances/ --instances 8,12 --runs 3",
    ],
}

INTRO = """# Commands

Every `ooh` command, with its options and examples. This page is generated from the
command line's own help (`python -m ooh.cli_docs > docs/commands.md`); `ooh COMMAND --help`
prints the same text. Errors a user can fix print `Error: ...` and exit with code 1; see
[troubleshooting.md](troubleshooting.md) for every kind of message.
"""


def _context(command: click.Command, name: str, parent: click.Context | None) -> click.Context:
    settings = dict(cli.context_settings) if parent is None else {}  # -h as well as --help
    return click.Context(
        command,
        info_name=name,
        parent=parent,
        terminal_width=WIDTH,
        max_content_width=WIDTH,
        **settings,
    )


def commands() -> Iterator[tuple[str, click.Context]]:
    """(path such as "rota solve", context) of every command that is not a group, in order."""

    def walk(ctx: click.Context, path: str) -> Iterator[tuple[str, click.Context]]:
        command = ctx.command
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                if sub is not None and not sub.hidden:
                    yield from walk(_context(sub, name, ctx), f"{path} {name}".strip())
        else:
            yield path, ctx

    yield from walk(_context(cli, "ooh", None), "")


def check_example(path: str, example: str) -> None:
    """Parse an example with the command's own parser; raises click errors if it is wrong."""
    words = shlex.split(example, comments=True)
    prefix = ["ooh", *path.split()]
    if words[: len(prefix)] != prefix:
        raise ValueError(f"example for `ooh {path}` does not start with it: {example}")
    ctx = dict(commands())[path]
    ctx.command.make_context(" ".join(prefix), words[len(prefix) :], parent=ctx.parent)


def render() -> str:
    """The whole of docs/commands.md."""
    top = _context(cli, "ooh", None)
    parts = [INTRO, "## `ooh`\n", "```text\n" + cli.get_help(top) + "\n```\n"]
    listed = list(commands())
    parts.append("## Contents\n")
    parts += [f"- [`ooh {path}`](#{_anchor(path)})" for path, _ in listed]
    parts.append("")
    for path, ctx in listed:
        parts.append(f"## `ooh {path}`\n")
        parts.append("```text\n" + ctx.command.get_help(ctx) + "\n```\n")
        examples = EXAMPLES.get(path, [])
        if examples:
            parts.append("Examples:\n")
            parts.append("```bash\n" + "\n".join(examples) + "\n```\n")
    return "\n".join(parts).rstrip() + "\n"


def _anchor(path: str) -> str:
    return "ooh-" + path.replace(" ", "-")


def main() -> None:
    sys.stdout.write(render())


if __name__ == "__main__":
    main()
