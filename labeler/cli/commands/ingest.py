"""`labeler ingest`: raw pages -> posts dataset."""

from __future__ import annotations

from pathlib import Path

import click

from labeler.cli.commands.common import PATH, format_option
from labeler.errors import NotAvailableError

ENGINES = (
    "auto",
    "invision",
    "phpbb",
    "vbulletin",
    "xenforo",
    "discourse",
    "reddit",
    "news",
    "generic",
)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=PATH, metavar="PATH...")
@click.option(
    "--dataset",
    "dataset_dir",
    required=True,
    type=PATH,
    help="Dataset directory to add posts to (created if absent).",
)
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="auto",
    show_default=True,
    help="Forum engine or page kind; auto detects it per file.",
)
@click.option(
    "--target", metavar="TEXT", help="Stance target (the claim) for the threads of these pages."
)
@format_option("text", "json")
def ingest(
    paths: tuple[Path, ...],
    dataset_dir: Path,
    engine: str,
    target: str | None,
    output_format: str,
) -> None:
    """Split raw pages (text or HTML; files or directories) into posts in a dataset.

    Forum threads become one row per post, news articles one row per paragraph; re-ingesting
    the same page adds nothing.
    """
    raise NotAvailableError("ingest", "page ingestion", issue=3)
