"""Compaction: merge each annotator's small label fragments into one file.

Per annotator partition, while holding that annotator's session lock (so no live session
flushes into the folder meanwhile):

1. pick the inputs: files on the dataset's schema version that are alone in their lineage;
2. write their rows, each `label_id` once, to a new file (atomic: temp, fsync, rename);
3. remove the inputs, then fsync the folder.

A crash after step 2 leaves the merged file beside its inputs; readers deduplicate by
`label_id` (labelset.py), and the next run merges the merged file with the leftovers. With
at most one input left there is nothing to do, so running twice changes nothing.

Left alone, on purpose:
- migrated files (`x.to-<v>.parquet`) and their history: removing the newest file of a
  lineage would make an older version look current again, and `labeler migrate` would
  write it back, duplicating labels;
- a fragment holding journal events not yet marked as flushed (a session crashed between
  writing it and marking its journal): the next session recognises its events by the
  fragment's name and only marks them; a merged file would make it write them again;
- unreadable files, which are reported.
A busy annotator (a session is open) is skipped and reported; the others are compacted.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pyarrow as pa

from labeler.domain.schema import LabelSchema
from labeler.errors import AnnotatorBusyError, LabelerError
from labeler.storage.atomic import TEMP_PREFIX, fsync_dir, storage_error
from labeler.storage.dataset import Dataset
from labeler.storage.journal import journal_path
from labeler.storage.labels import label_arrow_schema, write_labels
from labeler.storage.labelset import (
    Unreadable,
    empty_labels,
    lineage_stem,
    read_fragment,
    read_only,
)
from labeler.storage.locks import AnnotatorLock
from labeler.storage.metadata import FileFormat, read_identity

PARTITION_PREFIX = "annotator="
# Name of a fragment flushed by a session (store.py): the journal and the sequence range.
_SESSION_FRAGMENT = re.compile(
    r"\d{8}T\d{12}Z-(?P<journal>[0-9a-f]{12})-(?P<first>\d{12})-(?P<last>\d{12})\.parquet"
)


@dataclass
class PartitionResult:
    """What compaction did in one annotator's partition."""

    annotator: str
    files_before: int = 0
    files_after: int = 0
    rows: int = 0
    written: Path | None = None
    removed: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)
    busy: str | None = None


@dataclass
class CompactReport:
    """The whole run, one entry per annotator partition."""

    partitions: list[PartitionResult] = field(default_factory=list)

    @property
    def busy(self) -> list[PartitionResult]:
        """Partitions skipped because a session holds the annotator's lock."""
        return [p for p in self.partitions if p.busy is not None]

    @property
    def unreadable(self) -> list[Unreadable]:
        """Files that could not be read (left in place)."""
        return [u for p in self.partitions for u in p.unreadable]


def compact_dataset(root: Path) -> CompactReport:
    """Compact every annotator partition of the dataset at `root` (see the module doc)."""
    dataset = Dataset.open(root)
    schema = dataset.schema()
    report = CompactReport()
    for partition in partitions(dataset):
        report.partitions.append(compact_partition(dataset, schema, partition))
    return report


def partitions(dataset: Dataset) -> list[Path]:
    """The `annotator=<id>` folders under labels/."""
    if not dataset.labels_dir.is_dir():
        return []
    return sorted(
        p
        for p in dataset.labels_dir.iterdir()
        if p.is_dir() and p.name.startswith(PARTITION_PREFIX)
    )


def compact_partition(dataset: Dataset, schema: LabelSchema, partition: Path) -> PartitionResult:
    """Compact one partition under its annotator's lock; busy annotators are skipped."""
    result = PartitionResult(partition.name.removeprefix(PARTITION_PREFIX))
    try:
        lock = AnnotatorLock.acquire(dataset.state_dir, result.annotator)
    except AnnotatorBusyError as exc:
        result.busy = exc.message
        return result
    except LabelerError as exc:  # a folder name that is no annotator id, or no lock possible
        result.unreadable.append(Unreadable(partition, exc.message))
        return result
    with lock:
        _compact_locked(dataset, schema, partition, result)
    return result


def _compact_locked(
    dataset: Dataset, schema: LabelSchema, partition: Path, result: PartitionResult
) -> None:
    files = _label_files(partition)
    result.files_before = result.files_after = len(files)
    try:
        pending = pending_fragments(dataset, result.annotator)
    except LabelerError as exc:
        # Without the journal, we cannot tell which fragments its next session needs.
        result.unreadable.append(
            Unreadable(journal_path(dataset.state_dir, result.annotator), exc.message)
        )
        return
    inputs = _without_pending(
        _inputs(files, dataset.config.schema_version, result), pending, result
    )
    frames: list[pl.DataFrame] = []
    readable: list[Path] = []
    for path in inputs:
        try:
            frames.append(read_fragment(path, schema))
            readable.append(path)
        except (LabelerError, OSError, pl.exceptions.PolarsError, pa.ArrowException) as exc:
            result.unreadable.append(Unreadable(path, str(exc).splitlines()[0]))
    if len(readable) < 2:
        result.rows = sum(f.height for f in frames)
        return
    merged = merged_table(frames, schema)
    target = partition / merged_name()
    write_labels(target, merged, schema)
    result.written, result.rows = target, merged.num_rows
    remove_inputs(partition, readable)
    result.removed = readable
    result.files_after = len(files) - len(readable) + 1


def _label_files(partition: Path) -> list[Path]:
    return sorted(p for p in partition.glob("*.parquet") if not p.name.startswith(TEMP_PREFIX))


def _inputs(files: list[Path], version: str, result: PartitionResult) -> list[Path]:
    """Files on `version` that are alone in their lineage; the rest are kept."""
    stems = Counter(lineage_stem(path) for path in files)
    inputs: list[Path] = []
    for path in files:
        if stems[lineage_stem(path)] > 1:
            result.kept.append(path)  # migration lineage: history stays as it is
            continue
        try:
            found = read_identity(path, FileFormat.LABELS).schema_version
        except LabelerError as exc:
            result.unreadable.append(Unreadable(path, exc.message))
            continue
        (inputs if found == version else result.kept).append(path)
    return inputs


def _without_pending(inputs: list[Path], pending: set[Path], result: PartitionResult) -> list[Path]:
    result.kept.extend(p for p in inputs if p in pending)
    return [p for p in inputs if p not in pending]


def pending_fragments(dataset: Dataset, annotator: str) -> set[Path]:
    """Fragments of this machine's journal that hold events the journal has not marked
    flushed yet (only a crash leaves such a fragment; the next session marks them)."""
    path = journal_path(dataset.state_dir, annotator)
    if not path.exists():
        return set()
    try:
        db = read_only(path)
        try:
            (journal_id,) = db.execute("SELECT value FROM meta WHERE key = 'journal_id'").fetchone()
            seqs = [s for (s,) in db.execute("SELECT seq FROM events WHERE flushed = 0")]
        finally:
            db.close()
    except (sqlite3.Error, TypeError) as exc:
        raise LabelerError(f"cannot read the journal: {exc}", path=path) from exc
    partition = dataset.labels_dir / f"{PARTITION_PREFIX}{annotator}"
    found: set[Path] = set()
    for fragment in partition.glob("*.parquet"):
        match = _SESSION_FRAGMENT.fullmatch(fragment.name)
        if match and match["journal"] == journal_id:
            first, last = int(match["first"]), int(match["last"])
            if any(first <= s <= last for s in seqs):
                found.add(fragment)
    return found


def merged_table(frames: list[pl.DataFrame], schema: LabelSchema) -> pa.Table:
    """The rows of `frames`, each label_id once, oldest first, in the label file layout."""
    merged = (
        pl.concat([empty_labels(schema), *frames], how="vertical")
        .unique(subset="label_id", keep="first", maintain_order=True)
        .sort("created_at", "label_id")
    )
    arrow = merged.to_arrow()
    target = label_arrow_schema(schema)
    arrays = [arrow.column(f.name).cast(f.type) for f in target]
    return pa.Table.from_arrays(arrays, schema=target)


def merged_name(now: datetime | None = None) -> str:
    """`<UTC timestamp>-compacted-<random>.parquet`: sorts by time like session fragments."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    return f"{stamp}-compacted-{uuid.uuid4().hex[:12]}.parquet"


def remove_inputs(partition: Path, paths: list[Path]) -> None:
    """Delete merged inputs, then make the deletions durable."""
    for path in paths:
        try:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        except OSError as exc:
            raise storage_error(exc, path) from exc
    fsync_dir(partition)
