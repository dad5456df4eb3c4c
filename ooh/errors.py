"""Errors a user can cause, and how they are reported.

Every problem a user can fix (a bad cell, an unknown key, a missing file) is raised as an
``OohError``. The CLI turns it into ``Error: ...`` on stderr and exit code 1, with no
traceback. Readers collect every problem they find into one ``InputError`` so the user sees
them all at once.
"""

from __future__ import annotations

from dataclasses import dataclass


class OohError(Exception):
    """A problem the user can fix; its message is shown as is."""


@dataclass(frozen=True)
class Issue:
    """One problem in an input, located precisely.

    ``where`` names the place: ``"Clinicians!F12"`` for a cell, ``"Clinicians"`` for a sheet,
    ``"contract.toml: gain.tiers[1].share"`` for a key.
    """

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class InputError(OohError):
    """One or more problems in an input file, all reported together."""

    def __init__(self, issues: list[Issue], source: str = "") -> None:
        self.issues = list(issues)
        self.source = source
        super().__init__(self._text())

    def _text(self) -> str:
        n = len(self.issues)
        if n == 0 and self.source:  # a whole-file problem: the source says it all
            return self.source
        head = f"{self.source}: " if self.source else ""
        lines = [f"{head}{n} problem{'s' if n != 1 else ''} found"]
        lines += [f"  {issue}" for issue in self.issues]
        return "\n".join(lines)


class IssueCollector:
    """Collects issues while reading; raises them all at once with ``raise_if_any``."""

    def __init__(self, source: str = "") -> None:
        self.source = source
        self.issues: list[Issue] = []

    def add(self, where: str, message: str) -> None:
        self.issues.append(Issue(where, message))

    def __bool__(self) -> bool:
        return bool(self.issues)

    def raise_if_any(self) -> None:
        if self.issues:
            raise InputError(self.issues, self.source)
