"""Score a roster by the Curtois & Qu benchmark's own rules, independently of the engine.

Works on the parsed file (``NrpInstance``) and a roster ``{(employee, day): shift id}``
only; nothing here imports the solver or the engine's data model, so a bug in the
translation to ``RotaData`` or in the model shows up as a disagreement in the results table.
Penalties and hard rules exactly as the benchmark's README defines them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ooh.bench.nrp.reader import NrpInstance

Roster = dict[tuple[str, int], str]  # (employee id, day index) -> shift id


@dataclass
class Evaluation:
    penalty: int  # the benchmark objective
    violations: list[str] = field(default_factory=list)  # hard rules broken, in words
    by_part: dict[str, int] = field(default_factory=dict)  # on/off requests, under/over cover

    @property
    def hard_violations(self) -> int:
        return len(self.violations)


def _runs(worked: list[bool], value: bool) -> list[tuple[int, int]]:
    """(first day, length) of each maximal run of days whose worked flag equals ``value``."""
    runs = []
    start = None
    for d, w in enumerate([*worked, not value]):
        if w == value and start is None:
            start = d
        elif w != value and start is not None:
            runs.append((start, d - start))
            start = None
    return runs


def evaluate(inst: NrpInstance, roster: Roster) -> Evaluation:
    """Benchmark penalty and hard violations of ``roster`` on ``inst``."""
    h = inst.horizon
    shifts = {s.id: s for s in inst.shifts}
    violations: list[str] = []
    for (emp, day), sid in sorted(roster.items()):
        if sid not in shifts:
            violations.append(f"{emp} day {day}: unknown shift {sid}")
        if not 0 <= day < h:
            violations.append(f"{emp} day {day}: outside the horizon")

    on = sum(r.weight for r in inst.on_requests if roster.get((r.staff, r.day)) != r.shift)
    off = sum(r.weight for r in inst.off_requests if roster.get((r.staff, r.day)) == r.shift)
    count = Counter((day, sid) for (_, day), sid in roster.items())
    under = sum(c.under * max(0, c.requirement - count[(c.day, c.shift)]) for c in inst.cover)
    over = sum(c.over * max(0, count[(c.day, c.shift)] - c.requirement) for c in inst.cover)

    known = {p.id for p in inst.staff}
    for emp in sorted({e for e, _ in roster} - known):
        violations.append(f"{emp}: not in SECTION_STAFF")
    for p in inst.staff:
        mine = {d: s for (e, d), s in roster.items() if e == p.id}
        worked = [d in mine for d in range(h)]
        for d in sorted(inst.days_off.get(p.id, set()) & set(mine)):
            violations.append(f"{p.id} works day {d}, a day off")
        for sid, n in Counter(mine.values()).items():
            if n > p.max_shifts.get(sid, 0):
                violations.append(f"{p.id}: {n} shifts {sid}, most {p.max_shifts.get(sid, 0)}")
        minutes = sum(shifts[s].minutes for s in mine.values() if s in shifts)
        if minutes > p.max_minutes:
            violations.append(f"{p.id}: {minutes} minutes, most {p.max_minutes}")
        if minutes < p.min_minutes:
            violations.append(f"{p.id}: {minutes} minutes, least {p.min_minutes}")
        for first, length in _runs(worked, True):
            if length > p.max_consecutive:
                violations.append(f"{p.id}: {length} days in a row from day {first}")
            inside = first > 0 and first + length < h
            if inside and length < p.min_consecutive:
                violations.append(f"{p.id}: only {length} day(s) in a row from day {first}")
        for first, length in _runs(worked, False):
            inside = first > 0 and first + length < h
            if inside and length < p.min_days_off:
                violations.append(f"{p.id}: only {length} day(s) off from day {first}")
        weekends = sum(1 for w in range(h // 7) if worked[7 * w + 5] or worked[7 * w + 6])
        if weekends > p.max_weekends:
            violations.append(f"{p.id}: {weekends} weekends, most {p.max_weekends}")
        for d in range(h - 1):
            a, b = mine.get(d), mine.get(d + 1)
            if a in shifts and b is not None and b in shifts[a].cannot_follow:
                violations.append(f"{p.id}: {b} on day {d + 1} follows {a} on day {d}")
    parts = {"on requests": on, "off requests": off, "under cover": under, "over cover": over}
    return Evaluation(sum(parts.values()), violations, parts)
