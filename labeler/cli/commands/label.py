"""`labeler label`: record one decision from a script."""

from __future__ import annotations

from pathlib import Path

import click

from labeler.cli.commands.common import PATH
from labeler.errors import NotAvailableError


@click.command()
@click.argument("dataset_dir", metavar="DIR", type=PATH)
@click.argument("post_id")
@click.argument("assignments", nargs=-1, required=True, metavar="FIELD=VALUE...")
@click.option("--annotator", required=True, metavar="NAME", help="Who made the decision.")
def label(dataset_dir: Path, post_id: str, assignments: tuple[str, ...], annotator: str) -> None:
    """Record one label decision (multi-select: FIELD=a,b), validated like the TUI's."""
    raise NotAvailableError("label", "the durable label store", issue=5)
