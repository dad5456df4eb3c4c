"""The settlement statement: an Excel workbook anyone can follow line by line, and JSON.

Sheets: Statement (every step in order), Measures, Tiers, Practices (the split), Quality
(when the contract has KPIs), Inputs (contract terms, file hashes, version).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from ooh import __version__
from ooh.excel import MONEY_FORMAT, write_key_values, write_table
from ooh.gainshare.settle import Settlement
from ooh.outputs import file_sha256, write_atomically, written_at

COUNT_FORMAT = "#,##0.00"
RATIO_FORMAT = "0.0000"


def _num(x: Decimal | None) -> float | None:
    # Excel stores numbers as binary floats; the exact figures are in the Statement text and
    # the JSON. Every money value has at most 2 decimals, so display is exact.
    return None if x is None else float(x)


def run_info(
    settlement: Settlement, inputs: dict[str, str | Path | None] | None = None
) -> list[tuple[str, Any]]:
    """Contract summary, input file hashes and version, as label/value pairs."""
    c = settlement.contract
    pairs: list[tuple[str, Any]] = [
        ("Contract", c.name),
        ("Commissioner", c.commissioner),
        ("Provider", c.provider),
        ("Performance year", f"{c.performance_months[0]} to {c.performance_months[-1]}"),
        ("Contract year", c.contract_year),
        ("Member practices", len(c.practices)),
        ("Registered patients (current list)", sum(p.list_size for p in c.practices)),
        ("Savings basis", c.savings.basis),
        (
            "Gain threshold",
            f"{c.gain.threshold.type} {c.gain.threshold.value or ''} ({c.gain.threshold.sharing})".strip(),
        ),
        (
            "Loss side",
            "none (one-sided)"
            if c.loss is None
            else f"threshold {c.loss.threshold.type} {c.loss.threshold.value or ''}",
        ),
        ("Quality method", c.quality.method),
        ("Attribution", settlement.attribution_note),
        ("Rounding", "to the penny, half up, at every step shown"),
    ]
    files: dict[str, str | Path | None] = {"Contract file": c.source}
    if c.practices_file:
        files["Practices file"] = c.practices_file
    files.update(inputs or {})
    for label, path in files.items():
        if path and Path(path).exists():
            pairs.append((label, str(path)))
            pairs.append((f"{label} SHA-256", file_sha256(path)))
    pairs.append(("ooh version", __version__))
    pairs.append(("Written at (UTC)", written_at()))
    return pairs


def write_statement(
    settlement: Settlement, output: str | Path, inputs: dict[str, str | Path | None] | None = None
) -> Path:
    """Write the statement workbook atomically; ``inputs`` are extra files to hash (activity)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    def write(tmp: Path) -> None:
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = "Statement"
        rows = []
        for i, s in enumerate(settlement.steps, start=1):
            rows.append([i, s.section, s.label, s.formula, _num(s.amount), s.unit])
        write_table(
            ws,
            ["Step", "Section", "Item", "Calculation", "Amount", "Unit"],
            rows,
            widths={"Calculation": 70},
        )
        for row_no, s in enumerate(settlement.steps, start=2):
            cell = ws.cell(row=row_no, column=5)
            cell.number_format = {
                "£": MONEY_FORMAT,
                "count": COUNT_FORMAT,
                "ratio": RATIO_FORMAT,
            }.get(s.unit, "General")
            if s.section == "Settlement":
                for col in range(1, 7):
                    ws.cell(row=row_no, column=col).font = Font(bold=True)

        ws = wb.create_sheet("Measures")
        n_years = settlement.contract.baseline.years
        headers = ["Measure", "Name", "Unit price"] + [
            f"Baseline year {i + 1} count" for i in range(n_years)
        ]
        headers += ["Baseline count", "Baseline cost", "Actual count", "Actual cost", "Savings"]
        rows = [
            [
                m.code,
                m.name,
                _num(m.price),
                *m.year_counts,
                _num(m.baseline_count),
                _num(m.baseline_cost),
                m.actual_count,
                _num(m.actual_cost),
                _num(m.savings),
            ]
            for m in settlement.measures
        ]
        fmt = dict.fromkeys(["Unit price", "Baseline cost", "Actual cost", "Savings"], MONEY_FORMAT)
        fmt["Baseline count"] = COUNT_FORMAT
        write_table(ws, headers, rows, number_formats=fmt)

        ws = wb.create_sheet("Tiers")
        rows = [
            [
                b.side,
                b.index,
                _num(b.lower),
                _num(b.upper) if b.upper is not None else "no limit",
                _num(b.share),
                _num(b.base),
                _num(b.amount),
            ]
            for b in settlement.bands
        ]
        write_table(
            ws,
            ["Side", "Tier", "From £", "To £", "Share %", "£ in band", "Amount"],
            rows,
            number_formats={
                "From £": MONEY_FORMAT,
                "To £": MONEY_FORMAT,
                "£ in band": MONEY_FORMAT,
                "Amount": MONEY_FORMAT,
            },
        )

        ws = wb.create_sheet("Practices")
        rows = [[p.code, p.name, _num(p.weight), _num(p.amount)] for p in settlement.practices]
        rows.append(
            [
                "Total",
                "",
                _num(sum((p.weight for p in settlement.practices), Decimal(0))),
                _num(sum((p.amount for p in settlement.practices), Decimal(0))),
            ]
        )
        write_table(
            ws,
            ["Practice", "Name", f"Weight ({settlement.attribution_note})", "Amount"],
            rows,
            number_formats={"Amount": MONEY_FORMAT},
        )

        if settlement.quality.kpis:
            ws = wb.create_sheet("Quality")
            rows = [
                [
                    k.code,
                    k.name,
                    _num(k.result),
                    _num(k.pass_mark),
                    "higher" if k.higher_is_better else "lower",
                    "pass" if k.passed else "FAIL",
                    "yes" if k.gateway else "",
                    _num(k.reduction),
                    _num(k.weight),
                ]
                for k in settlement.quality.kpis
            ]
            write_table(
                ws,
                [
                    "KPI",
                    "Name",
                    "Result",
                    "Pass mark",
                    "Better",
                    "Outcome",
                    "Gateway",
                    "Reduction %",
                    "Weight %",
                ],
                rows,
            )

        ws = wb.create_sheet("Inputs")
        write_key_values(ws, run_info(settlement, inputs))
        wb.save(tmp)

    return write_atomically(output, write)


def _s(x: Decimal | None) -> str | None:
    """Money and other exact figures go to JSON as strings, so no precision is lost."""
    return None if x is None else str(x)


def settlement_to_json(settlement: Settlement) -> dict[str, Any]:
    c = settlement.contract

    def side(r: Any) -> dict[str, Any] | None:
        if r is None:
            return None
        return {
            "amount": _s(r.amount),
            "threshold": _s(r.threshold),
            "threshold_met": r.met,
            "counted_from": _s(r.start),
            "bands": [
                {
                    "tier": b.index,
                    "from": _s(b.lower),
                    "to": _s(b.upper),
                    "share_pct": _s(b.share),
                    "base": _s(b.base),
                    "amount": _s(b.amount),
                }
                for b in r.bands
            ],
            "tiered": _s(r.tiered),
            "after_minimum": _s(r.after_minimum),
            "cap": _s(r.cap),
            "after_caps": _s(r.after_caps),
        }

    return {
        "contract": c.name,
        "commissioner": c.commissioner,
        "provider": c.provider,
        "performance_year": [c.performance_months[0], c.performance_months[-1]],
        "measures": [
            {
                "code": m.code,
                "price": _s(m.price),
                "baseline_year_counts": list(m.year_counts),
                "baseline_count": _s(m.baseline_count),
                "baseline_cost": _s(m.baseline_cost),
                "actual_count": m.actual_count,
                "actual_cost": _s(m.actual_cost),
                "savings": _s(m.savings),
            }
            for m in settlement.measures
        ],
        "baseline_cost": _s(settlement.baseline_cost),
        "actual_cost": _s(settlement.actual_cost),
        "gross_savings": _s(settlement.gross_savings),
        "extra_service_cost": _s(settlement.extra_service_cost),
        "net_savings": _s(settlement.net_savings),
        "ratio": _s(settlement.ratio),
        "gain": side(settlement.gain),
        "loss": side(settlement.loss),
        "quality_factor": _s(settlement.quality.factor),
        "quality_gateway_failed": settlement.quality.gateway_failed,
        "gain_payment": _s(settlement.gain_payment),
        "repayment": _s(settlement.repayment),
        "withheld": _s(settlement.withheld),
        "withhold_returned": _s(settlement.withhold_returned),
        "transfer": _s(settlement.transfer),
        "payer": settlement.payer,
        "payee": settlement.payee,
        "provider_net": _s(settlement.provider_net),
        "commissioner_net_saving": _s(settlement.commissioner_net_saving),
        "practices": [
            {"code": p.code, "name": p.name, "weight": _s(p.weight), "amount": _s(p.amount)}
            for p in settlement.practices
        ],
        "steps": [
            {
                "section": s.section,
                "label": s.label,
                "formula": s.formula,
                "amount": _s(s.amount),
                "unit": s.unit,
            }
            for s in settlement.steps
        ],
    }
