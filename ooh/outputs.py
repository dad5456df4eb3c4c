"""Writing output files safely: temp file + rename, never over an input, never half-written."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

from ooh.errors import OohError


def file_sha256(path: str | os.PathLike[str]) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_output_path(
    output: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str]]
) -> Path:
    """Refuse an output that would overwrite an input, or that Excel has open."""
    out = Path(output)
    for given in inputs:
        if Path(given).exists() and out.exists() and out.resolve() == Path(given).resolve():
            raise OohError(
                f"{out}: the output would overwrite an input file; choose another -o path"
            )
    lock = out.with_name("~$" + out.name)
    if lock.exists():
        raise OohError(
            f"{out}: the file is open in Excel ({lock.name} exists); close it and run again"
        )
    if out.parent and not out.parent.exists():
        raise OohError(f"{out}: folder {out.parent} does not exist")
    return out


def write_atomically(output: str | os.PathLike[str], write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp_path)`` then move the finished file into place.

    An interrupted run leaves at most a stray temp file, never a half-written output.
    """
    out = Path(output)
    folder = out.parent or Path(".")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OohError(
            f"{out}: cannot write in folder {folder} ({exc.strerror or exc}); choose another "
            "output path"
        ) from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        if _deterministic and zipfile.is_zipfile(tmp):
            make_reproducible(tmp)
        tmp.chmod(_new_file_mode())  # mkstemp makes it private; outputs are ordinary files
        os.replace(tmp, out)
    except OSError as exc:  # disk full, output locked by another program, ...
        raise OohError(
            f"{out}: could not be written ({exc.strerror or exc}); nothing was changed"
        ) from None
    finally:
        if tmp.exists():
            tmp.unlink()
    return out


def _new_file_mode() -> int:
    """The mode a newly created file gets here: read/write as the user's umask allows."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


# ---- reproducible outputs (--deterministic) -------------------------------------------------
# A workbook is a zip: openpyxl stamps each member with the time of writing and the document
# properties with created/modified times. With deterministic outputs on (the --deterministic
# option of the commands that write files), those are fixed and no wall-clock time goes into
# the content, so the same inputs and seed give a byte-identical file.

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can record
FIXED_DOC_TIME = "1980-01-01T00:00:00Z"
NOT_RECORDED = "not recorded (--deterministic)"
_deterministic = False
_DOC_TIME = re.compile(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:)")


def set_deterministic(on: bool) -> None:
    """Switch reproducible outputs on or off for this process (the CLI option does this)."""
    global _deterministic
    _deterministic = bool(on)


def is_deterministic() -> bool:
    return _deterministic


def written_at() -> datetime | str:
    """The time to record as "Written at (UTC)"; a fixed note in deterministic mode."""
    if _deterministic:
        return NOT_RECORDED
    return datetime.now(UTC).replace(microsecond=0, tzinfo=None)


def make_reproducible(path: str | os.PathLike[str]) -> None:
    """Rewrite a zip (xlsx) in place with fixed member times and document-property times."""
    path = Path(path)
    with zipfile.ZipFile(path) as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w") as target:
        for info, data in members:
            if info.filename == "docProps/core.xml":
                data = _DOC_TIME.sub(lambda m: m[1] + FIXED_DOC_TIME.encode() + m[2], data)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = info.compress_type
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, data)
