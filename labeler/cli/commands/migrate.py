"""`labeler migrate`: move a dataset's labels to another schema version."""

from __future__ import annotations

from pathlib import Path

import click

from labeler.cli.commands.common import PATH
from labeler.errors import NotAvailableError


@click.command()
@click.argument("dataset_dir", metavar="DIR", type=PATH)
@click.option(
    "--to",
    "to_version",
    required=True,
    metavar="VERSION",
    help="Target schema version (MAJOR.MINOR.PATCH).",
)
@click.option("--dry-run", is_flag=True, help="Report what each step would change; write nothing.")
def migrate(dataset_dir: Path, to_version: str, dry_run: bool) -> None:
    """Apply the registered migrations from the dataset's schema version to VERSION.

    Old label files stay readable; new files are written for the new version.
    """
    raise NotAvailableError("migrate", "schema migrations", issue=4)
