"""Seeded generator of the sample federation and its rota inputs (synthetic names only).

The same practices are used by the rota sample and the gain-share sample activity, so both
engines describe one federation. Only ``random.Random(seed)`` is used, so the output is the
same on every machine; ``python -m ooh.rota.sample sample_inputs/`` rewrites the committed
sample workbooks, and a test fails if they drift from this code.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path

from ooh.practice import Practice
from ooh.rota.calendar import bank_holidays, runs_on
from ooh.rota.data import (
    AVAILABLE,
    Availability,
    AvailabilityKind,
    Clinician,
    FixedBooking,
    Request,
    RotaData,
    Rules,
    Settings,
    ShiftType,
    Site,
)

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
_LOCALITIES: tuple[str, ...] = ("North", "Central", "Coast", "West")

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


# ---- rota sample ---------------------------------------------------------------------

REALISTIC_START = date(2026, 12, 14)  # 4 weeks: Christmas, Boxing Day and New Year inside
SMALL_START = date(2027, 5, 24)  # 2 weeks: the Spring bank holiday (31 May 2027) inside

_FIRST = (
    "Ada", "Ben", "Chloe", "Daniel", "Eleanor", "Farah", "George", "Hannah", "Imran", "Jess",
    "Kofi", "Laura", "Mohammed", "Niamh", "Owen", "Priya", "Rhys", "Sarah", "Tom", "Uma",
    "Victor", "Wendy", "Yusuf", "Zoe", "Amira", "Callum", "Deepa", "Ewan", "Fiona", "Gareth",
    "Holly", "Isaac", "Jasmine", "Kieran", "Leah", "Marcus", "Nadia", "Oliver", "Poppy", "Rosa",
    "Sam", "Tara", "Aisha", "Bethan", "Connor", "Dylan", "Erin", "Freya", "Harvey", "Ivy",
    "Jack", "Katie", "Liam", "Megan", "Nathan", "Olivia", "Rory", "Sophie", "Theo", "Yasmin",
)  # fmt: skip
_LAST = (
    "Byrne", "Patel", "Hughes", "Okafor", "Walsh", "Khan", "Morgan", "Evans", "Clarke", "Shah",
    "Murphy", "Reid", "Campbell", "Hussain", "Fletcher", "Lloyd", "Osei", "Bennett", "Doyle",
    "Ali", "Harper", "Kaur", "Foster", "Nolan", "Pritchard", "Ahmed", "Gallagher", "Sutton",
    "Rahman", "Marsh", "Baxter", "Quinn", "Holt", "Mensah", "Lowe", "Carver", "Dunn", "Iqbal",
    "Porter", "Rowe", "Sinclair", "Thorne", "Varma", "Wade", "Yates", "Barker", "Chowdhury",
    "Ellis", "Greer", "Hale",
)  # fmt: skip

GP, ANP, PARAMEDIC, DRIVER, CALL_HANDLER = "GP", "ANP", "Paramedic", "Driver", "Call handler"
TRIAGE, HOME_VISITS = "telephone triage", "home visits"

WEEKDAY_DAYS = frozenset(range(5))
WEEKEND_DAYS = frozenset({5, 6})
EVERY_DAY = frozenset(range(7))


def _t(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def _line(
    line_id: str,
    site: str,
    role: str,
    hours: str,
    days: frozenset[int],
    name: str,
    *,
    bank_holidays: bool = False,
    needed: int = 1,
    wanted: int | None = None,
    priority: int = 3,
    pay: float = 1.0,
    skills: tuple[str, ...] = (),
) -> ShiftType:
    start, end = hours.split("-")
    return ShiftType(
        id=line_id,
        site=site,
        role=role,
        start=_t(start),
        end=_t(end),
        days=days,
        bank_holidays=bank_holidays,
        needed=needed,
        wanted=needed if wanted is None else wanted,
        priority=priority,
        pay_multiplier=pay,
        skills=frozenset(skills),
        name=name,
    )


REALISTIC_SITES: tuple[Site, ...] = (
    Site("KTC", "Kingsway Treatment Centre"),
    Site("HTC", "Harbourside Treatment Centre"),
    Site("CAR", "Home visiting car"),
    Site("HUB", "Telephone triage hub"),
)
BASE_OF_LOCALITY = {"North": "KTC", "Central": "KTC", "Coast": "HTC", "West": "HTC"}
NIGHT_PAY, BANK_HOLIDAY_PAY = 1.3, 1.5
# Chance of a leave block over Christmas and New Year for practice clinicians, for service
# staff, and of a shorter block elsewhere in the period.
CHRISTMAS_LEAVE = (0.65, 0.8, 0.15)

# Weekend day lines; on bank holidays a copy of each runs instead, at bank-holiday rates and
# with one more place wanted on the busiest clinical lines (peak demand).
# (id, site, role, hours, name, needed, wanted, priority, skills, extra wanted on a bank holiday)
_WEEKEND_LINES: tuple[tuple[str, str, str, str, str, int, int, int, tuple[str, ...], int], ...] = (
    ("KTC-GP-AM", "KTC", GP, "08:00-14:00", "Kingsway GP morning", 1, 1, 4, (), 1),
    ("KTC-GP-PM", "KTC", GP, "14:00-20:00", "Kingsway GP afternoon", 1, 1, 4, (), 1),
    ("KTC-GP-LATE", "KTC", GP, "20:00-23:00", "Kingsway GP late", 1, 1, 3, (), 0),
    ("HTC-GP-AM", "HTC", GP, "08:00-14:00", "Harbourside GP morning", 1, 1, 4, (), 0),
    ("HTC-GP-PM", "HTC", GP, "14:00-20:00", "Harbourside GP afternoon", 1, 1, 4, (), 0),
    ("HUB-GP-AM", "HUB", GP, "08:00-15:30", "Triage GP day", 1, 2, 4, (TRIAGE,), 0),
    ("HUB-GP-PM", "HUB", GP, "15:30-23:00", "Triage GP evening", 1, 1, 4, (TRIAGE,), 1),
    ("HUB-ANP-AM", "HUB", ANP, "08:00-15:30", "Triage ANP day", 1, 1, 3, (TRIAGE,), 0),
    ("HUB-ANP-PM", "HUB", ANP, "15:30-23:00", "Triage ANP evening", 1, 1, 3, (TRIAGE,), 0),
    ("CAR-GP-AM", "CAR", GP, "08:00-15:30", "Visiting GP day", 1, 1, 5, (HOME_VISITS,), 0),
    ("CAR-GP-PM", "CAR", GP, "15:30-23:00", "Visiting GP evening", 1, 1, 5, (HOME_VISITS,), 0),
    ("CAR-DRV-AM", "CAR", DRIVER, "08:00-15:30", "Driver day", 1, 1, 5, (), 0),
    ("CAR-DRV-PM", "CAR", DRIVER, "15:30-23:00", "Driver evening", 1, 1, 5, (), 0),
    ("CAR-PAR-DAY", "CAR", PARAMEDIC, "08:00-20:00", "Visiting paramedic", 1, 1, 2, (), 0),
    ("HUB-CH-AM", "HUB", CALL_HANDLER, "08:00-15:30", "Call handlers day", 2, 3, 4, (), 0),
    ("HUB-CH-PM", "HUB", CALL_HANDLER, "15:30-23:00", "Call handlers evening", 2, 3, 4, (), 0),
)


def _realistic_lines() -> tuple[ShiftType, ...]:
    """Typical OOH lines: weekday evenings, weekend and bank-holiday days, overnight cover."""
    eve = "18:30-23:00"
    lines = [
        _line("KTC-GP-EVE", "KTC", GP, eve, WEEKDAY_DAYS, "Kingsway GP evening", priority=4),
        _line("HTC-GP-EVE", "HTC", GP, eve, WEEKDAY_DAYS, "Harbourside GP evening", priority=4),
        _line(
            "HUB-GP-EVE", "HUB", GP, eve, WEEKDAY_DAYS, "Triage GP evening",
            wanted=2, priority=4, skills=(TRIAGE,),
        ),
        _line(
            "HUB-ANP-EVE", "HUB", ANP, eve, WEEKDAY_DAYS, "Triage ANP evening", skills=(TRIAGE,)
        ),
        _line(
            "CAR-GP-EVE", "CAR", GP, eve, WEEKDAY_DAYS, "Visiting GP evening",
            priority=5, skills=(HOME_VISITS,),
        ),
        _line("CAR-DRV-EVE", "CAR", DRIVER, eve, WEEKDAY_DAYS, "Driver evening", priority=5),
        _line(
            "CAR-PAR-EVE", "CAR", PARAMEDIC, eve, WEEKDAY_DAYS, "Visiting paramedic evening",
            needed=0, wanted=1, priority=2,
        ),
        _line(
            "HUB-CH-EVE", "HUB", CALL_HANDLER, eve, WEEKDAY_DAYS, "Call handlers evening",
            needed=2, wanted=3, priority=4,
        ),
    ]  # fmt: skip
    for line_id, site, role, hours, name, needed, wanted, prio, skills, _ in _WEEKEND_LINES:
        lines.append(
            _line(
                line_id, site, role, hours, WEEKEND_DAYS, f"{name} (weekend)",
                needed=needed, wanted=wanted, priority=prio, skills=skills,
            )
        )  # fmt: skip
    for line_id, site, role, hours, name, needed, wanted, prio, skills, extra in _WEEKEND_LINES:
        lines.append(
            _line(
                f"{line_id}-BH", site, role, hours, frozenset(), f"{name} (bank holiday)",
                bank_holidays=True, needed=needed, wanted=wanted + extra,
                priority=min(5, prio + 1), pay=BANK_HOLIDAY_PAY, skills=skills,
            )
        )  # fmt: skip
    night = "23:00-08:00"
    for line_id, site, role, name, skills in (
        ("CAR-GP-NIGHT", "CAR", GP, "Visiting GP overnight", (HOME_VISITS,)),
        ("CAR-DRV-NIGHT", "CAR", DRIVER, "Driver overnight", ()),
        ("HUB-GP-NIGHT", "HUB", GP, "Triage GP overnight", (TRIAGE,)),
        ("HUB-CH-NIGHT", "HUB", CALL_HANDLER, "Call handler overnight", ()),
    ):
        lines.append(
            _line(
                line_id, site, role, night, EVERY_DAY, name, bank_holidays=True,
                priority=5, pay=NIGHT_PAY, skills=skills,
            )
        )  # fmt: skip
    return tuple(lines)


SMALL_SITES: tuple[Site, ...] = (
    Site("BASE", "Millbrook Treatment Centre"),
    Site("HUB", "Telephone triage hub"),
)


def _small_lines() -> tuple[ShiftType, ...]:
    return (
        _line("BASE-GP-EVE", "BASE", GP, "18:30-23:00", WEEKDAY_DAYS, "Base GP evening",
              priority=4),
        _line("BASE-GP-DAY", "BASE", GP, "08:00-18:30", WEEKEND_DAYS, "Base GP day",
              bank_holidays=True, wanted=2, priority=4),
        _line("HUB-ANP-EVE", "HUB", ANP, "18:30-23:00", EVERY_DAY, "Triage ANP evening",
              bank_holidays=True, skills=(TRIAGE,)),
        _line("BASE-GP-NIGHT", "BASE", GP, "23:00-08:00", EVERY_DAY, "Base GP overnight",
              bank_holidays=True, priority=5, pay=NIGHT_PAY),
    )  # fmt: skip


@dataclass(frozen=True)
class _Staff:
    """A group of clinicians alike in role, employer, pay and what they offer."""

    prefix: str  # id prefix: GP01, ANP03, ...
    role: str
    count: int
    employer: str  # "practice" (offered by a member practice), "salaried" or "locum"
    rate: tuple[float, float, float]  # lowest, highest, step (GBP per hour)
    skills: tuple[tuple[str, float], ...]  # (skill, probability of holding it)
    max_shifts: tuple[int, ...]  # drawn from
    max_hours: tuple[float, ...]  # drawn from
    min_shifts: int = 0
    title: str = ""


_REALISTIC_STAFF: tuple[_Staff, ...] = (
    _Staff("GP", GP, 49, "practice", (90, 110, 1), ((TRIAGE, 0.75), (HOME_VISITS, 0.55)),
           (5, 6, 6, 7, 7, 8, 9, 10), (16, 20, 24, 24, 30), title="Dr "),
    _Staff("GP", GP, 3, "salaried", (95, 105, 1), ((TRIAGE, 1.0), (HOME_VISITS, 1.0)),
           (16,), (48,), min_shifts=8, title="Dr "),
    _Staff("LOC", GP, 4, "locum", (130, 150, 5), ((TRIAGE, 0.5), (HOME_VISITS, 0.5)),
           (4, 5, 6), (48,), title="Dr "),
    _Staff("ANP", ANP, 10, "practice", (55, 65, 1), ((TRIAGE, 0.9),),
           (4, 5, 6, 7, 8), (24, 30, 36)),
    _Staff("PAR", PARAMEDIC, 4, "practice", (42, 48, 1), ((HOME_VISITS, 1.0),),
           (4, 5, 6, 8), (30, 36)),
    _Staff("PAR", PARAMEDIC, 3, "salaried", (42, 48, 1), ((HOME_VISITS, 1.0),),
           (8, 10), (48,)),
    _Staff("DRV", DRIVER, 8, "salaried", (15.5, 17, 0.5), (), (8, 10, 12, 14), (48,)),
    _Staff("CH", CALL_HANDLER, 15, "salaried", (13.5, 14.5, 0.25), (), (8, 10, 12, 14),
           (40, 48)),
)  # fmt: skip

_SMALL_STAFF: tuple[_Staff, ...] = (
    _Staff("GP", GP, 9, "practice", (90, 110, 1), ((TRIAGE, 0.7),), (3, 4, 5, 6), (20, 24, 30),
           title="Dr "),
    _Staff("GP", GP, 1, "salaried", (95, 105, 1), ((TRIAGE, 1.0),), (8,), (48,), min_shifts=3,
           title="Dr "),
    _Staff("LOC", GP, 1, "locum", (130, 150, 5), ((TRIAGE, 1.0),), (6,), (48,), title="Dr "),
    _Staff("ANP", ANP, 4, "practice", (55, 65, 1), ((TRIAGE, 1.0),), (4, 5, 6), (24, 30)),
)  # fmt: skip


def _rate(rng: random.Random, low: float, high: float, step: float) -> float:
    steps = int(round((high - low) / step))
    return low + step * rng.randint(0, steps)


def _names(rng: random.Random, n: int) -> list[tuple[str, str]]:
    """n distinct synthetic (first, last) name pairs."""
    pairs = [(first, last) for first in _FIRST for last in _LAST]
    return rng.sample(pairs, n)


def _appetite(rng: random.Random, practices: tuple[Practice, ...]) -> dict[str, float]:
    """How much each practice offers relative to its list size: unevenly, as in life."""
    return {p.code: p.list_size * rng.uniform(0.8, 1.3) for p in practices}


def _allocate(appetite: dict[str, float], n: int, floor: int) -> list[str]:
    """Practice codes for n clinicians in proportion to appetite (largest remainder), each
    practice at least ``floor``."""
    total = sum(appetite.values())
    quotas = {code: n * a / total for code, a in appetite.items()}
    counts = {code: max(floor, int(q)) for code, q in quotas.items()}
    by_remainder = sorted(quotas, key=lambda code: (int(quotas[code]) - quotas[code], code))
    for code in by_remainder[: max(0, n - sum(counts.values()))]:
        counts[code] += 1
    return [code for code in sorted(counts) for _ in range(counts[code])]


def _clinicians(
    rng: random.Random,
    practices: tuple[Practice, ...],
    staff: tuple[_Staff, ...],
    sites: tuple[Site, ...],
) -> list[Clinician]:
    site_ids = [s.id for s in sites]
    names = _names(rng, sum(group.count for group in staff))
    numbers: dict[str, int] = {}
    appetite = _appetite(rng, practices)
    clinicians = []
    for group in staff:
        if group.employer == "practice":
            floor = 1 if group.count >= len(practices) else 0
            homes: list[str | None] = list(_allocate(appetite, group.count, floor))
        else:
            homes = [None] * group.count
        offers = _offers(rng, appetite, homes, group)
        locality = {p.code: p.locality for p in practices}
        for home, offer in zip(homes, offers, strict=True):
            numbers[group.prefix] = numbers.get(group.prefix, 0) + 1
            first, last = names.pop()
            skills = frozenset(s for s, chance in group.skills if rng.random() < chance)
            clinicians.append(
                Clinician(
                    id=f"{group.prefix}{numbers[group.prefix]:02d}",
                    name=f"{group.title}{first} {last}",
                    practice=home,
                    role=group.role,
                    skills=skills,
                    sites=_sites_for(rng, group, skills, locality.get(home or ""), site_ids),
                    max_hours_per_week=float(rng.choice(group.max_hours)),
                    min_shifts=group.min_shifts,
                    max_shifts=offer,
                    max_consecutive_nights=2 if rng.random() < 0.3 else None,
                    max_weekends=2 if group.employer == "practice" and rng.random() < 0.3 else None,
                    hourly_rate=_rate(rng, *group.rate),
                    is_locum=group.employer == "locum",
                )
            )
    return clinicians


def _offers(
    rng: random.Random, appetite: dict[str, float], homes: list[str | None], group: _Staff
) -> list[int]:
    """Shifts each clinician offers in the period (their maximum).

    When every practice offers someone of the group, a practice's clinicians together offer
    about its appetite-share of the group's total, split unevenly between them; so a small
    practice with one GP has a keen GP rather than an unfairly small contribution.
    """
    if group.employer != "practice" or len(set(homes)) < len(appetite):
        return [rng.choice(group.max_shifts) for _ in homes]
    mean = sum(group.max_shifts) / len(group.max_shifts)
    total = sum(appetite.values())
    offers = []
    for code in sorted(appetite):
        members = [h for h in homes if h == code]
        budget = group.count * mean * appetite[code] / total
        weights = [rng.uniform(0.6, 1.4) for _ in members]
        offers += [max(2, round(budget * w / sum(weights))) for w in weights]
    return offers


def _sites_for(
    rng: random.Random,
    group: _Staff,
    skills: frozenset[str],
    locality: str | None,
    site_ids: list[str],
) -> frozenset[str]:
    """Where a clinician works: roles keep to their usual sites; GPs to their nearer base
    (some to both), the triage hub if trained in triage, the car if they do home visits."""
    if group.role in (DRIVER, PARAMEDIC):
        return frozenset({"CAR"})
    if group.role in (ANP, CALL_HANDLER):
        return frozenset(s for s in site_ids if s == "HUB")
    bases = [s for s in site_ids if s not in ("CAR", "HUB")]
    near = BASE_OF_LOCALITY.get(locality or "", bases[0])
    if near not in bases:
        near = bases[0]
    chosen = set(bases) if group.employer != "practice" or rng.random() < 0.3 else {near}
    if TRIAGE in skills and "HUB" in site_ids:
        chosen.add("HUB")
    if HOME_VISITS in skills and "CAR" in site_ids:
        chosen.add("CAR")
    return frozenset(chosen)


def _can_work(c: Clinician, line: ShiftType) -> bool:
    return c.role == line.role and line.skills <= c.skills and (not c.sites or line.site in c.sites)


@dataclass(frozen=True)
class _Leave:
    """When people take leave: a peak window (school holidays) and how likely a block is."""

    peak_first: date
    peak_last: date
    peak_chance: float  # practice clinicians and locums
    staff_peak_chance: float  # service staff (drivers, call handlers, salaried)
    other_chance: float  # a shorter block elsewhere in the period
    avoid_dates: tuple[date, ...]  # dates people ask not to work or would rather not


def _availability(
    rng: random.Random,
    clinicians: list[Clinician],
    settings: Settings,
    lines: tuple[ShiftType, ...],
    holidays: dict[date, str],
    leave: _Leave,
) -> dict[tuple[str, date], Availability]:
    """The availability grid: regular days off, leave (more at the peak), a few weekend-only
    or no-weekend people, preferences, and some days offering only triage from home."""
    dates = settings.dates
    grid: dict[tuple[str, date], Availability] = {}
    unavailable = Availability(AvailabilityKind.UNAVAILABLE)
    for c in clinicians:
        days: dict[date, Availability] = {}
        in_practice = c.practice is not None
        if in_practice and rng.random() < 0.6:  # a regular evening they cannot do
            off = set(rng.sample(range(5), rng.choice((1, 1, 2))))
            for d in dates:
                if d.weekday() in off and d not in holidays:
                    days[d] = unavailable
        pattern = rng.random()
        if in_practice and pattern < 0.1:  # weekends and bank holidays only
            for d in dates:
                if d.weekday() < 5 and d not in holidays:
                    days[d] = unavailable
        elif in_practice and pattern < 0.2:  # never weekends
            for d in dates:
                if d.weekday() >= 5:
                    days[d] = unavailable
        if c.is_locum:  # agency locums are mostly booked elsewhere over the peak
            chance = min(1.0, 1.3 * leave.peak_chance)
        elif in_practice:
            chance = leave.peak_chance
        else:
            chance = leave.staff_peak_chance
        if c.min_shifts:  # salaried with a contracted minimum: short leave only
            chance, shortest, longest = chance / 2, 2, 3
        else:
            shortest, longest = 4, 10
        if rng.random() < chance:
            span = (leave.peak_last - leave.peak_first).days
            first = leave.peak_first + timedelta(days=rng.randint(0, span))
            for i in range(rng.randint(shortest, longest)):
                days[first + timedelta(days=i)] = unavailable
        if rng.random() < leave.other_chance:
            first = rng.choice(dates)
            for i in range(rng.randint(2, min(5, longest))):
                days[first + timedelta(days=i)] = unavailable
        free = [d for d in dates if d not in days]
        if free and rng.random() < 0.3:
            for d in rng.sample(free, min(len(free), rng.randint(1, 3))):
                days[d] = Availability(AvailabilityKind.PREFERS)
        free = [d for d in dates if d not in days]
        if free and rng.random() < 0.3:
            avoid = [d for d in leave.avoid_dates if d in free]
            pick = avoid if avoid and rng.random() < 0.6 else rng.sample(free, 1)
            for d in pick:
                days[d] = Availability(AvailabilityKind.PREFERS_NOT)
        if c.role == GP and TRIAGE in c.skills and rng.random() < 0.2:
            free = [d for d in dates if d not in days]
            for d in rng.sample(free, min(len(free), rng.randint(2, 4))):
                remote = sorted(
                    line.id
                    for line in lines
                    if line.site == "HUB" and _can_work(c, line) and runs_on(line, d, d in holidays)
                )
                if remote:
                    days[d] = Availability(AvailabilityKind.ONLY, frozenset(remote))
        for d, value in days.items():
            if settings.period_start <= d <= settings.period_end:
                grid[(c.id, d)] = value
    return grid


def _book(
    rng: random.Random,
    clinicians: list[Clinician],
    grid: dict[tuple[str, date], Availability],
    taken: set[str],
    day: date,
    line: ShiftType,
    who: str,
) -> FixedBooking:
    """A fixed booking someone agreed to: an eligible clinician (``who``: "practice",
    "salaried") who then shows the date as preferred, so the booking is legal."""
    pool = [
        c
        for c in clinicians
        if c.id not in taken
        and not c.is_locum
        and _can_work(c, line)
        and (c.practice is not None) == (who == "practice")
        and (c.max_weekends is None or day.weekday() < 5)
    ]
    chosen = rng.choice(pool)
    taken.add(chosen.id)
    grid[(chosen.id, day)] = Availability(AvailabilityKind.PREFERS)
    return FixedBooking(chosen.id, day, line.id)


def _requests(
    rng: random.Random,
    clinicians: list[Clinician],
    grid: dict[tuple[str, date], Availability],
    settings: Settings,
    lines: tuple[ShiftType, ...],
    holidays: dict[date, str],
    taken: set[str],
    count: int,
    avoid_dates: tuple[date, ...],
) -> list[Request]:
    """A few requests: some to avoid a festive date, some to work a particular shift."""
    requests: list[Request] = []
    people = [c for c in clinicians if c.id not in taken and not c.is_locum]
    for c in rng.sample(people, count):
        free = [
            d
            for d in settings.dates
            if grid.get((c.id, d), AVAILABLE).kind is not AvailabilityKind.UNAVAILABLE
        ]
        if not free:
            continue
        avoid = [d for d in avoid_dates if d in free]
        if avoid and rng.random() < 0.5:
            requests.append(Request(c.id, rng.choice(avoid), None, want=False, weight=2))
            continue
        day = rng.choice(free)
        options = sorted(
            line.id
            for line in lines
            if _can_work(c, line)
            and runs_on(line, day, day in holidays)
            and grid.get((c.id, day), AVAILABLE).allows(line.id)
        )
        if options:
            requests.append(Request(c.id, day, rng.choice(options), want=True, weight=1))
    return requests


def _christmas_days(holidays: dict[date, str]) -> tuple[date, date, date]:
    """Christmas Eve, Christmas Day and New Year's Eve of a period with Christmas in it."""
    christmas = next(d for d, name in holidays.items() if name == "Christmas Day")
    return christmas - timedelta(days=1), christmas, christmas + timedelta(days=6)


def christmas_leave(holidays: dict[date, str], other_chance: float = CHRISTMAS_LEAVE[2]) -> _Leave:
    """Leave blocks peak within three days of Christmas; people would rather not work
    Christmas Eve, Christmas Day or New Year's Eve. (Shared with ``ooh.rota.generate``.)"""
    eve, christmas, new_years_eve = _christmas_days(holidays)
    peak, staff_peak = CHRISTMAS_LEAVE[0], CHRISTMAS_LEAVE[1]
    return _Leave(christmas - timedelta(days=3), christmas + timedelta(days=3), peak,
                  staff_peak, other_chance, (eve, new_years_eve, christmas))  # fmt: skip


def christmas_bookings(
    rng: random.Random,
    clinicians: list[Clinician],
    grid: dict[tuple[str, date], Availability],
    taken: set[str],
    lines: dict[str, ShiftType],
    holidays: dict[date, str],
) -> list[FixedBooking]:
    """Fixed bookings agreed in advance: a salaried GP on Christmas Day's Kingsway morning, a
    practice GP on New Year's Eve's triage night, a salaried driver on the next bank holiday's
    car morning. (Shared with ``ooh.rota.generate``.)"""
    _, christmas, new_years_eve = _christmas_days(holidays)
    after = sorted(holidays)[1]
    return [
        _book(rng, clinicians, grid, taken, christmas, lines["KTC-GP-AM-BH"], "salaried"),
        _book(rng, clinicians, grid, taken, new_years_eve, lines["HUB-GP-NIGHT"], "practice"),
        _book(rng, clinicians, grid, taken, after, lines["CAR-DRV-AM-BH"], "salaried"),
    ]


def generate_rota_data(kind: str = "realistic", seed: int = 2026) -> RotaData:
    """Synthetic rota inputs for the sample federation (same practices as the gain-share
    sample). "realistic": 20 practices, about 100 clinicians, four sites, 4 weeks over
    Christmas and New Year. "small": 3 practices, 15 clinicians, 4 lines, 2 weeks with the
    Spring bank holiday. Deterministic for a given kind and seed."""
    _check_kind(kind)
    rng = random.Random(f"rota/{kind}/{seed}")
    practices = sample_practices(kind, seed)
    if kind == "realistic":
        settings = Settings(period_start=REALISTIC_START, weeks=4)
        sites, lines, staff = REALISTIC_SITES, _realistic_lines(), _REALISTIC_STAFF
    else:
        settings = Settings(period_start=SMALL_START, weeks=2)
        sites, lines, staff = SMALL_SITES, _small_lines(), _SMALL_STAFF
    holidays = bank_holidays(settings)  # from the maintained calendar, never typed in
    festive = sorted(holidays)
    if kind == "realistic":
        leave = christmas_leave(holidays)
    else:
        half_term = festive[0]  # the Spring bank holiday starts the school half-term week
        leave = _Leave(half_term, half_term + timedelta(days=4), 0.3, 0.2, 0.1, (half_term,))
    clinicians = _clinicians(rng, practices, staff, sites)
    grid = _availability(rng, clinicians, settings, lines, holidays, leave)
    by_id = {line.id: line for line in lines}
    taken: set[str] = set()
    if kind == "realistic":
        fixed = christmas_bookings(rng, clinicians, grid, taken, by_id, holidays)
        n_requests = 10
    else:
        fixed = [_book(rng, clinicians, grid, taken, festive[0], by_id["BASE-GP-DAY"], "salaried")]
        n_requests = 3
    requests = _requests(
        rng, clinicians, grid, settings, lines, holidays, taken, n_requests, leave.avoid_dates
    )
    return RotaData(
        settings=settings,
        practices=practices,
        sites=sites,
        clinicians=tuple(clinicians),
        shift_types=lines,
        availability=grid,
        requests=tuple(requests),
        fixed=tuple(fixed),
        rules=Rules(),
    )


SAMPLE_FILES = {"small": "rota-small.xlsx", "realistic": "rota-realistic.xlsx"}


def write_samples(folder: str | Path, seed: int = 2026) -> list[Path]:
    """Write the small and realistic sample input workbooks into folder; return their paths."""
    from ooh.rota.io import write_input_workbook

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for kind, filename in SAMPLE_FILES.items():
        path = out / filename
        write_input_workbook(generate_rota_data(kind, seed), path)
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    """``python -m ooh.rota.sample FOLDER``: regenerate the committed sample workbooks."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m ooh.rota.sample FOLDER", file=sys.stderr)
        return 2
    for path in write_samples(args[0]):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
