"""LabelStore on real journals and real Parquet: record, undo, flush, crash recovery, locks."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest

from labeler.domain.labels import LabelEvent, LabelStatus
from labeler.errors import AnnotatorBusyError, LabelValidationError, StorageError, UsageError
from labeler.storage.atomic import TEMP_PREFIX
from labeler.storage.dataset import Dataset
from labeler.storage.journal import Journal, journal_path
from labeler.storage.labels import read_labels
from labeler.storage.posts import posts_table, write_posts
from labeler.storage.store import LabelStore, fragment_name
from labeler.validation.upgrade import upgrade_dataset
from tests.conftest import REPO_ROOT, make_posts
from tests.unit.storage.conftest import GOOD
from tests.unit.validation.schema_variants import v1


def _labels(ds: Dataset, annotator: str = "alice") -> pl.DataFrame:
    files = sorted((ds.labels_dir / f"annotator={annotator}").glob("*.parquet"))
    frames = [read_labels(path)[1] for path in files]
    return pl.concat(frames) if frames else pl.DataFrame()


def _journal_rows(ds: Dataset, annotator: str = "alice") -> int:
    journal = Journal.open(journal_path(ds.state_dir, annotator))
    count = len(journal.entries())
    journal.close()
    return count


def _crash(store: LabelStore) -> None:
    """What kill -9 leaves: no flush, the OS drops the lock and the connection."""
    store._journal.close()
    store._lock.release()


def test_record_then_current_and_history(ds: Dataset, ids: list[str]) -> None:
    with LabelStore.open(ds, "alice") as store:
        first = store.record(ids[0], GOOD, duration_ms=900)
        second = store.record(ids[0], {**GOOD, "quality": 2})
        store.record(ids[1], GOOD)
        assert first.annotator == "alice"
        assert first.schema_id == ds.schema().schema_id
        assert first.duration_ms == 900
        assert second.supersedes == first.label_id  # a re-label names what it replaces
        assert store.current() == {ids[0]: second, ids[1]: store.current_of(ids[1])}
        assert store.history(ids[0]) == [first, second]
        assert store.history(ids[2]) == []


def test_invalid_values_are_refused_and_nothing_is_written(ds: Dataset, ids: list[str]) -> None:
    with LabelStore.open(ds, "alice") as store:
        with pytest.raises(LabelValidationError, match=r"\$\.quality: 9 is not valid") as caught:
            store.record(ids[0], {**GOOD, "quality": 9})
        assert "Nothing was saved" in str(caught.value)
        with pytest.raises(LabelValidationError, match="'sarcastic' is a required property"):
            store.record(ids[0], {k: v for k, v in GOOD.items() if k != "sarcastic"})
        with pytest.raises(LabelValidationError, match="there is no post 'nope'"):
            store.record("nope", GOOD)
        with pytest.raises(UsageError, match="Use undo"):
            store.record(ids[0], status=LabelStatus.RETRACTED)
        assert store.current() == {}
    assert _journal_rows(ds) == 0
    assert _labels(ds).is_empty()


def test_skip_and_flag_need_no_values_but_what_they_carry_is_checked(
    ds: Dataset, ids: list[str]
) -> None:
    with LabelStore.open(ds, "alice") as store:
        skipped = store.record(ids[0], status=LabelStatus.SKIPPED)
        flagged = store.record(ids[1], {"note": None}, status=LabelStatus.FLAGGED)
        with pytest.raises(LabelValidationError):
            store.record(ids[2], {"quality": 4}, status=LabelStatus.FLAGGED)  # incomplete
        assert skipped.values == {} and flagged.values == {}
        assert store.current_of(ids[0]) == skipped
    rows = _labels(ds).sort("created_at")
    assert rows["status"].to_list() == ["skipped", "flagged"]
    assert rows["values"].to_list() == [None, None]


def test_undo_twice_retracts_the_two_latest(ds: Dataset, ids: list[str]) -> None:
    with LabelStore.open(ds, "alice") as store:
        a = store.record(ids[0], GOOD)
        b = store.record(ids[1], GOOD)
        c = store.record(ids[1], {**GOOD, "quality": 1})  # re-label of ids[1]
        undo_c = store.undo()
        assert undo_c is not None
        assert (undo_c.status, undo_c.supersedes, undo_c.post_id) == (
            "retracted",
            c.label_id,
            ids[1],
        )
        assert store.current() == {ids[0]: a, ids[1]: b}  # the earlier label is back
        undo_b = store.undo()
        assert undo_b is not None and undo_b.supersedes == b.label_id
        assert store.current() == {ids[0]: a}
        assert store.history(ids[1]) == [b, c, undo_c, undo_b]  # nothing is deleted
        store.undo()
        assert store.undo() is None
        assert store.current() == {}
    assert _labels(ds).height == 6


def test_flush_writes_a_readable_fragment_and_marks_events(ds: Dataset, ids: list[str]) -> None:
    store = LabelStore.open(ds, "alice")
    events = [store.record(ids[0], GOOD), store.record(ids[1], status=LabelStatus.SKIPPED)]
    path = store.flush()
    assert path is not None and path.parent == ds.labels_dir / "annotator=alice"
    assert path.name.endswith(f"-{store._journal.journal_id}-000000000001-000000000002.parquet")
    identity, frame = read_labels(path)
    assert identity.schema_id == ds.schema().schema_id
    assert frame["label_id"].to_list() == [e.label_id for e in events]
    stored = frame["values"].to_list()
    assert {k: v for k, v in stored[0].items() if v is not None} == GOOD
    assert stored[1] is None  # a skip without values
    assert store.unflushed() == []
    assert store.flush() is None  # nothing new
    store.close()
    assert ds.label_files() == [path]


def test_automatic_flush_every_n_decisions(ds: Dataset, ids: list[str]) -> None:
    with LabelStore.open(ds, "alice", flush_every=2) as store:
        store.record(ids[0], GOOD)
        assert ds.label_files() == []
        store.record(ids[1], GOOD)
        assert len(ds.label_files()) == 1
        store.record(ids[2], GOOD)
        assert len(store.unflushed()) == 1
    assert len(ds.label_files()) == 2
    assert _labels(ds).height == 3


def test_reopen_after_a_crash_replays_without_duplicates(ds: Dataset, ids: list[str]) -> None:
    store = LabelStore.open(ds, "alice")
    store.record(ids[0], GOOD)
    store.flush()
    store.record(ids[1], GOOD)
    store.record(ids[2], status=LabelStatus.FLAGGED)
    _crash(store)
    (ds.labels_dir / "annotator=alice" / f"{TEMP_PREFIX}abc-x.parquet").write_bytes(b"partial")

    with LabelStore.open(ds, "alice") as again:
        assert set(again.current()) == set(ids)
        assert again.unflushed() == []
        names = sorted(p.name for p in (ds.labels_dir / "annotator=alice").iterdir())
        assert not any(n.startswith(TEMP_PREFIX) for n in names)
    labels = _labels(ds)
    assert labels.height == 3 and labels["label_id"].n_unique() == 3


def test_crash_between_write_and_marking_keeps_the_fragment(ds: Dataset, ids: list[str]) -> None:
    store = LabelStore.open(ds, "alice")
    events = [store.record(ids[0], GOOD), store.record(ids[1], GOOD)]
    path = store.flush()
    assert path is not None
    # As if the process died after the rename but before marking: unmark the rows.
    store._journal._db.execute("UPDATE events SET flushed = 0")
    _crash(store)
    with LabelStore.open(ds, "alice") as again:
        assert again.unflushed() == []
    assert ds.label_files() == [path]
    assert _labels(ds)["label_id"].to_list() == [e.label_id for e in events]


KILLED = """
import sys, time
from labeler.storage.dataset import Dataset
from labeler.storage.store import LabelStore
store = LabelStore.open(Dataset.open(sys.argv[1]), "alice")
for post_id in sys.argv[2:]:
    store.record(post_id, {"stance_target": "none", "topics": ["other"], "quality": 1,
                           "sarcastic": True})
print("recorded", flush=True)
time.sleep(60)
"""


def test_sigkill_mid_session_loses_nothing(ds: Dataset, ids: list[str]) -> None:
    with subprocess.Popen(
        [sys.executable, "-c", KILLED, str(ds.root), *ids],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    ) as writer:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "recorded"
        with pytest.raises(AnnotatorBusyError, match=f"process {writer.pid} on"):
            LabelStore.open(ds, "alice")
        writer.send_signal(signal.SIGKILL)
    assert ds.label_files() == []
    with LabelStore.open(ds, "alice") as store:
        assert set(store.current()) == set(ids)
    assert sorted(_labels(ds)["post_id"]) == sorted(ids)


def test_second_store_for_the_same_annotator_is_refused(ds: Dataset, ids: list[str]) -> None:
    with LabelStore.open(ds, "alice") as store:
        with pytest.raises(AnnotatorBusyError, match="'alice' is already labelling"):
            LabelStore.open(ds, "alice")
        store.record(ids[0], GOOD)  # the refused open did not disturb the session
        with LabelStore.open(ds, "bob") as other:
            other.record(ids[0], status=LabelStatus.SKIPPED)
            assert other.current()[ids[0]].status is LabelStatus.SKIPPED
    assert _labels(ds, "alice").height == 1
    assert _labels(ds, "bob").height == 1


def test_clock_going_backwards_keeps_the_latest_decision_current(
    ds: Dataset, ids: list[str]
) -> None:
    now = [datetime(2026, 3, 1, 12, tzinfo=UTC)]
    with LabelStore.open(ds, "alice", clock=lambda: now[0]) as store:
        first = store.record(ids[0], GOOD)
        now[0] -= timedelta(days=1)
        second = store.record(ids[0], {**GOOD, "quality": 1})
        assert second.created_at > first.created_at
        assert store.current_of(ids[0]) == second
    with LabelStore.open(ds, "alice") as again:  # order also survives a reload
        assert again.current_of(ids[0]) == second


def test_labels_only_in_parquet_are_known_after_the_journal_is_lost(
    ds: Dataset, ids: list[str]
) -> None:
    with LabelStore.open(ds, "alice") as store:
        event = store.record(ids[0], GOOD)
    journal_path(ds.state_dir, "alice").unlink()  # a fresh clone on another machine
    with LabelStore.open(ds, "alice") as store:
        assert store.current() == {ids[0]: _same(event, store.current()[ids[0]])}
        undo = store.undo()
        assert undo is not None and undo.supersedes == event.label_id
        assert store.flush() is not None
    assert _labels(ds).height == 2


def _same(expected: LabelEvent, actual: LabelEvent) -> LabelEvent:
    assert actual == expected
    return actual


def test_unwritable_labels_dir_keeps_decisions_in_the_journal(
    ds: Dataset, ids: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def read_only(*_: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    store = LabelStore.open(ds, "alice", flush_every=1)
    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", read_only)
        event = store.record(ids[0], GOOD)  # the automatic flush fails quietly
        assert isinstance(store.flush_error, StorageError)
        with pytest.raises(StorageError, match="read-only or no permission"):
            store.flush()
        assert store.unflushed() == [event]
        with pytest.raises(StorageError):
            store.close()  # still releases the lock
    assert ds.label_files() == []
    with LabelStore.open(ds, "alice") as again:
        assert again.current() == {ids[0]: event}
    assert _labels(ds)["label_id"].to_list() == [event.label_id]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_read_only_labels_folder(ds: Dataset, ids: list[str]) -> None:
    ds.labels_dir.mkdir()
    ds.labels_dir.chmod(0o555)
    try:
        store = LabelStore.open(ds, "alice")
        event = store.record(ids[0], GOOD)
        with pytest.raises(StorageError, match="read-only or no permission"):
            store.flush()
        assert store.unflushed() == [event]
        with pytest.raises(StorageError):
            store.close()
    finally:
        ds.labels_dir.chmod(0o755)


def test_fragment_names_sort_by_time() -> None:
    early = fragment_name("abc123def456", 1, 9, datetime(2026, 1, 1, tzinfo=UTC))
    late = fragment_name("000000000000", 10, 12, datetime(2026, 1, 2, tzinfo=UTC))
    assert early == "20260101T000000000000Z-abc123def456-000000000001-000000000009.parquet"
    assert sorted([late, early]) == [early, late]


def test_a_corrupt_label_file_is_left_out_and_named_not_blocking(
    ds: Dataset, ids: list[str]
) -> None:
    with LabelStore.open(ds, "alice") as store:
        store.record(ids[0], GOOD)
    with LabelStore.open(ds, "alice") as store:
        store.record(ids[1], GOOD)
    first = sorted((ds.labels_dir / "annotator=alice").glob("*.parquet"))[0]
    first.write_bytes(b"PAR1 not really")
    journal_path(ds.state_dir, "alice").unlink()  # the file is the only copy left
    with LabelStore.open(ds, "alice") as store:
        assert [u.path for u in store.unreadable] == [first]
        assert set(store.current()) == {ids[1]}
        store.record(ids[2], GOOD)  # the annotator can go on labelling
    assert first.read_bytes() == b"PAR1 not really", "the bad file is left for the user"


def test_after_a_migration_the_store_serves_the_migrated_labels(
    ds: Dataset, ids: list[str], tmp_path: Path
) -> None:
    """Old-version events in the journal and in history files must not win over migrated ones."""
    old = Dataset.create(tmp_path / "old", v1(), name="old")
    write_posts(old.posts_dir / "posts.parquet", posts_table(make_posts(3)))
    post_ids = list(old.posts().select("post_id").collect()["post_id"])
    v1_values = {
        "stance_target": "favor",
        "stance_parent": "query",
        "topics": ["conflict"],
        "quality": 2,
    }
    with LabelStore.open(old, "alice") as store:
        store.record(post_ids[0], v1_values)
    upgrade_dataset(old.root, "2.0.0")
    with LabelStore.open(Dataset.open(old.root), "alice") as store:
        current = store.current_of(post_ids[0])
        assert current is not None and current.schema_version == "2.0.0"
        assert current.values["stance_parent"] == "question"
        assert current.values["topics"] == ["world"]
