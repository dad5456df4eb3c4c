"""``ooh bench ...``: nrp (Curtois & Qu instances), rota (scaling), gainshare (throughput)."""

from __future__ import annotations

import click

from ooh.cli import add_commands_from


@click.group("bench")
def bench_group() -> None:
    """Benchmarks: published rostering instances, OOH-shaped scaling, gain-share throughput.

    Benchmarks measure; they are commands, not tests. The protocol and the measured tables are
    in docs/benchmarks.md.
    """


BENCH_MODULES: tuple[str, ...] = (  # modules with a COMMANDS list, added as they are built
    "ooh.bench.cli_rota",
    "ooh.bench.cli_gainshare",
    "ooh.bench.cli_nrp",
    "ooh.bench.cli_machine",
)
add_commands_from(bench_group, BENCH_MODULES)
