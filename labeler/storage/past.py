"""One annotator's label events from before this session, held as columns, read in two steps.

Opening a session must be quick on a million labels, so `PastLabels.read` reads only the
columns that say which post has which current decision (label_id, post_id, status,
supersedes, created_at). That is enough for the queue and for the `supersedes` of the next
decision. The full events (values, durations), needed to show a past label, walk a post's
history or undo into an earlier session, are read on first use (`load`) and kept as one
frame sorted by post number (idindex.py), so each lookup is a binary search, not a scan or
a dict of a million Python objects.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from labeler.domain.labels import LabelEvent, LabelStatus
from labeler.domain.schema import LabelSchema
from labeler.errors import LabelerError
from labeler.storage.idindex import IdIndex, id_number, id_numbers, numbered
from labeler.storage.labels import labels_table
from labeler.storage.labelset import (
    LABEL_COLUMNS,
    Unreadable,
    current_rows,
    empty_labels,
    frame_of,
    read_fragment,
    reason_of,
)

KEY_COLUMNS = ("label_id", "post_id", "status", "supersedes", "created_at")
_RETRACTED = LabelStatus.RETRACTED.value


@dataclass(frozen=True)
class Sources:
    """Where an annotator's past events are: readable label files, then journal events."""

    files: Sequence[Path]
    journal: Sequence[LabelEvent]  # on the dataset's schema and in no readable file

    @property
    def count(self) -> int:
        """How many sources hold events (the journal counts as one)."""
        return len(self.files) + (1 if self.journal else 0)


class PastLabels:
    """An annotator's events before this session: current decisions now, the rest on demand."""

    def __init__(self, sources: Sources, schema: LabelSchema, file_keys: pl.DataFrame) -> None:
        self.sources = sources
        self.schema = schema
        journal_keys = _journal_frame(sources.journal, schema).select(KEY_COLUMNS)
        keys = _dedup(pl.concat([file_keys, journal_keys], how="vertical"), sources.count)
        numbers, exact = numbered(keys["post_id"])
        keys = keys.with_columns(numbers.alias("_number"))
        current = current_rows(keys.lazy(), key=("_number",) if exact else ("post_id",))
        self._current = current.select("post_id", "label_id", "status", "_number").collect()
        self._current_index = IdIndex(self._current["post_id"], self._current["_number"])
        self._events: pl.DataFrame | None = None
        self._undo_order: pl.Series | None = None  # live rows of _events, newest first
        self._undo_next = 0
        self._loading = threading.Lock()

    # ------------------------------------------------------------------ cheap, at once
    def decided(self) -> pl.Series:
        """Post ids with a current decision (labelled, skipped or flagged), in no order."""
        return self._current["post_id"]

    def with_status(self, status: LabelStatus) -> pl.Series:
        """Post ids whose current decision has `status`."""
        return self._current.filter(pl.col("status") == status.value)["post_id"]

    def current_id(self, post_id: str) -> str | None:
        """The label_id of the post's current decision, if it has one."""
        row = self._current_index.find(post_id)
        return None if row is None else str(self._current["label_id"][row])

    # ------------------------------------------------------------------ full events
    def load(self) -> pl.DataFrame:
        """Every past event, sorted by post and time (read once; safe from any thread)."""
        with self._loading:
            if self._events is None:
                frames, _ = _read_files(self.sources.files, self.schema, LABEL_COLUMNS)
                frames.append(_journal_frame(self.sources.journal, self.schema))
                events = _dedup(pl.concat(frames, how="vertical"), self.sources.count)
                numbers = id_numbers(events["post_id"]).alias("_number")
                self._events = events.with_columns(numbers).sort("_number", "created_at")
            return self._events

    def history(self, post_id: str) -> list[LabelEvent]:
        """The post's past events, oldest first."""
        events = self.load()
        numbers, number = events["_number"], id_number(post_id)
        start = int(numbers.search_sorted(number, side="left"))
        end = int(numbers.search_sorted(number, side="right"))
        found = events.slice(start, end - start).iter_rows(named=True)
        rows = [r for r in found if r["post_id"] == post_id]  # another id with the same number
        return [_event(r) for r in sorted(rows, key=lambda r: (r["created_at"], r["label_id"]))]

    def latest_live(self, retracted: set[str]) -> LabelEvent | None:
        """The newest past event still standing, given the label_ids retracted since open.

        Undo walks back through these one by one; a pointer remembers how far it got, so
        each step costs only the events it passes.
        """
        events = self.load()
        order = self._live_order(events)
        while self._undo_next < len(order):
            row = events.row(int(order[self._undo_next]), named=True)
            if row["label_id"] not in retracted:
                return _event(row)
            self._undo_next += 1
        return None

    def _live_order(self, events: pl.DataFrame) -> pl.Series:
        if self._undo_order is None:
            undone = events.filter(pl.col("status") == _RETRACTED)["supersedes"].drop_nulls()
            live = (pl.col("status") != _RETRACTED) & ~pl.col("label_id").is_in(undone.implode())
            self._undo_order = (
                events.with_row_index("_row")
                .filter(live)
                .sort("created_at", "label_id", descending=True)["_row"]
            )
        return self._undo_order


def read_keys(files: Sequence[Path], schema: LabelSchema) -> tuple[pl.DataFrame, list[Unreadable]]:
    """The key columns of the label files that can be read; the others, with the reason."""
    frames, unreadable = _read_files(files, schema, KEY_COLUMNS)
    return pl.concat(frames, how="vertical"), unreadable


def _read_files(
    paths: Iterable[Path], schema: LabelSchema, columns: Sequence[str]
) -> tuple[list[pl.DataFrame], list[Unreadable]]:
    frames = [empty_labels(schema).select(columns)]
    unreadable: list[Unreadable] = []
    for path in paths:
        try:
            frames.append(read_fragment(path, schema, columns))
        except (LabelerError, OSError, pl.exceptions.PolarsError) as exc:
            unreadable.append(Unreadable(path, reason_of(exc)))
    return frames, unreadable


def _journal_frame(events: Sequence[LabelEvent], schema: LabelSchema) -> pl.DataFrame:
    return frame_of(labels_table(events, schema))


def _dedup(events: pl.DataFrame, sources: int) -> pl.DataFrame:
    """Each label_id once, the first seen (a crash can leave an event in two files; a file
    never holds one twice, so with one source there is nothing to check)."""
    if sources < 2 or events["label_id"].n_unique() == events.height:
        return events
    return events.unique(subset="label_id", keep="first", maintain_order=True)


def _event(row: dict[str, Any]) -> LabelEvent:
    """A label file row as an event (absent fields of `values` are left out)."""
    values = {k: v for k, v in (row["values"] or {}).items() if v is not None}
    return LabelEvent(
        row["label_id"],
        row["post_id"],
        row["annotator"],
        row["schema_id"],
        row["schema_version"],
        values,
        LabelStatus(row["status"]),
        row["created_at"],
        row["supersedes"],
        row["duration_ms"],
        row.get("review"),
    )
