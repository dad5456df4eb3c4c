"""Small rota instances built in code for the checker, explainer and output tests."""

from __future__ import annotations

from datetime import date, time

from ooh.rota.data import (
    Clinician,
    Practice,
    RotaData,
    Rules,
    Settings,
    Shift,
    ShiftType,
    Site,
)

# Monday 4 January 2027: no bank holidays in January after the 1st in England.
MONDAY = date(2027, 1, 4)
ALL_DAYS = frozenset(range(7))


def shift_type(
    id: str,
    start: time,
    end: time,
    *,
    site: str = "BASE-A",
    role: str = "GP",
    skills: frozenset[str] = frozenset(),
    days: frozenset[int] = ALL_DAYS,
    needed: int = 1,
    wanted: int = 1,
    pay_multiplier: float = 1.0,
    bank_holidays: bool = True,
) -> ShiftType:
    return ShiftType(
        id=id,
        site=site,
        role=role,
        start=start,
        end=end,
        days=days,
        bank_holidays=bank_holidays,
        needed=needed,
        wanted=wanted,
        skills=skills,
        pay_multiplier=pay_multiplier,
    )


EVE = shift_type("EVE", time(18, 30), time(23, 0))
NIGHT = shift_type("NIGHT", time(23, 0), time(8, 0))
DAY = shift_type("DAY", time(8, 0), time(18, 30))


def clinician(id: str, **kwargs: object) -> Clinician:
    fields: dict[str, object] = {
        "name": f"Dr {id}",
        "practice": "P1",
        "role": "GP",
        "hourly_rate": 100.0,
    }
    fields.update(kwargs)
    return Clinician(id=id, **fields)  # type: ignore[arg-type]


def rota_data(
    clinicians: list[Clinician] | None = None,
    shift_types: list[ShiftType] | None = None,
    *,
    weeks: int = 2,
    start: date = MONDAY,
    rules: Rules | None = None,
    **kwargs: object,
) -> RotaData:
    return RotaData(
        settings=Settings(period_start=start, weeks=weeks),
        practices=(Practice("P1", "Alpha Surgery", 6000), Practice("P2", "Beta Practice", 4000)),
        sites=(Site("BASE-A", "Base A"), Site("BASE-B", "Base B")),
        clinicians=tuple(clinicians or [clinician("C01")]),
        shift_types=tuple(shift_types or [EVE, NIGHT, DAY]),
        rules=rules or Rules(),
        **kwargs,  # type: ignore[arg-type]
    )


def sid(day: date, type_id: str) -> str:
    return f"{day.isoformat()}/{type_id}"


def shifts_by_id(shifts: list[Shift]) -> dict[str, Shift]:
    return {s.id: s for s in shifts}
