"""Property-based fuzzing of every reader, through the command line.

Random cells, types and shapes in rota workbooks, random contract files (valid TOML with
random values, and random damage to the text) and random activity tables. Whatever the
input, the command either succeeds (exit 0) or fails cleanly: exit 1, output starting
"Error:", no traceback, no exception escaping.
"""

from __future__ import annotations

import json
import math
import tempfile
import tomllib
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from test_rota_io import template_book

from ooh import schema
from ooh.cli import cli

ROOT = Path(__file__).resolve().parents[1]
FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def assert_clean(result: Result) -> None:
    """Success, or a user error: never a traceback or an escaped exception."""
    assert result.exit_code in (0, 1), (result.exit_code, result.output, result.exception)
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    if result.exit_code == 1:
        assert result.output.startswith("Error:"), result.output


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


# ---- cell values of every kind a workbook can hold ------------------------------------------

# Text that openpyxl can store: no control characters or lone surrogates.
texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=30
) | st.sampled_from(
    [
        "=1+1",
        "=SUM(A1:A3)",
        "+44 20",
        "-5",
        "@cmd",
        "'=x",
        "yes",
        "no",
        "A",
        "U",
        "P",
        "N",
        "24:00",
        "8.30pm",
        "1830",
        "31/02/2027",
        "2027-01-04",
        "04/01/2027",
        "GP",
        "C01",
        "P001",
        "N-EVE-GP",
        "#N/A",
        "",
        "   ",
    ]
)
values = st.one_of(
    st.none(),
    texts,
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 12, 31)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 12, 31)),
    st.times(),
)
SHEET_NAMES = [s.name for s in schema.SHEETS if s.name != "README"]


@st.composite
def edits(draw: st.DrawFn) -> list[tuple[str, Any]]:
    """A list of edits to the template workbook: set cells, drop or rename sheets, add rows."""
    steps: list[tuple[str, Any]] = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["cell", "cell", "cell", "drop", "rename", "row", "header"]))
        sheet = draw(st.sampled_from(SHEET_NAMES))
        if kind == "cell":
            steps.append(
                (kind, (sheet, draw(st.integers(1, 14)), draw(st.integers(1, 20)), draw(values)))
            )
        elif kind == "header":
            steps.append((kind, (sheet, draw(st.integers(1, 20)), draw(values))))
        elif kind == "row":
            steps.append((kind, (sheet, draw(st.lists(values, max_size=20)))))
        elif kind == "rename":
            steps.append((kind, (sheet, draw(st.text("ABCdef ", min_size=1, max_size=10)))))
        else:
            steps.append((kind, sheet))
    return steps


def apply(wb: Workbook, steps: list[tuple[str, Any]]) -> None:
    for kind, arg in steps:
        if kind == "drop" and arg in wb.sheetnames:
            del wb[arg]
            continue
        sheet = arg[0]
        if sheet not in wb.sheetnames:
            continue
        ws = wb[sheet]
        if kind == "cell":
            ws.cell(row=arg[1], column=arg[2], value=arg[3])
        elif kind == "header":
            ws.cell(row=1, column=arg[1], value=arg[2])
        elif kind == "row":
            ws.append(arg[1])
        elif kind == "rename" and arg[1] not in wb.sheetnames:
            ws.title = arg[1]


@FUZZ
@given(steps=edits())
def test_rota_reader_never_crashes_on_edited_workbooks(steps: list[tuple[str, Any]]) -> None:
    wb = template_book()
    apply(wb, steps)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "inputs.xlsx"
        wb.save(path)
        assert_clean(invoke("rota", "validate", str(path)))


@FUZZ
@given(
    sheets=st.lists(
        st.tuples(
            st.sampled_from([*SHEET_NAMES, "Sheet", "Data", "clinicians "]),
            st.lists(st.lists(values, max_size=8), max_size=8),
        ),
        min_size=1,
        max_size=6,
        unique_by=lambda s: s[0].strip().casefold(),
    )
)
def test_rota_reader_never_crashes_on_random_workbooks(
    sheets: list[tuple[str, list[list[Any]]]],
) -> None:
    wb = Workbook()
    assert wb.active is not None
    wb.remove(wb.active)
    for name, rows in sheets:
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "inputs.xlsx"
        wb.save(path)
        assert_clean(invoke("rota", "validate", str(path)))


@FUZZ
@given(data=st.binary(max_size=600), as_zip=st.booleans())
def test_rota_reader_never_crashes_on_random_bytes(data: bytes, as_zip: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "inputs.xlsx"
        if as_zip:  # random bytes inside a zip, under a workbook's part names
            import zipfile

            with zipfile.ZipFile(path, "w") as archive:
                archive.writestr("[Content_Types].xml", data)
                archive.writestr("xl/workbook.xml", data[::-1])
                archive.writestr("xl/worksheets/sheet1.xml", data)
        else:
            path.write_bytes(data)
        result = invoke("rota", "validate", str(path))
        assert_clean(result)
        assert result.exit_code == 1


# ---- contract files --------------------------------------------------------------------------

SAMPLE_CONTRACT = tomllib.loads((ROOT / "sample_inputs" / "contract.toml").read_text("utf-8"))
ACTIVITY = ROOT / "sample_inputs" / "activity.csv"


def toml_value(value: Any) -> str:
    """A TOML literal (inline tables and arrays) for a value made of TOML types."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a TOML basic string
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(type(value))


def toml_document(doc: dict[str, Any]) -> str:
    return "".join(f"{json.dumps(k)} = {toml_value(v)}\n" for k, v in doc.items())


toml_scalars = st.one_of(
    st.booleans(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(),
    texts,
    st.dates(),
    st.sampled_from(["2026-04", "currency", "ratio", "percent", "hours", "P01", "P99"]),
)
toml_values = st.recursive(
    toml_scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["share", "up_to", "code", "x", "type"]), inner, max_size=3
        )
    ),
    max_leaves=8,
)


def paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(doc, dict):
        for key, value in doc.items():
            found += paths(value, (*prefix, key))
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            found += paths(value, (*prefix, i))
    return found


CONTRACT_PATHS = paths(SAMPLE_CONTRACT)


def replaced(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(doc, dict):
        return {k: (replaced(v, rest, value) if k == head else v) for k, v in doc.items()}
    if isinstance(doc, list):
        return [replaced(v, rest, value) if i == head else v for i, v in enumerate(doc)]
    return doc  # an earlier change made this a scalar: the path no longer exists


def settle(contract_text: str) -> Result:
    with tempfile.TemporaryDirectory() as folder:
        contract = Path(folder) / "terms.toml"
        contract.write_text(contract_text, encoding="utf-8")
        out = Path(folder) / "statement.xlsx"
        return invoke(
            "gainshare", "settle", str(contract), "--activity", str(ACTIVITY), "-o", str(out)
        )


@FUZZ
@given(
    changes=st.lists(
        st.tuples(st.sampled_from(CONTRACT_PATHS), toml_values), min_size=1, max_size=4
    )
)
def test_contract_reader_never_crashes_on_random_values(
    changes: list[tuple[tuple[Any, ...], Any]],
) -> None:
    doc: Any = SAMPLE_CONTRACT
    for path, value in changes:
        doc = replaced(doc, path, value)
    assert_clean(settle(toml_document(doc)))


@FUZZ
@given(
    cuts=st.lists(
        st.tuples(st.integers(0, 5000), st.integers(0, 40), st.text(max_size=6)),
        min_size=1,
        max_size=4,
    )
)
def test_contract_reader_never_crashes_on_damaged_text(cuts: list[tuple[int, int, str]]) -> None:
    text = (ROOT / "sample_inputs" / "contract.toml").read_text("utf-8")
    for at, length, insert in cuts:
        at %= len(text) + 1
        text = text[:at] + insert + text[at + length :]
    assert_clean(settle(text))


# ---- activity tables ---------------------------------------------------------------------------

CONTRACT_HEAD = """[contract]
performance_year_start = "2026-04"
[parties]
commissioner = "ICB"
provider = "Federation"
[[practices]]
code = "P01"
list_size = 1000
[gain]
tiers = [{share = 50}]
"""
activity_cells = st.one_of(
    values,
    st.sampled_from(["P01", "P02", "2026-04", "2025-13", "ae_attendance", "admission_short"]),
    st.integers(0, 500),
)
activity_rows = st.lists(st.lists(activity_cells, min_size=0, max_size=6), max_size=12)
headers = st.sampled_from(
    [
        ["practice", "month", "measure", "count"],
        ["Practice", "Month", "Measure", "Count"],
        ["count", "measure", "month", "practice"],
        ["practice", "month", "measure"],
        [],
    ]
)


def settle_activity(write: Any, suffix: str) -> Result:
    with tempfile.TemporaryDirectory() as folder:
        contract = Path(folder) / "terms.toml"
        contract.write_text(CONTRACT_HEAD, encoding="utf-8")
        activity = Path(folder) / f"activity{suffix}"
        write(activity)
        out = Path(folder) / "statement.xlsx"
        return invoke(
            "gainshare", "settle", str(contract), "--activity", str(activity), "-o", str(out)
        )


@FUZZ
@given(header=headers, rows=activity_rows)
def test_activity_reader_never_crashes_on_random_workbooks(
    header: list[str], rows: list[list[Any]]
) -> None:
    def write(path: Path) -> None:
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = "Activity"
        for row in [header, *rows]:
            ws.append(row)
        wb.save(path)

    assert_clean(settle_activity(write, ".xlsx"))


@FUZZ
@given(header=headers, rows=activity_rows, delimiter=st.sampled_from([",", ";", "\t"]))
def test_activity_reader_never_crashes_on_random_csv(
    header: list[str], rows: list[list[Any]], delimiter: str
) -> None:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    for row in [header, *rows]:
        writer.writerow(row)

    assert_clean(
        settle_activity(lambda p: p.write_text(buffer.getvalue(), encoding="utf-8"), ".csv")
    )


@FUZZ
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".csv", ".xlsx"]))
def test_activity_reader_never_crashes_on_random_bytes(data: bytes, suffix: str) -> None:
    assert_clean(settle_activity(lambda p: p.write_bytes(data), suffix))


# ---- rota workbooks read back by `ooh rota check` ---------------------------------------------


@settings(FUZZ, max_examples=15)  # each example also reads the inputs workbook
@given(
    header=st.lists(
        st.sampled_from(["Date", "Shift type", "Clinician id", "Clinician", "Notes", ""]),
        max_size=5,
    ),
    rows=st.lists(st.lists(activity_cells | values, max_size=5), max_size=10),
)
# a readable rota with no assignments: it breaks the template's minimum shifts and fixed
# bookings, which `rota check` reports with exit code 1 (its answer, not an error)
@example(header=["Date", "Shift type", "Clinician id"], rows=[])
def test_rota_check_never_crashes_on_random_assignments(
    header: list[str], rows: list[list[Any]]
) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Assignments"
    for row in [header, *rows]:
        ws.append(row)
    with tempfile.TemporaryDirectory() as folder:
        inputs = Path(folder) / "inputs.xlsx"
        template_book().save(inputs)
        rota = Path(folder) / "rota.xlsx"
        wb.save(rota)
        result = invoke("rota", "check", str(inputs), str(rota))
    if result.exit_code == 1 and result.output.endswith("breach(es) of hard rules\n"):
        # the documented answer for a rota that breaks rules: each breach, then the count
        assert "Traceback" not in result.output
        assert isinstance(result.exception, SystemExit)
    else:
        assert_clean(result)
