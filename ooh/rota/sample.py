"""Seeded generator of the sample federation and its rota inputs (synthetic names only).

The same practices are used by the rota sample and the gain-share sample activity, so both
engines describe one federation. Only ``random.Random(seed)`` is used, so the output is the
same on every machine; ``python -m ooh.rota.sample sample_inputs/`` rewrites the committed
sample workbooks, and a test fails if they drift from this code.
"""

from __future__ import annotations

import random

from ooh.practice import Practice

KINDS = ("small", "realistic")

_PLACES = (
    "Millbrook",
    "Harbour Lane",
    "Ashgrove",
    "Kingsmead",
    "Elm Tree",
    "Castle Street",
    "Northgate",
    "Westfield",
    "Orchard House",
    "Station Road",
    "Meadowbank",
    "Hillcrest",
    "Parkside",
    "Church View",
    "Beacon Hill",
    "Willowbrook",
    "Brookfield",
    "Oakwood",
    "Marsh Lane",
    "Fernhill",
    "Quayside",
    "Greenbank",
    "Larkspur",
    "Tannery Row",
)
_PRACTICE_KINDS = (
    "Surgery",
    "Medical Centre",
    "Health Centre",
    "Medical Practice",
    "Family Practice",
)
_LOCALITIES = ("North", "Central", "Coast", "West")

REALISTIC_PRACTICES = 20
REALISTIC_PATIENTS = 180_000
MIN_LIST, MAX_LIST = 3_000, 18_000


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"sample kind must be one of {', '.join(KINDS)}, got {kind!r}")


def _list_sizes(rng: random.Random, n: int, total: int) -> list[int]:
    """List sizes with a realistic right-skewed spread, within bounds, summing to about total."""
    while True:  # redraw (deterministically) until every scaled size is within bounds
        draws = [rng.lognormvariate(0.0, 0.5) for _ in range(n)]
        sizes = [int(round(d * total / sum(draws))) for d in draws]
        if all(MIN_LIST <= s <= MAX_LIST for s in sizes):
            return sizes


def _practice_names(rng: random.Random, n: int) -> list[str]:
    places = rng.sample(_PLACES, n)
    kinds = rng.choices(_PRACTICE_KINDS, weights=(5, 4, 2, 2, 1), k=n)
    return [f"{place} {suffix}" for place, suffix in zip(places, kinds, strict=True)]


def sample_practices(kind: str = "realistic", seed: int = 2026) -> tuple[Practice, ...]:
    """The sample federation's member practices.

    "realistic": 20 practices, about 180,000 registered patients, list sizes 3,000-18,000,
    weighted list sizes near the list sizes, four localities. "small": three practices.
    Codes are P01, P02, ... (synthetic, not ODS codes).
    """
    _check_kind(kind)
    rng = random.Random(f"practices/{kind}/{seed}")
    if kind == "small":
        n, total, localities = 3, 27_000, _LOCALITIES[:1]
    else:
        n, total, localities = REALISTIC_PRACTICES, REALISTIC_PATIENTS, _LOCALITIES
    sizes = _list_sizes(rng, n, total)
    names = _practice_names(rng, n)
    areas = [localities[i % len(localities)] for i in range(n)]
    rng.shuffle(areas)
    # Weighted (need-adjusted) lists differ from raw lists by a few per cent either way and,
    # across the federation, add up to about the same total.
    factors = [rng.uniform(0.88, 1.14) for _ in range(n)]
    norm = sum(sizes) / sum(f * s for f, s in zip(factors, sizes, strict=True))
    practices = []
    for i, (size, name, locality) in enumerate(zip(sizes, names, areas, strict=True)):
        weighted = float(round(size * factors[i] * norm))
        practices.append(Practice(f"P{i + 1:02d}", name, size, weighted, locality))
    return tuple(practices)
