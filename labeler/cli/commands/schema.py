"""`labeler schema check|diff`: the label-schema registry for CI and reviews."""

from __future__ import annotations

from pathlib import Path

import click

from labeler.cli.commands.common import PATH, format_option
from labeler.errors import NotAvailableError


@click.group()
def schema() -> None:
    """Check and compare versioned label schemas (schemas/<name>/<semver>.schema.json)."""


@schema.command()
@click.argument(
    "schemas_dir", metavar="[SCHEMAS_DIR]", required=False, type=PATH, default=Path("schemas")
)
@click.option(
    "--update-lock", is_flag=True, help="Record the content hash of new versions in schemas.lock."
)
@format_option("text", "json", "github")
def check(schemas_dir: Path, update_lock: bool, output_format: str) -> None:
    """Check every schema version: meta-schema, $id and file name, immutability,
    compatibility between consecutive versions, registered migrations."""
    raise NotAvailableError("schema check", "the schema registry", issue=4)


@schema.command()
@click.argument("old", type=PATH)
@click.argument("new", type=PATH)
@format_option("text", "json")
def diff(old: Path, new: Path, output_format: str) -> None:
    """Classify the change from OLD to NEW (patch, minor, major) with a reason per change."""
    raise NotAvailableError("schema diff", "schema compatibility rules", issue=4)
