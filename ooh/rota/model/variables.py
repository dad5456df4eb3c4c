"""Decision variables of the rota model: one Boolean per eligible (clinician, dated shift).

A clinician is *eligible* for a dated shift when their availability on its start date allows
that shift line, their role is the line's role, they hold every skill the line requires and
the line's site is one of their sites (no sites listed: any site). Ineligible pairs get no
variable at all, so no constraint ever has to exclude them.

Times are whole minutes from midnight at the start of the period, so every rule is integer
arithmetic. This module is the only place that maps data to variable indices.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from ortools.sat.python import cp_model

from ooh.rota.data import Clinician, RotaData, Shift, ShiftType, real_utc


def line_ineligibility(clinician: Clinician, st: ShiftType) -> str | None:
    """Why the clinician can take no shift of the line on any date (None: the date decides)."""
    if clinician.role != st.role:
        return f"role is {clinician.role}, the shift needs {st.role}"
    missing = sorted(st.skills - clinician.skills)
    if missing:
        return f"lacks required skill(s) {', '.join(missing)}"
    if clinician.sites and st.site not in clinician.sites:
        return f"does not work at site {st.site}"
    if (st.id, 0) in clinician.max_shifts_by_type:  # no variable: a smaller model
        return f"may work at most 0 {st.id} shifts (max shifts per line)"
    return None


def ineligibility(data: RotaData, clinician: Clinician, shift: Shift) -> str | None:
    """Why the clinician cannot take the shift at all (None: eligible)."""
    st = shift.type
    why = line_ineligibility(clinician, st)
    if why is not None:
        return why
    if not data.availability_of(clinician.id, shift.date).allows(st.id):
        return f"availability on {shift.date.isoformat()} does not allow {st.id}"
    return None


@dataclass(frozen=True)
class ShiftInfo:
    """Integer facts about one dated shift, precomputed once."""

    index: int
    start: int  # minutes from the period's first midnight
    end: int
    minutes: int
    day: int  # index of the start date within the period
    night: bool
    weekend: date | None  # the Saturday of its weekend
    bank_holiday: bool


@dataclass
class RotaModel:
    """The CP-SAT model with its variables and the maps the rule families need."""

    data: RotaData
    shifts: list[Shift]
    info: list[ShiftInfo]
    model: cp_model.CpModel
    x: dict[tuple[int, int], cp_model.IntVar]  # (clinician index, shift index) -> Boolean
    by_clinician: list[list[int]]  # eligible shift indices per clinician, by start time
    by_shift: list[list[int]]  # eligible clinician indices per shift
    shift_index: dict[str, int]
    clinician_index: dict[str, int]
    diagnose: bool = False  # every hard rule guarded by an assumption literal
    guards: dict[Hashable, cp_model.IntVar] = field(default_factory=dict)
    # per-clinician, per-date "works a night / any shift starting that date" indicators
    # (>= each shift's variable; exact only where an objective term needs it)
    _night_day: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    _work_day: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    _extra: dict[int, cp_model.IntVar] = field(default_factory=dict)  # people above wanted
    _on_day: dict[int, dict[int, list[int]]] = field(default_factory=dict)

    @property
    def days(self) -> int:
        return len(self.data.settings.dates)

    def guard(self, key: Hashable) -> list[cp_model.IntVar]:
        """Enforcement literals for a hard-rule group: none normally; in diagnosis mode
        one assumption literal per group, so an infeasible core names the groups."""
        if not self.diagnose:
            return []
        lit = self.guards.get(key)
        if lit is None:
            lit = self.model.new_bool_var("guard:" + ":".join(str(k) for k in _flat(key)))
            self.guards[key] = lit
        return [lit]

    def at_most_one(self, lits: list[cp_model.IntVar], key: Hashable) -> None:
        guard = self.guard(key)
        if guard:
            self.model.add(sum(lits) <= 1).only_enforce_if(guard)
        else:
            self.model.add_at_most_one(lits)

    def add(self, bounded: cp_model.BoundedLinearExpression | bool, key: Hashable) -> None:
        ct = self.model.add(bounded)
        guard = self.guard(key)
        if guard:
            ct.only_enforce_if(guard)

    def one_at_most(self, shifts: list[int]) -> bool:
        """Whether the rules let one person work at most one of the shifts: they overlap
        pairwise. Intervals on a line overlap pairwise exactly when they share a point: the
        latest start is before the earliest end (linear, where testing every pair is
        quadratic). Never in diagnosis mode, where the rest rule may be switched off."""
        if self.diagnose:
            return False
        return max(self.info[s].start for s in shifts) < min(self.info[s].end for s in shifts)

    def shifts_on_day(self, c: int) -> dict[int, list[int]]:
        """The clinician's eligible shifts by start date index, in by_clinician order.
        Built once per clinician, so per-date rules cost the clinician's shifts, not
        dates x shifts. Shared: do not modify."""
        by_day = self._on_day.get(c)
        if by_day is None:
            by_day = {}
            for s in self.by_clinician[c]:
                by_day.setdefault(self.info[s].day, []).append(s)
            self._on_day[c] = by_day
        return by_day

    def day_indicator(self, c: int, day: int, night_only: bool) -> cp_model.IntVar | None:
        """A Boolean that is 1 whenever the clinician works (a night) starting on ``day``.

        Only the direction x -> indicator is posted; rules that bound the indicators from
        above therefore bound the real work. None when no such shift is eligible."""
        store = self._night_day if night_only else self._work_day
        if (c, day) in store:
            return store[(c, day)]
        shifts = [
            s for s in self.shifts_on_day(c).get(day, []) if self.info[s].night or not night_only
        ]
        if not shifts:
            return None
        if len(shifts) == 1:
            ind = self.x[(c, shifts[0])]
        else:
            cid = self.data.clinicians[c].id
            kind = "night" if night_only else "works"
            ind = self.model.new_bool_var(f"{kind}[{cid},{self.data.settings.dates[day]}]")
            if self.one_at_most(shifts):
                # one row where at most one is worked: a tighter relaxation, and on long
                # rotas far fewer constraints (Curtois & Qu 24: 990,000 fewer)
                self.model.add(cp_model.LinearExpr.sum([self.x[(c, s)] for s in shifts]) <= ind)
            else:
                for s in shifts:
                    self.model.add_implication(self.x[(c, s)], ind)
        store[(c, day)] = ind
        return ind


def _flat(key: Hashable) -> tuple[object, ...]:
    return key if isinstance(key, tuple) else (key,)


def shift_info(data: RotaData, shifts: list[Shift]) -> list[ShiftInfo]:
    """Times as real elapsed minutes from the period's first midnight (Europe/London), so
    lengths and rest gaps across a clock change match the checker's."""
    origin = real_utc(datetime.combine(data.settings.period_start, time(0, 0)))
    first = data.settings.period_start
    out = []
    for i, s in enumerate(shifts):
        start = int((s.start_utc - origin).total_seconds() // 60)
        out.append(
            ShiftInfo(
                index=i,
                start=start,
                end=start + s.minutes,
                minutes=s.minutes,
                day=(s.date - first).days,
                night=s.is_night,
                weekend=s.weekend_key,
                bank_holiday=s.is_bank_holiday,
            )
        )
    return out


def create_variables(data: RotaData, shifts: list[Shift], diagnose: bool = False) -> RotaModel:
    """One Boolean ``x[clinician, shift]`` per eligible pair, named for reports."""
    model = cp_model.CpModel()
    info = shift_info(data, shifts)
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    by_clinician: list[list[int]] = [[] for _ in data.clinicians]
    by_shift: list[list[int]] = [[] for _ in shifts]
    # group shifts by line: the line-level tests of ``ineligibility`` run once per
    # (clinician, line), and only the lines a clinician may work are scanned by date
    by_line: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(shifts):
        by_line[s.type.id].append(i)
    for c, clinician in enumerate(data.clinicians):
        lines = [
            indices
            for indices in by_line.values()
            if line_ineligibility(clinician, shifts[indices[0]].type) is None
        ]
        for i in sorted(i for indices in lines for i in indices):  # variables in shift order
            shift = shifts[i]
            if data.availability_of(clinician.id, shift.date).allows(shift.type.id):
                x[(c, i)] = model.new_bool_var(f"x[{clinician.id},{shift.id}]")
                by_clinician[c].append(i)
                by_shift[i].append(c)
        by_clinician[c].sort(key=lambda i: (info[i].start, i))
    return RotaModel(
        data=data,
        shifts=shifts,
        info=info,
        model=model,
        x=x,
        by_clinician=by_clinician,
        by_shift=by_shift,
        shift_index={s.id: i for i, s in enumerate(shifts)},
        clinician_index={c.id: i for i, c in enumerate(data.clinicians)},
        diagnose=diagnose,
    )
