"""The model's shortcuts that keep its build linear in the candidate assignments (eligibility
tested per line, shifts indexed by date once, 7-day windows slid) give exactly what a scan of
every pair, date and window gives."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

import pytest

from ooh.rota.calendar import build_shifts
from ooh.rota.data import RotaData
from ooh.rota.generate import generate
from ooh.rota.model.constraints import WEEK, add_hours_per_week, add_shifts_per_week
from ooh.rota.model.variables import RotaModel, create_variables, ineligibility

Family = Callable[[RotaModel], None]


@pytest.fixture(scope="module")
def data() -> RotaData:
    """Instance S, with its first clinician (a GP with every skill) barred from one line
    (max 0) and from one site, and a weekly shift cap."""
    base = generate("S", 2026)
    first = base.clinicians[0]
    lines = [st for st in base.shift_types if st.role == first.role]
    barred = lines[0]
    away = next(st.site for st in lines if st.site != barred.site)
    sites = frozenset(st.site for st in lines) - {away}
    first = replace(first, max_shifts_by_type=((barred.id, 0),), sites=sites)
    clinicians = (first, *base.clinicians[1:])
    rules = replace(base.rules, max_shifts_per_week=3)
    return replace(base, clinicians=clinicians, rules=rules)


@pytest.fixture(scope="module")
def rota(data: RotaData) -> RotaModel:
    return create_variables(data, build_shifts(data))


def test_candidates_are_exactly_the_eligible_pairs(data: RotaData, rota: RotaModel) -> None:
    reasons = {
        (c, s): ineligibility(data, cl, shift)
        for c, cl in enumerate(data.clinicians)
        for s, shift in enumerate(rota.shifts)
    }
    assert set(rota.x) == {pair for pair, why in reasons.items() if why is None}
    # every reason the per-line shortcut must honour occurs in this instance
    for words in ("role is", "lacks", "does not work at site", "availability on", "at most 0"):
        assert any(why and words in why for why in reasons.values()), words
    for c, shifts in enumerate(rota.by_clinician):
        assert set(shifts) == {s for (cc, s) in rota.x if cc == c}
        assert shifts == sorted(shifts, key=lambda s: (rota.info[s].start, s))


def test_shifts_on_day_is_the_scan_by_date(rota: RotaModel) -> None:
    for c, shifts in enumerate(rota.by_clinician):
        by_day = rota.shifts_on_day(c)
        for d in range(rota.days):
            assert by_day.get(d, []) == [s for s in shifts if rota.info[s].day == d]
        assert set(by_day) <= set(range(rota.days))
        assert rota.shifts_on_day(c) is by_day  # indexed once


def test_day_indicators_cover_exactly_that_dates_shifts(data: RotaData) -> None:
    m = create_variables(data, build_shifts(data))
    for night_only in (False, True):
        for c, shifts in enumerate(m.by_clinician):
            for d in range(m.days):
                mine = [
                    s for s in shifts if m.info[s].day == d and (m.info[s].night or not night_only)
                ]
                ind = m.day_indicator(c, d, night_only)
                if not mine:
                    assert ind is None
                elif len(mine) == 1:
                    assert ind is m.x[(c, mine[0])]
                else:
                    assert ind is not None and str(m.data.settings.dates[d]) in ind.name


def _posted(m: RotaModel, family: Family) -> list[tuple[dict[int, int], int]]:
    """The linear constraints a family adds: ({variable index: coefficient}, upper bound)."""
    before = len(m.model.Proto().constraints)
    family(m)
    proto = m.model.Proto()
    out = []
    for i in range(before, len(proto.constraints)):
        linear = proto.constraints[i].linear
        out.append((dict(zip(linear.vars, linear.coeffs, strict=True)), list(linear.domain)[-1]))
    return out


@pytest.mark.parametrize("family", [add_hours_per_week, add_shifts_per_week])
def test_week_windows_are_every_breakable_window(data: RotaData, family: Family) -> None:
    m = create_variables(data, build_shifts(data))
    expected = []
    skipped = 0
    for c, cl in enumerate(data.clinicians):
        if family is add_hours_per_week:
            limit = math.floor(cl.max_hours_per_week * 60 + 1e-9)
        else:
            assert data.rules.max_shifts_per_week is not None
            limit = data.rules.max_shifts_per_week
        for first in range(m.days - WEEK + 1):
            window = [s for s in m.by_clinician[c] if first <= m.info[s].day < first + WEEK]
            weight = {
                m.x[(c, s)].index: m.info[s].minutes if family is add_hours_per_week else 1
                for s in window
            }
            if sum(weight.values()) > limit:
                expected.append((weight, limit))
            else:
                skipped += 1
    assert expected and skipped  # both branches of the slid sum are exercised
    assert _posted(m, family) == expected
