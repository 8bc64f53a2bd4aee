"""`labeler validate`: check datasets, Parquet files and schema files, for CI."""

from __future__ import annotations

from pathlib import Path

import click

from labeler.cli.commands.common import PATH, finish, format_option
from labeler.cli.output import echo_error, safe_text
from labeler.validation.files import validate_paths
from labeler.validation.report import render_github, render_json, render_text


@click.command()
@click.argument("paths", nargs=-1, required=True, type=PATH, metavar="PATH...")
@format_option("text", "json", "github")
@click.option(
    "--max-errors",
    type=click.IntRange(min=1),
    default=50,
    show_default=True,
    help="Findings listed in text output before the rest are counted.",
)
@click.option(
    "--schemas",
    "schemas_dir",
    type=PATH,
    default=None,
    help="Another schemas folder where label files' schema versions are looked up.",
)
def validate(
    paths: tuple[Path, ...], output_format: str, max_errors: int, schemas_dir: Path | None
) -> None:
    """Check dataset directories, Parquet files and schema files; report every problem.

    Exit code 0 when all is well, 1 when data errors were found, 4 when a path could not
    be read at all. Findings read `file::row::$.field: message`.
    """
    report = validate_paths(paths, schemas_dir=schemas_dir)
    if output_format == "json":
        click.echo(render_json(report))
    elif output_format == "github":
        for line in render_github(report):
            click.echo(line)
    elif len(report.findings) == 1 and report.findings[0].unreadable:
        finding = report.findings[0]
        echo_error(f"{finding.location}: {finding.message}")
    else:
        lines = render_text(report, limit=max_errors)
        for line in lines[:-1]:
            click.echo(safe_text(line))
        click.echo(lines[-1], err=True)
    finish(report.exit_code)
