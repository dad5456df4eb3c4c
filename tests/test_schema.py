"""The schema is the single description of the input workbook: it covers every dataclass
field, takes its defaults from the dataclasses, and generates the committed docs."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from ooh import schema
from ooh.practice import Practice
from ooh.rota.data import (
    Clinician,
    FixedBooking,
    Request,
    Rules,
    Settings,
    ShiftType,
    Site,
    Weights,
)

ROOT = Path(__file__).resolve().parents[1]


def test_committed_input_contract_matches_the_schema() -> None:
    committed = (ROOT / "docs" / "input-contract.md").read_text(encoding="utf-8")
    assert committed == schema.render_input_contract(), (
        "docs/input-contract.md is stale: run `python -m ooh.schema > docs/input-contract.md`"
    )


def test_python_m_ooh_schema_prints_the_contract() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "ooh.schema"], capture_output=True, text=True, check=True
    ).stdout
    assert out == schema.render_input_contract()


@pytest.mark.parametrize(
    ("sheet", "cls", "extra"),
    [
        (schema.PRACTICES, Practice, set()),
        (schema.SITES, Site, set()),
        (schema.CLINICIANS, Clinician, set()),
        (schema.SHIFT_TYPES, ShiftType, {f"day:{i}" for i in range(7)}),
        (schema.REQUESTS, Request, set()),
        (schema.FIXED, FixedBooking, set()),
        (schema.SETTINGS, Settings, set()),
    ],
)
def test_sheet_columns_map_exactly_onto_dataclass_fields(
    sheet: schema.Sheet, cls: type, extra: set[str]
) -> None:
    fields = {f.name for f in dataclasses.fields(cls)}
    columns = {c.field for c in sheet.columns}
    if cls is ShiftType:
        fields.discard("days")  # one yes/no column per weekday instead
    assert columns == fields | extra


def test_rules_sheet_covers_every_rule_and_weight() -> None:
    rule_fields = {f.name for f in dataclasses.fields(Rules)} - {"weights"}
    weight_fields = {f"weights.{f.name}" for f in dataclasses.fields(Weights)}
    assert {c.field for c in schema.RULES.columns} == rule_fields | weight_fields


def test_defaults_come_from_the_dataclasses() -> None:
    # Values written out so a change to a dataclass default shows up here and in the docs.
    assert schema.CLINICIANS.column("max_hours_per_week").default == 48.0
    assert schema.SETTINGS.column("weeks").default == 4
    assert schema.SETTINGS.column("nation").default == "England"
    assert schema.SETTINGS.column("blank_is_available").default is True
    assert schema.RULES.column("min_rest_hours").default == 11.0
    assert schema.RULES.column("rest_after_nights_hours").default == 46.0
    assert schema.RULES.column("max_consecutive_nights").default == 4
    assert schema.RULES.column("max_consecutive_days").default == 6
    assert schema.RULES.column("max_shifts_per_week").default is None
    assert schema.RULES.column("weights.target").default == 400
    for f in dataclasses.fields(Weights):
        assert schema.RULES.column(f"weights.{f.name}").default == f.default
    for f in dataclasses.fields(Rules):
        if f.name != "weights":
            assert schema.RULES.column(f.name).default == f.default


def test_clinician_limits_of_the_brief() -> None:
    hours = schema.CLINICIANS.column("max_hours_per_week")
    assert (hours.minimum, hours.maximum, hours.kind) == (1, 72, "number")
    assert schema.SETTINGS.column("weeks").minimum == 1
    assert schema.SETTINGS.column("weeks").maximum == 13
    assert schema.SETTINGS.column("nation").choices == (
        "England",
        "Wales",
        "Scotland",
        "Northern Ireland",
    )


def test_every_column_has_help_and_an_example() -> None:
    for sheet in schema.SHEETS:
        for column in sheet.columns:
            assert column.help.strip(), (sheet.name, column.header)
            assert column.example is not None, (sheet.name, column.header)


def test_headers_are_unique_within_a_sheet() -> None:
    for sheet in schema.SHEETS:
        names = [" ".join(n.split()).casefold() for c in sheet.columns for n in c.names()]
        assert len(names) == len(set(names)), sheet.name


def test_readme_rows_explain_every_sheet_and_column() -> None:
    text = "\n".join(f"{a}\t{b}" for a, b in schema.readme_rows())
    for sheet in schema.SHEETS[1:]:
        assert sheet.name in text
        for column in sheet.columns:
            assert column.header in text
    assert "Default: 48." in text  # max hours per week


def test_contract_has_a_decisions_part() -> None:
    text = schema.render_input_contract()
    assert "\n## Decisions\n" in text
    assert "| `Max hours per week` | number | 48 | 1 to 72 |" in text
