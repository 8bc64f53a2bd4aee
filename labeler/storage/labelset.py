"""Every label of a dataset, from all annotators, as one polars LazyFrame.

Sources, in order of trust:

1. Parquet fragments under `labels/annotator=<id>/` holding the dataset's current schema
   version. A file `x.parquet` and its migrations `x.to-<version>.parquet` are one lineage;
   only the newest file of a lineage holds current labels, the others are history and are
   not read. Lineages whose newest file is on another version wait for `labeler migrate`
   and are listed in `LabelSet.other_versions`, not read.
2. Each annotator's journal (`.labeler/journal-<id>.sqlite`): events not yet flushed to
   Parquet, on the current schema. The journal is opened read-only, so a live session
   (SQLite in WAL mode) is neither blocked nor changed.

An event can be in two places at once (a crash between writing a fragment and marking the
journal, or between `labeler compact` writing its merged file and removing its inputs), so
rows are deduplicated by `label_id`, keeping the first seen: fragments before the journal.

A fragment that cannot be read is skipped and reported in `LabelSet.unreadable`, so one bad
file does not hide every other label; `all_events` / `current_labels` log it, or raise
CorruptInputError when called with `strict=True`.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
import pyarrow as pa

from labeler.domain.labels import LabelEvent, LabelStatus
from labeler.domain.schema import LabelSchema
from labeler.errors import CorruptInputError, LabelerError
from labeler.storage.atomic import TEMP_PREFIX
from labeler.storage.dataset import Dataset
from labeler.storage.journal import from_micros
from labeler.storage.labels import EVENT_COLUMNS, labels_table, read_labels
from labeler.storage.metadata import FileFormat, read_identity
from labeler.validation.compat import version_tuple

logger = logging.getLogger(__name__)

LABEL_COLUMNS: tuple[str, ...] = (*EVENT_COLUMNS, "review")
_JOURNAL_GLOB = "journal-*.sqlite"
# Wait this long for a writer's lock on the journal (WAL readers rarely have to).
_BUSY_TIMEOUT_S = 5.0
_UNFLUSHED = (
    'SELECT label_id, post_id, annotator, schema_id, schema_version, "values", status, '
    "supersedes, created_at, duration_ms, {review} FROM events WHERE flushed = 0 ORDER BY seq"
)


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A label file or journal that could not be read, and why."""

    path: Path
    reason: str


@dataclass(frozen=True, slots=True)
class LabelFileInfo:
    """A label file with the schema version its metadata declares."""

    path: Path
    version: str

    @property
    def lineage(self) -> tuple[Path, str]:
        """(folder, base name): `x.parquet` and `x.to-<v>.parquet` share it."""
        return self.path.parent, lineage_stem(self.path)


@dataclass
class LabelSet:
    """A dataset's labels and what could not be (or was deliberately not) read."""

    schema: LabelSchema
    events: pl.LazyFrame
    files: list[Path] = field(default_factory=list)
    other_versions: list[LabelFileInfo] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)

    def current(self) -> pl.LazyFrame:
        """The current label of each (post, annotator); see `current_of`."""
        return current_of(self.events)


def lineage_stem(path: Path) -> str:
    """The name shared by a label file and its migrations (`x` for `x.to-2.0.0.parquet`)."""
    return path.name.removesuffix(".parquet").split(".to-", 1)[0]


def label_file_infos(
    dataset: Dataset, unreadable: list[Unreadable]
) -> tuple[list[LabelFileInfo], list[LabelFileInfo]]:
    """Newest file of each lineage: (on the dataset's version, on another version).

    Files whose metadata cannot be read are added to `unreadable` and left out; the lineage
    is then decided among its readable files.
    """
    newest: dict[tuple[Path, str], LabelFileInfo] = {}
    for path in dataset.label_files():
        try:
            version = read_identity(path, FileFormat.LABELS).schema_version or "0.0.0"
        except LabelerError as exc:
            unreadable.append(Unreadable(path, exc.message))
            continue
        info = LabelFileInfo(path, version)
        kept = newest.get(info.lineage)
        if kept is None or version_tuple(version) > version_tuple(kept.version):
            newest[info.lineage] = info
    wanted = dataset.config.schema_version
    heads = sorted(newest.values(), key=lambda i: i.path)
    return [i for i in heads if i.version == wanted], [i for i in heads if i.version != wanted]


def empty_labels(schema: LabelSchema) -> pl.DataFrame:
    """A frame with no rows in the label layout of `schema`."""
    return frame_of(labels_table([], schema))


def read_fragment(
    path: Path, schema: LabelSchema, columns: Sequence[str] = LABEL_COLUMNS
) -> pl.DataFrame:
    """`columns` of one label file, in that order and in the canonical types of `schema`."""
    _, frame = read_labels(path, columns)
    return frame.select(columns).cast(empty_labels(schema).select(columns).schema)


def load_labels(dataset: Dataset) -> LabelSet:
    """Read every label of `dataset` (see the module doc); never raises for one bad file."""
    schema = dataset.schema()
    unreadable: list[Unreadable] = []
    current, others = label_file_infos(dataset, unreadable)
    frames = [empty_labels(schema)]
    files: list[Path] = []
    for info in current:
        try:
            frames.append(read_fragment(info.path, schema))
        except (LabelerError, OSError, pl.exceptions.PolarsError, pa.ArrowException) as exc:
            unreadable.append(Unreadable(info.path, reason_of(exc)))
            continue
        files.append(info.path)
    for path in journal_paths(dataset):
        try:
            frames.append(frame_of(labels_table(unflushed_events(path, schema), schema)))
        except sqlite3.Error as exc:
            unreadable.append(Unreadable(path, f"journal unreadable: {exc}"))
    events = pl.concat(frames, how="vertical").unique(
        subset="label_id", keep="first", maintain_order=True
    )
    return LabelSet(schema, events.lazy(), files, others, unreadable)


def all_events(dataset: Dataset, *, strict: bool = False) -> pl.LazyFrame:
    """Every label event of `dataset`, each `label_id` once.

    Unreadable files are skipped with a warning, or raise CorruptInputError when `strict`.
    """
    return _checked(load_labels(dataset), strict=strict).events


def current_labels(dataset: Dataset, *, strict: bool = False) -> pl.LazyFrame:
    """One row per (post_id, annotator): that annotator's current decision on the post."""
    return _checked(load_labels(dataset), strict=strict).current()


def current_of(events: pl.LazyFrame) -> pl.LazyFrame:
    """The current label per (post_id, annotator) among `events`, sorted by both.

    It is the latest event (by `created_at`) that is not a retraction and is not named by a
    retraction's `supersedes`; skipped and flagged count as decisions. Only retractions
    cancel: a re-label's `supersedes` just records what it replaced, so undoing the re-label
    brings the earlier label back. Equal times (two machines) fall to the larger label_id,
    so the answer never depends on file order.
    """
    return current_rows(events).sort("post_id", "annotator")


def current_rows(
    events: pl.LazyFrame, key: Sequence[str] = ("post_id", "annotator")
) -> pl.LazyFrame:
    """`current_of` in no particular order (sorting a million string ids takes a second);
    `key` names columns equivalent to (post_id, annotator), such as a post's number.

    Most pairs have one live event, which is their current one; only pairs with several
    are sorted by time, so the cost stays near one hashing pass over the keys.
    """
    names = events.collect_schema().names()
    retracted = pl.col("status") == LabelStatus.RETRACTED.value
    undone = events.filter(retracted & pl.col("supersedes").is_not_null()).select(
        pl.col("supersedes").alias("label_id")
    )
    live = (
        events.filter(~retracted)
        .join(undone, on="label_id", how="anti")
        .with_columns(_live=pl.len().over(key))
    )
    several = (
        live.filter(pl.col("_live") > 1)
        .sort("created_at", "label_id")
        .group_by(key, maintain_order=True)
        .last()
    )
    single = live.filter(pl.col("_live") == 1)
    return pl.concat([single.select(names), several.select(names)], how="vertical")


def journal_paths(dataset: Dataset) -> list[Path]:
    """The journals in the dataset's state folder (none on a fresh clone)."""
    if not dataset.state_dir.is_dir():
        return []
    return sorted(
        p for p in dataset.state_dir.glob(_JOURNAL_GLOB) if not p.name.startswith(TEMP_PREFIX)
    )


def read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection: it never creates, writes or checkpoints the journal."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    return sqlite3.connect(uri, uri=True, timeout=_BUSY_TIMEOUT_S, check_same_thread=False)


def unflushed_events(path: Path, schema: LabelSchema) -> list[LabelEvent]:
    """The journal's events not yet in Parquet and on `schema` (others cannot be flushed
    under it and are left to the session that owns them)."""
    db = read_only(path)
    try:
        # A journal last opened by an older labeler has no review column yet (read-only:
        # it is not added here).
        columns = {row[1] for row in db.execute("PRAGMA table_info(events)")}
        review = "review" if "review" in columns else "NULL"
        rows = db.execute(_UNFLUSHED.format(review=review)).fetchall()
    finally:
        db.close()
    return [e for e in map(_event, rows) if e.schema_id == schema.schema_id]


def _event(row: tuple[object, ...]) -> LabelEvent:
    label_id, post_id, annotator, schema_id, version, values, status = row[:7]
    supersedes, created_at, duration_ms, review = row[7:]
    return LabelEvent(
        str(label_id),
        str(post_id),
        str(annotator),
        str(schema_id),
        str(version),
        json.loads(str(values)) if values else {},
        LabelStatus(str(status)),
        from_micros(int(str(created_at))),
        None if supersedes is None else str(supersedes),
        None if duration_ms is None else int(str(duration_ms)),
        None if review is None else str(review),
    )


def frame_of(table: pa.Table) -> pl.DataFrame:
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)  # a Table converts to a DataFrame
    return frame


def reason_of(exc: BaseException) -> str:
    if isinstance(exc, LabelerError):
        return exc.message
    lines = str(exc).strip().splitlines()
    return f"not readable ({lines[0] if lines else exc.__class__.__name__})"


def _checked(labels: LabelSet, *, strict: bool) -> LabelSet:
    """Raise for, or log, what could not be read."""
    if labels.unreadable and strict:
        first = labels.unreadable[0]
        more = f" (and {len(labels.unreadable) - 1} more)" if len(labels.unreadable) > 1 else ""
        raise CorruptInputError(
            f"{first.reason}{more}",
            path=first.path,
            hint="Restore the file from a copy, or move it out of labels/",
        )
    for bad in labels.unreadable:
        logger.warning("skipped %s: %s", bad.path, bad.reason)
    return labels
