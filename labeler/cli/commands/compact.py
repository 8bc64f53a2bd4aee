"""`labeler compact`: merge small label files.

Exit codes: 0 when every partition was compacted or had nothing to do, and also when an
annotator was busy (a session is open): compaction is an optimisation, the skipped
partition stays correct, and running again later finishes it, so a cron job or a script
should not fail for it. 4 when the dataset cannot be opened, or some label file or journal
could not be read (those are left in place; the rest is compacted).
"""

from __future__ import annotations

from pathlib import Path

import click

from labeler.cli.commands.common import PATH, finish
from labeler.cli.output import echo_note, safe_text
from labeler.errors import ExitCode
from labeler.storage.compact import CompactReport, PartitionResult, compact_dataset


@click.command()
@click.argument("dataset_dir", metavar="DIR", type=PATH)
def compact(dataset_dir: Path) -> None:
    """Merge each annotator's small label files into one, atomically.

    Annotators with an open labelling session are skipped; run again when it has ended.
    Migrated files and their history are left as they are.
    """
    report = compact_dataset(dataset_dir)
    _print(report)
    if report.unreadable:
        finish(ExitCode.UNREADABLE)


def _print(report: CompactReport) -> None:
    if not report.partitions:
        echo_note("no label files: nothing to compact")
        return
    for part in report.partitions:
        echo_note(safe_text(_summary(part)))
        for bad in part.unreadable:
            echo_note(safe_text(f"  unreadable, left in place: {bad.path}: {bad.reason}"))
    if report.busy:
        echo_note("run `labeler compact` again when those sessions have ended")


def _summary(part: PartitionResult) -> str:
    if part.busy is not None:
        return f"{part.annotator}: skipped, busy ({part.busy})"
    change = f"{part.files_before} -> {part.files_after} file(s)"
    if part.written is None:
        return f"{part.annotator}: {change}, nothing to merge"
    kept = f"; {len(part.kept)} kept as they are" if part.kept else ""
    return f"{part.annotator}: {change}, {part.rows} row(s) in {part.written.name}{kept}"
