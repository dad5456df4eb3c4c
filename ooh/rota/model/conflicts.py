"""When the hard rules contradict each other: find which, and say so in words.

Only fixed bookings, minimum shifts and availability can make the rota impossible (an empty
rota breaks no other rule). Obvious cases are caught before any model is built
(``precheck``). Otherwise every hard-rule group is guarded by an assumption literal and
CP-SAT returns a set of assumptions that cannot hold together (an infeasible core), which is
shrunk to a minimal one and described, naming rule, clinician and dates.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from time import perf_counter

from ortools.sat.python import cp_model

from ooh.rota.data import Clinician, FixedBooking, RotaData, Shift
from ooh.rota.model.build import build_model
from ooh.rota.model.variables import ineligibility


def who(c: Clinician) -> str:
    return f"{c.id} {c.name}".strip()


def booking_text(b: FixedBooking) -> str:
    return f"{b.date.isoformat()} {b.shift_type}"


def precheck(data: RotaData, shifts: list[Shift]) -> list[str]:
    """Conflicts visible without search: impossible fixed bookings, minimums above what a
    clinician could ever work, more fixed bookings on a shift than it takes."""
    found: list[str] = []
    by_id = {s.id: s for s in shifts}
    clinicians = {c.id: c for c in data.clinicians}
    on_shift: dict[str, set[str]] = defaultdict(set)
    for b in data.fixed:
        c = clinicians.get(b.clinician)
        if c is None:
            found.append(
                f"Fixed booking on {booking_text(b)} names {b.clinician}, who is not a clinician in the inputs"
            )
            continue
        s = by_id.get(f"{b.date.isoformat()}/{b.shift_type}")
        if s is None:
            found.append(
                f"Fixed booking of {who(c)} on {booking_text(b)}: no shift {b.shift_type} runs on that date"
            )
            continue
        reason = ineligibility(data, c, s)
        if reason is not None:
            found.append(
                f"Fixed booking of {who(c)} on {booking_text(b)} is impossible: {who(c)} {reason}"
            )
            continue
        on_shift[s.id].add(c.id)
    for sid, people in sorted(on_shift.items()):
        wanted = by_id[sid].type.wanted
        if len(people) > wanted:
            found.append(
                f"Fixed bookings put {len(people)} people ({', '.join(sorted(people))}) on {sid}, which takes at most {wanted}"
            )
    for c in data.clinicians:
        if c.max_shifts is not None and c.min_shifts > c.max_shifts:
            found.append(
                f"{who(c)}: minimum shifts {c.min_shifts} is above maximum shifts {c.max_shifts}"
            )
            continue
        if c.min_shifts > 0:
            eligible = sum(1 for s in shifts if ineligibility(data, c, s) is None)
            if eligible < c.min_shifts:
                found.append(
                    f"{who(c)} must work at least {c.min_shifts} shifts (minimum shifts) but is "
                    f"eligible for only {eligible} in the period (availability, role, skills, sites)"
                )
    return found


def rule_text(data: RotaData, key: Hashable, shifts: list[Shift] | None = None) -> str:
    """The hard rule a guard key stands for, with its limit."""
    assert isinstance(key, tuple)
    family = key[0]
    r = data.rules
    if family == "capacity":
        sid = str(key[1])
        dated = {s.id: s for s in shifts or []}
        if sid in dated:  # the day's own places (a dated cover row may change them)
            wanted = dated[sid].type.wanted
        else:
            line = sid.split("/", 1)[1]
            wanted = next(t.wanted for t in data.shift_types if t.id == line)
        return f"{sid} takes at most {wanted} people"
    c = data.clinician(str(key[1]))
    texts = {
        "rest": f"minimum rest of {r.min_rest_hours:g} h between shifts, no overlaps",
        "nights_rest": f"{r.rest_after_nights_hours:g} h rest after a night before a non-night shift",
        "hours": f"at most {c.max_hours_per_week:g} hours in any 7 consecutive days",
        "shifts_per_week": f"at most {r.max_shifts_per_week} shifts in any 7 consecutive days",
        "max_shifts": f"at most {c.max_shifts} shifts in the period",
        "min_shifts": f"at least {c.min_shifts} shifts in the period (minimum shifts)",
        "consecutive_nights": f"at most {data.max_consecutive_nights(c)} consecutive nights",
        "consecutive_days": f"at most {data.max_consecutive_days(c)} consecutive working days",
        "weekends": f"at most {c.max_weekends} weekends worked",
        "period_hours": (
            f"between {c.min_period_hours:g} and "
            f"{'any' if c.max_period_hours is None else f'{c.max_period_hours:g}'} "
            "contracted hours in the period"
        ),
        "shifts_by_type": f"at most {dict(c.max_shifts_by_type).get(str(key[-1]))} "
        f"{key[-1]} shifts in the period",
        "min_consecutive_days": f"runs of at least {c.min_consecutive_days} working days",
        "min_consecutive_days_off": f"at least {c.min_consecutive_days_off} days off in a row",
        "cannot_follow": "line pairs that may not start on consecutive dates "
        + ", ".join(f"{a} then {b}" for a, b in sorted(r.cannot_follow)),
    }
    return texts.get(str(family), str(family).replace("_", " "))


def describe_core(data: RotaData, shifts: list[Shift], core: list[Hashable]) -> list[str]:
    """Sentences naming the rules, clinicians and dates of an infeasible core."""
    fixed = [data.fixed[k[1]] for k in core if isinstance(k, tuple) and k[0] == "fixed"]
    rules = [k for k in core if isinstance(k, tuple) and k[0] != "fixed"]
    clinicians = {b.clinician for b in fixed} | {str(k[1]) for k in rules if k[0] != "capacity"}
    by_id = {s.id: s for s in shifts}
    if len(clinicians) == 1 and not any(k[0] == "capacity" for k in rules):
        c = data.clinician(next(iter(clinicians)))
        families = {k[0] for k in rules}
        if len(fixed) == 2 and families in ({"rest"}, {"nights_rest"}):
            a, b = sorted(fixed, key=lambda f: by_id[f"{f.date.isoformat()}/{f.shift_type}"].start)
            sa = by_id[f"{a.date.isoformat()}/{a.shift_type}"]
            sb = by_id[f"{b.date.isoformat()}/{b.shift_type}"]
            gap = (sb.start - sa.end).total_seconds() / 3600
            if gap < 0:
                return [
                    f"Fixed bookings of {who(c)} on {booking_text(a)} and {booking_text(b)} "
                    f"overlap by {-gap:.1f} h"
                ]
            if families == {"rest"}:
                minimum = f"minimum is {data.rules.min_rest_hours:g} h"
            else:
                minimum = f"minimum after a night is {data.rules.rest_after_nights_hours:g} h"
            return [
                f"Fixed bookings of {who(c)} on {booking_text(a)} and {booking_text(b)} "
                f"leave {gap:.1f} h rest; {minimum}"
            ]
        parts = []
        if fixed:
            dates = ", ".join(booking_text(b) for b in sorted(fixed, key=lambda f: f.date))
            parts.append(f"fixed booking(s) on {dates}")
        hard = [rule_text(data, k, shifts) for k in rules if k[0] != "min_shifts"]
        if any(k[0] == "min_shifts" for k in rules):
            parts.append(f"working at least {c.min_shifts} shifts (minimum shifts)")
        tail = f" under the rule(s): {'; '.join(hard)}" if hard else ""
        extra = " on the dates they are available" if not fixed else ""
        return [f"{who(c)}: {' and '.join(parts)}{extra} cannot all hold{tail}"]
    # several clinicians tied together through shift capacities
    items = [
        f"fixed booking of {who(data.clinician(b.clinician))} on {booking_text(b)}" for b in fixed
    ]
    items += [
        f"{who(data.clinician(str(k[1])))} works at least {data.clinician(str(k[1])).min_shifts} shifts"
        for k in rules
        if k[0] == "min_shifts"
    ]
    hard = [
        rule_text(data, k, shifts) + ("" if k[0] == "capacity" else f" ({k[1]})")
        for k in rules
        if k[0] != "min_shifts"
    ]
    tail = f" under the rule(s): {'; '.join(hard)}" if hard else ""
    return [f"These cannot all hold: {'; '.join(items)}{tail}"]


def diagnose(data: RotaData, shifts: list[Shift], time_limit: float, seed: int = 0) -> list[str]:
    """Find and describe a minimal set of hard-rule groups that cannot hold together."""
    start = perf_counter()
    built = build_model(data, shifts, diagnose=True)
    model = built.rota.model
    keys = {lit.index: key for key, lit in built.rota.guards.items()}
    lits = {key: lit for key, lit in built.rota.guards.items()}

    def infeasible_core(assumed: list[Hashable], limit: float) -> list[Hashable] | None:
        model.clear_assumptions()
        model.add_assumptions([lits[k] for k in assumed])
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = seed
        solver.parameters.max_time_in_seconds = max(0.1, limit)
        status = solver.solve(model)
        if status != cp_model.INFEASIBLE:
            return None
        return [keys[i] for i in solver.sufficient_assumptions_for_infeasibility()]

    core = infeasible_core(list(lits), time_limit)
    if core is None:
        return [
            "The hard rules could not all be met together, but no conflicting set was found "
            "within the time limit; check fixed bookings and minimum shifts first"
        ]
    # deletion-based shrinking: drop each member the rest stays infeasible without
    for key in list(core):
        remaining = time_limit - (perf_counter() - start)
        if remaining <= 0.2:
            break
        if key not in core:
            continue
        trial = [k for k in core if k != key]
        smaller = infeasible_core(trial, min(remaining, 5.0))
        if smaller is not None:
            core = smaller
    order = {k: i for i, k in enumerate(lits)}
    return describe_core(data, shifts, sorted(core, key=lambda k: order[k]))
