"""A lower bound on the soft goals from a MIP solver's cutting planes (HiGHS), in a thread.

The schedule step's bound is the linear relaxation of the schedule choice: every member of
a fair-share group may work a fractional count, so the deviations from shares that whole
counts force on every rota are missing from it (M: 268,817, where rotas reach 272,000 and
more). CP-SAT's own bound of the whole model passes it only after minutes. HiGHS, given the
same model as a MIP, adds cutting planes at its root that see those whole counts: on M its
bound was 270,318 after 15 s on one thread (docs/benchmarks.md, "A bound from a MIP
solver's cuts"). HiGHS solves in C++ without Python's lock, so it runs on one core beside
the search on the other.

The MIP is read from the CP-SAT model: its linear constraints, bool_and, bool_or,
at_most_one and exactly_one, each enforced by its literals through a big-M term from the
range of its expression; a constraint of any other kind is left out. Every solution of the
CP-SAT model satisfies every row, so the MIP is a relaxation of it and its dual bound is a
bound on the CP-SAT model's objective (tests/test_mip_bound.py also checks that both reach
the same optimum on small rotas).
"""

from __future__ import annotations

import threading
from time import perf_counter
from typing import Any

import numpy as np

Row = tuple[float, float, dict[int, float]]  # lower, upper, {variable: coefficient}


GAP = 1e-4  # HiGHS stops once its bound is within this share of its best solution
UNBOUNDED = 2**62  # CP-SAT writes "no limit" as the least or greatest 64-bit integer


def _number(value: int) -> float:
    """A domain's end as HiGHS reads it (a huge finite number would wreck its numerics)."""
    return -np.inf if value <= -UNBOUNDED else np.inf if value >= UNBOUNDED else float(value)


def _literal(lit: int) -> tuple[int, float, float]:
    """A CP-SAT literal as (variable, coefficient, constant): its value is const + coef * x."""
    return (lit, 1.0, 0.0) if lit >= 0 else (-lit - 1, -1.0, 1.0)


def _bounds(proto: Any) -> tuple[list[float], list[float]]:
    """Each variable's least and greatest value (the ends of its domain)."""
    lo = [_number(v.domain[0]) for v in proto.variables]
    hi = [_number(v.domain[len(v.domain) - 1]) for v in proto.variables]
    return lo, hi


def _rows_of(ct: Any) -> tuple[list[tuple[float, float, list[tuple[int, float]], float]], bool]:
    """A constraint as rows (lower, upper, terms, constant) before enforcement; False when
    its kind is not read (then it is left out)."""
    if ct.has_linear():
        dom = ct.linear.domain
        lower, upper = _number(dom[0]), _number(dom[len(dom) - 1])
        terms = list(zip(ct.linear.vars, map(float, ct.linear.coeffs), strict=True))
        return [(lower, upper, terms, 0.0)], True

    def literal_sum(lits: Any) -> tuple[list[tuple[int, float]], float]:
        terms, constant = [], 0.0
        for lit in lits:
            var, coef, const = _literal(lit)
            terms.append((var, coef))
            constant += const
        return terms, constant

    if ct.has_bool_or():
        terms, constant = literal_sum(ct.bool_or.literals)
        return [(1.0, float(len(terms)), terms, constant)], True
    if ct.has_bool_and():
        rows = []
        for lit in ct.bool_and.literals:
            terms, constant = literal_sum([lit])
            rows.append((1.0, 1.0, terms, constant))
        return rows, True
    if ct.has_at_most_one():
        terms, constant = literal_sum(ct.at_most_one.literals)
        return [(0.0, 1.0, terms, constant)], True
    if ct.has_exactly_one():
        terms, constant = literal_sum(ct.exactly_one.literals)
        return [(1.0, 1.0, terms, constant)], True
    return [], False


def mip_rows(proto: Any, lo: list[float], hi: list[float]) -> tuple[list[Row], int]:
    """The rows of the relaxation (``lo``, ``hi``: the variables' bounds, ``_bounds``), and
    the number of constraints left out."""
    out: list[Row] = []
    left_out = 0
    for ct in proto.constraints:
        rows, read = _rows_of(ct)
        left_out += not read
        enforce = [_literal(lit) for lit in ct.enforcement_literal]
        for lower, upper, terms, constant in rows:
            coefs: dict[int, float] = {}
            for var, coef in terms:
                coefs[var] = coefs.get(var, 0.0) + coef
            if not enforce:
                out.append((lower - constant, upper - constant, coefs))
                continue
            # enforced: with r = sum(1 - value) over the literals (0 when all are true), the
            # row may widen to its expression's whole range: expr >= lower - (lower - least)
            # * r, expr <= upper + (most - upper) * r. A side its range never passes is left
            # out, and so is one whose range is unbounded (no big-M exists: a relaxation still)
            least = constant + sum(c * (lo[v] if c > 0 else hi[v]) for v, c in coefs.items())
            most = constant + sum(c * (hi[v] if c > 0 else lo[v]) for v, c in coefs.items())
            if least < lower and np.isfinite(least):
                out.append(_enforced(coefs, lower - constant, least - lower, enforce, upper=False))
            if upper < most and np.isfinite(most):
                out.append(_enforced(coefs, upper - constant, most - upper, enforce, upper=True))
    return out, left_out


def _enforced(
    coefs: dict[int, float],
    side: float,
    widen: float,
    enforce: list[tuple[int, float, float]],
    upper: bool,
) -> Row:
    """expr <= side + widen * r (``upper``) or expr >= side + widen * r, r = sum(1 - value)
    over the literals, each literal's value const + coef * x: r's terms moved left."""
    row = dict(coefs)
    rhs = side
    for var, coef, const in enforce:
        rhs += widen * (1 - const)
        row[var] = row.get(var, 0.0) + widen * coef
    return (-np.inf, rhs, row) if upper else (rhs, np.inf, row)


class MipBound:
    """HiGHS on the CP-SAT model's relaxation, for ``limit`` seconds in its own thread;
    ``result()`` waits for it and returns its dual bound (objective units), or None."""

    def __init__(self, proto: Any, limit: float) -> None:
        # the model is read here, in the calling thread: the solve goes on changing it
        from highspy import HighsVarType
        from highspy._core import _Highs, cb

        self.h = h = _Highs()  # (highspy.Highs() prints a banner on stdout)
        h.setOptionValue("output_flag", False)
        h.setOptionValue("threads", 1)
        h.setOptionValue("time_limit", max(0.1, limit))
        h.setOptionValue("mip_heuristic_effort", 0.0)  # only the bound is wanted
        h.setOptionValue("mip_rel_gap", GAP)
        n = len(proto.variables)
        lo, hi = _bounds(proto)
        h.addVars(n, np.array(lo), np.array(hi))
        every = np.arange(n, dtype=np.int32)
        h.changeColsIntegrality(n, every, np.array([HighsVarType.kInteger] * n))
        cost = np.zeros(n)
        self.offset = float(proto.objective.offset)
        for ref, coef in zip(proto.objective.vars, proto.objective.coeffs, strict=True):
            var, sign, const = _literal(ref)  # (a negative reference: 1 - x)
            cost[var] += coef * sign
            self.offset += coef * const
        h.changeColsCost(n, every, cost)
        rows, self.left_out = mip_rows(proto, lo, hi)
        for lower, upper, coefs in rows:
            index = np.fromiter(coefs.keys(), dtype=np.int32, count=len(coefs))
            value = np.fromiter(coefs.values(), dtype=np.float64, count=len(coefs))
            h.addRow(lower, upper, len(coefs), index, value)
        self.scale = float(proto.objective.scaling_factor or 1.0)
        self._bound: float | None = None
        self.seconds = 0.0
        self.error = ""
        self._cancelled = False
        # HiGHS asks, now and then, whether to stop (in its simplex, at the root; in the MIP)
        h.setCallback(_interrupt, self)
        h.startCallback(cb.HighsCallbackType.kCallbackSimplexInterrupt)
        h.startCallback(cb.HighsCallbackType.kCallbackMipInterrupt)
        self._thread = threading.Thread(target=self._run, name="mip bound", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        """Stop soon (a Ctrl-C): ``result()`` then gives the bound so far, if any."""
        self._cancelled = True

    def _run(self) -> None:
        started = perf_counter()
        try:
            self.h.run()
        except Exception as exc:  # the bound is an extra: the solve goes on without it
            self.error = str(exc)
            return
        finally:
            self.seconds = perf_counter() - started
        bound = float(self.h.getInfo().mip_dual_bound)
        if np.isfinite(bound):
            # less HiGHS's tolerances (its LP's duals are feasible to about 1e-7), so that
            # rounding up to a value the objective can take never passes the optimum
            bound -= 1e-6 * (abs(bound) + 1)
            self._bound = (bound + self.offset) * self.scale

    def summary(self, scale: int) -> str:
        """One line for the run information (``scale``: objective units per point)."""
        if self.error:
            return f"no bound: HiGHS failed ({self.error})"
        found = "no bound" if self._bound is None else f"bound {self._bound / scale:,.2f}"
        return f"{found}, {self.seconds:.1f} s on one thread"

    def result(self) -> float | None:
        self._thread.join()
        return self._bound


def _interrupt(kind: Any, message: str, data_out: Any, data_in: Any, bound: MipBound) -> None:
    if bound._cancelled and data_in is not None:
        data_in.user_interrupt = True
