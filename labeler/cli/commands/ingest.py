"""`labeler ingest`: raw pages -> posts dataset."""

from __future__ import annotations

import json
from pathlib import Path

import click

from labeler.cli.commands.common import PATH, finish, format_option
from labeler.cli.output import echo_error, echo_note, one_line
from labeler.errors import ExitCode
from labeler.ingest.engines import ENGINE_NAMES
from labeler.ingest.pipeline import FileResult
from labeler.ingest.pipeline import ingest as run

ENGINES = ("auto", *ENGINE_NAMES)


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

    def report(result: FileResult) -> None:
        if result.error is not None:
            echo_error(result.error)
        elif output_format == "text":
            echo_note(_summary(result))

    outcome = run(
        list(paths),
        dataset_dir,
        engine_name=engine,
        target=target,
        on_file=report,
    )
    failed = [f for f in outcome.files if f.error is not None]
    if output_format == "json":
        click.echo(
            json.dumps(
                {
                    "dataset": str(outcome.dataset),
                    "written": None if outcome.written is None else str(outcome.written),
                    "added": outcome.added,
                    "files": [f.to_json() for f in outcome.files],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        where = f" ({outcome.written.relative_to(outcome.dataset)})" if outcome.written else ""
        ok = len(outcome.files) - len(failed)
        echo_note(
            f"{outcome.added} new row(s) from {ok} of {len(outcome.files)} file(s) "
            f"in {outcome.dataset}{where}"
        )
    if failed:
        finish(max((f.error.exit_code for f in failed if f.error), default=ExitCode.DATA_ERRORS))


def _summary(result: FileResult) -> str:
    unit = "paragraphs" if result.kind == "news" else "posts"
    flagged = ", ".join(f"{n} {flag}" for flag, n in result.flagged.items()) or "none"
    already = f", {result.already} already present" if result.already else ""
    title = f" {one_line(result.title, 60)!r}" if result.title else ""
    notes = "".join(f"; {one_line(n, 80)}" for n in result.notes)
    return (
        f"{one_line(result.path.name, 60)}: {result.engine}{title}: {result.parsed} {unit}, "
        f"{result.added} new{already}; flagged: {flagged}{notes}"
    )
