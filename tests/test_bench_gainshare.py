"""``ooh bench gainshare`` on a tiny case, the sweep grid, and the oracle's comparison."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

import ooh.gainshare.simulate as simulate_module
from ooh.bench.gainshare import run_oracle, sweep_grid
from ooh.cli import cli


def test_bench_gainshare_runs_a_tiny_case() -> None:
    result = CliRunner().invoke(
        cli,
        ["bench", "gainshare", "--draws", "3000", "--sweep-points", "6", "--sweep-draws", "500",
         "--oracle-draws", "4", "--workers", "2", "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    cases = report["cases"]
    assert set(cases) == {"simulate", "settle", "oracle", "sweep"}
    # the sample contract: 20 practices, a 12-month year, 3 measures
    for case in cases.values():
        assert (case["practices"], case["months"], case["measures"]) == (20, 12, 3)
        assert case["seconds"] > 0 and case["peak_rss_mb"] > 10
        assert case["stolen_pct"] is None or 0 <= case["stolen_pct"] <= 100
    assert cases["simulate"]["draws"] == cases["settle"]["draws"] == 3000
    assert cases["simulate"]["draws_per_second"] > 0
    # the per-draw loop is the oracle: 4 draws x 7 settlement figures, all equal
    assert cases["oracle"]["compared"] == 28 and cases["oracle"]["mismatches"] == 0
    assert report["oracle_equal"] is True
    assert cases["sweep"]["points"] == 6 and len(cases["sweep"]["keys"]) == 2
    assert report["ratios"]["settle_vs_loop"] > 0
    # targets are only judged at the sizes they name
    assert report["targets"] == []


def test_markdown_output_names_every_case() -> None:
    result = CliRunner().invoke(
        cli,
        ["bench", "gainshare", "--draws", "2000", "--sweep-points", "3", "--sweep-draws", "300",
         "--oracle-draws", "2"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    for text in ("simulate", "settle only", "per-draw loop", "sweep", "0 differ", "stolen %"):
        assert text in result.stdout


def test_sweep_grid_is_as_square_as_the_count_allows() -> None:
    grid = sweep_grid(1000)
    assert [k for k, _ in grid] == ["gain.threshold.value", "gain.tiers[0].share"]
    assert [len(v) for _, v in grid] == [40, 25]
    assert grid[0][1][0] == "0.0000" and grid[0][1][-1] == "5.0000"
    prime = sweep_grid(7)
    assert len(prime) == 1 and len(prime[0][1]) == 7


def test_oracle_reports_a_vectorised_settlement_that_is_off_by_a_penny(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    honest = run_oracle(draws=3)
    assert honest["mismatches"] == 0 and honest["compared"] == 21
    real = simulate_module.settle_totals

    def off_by_a_penny(terms, totals):
        out = real(terms, totals)
        return simulate_module.Outcome(
            **{**out.__dict__, "transfer": out.transfer + np.int64(terms.unit // 100)}
        )

    monkeypatch.setattr(simulate_module, "settle_totals", off_by_a_penny)
    broken = run_oracle(draws=3)
    assert broken["mismatches"] == 3
    assert "transfer" in broken["mismatch_examples"][0]
