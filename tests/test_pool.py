"""Pool sizing on a tiny federation built in code: four practices, one week.

The instance is built so each practice's clinicians can cover only some dates, so the fill
rate *must* grow as practices join, by amounts worked out by hand:

- shift line EVE (GP, 18:00-22:00 every day, 1 required place): 7 places;
- shift line NURSE (Nurse, Monday 10:00-14:00, 1 required place): 1 place; 8 in all.
- A (9,000 patients, North): GP A1, free Mon-Wed (3 EVE places), max 40 h per 7 days;
- B (6,000, South): GPs B1 and B2, both free Thu-Fri only (2 EVE places);
- C (3,000, South): GP C1, free Sat-Sun only (2 EVE places);
- D (1,000, North): nurse D1 (the NURSE place), no GP;
- L1 (locum GP, free every day) and S1 (salaried GP, free Thursday): in pools only
  with ``with_locums``.

Workbook order is C, A, D, B, so "list-size", "locality" and "given" orders all differ.
Every GP is paid £50/h and the nurse £40/h: an EVE place costs £200, NURSE £160.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, time, timedelta
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from ooh.cli import cli
from ooh.errors import InputError, OohError
from ooh.rota.data import (
    UNAVAILABLE,
    Breach,
    Clinician,
    Practice,
    RotaData,
    Settings,
    ShiftType,
    Site,
)
from ooh.rota.pool import (
    Coalition,
    PoolError,
    PoolResult,
    fill_warnings,
    growing_pools,
    ordered_practices,
    plot_pool,
    pool_data,
    pool_rows,
    pool_sizes,
    read_coalitions,
    save_plot,
    smallest_meeting,
    target_words,
)

MONDAY = date(2027, 2, 1)  # no bank holiday that week
TIME_LIMIT = 2.0


def _gp(cid: str, practice: str | None, **kw: object) -> Clinician:
    return Clinician(id=cid, name=f"Dr {cid}", practice=practice, role="GP", hourly_rate=50.0, **kw)  # type: ignore[arg-type]


def federation() -> RotaData:
    free = {
        "A1": {0, 1, 2},
        "B1": {3, 4},
        "B2": {3, 4},
        "C1": {5, 6},
        "D1": {0},
        "L1": set(range(7)),
        "S1": {3},
    }
    clinicians = (
        _gp("C1", "C"),
        _gp("A1", "A", max_hours_per_week=40.0),
        Clinician("D1", "Nurse D1", "D", "Nurse", hourly_rate=40.0),
        _gp("B1", "B"),
        _gp("B2", "B"),
        _gp("L1", None, is_locum=True),
        _gp("S1", None),
    )
    availability = {
        (cid, MONDAY + timedelta(days=d)): UNAVAILABLE
        for cid, days in free.items()
        for d in range(7)
        if d not in days
    }
    lines = (
        ShiftType("EVE", "HUB", "GP", time(18), time(22), frozenset(range(7))),
        ShiftType("NURSE", "HUB", "Nurse", time(10), time(14), frozenset({0})),
    )
    return RotaData(
        settings=Settings(period_start=MONDAY, weeks=1),
        practices=(
            Practice("C", "Practice C", 3_000, locality="South"),
            Practice("A", "Practice A", 9_000, locality="North"),
            Practice("D", "Practice D", 1_000, locality="North"),
            Practice("B", "Practice B", 6_000, locality="South"),
        ),
        sites=(Site("HUB", "Hub"),),
        clinicians=clinicians,
        shift_types=lines,
        availability=availability,
    )


@pytest.fixture(scope="module")
def data() -> RotaData:
    return federation()


@pytest.fixture(scope="module")
def by_size(data: RotaData) -> list[PoolResult]:
    return pool_sizes(data, "list-size", time_limit=TIME_LIMIT, jobs=1)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ooh.rota.io import write_input_workbook

    path = tmp_path_factory.mktemp("pool") / "inputs.xlsx"
    write_input_workbook(federation(), path)
    return path


# ---- orders and pool inputs -----------------------------------------------------------------


def test_orders(data: RotaData) -> None:
    assert ordered_practices(data, "list-size") == ["A", "B", "C", "D"]
    # North 10,000 patients before South 9,000; within each, largest first
    assert ordered_practices(data, "locality") == ["A", "D", "B", "C"]
    assert ordered_practices(data, "given") == ["C", "A", "D", "B"]
    assert [p.practices for p in growing_pools(data, "given")] == [
        ("C",),
        ("C", "A"),
        ("C", "A", "D"),
        ("C", "A", "D", "B"),
    ]
    with pytest.raises(OohError, match="--order 'size'"):
        ordered_practices(data, "size")


def test_pool_data_keeps_only_members_unless_locums_asked(data: RotaData) -> None:
    members = pool_data(data, ["A", "B"])
    assert [c.id for c in members.clinicians] == ["A1", "B1", "B2"]
    assert [p.code for p in members.practices] == ["A", "B"]
    assert {cid for cid, _ in members.availability} == {"A1", "B1", "B2"}
    with_locums = pool_data(data, ["A", "B"], with_locums=True)
    assert [c.id for c in with_locums.clinicians] == ["A1", "B1", "B2", "L1", "S1"]


# ---- growing pools --------------------------------------------------------------------------


def test_fill_grows_with_the_pool_as_it_must(by_size: list[PoolResult]) -> None:
    assert [r.practices for r in by_size] == [
        ("A",),
        ("A", "B"),
        ("A", "B", "C"),
        ("A", "B", "C", "D"),
    ]
    assert [r.added for r in by_size] == ["A", "B", "C", "D"]
    # EVE: A covers 3 dates, B 2 more, C the last 2; the NURSE place only when D joins
    assert [r.filled_required for r in by_size] == [3, 5, 7, 8]
    assert [r.fill for r in by_size] == [3 / 8, 5 / 8, 7 / 8, 1.0]
    fills = [r.fill or 0 for r in by_size]
    assert fills == sorted(fills)
    assert all(r.fill_proven and r.status == "optimal" for r in by_size)


def test_pool_rows_check_out_by_hand(by_size: list[PoolResult]) -> None:
    # registered patients: A 9,000; + B 6,000; + C 3,000; + D 1,000
    assert [r.registered_patients for r in by_size] == [9_000, 15_000, 18_000, 19_000]
    # clinicians offered: A1; + B1, B2; + C1; + D1 (locum L1 and salaried S1 left out)
    assert [r.clinicians_offered for r in by_size] == [1, 3, 4, 5]
    assert all(r.required_places == 8 for r in by_size)
    assert by_size[0].unfilled_by_line == {"EVE": 4, "NURSE": 1}
    assert by_size[1].unfilled_by_line == {"EVE": 2, "NURSE": 1}
    assert by_size[2].unfilled_by_line == {"EVE": 0, "NURSE": 1}
    assert by_size[3].unfilled_by_line == {"EVE": 0, "NURSE": 0}
    # cost: £200 per EVE place (4 h x £50), £160 for NURSE (4 h x £40)
    assert [r.cost for r in by_size] == [600.0, 1000.0, 1400.0, 1560.0]
    # heaviest load: A1 works all three of A's evenings, 12 h of their 40 h limit
    first = by_size[0]
    assert (first.heaviest_clinician, first.heaviest_hours, first.heaviest_max_hours) == (
        "A1",
        12.0,
        40.0,
    )
    assert first.heaviest_percent == pytest.approx(30.0)
    assert by_size[3].heaviest_clinician == "A1"


def test_locums_offered_to_every_pool_when_asked(data: RotaData) -> None:
    [alone] = pool_sizes(
        data,
        coalitions=[Coalition("A with locums", ("A",))],
        with_locums=True,
        time_limit=TIME_LIMIT,
        jobs=1,
    )
    # A1, locum L1 and salaried S1: every evening filled, the nurse place still open
    assert alone.clinicians_offered == 3
    assert alone.unfilled_by_line == {"EVE": 0, "NURSE": 1}
    assert alone.fill == 7 / 8


def test_parallel_processes_give_the_same_results(
    data: RotaData, by_size: list[PoolResult]
) -> None:
    lines: list[str] = []
    parallel = pool_sizes(data, "list-size", time_limit=TIME_LIMIT, jobs=2, progress=lines.append)
    assert parallel == by_size  # every figure but the wall-clock runtime
    assert [r.index for r in parallel] == [1, 2, 3, 4]
    assert len(lines) == 4
    assert lines[-1].startswith("pool 4/4 done")


def test_a_conflicting_pool_is_a_row_without_a_rota(data: RotaData) -> None:
    # A1 is free on 3 dates but must work 5 shifts: A's pool cannot obey its hard rules
    keen = tuple(replace(c, min_shifts=5) if c.id == "A1" else c for c in data.clinicians)
    [row] = pool_sizes(
        replace(data, clinicians=keen),
        coalitions=[Coalition("A", ("A",))],
        time_limit=TIME_LIMIT,
        jobs=1,
    )
    assert (row.status, row.fill, row.cost, row.unfilled_required) == ("conflict", None, None, None)
    assert any("A1" in line for line in row.conflicts)
    assert pool_rows([row])[0][-1] == "\n".join(row.conflicts)


def test_a_breach_in_any_pool_stops_the_run(
    data: RotaData, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ooh.rota.check

    fake = Breach("min-rest", "A1", (MONDAY,), "Dr A1 rests 2 h between two shifts")
    monkeypatch.setattr(ooh.rota.check, "check_rota", lambda *args, **kwargs: [fake])
    with pytest.raises(PoolError, match=r"pool 1 \(A\): the rota breaks hard rules") as caught:
        pool_sizes(data, coalitions=[Coalition("A", ("A",))], time_limit=TIME_LIMIT, jobs=1)
    assert "min-rest: Dr A1 rests 2 h between two shifts" in str(caught.value)


# ---- target -----------------------------------------------------------------------------------


def test_target_picks_the_smallest_pool(by_size: list[PoolResult]) -> None:
    # fills 37.5%, 62.5%, 87.5%, 100%
    assert smallest_meeting(by_size, 0.6) is by_size[1]
    assert smallest_meeting(by_size, 0.625) is by_size[1]  # exactly reached counts
    assert smallest_meeting(by_size, 0.85) is by_size[2]
    assert smallest_meeting(by_size, 0.98) is by_size[3]
    assert "pool 3 (first 3 practices: A, B, C), 18,000 registered patients, 87.5% filled" in (
        target_words(by_size, 0.85)
    )
    assert smallest_meeting(by_size[:3], 0.98) is None
    assert target_words(by_size[:3], 0.98).startswith(
        "No pool fills 98% of required places (the best fills 87.5%)"
    )
    with pytest.raises(OohError, match="--target 1.5"):
        smallest_meeting(by_size, 1.5)


def test_warns_when_a_bigger_pool_fills_less_unproven(by_size: list[PoolResult]) -> None:
    assert fill_warnings(by_size) == {}
    # as if pool 3 (A, B, C) had stopped at 4 filled places without proof
    short = replace(by_size[2], unfilled_required=4, fill_proven=False)
    shaky = [by_size[0], by_size[1], short, by_size[3]]
    assert fill_warnings(shaky) == {
        3: "fills 1 fewer required places than pool 2, a smaller pool, and its fill is not "
        "proven best: a longer --time-limit may fill more"
    }
    # proven: the added practice's bookings or minimums may truly cost places; no warning
    assert fill_warnings([by_size[0], by_size[1], replace(short, fill_proven=True)]) == {}
    # coalitions are not nested: never compared
    assert fill_warnings([replace(r, added=None) for r in shaky]) == {}


# ---- coalitions -----------------------------------------------------------------------------


def test_coalitions_from_csv_and_smallest_meeting(tmp_path: Path, data: RotaData) -> None:
    path = tmp_path / "coalitions.csv"
    path.write_text("Coalition,Practice\nNorth,A\nNorth,D\n\nSouth,B\nSouth, C \n")
    coalitions = read_coalitions(path, data)
    assert coalitions == [Coalition("North", ("A", "D")), Coalition("South", ("B", "C"))]
    north, south = pool_sizes(data, coalitions=coalitions, time_limit=TIME_LIMIT, jobs=1)
    # North: EVE Mon-Wed + NURSE = 4 of 8; South: EVE Thu-Sun = 4 of 8
    assert (north.registered_patients, north.filled_required, north.added) == (10_000, 4, None)
    assert (south.registered_patients, south.filled_required) == (9_000, 4)
    # both fill half: the one with fewer patients is the answer
    assert smallest_meeting([north, south], 0.5) is south


def _xlsx(path: Path, rows: list[list[object]], title: str = "Coalitions") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_coalitions_xlsx_errors_name_their_cells(tmp_path: Path, data: RotaData) -> None:
    path = _xlsx(
        tmp_path / "bad.xlsx",
        [
            ["Coalition name", "Practice code"],
            ["North", "A"],
            ["North", "a"],
            [None, "B"],
            ["South", None],
            ["North", "A"],
        ],
    )
    with pytest.raises(InputError) as caught:
        read_coalitions(path, data)
    assert [str(i) for i in caught.value.issues] == [
        "Coalitions!B3: practice 'a' is not in the inputs' Practices (did you mean A?)",
        "Coalitions!A4: blank coalition name; name the coalition this practice is in",
        "Coalitions!B5: blank practice code; give a code from the Practices sheet",
        "Coalitions!B6: practice A is listed twice in coalition 'North'",
    ]


def test_coalitions_file_problems(tmp_path: Path, data: RotaData) -> None:
    no_header = _xlsx(tmp_path / "h.xlsx", [["Group", "Practice"], ["X", "A"]], title="Sheet1")
    with pytest.raises(InputError, match=r"Sheet1!A1: no Coalition column in the header row"):
        read_coalitions(no_header, data)
    only_header = tmp_path / "empty.csv"
    only_header.write_text("coalition,practice\n")
    with pytest.raises(InputError, match=r"empty.csv: no coalitions listed"):
        read_coalitions(only_header, data)
    with pytest.raises(OohError, match="file not found"):
        read_coalitions(tmp_path / "missing.csv", data)
    text = tmp_path / "c.txt"
    text.write_text("x")
    with pytest.raises(OohError, match=r"\.xlsx or \.csv file"):
        read_coalitions(text, data)


# ---- plot -----------------------------------------------------------------------------------


def test_plot_is_written_and_not_empty(tmp_path: Path, by_size: list[PoolResult]) -> None:
    fig = plot_pool(by_size, target=0.98)
    ax = fig.axes[0]
    line = ax.get_lines()[0]
    cost = fig.axes[1].get_lines()[0]
    assert np.asarray(line.get_xdata()).tolist() == [9_000, 15_000, 18_000, 19_000]
    assert np.asarray(line.get_ydata()).tolist() == [37.5, 62.5, 87.5, 100.0]
    assert np.asarray(cost.get_ydata()).tolist() == [600.0, 1000.0, 1400.0, 1560.0]
    # every fill proven best: no open markers (the other line is the target)
    assert [str(x.get_label()) for x in ax.get_lines()][0] == "required places filled %"
    assert "fill not proven best" not in [x.get_label() for x in ax.get_lines()]
    out = save_plot(fig, tmp_path / "pool.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.stat().st_size > 5_000


# ---- command line ---------------------------------------------------------------------------


def test_cli_writes_workbook_plot_and_json(tmp_path: Path, inputs: Path) -> None:
    out, png = tmp_path / "pool.xlsx", tmp_path / "pool.png"
    args = ["rota", "pool", str(inputs), "--order", "locality", "--target", "0.5"]
    args += ["--time-limit", str(TIME_LIMIT), "--jobs", "1", "--quiet"]
    args += ["-o", str(out), "--plot", str(png), "--json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    # locality order A, D, B, C: fills 3+1, +2, +2 of 8
    assert [p["practices"] for p in report["pools"]][-1] == ["A", "D", "B", "C"]
    assert [p["fill_percent"] for p in report["pools"]] == [37.5, 50.0, 75.0, 100.0]
    assert report["target_pool"] == 2
    assert png.stat().st_size > 0

    wb = load_workbook(out)
    assert wb.sheetnames == ["Pools", "Unfilled by shift line", "Run info"]
    pools = list(wb["Pools"].iter_rows(values_only=True))
    header = pools[0]
    second = dict(zip(header, pools[2], strict=True))
    assert second["Members"] == "A, D"
    assert second["Registered patients"] == 10_000
    assert second["Clinicians offered"] == 2
    assert second["Required places filled %"] == 50.0
    assert second["Meets target"] == "yes: smallest"
    unfilled = list(wb["Unfilled by shift line"].iter_rows(values_only=True))
    assert unfilled[0][-2:] == ("EVE", "NURSE")
    assert unfilled[1][-2:] == (4, 1)  # A alone
    info = dict(wb["Run info"].iter_rows(min_row=2, values_only=True))
    from ooh.outputs import file_sha256

    assert info["Input SHA-256"] == file_sha256(inputs)
    assert info["Seed"] == 0
    assert info["Pools"] == 4
    assert str(info["Target answer"]).startswith("Smallest pool filling at least 50%")


def test_cli_errors_exit_one(tmp_path: Path, inputs: Path) -> None:
    bad = tmp_path / "coalitions.csv"
    bad.write_text("Coalition,Practice\nNorth,Z9\n")
    result = CliRunner().invoke(
        cli, ["rota", "pool", str(inputs), "--coalitions", str(bad), "-o", str(tmp_path / "p.xlsx")]
    )
    assert result.exit_code == 1
    assert "coalitions.csv!B2: practice 'Z9' is not in the inputs' Practices" in result.output
    assert not (tmp_path / "p.xlsx").exists()
    missing = CliRunner().invoke(cli, ["rota", "pool", str(tmp_path / "none.xlsx")])
    assert missing.exit_code == 1
    assert "file not found" in missing.output
    over = CliRunner().invoke(cli, ["rota", "pool", str(inputs), "-o", str(inputs)])
    assert over.exit_code == 1
    assert "would overwrite an input" in over.output


def test_cli_usage_errors_exit_two(inputs: Path) -> None:
    for extra in (["--order", "size"], ["--target", "1.5"], ["--target", "0"], ["--jobs", "0"]):
        result = CliRunner().invoke(cli, ["rota", "pool", str(inputs), *extra])
        assert result.exit_code == 2, extra


def test_cli_text_table_and_no_target(tmp_path: Path, inputs: Path) -> None:
    coalitions = tmp_path / "c.csv"
    coalitions.write_text("Coalition,Practice\nJust C,C\n")
    result = CliRunner().invoke(
        cli,
        [
            "rota",
            "pool",
            str(inputs),
            "--coalitions",
            str(coalitions),
            "--target",
            "0.98",
            "--time-limit",
            str(TIME_LIMIT),
            "-o",
            str(tmp_path / "p.xlsx"),
        ],
    )
    assert result.exit_code == 0, result.output
    # C alone: Saturday and Sunday evenings, 2 of 8 places
    assert "3,000      25.0" in result.stdout
    assert "No pool fills 98% of required places (the best fills 25.0%)" in result.stdout
    assert "pool 1/1 done: Just C" in result.stderr


def test_plot_marks_fills_not_proven_best(by_size: list[PoolResult]) -> None:
    shaky = [replace(r, fill_proven=r.index != 2) for r in by_size]
    ax = plot_pool(shaky).axes[0]
    fill, unproven = ax.get_lines()
    assert unproven.get_label() == "fill not proven best"
    assert np.asarray(unproven.get_xdata()).tolist() == [15_000]
    assert np.asarray(unproven.get_ydata()).tolist() == [62.5]
