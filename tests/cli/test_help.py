"""Every contract command exists and prints real help."""

from __future__ import annotations

from collections.abc import Iterator

import click
import pytest

from labeler.cli.main import cli
from tests.conftest import CliRun

# DESIGN.md "Commands (contract)": name -> options its help must mention.
CONTRACT: dict[str, tuple[str, ...]] = {
    "ingest": ("--dataset", "--engine", "--target", "--format"),
    "annotate": ("--annotator", "--review"),
    "validate": ("--format",),
    "schema check": ("SCHEMAS_DIR",),
    "schema diff": ("OLD", "NEW"),
    "migrate": ("--to", "--dry-run"),
    "export": ("--out", "--split", "--seed", "--group-by", "--stratify"),
    "stats": ("--format",),
    "compact": ("DIR",),
    "posts": ("--format", "--limit"),
    "label": ("--annotator", "POST_ID", "FIELD=VALUE"),
}


def walk(group: click.Group, prefix: str = "") -> Iterator[tuple[str, click.Command]]:
    for name, command in group.commands.items():
        path = f"{prefix}{name}"
        yield path, command
        if isinstance(command, click.Group):
            yield from walk(command, f"{path} ")


ALL_COMMANDS = sorted(path for path, _ in walk(cli))


def test_contract_commands_all_exist() -> None:
    assert set(CONTRACT) <= set(ALL_COMMANDS)


@pytest.mark.parametrize("path", ALL_COMMANDS)
def test_every_command_has_help(run_cli: CliRun, path: str) -> None:
    result = run_cli(*path.split(), "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: labeler {path} ")
    description = result.stdout.split("\n\n")[1].strip()
    assert len(description) > 30, f"{path} needs a real description"
    for needle in CONTRACT.get(path, ()):
        assert needle in result.stdout, f"{path} --help does not mention {needle}"


def test_top_level_help_lists_the_workflow_and_exit_codes(run_cli: CliRun) -> None:
    result = run_cli("--help")
    assert result.exit_code == 0
    for name in (
        "ingest",
        "annotate",
        "validate",
        "export",
        "schema",
        "migrate",
        "stats",
        "compact",
        "posts",
        "label",
    ):
        assert f"  {name} " in result.stdout
    assert "4 unreadable or corrupt input" in result.stdout


def test_version(run_cli: CliRun) -> None:
    result = run_cli("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("labeler, version ")
