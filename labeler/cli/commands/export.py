"""`labeler export`: train/validation/test splits, aggregation, agreement, dataset card."""

from __future__ import annotations

from pathlib import Path

import click

from labeler.cli.commands.common import PATH
from labeler.errors import NotAvailableError


@click.command()
@click.argument("dataset_dir", metavar="DIR", type=PATH)
@click.option("--out", "out_dir", required=True, type=PATH, help="Export directory.")
@click.option(
    "--split",
    "split_spec",
    default="train=0.8,validation=0.1,test=0.1",
    show_default=True,
    help="Split names and fractions.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the split hash.")
@click.option(
    "--group-by",
    default="thread_id",
    show_default=True,
    help="Column whose groups never span two splits.",
)
@click.option("--stratify", metavar="FIELD", help="Single-select label field to stratify on.")
def export(
    dataset_dir: Path,
    out_dir: Path,
    split_spec: str,
    seed: int,
    group_by: str,
    stratify: str | None,
) -> None:
    """Write Hugging Face-compatible splits with aggregated labels and a dataset card."""
    raise NotAvailableError("export", "split export", issue=7)
