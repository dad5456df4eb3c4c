"""``ooh bench machine`` and the stolen-CPU share reported beside benchmark rows."""

from __future__ import annotations

import json
import sys

import pytest
from click.testing import CliRunner

from ooh.bench.machine import REFERENCE_WORK, cpu_ticks, steal_warning, stolen_pct
from ooh.cli import cli


def test_stolen_share_is_the_steal_ticks_over_all_ticks() -> None:
    assert stolen_pct((1000, 10), (1400, 110)) == 25.0
    assert stolen_pct((1000, 10), (1400, 10)) == 0.0
    # no reading, or no time between the readings: nothing to say
    assert stolen_pct(None, (1400, 10)) is None
    assert stolen_pct((1000, 10), (1000, 10)) is None


def test_tables_warn_when_the_host_took_much_cpu() -> None:
    assert steal_warning([0.0, 4.9, None]) is None
    assert steal_warning([None]) is None
    warning = steal_warning([1.0, 38.3, 12.0])
    assert warning is not None
    assert "38.3%" in warning and "2 of 3 rows" in warning


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc/stat is Linux's")
def test_cpu_ticks_read_proc_stat() -> None:
    first = cpu_ticks()
    assert first is not None
    total, steal = first
    assert 0 <= steal <= total
    later = cpu_ticks()
    assert later is not None and later[0] >= total and later[1] >= steal


def test_bench_machine_measures_a_fixed_amount_of_cpsat_work() -> None:
    result = CliRunner().invoke(cli, ["bench", "machine", "--json"])
    assert result.exit_code == 0, result.output
    speed = json.loads(result.stdout)
    # the reference model is not proved optimal before its work is done, so every machine
    # measures the same search
    assert speed["cpsat_units"] == pytest.approx(REFERENCE_WORK, rel=0.05)
    assert speed["cpsat_units_per_second"] == pytest.approx(
        speed["cpsat_units"] / speed["cpsat_seconds"], rel=0.01
    )
    assert speed["python_loop_seconds"] > 0 and speed["cores"] >= 1
    if speed["stolen_pct"] is not None:
        assert 0 <= speed["stolen_pct"] <= 100
