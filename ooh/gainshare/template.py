"""``ooh template gainshare``: a commented contract file and an activity template."""

from __future__ import annotations

from pathlib import Path

from ooh.errors import OohError
from ooh.outputs import write_atomically

CONTRACT_TEMPLATE = """\
# Gain-share contract terms. Every key is explained in models/README.md; lines starting
# with # are comments. Money is in pounds; every percentage is 0-100.
# Check the file with:  ooh gainshare settle contract.toml --activity activity.xlsx

[contract]
name = "OOH gain share 2026/27"
performance_year_start = "2026-04"   # first month of the year being settled (YYYY-MM)
contract_year = 1                     # 2, 3, ... in a multi-year contract
# practices_file = "inputs.xlsx"      # read the Practices sheet of a rota workbook instead
                                      # of the [[practices]] rows below

[parties]
commissioner = "NHS Example Integrated Care Board"
provider = "Example GP Federation"

# Member practices: code (as in the activity file), name, registered list size and,
# optionally, weighted list size. Replace these example rows with your own.
[[practices]]
code = "P01"
name = "Example Surgery"
list_size = 12000
weighted_list_size = 12500

[[practices]]
code = "P02"
name = "Example Medical Centre"
list_size = 8000
weighted_list_size = 7600

# Measures: code (as in the activity file), name, unit price in £ and optional yearly
# uplift %. Leave out [[measures]] to use the three defaults (National Cost Collection
# 2024/25): ae_attendance £280.17, admission_short £825.86, admission_long £5,419.28.
[[measures]]
code = "ae_attendance"
unit_price = 280.17

[[measures]]
code = "admission_short"
unit_price = 825.86

[[measures]]
code = "admission_long"
unit_price = 5419.28
uplift_pct = 0

[baseline]
years = 3                      # prior 12-month blocks before the performance year
weights = [10, 30, 60]         # % per year, oldest first; must add up to 100
rates_per_1000 = false         # true: rates per 1,000 patients x current list size
# list_sizes = [19000, 19500, 20000]  # needed with rates_per_1000: list per baseline year
trend_pct = 0                  # yearly trend projected to the performance year
rebase = true                  # multi-year: move the baseline with each contract year

[savings]
basis = "currency"             # "currency" (baseline - actual, £) or "ratio" (actual/baseline)
extra_service_cost = 0         # £ of extra service cost counted against savings

[gain]
# Marginal tiers: each share (% to the provider) applies only to savings in its band.
# up_to is the upper limit of the band in £ of savings (a ratio on the ratio basis);
# the last tier has no up_to.
tiers = [
  {up_to = 250000, share = 50},
  {share = 30},
]
minimum_payout = 0             # £
minimum_payout_mode = "deductible"   # or "all_or_nothing"
# cap_amount = 500000          # £; the lower of the two caps wins
# cap_percent = 10             # % of baseline cost

[gain.threshold]
type = "percent"               # none | percent | amount | population (| ratio on ratio basis)
value = 2                      # 2% of baseline cost
sharing = "above_threshold"    # or "first_pound": share from the first pound once met
# population = "list_size"     # type = "population": which list size to look up
# table = [[5000, 3.9], [60000, 2.0]]  # type = "population": default is the MSSP table

# Two-sided contracts: the provider repays part of any overspend beyond the corridor.
# [loss]
# tiers = [{share = 25}]
# cap_amount = 100000
# [loss.threshold]
# type = "percent"
# value = 2

# [quality]
# method = "reductions"        # none | reductions | multiplier (gateways apply in all)
# combine = "additive"         # reductions: "additive" or "multiplicative"
# [[quality.kpis]]
# code = "urgent_20min"
# name = "Urgent cases assessed within 20 minutes"
# pass_mark = 95
# gateway = false
# reduction = 25               # % cut in the gain payment if failed
# result = 96.1                # the year's result (or --kpi urgent_20min=96.1)

# [withhold]
# base_contract_value = 4000000   # £
# percent = 3                     # % withheld, returned only if the gain threshold is met

[attribution]
method = "list_size"           # list_size | weighted_list_size | hours
# hours = {P01 = 620, P02 = 410}  # method = "hours": a table, or ...
# rota = "rota.xlsx"              # ... a workbook from `ooh rota solve`

# Inputs for `ooh gainshare simulate` (optional).
[simulation]
effect = {distribution = "normal", mean = -0.03, sd = 0.02}  # true change in activity rates
# trend_sd = 0.02  # sd of the no-change activity level; leave out to estimate it from the data
draws = 10000
# seed = 1
"""

ACTIVITY_README = [
    ("Column", "What to enter"),
    ("practice", "Member practice code, exactly as in the contract (e.g. P01)."),
    ("month", "Month as text YYYY-MM (e.g. 2026-04), or an Excel date in that month."),
    (
        "measure",
        "Measure code from the contract: ae_attendance, admission_short, admission_long by default.",
    ),
    ("count", "Whole number of attendances or admissions (0 or more) in that month."),
    ("", ""),
    (
        "Rows needed",
        "One row per practice, month and measure for the baseline years and the performance year.",
    ),
    ("One row each", "A practice/month/measure may appear only once."),
]


def write_templates(output_dir: str | Path) -> list[Path]:
    """Write contract.toml and activity.xlsx into ``output_dir``; never over existing files."""
    out = Path(output_dir)
    if out.exists() and not out.is_dir():
        raise OohError(f"{out}: is a file; give a folder for the templates")
    out.mkdir(parents=True, exist_ok=True)
    contract = out / "contract.toml"
    activity = out / "activity.xlsx"
    for path in (contract, activity):
        if path.exists():
            raise OohError(f"{path} already exists; move it away or choose another --output-dir")

    def write_contract(tmp: Path) -> None:
        tmp.write_text(CONTRACT_TEMPLATE, encoding="utf-8")

    write_atomically(contract, write_contract)

    def write_activity(tmp: Path) -> None:
        from openpyxl import Workbook

        from ooh.excel import write_table

        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = "Activity"
        example = [
            ["P01", "2026-04", "ae_attendance", 412],
            ["P01", "2026-04", "admission_short", 61],
            ["P01", "2026-04", "admission_long", 33],
        ]
        write_table(ws, ["practice", "month", "measure", "count"], example)
        for row in ws.iter_rows(min_row=2, min_col=2, max_col=2):
            for cell in row:
                cell.number_format = "@"  # keep YYYY-MM as text
        readme = wb.create_sheet("README")
        write_table(readme, list(ACTIVITY_README[0]), ACTIVITY_README[1:], autofilter=False)
        wb.save(tmp)

    write_atomically(activity, write_activity)
    return [contract, activity]
