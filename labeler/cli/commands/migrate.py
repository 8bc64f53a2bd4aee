"""`labeler migrate`: move a dataset's labels to another schema version."""

from __future__ import annotations

import json
from pathlib import Path

import click

from labeler.cli.commands.common import PATH, format_option
from labeler.cli.output import echo_note, safe_text
from labeler.validation.upgrade import UpgradeReport, upgrade_dataset


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
@click.option(
    "--schemas",
    "schemas_dir",
    type=PATH,
    default=None,
    help="Schemas folder with the versions and migrations (default: the built-in one).",
)
@format_option("text", "json")
def migrate(
    dataset_dir: Path, to_version: str, dry_run: bool, schemas_dir: Path | None, output_format: str
) -> None:
    """Apply the registered migrations from the dataset's schema version to VERSION.

    Old label files stay readable; new files are written for the new version, and labels a
    migration cannot decide are flagged for review with the reason.
    """
    report = upgrade_dataset(dataset_dir, to_version, schemas_dir=schemas_dir, dry_run=dry_run)
    if output_format == "json":
        click.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        _print(report)


def _print(report: UpgradeReport) -> None:
    if not report.files and report.source == report.target:
        echo_note(f"already at {report.schema} {report.target}: nothing to do")
        return
    mode = " (dry run: nothing written)" if report.dry_run else ""
    click.echo(f"{report.schema} {report.source} -> {report.target}{mode}")
    for step in report.steps:
        click.echo(f"  {step.source} -> {step.target}: {step.migration}")
        for count in step.counts:
            review = f", {count.reviews} need review" if count.reviews else ""
            click.echo(safe_text(f"    {count.description}: {count.changed} label(s){review}"))
    files = len(report.files)
    click.echo(f"  {report.labels} label(s) in {files} file(s); {report.review} flagged for review")
    for path in report.written:
        echo_note(f"wrote {path}")
    for path in report.kept:
        echo_note(f"kept {path} (written by an earlier run)")
    if not report.dry_run:
        echo_note(f"dataset.toml now uses {report.schema} {report.target}")
