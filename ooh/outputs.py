"""Writing output files safely: temp file + rename, never over an input, never half-written."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable
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
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent or ".")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            tmp.unlink()
    return out
