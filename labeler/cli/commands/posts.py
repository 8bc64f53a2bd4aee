"""`labeler posts`: list a dataset's posts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import click
import polars as pl

from labeler.cli.commands.common import PATH, format_option
from labeler.cli.output import one_line
from labeler.storage.dataset import Dataset

_COLUMNS = ("post_id", "thread_id", "position", "author", "body")


@click.command()
@click.argument("dataset_dir", metavar="DIR", type=PATH)
@format_option("text", "jsonl")
@click.option("--limit", type=click.IntRange(min=0), help="Show at most N posts.")
def posts(dataset_dir: Path, output_format: str, limit: int | None) -> None:
    """List posts in thread order: id, thread, author and text.

    jsonl gives every column of every post, one JSON object per line.
    """
    frame = Dataset.open(dataset_dir).posts().sort("thread_id", "position")
    if limit is not None:
        frame = frame.head(limit)
    if output_format == "jsonl":
        for row in frame.collect().iter_rows(named=True):
            click.echo(json.dumps(row, ensure_ascii=False, default=_json_default))
        return
    _print_table(frame.select(_COLUMNS).collect())


def _print_table(frame: pl.DataFrame) -> None:
    width = shutil.get_terminal_size((120, 24)).columns
    for post_id, thread_id, _position, author, body in frame.iter_rows():
        who = one_line(author or "-", 18)
        head = f"{post_id}  {thread_id}  {who:<18}  "
        click.echo(head + one_line(body, max(width - len(head), 20)))


def _json_default(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
