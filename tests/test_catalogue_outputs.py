"""Nothing lost, and the same answer twice.

Outputs are written whole or not at all (a write that fails half-way, is interrupted, or
whose process is killed leaves the previous file and the inputs untouched); an output is
never an input, nor a file open in Excel; ``--deterministic`` gives byte-identical files.
"""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from test_rota_io import save, template_book

from ooh.cli import cli
from ooh.outputs import NOT_RECORDED, is_deterministic

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = ROOT / "sample_inputs" / "contract.toml"
ACTIVITY = ROOT / "sample_inputs" / "activity.csv"
ACTIVITY_XLSX = ROOT / "sample_inputs" / "activity.xlsx"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def invoke(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    return save(template_book(), tmp_path)


# ---- never over an input, never over a file open in Excel ----------------------------------


def test_rota_solve_refuses_to_write_over_its_input(inputs: Path) -> None:
    before = digest(inputs)
    code, output = invoke("rota", "solve", inputs, "-o", inputs)
    assert code == 1
    assert output == (
        f"Error: {inputs}: the output would overwrite an input file; choose another -o path\n"
    )
    assert digest(inputs) == before


@pytest.mark.parametrize("which", ["contract", "activity"])
def test_gainshare_commands_refuse_to_write_over_an_input(tmp_path: Path, which: str) -> None:
    contract = tmp_path / "contract.toml"
    contract.write_bytes(CONTRACT.read_bytes())
    activity = tmp_path / "activity.xlsx"
    activity.write_bytes(ACTIVITY_XLSX.read_bytes())
    target = contract if which == "contract" else activity
    before = digest(target)
    for command in (["settle"], ["simulate", "--draws", "10"], ["threshold", "--draws", "100"]):
        code, output = invoke("gainshare", *command, contract, "--activity", activity, "-o", target)
        assert code == 1
        assert f"Error: {target}: the output would overwrite an input file" in output
    assert digest(target) == before


def test_an_output_open_in_excel_is_reported(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "rota.xlsx"
    out.write_bytes(b"the rota someone has open")
    (tmp_path / "~$rota.xlsx").write_bytes(b"owner")
    expected = (
        f"Error: {out}: the file is open in Excel (~$rota.xlsx exists); close it and run again\n"
    )
    assert invoke("rota", "solve", inputs, "-o", out) == (1, expected)
    statement = tmp_path / "rota.xlsx"  # the same check guards every command that writes
    assert invoke("gainshare", "settle", CONTRACT, "--activity", ACTIVITY, "-o", statement) == (
        1,
        expected,
    )
    assert invoke("template", "rota", "-o", out) == (1, expected)
    assert out.read_bytes() == b"the rota someone has open"


def test_an_output_folder_that_does_not_exist(tmp_path: Path) -> None:
    out = tmp_path / "missing" / "statement.xlsx"
    code, output = invoke("gainshare", "settle", CONTRACT, "--activity", ACTIVITY, "-o", out)
    assert (code, output) == (1, f"Error: {out}: folder {out.parent} does not exist\n")


# ---- a write that fails or is interrupted half-way ------------------------------------------


def half_then(exc: BaseException) -> Callable[[Workbook, str], None]:
    """A Workbook.save that writes half the file, then fails as ``exc``."""
    real_save = Workbook.save

    def save_half(self: Workbook, filename: str) -> None:
        real_save(self, filename)
        data = Path(filename).read_bytes()
        Path(filename).write_bytes(data[: len(data) // 2])
        raise exc

    return save_half


def settle_over_previous(tmp_path: Path) -> tuple[Path, Path, dict[Path, str]]:
    contract = tmp_path / "contract.toml"
    contract.write_bytes(CONTRACT.read_bytes())
    activity = tmp_path / "activity.csv"
    activity.write_bytes(ACTIVITY.read_bytes())
    out = tmp_path / "statement.xlsx"
    code, _ = invoke("gainshare", "settle", contract, "--activity", activity, "-o", out)
    assert code == 0
    return contract, activity, {p: digest(p) for p in (contract, activity, out)}


def test_disk_full_half_way_leaves_the_previous_output_and_inputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contract, activity, before = settle_over_previous(tmp_path)
    out = tmp_path / "statement.xlsx"
    monkeypatch.setattr(
        Workbook, "save", half_then(OSError(errno.ENOSPC, "No space left on device"))
    )
    code, output = invoke("gainshare", "settle", contract, "--activity", activity, "-o", out)
    assert (code, output) == (
        1,
        f"Error: {out}: could not be written (No space left on device); nothing was changed\n",
    )
    assert {p: digest(p) for p in before} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "activity.csv",
        "contract.toml",
        "statement.xlsx",
    ]
    load_workbook(out)  # still the whole previous statement


def test_ctrl_c_half_way_leaves_the_previous_output_and_inputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contract, activity, before = settle_over_previous(tmp_path)
    out = tmp_path / "statement.xlsx"
    monkeypatch.setattr(Workbook, "save", half_then(KeyboardInterrupt()))
    code, output = invoke("gainshare", "settle", contract, "--activity", activity, "-o", out)
    assert (code, output) == (130, "Interrupted.\n")
    assert {p: digest(p) for p in before} == before
    assert len(list(tmp_path.iterdir())) == 3  # no temp file left behind


KILLED_WRITER = """
import sys, time
from ooh.outputs import write_atomically

def write(tmp):
    with open(tmp, "wb") as handle:
        for i in range(400):
            handle.write(b"x" * 1_000_000)
            handle.flush()
            if i == 3:
                print("writing", flush=True)
            time.sleep(0.05)

write_atomically(sys.argv[1], write)
"""


def test_a_process_killed_mid_write_leaves_the_previous_output(tmp_path: Path) -> None:
    out = tmp_path / "rota.xlsx"
    out.write_bytes(b"the previous rota")
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(out)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "writing"  # 4 MB written to the temp file
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert out.read_bytes() == b"the previous rota"
    # at most a stray hidden temp file, never a half-written output
    strays = [p.name for p in tmp_path.iterdir() if p != out]
    assert all(n.startswith(".rota.xlsx.") and n.endswith(".tmp") for n in strays)


def test_outputs_are_ordinary_files_not_private_temp_files(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "template.xlsx"
    assert invoke("template", "rota", "-o", out)[0] == 0
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


# ---- the same answer twice ----------------------------------------------------------------


def run_info(path: Path, sheet: str) -> dict[str, object]:
    wb = load_workbook(path)
    return {row[0]: row[1] for row in wb[sheet].iter_rows(min_row=2, values_only=True)}


def test_rota_solve_deterministic_is_byte_identical(inputs: Path, tmp_path: Path) -> None:
    """Two runs here and one in a new process; the search is cut by its (deterministic)
    time limit, not finished, so the limit itself must be reproducible."""
    args = ["rota", "solve", str(inputs), "--time-limit", "0.2", "--seed", "7"]
    args += ["--deterministic", "--quiet"]
    outs = [tmp_path / "a.xlsx", tmp_path / "b.xlsx", tmp_path / "c.xlsx"]
    for out in outs[:2]:
        code, output = invoke(*args, "-o", out)
        assert code == 0, output
    proc = subprocess.run(
        [sys.executable, "-m", "ooh", *args, "-o", str(outs[2])], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert outs[0].read_bytes() == outs[1].read_bytes() == outs[2].read_bytes()
    assert not is_deterministic()  # the switch lasts one command
    info = run_info(outs[0], "Run info")
    assert info["Written at (UTC)"] == NOT_RECORDED
    assert info["Solve time (s)"] == NOT_RECORDED
    assert info["Parameter: deterministic"] is True and info["Parameter: seed"] == 7
    assert info["Input SHA-256"] == digest(inputs)
    assert info["ooh version"]
    assert not any(str(k).endswith("_seconds") for k in info)


def test_without_deterministic_the_time_is_recorded(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "rota.xlsx"
    assert invoke("rota", "solve", inputs, "-o", out, "--time-limit", "2", "--quiet")[0] == 0
    info = run_info(out, "Run info")
    from datetime import datetime

    assert isinstance(info["Written at (UTC)"], datetime)
    assert isinstance(info["Solve time (s)"], (int, float)) and info["Solve time (s)"] > 0


@pytest.mark.parametrize(
    ("command", "sheet"),
    [
        (["settle"], "Inputs"),
        (["simulate", "--draws", "2000", "--seed", "5"], "Run info"),
        (["threshold", "--draws", "500", "--seed", "5", "--populations", "5000,50000"], "Run info"),
    ],
    ids=["settle", "simulate", "threshold"],
)
def test_gainshare_deterministic_is_byte_identical(
    tmp_path: Path, command: list[str], sheet: str
) -> None:
    outs = []
    for name in ("a", "b"):
        out = tmp_path / f"{name}.xlsx"
        code, output = invoke(
            "gainshare", *command, CONTRACT, "--activity", ACTIVITY, "-o", out, "--deterministic"
        )
        assert code == 0, output
        outs.append(out)
    assert outs[0].read_bytes() == outs[1].read_bytes()
    info = run_info(outs[0], sheet)
    assert info["Written at (UTC)"] == NOT_RECORDED
    assert info["Contract file SHA-256"] == digest(CONTRACT)
    assert info["Activity file SHA-256"] == digest(ACTIVITY)
    assert info["ooh version"]
    if command[0] != "settle":
        assert info["Seed"] == 5 and info["Draws"] == int(command[2])
