"""Excel workbooks and run records for simulate, threshold, sweep and compare.

One sheet per table, styled by ``ooh.excel``; every workbook ends with a "Run info" sheet
(version, seed, draws, options, input files and their SHA-256) so a result can be rerun.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ooh import __version__
from ooh.outputs import file_sha256, write_atomically, written_at

if TYPE_CHECKING:
    from ooh.gainshare.compare import Comparison
    from ooh.gainshare.simulate import Simulation
    from ooh.gainshare.sweep import SweepResult
    from ooh.gainshare.threshold import ThresholdResult

MONEY = '"£"#,##0'
PCT = "0.0%"


def run_info(
    params: Sequence[tuple[str, Any]], inputs: dict[str, str | Path | None]
) -> list[tuple[str, Any]]:
    """Parameters, input files with their SHA-256, version and time."""
    pairs = list(params)
    for label, path in inputs.items():
        if path and Path(path).exists():
            pairs.append((label, str(path)))
            pairs.append((f"{label} SHA-256", file_sha256(path)))
    pairs.append(("ooh version", __version__))
    pairs.append(("Written at (UTC)", written_at()))
    return pairs


def simulation_params(sim: Simulation) -> list[tuple[str, Any]]:
    e = sim.effect
    effect = (
        f"normal, mean {e.mean}, sd {e.sd}"
        if e.distribution == "normal"
        else f"uniform {e.low} to {e.high}"
        if e.distribution == "uniform"
        else f"fixed {e.mean}"
    )
    return [
        ("Contract", sim.contract_name),
        ("Draws", sim.draws),
        ("Seed", sim.seed),
        ("Chunk (draws per random stream)", sim.chunk),
        ("Assumed true effect on activity", effect),
        ("Counterfactual (activity with no real change)", sim.counterfactual),
    ]


SUMMARY_ROWS = (
    ("mean_payment", "Expected year-end payment to the provider", "£"),
    ("se_mean_payment", "Standard error of that mean", "£"),
    ("mean_provider_net", "Expected provider net gain (after withhold kept)", "£"),
    ("mean_commissioner_net_saving", "Expected commissioner net saving", "£"),
    ("mean_net_savings", "Expected net savings", "£"),
    ("p_provider_paid", "P(provider is paid)", "%"),
    ("p_provider_repays", "P(provider repays)", "%"),
    ("p_paid_no_effect", "P(payment | no real change): paying for chance", "%"),
    ("mean_payment_no_effect", "Expected payment with no real change", "£"),
)


def write_simulation(sim: Simulation, path: str | Path, inputs: dict[str, Any]) -> Path:
    from openpyxl import Workbook

    from ooh.excel import write_key_values, write_table

    def write(tmp: Path) -> None:
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = "Summary"
        rows = [(label, sim.summary[key], unit) for key, label, unit in SUMMARY_ROWS]
        write_table(ws, ["Result", "Value", "Unit"], rows, autofilter=False)
        for r, (_, _, unit) in enumerate(rows, start=2):
            ws.cell(r, 2).number_format = MONEY if unit == "£" else PCT
        ws = wb.create_sheet("Percentiles")
        names = {
            "payment": "Year-end payment to provider",
            "commissioner_net_saving": "Commissioner net saving",
            "net_savings": "Net savings",
        }
        pct = sorted(next(iter(sim.percentiles.values())))
        write_table(
            ws,
            ["Amount (£)", *[f"P{p}" for p in pct]],
            [[names[k], *[v[p] for p in pct]] for k, v in sim.percentiles.items()],
            number_formats={f"P{p}": MONEY for p in pct},
        )
        ws = wb.create_sheet("Noise model")
        write_table(
            ws,
            [
                "Measure",
                "Expected count (no change)",
                "Data projection",
                "Practice-month dispersion",
                "Federation month dispersion",
                "Fitted trend a year",
                "Trend uncertainty (sd)",
                "Year total CV",
            ],
            [
                [
                    m.measure,
                    round(m.expected, 1),
                    round(m.projected, 1) if math.isfinite(m.projected) else None,
                    round(m.phi_cell, 6),
                    round(m.phi_common, 6),
                    m.trend,
                    m.trend_sd,
                    m.total_cv,
                ]
                for m in sim.noise.measures
            ],
            number_formats={
                "Fitted trend a year": "0.00%",
                "Trend uncertainty (sd)": "0.00%",
                "Year total CV": "0.00%",
            },
        )
        if sim.notes:
            ws = wb.create_sheet("Notes")
            write_table(ws, ["Note"], [[n] for n in sim.notes], autofilter=False)
        write_key_values(wb.create_sheet("Run info"), run_info(simulation_params(sim), inputs))
        wb.save(tmp)

    return write_atomically(path, write)


def write_threshold(result: ThresholdResult, path: str | Path, inputs: dict[str, Any]) -> Path:
    from openpyxl import Workbook

    from ooh.excel import write_key_values, write_table

    def write(tmp: Path) -> None:
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = "Threshold"
        rows = [
            ("Alpha: highest acceptable P(payment | no real change)", result.alpha),
            ("Smallest threshold, % of baseline cost", result.threshold_pct),
            ("Smallest threshold, £", result.threshold_amount),
            ("Same threshold on the ratio basis (actual/baseline at most)", result.threshold_ratio),
            ("P(payment | no real change) at that threshold", result.p_payment_at_threshold),
            ("Contract's own threshold, % of baseline cost", result.current_threshold_pct),
            ("P(payment | no real change) under the contract", result.p_payment_current),
            ("Net savings with no real change: mean, % of baseline", result.null_mean_pct),
            ("Net savings with no real change: sd, % of baseline", result.null_sd_pct),
            ("Population (registered list)", result.population),
            ("Baseline cost, £", result.baseline_cost),
        ]
        write_table(ws, ["Result", "Value"], rows, autofilter=False)
        ws = wb.create_sheet("By population")
        write_table(
            ws,
            [
                "Population",
                "Threshold needed, % of baseline",
                "MSSP minimum savings rate, %",
                "SD of chance savings, %",
                "This federation",
            ],
            [
                [
                    r.population,
                    r.threshold_pct,
                    r.mssp_pct,
                    round(r.null_sd_pct, 3),
                    "yes" if r.is_contract else "",
                ]
                for r in result.table
            ],
        )
        params = [
            ("Contract", result.contract_name),
            ("Alpha", result.alpha),
            ("Draws", result.draws),
            ("Seed", result.seed),
            ("Counterfactual", result.counterfactual),
        ]
        write_key_values(wb.create_sheet("Run info"), run_info(params, inputs))
        wb.save(tmp)

    return write_atomically(path, write)


def write_sweep(result: SweepResult, path: str | Path, inputs: dict[str, Any]) -> Path:
    from openpyxl import Workbook

    from ooh.excel import write_key_values, write_table
    from ooh.gainshare.sweep import METRIC_LABELS

    def write(tmp: Path) -> None:
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = "Sweep"
        formats = {
            label: (PCT if key.startswith("p_") else MONEY) for key, label in METRIC_LABELS.items()
        }
        write_table(ws, result.headers(), result.rows(), number_formats=formats)
        params = [
            ("Contract", result.contract_name),
            ("Varied terms", ", ".join(result.keys)),
            ("Grid points", len(result.points)),
            ("Draws (common to every point)", result.draws),
            ("Seed", result.seed),
        ]
        write_key_values(wb.create_sheet("Run info"), run_info(params, inputs))
        wb.save(tmp)

    return write_atomically(path, write)


def write_comparison(result: Comparison, path: str | Path, inputs: dict[str, Any]) -> Path:
    from openpyxl import Workbook

    from ooh.excel import write_key_values, write_table
    from ooh.gainshare.sweep import METRIC_LABELS

    def write(tmp: Path) -> None:
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = "Comparison"
        headers = ["Contract", "File", "Baseline cost (£)", "Gain threshold (£)"]
        headers += list(METRIC_LABELS.values())
        rows = [
            [c.name, c.source, c.baseline_cost, c.threshold, *dataclasses.astuple(c.metrics)]
            for c in result.contracts
        ]
        formats = {
            label: (PCT if key.startswith("p_") else MONEY) for key, label in METRIC_LABELS.items()
        }
        formats.update({"Baseline cost (£)": MONEY, "Gain threshold (£)": MONEY})
        write_table(ws, headers, rows, number_formats=formats)
        e = result.effect
        params = [
            ("Contracts", len(result.contracts)),
            ("Draws (common to every contract)", result.draws),
            ("Seed", result.seed),
            ("Assumed true effect", f"{e.distribution}: mean {e.mean}, sd {e.sd}"),
            ("Counterfactual", result.counterfactual),
        ]
        write_key_values(wb.create_sheet("Run info"), run_info(params, inputs))
        wb.save(tmp)

    return write_atomically(path, write)
