"""Rota scaling benchmark: OOH-shaped instances of growing size through the users' solver.

Each size runs in its own process (``ooh.bench.measure``) so its peak memory is its own. One
solve per size and run, through ``ooh.rota.solve.solve`` exactly as ``ooh rota solve`` runs
it; the solver's progress lines (one per improving rota: time, phase, objective, bound,
unfilled required places) are the timeline from which the state at each checkpoint is read.
The bound is the one reported with the latest rota (for a neighbourhood's rota, which reports
none, phase 2's best so far), so a checkpoint's gap can be a little pessimistic when the
bound rose between rotas; the final bound is the solver's own, and a checkpoint at the
solve's own time limit is its end.

Every required place left unfilled is re-examined with the independent checker: could some
clinician who offered the date take it without breaking a hard rule? A *complete* rota leaves
no such place.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from time import perf_counter
from typing import Any

from ooh.bench.machine import cpu_ticks, steal_warning, stolen_pct
from ooh.bench.measure import phases_of, run_in_subprocess
from ooh.rota.data import Assignment, Gap, RotaData, Shift
from ooh.rota.generate import parse_size

DEFAULT_SIZES = ("S", "M", "L", "XL")
DEFAULT_CHECKPOINTS = (10.0, 30.0, 60.0, 300.0)
TARGET_GAP_M = 0.01  # M within 1% of its proven bound ...
TARGET_GAP_M_SECONDS = 60.0  # ... in 60 s
TARGET_XL_SECONDS = 300.0  # XL: a complete rota within 5 minutes ...
TARGET_XL_MB = 4096.0  # ... and 4 GB
# builds per size in --build-only; the fastest counts: a moment when the host is slow (on 3 Dec
# one such moment made XL's build 23 s, not 16 s, and the curve's slope 1.17, not 0.97) should
# not decide whether the build is linear
BUILD_REPEATS = 3

_NUMBER = r"(-?[\d,]+(?:\.\d+)?)"
_GREEDY = re.compile(r"^\s*([\d.]+)s\s+phase 0 .*?weighted unfilled required places (\d+)")
# (a bound of "-": none proven yet)
_IMPROVED = re.compile(
    rf"^\s*([\d.]+)s\s+phase (\d) [^:]*: objective {_NUMBER}\s+bound (-|{_NUMBER})\s+"
    r"gap ([\d.]+)%\s+unfilled required places (\d+)"
)
# neighbourhood improvements: no bound of their own
_NEIGHBOURHOOD = re.compile(
    rf"^\s*([\d.]+)s\s+phase (\d)[ab] neighbourhoods: objective {_NUMBER}\s+"
    r"unfilled required places (\d+)"
)


def _num(text: str) -> float:
    return float(text.replace(",", ""))


def parse_progress(line: str) -> dict[str, Any] | None:
    """A solver progress line as an event (None if the line is not one).

    Phase 0 (first rota) and 1 objectives are weighted unfilled required places; phase 2's
    are soft-goal points. Neighbourhood improvements (phases 1a, 2a) have no bound.
    """
    m = _GREEDY.match(line)
    if m:
        weighted = int(m.group(2))
        return {"t": float(m.group(1)), "phase": "0", "objective": float(weighted), "bound": None, "gap_pct": None, "unfilled_required": None}  # fmt: skip
    m = _IMPROVED.match(line)
    if m:
        bound = None if m.group(4) == "-" else _num(m.group(4))
        return {
            "t": float(m.group(1)),
            "phase": m.group(2),
            "objective": _num(m.group(3)),
            "bound": bound,
            "gap_pct": None if bound is None else float(m.group(6)),
            "unfilled_required": int(m.group(7)),
        }
    m = _NEIGHBOURHOOD.match(line)
    if m:
        return {
            "t": float(m.group(1)),
            "phase": m.group(2),
            "objective": _num(m.group(3)),
            "bound": None,
            "gap_pct": None,
            "unfilled_required": int(m.group(4)),
        }
    return None


def at_checkpoint(
    events: Sequence[dict[str, Any]],
    final: dict[str, Any],
    runtime: float,
    t: float,
    time_limit: float = math.inf,
) -> dict[str, Any]:
    """The state of the search at ``t`` seconds: the solve's end if it had finished or was
    given ``t`` seconds (its answer for that limit, though wrapping up may take it a little
    past; the runtime says by how much), else the latest rota found by then (phase "-" if
    none yet). A phase-2 rota reported without a bound (a neighbourhood's) is judged
    against the best bound phase 2 proved before it: every phase-2 bound bounds the same
    soft goals."""
    if runtime <= t or time_limit <= t:
        return {"t": t, **final, "phase": "done"}
    seen = [e for e in events if e["t"] <= t]
    if not seen:
        return {"t": t, "phase": "-", "objective": None, "bound": None, "gap_pct": None, "unfilled_required": None}  # fmt: skip
    latest = {**seen[-1], "t": t}
    if latest["phase"] == "2" and latest["bound"] is None:
        bounds = [e["bound"] for e in seen if e["phase"] == "2" and e["bound"] is not None]
        if bounds:
            bound = latest["bound"] = max(bounds)
            objective = latest["objective"]
            gap = max(0.0, objective - bound) / abs(objective) if objective else 0.0
            latest["gap_pct"] = round(100 * gap, 1)
    return latest


def fillable_gaps(
    data: RotaData, shifts: Sequence[Shift], assignments: Sequence[Assignment], gaps: Sequence[Gap]
) -> list[Gap]:
    """Required gaps some clinician could fill without breaking a hard rule (independent
    checker): eligible, offered the date, not on the shift, no new breach if added."""
    from ooh.rota.check import eligibility_breaches
    from ooh.rota.explain import BlockCheck

    by_id = {s.id: s for s in shifts}
    theirs: dict[str, list[Shift]] = defaultdict(list)
    on_shift: dict[str, set[str]] = defaultdict(set)
    for a in assignments:
        on_shift[a.shift_id].add(a.clinician)
        theirs[a.clinician].append(by_id[a.shift_id])
    blocks = BlockCheck(data, theirs)
    verdict: dict[str, bool] = {}
    found = []
    for g in gaps:
        if not g.required:
            continue
        if g.shift_id not in verdict:
            s = by_id[g.shift_id]
            verdict[g.shift_id] = False
            for c in data.clinicians:
                if c.id in on_shift[s.id] or eligibility_breaches(c, s):
                    continue
                if not data.availability_of(c.id, s.date).allows(s.type.id):
                    continue
                if not blocks.is_blocked(c, s):
                    verdict[s.id] = True
                    break
        if verdict[g.shift_id]:
            found.append(g)
    return found


def _describe(size: str, seed: int) -> tuple[Any, RotaData, float]:
    spec = parse_size(size)
    from ooh.rota.generate import generate

    started = perf_counter()
    data = generate(spec, seed)
    return spec, data, perf_counter() - started


def run_build(size: str, seed: int = 2026, repeats: int = BUILD_REPEATS) -> dict[str, Any]:
    """Model build only (what ``solve`` times as build: dated shifts, pre-checks, model),
    ``repeats`` times: the fastest build, and every build's seconds."""
    from ooh.rota.calendar import build_shifts
    from ooh.rota.model.build import build_model
    from ooh.rota.model.conflicts import precheck

    spec, data, generated = _describe(size, seed)

    def build() -> tuple[float, Any]:
        started = perf_counter()
        shifts = build_shifts(data)
        precheck(data, shifts)
        built = build_model(data, shifts)
        return perf_counter() - started, built

    # each earlier model is freed as soon as it is timed; the last is kept for its counts
    times = [build()[0] for _ in range(max(1, repeats) - 1)]
    last, built = build()
    times.append(last)
    shifts = built.rota.shifts
    proto = built.rota.model.Proto()
    return {
        "size": spec.name,
        "practices": spec.practices,
        "weeks": spec.weeks,
        "clinicians": len(data.clinicians),
        "shift_lines": len(data.shift_types),
        "shifts": len(shifts),
        "candidate_assignments": len(built.rota.x),
        "variables": len(proto.variables),
        "constraints": len(proto.constraints),
        "generate_seconds": round(generated, 3),
        "build_seconds": round(min(times), 3),
        "build_seconds_each": [round(t, 3) for t in times],
    }


def run_solve(
    size: str,
    seed: int = 2026,
    time_limit: float = 300.0,
    checkpoints: Sequence[float] = DEFAULT_CHECKPOINTS,
    workers: int = 2,
    search_seed: int = 0,
) -> dict[str, Any]:
    """Generate, build and solve one size (``seed``: the generator's; ``search_seed``: the
    solver's); the search state at each checkpoint and the final rota's gaps re-examined by
    the checker."""
    from ooh.rota.calendar import build_shifts
    from ooh.rota.solve import SolveParams, solve

    spec, data, generated = _describe(size, seed)
    shifts = build_shifts(data)
    events: list[dict[str, Any]] = []

    def record(line: str) -> None:
        event = parse_progress(line)
        if event is not None:
            events.append(event)

    ticks = cpu_ticks()
    started = perf_counter()
    result = solve(
        data,
        SolveParams(time_limit=time_limit, seed=search_seed, workers=workers),
        record,
        shifts,
    )
    runtime = perf_counter() - started
    stolen = stolen_pct(ticks, cpu_ticks())
    info = result.params
    gap = result.gap_ratio
    rota = result.status.value in ("optimal", "feasible")  # else no rota to examine
    final = {
        "objective": result.objective,
        "bound": result.bound,
        "gap_pct": None if gap is None else round(100 * gap, 3),
        "unfilled_required": result.unfilled_required if rota else None,
    }
    fill_level = info.get("phase1_weighted_unfilled")
    fill_at = next(
        (
            e["t"]
            for e in events
            if e["phase"] == "2" or (e["phase"] in "01" and e["objective"] == fill_level)
        ),
        None,
    )
    required = [g for g in result.gaps if g.required]
    fillable = fillable_gaps(data, shifts, result.assignments, result.gaps)
    wanted_points = set(checkpoints)
    if spec.name == "M" and time_limit >= TARGET_GAP_M_SECONDS:
        wanted_points.add(TARGET_GAP_M_SECONDS)  # the target's own checkpoint
    return {
        "size": spec.name,
        "practices": spec.practices,
        "weeks": spec.weeks,
        "seed": seed,
        "search_seed": search_seed,
        "time_limit": time_limit,
        "workers": workers,
        "clinicians": len(data.clinicians),
        "shift_lines": len(data.shift_types),
        "shifts": len(shifts),
        "candidate_assignments": info.get("candidate_assignments"),
        "variables": info.get("variables"),
        "constraints": info.get("constraints"),
        "generate_seconds": round(generated, 3),
        "build_seconds": info.get("build_seconds"),
        "first_rota_seconds": events[0]["t"] if events else None,
        "fill_level_seconds": fill_at,
        "status": result.status.value,
        **final,
        "runtime_seconds": round(runtime, 2),
        "stolen_pct": stolen,
        "required_places": sum(s.type.needed for s in shifts),
        "required_gaps": len(required) if rota else None,
        "fillable_required_gaps": len(fillable) if rota else None,
        "fillable_examples": [g.shift_id for g in fillable[:5]],
        "breaches": len(result.breaches) if rota else None,
        "phases": phases_of(info),
        "checkpoints": [
            at_checkpoint(events, final, runtime, t, time_limit) for t in sorted(wanted_points)
        ],
        "events": len(events),
    }


def targets(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The issue's targets, judged from the rows measured (only for the sizes run); a size
    solved more than once is judged run by run."""
    found = []
    solves: dict[str, int] = defaultdict(int)
    for row in rows:
        if "checkpoints" in row:
            solves[row["size"]] += 1

    def run_of(row: dict[str, Any]) -> str:
        return f", search seed {row.get('search_seed', 0)}" if solves[row["size"]] > 1 else ""

    m_gaps: list[float | None] = []  # M's gap at 60 s, run by run (None: no bound yet)
    for row in rows:
        if (
            row.get("size") == "M"
            and "checkpoints" in row
            and row["time_limit"] >= TARGET_GAP_M_SECONDS
        ):
            cp = next(c for c in row["checkpoints"] if c["t"] == TARGET_GAP_M_SECONDS)
            gap = cp["gap_pct"]
            # (a gap in phase 1 is of another objective)
            judged = gap if cp["phase"] in ("2", "done") else None
            ok = judged is not None and judged <= 100 * TARGET_GAP_M
            m_gaps.append(judged)
            found.append(
                {
                    "target": "M within 1% of its proven bound at 60 s",
                    "measured": (
                        f"gap {gap}% at 60 s (phase {cp['phase']}{run_of(row)})"
                        if gap is not None
                        else f"no proven bound by 60 s (phase {cp['phase']}{run_of(row)})"
                    ),
                    "met": ok,
                }
            )
        if row.get("size") == "XL" and "checkpoints" in row:
            ok = (
                row["status"] in ("optimal", "feasible")
                and row["fillable_required_gaps"] == 0
                and row["breaches"] == 0
                and row["time_limit"] <= TARGET_XL_SECONDS
                and row["peak_rss_mb"] <= TARGET_XL_MB
            )
            found.append(
                {
                    "target": "XL complete rota (no fillable required gap) within 300 s and 4 GB",
                    "measured": (
                        f"{row['fillable_required_gaps']} fillable of {row['required_gaps']} "
                        f"required gaps, final fill level at {row['fill_level_seconds']} s"
                        if row["status"] in ("optimal", "feasible")
                        else "no rota"
                    )
                    + f", time limit {row['time_limit']:g} s, peak {row['peak_rss_mb']:,.0f} MB"
                    + run_of(row),
                    "met": ok,
                }
            )
    if len(m_gaps) > 1:
        found.append(m_over_runs(m_gaps))
    curve = build_curve(rows)
    if curve["slope"] is not None and curve["points"] >= 3:  # two points say little
        found.append(
            {
                "target": "model build time grows no worse than linearly in candidate assignments",
                "measured": f"log-log slope {curve['slope']:.2f} over {curve['points']} sizes",
                "met": curve["slope"] <= 1.1,
            }
        )
    return found


def m_over_runs(gaps: Sequence[float | None]) -> dict[str, Any]:
    """M's target judged on its mean gap at 60 s over several runs, as results of a search
    that differs from run to run are judged (docs/benchmarks.md, "Protocol"); a run with no
    proven bound by 60 s misses it."""
    limit = 100 * TARGET_GAP_M
    within = sum(g is not None and g <= limit for g in gaps)
    counted = f"{within} of {len(gaps)} runs within {limit:g}% alone"
    known = [g for g in gaps if g is not None]
    if len(known) < len(gaps):
        measured, met = f"a run with no proven bound by 60 s; {counted}", False
    else:
        mean = sum(known) / len(known)
        measured = f"mean gap {mean:.2f}% at 60 s over {len(gaps)} runs; {counted}"
        met = mean <= limit
    return {
        "target": "M within 1% of its proven bound at 60 s, over the runs",
        "measured": measured,
        "met": met,
    }


def build_curve(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Least-squares slope of log(build seconds) on log(candidate assignments): 1 is linear.

    Only sizes with at least 10,000 candidates count: below that, fixed costs dominate."""
    pts = [
        (math.log(r["candidate_assignments"]), math.log(r["build_seconds"]))
        for r in rows
        if (r.get("candidate_assignments") or 0) >= 10_000 and (r.get("build_seconds") or 0) > 0
    ]
    if len(pts) < 2:
        return {"slope": None, "points": len(pts)}
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    slope = sum((x - mx) * (y - my) for x, y in pts) / sxx if sxx else None
    return {"slope": slope, "points": len(pts)}


def bench_rota(
    sizes: Sequence[str],
    seed: int = 2026,
    time_limit: float = 300.0,
    checkpoints: Sequence[float] = DEFAULT_CHECKPOINTS,
    workers: int = 2,
    build_only: bool = False,
    progress: Callable[[str], None] | None = None,
    runs: int = 1,
) -> dict[str, Any]:
    """Run every size (each in its own process) and judge the targets. ``runs``: solves per
    size, with search seeds 0, 1, ... (a solve with two workers and a clock limit is not
    reproducible, so one run shows one draw of its result); run after run, so that a change
    in the machine's speed falls on every size alike."""
    for size in sizes:
        parse_size(size)  # fail early on a bad size name
    rows = []
    for search_seed in range(1 if build_only else runs):
        for size in sizes:
            if progress:
                run = f", search seed {search_seed}" if runs > 1 else ""
                doing = "building" if build_only else f"solving ({time_limit:g} s limit{run})"
                progress(f"{size}: {doing} ...")
            if build_only:
                row = run_in_subprocess("ooh.bench.rota:run_build", {"size": size, "seed": seed})
            else:
                kwargs = {
                    "size": size,
                    "seed": seed,
                    "time_limit": time_limit,
                    "checkpoints": list(checkpoints),
                    "workers": workers,
                    "search_seed": search_seed,
                }
                row = run_in_subprocess("ooh.bench.rota:run_solve", kwargs)
            rows.append(row)
            if progress:
                progress(
                    f"{size}: {row['candidate_assignments']:,} candidate assignments, build "
                    f"{row['build_seconds']:.2f} s, peak {row['peak_rss_mb']:,.0f} MB"
                )
    return {
        "seed": seed,
        "runs": 1 if build_only else runs,
        "time_limit": None if build_only else time_limit,
        "workers": workers,
        "checkpoints": list(checkpoints),
        "rows": rows,
        "curve": build_curve(rows),
        "targets": targets(rows),
    }


# ---- presentation -------------------------------------------------------------------------------


def _fmt(value: Any, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def markdown_tables(report: dict[str, Any]) -> str:
    """The report as Markdown tables (sizes; checkpoints; targets), as in docs/benchmarks.md."""
    rows = report["rows"]
    out = [
        "| size | practices | weeks | clinicians | shifts | candidate assignments | variables "
        "| build s | peak MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        out.append(
            f"| {r['size']} | {r['practices']} | {r['weeks']} | {_fmt(r['clinicians'])} "
            f"| {_fmt(r['shifts'])} | {_fmt(r['candidate_assignments'])} | {_fmt(r['variables'])} "
            f"| {_fmt(r['build_seconds'], 2)} | {_fmt(r['peak_rss_mb'], 0)} |"
        )
    solved = [r for r in rows if "checkpoints" in r]
    if solved:
        out += [
            "",
            "| size | first rota s | final fill level s | status | objective | bound | gap % "
            "| required gaps | fillable | breaches | runtime s | stolen % | search seed |",
            "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in solved:
            out.append(
                f"| {r['size']} | {_fmt(r['first_rota_seconds'])} | {_fmt(r['fill_level_seconds'])} "
                f"| {r['status']} | {_fmt(r['objective'])} | {_fmt(r['bound'])} "
                f"| {_fmt(r['gap_pct'], 2)} | {_fmt(r['required_gaps'])} "
                f"| {_fmt(r['fillable_required_gaps'])} | {_fmt(r['breaches'])} "
                f"| {_fmt(r['runtime_seconds'])} | {_fmt(r.get('stolen_pct'))} "
                f"| {r.get('search_seed', 0)} |"
            )
        out += [
            "",
            "| size | checkpoint s | phase | objective | bound | gap % | unfilled required "
            "| search seed |",
            "|---|---:|---|---:|---:|---:|---:|---:|",
        ]
        for r in solved:
            for c in r["checkpoints"]:
                out.append(
                    f"| {r['size']} | {c['t']:g} | {c['phase']} | {_fmt(c['objective'])} "
                    f"| {_fmt(c['bound'])} | {_fmt(c['gap_pct'], 2)} "
                    f"| {_fmt(c['unfilled_required'])} | {r.get('search_seed', 0)} |"
                )
        warning = steal_warning([r.get("stolen_pct") for r in solved])
        if warning:
            out += ["", warning]
    codes = sorted({str(r.get("code")) for r in rows})
    out += ["", f"Code measured: {', '.join(codes)}."]
    if report["targets"]:
        out += ["", "| target | measured | met |", "|---|---|---|"]
        for t in report["targets"]:
            out.append(f"| {t['target']} | {t['measured']} | {'yes' if t['met'] else 'no'} |")
    return "\n".join(out)


CSV_FIELDS = (
    "size", "search_seed", "practices", "weeks", "clinicians", "shift_lines", "shifts",
    "candidate_assignments", "variables", "constraints", "generate_seconds", "build_seconds",
    "first_rota_seconds", "fill_level_seconds", "status", "objective", "bound", "gap_pct",
    "unfilled_required", "required_gaps", "fillable_required_gaps", "breaches",
    "runtime_seconds", "stolen_pct", "peak_rss_mb",
)  # fmt: skip


def csv_rows(report: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """One row per size; each checkpoint adds phase, objective, bound, gap and unfilled."""
    points = sorted({c["t"] for r in report["rows"] for c in r.get("checkpoints", [])})
    headers = list(CSV_FIELDS)
    for t in points:
        headers += [f"at_{t:g}s_{k}" for k in ("phase", "objective", "bound", "gap_pct", "unfilled_required")]  # fmt: skip
    body = []
    for r in report["rows"]:
        row = [r.get(k) for k in CSV_FIELDS]
        by_t = {c["t"]: c for c in r.get("checkpoints", [])}
        for t in points:
            c = by_t.get(t, {})
            row += [
                c.get(k) for k in ("phase", "objective", "bound", "gap_pct", "unfilled_required")
            ]
        body.append(row)
    return headers, body


def plot_curve(report: dict[str, Any], path: str) -> None:
    """Build time against candidate assignments, with the straight line through the origin
    fitted to the sizes measured (the linear-growth reference)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = sorted(report["rows"], key=lambda r: r["candidate_assignments"])
    xs = [r["candidate_assignments"] for r in rows]
    ys = [r["build_seconds"] for r in rows]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.plot(xs, ys, "o-", label="model build time (measured)")
    for r in rows:
        ax.annotate(r["size"], (r["candidate_assignments"], r["build_seconds"]),
                    textcoords="offset points", xytext=(4, 4), fontsize=8)  # fmt: skip
    if xs and max(xs) > 0:
        per = sum(x * y for x, y in zip(xs, ys, strict=True)) / sum(x * x for x in xs)
        ax.plot([0, max(xs)], [0, per * max(xs)], "--", color="grey",
                label=f"linear reference ({per * 1e6:.0f} µs per candidate)")  # fmt: skip
    slope = report["curve"]["slope"]
    title = "Rota model build time vs candidate assignments"
    if slope is not None:
        title += f" (log-log slope {slope:.2f})"
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("candidate assignments (eligible clinician x dated shift)")
    ax.set_ylabel("build time (s)")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
