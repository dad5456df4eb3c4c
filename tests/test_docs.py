"""docs/commands.md is generated from the CLI and current; troubleshooting covers every kind
of message and states the limits the code applies."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ooh import safety, schema
from ooh.cli_docs import EXAMPLES, check_example, commands, render

ROOT = Path(__file__).resolve().parents[1]
COMMANDS_MD = ROOT / "docs" / "commands.md"
TROUBLESHOOTING = (ROOT / "docs" / "troubleshooting.md").read_text(encoding="utf-8")
PATHS = [path for path, _ in commands()]


def test_commands_md_is_current() -> None:
    assert COMMANDS_MD.read_text(encoding="utf-8") == render(), (
        "docs/commands.md is out of date: run `python -m ooh.cli_docs > docs/commands.md`"
    )


def test_every_command_is_documented_with_its_help() -> None:
    text = COMMANDS_MD.read_text(encoding="utf-8")
    assert {"rota solve", "rota validate", "gainshare settle", "template rota"} <= set(PATHS)
    for path, ctx in commands():
        assert f"## `ooh {path}`" in text
        first_line = (ctx.command.help or "").strip().splitlines()[0]
        assert " ".join(first_line.split()) in " ".join(text.split()), path


@pytest.mark.parametrize("path", PATHS)
def test_every_command_has_an_example_its_parser_accepts(path: str) -> None:
    assert EXAMPLES.get(path), f"add an example for `ooh {path}` to EXAMPLES in ooh/cli_docs.py"
    for example in EXAMPLES[path]:
        check_example(path, example)  # a misspelt option or bad value raises here


def test_no_example_for_a_command_that_does_not_exist() -> None:
    assert set(EXAMPLES) <= set(PATHS)


def test_a_wrong_example_is_caught() -> None:
    import click

    with pytest.raises(click.UsageError):
        check_example("rota solve", "ooh rota solve inputs.xlsx --time-limt 5")
    with pytest.raises(ValueError, match="does not start with it"):
        check_example("rota solve", "ooh rota validate inputs.xlsx")


def test_examples_name_files_that_exist() -> None:
    """Examples use the repository's sample inputs and models where they name one."""
    named = {
        word
        for examples in EXAMPLES.values()
        for example in examples
        for word in example.split()
        if word.startswith(("sample_inputs/", "models/"))
    }
    assert named
    assert [w for w in sorted(named) if not (ROOT / w).exists()] == []


def test_troubleshooting_has_a_section_for_every_kind_of_message() -> None:
    headings = re.findall(r"^#+ (.+)$", TROUBLESHOOTING, flags=re.MULTILINE)
    for heading in (
        "Files that cannot be read",
        "Size limits",
        "The rota input workbook, sheet by sheet",
        "Contract files (TOML)",
        "Activity tables",
        "Solving: conflicts, time limits, breaches",
        "Outputs: locked files and overwriting",
        "Command-line options",
    ):
        assert heading in headings
    for sheet in schema.SHEETS:
        if sheet.name != "README":
            assert sheet.name in headings or any(sheet.name in h for h in headings), sheet.name


def test_troubleshooting_states_the_limits_in_the_code() -> None:
    limits = safety.Limits()
    for value in (
        f"{limits.file_mb:g} MB",
        f"{limits.xml_mb:g} MB",
        f"| {limits.sheets:,} |",
        f"{limits.rows:,}",
        f"{limits.columns:,}",
        f"{limits.cells:,}",
        f"| {limits.ratio:g} |",
    ):
        assert value in TROUBLESHOOTING, value


@pytest.mark.parametrize(
    "message",
    [
        # one message of each class, as the code words it (see tests/test_catalogue.py)
        "is a password-protected workbook or an old Excel .xls file, which cannot be read",
        "declares an XML document type or entities, which Excel never writes",
        "cells C2:C4 are merged; unmerge them",
        "row 6 is hidden but holds data, which would be read",
        "formula has no saved value; open and save in Excel",
        "did you mean",
        "not valid TOML (Expected ']' at the end of a table declaration (at line 9, column 6)); "
        "check quotes and brackets",
        "must be a month as YYYY-MM (e.g. 2026-04); got 'April 2026'",
        "the hard rules contradict each other, so no rota can obey them all; no rota written",
        "no rota found within 60 s; no rota written. Run again with a longer --time-limit.",
        "the file is open in Excel (~$rota.xlsx exists); close it and run again",
        "the output would overwrite an input file; choose another -o path",
        "could not be written (No space left on device); nothing was changed",
    ],
)
def test_troubleshooting_quotes_the_messages(message: str) -> None:
    assert message in " ".join(TROUBLESHOOTING.split())


def test_troubleshooting_quotes_run_info_notes_as_the_code_writes_them() -> None:
    from ooh.outputs import NOT_RECORDED
    from ooh.rota.output import STOPPED_NOTE

    text = " ".join(TROUBLESHOOTING.split())
    assert f"Stopped early: yes: {STOPPED_NOTE}" in text
    assert NOT_RECORDED in text
