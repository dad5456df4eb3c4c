"""Hand-worked settlements: every expected figure is worked out in the comments, band by band.

Unless a test says otherwise: one measure at £100.00 a unit, one baseline year of 10,000
units, so the baseline cost B = 10,000 x £100 = £1,000,000.00 and each unit less in the
performance year saves £100. Two practices: P01 (list 12,000; weighted 12,500) and P02
(list 8,000; weighted 7,600), 20,000 patients in all.
"""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest

from ooh.errors import InputError
from ooh.gainshare.activity import Activity
from ooh.gainshare.contract import MSSP_TABLE, add_months, contract_from_dict, months_from
from ooh.gainshare.settle import (
    apply_caps,
    apply_minimum,
    effective_cap,
    interpolate_table,
    settle,
    split_largest_remainder,
    tiered_amount,
)

START = "2026-04"


def doc(**sections: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "contract": {"name": "Test", "performance_year_start": START},
        "parties": {"commissioner": "ICB", "provider": "Federation"},
        "practices": [
            {"code": "P01", "name": "One", "list_size": 12000, "weighted_list_size": 12500},
            {"code": "P02", "name": "Two", "list_size": 8000, "weighted_list_size": 7600},
        ],
        "measures": [{"code": "ae_attendance", "unit_price": 100}],
        "gain": {"tiers": [{"share": 50}]},
    }
    base.update(sections)
    return base


def activity(
    years: list[int], actual: int, measure: str = "ae_attendance", start: str = START
) -> Activity:
    """Baseline years (oldest first) then the performance year; each year's count falls in
    its first month at P01, every other practice-month is 0."""
    counts: dict[tuple[str, str, str], int] = {}
    first = add_months(start, -12 * len(years))
    for i, total in enumerate([*years, actual]):
        months = months_from(add_months(first, 12 * i), 12)
        for p in ("P01", "P02"):
            for m in months:
                counts[(p, m, measure)] = 0
        counts[("P01", months[0], measure)] = total
    return Activity(counts)


def run(
    actual: int,
    years: list[int] | None = None,
    results: dict[str, Any] | None = None,
    **sections: Any,
):
    contract = contract_from_dict(doc(**sections))
    return settle(contract, activity(years or [10000], actual), results)


def pct_threshold(value: float, sharing: str) -> dict[str, Any]:
    return {"type": "percent", "value": value, "sharing": sharing}


# --- threshold and sharing mode ---------------------------------------------------------


def test_flat_50_above_2pct_threshold():
    # actual 9,500 -> savings £50,000; threshold 2% x £1,000,000 = £20,000 (met);
    # above the threshold only: (£50,000 - £20,000) x 50% = £15,000.00
    s = run(9500, gain={"tiers": [{"share": 50}], "threshold": pct_threshold(2, "above_threshold")})
    assert s.baseline_cost == D("1000000.00")
    assert s.actual_cost == D("950000.00")
    assert s.net_savings == D("50000.00")
    assert s.gain.threshold == D("20000.00") and s.gain.met
    assert s.gain.bands[0].base == D("30000.00")
    assert s.gain_payment == D("15000.00")
    assert s.transfer == D("15000.00")
    assert s.commissioner_net_saving == D("35000.00")  # £50,000 - £15,000


def test_first_pound_shares_all_savings_once_met():
    # same savings £50,000; first pound: £50,000 x 50% = £25,000.00
    s = run(9500, gain={"tiers": [{"share": 50}], "threshold": pct_threshold(2, "first_pound")})
    assert s.gain_payment == D("25000.00")


@pytest.mark.parametrize(
    ("actual", "sharing", "expected"),
    [
        (9801, "first_pound", "0.00"),  # savings £19,900 < £20,000: not met
        (9801, "above_threshold", "0.00"),
        (9800, "first_pound", "10000.00"),  # savings £20,000 = threshold: met, £20,000 x 50%
        (9800, "above_threshold", "0.00"),  # met, but nothing above the threshold
        (9799, "above_threshold", "50.00"),  # £100 above the threshold x 50%
    ],
)
def test_threshold_boundary(actual, sharing, expected):
    s = run(actual, gain={"tiers": [{"share": 50}], "threshold": pct_threshold(2, sharing)})
    assert s.gain_payment == D(expected)
    assert s.gain.met == (actual <= 9800)


def test_fixed_amount_threshold():
    # threshold £30,000; savings £50,000 above it: £20,000 x 50% = £10,000
    s = run(
        9500,
        gain={
            "tiers": [{"share": 50}],
            "threshold": {"type": "amount", "value": 30000, "sharing": "above_threshold"},
        },
    )
    assert s.gain.threshold == D("30000.00")
    assert s.gain_payment == D("10000.00")


def test_no_threshold_pays_from_first_saving():
    s = run(9999)  # savings £100 x 50% = £50
    assert s.gain_payment == D("50.00")


# --- tiers --------------------------------------------------------------------------------

TIERS = [{"up_to": 30000, "share": 50}, {"up_to": 60000, "share": 30}, {"share": 10}]


@pytest.mark.parametrize(
    ("actual", "bands", "total"),
    [
        # savings £50,000: band 1 £30,000 x 50% = £15,000; band 2 £20,000 x 30% = £6,000
        (9500, ["15000.00", "6000.00", "0.00"], "21000.00"),
        # savings exactly £30,000 (a boundary): band 1 £15,000, nothing in band 2
        (9700, ["15000.00", "0.00", "0.00"], "15000.00"),
        # savings £60,000: £15,000 + £30,000 x 30% = £9,000
        (9400, ["15000.00", "9000.00", "0.00"], "24000.00"),
        # savings £80,000: £15,000 + £9,000 + £20,000 x 10% = £2,000
        (9200, ["15000.00", "9000.00", "2000.00"], "26000.00"),
    ],
)
def test_marginal_tiers(actual, bands, total):
    s = run(actual, gain={"tiers": TIERS})
    assert [b.amount for b in s.gain.bands] == [D(x) for x in bands]
    assert s.gain.tiered == D(total)
    assert s.gain_payment == D(total)


def test_tiers_above_threshold_count_only_from_threshold():
    # threshold £20,000, savings £50,000: band 1 covers £20,000-£30,000 = £10,000 x 50% = £5,000;
    # band 2 £30,000-£50,000 = £20,000 x 30% = £6,000; total £11,000
    s = run(9500, gain={"tiers": TIERS, "threshold": pct_threshold(2, "above_threshold")})
    assert [b.base for b in s.gain.bands] == [D("10000.00"), D("20000.00"), D("0")]
    assert s.gain_payment == D("11000.00")


def test_tiered_amount_rounds_each_band_half_up():
    # £0.01 x 50% = £0.005 -> £0.01 (half up); band 2 £0.03 x 50% = £0.015 -> £0.02
    total, bands = tiered_amount(D("0.04"), [D("0.01"), None], [D(50), D(50)])
    assert [b.amount for b in bands] == [D("0.01"), D("0.02")]
    assert total == D("0.03")


# --- minimum payout and caps --------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "mode", "expected"),
    [
        (9850, "all_or_nothing", "0.00"),  # savings £15,000 -> £7,500 < £10,000: nothing
        (9850, "deductible", "0.00"),  # max(0, £7,500 - £10,000)
        (9800, "all_or_nothing", "10000.00"),  # £10,000 = minimum: paid in full
        (9700, "all_or_nothing", "15000.00"),  # savings £30,000 -> £15,000 >= minimum
        (9700, "deductible", "5000.00"),  # £15,000 - £10,000
    ],
)
def test_minimum_payout_modes(actual, mode, expected):
    s = run(
        actual,
        gain={"tiers": [{"share": 50}], "minimum_payout": 10000, "minimum_payout_mode": mode},
    )
    assert s.gain.after_minimum == D(expected)
    assert s.gain_payment == D(expected)


@pytest.mark.parametrize(
    ("caps", "expected_cap", "expected"),
    [
        # savings £100,000 x 50% = £50,000 before caps
        ({}, None, "50000.00"),
        ({"cap_amount": 40000}, "40000", "40000.00"),
        ({"cap_percent": 3}, "30000.00", "30000.00"),  # 3% of £1,000,000
        ({"cap_amount": 40000, "cap_percent": 3}, "30000.00", "30000.00"),  # lower wins: %
        ({"cap_amount": 20000, "cap_percent": 3}, "20000", "20000.00"),  # lower wins: £
    ],
)
def test_caps_lower_wins(caps, expected_cap, expected):
    s = run(9000, gain={"tiers": [{"share": 50}], **caps})
    assert s.gain.cap == (None if expected_cap is None else D(expected_cap))
    assert s.gain_payment == D(expected)


def test_order_is_tiers_then_minimum_then_caps():
    # savings £120,000 x 50% = £60,000; deductible minimum £10,000 -> £50,000; cap £40,000
    s = run(8800, gain={"tiers": [{"share": 50}], "minimum_payout": 10000, "cap_amount": 40000})
    assert (s.gain.tiered, s.gain.after_minimum, s.gain.after_caps) == (
        D("60000.00"),
        D("50000.00"),
        D("40000"),
    )
    labels = [st.label for st in s.steps if st.section == "Gain"]
    assert (
        labels.index("Tiered amount")
        < labels.index("After minimum payout")
        < labels.index("After caps")
    )


def test_pure_minimum_and_cap_helpers():
    assert apply_minimum(D("99.99"), D(100), "all_or_nothing") == 0
    assert apply_minimum(D("100.00"), D(100), "all_or_nothing") == D("100.00")
    assert apply_minimum(D("150.00"), D(100), "deductible") == D("50.00")
    assert effective_cap(D(500), D("10"), D("4000.00")) == D("400.00")
    assert apply_caps(D("450.00"), D("400.00")) == D("400.00")
    assert apply_caps(D("450.00"), None) == D("450.00")


# --- loss side and corridor ---------------------------------------------------------------

LOSS = {"tiers": [{"share": 25}], "threshold": pct_threshold(2, "above_threshold")}
GAIN2 = {"tiers": [{"share": 50}], "threshold": pct_threshold(2, "above_threshold")}


@pytest.mark.parametrize("actual", [9900, 10000, 10100, 10200])
def test_neutral_corridor_moves_no_money(actual):
    # savings of £10,000, £0, -£10,000, -£20,000 all lie inside the +/-2% (£20,000) corridor
    s = run(actual, gain=GAIN2, loss=LOSS)
    assert s.transfer == 0 and s.gain_payment == 0 and s.repayment == 0


def test_loss_beyond_corridor_is_repaid():
    # overspend £50,000 (actual 10,500); corridor £20,000; (£50,000 - £20,000) x 25% = £7,500
    s = run(10500, gain=GAIN2, loss=LOSS)
    assert s.net_savings == D("-50000.00")
    assert s.loss.threshold == D("20000.00") and s.loss.met
    assert s.repayment == D("7500.00")
    assert s.transfer == D("-7500.00")
    assert s.payer == "Federation" and s.payee == "ICB"
    assert s.provider_net == D("-7500.00")
    assert s.commissioner_net_saving == D("-42500.00")  # -£50,000 + £7,500


def test_loss_tiers_minimum_and_cap():
    # first pound once the 2% corridor is met; overspend £50,000:
    # band 1 £0-£40,000 x 25% = £10,000; band 2 £10,000 x 50% = £5,000; total £15,000;
    # deductible minimum £1,000 -> £14,000; cap £12,000 -> £12,000
    loss = {
        "tiers": [{"up_to": 40000, "share": 25}, {"share": 50}],
        "threshold": pct_threshold(2, "first_pound"),
        "minimum_payout": 1000,
        "cap_amount": 12000,
    }
    s = run(10500, gain=GAIN2, loss=loss)
    assert [b.amount for b in s.loss.bands] == [D("10000.00"), D("5000.00")]
    assert (s.loss.tiered, s.loss.after_minimum, s.repayment) == (
        D("15000.00"),
        D("14000.00"),
        D("12000"),
    )


def test_one_sided_contract_never_charges_the_provider():
    s = run(11000, gain=GAIN2)
    assert s.net_savings == D("-100000.00")
    assert s.repayment == 0 and s.transfer == 0 and s.loss is None
    assert s.commissioner_net_saving == D("-100000.00")


# --- quality ------------------------------------------------------------------------------

KPIS = [
    {"code": "A", "pass_mark": 95, "reduction": 25},  # result 90: fail
    {"code": "B", "pass_mark": 5, "higher_is_better": False, "reduction": 10},  # 7: fail
    {"code": "C", "pass_mark": 95, "reduction": 25},  # 96: pass
]
RESULTS = {"A": 90, "B": 7, "C": 96}


def test_quality_reductions_additive():
    # savings £100,000 x 50% = £50,000; failed A (25%) and B (10%): 1 - 0.35 = 0.65 -> £32,500
    s = run(
        9000, results=RESULTS, quality={"method": "reductions", "combine": "additive", "kpis": KPIS}
    )
    assert s.quality.factor == D("0.65")
    assert s.gain_payment == D("32500.00")


def test_quality_reductions_multiplicative():
    # (1 - 0.25) x (1 - 0.10) = 0.675 -> £50,000 x 0.675 = £33,750
    s = run(
        9000,
        results=RESULTS,
        quality={"method": "reductions", "combine": "multiplicative", "kpis": KPIS},
    )
    assert s.quality.factor == D("0.675")
    assert s.gain_payment == D("33750.00")


def test_additive_reductions_never_go_below_zero():
    kpis = [
        {"code": "A", "pass_mark": 95, "reduction": 60},
        {"code": "B", "pass_mark": 95, "reduction": 60},
    ]
    s = run(9000, results={"A": 1, "B": 1}, quality={"method": "reductions", "kpis": kpis})
    assert s.quality.factor == 0  # 1 - 1.2 floored at 0
    assert s.gain_payment == D("0.00")


def test_quality_gateway_failure_stops_payment():
    kpis = [
        {"code": "G", "pass_mark": 95, "gateway": True},
        {"code": "C", "pass_mark": 95, "reduction": 25},
    ]
    s = run(9000, results={"G": 94.9, "C": 99}, quality={"method": "reductions", "kpis": kpis})
    assert s.quality.gateway_failed
    assert s.gain.after_caps == D("50000.00")
    assert s.gain_payment == D("0.00")
    # a pass at exactly the pass mark keeps the payment
    s = run(9000, results={"G": 95, "C": 99}, quality={"method": "reductions", "kpis": kpis})
    assert s.gain_payment == D("50000.00")


def test_quality_multiplier_by_score():
    # weights 50/30/20; A fails, B and C pass: score 50% -> £50,000 x 0.5 = £25,000
    kpis = [
        {"code": "A", "pass_mark": 95, "weight": 50},
        {"code": "B", "pass_mark": 95, "weight": 30},
        {"code": "C", "pass_mark": 95, "weight": 20},
    ]
    s = run(
        9000, results={"A": 80, "B": 99, "C": 97}, quality={"method": "multiplier", "kpis": kpis}
    )
    assert s.quality.factor == D("0.5")
    assert s.gain_payment == D("25000.00")


def test_quality_results_from_contract_file_and_missing_result_named():
    kpis = [{"code": "A", "pass_mark": 95, "reduction": 25, "result": 90}]
    s = run(9000, quality={"method": "reductions", "kpis": kpis})
    assert s.gain_payment == D("37500.00")  # £50,000 x 0.75
    with pytest.raises(InputError) as err:
        run(
            9000,
            quality={
                "method": "reductions",
                "kpis": [{"code": "A", "pass_mark": 95, "reduction": 25}],
            },
        )
    assert "quality.kpis[0].result" in str(err.value) and "--kpi A=VALUE" in str(err.value)


def test_quality_does_not_touch_repayments():
    kpis = [{"code": "G", "pass_mark": 95, "gateway": True}]
    s = run(10500, results={"G": 0}, gain=GAIN2, loss=LOSS, quality={"kpis": kpis})
    assert s.repayment == D("7500.00")


# --- population (MSSP) threshold ----------------------------------------------------------


@pytest.mark.parametrize(
    ("population", "rate"),
    [
        (4000, "3.9"),  # below the table: flat at 3.9%
        (5000, "3.9"),
        (5500, "3.75"),  # 3.9 - 0.3 x 500/1,000
        (12500, "2.85"),  # 3.0 - 0.3 x 2,500/5,000
        (35000, "2.35"),  # 2.5 - 0.3 x 15,000/30,000
        (59999, "2.0000"),  # 2.2 - 0.2 x 9,999/10,000 = 2.00002 -> 4 dp
        (60000, "2.0"),
        (180000, "2.0"),
    ],
)
def test_mssp_interpolation(population, rate):
    assert interpolate_table(population, MSSP_TABLE) == D(rate)


def test_population_threshold_first_pound():
    # list 12,000 + 8,000 = 20,000 -> 2.5%; B £1,000,000 -> threshold £25,000
    gain = {"tiers": [{"share": 50}], "threshold": {"type": "population", "sharing": "first_pound"}}
    assert run(9751, gain=gain).gain_payment == 0  # savings £24,900: not met
    s = run(9750, gain=gain)  # savings £25,000: met, first pound: £12,500
    assert s.gain.threshold == D("25000.00")
    assert s.gain_payment == D("12500.00")


def test_population_threshold_weighted_list_and_own_table():
    # weighted 12,500 + 7,600 = 20,100; table 20,000 -> 4%, 30,000 -> 2%:
    # 4 - 2 x 100/10,000 = 3.98% of £1,000,000 = £39,800
    gain = {
        "tiers": [{"share": 50}],
        "threshold": {
            "type": "population",
            "population": "weighted_list_size",
            "table": [[20000, 4], [30000, 2]],
        },
    }
    s = run(9000, gain=gain)
    assert s.gain.threshold == D("39800.00")


# --- ratio basis --------------------------------------------------------------------------


def test_ratio_basis_threshold_and_tiers():
    # actual 9,300 -> ratio 0.93, savings £70,000; threshold ratio 0.98 = £20,000 (met);
    # tiers: down to ratio 0.95 (= £50,000 of savings) 50%, beyond 20%; first pound:
    # £50,000 x 50% = £25,000; £20,000 x 20% = £4,000; total £29,000
    gain = {
        "tiers": [{"up_to": 0.95, "share": 50}, {"share": 20}],
        "threshold": {"type": "ratio", "value": 0.98, "sharing": "first_pound"},
    }
    s = run(9300, savings={"basis": "ratio"}, gain=gain)
    assert s.ratio == D("0.9300")
    assert s.gain.threshold == D("20000.00")
    assert [b.amount for b in s.gain.bands] == [D("25000.00"), D("4000.00")]
    assert s.gain_payment == D("29000.00")
    assert run(9900, savings={"basis": "ratio"}, gain=gain).gain_payment == 0  # ratio 0.99


def test_ratio_basis_loss_corridor():
    # actual 10,400 -> ratio 1.04; corridor ratio 1.02 = £20,000; above it: £20,000 x 50% = £10,000
    loss = {
        "tiers": [{"share": 50}],
        "threshold": {"type": "ratio", "value": 1.02, "sharing": "above_threshold"},
    }
    s = run(10400, savings={"basis": "ratio"}, loss=loss)
    assert s.repayment == D("10000.00")


# --- withhold and net savings -------------------------------------------------------------

WITHHOLD = {"base_contract_value": 2000000, "percent": 5}  # £100,000 withheld


def test_withhold_returned_when_threshold_met():
    # savings £100,000 x 50% = £50,000 paid; threshold 2% met -> £100,000 returned
    s = run(
        9000,
        gain={"tiers": [{"share": 50}], "threshold": pct_threshold(2, "first_pound")},
        withhold=WITHHOLD,
    )
    assert (s.withheld, s.withhold_returned) == (D("100000.00"), D("100000.00"))
    assert s.transfer == D("150000.00")
    assert s.provider_net == D("50000.00")
    assert s.commissioner_net_saving == D("50000.00")


def test_withhold_kept_when_threshold_missed():
    # savings £10,000 < £20,000: no payment, the £100,000 withheld is kept
    s = run(
        9900,
        gain={"tiers": [{"share": 50}], "threshold": pct_threshold(2, "first_pound")},
        withhold=WITHHOLD,
    )
    assert s.withhold_returned == 0 and s.transfer == 0
    assert s.provider_net == D("-100000.00")
    assert s.commissioner_net_saving == D("110000.00")  # £10,000 + £100,000


def test_withhold_scaled_by_quality():
    kpis = [{"code": "A", "pass_mark": 95, "reduction": 35}]
    s = run(
        9000, results={"A": 0}, withhold=WITHHOLD, quality={"method": "reductions", "kpis": kpis}
    )
    assert s.withhold_returned == D("65000.00")  # £100,000 x 0.65
    assert s.gain_payment == D("32500.00")  # £50,000 x 0.65


def test_net_savings_count_extra_service_cost():
    # gross £100,000 - extra £30,000 = £70,000 net; threshold 2% = £20,000;
    # above it: £50,000 x 50% = £25,000; commissioner keeps £70,000 - £25,000 = £45,000
    s = run(9000, savings={"extra_service_cost": 30000}, gain=GAIN2)
    assert (s.gross_savings, s.net_savings) == (D("100000.00"), D("70000.00"))
    assert s.gain_payment == D("25000.00")
    assert s.commissioner_net_saving == D("45000.00")
    assert s.ratio == D("0.9300")  # (£900,000 + £30,000) / £1,000,000


# --- baseline -----------------------------------------------------------------------------


def test_weighted_baseline_years():
    # 9,000 x 10% + 10,000 x 30% + 11,000 x 60% = 900 + 3,000 + 6,600 = 10,500 -> £1,050,000
    s = run(10000, years=[9000, 10000, 11000], baseline={"years": 3, "weights": [10, 30, 60]})
    assert s.measures[0].year_counts == (9000, 10000, 11000)
    assert s.measures[0].baseline_count == D("10500.00")
    assert s.baseline_cost == D("1050000.00")


def test_trend_adjustment():
    # each year projected to the performance year at 2% a year:
    # 9,000 x 1.02^3 = 9,550.872 x 10% = 955.0872; 10,000 x 1.02^2 = 10,404 x 30% = 3,121.2;
    # 11,000 x 1.02 = 11,220 x 60% = 6,732; total 10,808.2872 -> 10,808.29 x £100 = £1,080,829
    s = run(
        10000,
        years=[9000, 10000, 11000],
        baseline={"years": 3, "weights": [10, 30, 60], "trend_pct": 2},
    )
    assert s.measures[0].baseline_count == D("10808.29")
    assert s.baseline_cost == D("1080829.00")


def test_rates_per_1000_applied_to_current_list():
    # 9,000 / 18,000 = 500 per 1,000; 10,450 / 19,000 = 550 per 1,000; 50/50 -> 525;
    # current list 20,000: 525 x 20 = 10,500 -> £1,050,000
    s = run(
        10000,
        years=[9000, 10450],
        baseline={
            "years": 2,
            "weights": [50, 50],
            "rates_per_1000": True,
            "list_sizes": [18000, 19000],
        },
    )
    assert s.measures[0].baseline_count == D("10500.00")
    assert s.baseline_cost == D("1050000.00")


def test_price_uplift_and_no_rebase_in_year_two():
    # contract year 2 from 2027-04, not re-based: the baseline is still 2025-04..2026-03;
    # price £100 x 1.03 = £103; baseline 10,000 x £103 = £1,030,000; actual 9,000 -> £927,000
    contract = contract_from_dict(
        doc(
            contract={"performance_year_start": "2027-04", "contract_year": 2},
            measures=[{"code": "ae_attendance", "unit_price": 100, "uplift_pct": 3}],
            baseline={"rebase": False},
        )
    )
    act = activity([10000, 12000], 9000, start="2027-04")  # 2025-26 = 10,000; 2026-27 = 12,000
    s = settle(contract, act)
    assert s.measures[0].price == D("103.00")
    assert s.measures[0].baseline_count == D("10000.00")
    assert s.net_savings == D("103000.00")  # £1,030,000 - £927,000
    rebased = settle(
        contract_from_dict(doc(contract={"performance_year_start": "2027-04", "contract_year": 2})),
        act,
    )
    assert rebased.measures[0].baseline_count == D("12000.00")


def test_missing_activity_is_reported_per_practice_and_measure():
    contract = contract_from_dict(doc())
    act = activity([10000], 9000)
    del act.counts[("P02", "2026-07", "ae_attendance")]
    with pytest.raises(InputError) as err:
        settle(contract, act)
    assert "practice P02, measure ae_attendance: no rows for 1 month(s): 2026-07" in str(err.value)


# --- split between practices --------------------------------------------------------------


def test_split_largest_remainder_to_the_penny():
    # £100.00 in thirds: 33.33 each leaves 1p, which goes to the first of the equal remainders
    assert split_largest_remainder(D("100.00"), [D(1), D(1), D(1)]) == [
        D("33.34"),
        D("33.33"),
        D("33.33"),
    ]
    # £10.00 by 1:2:3 -> 1.666.., 3.333.., 5.00 -> floors 1.66, 3.33, 5.00; 1p to the 0.67 remainder
    assert split_largest_remainder(D("10.00"), [D(1), D(2), D(3)]) == [
        D("1.67"),
        D("3.33"),
        D("5.00"),
    ]
    assert split_largest_remainder(D("-0.05"), [D(1), D(1)]) == [D("-0.03"), D("-0.02")]


@pytest.mark.parametrize(
    ("attribution", "expected"),
    [
        # £15,000 by list 12,000 : 8,000 = £9,000 : £6,000
        ({"method": "list_size"}, ["9000.00", "6000.00"]),
        # by weighted list 12,500 : 7,600 -> £15,000 x 12,500 / 20,100 = £9,328.358.. -> 9,328.36
        ({"method": "weighted_list_size"}, ["9328.36", "5671.64"]),
        # by hours 2 : 1 -> £10,000 : £5,000
        ({"method": "hours", "hours": {"P01": 200, "P02": 100}}, ["10000.00", "5000.00"]),
    ],
)
def test_practice_split(attribution, expected):
    s = run(9500, gain=GAIN2, attribution=attribution)  # transfer £15,000 (first test)
    assert [p.amount for p in s.practices] == [D(x) for x in expected]
    assert sum(p.amount for p in s.practices) == s.transfer


def test_practice_split_of_a_repayment_is_negative():
    s = run(10500, gain=GAIN2, loss=LOSS)  # federation repays £7,500 -> £4,500 / £3,000
    assert [p.amount for p in s.practices] == [D("-4500.00"), D("-3000.00")]


def test_every_money_figure_is_decimal_pennies():
    gain = {
        "tiers": TIERS,
        "threshold": {"type": "amount", "value": 1000, "sharing": "above_threshold"},
        "minimum_payout": 5,
        "cap_amount": 20000,
    }
    s = run(9123, gain=gain, withhold=WITHHOLD, savings={"extra_service_cost": 7})
    nothing = run(10100, gain=gain, loss=LOSS, withhold=WITHHOLD)  # inside the corridor
    for step in s.steps + nothing.steps:
        if step.unit == "£":
            assert isinstance(step.amount, D)
            assert step.amount.as_tuple().exponent == -2, step  # shown as pounds and pence


# --- the worked example of docs/gainshare-method.md ---------------------------------------


def test_worked_example_in_the_method_doc():
    """Every figure here appears in docs/gainshare-method.md, section "Worked example"."""
    contract = contract_from_dict(
        {
            "contract": {"name": "Worked example", "performance_year_start": "2026-04"},
            "parties": {"commissioner": "Example ICB", "provider": "Example Federation"},
            "practices": [{"code": "P01", "list_size": 12000}, {"code": "P02", "list_size": 8000}],
            "baseline": {"years": 3, "weights": [10, 30, 60]},
            "gain": {
                "tiers": [{"up_to": 100000, "share": 50}, {"share": 30}],
                "threshold": {"type": "percent", "value": 2, "sharing": "above_threshold"},
                "minimum_payout": 5000,
                "minimum_payout_mode": "deductible",
                "cap_amount": 35000,
                "cap_percent": 2.5,
            },
            "quality": {
                "method": "reductions",
                "combine": "additive",
                "kpis": [
                    {"code": "urgent_20min", "pass_mark": 95, "reduction": 10, "result": 96.4},
                    {"code": "f2f_1h", "pass_mark": 95, "reduction": 10, "result": 93.0},
                ],
            },
            "withhold": {"base_contract_value": 1500000, "percent": 2},
        }
    )
    years = {
        "ae_attendance": [2400, 2500, 2600],
        "admission_short": [500, 520, 530],
        "admission_long": [120, 125, 130],
    }
    actual = {"ae_attendance": 2300, "admission_short": 490, "admission_long": 120}
    counts: dict[tuple[str, str, str], int] = {}
    for code in years:
        for i, total in enumerate([*years[code], actual[code]]):
            months = months_from(add_months("2023-04", 12 * i), 12)
            for p in ("P01", "P02"):
                for m in months:
                    counts[(p, m, code)] = 0
            counts[("P01", months[0], code)] = total
    s = settle(contract, Activity(counts))

    ae, short, long_ = s.measures
    # baseline counts: 2,400 x 10% + 2,500 x 30% + 2,600 x 60% = 240 + 750 + 1,560 = 2,550
    #                  500 x 10% + 520 x 30% + 530 x 60% = 50 + 156 + 318 = 524
    #                  120 x 10% + 125 x 30% + 130 x 60% = 12 + 37.5 + 78 = 127.5
    assert (ae.baseline_count, short.baseline_count, long_.baseline_count) == (
        D("2550.00"),
        D("524.00"),
        D("127.50"),
    )
    # baseline costs: 2,550 x £280.17 = £714,433.50; 524 x £825.86 = £432,750.64;
    #                 127.5 x £5,419.28 = £690,958.20; total £1,838,142.34
    assert (ae.baseline_cost, short.baseline_cost, long_.baseline_cost) == (
        D("714433.50"),
        D("432750.64"),
        D("690958.20"),
    )
    assert s.baseline_cost == D("1838142.34")
    # actual costs: 2,300 x £280.17 = £644,391.00; 490 x £825.86 = £404,671.40;
    #               120 x £5,419.28 = £650,313.60; total £1,699,376.00
    assert (ae.actual_cost, short.actual_cost, long_.actual_cost) == (
        D("644391.00"),
        D("404671.40"),
        D("650313.60"),
    )
    assert s.actual_cost == D("1699376.00")
    assert s.net_savings == D("138766.34")  # £1,838,142.34 - £1,699,376.00
    # threshold 2% x £1,838,142.34 = £36,762.8468 -> £36,762.85; met
    assert s.gain.threshold == D("36762.85") and s.gain.met
    # band 1: (£100,000 - £36,762.85) = £63,237.15 x 50% = £31,618.575 -> £31,618.58 (half up)
    # band 2: (£138,766.34 - £100,000) = £38,766.34 x 30% = £11,629.902 -> £11,629.90
    assert [(b.base, b.amount) for b in s.gain.bands] == [
        (D("63237.15"), D("31618.58")),
        (D("38766.34"), D("11629.90")),
    ]
    assert s.gain.tiered == D("43248.48")
    assert s.gain.after_minimum == D("38248.48")  # deductible £5,000
    # caps: £35,000 and 2.5% x £1,838,142.34 = £45,953.5585 -> £45,953.56; lower £35,000
    assert s.gain.cap == D("35000") and s.gain.after_caps == D("35000")
    # quality: f2f_1h failed (93.0 < 95): factor 1 - 10% = 0.9 -> £31,500.00
    assert s.quality.factor == D("0.9") and s.gain_payment == D("31500.00")
    # withhold 2% x £1,500,000 = £30,000; threshold met: returned £30,000 x 0.9 = £27,000
    assert (s.withheld, s.withhold_returned) == (D("30000.00"), D("27000.00"))
    assert s.transfer == D("58500.00")  # £31,500 + £27,000
    assert s.provider_net == D("28500.00")  # £31,500 - (£30,000 - £27,000)
    assert s.commissioner_net_saving == D("110266.34")  # £138,766.34 - £28,500
    # split 12,000 : 8,000 -> £35,100.00 and £23,400.00
    assert [p.amount for p in s.practices] == [D("35100.00"), D("23400.00")]


def test_kpi_results_not_needed_when_nothing_could_be_paid():
    kpis = [{"code": "A", "pass_mark": 95, "reduction": 25}]  # no result given
    s = run(10100, quality={"method": "reductions", "kpis": kpis}, withhold=WITHHOLD)
    assert s.net_savings == D("-10000.00")
    assert s.transfer == 0 and s.withhold_returned == 0
