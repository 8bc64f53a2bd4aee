"""The live journal: one SQLite file per annotator that every decision is committed to first.

SQLite in WAL mode with `synchronous=FULL` makes a committed decision survive a kill -9 or a
power loss; flushing to Parquet happens later in batches (store.py). Rows are never deleted:
a flushed row is only marked, so the journal stays the annotator's full history on this
machine. `seq` orders events; `created_at` never goes backwards, even when the clock does,
because label files order events by it.

A commit should cost little more than one fsync, so a decision writes as few pages as it
can: the table's last page and the small index of unflushed rows. There is no index on
label_id (uuid4) or post_id (nothing looks events up by them here), and the WAL is
checkpointed when decisions are flushed rather than in the middle of a decision.
"""

from __future__ import annotations

import contextlib
import json
import re
import resource
import sqlite3
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from labeler.domain.labels import LabelEvent, LabelStatus
from labeler.errors import CorruptInputError, LabelerError, StorageError, UsageError
from labeler.storage.atomic import no_space_error, too_large_error

Clock = Callable[[], datetime]

# Annotator names become file and folder names: keep them to a portable, unambiguous set.
ANNOTATOR_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_BUSY_S = 5.0
_SAVED = "decisions saved before are safe"
# What SQLite reports when a write, fsync or resize of a journal file fails.
_WRITE_FAILED = frozenset(
    {
        "SQLITE_IOERR_WRITE",
        "SQLITE_IOERR_FSYNC",
        "SQLITE_IOERR_DIR_FSYNC",
        "SQLITE_IOERR_TRUNCATE",
        "SQLITE_IOERR_SHMSIZE",
    }
)

_CREATE = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY,
    label_id TEXT NOT NULL,
    post_id TEXT NOT NULL,
    annotator TEXT NOT NULL,
    schema_id TEXT NOT NULL,
    schema_version TEXT NOT NULL,
    "values" TEXT,
    status TEXT NOT NULL,
    supersedes TEXT,
    created_at INTEGER NOT NULL,
    duration_ms INTEGER,
    flushed INTEGER NOT NULL DEFAULT 0,
    review TEXT
);
DROP INDEX IF EXISTS events_post;
CREATE INDEX IF NOT EXISTS events_unflushed ON events (flushed) WHERE flushed = 0;
"""
_INSERTED = (
    'label_id, post_id, annotator, schema_id, schema_version, "values", status, supersedes, '
    "created_at, duration_ms, review"
)
_COLUMNS = f"seq, {_INSERTED}, flushed"
_INSERT = f"INSERT INTO events ({_INSERTED}) VALUES ({', '.join('?' * 11)})"  # noqa: S608 - constant


def check_annotator(name: str) -> str:
    """`name` if it is usable as an annotator id (it names files), else a UsageError."""
    if not ANNOTATOR_RE.fullmatch(name):
        raise UsageError(
            f"annotator name {name!r} cannot be used",
            hint="Use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
        )
    return name


def journal_path(state_dir: Path, annotator: str) -> Path:
    """Where the journal of `annotator` lives in a dataset's state folder."""
    return state_dir / f"journal-{check_annotator(annotator)}.sqlite"


def set_aside(path: Path, now: datetime | None = None) -> Path:
    """Rename a damaged journal (and its -wal/-shm files) to `damaged-<name>-<time>`, out of
    the way of readers and of the next journal; the new name of the main file."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"damaged-{path.stem}-{stamp}{path.suffix}")
    for suffix in ("", "-wal", "-shm"):
        source = path.with_name(path.name + suffix)
        if source.exists():
            try:
                source.rename(target.with_name(target.name + suffix))
            except OSError as exc:
                raise StorageError(
                    f"cannot move the damaged journal aside: {exc}", path=source
                ) from exc
    return target


def to_micros(moment: datetime) -> int:
    """UTC microseconds since the epoch (naive datetimes are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // _MICROSECOND


def from_micros(micros: int) -> datetime:
    """The UTC datetime of `to_micros`."""
    return _EPOCH + timedelta(microseconds=micros)


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """A journal row: the event, its sequence number and whether it is in Parquet yet."""

    seq: int
    event: LabelEvent
    flushed: bool


class DamagedJournalError(CorruptInputError):
    """The journal file is not, or no longer, a readable SQLite database."""


def sqlite_error(exc: sqlite3.Error, path: Path) -> LabelerError:
    """Turn a SQLite failure into a message that says what to do next."""
    name = getattr(exc, "sqlite_errorname", "")
    if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
        return DamagedJournalError(
            f"the journal is damaged ({exc})",
            path=path,
            hint="Decisions already in label files are safe; move the file aside to start a "
            "new journal",
        )
    if name.startswith("SQLITE_FULL"):  # ENOSPC
        return no_space_error(path, _SAVED)
    if name in _WRITE_FAILED:  # EFBIG, EDQUOT, EIO...
        return _write_failed(path)
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM")):
        return StorageError(
            "cannot write the journal (read-only or no permission)",
            path=path,
            hint="Check the permissions of the dataset's .labeler folder",
        )
    return StorageError(f"journal error: {exc}", path=path)


def _write_failed(path: Path) -> StorageError:
    """A failed journal write: the file size limit if a journal file reached it, else I/O."""
    limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    if limit != resource.RLIM_INFINITY:
        for file in (path, path.with_name(f"{path.name}-wal")):
            with contextlib.suppress(OSError):
                if file.stat().st_size >= limit:
                    return too_large_error(file, _SAVED)
    return StorageError(
        "cannot write the journal (disk I/O error)",
        path=path,
        hint="The disk may be full, over quota or failing: free some space or check the disk, "
        f"then run the command again; {_SAVED}",
    )


class Journal:
    """An annotator's journal; one transaction per appended decision."""

    def __init__(self, path: Path, connection: sqlite3.Connection, clock: Clock) -> None:
        self.path = path
        self._db = connection
        # One connection, used by the session's thread and by a background flush: each
        # method holds this while it talks to SQLite.
        self._using = threading.Lock()
        self._clock = clock
        self.journal_id = self._journal_id()

    @classmethod
    def open(cls, path: Path, *, clock: Clock | None = None) -> Journal:
        """Open (creating if needed) the journal at `path`."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Autocommit mode: transactions are explicit, so each decision is exactly one.
            db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            # Checkpoint when decisions are flushed (mark_flushed), not inside a decision.
            db.execute("PRAGMA wal_autocheckpoint=0")
            db.executescript(_CREATE)
            _add_review_column(db)
        except OSError as exc:
            raise StorageError(f"cannot create the journal: {exc.strerror}", path=path) from exc
        except sqlite3.Error as exc:
            raise sqlite_error(exc, path) from exc
        return cls(path, db, clock or (lambda: datetime.now(UTC)))

    def _journal_id(self) -> str:
        """A random id of this journal file, so fragments of two journals never collide."""
        row = self._db.execute("SELECT value FROM meta WHERE key = 'journal_id'").fetchone()
        if row is not None:
            return str(row[0])
        new = uuid.uuid4().hex[:12]
        self._db.execute("INSERT INTO meta (key, value) VALUES ('journal_id', ?)", (new,))
        return new

    def close(self) -> None:
        """Close the connection (everything appended is already durable)."""
        with self._using:
            self._db.close()

    def append(
        self,
        *,
        post_id: str,
        annotator: str,
        schema_id: str,
        schema_version: str,
        values: Mapping[str, Any],
        status: LabelStatus,
        supersedes: str | None = None,
        duration_ms: int | None = None,
        review: str | None = None,
    ) -> JournalEntry:
        """Commit one event; it is durable when this returns."""
        label_id = uuid.uuid4().hex
        stored = json.dumps(dict(values), ensure_ascii=False, sort_keys=True) if values else None
        try:
            with self._using, self._db:  # the transaction commits, or rolls back on error
                self._db.execute("BEGIN IMMEDIATE")
                created = self._next_created_at()
                row = (label_id, post_id, annotator, schema_id, schema_version, stored)
                cursor = self._db.execute(
                    _INSERT, (*row, status.value, supersedes, created, duration_ms, review)
                )
        except sqlite3.Error as exc:
            raise sqlite_error(exc, self.path) from exc
        seq = cursor.lastrowid
        assert seq is not None  # an INSERT always sets it
        event = LabelEvent(
            label_id,
            post_id,
            annotator,
            schema_id,
            schema_version,
            dict(values),
            status,
            from_micros(created),
            supersedes,
            duration_ms,
            review,
        )
        return JournalEntry(seq, event, flushed=False)

    def _next_created_at(self) -> int:
        """Now, or just after the last event if the clock went backwards (order stays)."""
        now = to_micros(self._clock())
        # created_at only grows with seq (this method is the only writer), so the newest row
        # holds the maximum: read it by the primary key instead of scanning for max().
        row = self._db.execute("SELECT created_at FROM events ORDER BY seq DESC LIMIT 1").fetchone()
        last = None if row is None else row[0]
        return now if last is None or now > last else int(last) + 1

    def _checkpoint(self) -> None:
        _checkpoint_with(self.path)

    def entries(self, *, post_id: str | None = None, unflushed: bool = False) -> list[JournalEntry]:
        """Events in sequence order, optionally of one post or only those not yet flushed."""
        clauses, params = [], []
        if post_id is not None:
            clauses.append("post_id = ?")
            params.append(post_id)
        if unflushed:
            clauses.append("flushed = 0")
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        query = f"SELECT {_COLUMNS} FROM events{where} ORDER BY seq"  # noqa: S608 - fixed text
        try:
            with self._using:
                return [_entry(row) for row in self._db.execute(query, params)]
        except sqlite3.Error as exc:
            raise sqlite_error(exc, self.path) from exc

    def mark_flushed(self, seqs: list[int]) -> None:
        """Record that the events `seqs` are in a Parquet fragment (one transaction)."""
        try:
            with self._using, self._db:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.executemany(
                    "UPDATE events SET flushed = 1 WHERE seq = ?", [(s,) for s in seqs]
                )
            self._checkpoint()
        except sqlite3.Error as exc:
            raise sqlite_error(exc, self.path) from exc


def _checkpoint_with(path: Path) -> None:
    """Copy the WAL into the database through a connection of its own, so decisions
    committed meanwhile do not wait for it (PASSIVE blocks no writer)."""
    db = sqlite3.connect(path, timeout=_BUSY_S)
    try:
        db.execute("PRAGMA wal_checkpoint(PASSIVE)")
    finally:
        db.close()


def _add_review_column(db: sqlite3.Connection) -> None:
    """Journals made before events carried a review reason get the (nullable) column."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(events)")}
    if "review" not in columns:
        db.execute("ALTER TABLE events ADD COLUMN review TEXT")


def _entry(row: tuple[Any, ...]) -> JournalEntry:
    seq, label_id, post_id, annotator, schema_id, version, values, status = row[:8]
    supersedes, created_at, duration_ms, review, flushed = row[8:]
    event = LabelEvent(
        label_id,
        post_id,
        annotator,
        schema_id,
        version,
        json.loads(values) if values else {},
        LabelStatus(status),
        from_micros(created_at),
        supersedes,
        duration_ms,
        review,
    )
    return JournalEntry(seq, event, bool(flushed))
