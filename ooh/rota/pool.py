"""Pool sizing: how many member practices it takes to fill the rota.

Solves the same rota for growing pools of member practices (the first 1, 2, 3, ... practices
in a chosen order) or for candidate coalitions read from a file. Each pool keeps only its own
practices and the clinicians they carry (with their availability, requests and fixed
bookings); shift lines, rules and the period stay as in the inputs. Salaried and locum
clinicians (not carried by a member practice) are left out unless ``with_locums`` is set, so
the table shows what the members alone can staff.

Pools are independent solves, run in parallel processes. Each solve uses one CP-SAT worker
and a *deterministic* time limit, so the results for a seed do not depend on the number of
processes or on how busy the machine is. Every pool's rota goes through the independent
checker; a breach is a fault and stops the run (``PoolError``), it is never reported as a
result.
"""

from __future__ import annotations

import csv
import difflib
import os
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ooh.errors import IssueCollector, OohError
from ooh.rota.data import Clinician, RotaData, Status

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

ORDERS = ("list-size", "locality", "given")
ORDER_WORDS = {
    "list-size": "by list size, largest first",
    "locality": "by locality (largest locality first), then list size",
    "given": "in workbook order",
}
NO_LOCALITY = "(no locality)"


class PoolError(OohError):
    """A pool's rota breaks a hard rule: a solver fault, never a result to report."""


@dataclass(frozen=True)
class Coalition:
    """A candidate grouping of member practices, by code."""

    name: str
    practices: tuple[str, ...]


@dataclass(frozen=True)
class PoolResult:
    """One pool's rota in figures (a row of the Pools table)."""

    index: int  # 1-based, in the order the pools were built
    name: str
    practices: tuple[str, ...]  # codes, in pool order
    added: str | None  # the practice this pool adds to the previous one (growing pools)
    registered_patients: int
    clinicians_offered: int
    required_places: int
    unfilled_required: int | None  # None: no rota (conflict, or none found in time)
    unfilled_by_line: dict[str, int]  # shift line id -> unfilled required places
    cost: float | None  # GBP, the pool's rota
    heaviest_clinician: str | None
    heaviest_hours: float | None  # their busiest 7 consecutive days
    heaviest_max_hours: float | None  # their limit for 7 consecutive days
    status: str  # Status.value
    fill_proven: bool  # the fill level is proven best (else: best found in the time limit)
    runtime: float = field(compare=False)  # wall-clock seconds: the one figure that varies
    conflicts: tuple[str, ...] = ()
    breaches: tuple[str, ...] = ()

    @property
    def filled_required(self) -> int | None:
        if self.unfilled_required is None:
            return None
        return self.required_places - self.unfilled_required

    @property
    def fill(self) -> float | None:
        """Share of required places filled (1.0 when nothing is required); None: no rota."""
        if self.unfilled_required is None:
            return None
        if self.required_places == 0:
            return 1.0
        return (self.required_places - self.unfilled_required) / self.required_places

    @property
    def heaviest_percent(self) -> float | None:
        if self.heaviest_hours is None or not self.heaviest_max_hours:
            return None
        return 100 * self.heaviest_hours / self.heaviest_max_hours


# ---- which pools ----------------------------------------------------------------------------


def ordered_practices(data: RotaData, order: str = "list-size") -> list[str]:
    """Practice codes in the order pools grow.

    list-size: largest list first. locality: localities by their total list size, largest
    first (practices without a locality last), each locality's practices largest first.
    given: workbook order. Ties keep workbook order.
    """
    if order not in ORDERS:
        raise OohError(f"--order {order!r}: choose one of {', '.join(ORDERS)}")
    practices = list(data.practices)
    position = {p.code: i for i, p in enumerate(practices)}
    if order == "given":
        return [p.code for p in practices]
    if order == "list-size":
        return [p.code for p in sorted(practices, key=lambda p: (-p.list_size, position[p.code]))]
    totals: dict[str, int] = defaultdict(int)
    first: dict[str, int] = {}
    for p in practices:
        key = p.locality or NO_LOCALITY
        totals[key] += p.list_size
        first.setdefault(key, position[p.code])

    def locality_key(key: str) -> tuple[bool, int, int]:
        return (key == NO_LOCALITY, -totals[key], first[key])

    ranked = sorted(totals, key=locality_key)
    rank = {key: i for i, key in enumerate(ranked)}
    return [
        p.code
        for p in sorted(
            practices,
            key=lambda p: (rank[p.locality or NO_LOCALITY], -p.list_size, position[p.code]),
        )
    ]


def growing_pools(data: RotaData, order: str = "list-size") -> list[Coalition]:
    """The first 1, 2, ..., n practices in the chosen order."""
    codes = ordered_practices(data, order)
    return [
        Coalition(f"first {k} {'practice' if k == 1 else 'practices'}", tuple(codes[:k]))
        for k in range(1, len(codes) + 1)
    ]


def is_pool_member(c: Clinician, codes: set[str]) -> bool:
    """Carried by one of the pool's practices (locums never count as carried)."""
    return not c.is_locum and c.practice in codes


def pool_data(data: RotaData, practices: Sequence[str], with_locums: bool = False) -> RotaData:
    """The inputs as if only these practices were in the federation.

    Keeps the pool's practices and their clinicians (plus every clinician not carried by a
    member practice when ``with_locums``); availability, requests and fixed bookings of the
    others are dropped, so their booked places become open places.
    """
    codes = set(practices)
    federation = {p.code for p in data.practices}
    kept = tuple(
        c
        for c in data.clinicians
        if is_pool_member(c, codes) or (with_locums and not is_pool_member(c, federation))
    )
    ids = {c.id for c in kept}
    return replace(
        data,
        practices=tuple(p for p in data.practices if p.code in codes),
        clinicians=kept,
        availability={k: v for k, v in data.availability.items() if k[0] in ids},
        requests=tuple(r for r in data.requests if r.clinician in ids),
        fixed=tuple(b for b in data.fixed if b.clinician in ids),
    )


# ---- one pool -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Task:
    index: int
    coalition: Coalition
    added: str | None
    data: RotaData
    with_locums: bool
    time_limit: float
    seed: int


def solve_pool(task: _Task) -> PoolResult:
    """Solve one pool's rota and sum it up (runs in a worker process)."""
    from ooh.rota.calendar import build_shifts
    from ooh.rota.check import check_rota
    from ooh.rota.report import clinician_summary, shift_cost
    from ooh.rota.solve import SolveParams, solve

    data = pool_data(task.data, task.coalition.practices, task.with_locums)
    shifts = build_shifts(data)
    params = SolveParams(time_limit=task.time_limit, seed=task.seed, workers=1, deterministic=True)
    started = time.perf_counter()
    result = solve(data, params, shifts=shifts)
    runtime = time.perf_counter() - started
    size = {p.code: p.list_size for p in data.practices}
    base: dict[str, Any] = {
        "index": task.index,
        "name": task.coalition.name,
        "practices": task.coalition.practices,
        "added": task.added,
        "registered_patients": sum(size[c] for c in task.coalition.practices),
        "clinicians_offered": len(data.clinicians),
        "required_places": sum(s.type.needed for s in shifts),
        "status": result.status.value,
        "runtime": round(runtime, 2),
    }
    if result.status in (Status.CONFLICT, Status.NO_SOLUTION):
        return PoolResult(
            **base,
            unfilled_required=None,
            unfilled_by_line={},
            cost=None,
            heaviest_clinician=None,
            heaviest_hours=None,
            heaviest_max_hours=None,
            fill_proven=False,
            conflicts=tuple(result.conflicts),
        )
    # The independent checker has the last word on every pool's rota.
    breaches = check_rota(data, result.assignments, shifts)
    by_shift = {s.id: s for s in shifts}
    on_shift = Counter(a.shift_id for a in result.assignments)
    unfilled: dict[str, int] = dict.fromkeys((st.id for st in data.shift_types), 0)
    for s in shifts:
        unfilled[s.type.id] += max(0, s.type.needed - on_shift[s.id])
    people = {c.id: c for c in data.clinicians}
    cost = sum(shift_cost(people[a.clinician], by_shift[a.shift_id]) for a in result.assignments)
    heaviest: tuple[str, float, float] | None = None
    if result.assignments:
        table = clinician_summary(data, shifts, result.assignments)
        best = -1.0
        for cid, hours, limit in zip(
            table["Clinician id"],
            table["Busiest 7 days (h)"],
            table["Max hours per 7 days"],
            strict=True,
        ):
            share = float(hours) / float(limit) if limit else 0.0
            if float(hours) > 0 and share > best:
                best, heaviest = share, (str(cid), float(hours), float(limit))
    return PoolResult(
        **base,
        unfilled_required=sum(unfilled.values()),
        unfilled_by_line=unfilled,
        cost=round(cost, 2),
        heaviest_clinician=None if heaviest is None else heaviest[0],
        heaviest_hours=None if heaviest is None else heaviest[1],
        heaviest_max_hours=None if heaviest is None else heaviest[2],
        fill_proven=result.params.get("phase1_status") == "OPTIMAL",
        breaches=tuple(f"{b.rule}: {b.message}" for b in breaches),
    )


# ---- all pools ------------------------------------------------------------------------------


def pool_sizes(
    data: RotaData,
    order: str = "list-size",
    *,
    coalitions: Sequence[Coalition] | None = None,
    with_locums: bool = False,
    time_limit: float = 20.0,
    seed: int = 0,
    jobs: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[PoolResult]:
    """Solve the rota for each pool; results in pool order whatever the number of processes.

    Pools are the growing prefixes of ``ordered_practices(data, order)``, or ``coalitions``
    when given. ``time_limit`` is per pool, in CP-SAT's deterministic time (about seconds on
    an idle machine). ``jobs``: processes (default: the machine's cores). Raises
    ``PoolError`` when the checker finds a breach in any pool's rota.
    """
    if coalitions is None:
        pools = growing_pools(data, order)
        added: list[str | None] = [p.practices[-1] for p in pools]
    else:
        pools, added = list(coalitions), [None] * len(coalitions)
    if not pools:
        raise OohError("no pools to evaluate: the inputs list no member practices")
    tasks = [
        _Task(i, pool, add, data, with_locums, time_limit, seed)
        for i, (pool, add) in enumerate(zip(pools, added, strict=True), start=1)
    ]
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(tasks)))
    started = time.perf_counter()
    results: dict[int, PoolResult] = {}

    def done(r: PoolResult) -> None:
        if r.breaches:
            raise PoolError(
                f"pool {r.index} ({r.name}): the rota breaks hard rules, a fault in the solver; "
                "please report it with the input workbook:\n"
                + "\n".join(f"  - {b}" for b in r.breaches)
            )
        results[r.index] = r
        if progress is not None:
            progress(
                f"pool {len(results)}/{len(tasks)} done: {r.name}, "
                f"{r.registered_patients:,} patients, {_fill_words(r)} "
                f"({time.perf_counter() - started:.0f} s)"
            )

    if jobs == 1:
        for task in tasks:
            done(solve_pool(task))
    else:
        _run_parallel(tasks, jobs, done)
    return [results[i] for i in sorted(results)]


def _run_parallel(tasks: list[_Task], jobs: int, done: Callable[[PoolResult], None]) -> None:
    """Solve tasks in ``jobs`` fresh processes ("spawn": no fork of a threaded solver)."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    executor = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"))
    try:
        pending = {executor.submit(solve_pool, task) for task in tasks}
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in sorted(finished, key=lambda f: f.result().index):
                done(future.result())
    except BaseException:
        executor.shutdown(wait=False, cancel_futures=True)
        raise
    executor.shutdown()


def _fill_words(r: PoolResult) -> str:
    if r.fill is None:
        return f"no rota ({r.status})"
    return f"{100 * r.fill:.1f}% of required places filled"


def smallest_meeting(results: Sequence[PoolResult], target: float) -> PoolResult | None:
    """The smallest pool (fewest registered patients, then fewest practices, then first in
    order) that fills at least ``target`` of its required places; None if none does.

    For growing pools this is the first pool in the chosen order that reaches the target.
    """
    if not 0 < target <= 1:
        raise OohError(f"--target {target:g}: give a share of required places above 0, up to 1")
    meeting = [
        r
        for r in results
        if r.filled_required is not None and r.filled_required >= target * r.required_places - 1e-9
    ]
    if not meeting:
        return None
    return min(meeting, key=lambda r: (r.registered_patients, len(r.practices), r.index))


def fill_warnings(results: Sequence[PoolResult]) -> dict[int, str]:
    """Growing pools that fill fewer required places than a smaller pool, with a fill not
    proven best: the time limit was too short for them (pool index -> warning).

    A larger pool has every clinician of the smaller one, so it can usually fill at least as
    many places (only the added practice's fixed bookings or minimum shifts can stop it).
    """
    if not results or any(r.added is None for r in results):
        return {}
    found: dict[int, str] = {}
    best: PoolResult | None = None
    for r in results:
        filled = r.filled_required
        if filled is None:
            continue
        if best is not None and filled < (best.filled_required or 0) and not r.fill_proven:
            found[r.index] = (
                f"fills {(best.filled_required or 0) - filled} fewer required places than pool "
                f"{best.index}, a smaller pool, and its fill is not proven best: "
                "a longer --time-limit may fill more"
            )
        if best is None or filled > (best.filled_required or 0):
            best = r
    return found


def summary(results: Sequence[PoolResult], target: float | None = None) -> dict[str, Any]:
    """JSON-able summary: the pools and, with a target, the smallest pool meeting it."""
    answer = None if target is None else smallest_meeting(results, target)
    warnings = fill_warnings(results)
    return {
        "target": target,
        "target_pool": None if answer is None else answer.index,
        "target_pool_name": None if answer is None else answer.name,
        "warnings": [f"pool {i}: {text}" for i, text in warnings.items()],
        "pools": [_as_json(r) for r in results],
    }


def _as_json(r: PoolResult) -> dict[str, Any]:
    return {
        "pool": r.index,
        "name": r.name,
        "practices": list(r.practices),
        "added": r.added,
        "registered_patients": r.registered_patients,
        "clinicians_offered": r.clinicians_offered,
        "required_places": r.required_places,
        "unfilled_required": r.unfilled_required,
        "fill_percent": None if r.fill is None else round(100 * r.fill, 2),
        "fill_proven": r.fill_proven,
        "unfilled_by_line": {k: v for k, v in r.unfilled_by_line.items() if v},
        "cost": r.cost,
        "heaviest_clinician": r.heaviest_clinician,
        "heaviest_hours_7_days": r.heaviest_hours,
        "heaviest_percent_of_max": _r1(r.heaviest_percent),
        "status": r.status,
        "runtime_seconds": r.runtime,
        "conflicts": list(r.conflicts),
    }


def _r1(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def target_words(results: Sequence[PoolResult], target: float) -> str:
    """The answer to "how big a pool fills this share?" in one sentence."""
    answer = smallest_meeting(results, target)
    if answer is None:
        best = max((r.fill for r in results if r.fill is not None), default=None)
        best_text = "none produced a rota" if best is None else f"the best fills {100 * best:.1f}%"
        return (
            f"No pool fills {100 * target:g}% of required places ({best_text}); "
            "add practices, salaried or locum clinicians, or ask less of the rota."
        )
    return (
        f"Smallest pool filling at least {100 * target:g}% of required places: pool "
        f"{answer.index} ({answer.name}: {', '.join(answer.practices)}), "
        f"{answer.registered_patients:,} registered patients, "
        f"{100 * (answer.fill or 0):.1f}% filled."
    )


# ---- coalitions file ------------------------------------------------------------------------

COALITION_HEADERS = ("coalition", "coalition name", "name")
PRACTICE_HEADERS = ("practice", "practice code", "code")


def read_coalitions(path: str | os.PathLike[str], data: RotaData) -> list[Coalition]:
    """Coalitions from an .xlsx (first sheet, or one called Coalitions) or .csv file with
    columns Coalition and Practice, one practice per row; coalitions in order of first row.

    Every problem is reported at once, by place (``Coalitions!B7``, ``file.csv!B7``).
    """
    file = Path(path)
    if not file.exists():
        raise OohError(f"{file}: file not found")
    if file.is_dir():
        raise OohError(f"{file}: is a folder; give an .xlsx or .csv file of coalitions")
    suffix = file.suffix.lower()
    if suffix == ".csv":
        sheet, rows = file.name, _csv_rows(file)
    elif suffix in (".xlsx", ".xlsm"):
        sheet, rows = _xlsx_rows(file)
    else:
        raise OohError(
            f"{file}: give the coalitions as an .xlsx or .csv file with columns "
            "Coalition and Practice"
        )
    issues = IssueCollector(str(file))
    if not rows:
        raise OohError(f"{file}: is empty; give columns Coalition and Practice, one row each")
    headers = [_norm(v) for v in rows[0]]
    columns: dict[str, int] = {}
    for key, names in (("coalition", COALITION_HEADERS), ("practice", PRACTICE_HEADERS)):
        found = [i for i, h in enumerate(headers) if h in names]
        if not found:
            issues.add(f"{sheet}!A1", f"no {key.capitalize()} column in the header row")
        else:
            columns[key] = found[0]
    issues.raise_if_any()
    known = {p.code: p for p in data.practices}
    members: dict[str, list[str]] = {}
    for row_no, row in enumerate(rows[1:], start=2):
        name = _cell(row, columns["coalition"])
        code = _cell(row, columns["practice"])
        if not name and not code:
            continue
        where_name = f"{sheet}!{_letter(columns['coalition'])}{row_no}"
        where_code = f"{sheet}!{_letter(columns['practice'])}{row_no}"
        if not name:
            issues.add(where_name, "blank coalition name; name the coalition this practice is in")
        if not code:
            issues.add(where_code, "blank practice code; give a code from the Practices sheet")
            continue
        if code not in known:
            folded = {k.casefold(): k for k in known}
            close = difflib.get_close_matches(code.casefold(), list(folded), n=1, cutoff=0.6)
            hint = f" (did you mean {folded[close[0]]}?)" if close else ""
            issues.add(where_code, f"practice {code!r} is not in the inputs' Practices{hint}")
            continue
        if name:
            listed = members.setdefault(name, [])
            if code in listed:
                issues.add(where_code, f"practice {code} is listed twice in coalition {name!r}")
            else:
                listed.append(code)
    if not members and not issues:
        issues.add(sheet, "no coalitions listed; add rows of Coalition and Practice")
    issues.raise_if_any()
    return [Coalition(name, tuple(codes)) for name, codes in members.items()]


def _norm(value: Any) -> str:
    return " ".join(str(value or "").split()).casefold()


def _cell(row: Sequence[Any], col: int) -> str:
    if col >= len(row) or row[col] is None:
        return ""
    value = row[col]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col + 1)


def _csv_rows(file: Path) -> list[list[Any]]:
    try:
        with open(file, newline="", encoding="utf-8-sig") as handle:
            return [list(row) for row in csv.reader(handle)]
    except (UnicodeDecodeError, csv.Error) as exc:
        raise OohError(f"{file}: cannot be read as a UTF-8 CSV file ({exc})") from exc


def _xlsx_rows(file: Path) -> tuple[str, list[list[Any]]]:
    from openpyxl import load_workbook

    from ooh.safety import check_workbook

    check_workbook(file)  # hostile, oversized or not a workbook: a clear error first
    try:
        with open(file, "rb") as handle:
            wb = load_workbook(handle, read_only=True, data_only=True)
            names = {_norm(n): n for n in wb.sheetnames}
            title = names.get("coalitions", wb.sheetnames[0])
            rows = [list(r) for r in wb[title].iter_rows(values_only=True)]
            wb.close()
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise OohError(
            f"{file}: cannot be read as an Excel .xlsx workbook ({type(exc).__name__}); "
            "save it from Excel as Excel Workbook (.xlsx)"
        ) from exc
    return title, rows


# ---- outputs --------------------------------------------------------------------------------

POOL_COLUMNS = [
    "Pool",
    "Name",
    "Practices",
    "Added practice",
    "Members",
    "Registered patients",
    "Clinicians offered",
    "Required places",
    "Unfilled required places",
    "Required places filled %",
    "Fill proven best",
    "Cost £",
    "Heaviest load: clinician",
    "Heaviest load: busiest 7 days (h)",
    "Heaviest load: % of their max",
    "Status",
    "Meets target",
    "Solve time (s)",
    "Notes",
]


def pool_rows(results: Sequence[PoolResult], target: float | None = None) -> list[list[Any]]:
    """Rows of the Pools table (POOL_COLUMNS)."""
    answer = None if target is None else smallest_meeting(results, target)
    warnings = fill_warnings(results)
    rows = []
    for r in results:
        meets = ""
        if target is not None and r.filled_required is not None:
            meets = "yes" if r.filled_required >= target * r.required_places - 1e-9 else "no"
            if answer is not None and r.index == answer.index:
                meets = "yes: smallest"
        rows.append(
            [
                r.index,
                r.name,
                len(r.practices),
                r.added or "",
                ", ".join(r.practices),
                r.registered_patients,
                r.clinicians_offered,
                r.required_places,
                r.unfilled_required,
                None if r.fill is None else round(100 * r.fill, 2),
                "" if r.fill is None else ("yes" if r.fill_proven else "no"),
                r.cost,
                r.heaviest_clinician or "",
                r.heaviest_hours,
                _r1(r.heaviest_percent),
                r.status,
                meets,
                r.runtime,
                "\n".join([*r.conflicts, *([warnings[r.index]] if r.index in warnings else [])]),
            ]
        )
    return rows


def write_pool_workbook(
    results: Sequence[PoolResult],
    path: str | os.PathLike[str],
    run_info: dict[str, object],
    data: RotaData,
    target: float | None = None,
) -> Path:
    """Pools, Unfilled by shift line and Run info sheets, written atomically."""
    from openpyxl import Workbook

    from ooh import __version__
    from ooh.excel import GAP_FILL, MONEY_FORMAT, OK_FILL, fit_widths, write_key_values, write_table
    from ooh.outputs import write_atomically, written_at

    wb = Workbook()
    ws = wb.active
    ws.title = "Pools"
    write_table(
        ws, POOL_COLUMNS, pool_rows(results, target), number_formats={"Cost £": MONEY_FORMAT}
    )
    fit_widths(ws, {"Members": 40, "Notes": 60})
    answer = None if target is None else smallest_meeting(results, target)
    for row_no, r in enumerate(results, start=2):
        if answer is not None and r.index == answer.index:
            for cell in ws[row_no]:
                cell.fill = OK_FILL

    lines = [st.id for st in data.shift_types]
    unfilled = wb.create_sheet("Unfilled by shift line")
    write_table(
        unfilled,
        ["Pool", "Name", "Registered patients", "Unfilled required places", *lines],
        [
            [r.index, r.name, r.registered_patients, r.unfilled_required]
            + [r.unfilled_by_line.get(line) if r.unfilled_by_line else None for line in lines]
            for r in results
        ],
    )
    for row in unfilled.iter_rows(min_row=2, min_col=5):
        for cell in row:
            if isinstance(cell.value, int) and cell.value > 0:
                cell.fill = GAP_FILL

    info = wb.create_sheet("Run info")
    pairs: list[tuple[str, object]] = [
        ("ooh version", __version__),
        ("Written at (UTC)", written_at()),
        *((str(k), _plain(v)) for k, v in run_info.items()),
        ("Pools", len(results)),
    ]
    if target is not None:
        pairs.append(("Target answer", target_words(results, target)))
    write_key_values(info, pairs)
    fit_widths(info, {"Value": 80})
    return write_atomically(path, wb.save)


def _plain(value: object) -> object:
    if isinstance(value, (list, tuple, set, dict, Path)):
        return str(value)
    return value


def plot_pool(
    results: Sequence[PoolResult], ax: Axes | None = None, target: float | None = None
) -> Figure:
    """Required places filled (%) and rota cost against pooled list size, on two y-axes.

    Growing pools are joined in order; coalitions are points labelled by name. Pools with no
    rota are left out; open markers are fills not proven best within the time limit. A
    dashed line marks the target share, when given.
    """
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    if ax is None:
        fig = Figure(figsize=(8, 4.5), layout="constrained")
        ax = fig.subplots()
    else:
        fig = ax.figure  # type: ignore[assignment]
    shown = sorted(
        (r for r in results if r.fill is not None),
        key=lambda r: (r.registered_patients, r.index),
    )
    growing = all(r.added is not None for r in results)
    x = [r.registered_patients for r in shown]
    fill = [100 * (r.fill or 0) for r in shown]
    cost = [r.cost or 0.0 for r in shown]
    style = "-o" if growing else "o"
    ax.plot(x, fill, style, color="#1F4E78", label="required places filled %")
    unproven = [(xi, yi) for xi, yi, r in zip(x, fill, shown, strict=True) if not r.fill_proven]
    if unproven:  # open markers: a longer time limit might fill more
        ax.plot(
            [p[0] for p in unproven],
            [p[1] for p in unproven],
            "o",
            color="#1F4E78",
            markerfacecolor="white",
            label="fill not proven best",
        )
    ax.set_xlabel("registered patients in the pool")
    ax.set_ylabel("required places filled (%)", color="#1F4E78")
    ax.set_ylim(0, 105)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    if target is not None:
        ax.axhline(100 * target, color="#1F4E78", linestyle="--", linewidth=1, alpha=0.6)
        ax.annotate(
            f"target {100 * target:g}%",
            (x[0] if x else 0, 100 * target),
            textcoords="offset points",
            xytext=(0, 4),
            fontsize=8,
            color="#1F4E78",
        )
    if not growing:
        for xi, yi, r in zip(x, fill, shown, strict=True):
            ax.annotate(r.name, (xi, yi), textcoords="offset points", xytext=(4, 4), fontsize=8)
    right = ax.twinx()
    right.plot(x, cost, "--s" if growing else "s", color="#C55A11", label="rota cost £")
    right.set_ylabel("rota cost (£)", color="#C55A11")
    right.set_ylim(bottom=0)
    right.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"£{v:,.0f}"))
    handles = ax.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
    ax.legend(handles, [str(h.get_label()) for h in handles], loc="lower right", fontsize=8)
    ax.set_title("Fill rate and cost by pooled list size")
    return fig


def save_plot(fig: Figure, path: str | os.PathLike[str]) -> Path:
    from ooh.outputs import write_atomically

    return write_atomically(path, lambda tmp: fig.savefig(tmp, format="png", dpi=120))
