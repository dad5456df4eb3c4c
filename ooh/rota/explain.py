"""Why a place is unfilled, in words a rota coordinator can act on.

For each shift with fewer people than it wants, the reason is the first of:

1. no clinician has the role and skills and works at the site;
2. no such clinician offered the date (unavailable, on leave, or offered other shift types);
3. every eligible clinician who offered the date would break a named hard rule if added
   (found by the independent checker, so the rules are written once, in ``check.py``);
4. otherwise some could take it without breaking a hard rule: for a target place the soft
   goals (cost, fairness) left it empty; for a required place the search stopped first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from ooh.rota.check import (
    assignment_breaches,
    clinician_breaches,
    day_text,
    eligibility_breaches,
    shift_text,
    who,
)
from ooh.rota.data import Assignment, Breach, Clinician, Gap, RotaData, Shift

MAX_NAMED = 8  # clinicians named in one reason; the rest are counted


def explain_gaps(
    data: RotaData, shifts: Sequence[Shift], assignments: Iterable[Assignment]
) -> list[Gap]:
    """Every unfilled place, required ones (up to ``needed``) and target ones (up to
    ``wanted``, ``required=False``), each with a reason; in shift order."""
    by_shift: dict[str, list[str]] = defaultdict(list)
    by_clinician: dict[str, list[Shift]] = defaultdict(list)
    shift_by_id = {s.id: s for s in shifts}
    for a in assignments:
        if a.clinician in by_shift[a.shift_id]:
            continue
        by_shift[a.shift_id].append(a.clinician)
        if a.shift_id in shift_by_id:
            by_clinician[a.clinician].append(shift_by_id[a.shift_id])

    gaps: list[Gap] = []
    cache: dict[str, set[tuple[str, tuple[str, ...]]]] = {}
    for s in shifts:
        filled = len(by_shift.get(s.id, []))
        if filled >= s.type.wanted:
            continue
        reason, fillable = _reason(data, s, by_shift.get(s.id, []), by_clinician, cache)
        for place in range(filled + 1, s.type.wanted + 1):
            required = place <= s.type.needed
            text = _fillable_tail(reason, required) if fillable else reason
            gaps.append(Gap(s.id, place, required, text))
    return gaps


def blocking_breaches(
    data: RotaData,
    c: Clinician,
    s: Shift,
    their_shifts: Sequence[Shift],
    before: set[tuple[str, tuple[str, ...]]] | None = None,
) -> list[Breach]:
    """Hard rules the rota would newly break if ``c`` also worked ``s``.

    Breaches the clinician's rota already has (say, after a hand edit) are not counted
    against the new shift unless the new shift changes them. ``before`` may pass those in
    (see ``existing_breach_keys``) to save recomputing them for every gap.
    """
    if any(t.id == s.id for t in their_shifts):
        return [
            Breach("duplicate", c.id, (s.date,), f"{who(c)} is already on {shift_text(s)}", (s.id,))
        ]
    if before is None:
        before = existing_breach_keys(data, c, their_shifts)
    found = assignment_breaches(data, c, s)
    found += [
        b
        for b in clinician_breaches(data, c, [*their_shifts, s])
        if (b.rule, b.shifts) not in before and b.rule != "min-shifts"
    ]
    return found


def existing_breach_keys(
    data: RotaData, c: Clinician, their_shifts: Sequence[Shift]
) -> set[tuple[str, tuple[str, ...]]]:
    return {(b.rule, b.shifts) for b in clinician_breaches(data, c, their_shifts)}


def explain_shift(
    data: RotaData,
    s: Shift,
    on_shift: Sequence[str],
    by_clinician: dict[str, list[Shift]],
    *,
    required: bool = True,
) -> str:
    """The reason one shift has fewer people than it wants (for a required or target place).

    ``on_shift``: ids of the clinicians already on it; ``by_clinician``: everyone's shifts.
    """
    reason, fillable = _reason(data, s, on_shift, by_clinician, {})
    return _fillable_tail(reason, required) if fillable else reason


def _reason(
    data: RotaData,
    s: Shift,
    on_shift: Sequence[str],
    by_clinician: dict[str, list[Shift]],
    cache: dict[str, set[tuple[str, tuple[str, ...]]]],
) -> tuple[str, bool]:
    """The reason, and whether some clinician could take the place without breaking a rule.

    ``cache`` keeps each clinician's existing breaches between calls on the same rota.
    """
    st = s.type
    eligible = [c for c in data.clinicians if not eligibility_breaches(c, s)]
    if not eligible:
        skills = f" and skills {', '.join(sorted(st.skills))}" if st.skills else ""
        return f"no clinician with role {st.role}{skills} can work at site {st.site}", False
    free = [c for c in eligible if c.id not in on_shift]
    if not free:
        return (
            f"all {len(eligible)} clinician(s) with role {st.role} who can work at site "
            f"{st.site} are already on this shift",
            False,
        )
    offered = [c for c in free if data.availability_of(c.id, s.date).allows(st.id)]
    if not offered:
        return (
            f"no eligible clinician offered {day_text(s.date)} for {st.id} "
            f"({len(free)} eligible: all unavailable, on leave or offering other shifts)",
            False,
        )
    blocked: list[str] = []
    open_to: list[Clinician] = []
    for c in offered:
        theirs = by_clinician.get(c.id, [])
        if c.id not in cache:
            cache[c.id] = existing_breach_keys(data, c, theirs)
        breaches = blocking_breaches(data, c, s, theirs, cache[c.id])
        if breaches:
            blocked.append(f"{who(c)} ({'; '.join(_short(b, s) for b in breaches)})")
        else:
            open_to.append(c)
    n = len(offered)
    lead = f"{n} eligible clinician{'s' if n != 1 else ''} offered the date"
    if not open_to:
        return f"{lead}; all were blocked: {_name_some(blocked)}", False
    free_names = _name_some([who(c) for c in open_to])
    return f"{lead}; {len(open_to)} could work it without breaking a hard rule ({free_names})", True


def _fillable_tail(reason: str, required: bool) -> str:
    """Why a place someone could take is empty: required places come before every soft
    goal, so only the time limit leaves one open; a target place may be left open."""
    if required:
        return f"{reason}: the search ended before filling it; a longer --time-limit may fill it"
    return f"{reason}: left open for the soft goals (cost, fairness, requests) or by the time limit"


def _short(b: Breach, new: Shift) -> str:
    """A breach in a few words: the rule and the other shifts involved, if few."""
    others = [sid for sid in b.shifts if sid != new.id]
    if b.rule in ("overlap", "min-rest", "rest-after-nights") and others:
        return f"{b.rule} with {', '.join(others)}"
    return b.rule


def _name_some(names: Sequence[str]) -> str:
    shown = ", ".join(names[:MAX_NAMED])
    if len(names) > MAX_NAMED:
        shown += f" and {len(names) - MAX_NAMED} more"
    return shown


def explain_conflicts(breaches: Iterable[Breach]) -> list[str]:
    """Breaches as coordinator-readable lines ``rule: message``, for conflict reports."""
    return [f"{b.rule}: {b.message}" for b in breaches]
