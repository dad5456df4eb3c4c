"""Property tests of the settlement arithmetic (hypothesis)."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ooh.gainshare.activity import Activity
from ooh.gainshare.contract import add_months, contract_from_dict, months_from
from ooh.gainshare.settle import settle, side_amount

SETTINGS = settings(max_examples=40, deadline=None)
B = D("1000000.00")
MEASURES = ("ae_attendance", "admission_short", "admission_long")


@st.composite
def side_terms(
    draw: Any, sharing: str | None = None, minimum_mode: str | None = None
) -> dict[str, Any]:
    n = draw(st.integers(1, 4))
    bounds = sorted(draw(st.sets(st.integers(1, 200_000), min_size=n - 1, max_size=n - 1)))
    shares = draw(st.lists(st.integers(0, 100), min_size=n, max_size=n))
    tiers = [{"up_to": b, "share": s} for b, s in zip(bounds, shares, strict=False)]
    tiers.append({"share": shares[-1]})
    kind = draw(st.sampled_from(["none", "percent", "amount"]))
    threshold: dict[str, Any] = {
        "type": kind,
        "sharing": sharing or draw(st.sampled_from(["first_pound", "above_threshold"])),
    }
    if kind == "percent":
        threshold["value"] = draw(st.integers(0, 50)) / 10
    elif kind == "amount":
        threshold["value"] = draw(st.integers(0, 60_000))
    terms: dict[str, Any] = {"tiers": tiers, "threshold": threshold}
    minimum = draw(st.integers(0, 20_000))
    terms["minimum_payout"] = minimum
    terms["minimum_payout_mode"] = minimum_mode or draw(
        st.sampled_from(["deductible", "all_or_nothing"])
    )
    if draw(st.booleans()):
        terms["cap_amount"] = minimum + draw(st.integers(0, 100_000))
    if draw(st.booleans()):
        terms["cap_percent"] = draw(st.integers(0, 20))
    return terms


def contract_with(gain: dict[str, Any], **more: Any):
    doc = {
        "contract": {"performance_year_start": "2026-04"},
        "parties": {"commissioner": "ICB", "provider": "Federation"},
        "practices": [
            {"code": "P01", "list_size": 7000},
            {"code": "P02", "list_size": 5000},
            {"code": "P03", "list_size": 3000},
        ],
        "gain": gain,
        **more,
    }
    return contract_from_dict(doc)


pence = st.integers(0, 30_000_000).map(lambda p: D(p) / 100)


@SETTINGS
@given(side_terms(), pence, pence)
def test_gain_payment_never_decreases_as_savings_grow(terms, a, b):
    side = contract_with(terms).gain
    low, high = sorted((a, b))
    pay_low = side_amount(side, "gain", "currency", low, B, 15000).after_caps
    pay_high = side_amount(side, "gain", "currency", high, B, 15000).after_caps
    assert pay_low <= pay_high


@SETTINGS
@given(side_terms(sharing="above_threshold", minimum_mode="deductible"), pence)
def test_gain_payment_is_continuous_above_threshold_with_deductible_minimum(terms, s):
    # a penny more savings moves the payment by at most a penny (one band's rounding)
    side = contract_with(terms).gain
    here = side_amount(side, "gain", "currency", s, B, 15000).after_caps
    step = side_amount(side, "gain", "currency", s + D("0.01"), B, 15000).after_caps
    assert D(0) <= step - here <= D("0.01")


@SETTINGS
@given(side_terms(), pence)
def test_caps_and_minimums_always_hold(terms, s):
    side = contract_with(terms).gain
    r = side_amount(side, "gain", "currency", s, B, 15000)
    if r.cap is not None:
        assert r.after_caps <= r.cap
    if side.minimum_payout_mode == "all_or_nothing":
        assert r.after_minimum in (D(0), r.tiered)
        assert r.after_minimum == 0 or r.after_minimum >= side.minimum_payout
    else:
        assert r.after_minimum == max(D(0), r.tiered - side.minimum_payout)
    max_share = max(t.share for t in side.tiers)
    n_bands = len(side.tiers)
    assert r.tiered <= s * max_share / 100 + D("0.005") * n_bands  # never more than the best share
    if not r.met:
        assert r.after_caps == 0


def activity_for(baseline: dict[str, int], actual: dict[str, dict[str, int]]) -> Activity:
    counts: dict[tuple[str, str, str], int] = {}
    for i, month in enumerate(months_from(add_months("2026-04", -12), 24)):
        for p in ("P01", "P02", "P03"):
            for m in MEASURES:
                if i < 12:
                    counts[(p, month, m)] = baseline[m] if (p, i) == ("P01", 0) else 0
                else:
                    counts[(p, month, m)] = actual[m][p] if i == 12 else 0
    return Activity(counts)


@st.composite
def whole_contract(draw: Any, extra_cost: bool = True):
    more: dict[str, Any] = {}
    if draw(st.booleans()):
        more["loss"] = draw(side_terms())
    if draw(st.booleans()):
        more["withhold"] = {
            "base_contract_value": draw(st.integers(0, 5_000_000)),
            "percent": draw(st.integers(0, 10)),
        }
    if extra_cost and draw(st.booleans()):
        more["savings"] = {"extra_service_cost": draw(st.integers(0, 200_000))}
    if draw(st.booleans()):
        more["quality"] = {
            "method": "reductions",
            "combine": draw(st.sampled_from(["additive", "multiplicative"])),
            "kpis": [
                {
                    "code": "A",
                    "pass_mark": 95,
                    "reduction": 25,
                    "result": draw(st.integers(90, 100)),
                }
            ],
        }
    more["attribution"] = {"method": draw(st.sampled_from(["list_size", "hours"]))}
    if more["attribution"]["method"] == "hours":
        more["attribution"]["hours"] = {
            "P01": draw(st.integers(1, 500)),
            "P02": draw(st.integers(0, 500)),
            "P03": 7,
        }
    return contract_with(draw(side_terms()), **more)


BASELINE = {"ae_attendance": 2000, "admission_short": 400, "admission_long": 150}
per_practice = st.fixed_dictionaries({p: st.integers(0, 1500) for p in ("P01", "P02", "P03")})


@SETTINGS
@given(whole_contract(), st.fixed_dictionaries({m: per_practice for m in MEASURES}))
def test_provider_and_commissioner_amounts_add_up_to_the_savings(contract, actual):
    s = settle(contract, activity_for(BASELINE, actual))
    assert s.provider_net + s.commissioner_net_saving == s.net_savings
    assert s.net_savings == s.baseline_cost - s.actual_cost - s.extra_service_cost
    assert s.transfer == s.gain_payment + s.withhold_returned - s.repayment
    assert sum(p.amount for p in s.practices) == s.transfer
    assert s.gain_payment >= 0 and s.repayment >= 0
    assert s.gain_payment == 0 or s.repayment == 0


@SETTINGS
@given(whole_contract(extra_cost=False))
def test_no_change_pays_nothing(contract):
    # zero true effect and no noise: the performance year repeats the baseline exactly
    actual = {m: {"P01": BASELINE[m], "P02": 0, "P03": 0} for m in MEASURES}
    s = settle(contract, activity_for(BASELINE, actual))
    assert s.net_savings == 0
    assert s.gain_payment == 0 and s.repayment == 0 and s.withhold_returned == 0
