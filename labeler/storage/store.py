"""LabelStore: what a labelling session calls to save, undo and read one annotator's labels.

A decision is validated, then committed to the annotator's journal (journal.py) before
`record` returns; batches of committed decisions are flushed to Parquet fragments in the
annotator's own partition. A fragment is named after the journal and the sequence range it
holds, so a crash between writing it and marking its events flushed is harmless: the next
flush finds the fragment and only marks the events.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from labeler.domain.closing import Closing
from labeler.domain.labels import LabelEvent, LabelStatus
from labeler.errors import LabelValidationError, StorageError, UsageError
from labeler.storage.atomic import remove_stale_temps
from labeler.storage.dataset import Dataset
from labeler.storage.idindex import IdIndex
from labeler.storage.journal import (
    Clock,
    DamagedJournalError,
    Journal,
    JournalEntry,
    check_annotator,
    journal_path,
    set_aside,
)
from labeler.storage.labels import labels_table, write_labels
from labeler.storage.labelset import Unreadable, label_file_infos
from labeler.storage.locks import AnnotatorLock
from labeler.storage.past import PastLabels, Sources, read_keys
from labeler.validation.records import present, record_validator

logger = logging.getLogger(__name__)

FLUSH_EVERY = 200
_FRAGMENT_RE = re.compile(
    r"\d{8}T\d{12}Z-(?P<journal>[0-9a-f]{12})-(?P<first>\d{12})-(?P<last>\d{12})\.parquet"
)


def fragment_name(journal_id: str, first: int, last: int, now: datetime | None = None) -> str:
    """`<UTC timestamp>-<journal id>-<first seq>-<last seq>.parquet` (sorts by time)."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    return f"{stamp}-{journal_id}-{first:012d}-{last:012d}.parquet"


class LabelStore(Closing):
    """One annotator's labels in one dataset, for a single writing session (it holds a lock).

    What was decided before the session is read columnar (`PastLabels`); the events of
    this session are kept as objects beside it, with the label_ids they retracted.
    """

    def __init__(
        self,
        dataset: Dataset,
        annotator: str,
        lock: AnnotatorLock,
        journal: Journal,
        *,
        flush_every: int,
        auto_flush: bool = True,
    ) -> None:
        self.dataset = dataset
        self.annotator = annotator
        self.schema = dataset.schema()
        self.flush_every = flush_every
        # False: the caller flushes when `flush_due` (a TUI does it off the keystroke path).
        self.auto_flush = auto_flush
        self._flushing = threading.Lock()
        # The last failed automatic flush (the decisions are safe in the journal meanwhile).
        self.flush_error: StorageError | None = None
        # Label files of this annotator that could not be read (left out, named in the log).
        self.unreadable: list[Unreadable] = []
        self._lock = lock
        self._journal = journal
        self._post_ids: IdIndex | None = None  # read on the first decision
        self._since_flush = 0
        self._past: PastLabels | None = None
        self._by_post: dict[str, list[LabelEvent]] = {}
        self._order: list[LabelEvent] = []
        self._retracted: set[str] = set()
        self.last_undone: LabelEvent | None = None  # what the latest undo retracted

    @classmethod
    def open(
        cls,
        dataset: Dataset,
        annotator: str,
        *,
        flush_every: int = FLUSH_EVERY,
        clock: Clock | None = None,
        auto_flush: bool = True,
    ) -> LabelStore:
        """Lock the annotator, open the journal, tidy up and flush what a crash left behind."""
        check_annotator(annotator)
        dataset.schema()  # fail on a dataset without its schema before taking anything
        lock = AnnotatorLock.acquire(dataset.state_dir, annotator)
        try:
            journal = _open_journal(journal_path(dataset.state_dir, annotator), clock)
        except BaseException:
            lock.release()
            raise
        try:
            store = cls(
                dataset, annotator, lock, journal, flush_every=flush_every, auto_flush=auto_flush
            )
            store._recover()
        except BaseException:
            journal.close()
            lock.release()
            raise
        return store

    @property
    def partition(self) -> Path:
        """This annotator's folder of label files."""
        return self.dataset.labels_dir / f"annotator={self.annotator}"

    # ------------------------------------------------------------------ writing
    def record(
        self,
        post_id: str,
        values: Mapping[str, Any] | None = None,
        status: LabelStatus = LabelStatus.LABELLED,
        duration_ms: int | None = None,
        review: str | None = None,
    ) -> LabelEvent:
        """Validate and commit one decision; it is durable when this returns. `review` says
        why it needs a second look (a flag's reason)."""
        record = present(values or {})
        self._check(post_id, record, status)
        entry = self._journal.append(
            post_id=post_id,
            annotator=self.annotator,
            schema_id=self.schema.schema_id,
            schema_version=self.schema.version,
            values=record,
            status=status,
            supersedes=self._current_id(post_id),
            duration_ms=duration_ms,
            review=review or None,
        )
        return self._written(entry)

    def undo(self) -> LabelEvent | None:
        """Retract this annotator's latest live decision; the retraction, or None if none.

        Decisions of this session go first, newest first; then those of earlier sessions.
        """
        target = next((e for e in reversed(self._order) if self._live(e)), None)
        if target is None:
            target = self.past.latest_live(self._retracted)
        if target is None:
            return None
        self.last_undone = target
        entry = self._journal.append(
            post_id=target.post_id,
            annotator=self.annotator,
            schema_id=self.schema.schema_id,
            schema_version=self.schema.version,
            values={},
            status=LabelStatus.RETRACTED,
            supersedes=target.label_id,
        )
        return self._written(entry)

    def _check(self, post_id: str, record: Mapping[str, Any], status: LabelStatus) -> None:
        """Refuse a decision before anything is written (DESIGN.md status rule)."""
        if status is LabelStatus.RETRACTED:
            raise UsageError("a retraction cannot be recorded directly", hint="Use undo")
        if not self.has_post(post_id):
            raise LabelValidationError(
                f"there is no post {post_id!r} in this dataset",
                hint="Nothing was saved; `labeler posts DIR` lists the post ids",
            )
        # Only a label must be complete; a skip or flag may carry nothing, or valid values.
        if status is LabelStatus.LABELLED or record:
            record_validator(self.schema).check(record)

    def use_post_index(self, index: IdIndex) -> None:
        """Check post ids against an index of every post already built elsewhere."""
        self._post_ids = index

    def has_post(self, post_id: str) -> bool:
        """Whether the dataset has a post `post_id` (its ids are read once, then indexed)."""
        if self._post_ids is None:
            self._post_ids = IdIndex(self.dataset.posts().select("post_id").collect()["post_id"])
        return post_id in self._post_ids

    def _written(self, entry: JournalEntry) -> LabelEvent:
        """Remember a committed event, then flush if a batch is full."""
        event = entry.event
        self._order.append(event)
        self._by_post.setdefault(event.post_id, []).append(event)
        if event.status is LabelStatus.RETRACTED and event.supersedes:
            self._retracted.add(event.supersedes)
        self._since_flush += 1
        if self.auto_flush and self.flush_due:
            self._flush_quietly()
        return event

    # ------------------------------------------------------------------ reading
    @property
    def past(self) -> PastLabels:
        """What was decided before this session (read when the store opened)."""
        if self._past is None:
            raise UsageError("the label store is not open")
        return self._past

    def decided_before(self) -> pl.Series:
        """Posts that had a current decision when the store opened, in no order (for a queue)."""
        return self.past.decided()

    def posts_with_status(self, status: LabelStatus) -> set[str]:
        """Posts whose current decision has `status` (before and during this session)."""
        found = set(self.past.with_status(status).to_list())
        for post_id in self._by_post:
            current = self.current_of(post_id)
            found.discard(post_id)
            if current is not None and current.status is status:
                found.add(post_id)
        return found

    def current(self) -> dict[str, LabelEvent]:
        """The current decision per post (every post: meant for small datasets and tests)."""
        posts = set(self.past.load()["post_id"].unique().to_list()) | set(self._by_post)
        found = {post_id: self.current_of(post_id) for post_id in sorted(posts)}
        return {post_id: event for post_id, event in found.items() if event is not None}

    def current_of(self, post_id: str) -> LabelEvent | None:
        """The current decision on one post: its latest event neither retracting nor retracted.

        This session's events come after the past's, so a live one among them decides
        without reading the full past (which costs ~0.5 s on a million labels).
        """
        live, past_id = self._current_parts(post_id)
        if live is not None or past_id is None:
            return live
        return _latest_live(self.history(post_id))

    def history(self, post_id: str) -> list[LabelEvent]:
        """Every event of this annotator on `post_id`, oldest first (retractions included)."""
        return self.past.history(post_id) + self._by_post.get(post_id, [])

    def unflushed(self) -> list[LabelEvent]:
        """Committed events not yet in a Parquet file."""
        return [entry.event for entry in self._journal.entries(unflushed=True)]

    def _current_id(self, post_id: str) -> str | None:
        """The label_id of the post's current decision (the next decision names it in
        `supersedes`), without reading the full past unless this session undid it."""
        live, past_id = self._current_parts(post_id)
        if live is not None or past_id is None:
            return None if live is None else live.label_id
        if past_id not in self._retracted:
            return past_id
        current = _latest_live(self.history(post_id))
        return None if current is None else current.label_id

    def _current_parts(self, post_id: str) -> tuple[LabelEvent | None, str | None]:
        """(this session's live event on the post, else None; and when there is none, the
        past's current label_id, else None)."""
        live = _latest_live(self._by_post.get(post_id, []))
        return live, (None if live is not None else self.past.current_id(post_id))

    def _live(self, event: LabelEvent) -> bool:
        """For undo: an event of this session, neither a retraction nor retracted since."""
        return event.status is not LabelStatus.RETRACTED and event.label_id not in self._retracted

    # ------------------------------------------------------------------ flushing
    def flush(self) -> Path | None:
        """Write unflushed events to one fragment and mark them; the fragment, or None.

        Safe from another thread while this one records decisions (a front end flushes in
        the background): flushes take turns, and decisions committed meanwhile wait for
        the next one.
        """
        with self._flushing:
            return self._flush()

    @property
    def flush_due(self) -> bool:
        """Whether a batch of FLUSH_EVERY decisions waits for a flush."""
        return self._since_flush >= self.flush_every

    def _flush(self) -> Path | None:
        self._since_flush = 0
        pending = self._journal.entries(unflushed=True)
        if not pending:
            return None
        covered = self._fragments()
        written = [e for e in pending if _holder(covered, e.seq) is not None]
        todo = [e for e in pending if _holder(covered, e.seq) is None]
        path = _holder(covered, pending[-1].seq)
        if todo:
            self._check_schema(todo)
            name = fragment_name(self._journal.journal_id, todo[0].seq, todo[-1].seq)
            path = self.partition / name
            write_labels(path, labels_table([e.event for e in todo], self.schema), self.schema)
        if written:
            logger.info("%d events were already in a fragment; marking them", len(written))
        self._journal.mark_flushed([e.seq for e in pending])
        self.flush_error = None
        return path

    def _flush_quietly(self) -> None:
        """An automatic flush: a failure is kept and logged, never raised into `record`."""
        try:
            self.flush()
        except StorageError as exc:
            self.flush_error = exc
            logger.warning("labels stay in the journal until the next flush: %s", exc)

    def _fragments(self) -> dict[tuple[int, int], Path]:
        """Sequence ranges of this journal that already have a fragment."""
        if not self.partition.is_dir():
            return {}
        found: dict[tuple[int, int], Path] = {}
        for path in self.partition.glob("*.parquet"):
            match = _FRAGMENT_RE.fullmatch(path.name)
            if match and match["journal"] == self._journal.journal_id:
                found[int(match["first"]), int(match["last"])] = path
        return found

    def _check_schema(self, entries: list[JournalEntry]) -> None:
        """Fragments hold one schema version; refuse to write older decisions under a new one."""
        other = {e.event.schema_id for e in entries} - {self.schema.schema_id}
        if other:
            raise StorageError(
                f"the journal holds decisions on {', '.join(sorted(other))} not yet written to "
                f"label files, but the dataset is on {self.schema.schema_id}",
                path=self._journal.path,
                hint="Open the dataset on that schema version once to flush them, then migrate",
            )

    def _recover(self) -> None:
        """Remove a crashed writer's temp files, flush what it left, then read the past."""
        try:
            # Safe: only a session holding this annotator's lock writes in this folder.
            remove_stale_temps(self.partition)
        except OSError as exc:
            logger.warning("cannot remove stale temp files in %s: %s", self.partition, exc)
        self._flush_quietly()
        self._read_past()

    def _read_past(self) -> None:
        """Read this annotator's label files on the dataset's version, newest of each
        lineage only (older files are history a migration replaced). A file that cannot be
        read is left out and named; events it held that the journal still has are written
        again to a new fragment, so nothing the journal kept is lost."""
        unreadable: list[Unreadable] = []
        heads, _ = label_file_infos(self.dataset, unreadable)
        files = [i.path for i in heads if i.path.parent == self.partition]
        keys, bad = read_keys(files, self.schema)
        self.unreadable = [u for u in unreadable if u.path.parent == self.partition] + bad
        readable = [p for p in files if p not in {u.path for u in bad}]
        restored = self._restore(keys)
        if restored is not None:
            more, _ = read_keys([restored], self.schema)
            readable, keys = [*readable, restored], pl.concat([keys, more])
        for lost in self.unreadable:
            logger.warning("label file left out: %s: %s", lost.path, lost.reason)
        journal = [e.event for e in self._journal.entries(unflushed=True)]
        journal = [e for e in journal if e.schema_id == self.schema.schema_id]
        self._past = PastLabels(Sources(readable, journal), self.schema, keys)

    def _restore(self, keys: pl.DataFrame) -> Path | None:
        """Write again the journal's copy of events whose only fragment is unreadable."""
        ranges = [r for u in self.unreadable if (r := self._own_range(u.path)) is not None]
        if not ranges:
            return None
        known = keys["label_id"].implode()
        entries = [e for e in self._journal.entries() if any(a <= e.seq <= b for a, b in ranges)]
        entries = [e for e in entries if e.flushed and e.event.schema_id == self.schema.schema_id]
        found = pl.Series([e.event.label_id for e in entries], dtype=pl.String)
        lost = [e for e, have in zip(entries, found.is_in(known), strict=True) if not have]
        if not lost:
            return None
        path = self.partition / fragment_name(self._journal.journal_id, lost[0].seq, lost[-1].seq)
        write_labels(path, labels_table([e.event for e in lost], self.schema), self.schema)
        logger.warning(
            "%d decisions of unreadable label files restored from the journal to %s",
            len(lost),
            path,
        )
        return path

    def _own_range(self, path: Path) -> tuple[int, int] | None:
        """The journal sequence range a fragment of this journal holds, from its name."""
        match = _FRAGMENT_RE.fullmatch(path.name)
        if match is None or match["journal"] != self._journal.journal_id:
            return None
        return int(match["first"]), int(match["last"])

    # ------------------------------------------------------------------ closing
    def close(self) -> None:
        """Flush, then release the journal and the lock (even when the flush fails)."""
        if not self._lock.held:
            return
        try:
            self.flush()
        finally:
            self._journal.close()
            self._lock.release()


def _open_journal(path: Path, clock: Clock | None) -> Journal:
    """Open the annotator's journal; a damaged one is moved aside (kept, named in a
    warning) and a new one started, so the annotator can go on: decisions already flushed
    are in label files, and those that were not are still in the file kept aside."""
    try:
        return Journal.open(path, clock=clock)
    except DamagedJournalError as exc:
        kept = set_aside(path)
        logger.warning(
            "%s: %s; it was moved to %s and a new journal started. Decisions in label files "
            "are kept; any not yet flushed are only in the file moved aside",
            path,
            exc.message,
            kept,
        )
        return Journal.open(path, clock=clock)


def _latest_live(events: list[LabelEvent]) -> LabelEvent | None:
    """The latest of `events` (oldest first) neither a retraction nor retracted by one."""
    undone = {e.supersedes for e in events if e.status is LabelStatus.RETRACTED}
    return next(
        (
            e
            for e in reversed(events)
            if e.status is not LabelStatus.RETRACTED and e.label_id not in undone
        ),
        None,
    )


def _holder(covered: dict[tuple[int, int], Path], seq: int) -> Path | None:
    return next((path for (a, b), path in covered.items() if a <= seq <= b), None)
