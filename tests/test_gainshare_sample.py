"""Sample activity and contract: committed files match the generator; rates are realistic."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook

from ooh.gainshare.activity import read_activity
from ooh.gainshare.contract import load_contract
from ooh.gainshare.noise import estimate_noise
from ooh.gainshare.sample import (
    ADMISSIONS_OOH_SHARE,
    ADMISSIONS_PER_1000,
    AE_OOH_SHARE,
    AE_PER_1000,
    activity_csv,
    sample_activity,
    sample_contract_toml,
    write_samples,
)
from ooh.gainshare.settle import settle
from ooh.rota.sample import sample_practices

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_inputs"


@pytest.fixture(scope="module")
def rows():
    return sample_activity()


def test_committed_samples_match_the_generator(rows):
    assert (SAMPLES / "activity.csv").read_text(encoding="utf-8") == activity_csv(rows), (
        "sample_inputs/activity.csv is out of date: run python -m ooh.gainshare.sample sample_inputs/"
    )
    assert (SAMPLES / "contract.toml").read_text(encoding="utf-8") == sample_contract_toml()
    wb = load_workbook(SAMPLES / "activity.xlsx", read_only=True)
    cells = [tuple(r) for r in wb["Activity"].iter_rows(values_only=True)]
    wb.close()
    assert cells[0] == ("practice", "month", "measure", "count")
    assert cells[1:] == [(r.practice, r.month_label, r.measure, r.count) for r in rows]


def test_generator_is_reproducible_and_seeded(rows):
    assert sample_activity() == rows
    assert sample_activity(seed=1) != rows


def test_write_samples_writes_loadable_files(tmp_path):
    paths = write_samples(tmp_path)
    assert sorted(p.name for p in paths) == ["activity.csv", "activity.xlsx", "contract.toml"]
    contract = load_contract(tmp_path / "contract.toml")
    csv = read_activity(tmp_path / "activity.csv")
    xlsx = read_activity(tmp_path / "activity.xlsx")
    assert csv.counts == xlsx.counts
    result = settle(contract, csv)  # the sample settles end to end
    assert result.baseline_cost > 0


def test_practices_are_the_rota_samples(rows):
    contract = load_contract(SAMPLES / "contract.toml")
    practices = sample_practices("realistic")
    assert [(p.code, p.name, p.list_size, p.weighted_list_size) for p in contract.practices] == [
        (p.code, p.name, p.list_size, p.weighted_list_size) for p in practices
    ]
    assert {r.practice for r in rows} == {p.code for p in practices}
    assert len(rows) == len(practices) * 48 * 3  # 3 baseline years + 1 performance year


def test_rates_seasonality_and_a_modest_fall(rows):
    patients = sum(p.list_size for p in sample_practices("realistic"))
    totals: dict[tuple[str, int], int] = defaultdict(int)  # (measure, financial year index)
    monthly: dict[tuple[str, int], list[int]] = defaultdict(list)
    for r in rows:
        fy = (r.year * 12 + r.month - 1 - (2022 * 12 + 3)) // 12
        totals[(r.measure, fy)] += r.count
    by_month: dict[tuple[str, str], int] = defaultdict(int)
    for r in rows:
        by_month[(r.measure, r.month_label)] += r.count
    for (measure, label), n in by_month.items():
        monthly[(measure, int(label[5:]))].append(n)
    per_1000 = {
        m: totals[(m, 2)] / patients * 1000
        for m in ("ae_attendance", "admission_short", "admission_long")
    }
    # DOMAIN.md: 450 A&E attendances x 40% out of hours; 105 admissions x 58.7%
    assert per_1000["ae_attendance"] == pytest.approx(AE_PER_1000 * AE_OOH_SHARE, rel=0.08)
    admissions = per_1000["admission_short"] + per_1000["admission_long"]
    assert admissions == pytest.approx(ADMISSIONS_PER_1000 * ADMISSIONS_OOH_SHARE, rel=0.08)
    assert 0.5 < per_1000["admission_short"] / admissions < 0.68
    # winter (Dec-Feb) busier than summer (Jun-Aug) for long-stay admissions, per day
    days = {1: 31, 2: 28.25, 6: 30, 7: 31, 8: 31, 12: 31}
    winter = sum(np.mean(monthly[("admission_long", m)]) / days[m] for m in (12, 1, 2))
    summer = sum(np.mean(monthly[("admission_long", m)]) / days[m] for m in (6, 7, 8))
    assert winter > 1.1 * summer
    # the performance year falls below the data's own projection in every measure
    contract = load_contract(SAMPLES / "contract.toml")
    activity = read_activity(SAMPLES / "activity.csv")
    model = estimate_noise(contract, activity)
    for m in model.measures:
        actual = activity.total(m.measure, contract.performance_months)
        assert actual < m.projected
        assert actual > 0.85 * m.projected  # modest
