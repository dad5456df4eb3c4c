"""The member-practice table, shared by the rota planner and gain-share attribution."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Practice:
    code: str
    name: str
    list_size: int  # registered patients
    weighted_list_size: float | None = None  # e.g. Carr-Hill weighted; None if not given
    locality: str | None = None
