"""Solve and write: the library behind ``ooh rota solve``.

The solver's rota is always re-checked by the independent checker (``check.py``); any
breach is reported (and fails the command), never hidden.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ooh.errors import OohError
from ooh.rota.data import Result, RotaData, Status


def solve_and_write(
    data: RotaData,
    inputs_path: Path,
    output_path: Path,
    *,
    time_limit: float = 60.0,
    seed: int = 0,
    workers: int = 2,
    progress: Callable[[str], None] | None = None,
    deterministic: bool = False,
) -> dict[str, Any]:
    """Solve, check, write the rota workbook and return a JSON-able summary.

    Raises ``OohError`` (and writes nothing) when the hard rules contradict each other,
    listing the conflicts, or when no rota was found within the time limit.
    """
    from ooh.outputs import file_sha256
    from ooh.rota.calendar import build_shifts
    from ooh.rota.check import check_rota
    from ooh.rota.output import gaps_for, write_rota_workbook
    from ooh.rota.solve import SolveParams, solve

    params = SolveParams(
        time_limit=time_limit, seed=seed, workers=workers, deterministic=deterministic
    )
    result = solve(data, params, progress=progress)
    if result.status is Status.CONFLICT:
        lines = "\n".join(f"  - {line}" for line in result.conflicts) or "  (no detail given)"
        raise OohError(
            f"{inputs_path}: the hard rules contradict each other, so no rota can obey them "
            f"all; no rota written. Fix these in the inputs:\n{lines}"
        )
    if result.status is Status.NO_SOLUTION and result.stopped_early:
        raise OohError(f"{inputs_path}: interrupted before any rota was found; no rota written.")
    if result.status is Status.NO_SOLUTION:
        raise OohError(
            f"{inputs_path}: no rota found within {time_limit:g} s; no rota written. "
            "Run again with a longer --time-limit."
        )

    shifts = build_shifts(data)
    # Never trust the solver's own verdict: the independent checker has the last word.
    result.breaches = check_rota(data, result.assignments, shifts)
    gaps = gaps_for(data, shifts, result)
    result.gaps = gaps
    # The solver records its parameters in result.params; make sure the essentials are there.
    for key, value in (("time_limit", time_limit), ("seed", seed), ("workers", workers)):
        result.params.setdefault(key, value)
    run_info: dict[str, object] = {
        "Input file": inputs_path.name,
        "Input SHA-256": file_sha256(inputs_path) if inputs_path.exists() else "",
    }
    write_rota_workbook(data, result, output_path, run_info)
    return summary(result, shifts_required=sum(s.type.needed for s in shifts), output=output_path)


def summary(result: Result, *, shifts_required: int, output: Path | None) -> dict[str, Any]:
    """What a script (``--json``) or a person needs to know about a solve."""
    ratio = result.gap_ratio
    return {
        "status": result.status.value,
        "objective": _rounded(result.objective),
        "bound": _rounded(result.bound),
        "gap_percent": None if ratio is None else round(100 * ratio, 2),
        "runtime_seconds": round(result.runtime, 2),
        "stopped_early": result.stopped_early,
        "assignments": len(result.assignments),
        "required_places": shifts_required,
        "unfilled_required": sum(1 for g in result.gaps if g.required),
        "unfilled_target": sum(1 for g in result.gaps if not g.required),
        "output": None if output is None else str(output),
        "breaches": [f"{b.rule}: {b.message}" for b in result.breaches],
        "conflicts": list(result.conflicts),
    }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
