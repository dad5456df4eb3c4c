"""Seeded sample activity (and a sample contract) for the sample federation.

The practices are the rota samples' federation (``ooh.rota.sample.sample_practices``), so both
engines describe one federation. Monthly counts of three OOH measures are drawn for three
baseline years and one performance year from the noise model of ``ooh.gainshare.noise``:

- rates (DOMAIN.md, England): about 450 A&E attendances and 105 emergency admissions per 1,000
  registered patients a year; about 40% of attendances fall outside 09:00-18:00 and 58.7% of
  emergency admissions arrive out of hours (Han et al. 2017). The short/long-stay split comes
  from the National Cost Collection 2024/25 unit costs: the all-admissions cost (£2,711) is the
  activity-weighted mean of short stay (£825.86) and long stay (£5,419.28), which puts 59% of
  admissions in short stay and 41% in long stay;
- practice rates vary around the national rate (deprivation, age), lists grow slowly, calendar
  month seasonality peaks in winter (strongest for long-stay admissions), months are weighted
  by their number of days;
- noise is gamma-Poisson (negative binomial): a federation-wide shock per month and an
  independent shock per practice-month;
- in the performance year activity truly falls a little (the service works, modestly).

``python -m ooh.gainshare.sample sample_inputs/`` rewrites the committed files; a test fails
if they drift from this code.
"""

from __future__ import annotations

import calendar
import csv
import io
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ooh.practice import Practice

SEED = 2026
FIRST_BASELINE_YEAR = 2022  # financial years April-March: 2022/23, 2023/24, 2024/25
BASELINE_YEARS = 3
PERFORMANCE_YEAR = FIRST_BASELINE_YEAR + BASELINE_YEARS  # 2025/26

AE_PER_1000 = 450.0
ADMISSIONS_PER_1000 = 105.0
AE_OOH_SHARE = 0.40
ADMISSIONS_OOH_SHARE = 0.587
SHORT_STAY_COST, LONG_STAY_COST, ALL_ADMISSIONS_COST = 825.86, 5419.28, 2711.0
SHORT_STAY_SHARE = (LONG_STAY_COST - ALL_ADMISSIONS_COST) / (LONG_STAY_COST - SHORT_STAY_COST)


@dataclass(frozen=True)
class MeasureSpec:
    measure: str
    per_1000_year: float  # OOH rate per 1,000 registered patients a year
    winter_amplitude: float  # seasonal swing (peak in January)
    rate_trend: float  # yearly change in the per-patient rate before the service changed
    true_effect: float  # change in the performance year (negative: a fall)


MEASURES = (
    MeasureSpec("ae_attendance", AE_PER_1000 * AE_OOH_SHARE, 0.04, 0.005, -0.04),
    MeasureSpec(
        "admission_short",
        ADMISSIONS_PER_1000 * ADMISSIONS_OOH_SHARE * SHORT_STAY_SHARE,
        0.08,
        0.01,
        -0.05,
    ),
    MeasureSpec(
        "admission_long",
        ADMISSIONS_PER_1000 * ADMISSIONS_OOH_SHARE * (1 - SHORT_STAY_SHARE),
        0.12,
        0.01,
        -0.02,
    ),
)
LIST_GROWTH = 0.01  # federation list growth a year; practices vary around it
PRACTICE_RATE_SD = 0.15  # log-sd of practice rates around the national rate
CELL_CV = 0.06  # extra-Poisson variation of one practice-month
COMMON_CV = 0.025  # federation-wide month shock


def months(year: int) -> list[tuple[int, int]]:
    """(calendar year, month) of financial year ``year`` (April ``year`` to March)."""
    return [(year, m) for m in range(4, 13)] + [(year + 1, m) for m in range(1, 4)]


@dataclass(frozen=True)
class ActivityRow:
    practice: str
    year: int  # calendar year
    month: int
    measure: str
    count: int

    @property
    def month_label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def sample_activity(
    seed: int = SEED, practices: tuple[Practice, ...] | None = None
) -> list[ActivityRow]:
    """Monthly OOH activity per practice and measure: 3 baseline years and a performance year."""
    return _federation(seed, practices)[0]


def baseline_list_sizes(
    seed: int = SEED, practices: tuple[Practice, ...] | None = None
) -> list[int]:
    """The federation's registered list in each baseline year (mean over its months), oldest first."""
    return _federation(seed, practices)[1]


def _federation(
    seed: int, practices: tuple[Practice, ...] | None
) -> tuple[list[ActivityRow], list[int]]:
    if practices is None:
        from ooh.rota.sample import sample_practices

        practices = sample_practices("realistic")
    rng = np.random.Generator(np.random.PCG64(seed))
    n = len(practices)
    all_months = [ym for y in range(FIRST_BASELINE_YEAR, PERFORMANCE_YEAR + 1) for ym in months(y)]
    t = len(all_months)
    perf_start = 12 * BASELINE_YEARS
    # years from the start of the performance year, per month (negative in the baseline)
    years_from_perf = (np.arange(t) - perf_start) / 12.0
    days = np.array([calendar.monthrange(y, m)[1] for y, m in all_months]) / (365.25 / 12)
    cal = np.array([m for _, m in all_months])

    growth = LIST_GROWTH + rng.normal(0.0, 0.006, n)  # practice list growth a year
    lists = np.array([p.list_size for p in practices], dtype=float)
    # Lists as given are the performance year's; earlier years shrink back along the growth.
    list_by_month = lists[:, None] * (1.0 + growth[:, None]) ** years_from_perf[None, :]
    federation = list_by_month.sum(axis=0)
    yearly_lists = [
        int(round(federation[12 * y : 12 * (y + 1)].mean())) for y in range(BASELINE_YEARS)
    ]

    counts_by_measure = []
    for spec in MEASURES:
        practice_rate = np.exp(rng.normal(0.0, PRACTICE_RATE_SD, n))
        practice_rate /= (practice_rate * lists).sum() / lists.sum()  # keep the national rate
        season = 1.0 + spec.winter_amplitude * np.cos(2 * np.pi * (cal - 1) / 12.0)
        rate = (1.0 + spec.rate_trend) ** years_from_perf * np.where(
            years_from_perf >= 0, 1.0 + spec.true_effect, 1.0
        )
        mu = (
            list_by_month
            * practice_rate[:, None]
            * (spec.per_1000_year / 1000.0 / 12.0)
            * (season * days * rate)[None, :]
        )
        common = rng.gamma(1 / COMMON_CV**2, COMMON_CV**2, t)
        cell = rng.gamma(1 / CELL_CV**2, CELL_CV**2, (n, t))
        counts_by_measure.append(rng.poisson(mu * common[None, :] * cell))
    rows: list[ActivityRow] = []
    for i, practice in enumerate(practices):
        for k, (y, m) in enumerate(all_months):
            for spec, counts in zip(MEASURES, counts_by_measure, strict=True):
                rows.append(ActivityRow(practice.code, y, m, spec.measure, int(counts[i, k])))
    return rows, yearly_lists


def activity_csv(rows: list[ActivityRow]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["practice", "month", "measure", "count"])
    for row in rows:
        writer.writerow([row.practice, row.month_label, row.measure, row.count])
    return buffer.getvalue()


def write_activity_xlsx(rows: list[ActivityRow], path: Path) -> None:
    from openpyxl import Workbook

    from ooh.excel import write_table

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Activity"
    write_table(
        ws,
        ["practice", "month", "measure", "count"],
        ([r.practice, r.month_label, r.measure, r.count] for r in rows),
    )
    for (cell,) in ws.iter_rows(min_row=2, min_col=2, max_col=2):
        cell.number_format = "@"  # YYYY-MM stays text
    wb.save(path)


def _toml_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def sample_contract_toml(
    practices: tuple[Practice, ...] | None = None, list_sizes: list[int] | None = None
) -> str:
    """A sample contract for the sample federation (performance year 2025/26)."""
    if practices is None:
        from ooh.rota.sample import sample_practices

        practices = sample_practices("realistic")
    if list_sizes is None:
        list_sizes = baseline_list_sizes(SEED, practices)
    practice_rows = "\n".join(
        f"[[practices]]\ncode = {_toml_text(p.code)}\nname = {_toml_text(p.name)}\n"
        f"list_size = {p.list_size}\n"
        + (f"weighted_list_size = {p.weighted_list_size:g}\n" if p.weighted_list_size else "")
        for p in practices
    )
    sizes = ", ".join(str(n) for n in list_sizes)
    return f"""\
# Sample gain-share contract for the sample federation (synthetic names), written by
# `python -m ooh.gainshare.sample sample_inputs/`. Every key: models/README.md.
# Try:  ooh gainshare settle sample_inputs/contract.toml --activity sample_inputs/activity.csv
#       ooh gainshare simulate sample_inputs/contract.toml --activity sample_inputs/activity.csv

[contract]
name = "Sample federation OOH gain share {PERFORMANCE_YEAR}/{(PERFORMANCE_YEAR + 1) % 100:02d}"
performance_year_start = "{PERFORMANCE_YEAR}-04"
contract_year = 1

[parties]
commissioner = "NHS Sample Integrated Care Board"
provider = "Sample GP Federation"

# Measures: the three defaults (National Cost Collection 2024/25 unit costs).
[[measures]]
code = "ae_attendance"
unit_price = 280.17

[[measures]]
code = "admission_short"
unit_price = 825.86

[[measures]]
code = "admission_long"
unit_price = 5419.28

# Baseline: MSSP-style weights on the three prior years, as rates per 1,000 patients applied
# to the current list, so list growth is not mistaken for extra activity.
[baseline]
years = 3
weights = [10, 30, 60]
rates_per_1000 = true
list_sizes = [{sizes}]   # federation list in each baseline year, oldest first
trend_pct = 1                  # rates per patient have risen about 1% a year
rebase = true

[savings]
basis = "currency"
extra_service_cost = 250000    # the provider's extra OOH capacity, counted against savings

# Gain side: 2% of baseline cost must be saved before anything is shared; then 50% of the
# first £1m and 30% above, capped at 5% of baseline cost.
[gain]
tiers = [
  {{up_to = 1000000, share = 50}},
  {{share = 30}},
]
minimum_payout = 0
minimum_payout_mode = "deductible"
cap_percent = 5

[gain.threshold]
type = "percent"
value = 2
sharing = "first_pound"

# Quality: call answering is a gateway; each missed clinical standard cuts the payment 25%.
[quality]
method = "reductions"
combine = "additive"

[[quality.kpis]]
code = "calls_60s"
name = "Calls answered within 60 seconds (%)"
pass_mark = 90
gateway = true
result = 93.2

[[quality.kpis]]
code = "urgent_20min"
name = "Urgent cases clinically assessed within 20 minutes (%)"
pass_mark = 95
reduction = 25
result = 96.1

[[quality.kpis]]
code = "emergency_f2f_1h"
name = "Emergency face-to-face within 1 hour (%)"
pass_mark = 95
reduction = 25
result = 95.4

[attribution]
method = "list_size"

# Simulation: the true change the service is assumed to make (a 3% fall, give or take 2%).
# The trend uncertainty is estimated from the baseline data unless trend_sd is given.
[simulation]
effect = {{distribution = "normal", mean = -0.03, sd = 0.02}}
draws = 10000
seed = {SEED}

{practice_rows}"""


def write_samples(folder: str | Path) -> list[Path]:
    """Write activity.csv, activity.xlsx and contract.toml into ``folder``."""
    from ooh.rota.sample import sample_practices

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    practices = sample_practices("realistic")
    rows, list_sizes = _federation(SEED, practices)
    csv_path = folder / "activity.csv"
    csv_path.write_text(activity_csv(rows), encoding="utf-8")
    xlsx_path = folder / "activity.xlsx"
    write_activity_xlsx(rows, xlsx_path)
    toml_path = folder / "contract.toml"
    toml_path.write_text(sample_contract_toml(practices, list_sizes), encoding="utf-8")
    return [csv_path, xlsx_path, toml_path]


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    folder = args[0] if args else "sample_inputs"
    for path in write_samples(folder):
        print(f"Wrote {path}")


if __name__ == "__main__":
    main()
