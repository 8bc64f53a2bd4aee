"""`labeler schema check|diff`: the label-schema registry for CI and reviews."""

from __future__ import annotations

import json
from pathlib import Path

import click

from labeler.cli.commands.common import PATH, finish, format_option
from labeler.cli.output import echo_note, safe_text
from labeler.errors import ExitCode
from labeler.validation.compat import Level, classify
from labeler.validation.migrations import MIGRATION_SUFFIX
from labeler.validation.registry import Registry, test_migration
from labeler.validation.report import Report, render_github, render_json, render_text
from labeler.validation.schemafile import load_schema_file


@click.group()
def schema() -> None:
    """Check and compare versioned label schemas (schemas/<name>/<semver>.schema.json)."""


@schema.command()
@click.argument(
    "schemas_dir", metavar="[SCHEMAS_DIR]", required=False, type=PATH, default=Path("schemas")
)
@click.option(
    "--update-lock",
    is_flag=True,
    help="Publish new versions: record their content hash in schemas.lock.",
)
@format_option("text", "json", "github")
def check(schemas_dir: Path, update_lock: bool, output_format: str) -> None:
    """Check every schema version: meta-schema, $id and file name, immutability,
    compatibility between consecutive versions, registered migrations.

    Exit code 0 when all is well, 1 when problems were found, 4 when the folder is missing.
    """
    registry = Registry.load(schemas_dir)
    report = Report(findings=registry.check(update_lock=update_lock))
    report.checked.extend(
        str(registry.file_for(name, version))
        for name in sorted(registry.schemas)
        for version in registry.versions(name)
    )
    if output_format == "json":
        click.echo(render_json(report))
    elif output_format == "github":
        for line in render_github(report):
            click.echo(line)
    else:
        lines = render_text(report, limit=None)
        for line in lines[:-1]:
            click.echo(safe_text(line))
        for name in sorted(registry.schemas):
            echo_note(f"{name}: {', '.join(registry.versions(name))}")
        echo_note(lines[-1].replace("checked path(s)", "schema version(s)"))
    finish(report.exit_code)


@schema.command()
@click.argument("old", type=PATH)
@click.argument("new", type=PATH)
@format_option("text", "json")
def diff(old: Path, new: Path, output_format: str) -> None:
    """Classify the change from OLD to NEW (patch, minor, major) with a reason per change.

    OLD and NEW are schema files. Exit code 1 when the version numbers do not fit the
    changes, or a major change has no migration registered beside NEW.
    """
    before, after = load_schema_file(old), load_schema_file(new)
    result = classify(before, after)
    problems = result.problems()
    migration_path = new.parent / f"{after.version}{MIGRATION_SUFFIX}"
    migration = None
    if migration_path.exists() and new.parent.parent.is_dir():
        migration = Registry.load(new.parent.parent).migrations.get((after.name, after.version))
    if result.level is Level.MAJOR and migration is None:
        problems.append(f"a major change needs a migration: add {migration_path}")
    if migration is not None and migration.source == before.version:
        problems.extend(test_migration(migration, result))
    if output_format == "json":
        payload = result.to_json()
        payload["problems"] = problems
        payload["migration"] = None if migration is None else str(migration.path)
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        click.echo(
            f"{before.name} {before.version} -> {after.name} {after.version}: "
            f"{result.level.label} (the version number says {result.bump.label})"
        )
        for change in result.changes:
            click.echo(safe_text(f"  {change.level.label:<6} {change.where:<20} {change.reason}"))
        if migration is not None:
            click.echo(f"migration {migration.path}:")
            for step in migration.steps:
                click.echo(safe_text(f"  {step.describe()}"))
        for problem in problems:
            click.echo(safe_text(f"problem: {problem}"), err=True)
    finish(ExitCode.DATA_ERRORS if problems else ExitCode.OK)
