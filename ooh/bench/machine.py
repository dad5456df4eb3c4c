"""How much of the machine a benchmark got, so that tables measured at a wall-clock limit
on different machines, or on one virtual machine at different times, can be compared.

The rota benchmarks stop at a wall-clock limit, so a slower machine searches less in the
same 60 s. On a virtual machine the host may also take CPU time from it ("steal", the
eighth column of Linux's /proc/stat): on the 2-vCPU Intel Xeon machine of December 2026 a
one-worker CP-SAT search got 1.8-2.2 s of CPU in 2.7-3.9 s of wall clock. Each benchmark
row therefore reports the share of CPU time stolen while it ran, and ``ooh bench machine``
measures the machine's speed:

- **CP-SAT work per second**: CP-SAT counts its work in deterministic time units that do
  not depend on the machine; one search (one worker) of a fixed model, with a fixed amount
  of that work, gives units per wall-clock second.
- **Python loop seconds**: a fixed pure-Python loop (model building, pricing set-up and the
  neighbourhood loop are Python).

The model and the loop are built here, from fixed numbers, not from the engine, so the
figures do not change when the engine does (they do with the OR-Tools and Python versions,
which are reported beside them).
"""

from __future__ import annotations

import os
import platform
import sys
from time import perf_counter, process_time
from typing import Any

REFERENCE_WORK = 0.25  # CP-SAT deterministic units: 2-4 s on the Intel Xeon of Dec 2026
LOOP_STEPS = 5_000_000
STEAL_LIMIT_PCT = 5.0  # more stolen than this and a row measures a slower machine


def cpu_ticks() -> tuple[int, int] | None:
    """All CPU time and the stolen part since boot, in clock ticks (Linux: the first line of
    /proc/stat); None where there is no such file."""
    try:
        with open("/proc/stat", encoding="utf-8") as fh:
            fields = fh.readline().split()
    except OSError:
        return None
    if not fields or fields[0] != "cpu" or len(fields) < 9:
        return None
    # user nice system idle iowait irq softirq steal (guest time is already in user)
    ticks = [int(v) for v in fields[1:9]]
    return sum(ticks), ticks[7]


def stolen_pct(before: tuple[int, int] | None, after: tuple[int, int] | None) -> float | None:
    """The share of all CPU time between two ``cpu_ticks`` readings that the host took, %."""
    if before is None or after is None or after[0] <= before[0]:
        return None
    return round(100 * (after[1] - before[1]) / (after[0] - before[0]), 1)


def steal_warning(stolen: list[float | None]) -> str | None:
    """A line for a table whose rows the host took more than STEAL_LIMIT_PCT of CPU from."""
    known = [v for v in stolen if v is not None]
    if not known or max(known) <= STEAL_LIMIT_PCT:
        return None
    return (
        f"The host took up to {max(known):.1f}% of the CPU time while these ran (more than "
        f"{STEAL_LIMIT_PCT:g}% in {sum(v > STEAL_LIMIT_PCT for v in known)} of {len(known)} "
        "rows): those rows had less CPU than the cores they were given, so their times and "
        "results are not the protocol's; rerun when `ooh bench machine` reports little steal."
    )


def cpu_name() -> str:
    """The processor's model name (Linux: /proc/cpuinfo), else what ``platform`` says."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def reference_model() -> Any:
    """A small rostering model that CP-SAT does not prove optimal within REFERENCE_WORK:
    30 people over 28 days, 3 shifts a day, at most one a day, at most 5 days in a row, no
    early shift after a late one, no single days off, 14-16 days each, cover with a price
    per person short, and fixed pseudo-random preferences."""
    from ortools.sat.python import cp_model

    people, days, shifts = 30, 28, 3
    model = cp_model.CpModel()
    x = {
        (p, d, s): model.new_bool_var(f"x{p}_{d}_{s}")
        for p in range(people)
        for d in range(days)
        for s in range(shifts)
    }
    works = {}
    for p in range(people):
        for d in range(days):
            works[(p, d)] = model.new_bool_var(f"w{p}_{d}")
            model.add(sum(x[(p, d, s)] for s in range(shifts)) == works[(p, d)])
        for d in range(days - 5):
            model.add(sum(works[(p, d + k)] for k in range(6)) <= 5)
        for d in range(days - 1):  # no early shift the day after a late one
            model.add_bool_or([x[(p, d, 2)].Not(), x[(p, d + 1, 0)].Not()])
        for d in range(1, days - 1):  # no single day off between working days
            model.add_bool_or([works[(p, d - 1)].Not(), works[(p, d)], works[(p, d + 1)].Not()])
        model.add_linear_constraint(sum(works[(p, d)] for d in range(days)), 14, 16)
    terms = []
    for d in range(days):
        for s in range(shifts):
            short = model.new_int_var(0, people, f"short{d}_{s}")
            model.add(sum(x[(p, d, s)] for p in range(people)) + short >= 6 + (d + s) % 3)
            terms.append(100 * short)
    # a linear congruential sequence: the same preferences on every platform and version
    value = 12345
    for key in sorted(x):
        value = (value * 1103515245 + 12345) % 2**31
        terms.append((value % 21 - 10) * x[key])
    model.minimize(sum(terms))
    return model


def machine_speed(work: float = REFERENCE_WORK, loop_steps: int = LOOP_STEPS) -> dict[str, Any]:
    """The machine's name and cores, CP-SAT work units per second (one worker), the
    seconds of a ``loop_steps`` pure-Python loop, and the CPU time stolen meanwhile."""
    from importlib.metadata import version

    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = 1
    p.random_seed = 0
    p.max_deterministic_time = work
    model = reference_model()
    ticks = cpu_ticks()
    started, cpu_started = perf_counter(), process_time()
    solver.solve(model)
    cpsat_seconds, cpsat_cpu = perf_counter() - started, process_time() - cpu_started
    units = solver.response_proto.deterministic_time

    started = perf_counter()
    total = 0
    for i in range(loop_steps):
        total += i
    loop_seconds = perf_counter() - started
    stolen = stolen_pct(ticks, cpu_ticks())
    return {
        "cpu": cpu_name(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "ortools": version("ortools"),
        "cpsat_units": round(units, 3),
        "cpsat_seconds": round(cpsat_seconds, 3),
        "cpsat_cpu_seconds": round(cpsat_cpu, 3),
        "cpsat_units_per_second": round(units / cpsat_seconds, 3),
        "python_loop_steps": loop_steps,
        "python_loop_seconds": round(loop_seconds, 3),
        "stolen_pct": stolen,
        "platform": sys.platform,
    }


def speed_line(speed: dict[str, Any]) -> str:
    """One line for a benchmark's report."""
    stolen = "-" if speed["stolen_pct"] is None else f"{speed['stolen_pct']}%"
    return (
        f"machine: {speed['cpu']}, {speed['cores']} cores; CP-SAT "
        f"{speed['cpsat_units_per_second']:.2f} work units/s (one worker); Python loop of "
        f"{speed['python_loop_steps']:,} steps {speed['python_loop_seconds']:.2f} s; CPU time "
        f"stolen by the host meanwhile {stolen} "
        f"(Python {speed['python']}, OR-Tools {speed['ortools']})"
    )
