"""Untrusted input files: size limits and safe loading; formula-safe CSV output.

Workbooks arrive from many hands. Before openpyxl loads one, ``check_workbook`` looks at the
file itself (a cheap pass over the zip) and refuses, with a message saying what to do:

- an encrypted (password-protected) workbook or an old ``.xls`` (both OLE2 files, not zips);
- a file, a sheet or a whole workbook beyond the documented limits below, so that a huge or
  crafted file is refused quickly instead of exhausting memory;
- XML with a document type declaration: Excel never writes one, and entity definitions are
  how "billion laughs" expansion attacks work. openpyxl also parses with ``defusedxml`` (a
  dependency), which refuses entities; this check gives the user a plain message first.

Rows and cells are counted by streaming each sheet's XML (the declared ``<dimension>`` can lie),
and the zip's declared sizes bound what is decompressed, so the check itself uses little memory.

Outputs: ``csv_cell`` neutralises text that a spreadsheet would run as a formula, like
``ooh.excel.safe_text`` does for workbooks; ``write_csv`` writes a whole CSV file safely.
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ooh.errors import OohError
from ooh.excel import FORMULA_STARTS
from ooh.outputs import write_atomically

# ---- documented limits (docs/troubleshooting.md lists them) ------------------------------

MAX_FILE_MB = 50  # the workbook file on disk
MAX_SHEETS = 50
MAX_ROWS = 100_000  # per sheet
MAX_COLUMNS = 2_000  # per sheet (a 13-week availability grid needs 93)
MAX_CELLS = 2_000_000  # all sheets together
MAX_XML_MB = 400  # all parts of the workbook, decompressed
MAX_RATIO = 200  # decompressed / compressed size of any one part (zip bombs)


@dataclass(frozen=True)
class Limits:
    """The limits ``check_workbook`` applies; tests pass smaller ones."""

    file_mb: float = MAX_FILE_MB
    sheets: int = MAX_SHEETS
    rows: int = MAX_ROWS
    columns: int = MAX_COLUMNS
    cells: int = MAX_CELLS
    xml_mb: float = MAX_XML_MB
    ratio: float = MAX_RATIO


LIMITS = Limits()
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx and old .xls files
_HEAD = 64 * 1024  # bytes of each XML part searched for a document type declaration
_CHUNK = 1 << 20
_ROW = re.compile(rb"<(?:\w{1,20}:)?row[\s>/]")
_CELL = re.compile(rb"<(?:\w{1,20}:)?c[\s>/]")
_OVERLAP = 64  # longer than any tag matched above, so none is lost between chunks
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?"')
_DOCTYPE = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_MB = 1024 * 1024


def _mb(n: float) -> str:
    return f"{n / _MB:,.1f} MB"


def check_workbook(path: str | os.PathLike[str], limits: Limits | None = None) -> None:
    """Refuse a file that is not a safe, reasonably sized .xlsx workbook (``OohError``)."""
    limits = limits or LIMITS
    path = Path(path)
    if not path.exists():
        raise OohError(f"{path}: file not found")
    if path.is_dir():
        raise OohError(f"{path}: is a folder, not an Excel workbook")
    size = path.stat().st_size
    if size > limits.file_mb * _MB:
        raise OohError(
            f"{path}: the file is {_mb(size)}, above the limit of {limits.file_mb:g} MB for an "
            "input workbook; delete unused sheets and rows, or split the data"
        )
    with open(path, "rb") as handle:
        head = handle.read(len(OLE2_MAGIC))
    if head == OLE2_MAGIC:
        raise OohError(
            f"{path}: is a password-protected workbook or an old Excel .xls file, which cannot "
            "be read; open it in Excel, remove the password (File > Info > Protect Workbook > "
            "Encrypt with Password, clear it) and save as Excel Workbook (.xlsx)"
        )
    if not zipfile.is_zipfile(path):
        raise OohError(
            f"{path}: is not an Excel .xlsx workbook (the file cannot be opened as one); "
            "save it from Excel as Excel Workbook (.xlsx)"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            _check_archive(path, archive, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise OohError(
            f"{path}: the workbook is damaged ({exc}); open it in Excel and save it again"
        ) from None


def _check_archive(path: Path, archive: zipfile.ZipFile, limits: Limits) -> None:
    infos = archive.infolist()
    total = sum(i.file_size for i in infos)
    if total > limits.xml_mb * _MB:
        raise OohError(
            f"{path}: the workbook unpacks to {_mb(total)}, above the limit of "
            f"{limits.xml_mb:g} MB; delete unused sheets and rows, or split the data"
        )
    for info in infos:
        if info.file_size > limits.ratio * max(info.compress_size, 1024):
            raise OohError(
                f"{path}: part {info.filename} unpacks to {_mb(info.file_size)} from "
                f"{_mb(info.compress_size)}, far more than any real workbook; refused as unsafe"
            )
    for info in infos:
        if info.filename.endswith((".xml", ".rels", ".vml")):
            with archive.open(info) as stream:
                if _DOCTYPE.search(stream.read(_HEAD)):
                    raise OohError(
                        f"{path}: part {info.filename} declares an XML document type or "
                        "entities, which Excel never writes (a way to make a file expand to "
                        "gigabytes when read); refused as unsafe. Save the data from Excel "
                        "into a new workbook"
                    )
    sheets = _sheet_parts(archive)
    if len(sheets) > limits.sheets:
        raise OohError(
            f"{path}: has {len(sheets)} sheets, above the limit of {limits.sheets}; "
            "delete the sheets ooh does not read"
        )
    cells = 0
    for name, part in sheets:
        rows, columns, count = _measure_sheet(archive, part, limits.rows, limits.cells - cells)
        if rows > limits.rows:
            raise OohError(
                f'{path}: sheet "{name}" has more than {limits.rows:,} rows (the limit per '
                "sheet); delete unused rows (select them, right-click, Delete) and save"
            )
        if columns > limits.columns:
            raise OohError(
                f'{path}: sheet "{name}" has {columns:,} columns, above the limit of '
                f"{limits.columns:,} columns per sheet; delete unused columns and save"
            )
        cells += count
        if cells > limits.cells:
            raise OohError(
                f"{path}: the workbook has more than {limits.cells:,} cells (the limit); "
                "delete unused sheets and rows, or split the data"
            )


def _sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, zip part) of every worksheet, in workbook order when it can be read."""
    names = set(archive.namelist())
    parts = sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml"))
    try:
        from defusedxml.ElementTree import fromstring

        book = fromstring(archive.read("xl/workbook.xml"))
        rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except Exception:  # unreadable or missing: name sheets by their parts
        return [(p.rsplit("/", 1)[-1], p) for p in parts]
    target = {
        r.get("Id"): "xl/" + str(r.get("Target", "")).lstrip("/").removeprefix("xl/") for r in rels
    }
    named: list[tuple[str, str]] = []
    for sheet in book.iter():
        if not sheet.tag.endswith("}sheet"):
            continue
        rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
        part = target.get(rid)
        if part in names and part in parts:
            named.append((str(sheet.get("name")), part))
    seen = {p for _, p in named}
    named += [(p.rsplit("/", 1)[-1], p) for p in parts if p not in seen]
    return named


def _column_number(letters: bytes | None) -> int:
    number = 0
    for ch in letters or b"":
        number = number * 26 + ch - 64
    return number


def _measure_sheet(
    archive: zipfile.ZipFile, part: str, max_rows: int, max_cells: int
) -> tuple[int, int, int]:
    """(rows, columns, cells) of one sheet: the larger of what it declares and what it holds.

    Stops reading once past ``max_rows`` or ``max_cells``: the sheet is refused anyway.
    """
    rows = cells = columns = declared_rows = 0
    tail = b""
    first = True
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            data = tail + chunk
            if first:
                if m := _DIMENSION.search(data[:_HEAD]):
                    columns = _column_number(m[3] or m[1])
                    declared_rows = int(m[4] or m[2] or 0)
                first = False
            # count tags starting before the last few bytes; the rest start the next chunk
            cut = max(0, len(data) - _OVERLAP)
            rows += _count_before(_ROW, data, cut)
            cells += _count_before(_CELL, data, cut)
            tail = data[cut:]
            if max(rows, declared_rows) > max_rows or cells > max_cells:
                return max(rows, declared_rows), columns, cells
        rows += len(_ROW.findall(tail))
        cells += len(_CELL.findall(tail))
    return max(rows, declared_rows), columns, cells


def _count_before(pattern: re.Pattern[bytes], data: bytes, cut: int) -> int:
    return len(pattern.findall(data)) - len(pattern.findall(data, cut))


# ---- CSV output ---------------------------------------------------------------------------

CSV_FORMULA_STARTS = (*FORMULA_STARTS, "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A CSV value a spreadsheet will show as text, never run as a formula.

    Text starting with =, +, -, @ (or a tab or carriage return, which some programs skip
    before one) gets a leading apostrophe; readers of ooh's own files strip it again.
    """
    if isinstance(value, str) and value.startswith(CSV_FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A whole CSV document (``\\n`` line ends), every text cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([csv_cell(h) for h in header])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return buffer.getvalue()


def write_csv(
    path: str | os.PathLike[str], header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> Path:
    """Write a CSV file whole or not at all (temp file, then rename), formula-safe."""
    text = csv_text(header, rows)

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8", newline="")

    return write_atomically(path, write)


def strip_guard(text: str) -> str:
    """Undo ``csv_cell``/``safe_text``: the apostrophe before a formula-looking text."""
    if text.startswith("'") and text[1:2] and text[1] in "".join(CSV_FORMULA_STARTS):
        return text[1:]
    return text


_FORMULA_TAG = re.compile(rb"<(?:\w{1,20}:)?f[\s>/]")


def has_formulas(path: str | os.PathLike[str]) -> bool:
    """Whether any sheet of a (checked) workbook holds a formula."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with archive.open(name) as part:
                    tail = b""
                    while chunk := part.read(_CHUNK):
                        if _FORMULA_TAG.search(tail + chunk):
                            return True
                        tail = chunk[-_OVERLAP:]
    return False
