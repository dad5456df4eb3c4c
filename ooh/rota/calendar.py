"""Period -> dated shifts, with bank holidays from the maintained ``holidays`` calendar.

On a bank holiday only the shift lines marked to run on bank holidays run, all day,
whatever the weekday; on other dates a line runs on the weekdays it lists. A shift whose end
time is at or before its start time ends the next day (it crosses midnight).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from ooh.rota.data import Cover, RotaData, Settings, Shift, ShiftType

SUBDIVISIONS = {"England": "ENG", "Wales": "WLS", "Scotland": "SCT", "Northern Ireland": "NIR"}


def bank_holidays(settings: Settings) -> dict[date, str]:
    """Bank holidays (date -> name) in the period, for the settings' nation."""
    import holidays  # imported here: only needed when a period is expanded

    start, end = settings.period_start, settings.period_end
    years = range(start.year, end.year + 1)
    calendar = holidays.country_holidays("GB", subdiv=SUBDIVISIONS[settings.nation], years=years)
    return {d: str(name) for d, name in sorted(calendar.items()) if start <= d <= end}


def runs_on(shift_type: ShiftType, day: date, is_bank_holiday: bool) -> bool:
    if is_bank_holiday:
        return shift_type.bank_holidays
    return day.weekday() in shift_type.days


def shift_id(day: date, shift_type_id: str) -> str:
    return f"{day.isoformat()}/{shift_type_id}"


def make_shift(shift_type: ShiftType, day: date, is_bank_holiday: bool) -> Shift:
    start = datetime.combine(day, shift_type.start)
    end = start + timedelta(minutes=shift_type.minutes)
    return Shift(shift_id(day, shift_type.id), shift_type, day, start, end, is_bank_holiday)


def build_shifts(data: RotaData, holidays_in_period: dict[date, str] | None = None) -> list[Shift]:
    """Every dated shift in the period, ordered by start time then shift type id."""
    if holidays_in_period is None:
        holidays_in_period = bank_holidays(data.settings)
    covers = {(c.date, c.shift_type): c for c in data.cover}
    shifts = [
        make_shift(dated_type(st, day, covers), day, day in holidays_in_period)
        for day in data.settings.dates
        for st in data.shift_types
        if runs_on(st, day, day in holidays_in_period)
    ]
    shifts.sort(key=lambda s: (s.start, s.type.id))
    return shifts


def dated_type(st: ShiftType, day: date, covers: dict[tuple[date, str], Cover]) -> ShiftType:
    """The line as it runs on ``day``: a dated cover row replaces its places and weights, so
    every reader of ``shift.type.needed`` (solver, checker, reports) sees that day's cover."""
    cover = covers.get((day, st.id))
    if cover is None:
        return st
    return replace(
        st,
        needed=cover.needed,
        wanted=cover.needed if cover.wanted is None else cover.wanted,
        under_weight=st.under_weight if cover.under_weight is None else cover.under_weight,
        over_weight=st.over_weight if cover.over_weight is None else cover.over_weight,
    )
