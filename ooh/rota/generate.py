"""Seeded OOH-shaped rota instances by size, for benchmarks and scaling tests.

Sizes: S (5 practices, 2 weeks), M (20 practices, 4 weeks), L (50 practices, 8 weeks), XL (120
practices, 13 weeks: an integrated-care-board-wide service with more bases), or any
``<practices>x<weeks>`` such as ``80x10``. Every period includes Christmas and New Year.

The pieces are the sample generator's (``ooh.rota.sample``): its shift lines, staff groups,
clinician, availability, fixed-booking and request generators. What this module adds is the
layout of a service of any size, built from the sample's two-base federation:

- one treatment centre (base) per 10 practices, two localities per base; the sample's two
  bases are the templates (even-numbered bases run Kingsway's lines, odd ones Harbourside's);
- one home-visiting car per two bases and one telephone triage hub per 40 practices, each
  running the sample car's or hub's lines;
- staff of each group in proportion to the hours its role is wanted on those lines (relative
  to the sample), and the shifts each person offers in proportion to the period's length;
- a clinician works at the base of their practice's locality (some also at the next base),
  the car and hub serving it; salaried and locum GPs work anywhere.

At 20 practices the layout is the sample's own (same sites and lines). Only
``random.Random`` seeded from the size and seed is used: the same instance on every machine.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from ooh.practice import Practice
from ooh.rota.calendar import bank_holidays
from ooh.rota.data import Clinician, RotaData, Rules, Settings, ShiftType, Site
from ooh.rota.sample import (
    _PLACES,
    _PRACTICE_KINDS,
    _REALISTIC_STAFF,
    CHRISTMAS_LEAVE,
    MAX_LIST,
    MIN_LIST,
    REALISTIC_SITES,
    _availability,
    _clinicians,
    _realistic_lines,
    _requests,
    _Staff,
    christmas_bookings,
    christmas_leave,
)

CHRISTMAS_WEEK = date(2026, 12, 21)  # the Monday of Christmas week 2026
PATIENTS_PER_PRACTICE = 9_000
PRACTICES_PER_BASE = 10
BASES_PER_CAR = 2
PRACTICES_PER_HUB = 40
SAMPLE_WEEKS = 4  # the sample's period: offers and limits are per 4 weeks there
SAMPLE_REQUESTS_PER_100 = 10  # requests per 100 clinicians, as in the sample
MAX_PRACTICES = len(_PLACES) * len(_PRACTICE_KINDS)  # distinct practice names available

_LOCALITIES = (
    "North", "Central", "Coast", "West", "East", "South", "Vale", "Forest", "Downs", "Moor",
    "Valley", "Riverside", "Estuary", "Uplands", "Lakes", "Heath", "Marches", "Fens", "Weald",
    "Dales", "Borders", "Peaks", "Wolds", "Levels",
)  # fmt: skip
# Bases beyond the sample's two: (id, short name). Synthetic names.
_MORE_BASES = (
    ("ATC", "Abbeyfield"), ("RTC", "Riverside"), ("MTC", "Moorgate"), ("LTC", "Lindenfield"),
    ("FTC", "Foxhill"), ("CTC", "Crossways"), ("STC", "Stonebridge"), ("WTC", "Westmoor"),
    ("PTC", "Penhallow"), ("DTC", "Dunmere"),
)  # fmt: skip
_TEMPLATE_BASES = ("KTC", "HTC")  # the sample's bases: even bases copy KTC, odd ones HTC
_CAR, _HUB = "CAR", "HUB"


@dataclass(frozen=True)
class Size:
    name: str
    practices: int
    weeks: int


SIZES: dict[str, Size] = {
    "S": Size("S", 5, 2),
    "M": Size("M", 20, 4),
    "L": Size("L", 50, 8),
    "XL": Size("XL", 120, 13),
}
_CUSTOM = re.compile(r"^(\d+)x(\d+)$")


def parse_size(text: str) -> Size:
    """``S``, ``M``, ``L``, ``XL`` (any case) or ``<practices>x<weeks>``, e.g. ``80x10``."""
    name = text.strip()
    if name.upper() in SIZES:
        return SIZES[name.upper()]
    m = _CUSTOM.match(name.lower())
    if not m:
        raise ValueError(
            f"size {text!r}: use one of {', '.join(SIZES)} or <practices>x<weeks>, e.g. 80x10"
        )
    practices, weeks = int(m.group(1)), int(m.group(2))
    if not 1 <= practices <= MAX_PRACTICES:
        raise ValueError(f"size {text!r}: practices must be 1 to {MAX_PRACTICES}")
    if not 2 <= weeks <= 13:
        raise ValueError(f"size {text!r}: weeks must be 2 to 13")
    return Size(f"{practices}x{weeks}", practices, weeks)


@dataclass(frozen=True)
class Layout:
    """The service's sites: bases (treatment centres), cars and hubs, in that order."""

    bases: tuple[Site, ...]
    cars: tuple[Site, ...]
    hubs: tuple[Site, ...]

    @property
    def sites(self) -> tuple[Site, ...]:
        return self.bases + self.cars + self.hubs

    def car_of(self, base: int) -> str:
        return self.cars[base // BASES_PER_CAR].id

    def hub_of(self, base: int) -> str:
        return self.hubs[base * len(self.hubs) // len(self.bases)].id


def layout_for(practices: int) -> Layout:
    """Bases, cars and hubs for a service of ``practices`` practices (20: the sample's)."""
    n_bases = max(1, math.ceil(practices / PRACTICES_PER_BASE))
    sample = {s.id: s for s in REALISTIC_SITES}
    bases = [sample[b] for b in _TEMPLATE_BASES]
    bases += [Site(i, f"{name} Treatment Centre") for i, name in _MORE_BASES]
    if n_bases > len(bases):
        raise ValueError(
            f"at most {len(bases)} bases ({len(bases) * PRACTICES_PER_BASE} practices)"
        )
    n_cars = math.ceil(n_bases / BASES_PER_CAR)
    n_hubs = max(1, math.ceil(practices / PRACTICES_PER_HUB))
    car, hub = sample[_CAR], sample[_HUB]
    cars = [car] + [Site(f"{_CAR}{i}", f"{car.name} {i}") for i in range(2, n_cars + 1)]
    hubs = [hub] + [Site(f"{_HUB}{i}", f"{hub.name} {i}") for i in range(2, n_hubs + 1)]
    return Layout(tuple(bases[:n_bases]), tuple(cars), tuple(hubs))


def _short_name(site: Site) -> str:
    return site.name.removesuffix(" Treatment Centre")


def layout_lines(layout: Layout) -> tuple[ShiftType, ...]:
    """The sample's shift lines copied to every site of the layout, in the sample's order
    (each template line followed by its copies)."""
    sample = {s.id: s for s in REALISTIC_SITES}
    copies: dict[str, list[Site]] = {
        b: [s for i, s in enumerate(layout.bases) if i % 2 == k]
        for k, b in enumerate(_TEMPLATE_BASES)
    }
    copies[_CAR], copies[_HUB] = list(layout.cars), list(layout.hubs)
    lines = []
    for line in _realistic_lines():
        template = sample[line.site]
        for site in copies[line.site]:
            if site.id == line.site:
                lines.append(line)
                continue
            name = line.name
            if line.site in _TEMPLATE_BASES:
                name = name.replace(_short_name(template), _short_name(site), 1)
            else:
                name = f"{name}, {site.name[0].lower()}{site.name[1:]}"
            rest = line.id.split("-", 1)[1]
            lines.append(replace(line, id=f"{site.id}-{rest}", site=site.id, name=name))
    return tuple(lines)


def _weekly_hours(lines: tuple[ShiftType, ...]) -> dict[str, float]:
    """Hours a week each role is wanted (ordinary days; bank-holiday copies replace them)."""
    hours: dict[str, float] = {}
    for line in lines:
        hours[line.role] = hours.get(line.role, 0.0) + line.minutes / 60 * line.wanted * len(
            line.days
        )
    return hours


def _staff(lines: tuple[ShiftType, ...], weeks: int) -> tuple[_Staff, ...]:
    """The sample's staff groups, scaled to the hours wanted and to the period's length."""
    want, sample = _weekly_hours(lines), _weekly_hours(_realistic_lines())
    period = weeks / SAMPLE_WEEKS
    groups = []
    for g in _REALISTIC_STAFF:
        count = max(1, round(g.count * want.get(g.role, 0.0) / sample[g.role]))
        groups.append(
            replace(
                g,
                count=count,
                max_shifts=tuple(max(1, round(s * period)) for s in g.max_shifts),
                min_shifts=round(g.min_shifts * period),
            )
        )
    return tuple(groups)


def _practices(rng: random.Random, n: int, localities: tuple[str, ...]) -> tuple[Practice, ...]:
    """n practices with right-skewed list sizes (clipped to the sample's bounds)."""
    draws = [rng.lognormvariate(0.0, 0.5) for _ in range(n)]
    scale = n * PATIENTS_PER_PRACTICE / sum(draws)
    sizes = [min(MAX_LIST, max(MIN_LIST, round(d * scale))) for d in draws]
    names = rng.sample([f"{p} {k}" for p in _PLACES for k in _PRACTICE_KINDS], n)
    areas = [localities[i % len(localities)] for i in range(n)]
    rng.shuffle(areas)
    width = max(2, len(str(n)))
    practices = []
    for i, (size, name, area) in enumerate(zip(sizes, names, areas, strict=True)):
        weighted = float(round(size * rng.uniform(0.88, 1.14)))
        practices.append(Practice(f"P{i + 1:0{width}d}", name, size, weighted, area))
    return tuple(practices)


def _place(
    clinicians: list[Clinician], practices: tuple[Practice, ...], layout: Layout, weeks: int
) -> list[Clinician]:
    """Map the sample's kinds of site (near base, both bases, car, hub) onto the layout, and
    scale per-period limits (weekends worked) to the period's length."""
    locality_base = {
        loc: min(i // 2, len(layout.bases) - 1)
        for i, loc in enumerate(_LOCALITIES[: 2 * len(layout.bases)])
    }
    home_base = {p.code: locality_base[p.locality or ""] for p in practices}
    all_bases = {s.id for s in layout.bases}
    placed, rotation = [], 0
    for c in clinicians:
        if c.practice is None:
            home, rotation = rotation % len(layout.bases), rotation + 1
        else:
            home = home_base[c.practice]
        sites: set[str] = set()
        bases_in = [s for s in c.sites if s in _TEMPLATE_BASES]
        if c.practice is None and bases_in:
            sites |= all_bases  # salaried and locum GPs cover any base
        elif len(bases_in) > 1:  # also the neighbouring base, when there is one
            sites |= {layout.bases[home].id, layout.bases[(home + 1) % len(layout.bases)].id}
        elif bases_in:
            sites.add(layout.bases[home].id)
        if _CAR in c.sites:
            sites |= (
                {s.id for s in layout.cars}
                if c.practice is None and bases_in
                else {layout.car_of(home)}
            )
        if _HUB in c.sites:
            sites |= (
                {s.id for s in layout.hubs}
                if c.practice is None and bases_in
                else {layout.hub_of(home)}
            )
        weekends = c.max_weekends
        if weekends is not None:
            weekends = max(1, round(weekends * weeks / SAMPLE_WEEKS))
        placed.append(replace(c, sites=frozenset(sites), max_weekends=weekends))
    return placed


def period_start(weeks: int) -> date:
    """A Monday such that the period has Christmas and New Year inside it."""
    return CHRISTMAS_WEEK - timedelta(days=7 * ((weeks - 1) // 2))


def generate(size: str | Size, seed: int = 2026) -> RotaData:
    """An OOH-shaped rota instance of the given size; deterministic for (size, seed)."""
    size = parse_size(size) if isinstance(size, str) else size
    rng = random.Random(f"generate/{size.practices}x{size.weeks}/{seed}")
    layout = layout_for(size.practices)
    localities = _LOCALITIES[: 2 * len(layout.bases)]
    practices = _practices(rng, size.practices, localities)
    lines = layout_lines(layout)
    settings = Settings(period_start=period_start(size.weeks), weeks=size.weeks)
    holidays = bank_holidays(settings)
    # a second, shorter leave block is likelier in a longer period
    leave = christmas_leave(holidays, min(0.6, CHRISTMAS_LEAVE[2] * size.weeks / SAMPLE_WEEKS))
    staff = _staff(lines, size.weeks)
    clinicians = _clinicians(rng, practices, staff, REALISTIC_SITES)
    clinicians = _place(clinicians, practices, layout, size.weeks)
    grid = _availability(rng, clinicians, settings, lines, holidays, leave)
    by_id = {line.id: line for line in lines}
    taken: set[str] = set()
    fixed = christmas_bookings(rng, clinicians, grid, taken, by_id, holidays)
    n_requests = max(1, round(len(clinicians) * SAMPLE_REQUESTS_PER_100 / 100))
    requests = _requests(
        rng, clinicians, grid, settings, lines, holidays, taken, n_requests, leave.avoid_dates
    )
    return RotaData(
        settings=settings,
        practices=practices,
        sites=layout.sites,
        clinicians=tuple(clinicians),
        shift_types=lines,
        availability=grid,
        requests=tuple(requests),
        fixed=tuple(fixed),
        rules=Rules(),
    )
