"""``ooh template ...``: blank inputs a user fills in."""

from __future__ import annotations

import click


@click.group("template")
def template_group() -> None:
    """Write blank input templates (rota workbook, rota changes, contract, activity)."""


@template_group.command("rota")
@click.option(
    "-o",
    "--output",
    default="inputs.xlsx",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Workbook to write.",
)
def template_rota(output: str) -> None:
    """Write a rota input workbook with a README sheet, dropdowns and example rows."""
    from ooh.rota.template import write_template

    path = write_template(output)
    click.echo(f"Wrote {path}")


@template_group.command("gainshare")
@click.option(
    "-o",
    "--output-dir",
    default=".",
    show_default=True,
    type=click.Path(),  # checked by write_templates: a file here is an input error (exit 1)
    help="Folder for contract.toml and activity.xlsx (created if missing).",
)
def template_gainshare(output_dir: str) -> None:
    """Write a commented contract file and an activity template."""
    from ooh.gainshare.template import write_templates

    for path in write_templates(output_dir):
        click.echo(f"Wrote {path}")


@template_group.command("changes")
@click.option(
    "-o",
    "--output",
    default="changes.xlsx",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Workbook to write.",
)
def template_changes(output: str) -> None:
    """Write a blank changes workbook for `ooh rota repair` (absences, demand, withdrawals)."""
    from ooh.outputs import check_output_path
    from ooh.rota.repair import write_changes_template

    check_output_path(output, [])
    click.echo(f"Wrote {write_changes_template(output)}")
