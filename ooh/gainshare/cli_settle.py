"""``ooh gainshare settle``: the year-end settlement statement of a contract."""

from __future__ import annotations

import json

import click

from ooh.cli import deterministic_option
from ooh.errors import OohError


def _parse_kpis(values: tuple[str, ...]) -> dict[str, str]:
    results: dict[str, str] = {}
    for item in values:
        code, sep, value = item.partition("=")
        if not sep or not code.strip() or not value.strip():
            raise OohError(f"--kpi {item!r}: give CODE=VALUE, e.g. --kpi urgent_20min=96.5")
        results[code.strip()] = value.strip()
    return results


@click.command("settle")
@click.argument("contract", type=click.Path(dir_okay=False))
@click.option(
    "--activity",
    "activity_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="Activity table (.xlsx or .csv): practice, month, measure, count.",
)
@click.option(
    "-o",
    "--output",
    default="statement.xlsx",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Statement workbook to write.",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Also print the settlement as JSON on stdout."
)
@click.option(
    "--rota",
    type=click.Path(dir_okay=False),
    help="Rota workbook from `ooh rota solve`: split the payment by hours worked.",
)
@click.option(
    "--kpi",
    "kpis",
    multiple=True,
    metavar="CODE=VALUE",
    help="A quality KPI result (overrides result in the contract); repeat for each KPI.",
)
@deterministic_option
def settle_command(
    contract: str,
    activity_path: str,
    output: str,
    as_json: bool,
    rota: str | None,
    kpis: tuple[str, ...],
) -> None:
    """Settle CONTRACT (a TOML file) on the activity and write the statement.

    Every step is shown: baseline per measure, prices, actual, savings, threshold test, each
    tier band, minimum payout, caps, quality, withhold, who pays whom, and the split between
    member practices. Money is exact to the penny.
    """
    from ooh.gainshare.activity import read_activity
    from ooh.gainshare.contract import load_contract
    from ooh.gainshare.settle import read_rota_hours, settle
    from ooh.gainshare.statement import settlement_to_json, write_statement
    from ooh.outputs import check_output_path

    inputs = [contract, activity_path] + ([rota] if rota else [])
    check_output_path(output, inputs)
    terms = load_contract(contract)
    activity = read_activity(
        activity_path, [p.code for p in terms.practices], [m.code for m in terms.measures]
    )
    hours = None
    if rota:
        if terms.attribution.method != "hours":
            raise OohError(
                f'--rota is used only when the contract splits by hours: set [attribution] method = "hours" in {contract}'
            )
        hours = read_rota_hours(rota)
    result = settle(terms, activity, _parse_kpis(kpis), hours)
    path = write_statement(
        result,
        output,
        {"Activity file": activity_path, "Rota file": rota or terms.attribution.rota},
    )
    if as_json:
        click.echo(json.dumps(settlement_to_json(result), indent=2))
    else:
        if result.transfer > 0:
            line = f"{result.payer} pays {result.payee} £{result.transfer:,}"
        elif result.transfer < 0:
            line = f"{result.payer} pays {result.payee} £{-result.transfer:,}"
        else:
            line = "No payment either way"
        click.echo(
            f"Net savings £{result.net_savings:,}; {line}; commissioner's net saving £{result.commissioner_net_saving:,}"
        )
    click.echo(f"Wrote {path}", err=as_json)


COMMANDS = [settle_command]
