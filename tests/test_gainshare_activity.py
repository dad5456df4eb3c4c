"""Activity reading: every problem named by file, sheet and cell (or row and column)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from ooh.errors import InputError
from ooh.gainshare.activity import Activity, read_activity, write_activity_csv

PRACTICES = ["P01", "P02"]
MEASURES = ["ae_attendance", "admission_short"]


def csv_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "activity.csv"
    path.write_text(text, encoding="utf-8")
    return path


def xlsx_file(tmp_path: Path, rows: list[list[object]], sheet: str = "Activity") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    path = tmp_path / "activity.xlsx"
    wb.save(path)
    return path


def test_reads_csv_and_totals(tmp_path):
    path = csv_file(
        tmp_path,
        "practice,month,measure,count\nP01,2026-04,ae_attendance,10\nP02,2026-04,ae_attendance,5\n"
        "P01,2026-05,ae_attendance,7\nP01,2026-04,admission_short,2\n\n",
    )
    a = read_activity(path, PRACTICES, MEASURES)
    assert a.counts[("P01", "2026-04", "ae_attendance")] == 10
    assert a.total("ae_attendance", ["2026-04", "2026-05"]) == 22
    assert a.total("ae_attendance", ["2026-04"], ["P02"]) == 5
    assert a.months == ["2026-04", "2026-05"]
    assert a.missing(["P02"], ["admission_short"], ["2026-04"]) == [
        ("P02", "admission_short", "2026-04")
    ]


def test_columns_in_any_order_and_case(tmp_path):
    path = csv_file(tmp_path, "Count,Measure,Practice,Month\n3,ae_attendance,P01,2026-04\n")
    assert read_activity(path).counts == {("P01", "2026-04", "ae_attendance"): 3}


def test_csv_problems_named_by_row_and_column(tmp_path):
    path = csv_file(
        tmp_path,
        "practice,month,measure,count\n"
        "P09,2026-04,ae_attendance,1\n"  # row 2: unknown practice
        "P01,2026-13,ae_attendance,1\n"  # row 3: bad month
        "P01,2026-04,calls,1\n"  # row 4: unknown measure
        "P01,2026-04,ae_attendance,-2\n"  # row 5: negative
        "P01,2026-05,ae_attendance,2.5\n"  # row 6: not whole
        "P01,2026-06,ae_attendance,4\n"
        "P01,2026-06,ae_attendance,4\n",  # row 8: duplicate of row 7
    )
    with pytest.raises(InputError) as err:
        read_activity(path, PRACTICES, MEASURES)
    text = str(err.value)
    assert "6 problems found" in text
    assert "activity.csv: row 2, column practice (A): unknown practice 'P09'" in text
    assert "activity.csv: row 3, column month (B): must be a month as YYYY-MM" in text
    assert "activity.csv: row 4, column measure (C): unknown measure 'calls'" in text
    assert (
        "activity.csv: row 5, column count (D): must be a whole number of 0 or more; got '-2'"
        in text
    )
    assert (
        "activity.csv: row 6, column count (D): must be a whole number of 0 or more; got '2.5'"
        in text
    )
    assert (
        "activity.csv: row 8, column practice (A): duplicate row for P01, 2026-06, ae_attendance (first at activity.csv: row 7, column practice (A))"
        in text
    )


def test_xlsx_problems_named_by_sheet_and_cell(tmp_path):
    rows = [
        ["practice", "month", "measure", "count"],
        ["P01", datetime(2026, 4, 1), "ae_attendance", 5],  # an Excel date is fine
        ["P01", "April", "ae_attendance", 5],
        ["P02", "2026-04", "ae_attendance", "many"],
        [None, "2026-05", "ae_attendance", 1],
    ]
    with pytest.raises(InputError) as err:
        read_activity(xlsx_file(tmp_path, rows), PRACTICES, MEASURES)
    text = str(err.value)
    assert (
        "activity.xlsx: Activity!B3: must be a month as YYYY-MM (e.g. 2026-04); got 'April'" in text
    )
    assert "activity.xlsx: Activity!D4: must be a whole number of 0 or more; got 'many'" in text
    assert "activity.xlsx: Activity!A5: missing practice code" in text


def test_xlsx_reads_dates_and_whole_floats(tmp_path):
    rows = [
        ["practice", "month", "measure", "count"],
        ["P01", datetime(2026, 4, 1), "ae_attendance", 5.0],
    ]
    assert read_activity(xlsx_file(tmp_path, rows)).counts == {
        ("P01", "2026-04", "ae_attendance"): 5
    }


def test_missing_column_and_empty_and_wrong_type(tmp_path):
    with pytest.raises(InputError, match="missing column 'count'"):
        read_activity(csv_file(tmp_path, "practice,month,measure\nP01,2026-04,ae_attendance\n"))
    with pytest.raises(InputError, match="no activity rows"):
        read_activity(csv_file(tmp_path, "practice,month,measure,count\n"))
    other = tmp_path / "activity.txt"
    other.write_text("x")
    with pytest.raises(InputError, match=r"must be an \.xlsx or \.csv"):
        read_activity(other)
    with pytest.raises(InputError, match="file not found"):
        read_activity(tmp_path / "none.csv")


def test_csv_round_trip(tmp_path):
    a = Activity({("P01", "2026-04", "ae_attendance"): 3, ("P02", "2026-05", "admission_short"): 0})
    path = write_activity_csv(a, tmp_path / "out.csv")
    assert read_activity(path).counts == a.counts
