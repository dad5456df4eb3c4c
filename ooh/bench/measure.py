"""Run one benchmark case in a fresh Python process and report its peak memory.

``tracemalloc`` sees only Python's allocations, not OR-Tools' or NumPy's C++ and C memory, so
each case runs in its own process and reads the operating system's peak resident set size
(``getrusage(RUSAGE_SELF).ru_maxrss``) at its end: one process per case, so one case's peak
does not hide another's. The case is a function ``module:name`` taking JSON-able keyword
arguments and returning a JSON-able dict; the child writes the dict to a file.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from ooh.errors import OohError


def phases_of(params: dict[str, Any]) -> dict[str, Any]:
    """The solver's account of each phase from a result's run information."""
    return {k: v for k, v in params.items() if str(k).startswith("phase")}


def peak_rss_mb() -> float:
    """This process's peak resident set size so far, in MiB."""
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def code_version() -> str:
    """The code being measured: the git commit (``+changes`` when files under ooh/ differ
    from it), else the package version when not run from a checkout."""
    import ooh

    root = Path(ooh.__file__).resolve().parent.parent
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True
        )
        changes = subprocess.run(
            ["git", "status", "--porcelain", "--", "ooh"], cwd=root, capture_output=True, text=True
        )
    except OSError:
        return ooh.__version__
    if commit.returncode != 0:
        return ooh.__version__
    return commit.stdout.strip() + ("+changes" if changes.stdout.strip() else "")


def run_in_subprocess(target: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    """``target(**kwargs)`` in a new process; its result with ``peak_rss_mb`` added.

    The child's stderr (progress) passes through; a failing child raises OohError with the
    end of its error output.
    """
    with tempfile.TemporaryDirectory(prefix="ooh-bench-") as tmp:
        out = Path(tmp) / "result.json"
        cmd = [sys.executable, "-m", "ooh.bench.measure", target, json.dumps(kwargs), str(out)]
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if proc.returncode != 0 or not out.exists():
            tail = "\n".join(proc.stderr.strip().splitlines()[-8:])
            raise OohError(
                f"benchmark case {target} {kwargs} failed (exit {proc.returncode}):\n{tail}"
            )
        result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        return result


def main(argv: list[str] | None = None) -> int:
    """Child entry point: ``python -m ooh.bench.measure module:function JSON_KWARGS OUT``."""
    target, kwargs, out = sys.argv[1:] if argv is None else argv
    module_name, function = target.split(":")
    code = code_version()  # before the run: the code this process has loaded
    run = getattr(importlib.import_module(module_name), function)
    result = run(**json.loads(kwargs))
    result["code"] = code
    result["peak_rss_mb"] = peak_rss_mb()
    Path(out).write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
