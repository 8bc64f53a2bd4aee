"""`labeler annotate`: the labelling TUI."""

from __future__ import annotations

from pathlib import Path

import click

from labeler.cli.commands.common import PATH
from labeler.errors import NotAvailableError


@click.command()
@click.argument("dataset_dir", metavar="DIR", type=PATH)
@click.option("--annotator", required=True, metavar="NAME", help="Who is labelling.")
@click.option("--review", is_flag=True, help="Review disagreements and adjudicate.")
def annotate(dataset_dir: Path, annotator: str, review: bool) -> None:
    """Label the posts of a dataset in the terminal, keyboard first.

    Every decision is validated and saved before the screen says so; work resumes at the
    first post you have not decided.
    """
    raise NotAvailableError("annotate", "the labelling TUI", issue=6)
