"""Curtois & Qu benchmark: reader, independent evaluator, ``ooh bench nrp`` on instance 1.

The instance files are read from ../shared/benchmarks/curtois (relative to the repository
root) and never copied into the project; tests that need them skip when it is absent.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from ooh.bench.nrp import run as run_module
from ooh.bench.nrp.evaluate import evaluate
from ooh.bench.nrp.reader import read_instance, to_rota_data
from ooh.bench.nrp.run import LastRota, Row, parse_instances, row_cells
from ooh.errors import InputError, OohError
from ooh.rota.calendar import build_shifts
from ooh.rota.data import AvailabilityKind

CURTOIS = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "curtois"
needs_files = pytest.mark.skipif(
    not (CURTOIS / "Instance1.txt").is_file(), reason="benchmark files not present"
)


@pytest.fixture(scope="module")
def instance1():
    return read_instance(CURTOIS / "Instance1.txt")


@needs_files
def test_reader_sizes_on_instance1(instance1):
    assert instance1.horizon == 14
    assert [p.id for p in instance1.staff] == list("ABCDEFGH")
    assert [(s.id, s.minutes, s.cannot_follow) for s in instance1.shifts] == [("D", 480, ())]
    assert len(instance1.cover) == 14
    assert len(instance1.on_requests) == 21
    assert len(instance1.off_requests) == 5
    a = instance1.staff[0]
    assert (a.max_minutes, a.min_minutes, a.max_consecutive) == (4320, 3360, 5)
    assert (a.min_consecutive, a.min_days_off, a.max_weekends) == (2, 2, 1)
    assert a.max_shifts == {"D": 14}
    assert instance1.days_off["A"] == {0}


@needs_files
def test_translation_to_engine_data(instance1):
    data = to_rota_data(instance1)
    assert data.settings.period_start.weekday() == 0  # day 0 is a Monday
    assert data.settings.weeks == 2
    shifts = build_shifts(data)
    assert len(shifts) == 14  # one line, every day (bank holidays too)
    assert all(s.minutes == 480 and not s.is_night for s in shifts)
    # cover row "1,D,7,100,1": 7 needed on day 1, soft with weights 100 under / 1 over
    day1 = shifts[1].type
    assert (day1.needed, day1.wanted, day1.under_weight, day1.over_weight) == (7, 7, 100, 1)
    a = data.clinician("A")
    assert (a.min_period_hours, a.max_period_hours) == (56, 72)
    assert (a.max_consecutive_days, a.min_consecutive_days, a.min_consecutive_days_off) == (
        5,
        2,
        2,
    )
    assert a.max_shifts_by_type == (("D", 14),)
    assert data.availability_of("A", date(2024, 1, 1)).kind is AvailabilityKind.UNAVAILABLE
    wants = [r for r in data.requests if r.clinician == "A"]
    assert [(r.date.day, r.shift_type, r.want, r.weight) for r in wants] == [
        (3, "D", True, 2),
        (4, "D", True, 2),
    ]


@needs_files
def test_evaluator_reproduces_the_two_published_scores(instance1):
    empty = evaluate(instance1, {})
    assert empty.penalty == 7137
    # nobody works: every staff member is below MinTotalMinutes (3360)
    assert empty.hard_violations == 8
    only_a = evaluate(instance1, {("A", 2): "D", ("A", 3): "D"})
    # A's two on-requests (weight 2 each) granted and one person fewer short on days 2, 3
    assert only_a.penalty == 7137 - 2 - 2 - 100 - 100 == 6933


@needs_files
def test_evaluator_counts_hard_violations(instance1):
    # A works day 0, a day off (a 1-day run, but touching the start: allowed); D works
    # days 4 and 6: two 1-day runs and a 1-day break inside the horizon (minimum 2 each)
    roster = {("A", 0): "D", ("D", 4): "D", ("D", 6): "D"}
    found = evaluate(instance1, roster).violations
    assert "A works day 0, a day off" in found
    assert "D: only 1 day(s) in a row from day 4" in found
    assert "D: only 1 day(s) in a row from day 6" in found
    assert "D: only 1 day(s) off from day 5" in found
    assert len(found) == 4 + 8  # and all eight below MinTotalMinutes


def test_instances_spec():
    assert parse_instances("1-3,7") == [1, 2, 3, 7]
    with pytest.raises(OohError):
        parse_instances("0-30")
    with pytest.raises(OohError):
        parse_instances("a")


def test_reader_names_file_and_line(tmp_path):
    bad = tmp_path / "Instance99.txt"
    bad.write_text("SECTION_HORIZON\n14\n\nSECTION_SHIFTS\nD,eight,\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_instance(bad)
    assert f"{bad}:5" in str(err.value)


@needs_files
def test_cli_runs_instance1_legal_and_agreeing():
    from ooh.cli import cli

    result = CliRunner().invoke(
        cli,
        [
            "bench",
            "nrp",
            str(CURTOIS),
            "--instances",
            "1",
            "--time-limit",
            "3",
            "--workers",
            "1",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    start = result.output.index("[")
    (row,) = json.loads(result.output[start:])
    assert row["instance"] == 1
    assert row["hard_violations"] == 0 and row["checker_breaches"] == 0
    assert row["objective"] == row["evaluated"]
    assert row["evaluated"] >= 607  # the proven optimum
    assert row["stolen_pct"] is None or 0 <= row["stolen_pct"] <= 100
    # the solver's own account of its phases, for telling why a row came out as it did
    assert row["phases"]["phase0_first_rota"] in ("built", "none")


def test_csv_has_one_column_per_figure_and_no_phases(tmp_path: Path) -> None:
    import csv

    from ooh.bench.nrp.run import write_csv

    row = Row(
        1, 607.0, 607, 607, 0.0, 607.0, 1.5, 3.0, 0, 0, "optimal", 1.0, 0.5,
        phases={"phase2_schedules": "3 rounds, converged"},
    )  # fmt: skip
    out = tmp_path / "rows.csv"
    write_csv([row], out)
    (written,) = list(csv.DictReader(out.open(encoding="utf-8")))
    assert "phases" not in written
    assert (written["instance"], written["evaluated"], written["status"]) == ("1", "607", "optimal")


def test_table_shows_large_objectives_in_full() -> None:
    # the ours and evaluator columns must be comparable digit for digit (Instance 24 scores
    # in the millions, which plain "g" formatting rounds to six digits)
    row = Row(
        24, 1660589.0, 1660589, 42463, 3810.67, 42463.0, 258.4, 450.0, 0, 0, "feasible", 1.0, 0.5
    )
    cells = row_cells(row)
    assert cells[1] == cells[2] == "1660589"
    assert cells[5] == "42463"


def _row(instance: int, evaluated: int, seed: int, **kw: object) -> Row:
    from ooh.bench.nrp.run import BEST_KNOWN

    best = BEST_KNOWN[instance]
    fields: dict = dict(
        instance=instance, objective=float(evaluated), evaluated=evaluated, best_known=best,
        gap_pct=round(100 * (evaluated - best) / best, 2), bound=None, time_to_best=1.0,
        runtime=60.0, hard_violations=0, checker_breaches=0, status="feasible",
        load_average=2.0, stolen_pct=0.0, seed=seed,
    )  # fmt: skip
    fields.update(kw)
    return Row(**fields)


def _two_runs(**kw: object) -> list[Row]:
    from ooh.bench.nrp.run import BEST_KNOWN

    # seed 0: every instance at its best known but 8 at 1,398 (7.54%); seed 1: 8 at 1,304
    first = [_row(n, 1398 if n == 8 else BEST_KNOWN[n], 0, **kw) for n in range(1, 13)]
    second = [_row(n, 1304 if n == 8 else BEST_KNOWN[n], 1, **kw) for n in range(1, 13)]
    return first + second


def test_several_runs_show_each_instances_spread_and_judge_targets_run_by_run() -> None:
    from ooh.bench.nrp.run import table_markdown, targets_met

    rows = _two_runs()
    assert targets_met(rows) == (1, 2)  # the second run has nothing above 5%
    text = table_markdown(rows)
    assert "seed 0: mean gap 0.63%, worst 7.54% (Instance8)" in text
    assert "seed 1: mean gap 0.03%, worst 0.31% (Instance8)" in text
    # instance 8 over its two runs: least, median, most, worst gap, runs within 5%
    assert "| 8 | 1300 | 2 | 1304 | 1351 | 1398 | 7.54 | 1 of 2 |" in text
    assert "| 1 | 607 | 2 | 607 | 607 | 607 | 0.00 | 2 of 2 |" in text
    assert "none above 5%): met in 1 of 2 runs" in text


def test_several_runs_are_also_judged_on_each_instances_mean_gap() -> None:
    from ooh.bench.nrp.run import BEST_KNOWN, table_markdown, targets_over_runs

    # instance 8: 7.54% and 0.31%, a mean of 3.92%; the other instances at their best known
    mean, worst, worst_mean, met = targets_over_runs(_two_runs())
    assert (worst, round(worst_mean, 2), round(mean, 2), met) == (8, 3.92, 0.33, True)
    text = table_markdown(_two_runs())
    assert (
        "Over the 2 runs (each instance's mean gap): mean 0.33%, worst 3.92% (Instance8): met"
        in text
    )
    # 8 above 5% in both runs: above 5% on the mean too
    both = [
        _row(n, 1398 if n == 8 else BEST_KNOWN[n], seed) for seed in (0, 1) for n in range(1, 13)
    ]
    assert targets_over_runs(both)[1:] == (8, 7.54, False)
    # a hard violation in any run misses the targets whatever the mean
    rows = _two_runs()
    rows[2].hard_violations = 1  # the first run's instance 3
    assert targets_over_runs(rows)[3] is False
    assert "Over the" not in table_markdown([r for r in _two_runs() if r.seed == 0])


def test_targets_are_not_judged_on_more_time_or_on_part_of_instances_1_to_12() -> None:
    from ooh.bench.nrp.run import table_markdown, targets_met, targets_over_runs

    assert targets_met(_two_runs(time_limit=300.0)) is None
    assert targets_over_runs(_two_runs(time_limit=300.0)) is None
    assert targets_met([r for r in _two_runs() if r.instance != 5]) is None
    assert "Targets" not in table_markdown(_two_runs(time_limit=300.0))
    # less time than the targets' still judges them: a stricter test
    assert targets_met(_two_runs(time_limit=30.0)) == (1, 2)


def test_a_run_with_a_hard_violation_misses_the_targets() -> None:
    from ooh.bench.nrp.run import targets_met

    rows = _two_runs()
    rows[12 + 2].hard_violations = 1  # the second run's instance 3
    assert targets_met(rows) == (0, 2)


def test_one_run_keeps_the_single_table_and_its_mean() -> None:
    from ooh.bench.nrp.run import table_markdown

    text = table_markdown([r for r in _two_runs() if r.seed == 0])
    assert "mean gap 0.63%, worst 7.54% (Instance8)" in text
    assert "| inst | best | runs |" not in text
    assert "met in 0 of 1 run" in text


@needs_files
def test_cli_runs_each_instance_once_per_seed():
    from ooh.cli import cli

    result = CliRunner().invoke(
        cli,
        ["bench", "nrp", str(CURTOIS), "--instances", "1", "--time-limit", "2",
         "--workers", "1", "--seed", "3", "--runs", "2", "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output[result.output.index("[") :])
    assert [(r["instance"], r["seed"]) for r in rows] == [(1, 3), (1, 4)]
    assert all(r["objective"] == r["evaluated"] for r in rows)


def test_time_to_best_is_when_the_last_new_rota_was_reported(monkeypatch) -> None:
    """A phase's last progress line repeats the rota it ends with: that is no new rota, so
    the time to best stays at the line that first reported it."""
    clock = iter([11.0, 40.0])  # read once for each new rota, never more
    monkeypatch.setattr(run_module, "perf_counter", lambda: next(clock))
    last = LastRota(started=1.0)
    for line in (
        "   10.0s  phase 2 schedules: objective 1,399.0  bound 1,297.0  gap 7.3%  "
        "unfilled required places 0",
        "   39.0s  phase 2 schedules: objective 1,304.0  bound 1,297.0  gap 0.5%  "
        "unfilled required places 0",
        "   57.0s  phase 2 soft goals: objective 1,304.0  bound 1,297.0  gap 0.5%  "
        "unfilled required places 0",
        "   58.0s  phase 2 schedules: 31 rounds, converged",  # no rota: not a progress line
    ):
        last(line)
    assert last.objective == 1304.0
    assert last.at == 39.0
