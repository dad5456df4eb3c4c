"""Exact year-end settlement of a gain-share contract, every step recorded.

Money is ``Decimal`` pounds rounded to the penny, half up, at every step shown; the next
step uses the rounded figure, so the statement adds up exactly as printed. No binary
floating point touches money. The order of operations (docs/gainshare-method.md):

    baseline -> actual -> gross savings -> net savings -> threshold test
    -> tiers (marginal bands) -> minimum payout -> caps -> quality -> withhold
    -> who pays whom -> split between member practices (largest remainder)

The arithmetic of each step is a small pure function (``threshold_amount``,
``tiered_amount``, ``apply_minimum``, ``apply_caps``, ``quality_factor``, ``side_amount``,
``split_largest_remainder``) so the Monte Carlo engine can mirror it in numpy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from itertools import pairwise
from pathlib import Path
from typing import Any

from ooh.errors import InputError, Issue, IssueCollector, OohError
from ooh.gainshare.activity import Activity
from ooh.gainshare.contract import Contract, Quality, Side, Threshold, to_decimal
from ooh.practice import Practice

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")  # money zero: shown as £0.00
ONE = Decimal(1)
HUNDRED = Decimal(100)


def money(x: Decimal) -> Decimal:
    """Round to the penny, half up (0.005 -> 0.01)."""
    return x.quantize(PENNY, rounding=ROUND_HALF_UP)


def gbp(x: Decimal) -> str:
    """£1,234.56 style, always two decimals; negatives as -£1,234.56."""
    text = f"£{abs(x):,.2f}"
    return "-" + text if x < 0 else text


def round_to(x: Decimal, places: int) -> Decimal:
    return x.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


# --- result structures --------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One line of the statement. ``unit``: "£", "count", "ratio", "%", "" (a yes/no test)."""

    section: str
    label: str
    formula: str  # the calculation in words, with the figures used
    amount: Decimal | None
    unit: str = "£"


@dataclass(frozen=True)
class MeasureResult:
    code: str
    name: str
    price: Decimal  # £ per unit in the performance year
    year_counts: tuple[int, ...]  # baseline years, oldest first
    year_values: tuple[Decimal, ...]  # per baseline year after rates and trend
    baseline_count: Decimal  # 2 dp
    baseline_cost: Decimal
    actual_count: int
    actual_cost: Decimal

    @property
    def savings(self) -> Decimal:
        return self.baseline_cost - self.actual_cost


@dataclass(frozen=True)
class Band:
    side: str  # "gain" or "loss"
    index: int  # 1-based
    lower: Decimal  # £ savings (or loss) where the band starts
    upper: Decimal | None  # None: no upper limit
    share: Decimal  # %
    base: Decimal  # £ of savings (or loss) falling in the band and counted
    amount: Decimal  # share of base, rounded


@dataclass(frozen=True)
class SideResult:
    """What one side (gain or loss) gives, step by step; all £."""

    side: str
    amount: Decimal  # gain or loss (positive)
    threshold: Decimal
    met: bool
    start: Decimal  # sharing counted from here (threshold when above_threshold, else 0)
    bands: tuple[Band, ...]
    tiered: Decimal
    after_minimum: Decimal
    cap: Decimal | None
    after_caps: Decimal


@dataclass(frozen=True)
class KpiResult:
    code: str
    name: str
    result: Decimal
    pass_mark: Decimal
    higher_is_better: bool
    passed: bool
    gateway: bool
    reduction: Decimal
    weight: Decimal


@dataclass(frozen=True)
class QualityResult:
    factor: Decimal  # 0..1 applied to the gain payment (and returned withhold)
    gateway_failed: bool
    kpis: tuple[KpiResult, ...]
    explanation: str


@dataclass(frozen=True)
class PracticeShare:
    code: str
    name: str
    weight: Decimal
    amount: Decimal  # £; negative when the federation repays


@dataclass(frozen=True)
class Settlement:
    contract: Contract
    steps: tuple[Step, ...]
    measures: tuple[MeasureResult, ...]
    baseline_cost: Decimal
    actual_cost: Decimal
    gross_savings: Decimal
    extra_service_cost: Decimal
    net_savings: Decimal
    ratio: Decimal  # (actual cost + extra service cost) / baseline cost, 4 dp
    population: int
    gain: SideResult | None  # None when there are no savings
    loss: SideResult | None  # None when no loss, or the contract is one-sided
    quality: QualityResult
    gain_payment: Decimal  # after quality
    repayment: Decimal  # provider repays (loss side)
    withheld: Decimal
    withhold_returned: Decimal
    transfer: Decimal  # year-end payment: > 0 commissioner pays provider, < 0 the reverse
    provider_net: Decimal  # gain payment - repayment - withhold kept
    commissioner_net_saving: Decimal  # net savings - provider_net
    practices: tuple[PracticeShare, ...]
    attribution_note: str
    inputs: dict[str, Any] = field(default_factory=dict)

    @property
    def payer(self) -> str:
        if self.transfer > 0:
            return self.contract.commissioner
        return self.contract.provider if self.transfer < 0 else ""

    @property
    def payee(self) -> str:
        if self.transfer > 0:
            return self.contract.provider
        return self.contract.commissioner if self.transfer < 0 else ""

    @property
    def bands(self) -> tuple[Band, ...]:
        return (self.gain.bands if self.gain else ()) + (self.loss.bands if self.loss else ())


# --- pure arithmetic (mirrored in numpy by the simulator) ---------------------------------


def interpolate_table(population: int, table: Sequence[tuple[int, Decimal]]) -> Decimal:
    """% from a (population, %) table: linear between points, flat beyond the ends; 4 dp."""
    if population <= table[0][0]:
        return table[0][1]
    for (n0, p0), (n1, p1) in pairwise(table):
        if population < n1:
            return round_to(p0 + (p1 - p0) * Decimal(population - n0) / Decimal(n1 - n0), 4)
    return table[-1][1]


def threshold_amount(
    threshold: Threshold, side: str, baseline_cost: Decimal, population: int
) -> tuple[Decimal, str]:
    """The threshold in £ and how it was worked out.

    percent: B x v%; amount: v; ratio: B x (1 - r) on the gain side, B x (r - 1) on the loss
    side; population: B x table(population)%; none: 0.
    """
    b = baseline_cost
    if threshold.type == "percent":
        assert threshold.value is not None
        return money(b * threshold.value / HUNDRED), f"{threshold.value}% of baseline cost {gbp(b)}"
    if threshold.type == "amount":
        assert threshold.value is not None
        return money(threshold.value), f"fixed {gbp(threshold.value)}"
    if threshold.type == "ratio":
        assert threshold.value is not None
        r = threshold.value
        gap = ONE - r if side == "gain" else r - ONE
        return money(b * gap), f"ratio {r}: baseline cost {gbp(b)} x {gap}"
    if threshold.type == "population":
        rate = interpolate_table(population, threshold.table)
        return (
            money(b * rate / HUNDRED),
            f"population {population:,} -> {rate}% (table, interpolated) of baseline cost {gbp(b)}",
        )
    return ZERO, "no minimum"


def tier_limits(side: Side, basis: str, baseline_cost: Decimal, name: str) -> list[Decimal | None]:
    """Each tier's upper limit in £ (None for the open top band); ratios converted via B."""
    limits: list[Decimal | None] = []
    for tier in side.tiers:
        if tier.up_to is None:
            limits.append(None)
        elif basis == "ratio":
            gap = ONE - tier.up_to if name == "gain" else tier.up_to - ONE
            limits.append(money(baseline_cost * gap))
        else:
            limits.append(tier.up_to)
    return limits


def tiered_amount(
    amount: Decimal,
    limits: Sequence[Decimal | None],
    shares: Sequence[Decimal],
    start: Decimal = ZERO,
    side: str = "gain",
) -> tuple[Decimal, tuple[Band, ...]]:
    """Marginal bands, like tax bands: each share applies only to the part of ``amount``
    inside its band, counting from ``start`` (the threshold when sharing only above it).

    Band i covers (limit[i-1], limit[i]]; its base is the part of (start, amount] inside it;
    band amount = share% x base, rounded to the penny; the total is the sum of band amounts.
    """
    bands: list[Band] = []
    lower = ZERO
    total = ZERO
    for i, (upper, share) in enumerate(zip(limits, shares, strict=True), start=1):
        top = amount if upper is None else min(amount, upper)
        base = max(ZERO, top - max(lower, start))
        value = money(base * share / HUNDRED)
        bands.append(Band(side, i, lower, upper, share, base, value))
        total += value
        if upper is None:
            break
        lower = upper
    return total, tuple(bands)


def apply_minimum(amount: Decimal, minimum: Decimal, mode: str) -> Decimal:
    """all_or_nothing: below the minimum pay nothing; deductible: pay only what is above it."""
    if minimum <= 0:
        return amount
    if mode == "all_or_nothing":
        return amount if amount >= minimum else ZERO
    return max(ZERO, amount - minimum)


def effective_cap(
    cap_amount: Decimal | None, cap_percent: Decimal | None, baseline_cost: Decimal
) -> Decimal | None:
    """The lower of the £ cap and the % of baseline cap (None if neither is set)."""
    caps = []
    if cap_amount is not None:
        caps.append(money(cap_amount))
    if cap_percent is not None:
        caps.append(money(baseline_cost * cap_percent / HUNDRED))
    return min(caps) if caps else None


def apply_caps(amount: Decimal, cap: Decimal | None) -> Decimal:
    return amount if cap is None else min(amount, cap)


def side_amount(
    side: Side, name: str, basis: str, amount: Decimal, baseline_cost: Decimal, population: int
) -> SideResult:
    """Threshold test, tiers, minimum payout and caps for one side (before quality).

    ``amount`` is the net saving (gain side) or net overspend (loss side), a positive £ figure.
    The threshold is met when amount >= threshold and amount > 0.
    """
    threshold, _ = threshold_amount(side.threshold, name, baseline_cost, population)
    met = amount > 0 and amount >= threshold
    start = threshold if side.threshold.sharing == "above_threshold" else ZERO
    limits = tier_limits(side, basis, baseline_cost, name)
    shares = [t.share for t in side.tiers]
    if met:
        tiered, bands = tiered_amount(amount, limits, shares, start, name)
    else:
        tiered, bands = ZERO, tiered_amount(ZERO, limits, shares, ZERO, name)[1]
    after_minimum = apply_minimum(tiered, side.minimum_payout, side.minimum_payout_mode)
    cap = effective_cap(side.cap_amount, side.cap_percent, baseline_cost)
    after_caps = apply_caps(after_minimum, cap)
    return SideResult(
        name, amount, threshold, met, start, bands, tiered, after_minimum, cap, after_caps
    )


def quality_factor(quality: Quality, results: Mapping[str, Decimal]) -> QualityResult:
    """Factor 0..1 for the gain payment.

    Any failed gateway KPI -> 0. Otherwise, method "reductions": additive
    max(0, 1 - sum of failed reductions), multiplicative product of (1 - reduction);
    "multiplier": sum of the weights of passed KPIs / 100; "none": 1.
    """
    kpis = []
    for k in quality.kpis:
        r = results[k.code]
        passed = r >= k.pass_mark if k.higher_is_better else r <= k.pass_mark
        kpis.append(
            KpiResult(
                k.code,
                k.name,
                r,
                k.pass_mark,
                k.higher_is_better,
                passed,
                k.gateway,
                k.reduction,
                k.weight,
            )
        )
    failed_gates = [k.code for k in kpis if k.gateway and not k.passed]
    if failed_gates:
        return QualityResult(
            ZERO, True, tuple(kpis), f"gateway failed ({', '.join(failed_gates)}): no gain payment"
        )
    if quality.method == "reductions":
        cuts = [k.reduction for k in kpis if not k.passed and not k.gateway and k.reduction]
        if not cuts:
            return QualityResult(ONE, False, tuple(kpis), "no standard failed: factor 1")
        if quality.combine == "additive":
            factor = max(ZERO, ONE - sum(cuts, ZERO) / HUNDRED)
            text = f"1 - ({' + '.join(f'{c}%' for c in cuts)}) = {factor}"
        else:
            factor = ONE
            for c in cuts:
                factor *= ONE - c / HUNDRED
            text = " x ".join(f"(1 - {c}%)" for c in cuts) + f" = {factor}"
        return QualityResult(factor, False, tuple(kpis), text)
    if quality.method == "multiplier":
        passed_weights = [k.weight for k in kpis if k.passed and k.weight]
        factor = sum(passed_weights, ZERO) / HUNDRED
        text = f"score {sum(passed_weights, ZERO)}% (weights of passed KPIs) = factor {factor}"
        return QualityResult(factor, False, tuple(kpis), text)
    return QualityResult(ONE, False, tuple(kpis), "no quality adjustment: factor 1")


def split_largest_remainder(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split ``total`` £ by weights so the parts add up to it exactly, to the penny.

    Each part gets its floor in pence of total x weight / sum of weights; leftover pennies go
    one each to the largest remainders (ties: earlier in the list first).
    """
    pence = int((total / PENNY).to_integral_value())
    sign = -1 if pence < 0 else 1
    pence = abs(pence)
    weight_sum = sum(weights, ZERO)
    if pence == 0 or weight_sum <= 0:
        return [ZERO for _ in weights]
    quotas = [Decimal(pence) * w / weight_sum for w in weights]
    floors = [int(q.to_integral_value(rounding=ROUND_FLOOR)) for q in quotas]
    left = pence - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(quotas[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [sign * Decimal(f) * PENNY for f in floors]


# --- the settlement -----------------------------------------------------------------------


def contract_price(unit_price: Decimal, uplift_pct: Decimal, contract_year: int) -> Decimal:
    """Price in the performance year: unit price x (1 + uplift%)^(contract year - 1), to the penny."""
    return money(unit_price * (ONE + uplift_pct / HUNDRED) ** (contract_year - 1))


def population_of(practices: Sequence[Practice], which: str) -> int:
    if which == "weighted_list_size":
        return int(
            round_to(
                sum(
                    (to_decimal(p.weighted_list_size or p.list_size) or ZERO for p in practices),
                    ZERO,
                ),
                0,
            )
        )
    return sum(p.list_size for p in practices)


def settle(
    contract: Contract,
    activity: Activity,
    quality_results: Mapping[str, Any] | None = None,
    hours: Mapping[str, Any] | None = None,
) -> Settlement:
    """Settle the performance year. ``quality_results`` (KPI code -> result) override the
    ``result`` values in the contract; ``hours`` (practice code -> hours) override the
    contract's attribution hours (e.g. read from a rota workbook)."""
    steps: list[Step] = []

    def step(
        section: str, label: str, formula: str, amount: Decimal | None, unit: str = "£"
    ) -> None:
        steps.append(Step(section, label, formula, amount, unit))

    _check_activity(contract, activity)
    codes = [p.code for p in contract.practices]
    year_months = contract.baseline_year_months()
    gaps = contract.years_to_performance()
    b = contract.baseline
    current_list = sum(p.list_size for p in contract.practices)
    trend = ONE + b.trend_pct / HUNDRED

    step(
        "Inputs",
        "Performance year",
        f"{contract.performance_months[0]} to {contract.performance_months[-1]} (contract year {contract.contract_year})",
        None,
        "",
    )
    years_text = "; ".join(
        f"year {i + 1}: {ms[0]} to {ms[-1]}, weight {w}%"
        for i, (ms, w) in enumerate(zip(year_months, b.weights, strict=True))
    )
    step(
        "Inputs",
        "Baseline years",
        years_text + ("" if b.rebase or contract.contract_year == 1 else " (not re-based)"),
        None,
        "",
    )

    measures: list[MeasureResult] = []
    for m in contract.measures:
        section = f"Measure {m.code}"
        price = contract_price(m.unit_price, m.uplift_pct, contract.contract_year)
        uplift = (
            f" x (1 + {m.uplift_pct}%)^{contract.contract_year - 1}"
            if m.uplift_pct and contract.contract_year > 1
            else ""
        )
        step(section, f"Unit price: {m.name}", f"{gbp(m.unit_price)}{uplift}", price)
        counts = tuple(activity.total(m.code, months, codes) for months in year_months)
        values: list[Decimal] = []
        weighted = ZERO
        for i, (n, gap, w) in enumerate(zip(counts, gaps, b.weights, strict=True)):
            value = Decimal(n)
            text = f"{n:,} in the year"
            if b.rates_per_1000:
                value = value * 1000 / Decimal(b.list_sizes[i])
                text = f"{n:,} x 1,000 / list {b.list_sizes[i]:,} = rate {round_to(value, 4)} per 1,000"
            if b.trend_pct:
                value = value * trend**gap
                text += f"; x (1 + {b.trend_pct}%)^{gap} trend = {round_to(value, 4)}"
            values.append(value)
            weighted += value * w / HUNDRED
            step(
                section,
                f"Baseline year {i + 1} ({year_months[i][0]} to {year_months[i][-1]})",
                text,
                Decimal(n),
                "count",
            )
        if b.rates_per_1000:
            count = round_to(weighted * Decimal(current_list) / 1000, 2)
            formula = f"weighted rate {round_to(weighted, 4)} per 1,000 x current list {current_list:,} / 1,000"
        else:
            count = round_to(weighted, 2)
            formula = "weighted mean of baseline years" if b.years > 1 else "baseline year count"
            if b.trend_pct:
                formula += " after trend"
        step(section, "Baseline (expected) count", formula + " (2 dp)", count, "count")
        cost = money(count * price)
        step(section, "Baseline cost", f"{count:,} x {gbp(price)}", cost)
        actual = activity.total(m.code, contract.performance_months, codes)
        step(
            section,
            "Actual count (performance year)",
            "sum over member practices and months",
            Decimal(actual),
            "count",
        )
        actual_cost = money(Decimal(actual) * price)
        step(section, "Actual cost", f"{actual:,} x {gbp(price)}", actual_cost)
        step(
            section,
            "Savings on this measure",
            f"{gbp(cost)} - {gbp(actual_cost)}",
            cost - actual_cost,
        )
        measures.append(
            MeasureResult(
                m.code, m.name, price, counts, tuple(values), count, cost, actual, actual_cost
            )
        )

    baseline_cost = sum((r.baseline_cost for r in measures), ZERO)
    actual_cost = sum((r.actual_cost for r in measures), ZERO)
    if baseline_cost <= 0:
        raise OohError(
            "the baseline cost is £0 (no baseline activity): nothing to settle against; check the activity file covers the baseline years"
        )
    gross = baseline_cost - actual_cost
    extra = money(contract.savings.extra_service_cost)
    net = gross - extra
    ratio = round_to((actual_cost + extra) / baseline_cost, 4)
    step(
        "Savings",
        "Baseline cost, all measures",
        " + ".join(f"{gbp(r.baseline_cost)}" for r in measures),
        baseline_cost,
    )
    step(
        "Savings",
        "Actual cost, all measures",
        " + ".join(f"{gbp(r.actual_cost)}" for r in measures),
        actual_cost,
    )
    step("Savings", "Gross savings", f"{gbp(baseline_cost)} - {gbp(actual_cost)}", gross)
    if extra:
        step(
            "Savings",
            "Provider's extra service cost",
            "counted against savings (contract savings.extra_service_cost)",
            extra,
        )
    step("Savings", "Net savings", f"{gbp(gross)} - {gbp(extra)}", net)
    step(
        "Savings",
        "Ratio actual / baseline",
        f"({gbp(actual_cost)} + {gbp(extra)}) / {gbp(baseline_cost)}",
        ratio,
        "ratio",
    )

    basis = contract.savings.basis
    population = population_of(contract.practices, contract.gain.threshold.population)

    gain_result = None
    if net > 0:
        gain_result = side_amount(contract.gain, "gain", basis, net, baseline_cost, population)
        _record_side(step, contract.gain, gain_result, basis, baseline_cost, population, ratio)
    else:
        step("Gain", "Gain side", "no net savings: no gain-share payment", ZERO)

    # KPI results matter only when something could be paid on the gain side; a year with no
    # gain payment and no withhold to return settles without them.
    needs_quality = gain_result is not None and gain_result.met
    if needs_quality or quality_results:
        quality = _quality(contract, quality_results)
    else:
        quality = QualityResult(ONE, False, (), "not needed: gain threshold not met")
    gain_payment = ZERO
    if gain_result is not None and gain_result.after_caps > 0:
        if contract.quality.kpis:
            for k in quality.kpis:
                if k.higher_is_better:
                    rel = ">=" if k.passed else "<"
                else:
                    rel = "<=" if k.passed else ">"
                role = (
                    "gateway"
                    if k.gateway
                    else (
                        f"reduction {k.reduction}%"
                        if k.reduction
                        else f"weight {k.weight}%"
                        if k.weight
                        else ""
                    )
                )
                step(
                    "Quality",
                    f"KPI {k.code}: {k.name}",
                    f"result {k.result} {rel} pass mark {k.pass_mark}: {'pass' if k.passed else 'FAIL'} {('(' + role + ')') if role else ''}".rstrip(),
                    None,
                    "",
                )
            step("Quality", "Quality factor", quality.explanation, quality.factor, "ratio")
        gain_payment = money(gain_result.after_caps * quality.factor)
        step(
            "Quality",
            "Gain-share payment after quality",
            f"{gbp(gain_result.after_caps)} x {quality.factor}",
            gain_payment,
        )
    elif gain_result is not None:
        step("Quality", "Gain-share payment", "nothing to adjust for quality", ZERO)

    loss_result = None
    repayment = ZERO
    if net < 0 and contract.loss is not None:
        loss_pop = population_of(contract.practices, contract.loss.threshold.population)
        loss_result = side_amount(contract.loss, "loss", basis, -net, baseline_cost, loss_pop)
        _record_side(step, contract.loss, loss_result, basis, baseline_cost, loss_pop, ratio)
        repayment = loss_result.after_caps
        step(
            "Loss",
            "Repayment by the provider",
            "loss side after tiers, minimum and caps (no quality adjustment)",
            repayment,
        )
    elif net < 0:
        step("Loss", "Loss side", "one-sided contract: the provider repays nothing", ZERO)

    withheld = returned = ZERO
    if contract.withhold is not None:
        wh = contract.withhold
        withheld = money(wh.base_contract_value * wh.percent / HUNDRED)
        step(
            "Withhold",
            "Withheld from the base contract",
            f"{wh.percent}% of {gbp(wh.base_contract_value)}",
            withheld,
        )
        threshold_met = gain_result is not None and gain_result.met
        returned = money(withheld * quality.factor) if threshold_met else ZERO
        why = (
            f"gain threshold met: {gbp(withheld)} x quality factor {quality.factor}"
            if threshold_met
            else "gain threshold not met: withhold kept by the commissioner"
        )
        step("Withhold", "Withhold returned", why, returned)

    transfer = gain_payment + returned - repayment
    provider_net = gain_payment - repayment - (withheld - returned)
    commissioner_net = net - provider_net
    step(
        "Settlement",
        "Year-end payment",
        f"gain payment {gbp(gain_payment)} + withhold returned {gbp(returned)} - repayment {gbp(repayment)}",
        transfer,
    )
    if transfer > 0:
        who = f"{contract.commissioner} pays {contract.provider} {gbp(transfer)}"
    elif transfer < 0:
        who = f"{contract.provider} pays {contract.commissioner} {gbp(-transfer)}"
    else:
        who = "no payment either way"
    step("Settlement", "Who pays whom", who, abs(transfer))
    step(
        "Settlement",
        "Provider's net gain",
        f"{gbp(gain_payment)} - {gbp(repayment)} - withhold kept {gbp(withheld - returned)}",
        provider_net,
    )
    step(
        "Settlement",
        "Commissioner's net saving",
        f"net savings {gbp(net)} - provider's net gain {gbp(provider_net)}",
        commissioner_net,
    )

    shares, note = _split(contract, transfer, hours)
    for s in shares:
        step("Practices", f"{s.code} {s.name}", f"weight {s.weight:,} ({note})", s.amount)

    return Settlement(
        contract=contract,
        steps=tuple(steps),
        measures=tuple(measures),
        baseline_cost=baseline_cost,
        actual_cost=actual_cost,
        gross_savings=gross,
        extra_service_cost=extra,
        net_savings=net,
        ratio=ratio,
        population=population,
        gain=gain_result,
        loss=loss_result,
        quality=quality,
        gain_payment=gain_payment,
        repayment=repayment,
        withheld=withheld,
        withhold_returned=returned,
        transfer=transfer,
        provider_net=provider_net,
        commissioner_net_saving=commissioner_net,
        practices=tuple(shares),
        attribution_note=note,
    )


def _record_side(
    step: Any, side: Side, r: SideResult, basis: str, b: Decimal, population: int, ratio: Decimal
) -> None:
    sec = "Gain" if r.side == "gain" else "Loss"
    what = "net savings" if r.side == "gain" else "net overspend"
    _, how = threshold_amount(side.threshold, r.side, b, population)
    label = "Minimum savings threshold" if r.side == "gain" else "Neutral corridor (loss threshold)"
    step(sec, label, how, r.threshold)
    test = f"{what} {gbp(r.amount)} {'>=' if r.met else '<'} {gbp(r.threshold)}"
    if basis == "ratio":
        test += f" (ratio {ratio})"
    step(
        sec, "Threshold test", test + (": met" if r.met else ": not met, nothing shared"), None, ""
    )
    if not r.met:
        return
    mode = (
        "above the threshold only"
        if side.threshold.sharing == "above_threshold"
        else "from the first pound"
    )
    step(sec, "Sharing", f"{what} shared {mode}: counted from {gbp(r.start)}", r.start)
    for band in r.bands:
        span = (
            f"above {gbp(band.lower)}"
            if band.upper is None
            else f"{gbp(band.lower)} to {gbp(band.upper)}"
        )
        step(
            sec,
            f"Tier {band.index}: {span} at {band.share}%",
            f"{band.share}% x {gbp(band.base)} in band",
            band.amount,
        )
    step(sec, "Tiered amount", " + ".join(f"{gbp(band.amount)}" for band in r.bands), r.tiered)
    if side.minimum_payout > 0:
        if side.minimum_payout_mode == "all_or_nothing":
            text = f"all-or-nothing minimum {gbp(side.minimum_payout)}: {gbp(r.tiered)} {'>=' if r.tiered >= side.minimum_payout else '<'} minimum"
        else:
            text = f"deductible minimum: max(0, {gbp(r.tiered)} - {gbp(side.minimum_payout)})"
        step(sec, "After minimum payout", text, r.after_minimum)
    if r.cap is not None:
        parts = []
        if side.cap_amount is not None:
            parts.append(f"{gbp(side.cap_amount)}")
        if side.cap_percent is not None:
            parts.append(
                f"{side.cap_percent}% of {gbp(b)} = {gbp(money(b * side.cap_percent / HUNDRED))}"
            )
        step(sec, "Cap", "lower of " + " and ".join(parts) if len(parts) > 1 else parts[0], r.cap)
        step(sec, "After caps", f"min({gbp(r.after_minimum)}, {gbp(r.cap)})", r.after_caps)


def _quality(contract: Contract, given: Mapping[str, Any] | None) -> QualityResult:
    issues = IssueCollector(str(contract.source) if contract.source else "contract")
    where = contract.source.name if contract.source else "contract"
    given = dict(given or {})
    results: dict[str, Decimal] = {}
    known = {k.code for k in contract.quality.kpis}
    for code in given:
        if code not in known:
            issues.add(
                f"quality result {code}",
                f"unknown KPI; the contract's KPIs are {', '.join(sorted(known)) or 'none'}",
            )
    for i, k in enumerate(contract.quality.kpis):
        raw = given.get(k.code, k.result)
        value = raw if isinstance(raw, Decimal) else to_decimal(raw) if raw is not None else None
        if value is None:
            issues.add(
                f"{where}: quality.kpis[{i}].result",
                f"no valid result for KPI {k.code}; add result = ... to the contract or pass --kpi {k.code}=VALUE",
            )
        else:
            results[k.code] = value
    issues.raise_if_any()
    return quality_factor(contract.quality, results)


def _check_activity(contract: Contract, activity: Activity) -> None:
    """Every member practice needs a row for every measure and month used."""
    months = [m for year in contract.baseline_year_months() for m in year] + list(
        contract.performance_months
    )
    missing = activity.missing(
        [p.code for p in contract.practices], [m.code for m in contract.measures], months
    )
    if not missing:
        return
    grouped: dict[tuple[str, str], list[str]] = {}
    for p, code, m in missing:
        grouped.setdefault((p, code), []).append(m)
    issues = [
        Issue(
            f"practice {p}, measure {code}",
            f"no rows for {len(ms)} month(s): {', '.join(ms[:6])}{' ...' if len(ms) > 6 else ''}",
        )
        for (p, code), ms in grouped.items()
    ]
    source = str(activity.source) if activity.source else "activity"
    needed = f"{months[0]} to {months[-1]}"
    raise InputError(
        issues[:50] + ([Issue("", f"... and {len(issues) - 50} more")] if len(issues) > 50 else []),
        f"{source} (needs {needed})",
    )


def _split(
    contract: Contract, transfer: Decimal, hours: Mapping[str, Any] | None
) -> tuple[list[PracticeShare], str]:
    a = contract.attribution
    practices = contract.practices
    if a.method == "hours":
        table = {
            k: to_decimal(v) or ZERO for k, v in (hours if hours is not None else a.hours).items()
        }
        if hours is None and not a.hours and a.rota is not None:
            table = read_rota_hours(a.rota)
        weights = [table.get(p.code, ZERO) for p in practices]
        if sum(weights, ZERO) <= 0:
            raise OohError(
                "attribution by hours: no member practice has any hours; check the hours table or rota workbook"
            )
        note = "by hours worked"
    elif a.method == "weighted_list_size":
        weights = [to_decimal(p.weighted_list_size) or ZERO for p in practices]
        note = "by weighted list size"
    else:
        weights = [Decimal(p.list_size) for p in practices]
        note = "by list size"
    amounts = split_largest_remainder(transfer, weights)
    return [
        PracticeShare(p.code, p.name, w, x)
        for p, w, x in zip(practices, weights, amounts, strict=True)
    ], note


def read_rota_hours(path: str | Path) -> dict[str, Decimal]:
    """Hours per practice from the "Practice contribution" sheet of an `ooh rota solve` workbook.

    The sheet needs a practice code column ("Practice" or "Practice code") and an hours column
    ("Hours worked", as `ooh rota solve` writes it, or else the first header with "hours").
    """
    from openpyxl import load_workbook

    path = Path(path)
    if not path.exists():
        raise InputError([], f"{path}: rota workbook not found")
    sheet = "Practice contribution"
    from ooh.safety import check_workbook

    check_workbook(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise InputError([], f"{path}: cannot open as an Excel workbook ({exc})") from None
    if sheet not in wb.sheetnames:
        wb.close()
        raise InputError(
            [Issue(path.name, f"no '{sheet}' sheet; give a workbook written by `ooh rota solve`")],
            str(path),
        )
    rows = list(wb[sheet].iter_rows(values_only=True))
    wb.close()
    header = [str(h).strip().lower() if h is not None else "" for h in (rows[0] if rows else [])]
    code_col = next(
        (i for i, h in enumerate(header) if h in ("practice code", "code", "practice")), None
    )
    exact = [i for i, h in enumerate(header) if h in ("hours worked", "hours")]
    hours_col = exact[0] if exact else next((i for i, h in enumerate(header) if "hours" in h), None)
    if code_col is None or hours_col is None:
        raise InputError(
            [
                Issue(
                    f"{path.name}: {sheet}!1:1",
                    "needs a 'Practice' (code) column and an hours column",
                )
            ],
            str(path),
        )
    hours: dict[str, Decimal] = {}
    for row in rows[1:]:
        code = row[code_col] if code_col < len(row) else None
        value = to_decimal(row[hours_col]) if hours_col < len(row) else None
        if code is None or value is None or str(code).strip().lower() in ("total", "none", ""):
            continue
        hours[str(code).strip()] = hours.get(str(code).strip(), ZERO) + value
    return hours
