"""`labeler stats`: progress, label distributions, agreement."""

from __future__ import annotations

from pathlib import Path

import click

from labeler.cli.commands.common import PATH, format_option
from labeler.errors import NotAvailableError


@click.command()
@click.argument("dataset_dir", metavar="DIR", type=PATH)
@format_option("text", "json")
def stats(dataset_dir: Path, output_format: str) -> None:
    """Progress per annotator, label distributions and agreement of a dataset."""
    raise NotAvailableError("stats", "dataset statistics", issue=7)
