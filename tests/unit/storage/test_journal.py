"""The journal: durable SQLite settings, round trips, monotonic time, flushed markers."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from labeler.domain.labels import LabelStatus
from labeler.errors import ExitCode, UsageError
from labeler.storage.dataset import default_schema
from labeler.storage.journal import (
    Journal,
    JournalEntry,
    check_annotator,
    from_micros,
    journal_path,
    to_micros,
)
from labeler.storage.labelset import unflushed_events

T0 = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)


class StepClock:
    """A clock tests move by hand (also backwards)."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _append(journal: Journal, post_id: str = "p1", **values: object) -> JournalEntry:
    return journal.append(
        post_id=post_id,
        annotator="alice",
        schema_id="urn:labeler:schema:post-labels:2.0.0",
        schema_version="2.0.0",
        values=values,
        status=LabelStatus.LABELLED if values else LabelStatus.SKIPPED,
        duration_ms=1200,
    )


def test_journal_is_wal_with_full_sync(tmp_path: Path) -> None:
    journal = Journal.open(tmp_path / "j.sqlite")
    # synchronous is per connection: ask the journal's own (FULL = 2)
    assert journal._db.execute("PRAGMA synchronous").fetchone() == (2,)
    journal.close()
    with sqlite3.connect(tmp_path / "j.sqlite") as other:
        assert other.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    other.close()


def test_append_round_trips_through_a_reopen(tmp_path: Path) -> None:
    clock = StepClock()
    journal = Journal.open(tmp_path / "j.sqlite", clock=clock)
    first = _append(journal, stance_target="favor", topics=["politics"])
    second = _append(journal, "p2")
    journal.close()

    reopened = Journal.open(tmp_path / "j.sqlite")
    entries = reopened.entries()
    assert [e.seq for e in entries] == [first.seq, second.seq] == [1, 2]
    assert entries[0].event == first.event
    assert entries[0].event.values == {"stance_target": "favor", "topics": ["politics"]}
    assert entries[0].event.created_at == T0
    assert entries[1].event.values == {}
    assert entries[1].event.status is LabelStatus.SKIPPED
    assert first.event.label_id != second.event.label_id
    assert reopened.entries(post_id="p2") == [entries[1]]
    reopened.close()


def test_clock_going_backwards_keeps_created_at_increasing(tmp_path: Path) -> None:
    clock = StepClock()
    journal = Journal.open(tmp_path / "j.sqlite", clock=clock)
    a = _append(journal)
    clock.now = T0 - timedelta(hours=1)  # NTP step, or a laptop waking up
    b = _append(journal)
    c = _append(journal)  # same backwards time again
    clock.now = T0 + timedelta(seconds=1)
    d = _append(journal)
    times = [e.event.created_at for e in (a, b, c, d)]
    assert times == sorted(times)
    assert len(set(times)) == 4
    assert b.event.created_at == T0 + timedelta(microseconds=1)
    assert d.event.created_at == T0 + timedelta(seconds=1)
    journal.close()


def test_mark_flushed_leaves_rows_and_filters_unflushed(tmp_path: Path) -> None:
    journal = Journal.open(tmp_path / "j.sqlite")
    seqs = [_append(journal).seq for _ in range(3)]
    journal.mark_flushed(seqs[:2])
    assert [e.seq for e in journal.entries(unflushed=True)] == [seqs[2]]
    assert [e.flushed for e in journal.entries()] == [True, True, False]
    journal.close()


def test_journal_id_is_stable_per_file(tmp_path: Path) -> None:
    first = Journal.open(tmp_path / "a.sqlite")
    other = Journal.open(tmp_path / "b.sqlite")
    assert first.journal_id != other.journal_id
    first_id = first.journal_id
    first.close()
    other.close()
    again = Journal.open(tmp_path / "a.sqlite")
    assert again.journal_id == first_id
    again.close()


def test_micros_round_trip() -> None:
    assert from_micros(to_micros(T0)) == T0
    assert to_micros(T0.replace(tzinfo=None)) == to_micros(T0)


@pytest.mark.parametrize("name", ["alice", "Bob_2", "a.b-c", "x" * 64])
def test_annotator_names_that_are_safe_file_names(tmp_path: Path, name: str) -> None:
    assert check_annotator(name) == name
    assert journal_path(tmp_path, name) == tmp_path / f"journal-{name}.sqlite"


@pytest.mark.parametrize("name", ["", "../etc", "a/b", "a b", ".hidden", "x" * 65, "é"])
def test_unsafe_annotator_names_are_refused(name: str) -> None:
    with pytest.raises(UsageError, match="cannot be used") as caught:
        check_annotator(name)
    assert caught.value.exit_code is ExitCode.USAGE
    assert "letters, digits" in str(caught.value)


# The events table as journals made before events carried a review reason have it.
_OLD_EVENTS = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, label_id TEXT NOT NULL UNIQUE,
    post_id TEXT NOT NULL, annotator TEXT NOT NULL, schema_id TEXT NOT NULL,
    schema_version TEXT NOT NULL, "values" TEXT, status TEXT NOT NULL, supersedes TEXT,
    created_at INTEGER NOT NULL, duration_ms INTEGER, flushed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX events_post ON events (post_id);
INSERT INTO events (label_id, post_id, annotator, schema_id, schema_version, status,
                    created_at)
VALUES ('l1', 'p1', 'ann', 'urn:labeler:schema:post-labels:2.0.0', '2.0.0', 'skipped', 1);
"""


def test_an_older_journal_is_read_as_is_and_gains_the_review_column(tmp_path: Path) -> None:
    path = tmp_path / "journal-ann.sqlite"
    with sqlite3.connect(path) as db:
        db.executescript(_OLD_EVENTS)
    db.close()
    schema = default_schema()
    (old,) = unflushed_events(path, schema)  # read-only: the file is not changed
    assert (old.label_id, old.review) == ("l1", None)
    journal = Journal.open(path)
    try:
        added = journal.append(
            post_id="p2",
            annotator="ann",
            schema_id=schema.schema_id,
            schema_version=schema.version,
            values={},
            status=LabelStatus.FLAGGED,
            review="off topic",
        )
        assert [e.event.review for e in journal.entries()] == [None, "off topic"]
        assert added.event.review == "off topic"
    finally:
        journal.close()
