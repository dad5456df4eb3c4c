"""Ctrl-C during a solve stops the search and writes the best rota found so far, marked so."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_rota_io import save, template_book

from ooh.rota.data import Status
from ooh.rota.interrupt import STOPPING, SearchInterrupt
from ooh.rota.output import STOPPED_NOTE
from ooh.rota.solve import SolveParams, solve
from ooh.rota.template import template_data

pytestmark = pytest.mark.skipif(os.name != "posix", reason="sends SIGINT to itself")


@pytest.mark.parametrize(
    "when",
    [
        "phase 2",  # the soft goals' first report
        "phase 0",  # the first rota's report, between searches (before any of the model)
    ],
)
def test_ctrl_c_keeps_the_best_rota_so_far(when: str) -> None:
    """Ctrl-C sent to this process as the first progress line of a phase is written stops
    the solve, which returns the best rota so far, marked stopped early; the Ctrl-C is
    acknowledged at once, before the solve returns."""
    sent: list[float] = []
    lines: list[str] = []

    def progress(line: str) -> None:
        lines.append(line)
        if when in line and not sent:
            sent.append(time.perf_counter())
            os.kill(os.getpid(), signal.SIGINT)

    started = time.perf_counter()
    result = solve(template_data(), SolveParams(time_limit=120, workers=1), progress=progress)
    assert sent, f"no {when} line was written"
    assert lines.count(STOPPING) == 1
    # (after the line that sent it: a search's lines come from its own thread, and the
    # main thread acts on the signal within POLL_SECONDS)
    assert lines.index(STOPPING) > next(i for i, s in enumerate(lines) if when in s)
    assert result.stopped_early
    assert result.status is Status.FEASIBLE
    assert result.assignments and result.breaches == []  # a whole, legal rota
    assert time.perf_counter() - started < 60  # stopped, not run to its 120 s limit


def test_a_lost_acknowledgement_does_not_stop_the_stop() -> None:
    """Writing the acknowledgement from the signal handler fails with RuntimeError when the
    main thread was writing to the same stream (a reentrant write): the first Ctrl-C still
    counts, and the second still abandons the solve."""

    def busy_stream(line: str) -> None:
        raise RuntimeError("reentrant call inside <_io.BufferedWriter name='<stderr>'>")

    stop = SearchInterrupt(busy_stream)
    stop._handle(signal.SIGINT, None)
    assert stop.hit
    with pytest.raises(KeyboardInterrupt):
        stop._handle(signal.SIGINT, None)


def test_without_ctrl_c_nothing_is_marked() -> None:
    result = solve(template_data(), SolveParams(time_limit=2, workers=1, deterministic=True))
    assert not result.stopped_early


def test_ctrl_c_during_ooh_rota_solve_writes_the_rota_marked_stopped(tmp_path: Path) -> None:
    inputs = save(template_book(), tmp_path)
    out = tmp_path / "rota.xlsx"
    proc = subprocess.Popen(
        [sys.executable, "-m", "ooh", "rota", "solve", str(inputs), "-o", str(out)]
        + ["--time-limit", "300", "--workers", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    started = time.perf_counter()
    for line in proc.stderr:  # progress lines; interrupt once the soft goals are searched
        if "phase 2" in line:
            proc.send_signal(signal.SIGINT)
            break
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    assert time.perf_counter() - started < 120
    assert "stopped_early: True" in stdout
    assert STOPPING in stderr
    info = {r[0]: r[1] for r in load_workbook(out)["Run info"].iter_rows(values_only=True)}
    assert info["Stopped early"] == f"yes: {STOPPED_NOTE}"
    assert info["Status"] == "feasible"


def test_ctrl_c_as_the_greedy_rota_ends_keeps_that_rota(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C just after the first search (the greedy rota): later searches are skipped and
    the greedy rota comes back, even with required places it could not fill."""
    from dataclasses import replace

    from ooh.rota import interrupt

    real = interrupt.SearchInterrupt.solve

    def first_search_then_ctrl_c(
        self: interrupt.SearchInterrupt, solver: object, model: object, callback: object = None
    ) -> object:
        status = real(self, solver, model, callback)
        self.hit = True
        return status

    monkeypatch.setattr(interrupt.SearchInterrupt, "solve", first_search_then_ctrl_c)
    data = template_data()
    first = replace(data.shift_types[0], needed=6, wanted=6)  # more than can ever be filled
    data = replace(data, shift_types=(first, *data.shift_types[1:]))
    result = solve(data, SolveParams(time_limit=20, workers=1))
    assert result.stopped_early and result.status is Status.FEASIBLE
    assert result.params["phase1_status"] == "SKIPPED (interrupted)"
    assert result.assignments and result.unfilled_required > 0 and result.breaches == []
