"""Gain-share contract terms: TOML file -> validated, frozen dataclasses.

One TOML file holds one contract. Every key is checked: an unknown or misspelt key, a value of
the wrong type or out of range, or a contradiction (tiers out of order, a cap below the minimum
payout, weights that do not add up to 100) is reported with the file and the dotted key, and
all problems are raised together as one ``InputError``. models/README.md documents every key.

Units, so that the dataclasses mirror the TOML one for one:
- money (unit prices, caps, minimum payouts, costs) is ``Decimal`` pounds, never a float;
- every ``*_pct``/``percent``/``share``/``weight``/``pass_mark``/``reduction`` is a
  percentage 0-100 as ``Decimal`` (divide by 100 for a fraction);
- tier bounds (``Tier.up_to``) and threshold values are in the savings unit of
  ``Savings.basis``: pounds of savings for "currency", the ratio actual/baseline for "ratio";
- ``[simulation]`` values are plain floats (they drive random draws, not money).
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from pathlib import Path
from typing import Any

from ooh.errors import InputError, IssueCollector, OohError
from ooh.practice import Practice

# --- fixed vocabularies -------------------------------------------------------------------

BASES = ("currency", "ratio")
THRESHOLD_TYPES = ("none", "percent", "amount", "ratio", "population")
SHARING_MODES = ("first_pound", "above_threshold")
POPULATIONS = ("list_size", "weighted_list_size")
PAYOUT_MODES = ("deductible", "all_or_nothing")
QUALITY_METHODS = ("none", "reductions", "multiplier")
COMBINE_MODES = ("additive", "multiplicative")
ATTRIBUTION_METHODS = ("list_size", "weighted_list_size", "hours")
DISTRIBUTIONS = ("fixed", "normal", "uniform")

# Minimum savings rate (% of baseline) by assigned population, MSSP style: piecewise linear
# between these points, flat outside them (3.9% at 5,000 or fewer, 2.0% at 60,000 or more).
# Source: MSSP minimum savings rate table (see ../shared/DOMAIN.md and docs/gainshare-method.md).
MSSP_TABLE: tuple[tuple[int, Decimal], ...] = tuple(
    (n, Decimal(p))
    for n, p in (
        (5_000, "3.9"),
        (6_000, "3.6"),
        (7_000, "3.4"),
        (8_000, "3.2"),
        (9_000, "3.1"),
        (10_000, "3.0"),
        (15_000, "2.7"),
        (20_000, "2.5"),
        (50_000, "2.2"),
        (60_000, "2.0"),
    )
)

# Default measures: National Cost Collection 2024/25 national schedule unit costs.
DEFAULT_MEASURES: dict[str, tuple[str, Decimal]] = {
    "ae_attendance": ("OOH A&E attendances", Decimal("280.17")),
    "admission_short": ("OOH emergency admissions, short stay", Decimal("825.86")),
    "admission_long": ("OOH emergency admissions, long stay", Decimal("5419.28")),
}

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


# --- dataclasses --------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    """An activity measure: its code in the activity file, and its unit price in £."""

    code: str
    name: str
    unit_price: Decimal  # £ per unit in contract year 1
    uplift_pct: Decimal = Decimal(0)  # yearly price uplift, applied from contract year 2


@dataclass(frozen=True)
class Baseline:
    """How the expected (no-change) activity of the performance year is worked out."""

    years: int = 1  # number of prior 12-month blocks
    weights: tuple[Decimal, ...] = (Decimal(100),)  # % per year, oldest first, sum 100
    rates_per_1000: bool = False  # work in rates per 1,000 registered patients
    list_sizes: tuple[int, ...] = ()  # federation list per baseline year, oldest first
    trend_pct: Decimal = Decimal(0)  # yearly growth projected to the performance year
    rebase: bool = True  # multi-year: baseline moves with each contract year


@dataclass(frozen=True)
class Savings:
    basis: str = "currency"  # "currency" (baseline - actual, £) or "ratio" (actual/baseline)
    extra_service_cost: Decimal = Decimal(0)  # £ counted against savings (net savings)


@dataclass(frozen=True)
class Threshold:
    """Minimum savings (gain side) or neutral corridor (loss side)."""

    type: str = "none"  # none | percent | amount | ratio | population
    value: Decimal | None = None  # % of baseline, £, or ratio, by type
    sharing: str = "first_pound"  # first_pound | above_threshold
    population: str = "list_size"  # which list size the population table is read with
    table: tuple[tuple[int, Decimal], ...] = MSSP_TABLE  # (population, % of baseline)


@dataclass(frozen=True)
class Tier:
    """A marginal band: ``share`` % applies to savings up to ``up_to`` (None: no limit)."""

    share: Decimal
    up_to: Decimal | None = None


@dataclass(frozen=True)
class Side:
    """One side of the deal: gain (provider is paid) or loss (provider repays)."""

    threshold: Threshold = Threshold()
    tiers: tuple[Tier, ...] = (Tier(Decimal(50)),)
    minimum_payout: Decimal = Decimal(0)  # £
    minimum_payout_mode: str = "deductible"  # deductible | all_or_nothing
    cap_amount: Decimal | None = None  # £
    cap_percent: Decimal | None = None  # % of baseline cost


@dataclass(frozen=True)
class Kpi:
    code: str
    name: str
    pass_mark: Decimal
    higher_is_better: bool = True
    gateway: bool = False  # failing it stops any gain payment
    reduction: Decimal = Decimal(0)  # % cut if failed (method "reductions")
    weight: Decimal = Decimal(0)  # % of the score (method "multiplier")
    result: Decimal | None = None  # achieved result, if known when the file is written


@dataclass(frozen=True)
class Quality:
    method: str = "none"  # none | reductions | multiplier (gateways apply in every method)
    combine: str = "additive"  # reductions: additive (1 - sum) or multiplicative (prod(1 - r))
    kpis: tuple[Kpi, ...] = ()


@dataclass(frozen=True)
class Withhold:
    """A % of the base contract value held back, returned only if the gain threshold is met."""

    base_contract_value: Decimal
    percent: Decimal


@dataclass(frozen=True)
class Attribution:
    method: str = "list_size"  # list_size | weighted_list_size | hours
    hours: dict[str, Decimal] = field(default_factory=dict)  # practice code -> hours
    rota: Path | None = None  # a rota workbook from `ooh rota solve` (Practice contribution)


@dataclass(frozen=True)
class Effect:
    """Assumed true effect of the service change: fractional change in activity rates.

    ``fixed``: always ``mean``; ``normal``: mean and sd; ``uniform``: between low and high.
    -0.03 means activity 3% below baseline.
    """

    distribution: str = "fixed"
    mean: float = 0.0
    sd: float = 0.0
    low: float = 0.0
    high: float = 0.0


@dataclass(frozen=True)
class Simulation:
    """Inputs for `ooh gainshare simulate` (TOML ``[simulation]``); command-line options win.

    ``effect``: the true effect distribution; ``trend_sd``: sd of the log level of activity
    with no real change in the performance year (0.02 = 2%), None to estimate it from the
    baseline data; ``draws`` and ``seed``: defaults for the command.
    """

    effect: Effect = Effect()
    trend_sd: float | None = None
    draws: int = 10_000
    seed: int | None = None


@dataclass(frozen=True)
class Contract:
    name: str
    commissioner: str
    provider: str
    performance_year_start: str  # "YYYY-MM": first month of the year being settled
    contract_year: int
    practices: tuple[Practice, ...]
    measures: tuple[Measure, ...]
    baseline: Baseline = Baseline()
    savings: Savings = Savings()
    gain: Side = Side()
    loss: Side | None = None  # None: one-sided (upside only)
    quality: Quality = Quality()
    withhold: Withhold | None = None
    attribution: Attribution = Attribution()
    simulation: Simulation = Simulation()
    source: Path | None = None  # the TOML file, for messages and run info
    practices_file: Path | None = None

    @property
    def performance_months(self) -> tuple[str, ...]:
        return months_from(self.performance_year_start, 12)

    @property
    def baseline_anchor(self) -> str:
        """First month after the baseline years: this year's start, or year 1's if not re-based."""
        if self.baseline.rebase or self.contract_year == 1:
            return self.performance_year_start
        return add_months(self.performance_year_start, -12 * (self.contract_year - 1))

    def baseline_year_months(self) -> tuple[tuple[str, ...], ...]:
        """The baseline years' months, oldest year first."""
        anchor = self.baseline_anchor
        n = self.baseline.years
        return tuple(months_from(add_months(anchor, -12 * (n - i)), 12) for i in range(n))

    def years_to_performance(self) -> tuple[int, ...]:
        """For each baseline year (oldest first), whole years until the performance year."""
        n = self.baseline.years
        extra = 0 if (self.baseline.rebase or self.contract_year == 1) else self.contract_year - 1
        return tuple(n - i + extra for i in range(n))

    def measure(self, code: str) -> Measure:
        for m in self.measures:
            if m.code == code:
                return m
        raise KeyError(code)


# --- months -------------------------------------------------------------------------------


def parse_month(text: str) -> tuple[int, int] | None:
    """ "2026-04" -> (2026, 4); None if not a valid YYYY-MM month."""
    m = MONTH_RE.match(text.strip()) if isinstance(text, str) else None
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    return (year, month) if 1 <= month <= 12 and 1900 <= year <= 2999 else None


def add_months(month: str, n: int) -> str:
    parsed = parse_month(month)
    if parsed is None:
        raise ValueError(f"not a YYYY-MM month: {month!r}")
    index = parsed[0] * 12 + parsed[1] - 1 + n
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_from(start: str, count: int) -> tuple[str, ...]:
    return tuple(add_months(start, i) for i in range(count))


# --- reading ------------------------------------------------------------------------------


class _Table:
    """A TOML table being read: tracks which keys were used, reports the rest as unknown."""

    def __init__(self, data: dict[str, Any], path: str, issues: IssueCollector, where: str):
        self.data = data
        self.path = path  # dotted key of this table ("" at top level)
        self.issues = issues
        self.where = where  # file name for messages
        self.known: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def at(self, name: str) -> str:
        return f"{self.where}: {self.key(name)}"

    def error(self, name: str, message: str) -> None:
        self.issues.add(self.at(name), message)

    def has(self, name: str) -> bool:
        self.known.add(name)
        return name in self.data

    def raw(self, name: str) -> Any:
        self.known.add(name)
        return self.data.get(name)

    def finish(self) -> None:
        for name in self.data:
            if name not in self.known:
                close = difflib.get_close_matches(name, sorted(self.known), n=1, cutoff=0.6)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                allowed = ", ".join(sorted(self.known))
                self.error(name, f"unknown key{hint} (allowed here: {allowed})")

    # typed getters: each returns the default (and records an issue) on a bad value

    def table(self, name: str, required: bool = False) -> _Table | None:
        value = self.raw(name)
        if value is None:
            if required:
                self.error(name, "missing table; add it (see models/README.md)")
            return None
        if not isinstance(value, dict):
            self.error(name, "must be a table")
            return None
        return _Table(value, self.key(name), self.issues, self.where)

    def tables(self, name: str) -> list[_Table]:
        value = self.raw(name)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.error(name, "must be a list of tables ([[...]] or [{...}, ...])")
            return []
        return [
            _Table(v, f"{self.key(name)}[{i}]", self.issues, self.where)
            for i, v in enumerate(value)
        ]

    def text(self, name: str, default: str | None = None, required: bool = False) -> str | None:
        value = self.raw(name)
        if value is None:
            if required:
                self.error(name, "missing; give a text value")
            return default
        if not isinstance(value, str) or not value.strip():
            self.error(name, "must be non-empty text in quotes")
            return default
        return value.strip()

    def choice(self, name: str, options: tuple[str, ...], default: str) -> str:
        value = self.raw(name)
        if value is None:
            return default
        if value not in options:
            self.error(name, f"must be one of {', '.join(options)}; got {value!r}")
            return default
        return str(value)

    def boolean(self, name: str, default: bool) -> bool:
        value = self.raw(name)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(name, "must be true or false (no quotes)")
            return default
        return value

    def integer(self, name: str, default: int | None, low: int | None = None) -> int | None:
        value = self.raw(name)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(name, f"must be a whole number; got {value!r}")
            return default
        if low is not None and value < low:
            self.error(name, f"must be at least {low}; got {value}")
            return default
        return value

    def decimal(
        self,
        name: str,
        default: Decimal | None,
        low: Decimal | None = None,
        high: Decimal | None = None,
        what: str = "a number",
        low_open: bool = False,
    ) -> Decimal | None:
        value = self.raw(name)
        if value is None:
            return default
        number = to_decimal(value)
        if number is None:
            self.error(name, f"must be {what}; got {value!r}")
            return default
        if low is not None and (number < low or (low_open and number == low)):
            bound = f"more than {low}" if low_open else f"at least {low}"
            self.error(name, f"must be {bound}; got {number}")
            return default
        if high is not None and number > high:
            self.error(name, f"must be at most {high}; got {number}")
            return default
        return number

    def percent(self, name: str, default: Decimal | None) -> Decimal | None:
        return self.decimal(name, default, Decimal(0), Decimal(100), "a percentage 0-100")

    def money(self, name: str, default: Decimal | None) -> Decimal | None:
        return self.decimal(name, default, Decimal(0), None, "an amount in £ (0 or more)")

    def real(self, name: str, default: float, low: float | None = None) -> float:
        value = self.raw(name)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.error(name, f"must be a number; got {value!r}")
            return default
        if not math.isfinite(value) or (low is not None and value < low):
            self.error(name, f"must be a finite number{'' if low is None else f' >= {low}'}")
            return default
        return float(value)


def to_decimal(value: Any) -> Decimal | None:
    """A TOML number or numeric string as an exact Decimal (floats via their shortest repr)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return Decimal(repr(value))
    if isinstance(value, str):
        try:
            number = Decimal(value.strip().replace(",", "").lstrip("£"))
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


def load_contract(path: str | Path) -> Contract:
    """Read and validate a contract file; raises InputError listing every problem."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError([], f"{path}: file not found") from None
    except OSError as exc:
        raise InputError([], f"{path}: cannot read ({exc.strerror})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError([], f"{path}: not a UTF-8 text file") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError([], f"{path}: not valid TOML ({exc}); check quotes and brackets") from None
    return contract_from_dict(data, source=path)


def contract_from_dict(data: dict[str, Any], source: Path | None = None) -> Contract:
    """Validate an already-parsed TOML document (tests and sweeps build these in code)."""
    where = source.name if source else "contract"
    issues = IssueCollector(str(source) if source else "contract")
    top = _Table(data, "", issues, where)
    base_dir = source.parent if source else Path(".")

    head = top.table("contract", required=True) or _Table({}, "contract", issues, where)
    name = head.text("name", default="Gain-share contract") or "Gain-share contract"
    start = head.text("performance_year_start", required=True) or "2000-01"
    if head.has("performance_year_start") and parse_month(start) is None:
        head.error(
            "performance_year_start", f"must be a month as YYYY-MM, e.g. 2026-04; got {start!r}"
        )
        start = "2000-01"
    contract_year = head.integer("contract_year", 1, low=1) or 1
    practices_file_text = head.text("practices_file")
    head.finish()

    parties = top.table("parties", required=True) or _Table({}, "parties", issues, where)
    commissioner = parties.text("commissioner", required=True) or ""
    provider = parties.text("provider", required=True) or ""
    parties.finish()

    practices_file = None
    practices = _read_practices(top, issues, where)
    if practices_file_text:
        practices_file = (base_dir / practices_file_text).resolve()
        if practices:
            head.error("practices_file", "give either practices_file or [[practices]], not both")
        else:
            practices = _practices_from_file(practices_file, head, issues)
    elif not practices and not issues:
        top.error(
            "practices", "no member practices; add [[practices]] rows or contract.practices_file"
        )

    measures = _read_measures(top)
    baseline = _read_baseline(top)
    savings = _read_savings(top)
    gain = _read_side(top, "gain", savings.basis, required=True) or Side()
    loss = _read_side(top, "loss", savings.basis, required=False)
    quality = _read_quality(top)
    withhold = _read_withhold(top)
    attribution = _read_attribution(top, base_dir, practices)
    simulation = _read_simulation(top)
    top.finish()
    issues.raise_if_any()

    return Contract(
        name=name,
        commissioner=commissioner,
        provider=provider,
        performance_year_start=start,
        contract_year=contract_year,
        practices=tuple(practices),
        measures=measures,
        baseline=baseline,
        savings=savings,
        gain=gain,
        loss=loss,
        quality=quality,
        withhold=withhold,
        attribution=attribution,
        simulation=simulation,
        source=source,
        practices_file=practices_file,
    )


def _read_practices(top: _Table, issues: IssueCollector, where: str) -> list[Practice]:
    practices: list[Practice] = []
    seen: set[str] = set()
    for t in top.tables("practices"):
        code = t.text("code", required=True)
        pname = t.text("name", default=code) or ""
        size = t.integer("list_size", None, low=1)
        if not t.has("list_size"):
            t.error("list_size", "missing; give the registered list size (a whole number)")
        weighted = t.decimal("weighted_list_size", None, Decimal(0), None, low_open=True)
        locality = t.text("locality")
        t.finish()
        if code and code in seen:
            t.error("code", f"practice {code} is listed twice")
        if code and size:
            seen.add(code)
            practices.append(
                Practice(code, pname, size, float(weighted) if weighted else None, locality)
            )
    return practices


def _practices_from_file(path: Path, head: _Table, issues: IssueCollector) -> list[Practice]:
    if not path.exists():
        head.error("practices_file", f"file not found: {path}")
        return []
    from ooh.rota.io import read_practices  # the rota's Practices sheet reader

    try:
        return list(read_practices(path))
    except InputError as exc:
        for issue in exc.issues:
            issues.add(f"{path.name}: {issue.where}", issue.message)
        if not exc.issues:
            head.error("practices_file", str(exc))
        return []
    except OohError as exc:  # e.g. no Practices sheet
        head.error("practices_file", str(exc))
        return []


def _read_measures(top: _Table) -> tuple[Measure, ...]:
    rows = top.tables("measures")
    if not rows:
        return tuple(Measure(code, n, p) for code, (n, p) in DEFAULT_MEASURES.items())
    measures: list[Measure] = []
    seen: set[str] = set()
    for t in rows:
        code = t.text("code", required=True) or ""
        default_name, default_price = DEFAULT_MEASURES.get(code, (code, None))
        mname = t.text("name", default=default_name) or code
        price = t.decimal("unit_price", default_price, Decimal(0), None, "a price in £", True)
        if price is None and not t.has("unit_price") and code:
            known = ", ".join(DEFAULT_MEASURES)
            t.error(
                "unit_price",
                f"missing; give the £ price per unit (defaults exist only for {known})",
            )
        uplift = t.decimal("uplift_pct", Decimal(0), Decimal(-100), Decimal(100), "a percentage")
        t.finish()
        if code in seen:
            t.error("code", f"measure {code} is listed twice")
        if code and price is not None:
            seen.add(code)
            measures.append(Measure(code, mname, price, uplift or Decimal(0)))
    return tuple(measures)


def _read_baseline(top: _Table) -> Baseline:
    t = top.table("baseline")
    if t is None:
        return Baseline()
    years = t.integer("years", 1, low=1) or 1
    if years > 10:
        t.error("years", f"at most 10 baseline years; got {years}")
        years = 1
    weights: tuple[Decimal, ...] = tuple(Decimal(100) / years for _ in range(years))
    raw_weights = t.raw("weights")
    if raw_weights is not None:
        parsed = [to_decimal(w) for w in raw_weights] if isinstance(raw_weights, list) else None
        if parsed is None or any(w is None or w < 0 for w in parsed):
            t.error("weights", "must be a list of percentages, e.g. [10, 30, 60] (oldest first)")
        elif len(parsed) != years:
            t.error("weights", f"has {len(parsed)} weights but baseline.years = {years}")
        elif sum(w for w in parsed if w is not None) != 100:
            total = sum(w for w in parsed if w is not None)
            t.error("weights", f"must add up to 100; they add up to {total}")
        else:
            weights = tuple(w for w in parsed if w is not None)
    rates = t.boolean("rates_per_1000", False)
    list_sizes: tuple[int, ...] = ()
    raw_sizes = t.raw("list_sizes")
    if raw_sizes is not None:
        ok = isinstance(raw_sizes, list) and all(
            isinstance(s, int) and not isinstance(s, bool) and s > 0 for s in raw_sizes
        )
        if not ok:
            t.error("list_sizes", "must be a list of whole numbers of registered patients")
        elif len(raw_sizes) != years:
            t.error("list_sizes", f"has {len(raw_sizes)} sizes but baseline.years = {years}")
        else:
            list_sizes = tuple(raw_sizes)
    if rates and raw_sizes is None:
        t.error(
            "list_sizes",
            "rates_per_1000 = true needs the federation list size of each baseline year, oldest first",
        )
    if raw_sizes is not None and not rates:
        t.error(
            "list_sizes", "is used only with rates_per_1000 = true; remove it or set rates_per_1000"
        )
    trend = t.decimal("trend_pct", Decimal(0), Decimal(-50), Decimal(50), "a percentage")
    rebase = t.boolean("rebase", True)
    t.finish()
    return Baseline(years, weights, rates, list_sizes, trend or Decimal(0), rebase)


def _read_savings(top: _Table) -> Savings:
    t = top.table("savings")
    if t is None:
        return Savings()
    basis = t.choice("basis", BASES, "currency")
    cost = t.money("extra_service_cost", Decimal(0)) or Decimal(0)
    t.finish()
    return Savings(basis, cost)


def _read_threshold(t: _Table | None, side: str, basis: str) -> Threshold:
    if t is None:
        return Threshold()
    kind = t.choice("type", THRESHOLD_TYPES, "none")
    allowed = (
        ("none", "percent", "amount", "population")
        if basis == "currency"
        else ("none", "ratio", "population")
    )
    if kind not in allowed:
        t.error(
            "type",
            f"with savings.basis = {basis!r} the threshold type must be one of {', '.join(allowed)}",
        )
    value: Decimal | None = None
    if kind == "percent":
        value = t.percent("value", None)
    elif kind == "amount":
        value = t.money("value", None)
    elif kind == "ratio":
        value = t.decimal("value", None, Decimal(0), None, "a ratio actual/baseline", True)
        if value is not None and side == "gain" and value > 1:
            t.error(
                "value",
                f"a gain threshold ratio must be at most 1 (actual below baseline); got {value}",
            )
        if value is not None and side == "loss" and value < 1:
            t.error(
                "value",
                f"a loss threshold ratio must be at least 1 (actual above baseline); got {value}",
            )
    else:
        t.has("value")
        if t.raw("value") is not None:
            t.error("value", f"not used with type = {kind!r}; remove it")
    if kind in ("percent", "amount", "ratio") and not t.has("value"):
        t.error("value", f"missing; type = {kind!r} needs a value")
    sharing = t.choice("sharing", SHARING_MODES, "first_pound")
    population = t.choice("population", POPULATIONS, "list_size")
    table = MSSP_TABLE
    raw_table = t.raw("table")
    if raw_table is not None:
        table = _read_population_table(t, raw_table) or MSSP_TABLE
        if kind != "population":
            t.error("table", 'is used only with type = "population"')
    t.finish()
    return Threshold(kind, value, sharing, population, table)


def _read_population_table(t: _Table, raw: Any) -> tuple[tuple[int, Decimal], ...] | None:
    good = isinstance(raw, list) and raw and all(isinstance(r, list) and len(r) == 2 for r in raw)
    if not good:
        t.error(
            "table",
            "must be a list of [population, percent] pairs, e.g. [[5000, 3.9], [60000, 2.0]]",
        )
        return None
    points: list[tuple[int, Decimal]] = []
    for i, (n, p) in enumerate(raw):
        pct = to_decimal(p)
        if (
            isinstance(n, bool)
            or not isinstance(n, int)
            or n < 0
            or pct is None
            or not 0 <= pct <= 100
        ):
            t.error(
                "table", f"row {i + 1} must be [whole population, percentage 0-100]; got {[n, p]}"
            )
            return None
        points.append((n, pct))
    if any(b[0] <= a[0] for a, b in pairwise(points)):
        t.error("table", "populations must be in increasing order")
        return None
    return tuple(points)


def _read_side(top: _Table, side: str, basis: str, required: bool) -> Side | None:
    t = top.table(side, required=required)
    if t is None:
        return None
    threshold = _read_threshold(t.table("threshold"), side, basis)
    tiers: list[Tier] = []
    rows = t.tables("tiers")
    if not rows and t.raw("tiers") is None:
        t.error("tiers", "missing; give at least one tier, e.g. tiers = [{share = 50}]")
    for i, row in enumerate(rows):
        share = row.percent("share", None)
        if not row.has("share"):
            row.error("share", "missing; give the provider's share of this band in %")
        up_to = row.decimal("up_to", None, Decimal(0), None, "a savings level", True)
        last = i == len(rows) - 1
        if last and row.raw("up_to") is not None:
            row.error("up_to", "the last tier has no upper limit; remove up_to")
            up_to = None
        if not last and row.raw("up_to") is None:
            row.error("up_to", "missing; every tier but the last needs its upper limit")
        row.finish()
        tiers.append(Tier(share if share is not None else Decimal(0), up_to))
    _check_tier_order(t, side, basis, tiers)
    minimum = t.money("minimum_payout", Decimal(0)) or Decimal(0)
    mode = t.choice("minimum_payout_mode", PAYOUT_MODES, "deductible")
    cap_amount = t.money("cap_amount", None)
    cap_percent = t.percent("cap_percent", None)
    if cap_amount is not None and cap_amount < minimum:
        t.error(
            "cap_amount",
            f"£{cap_amount} is below minimum_payout £{minimum}: nothing could ever be paid",
        )
    t.finish()
    return Side(threshold, tuple(tiers), minimum, mode, cap_amount, cap_percent)


def _check_tier_order(t: _Table, side: str, basis: str, tiers: list[Tier]) -> None:
    bounds = [tier.up_to for tier in tiers if tier.up_to is not None]
    if basis == "ratio":
        if side == "gain":
            ok = all(0 < b < 1 for b in bounds) and all(b < a for a, b in pairwise(bounds))
            rule = "ratios below 1, falling from tier to tier (e.g. 0.95 then 0.90)"
        else:
            ok = all(b > 1 for b in bounds) and all(b > a for a, b in pairwise(bounds))
            rule = "ratios above 1, rising from tier to tier (e.g. 1.05 then 1.10)"
    else:
        ok = all(b > a for a, b in pairwise(bounds))
        rule = "£ savings levels rising from tier to tier"
    if not ok:
        t.error("tiers", f"tiers out of order or overlapping: up_to must be {rule}")


def _read_quality(top: _Table) -> Quality:
    t = top.table("quality")
    if t is None:
        return Quality()
    method = t.choice("method", QUALITY_METHODS, "none")
    combine = t.choice("combine", COMBINE_MODES, "additive")
    kpis: list[Kpi] = []
    seen: set[str] = set()
    for row in t.tables("kpis"):
        code = row.text("code", required=True) or ""
        kname = row.text("name", default=code) or code
        pass_mark = row.decimal("pass_mark", None)
        if not row.has("pass_mark"):
            row.error("pass_mark", "missing; give the result needed to pass")
        higher = row.boolean("higher_is_better", True)
        gateway = row.boolean("gateway", False)
        reduction = row.percent("reduction", Decimal(0)) or Decimal(0)
        weight = row.percent("weight", Decimal(0)) or Decimal(0)
        result = row.decimal("result", None)
        row.finish()
        if code in seen:
            row.error("code", f"KPI {code} is listed twice")
        seen.add(code)
        if reduction and method != "reductions":
            row.error("reduction", 'is used only with quality.method = "reductions"')
        if weight and method != "multiplier":
            row.error("weight", 'is used only with quality.method = "multiplier"')
        kpis.append(
            Kpi(code, kname, pass_mark or Decimal(0), higher, gateway, reduction, weight, result)
        )
    if method == "multiplier":
        total = sum((k.weight for k in kpis), Decimal(0))
        if total != 100:
            t.error(
                "kpis",
                f'with method = "multiplier" the KPI weights must add up to 100; they add up to {total}',
            )
    if method != "none" and not kpis:
        t.error("kpis", f"method = {method!r} needs at least one [[quality.kpis]] entry")
    t.finish()
    return Quality(method, combine, tuple(kpis))


def _read_withhold(top: _Table) -> Withhold | None:
    t = top.table("withhold")
    if t is None:
        return None
    base = t.money("base_contract_value", None)
    if not t.has("base_contract_value"):
        t.error("base_contract_value", "missing; give the £ value of the base contract")
    pct = t.percent("percent", None)
    if not t.has("percent"):
        t.error("percent", "missing; give the % of the base contract value withheld")
    t.finish()
    return Withhold(base or Decimal(0), pct or Decimal(0))


def _read_attribution(top: _Table, base_dir: Path, practices: list[Practice]) -> Attribution:
    t = top.table("attribution")
    if t is None:
        return Attribution()
    method = t.choice("method", ATTRIBUTION_METHODS, "list_size")
    hours: dict[str, Decimal] = {}
    raw_hours = t.raw("hours")
    codes = {p.code for p in practices}
    if raw_hours is not None:
        if not isinstance(raw_hours, dict):
            t.error("hours", "must be a table of practice code = hours, e.g. {P01 = 120, P02 = 80}")
        else:
            for code, value in raw_hours.items():
                number = to_decimal(value)
                if number is None or number < 0:
                    t.issues.add(
                        f"{t.at('hours')}.{code}", f"must be hours (0 or more); got {value!r}"
                    )
                elif codes and code not in codes:
                    t.issues.add(f"{t.at('hours')}.{code}", f"unknown practice {code}")
                else:
                    hours[code] = number
    rota_text = t.text("rota")
    rota = (base_dir / rota_text).resolve() if rota_text else None
    if method == "hours" and raw_hours is None and rota is None:
        t.error(
            "method",
            'method = "hours" needs attribution.hours or attribution.rota (or --rota on the command line)',
        )
    if method != "hours" and (raw_hours is not None or rota is not None):
        t.error(
            "method", 'attribution.hours / attribution.rota are used only with method = "hours"'
        )
    if raw_hours is not None and rota is not None:
        t.error("rota", "give either attribution.hours or attribution.rota, not both")
    if method == "weighted_list_size" and any(p.weighted_list_size is None for p in practices):
        missing = ", ".join(p.code for p in practices if p.weighted_list_size is None)
        t.error(
            "method",
            f"weighted_list_size needs a weighted list size for every practice; missing for {missing}",
        )
    t.finish()
    return Attribution(method, hours, rota)


def _read_simulation(top: _Table) -> Simulation:
    t = top.table("simulation")
    if t is None:
        return Simulation()
    effect = Effect()
    e = t.table("effect")
    if e is not None:
        dist = e.choice("distribution", DISTRIBUTIONS, "fixed")
        mean = e.real("mean", 0.0)
        sd = e.real("sd", 0.0, low=0.0)
        low = e.real("low", 0.0)
        high = e.real("high", 0.0)
        if dist == "uniform" and high < low:
            e.error("high", f"must be at least low ({low}); got {high}")
        if mean <= -1 or low <= -1:
            e.error("mean", "an effect of -1 or less would mean no activity at all")
        e.finish()
        effect = Effect(dist, mean, sd, low, high)
    trend_sd = t.real("trend_sd", 0.0, low=0.0) if t.raw("trend_sd") is not None else None
    draws = t.integer("draws", 10_000, low=1) or 10_000
    seed = t.integer("seed", None, low=0)
    t.finish()
    return Simulation(effect, trend_sd, draws, seed)
