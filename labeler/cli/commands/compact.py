"""`labeler compact`: merge small label files."""

from __future__ import annotations

from pathlib import Path

import click

from labeler.cli.commands.common import PATH
from labeler.errors import NotAvailableError


@click.command()
@click.argument("dataset_dir", metavar="DIR", type=PATH)
def compact(dataset_dir: Path) -> None:
    """Merge each annotator's small label files into one, atomically."""
    raise NotAvailableError("compact", "label compaction", issue=5)
