"""Compaction on real journals and Parquet: merge, locks, idempotence, crashes, history."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from labeler.domain.schema import LabelSchema
from labeler.errors import StorageError
from labeler.storage import compact as compact_module
from labeler.storage.compact import compact_dataset
from labeler.storage.dataset import Dataset
from labeler.storage.journal import Journal
from labeler.storage.labels import labels_table, read_labels, write_labels
from labeler.storage.labelset import all_events, current_labels
from labeler.storage.locks import AnnotatorLock
from labeler.storage.posts import posts_table, write_posts
from labeler.storage.store import LabelStore
from tests.conftest import make_posts
from tests.unit.storage.conftest import GOOD, event
from tests.unit.validation.schema_variants import v1


@pytest.fixture
def ds(dataset: Dataset) -> Dataset:
    """Four posts here (one more than the shared fixture): fragments of several sizes."""
    write_posts(dataset.posts_dir / "posts.parquet", posts_table(make_posts(4)))
    return dataset


def _fragments(ds: Dataset, annotator: str, count: int, ids: list[str]) -> list[str]:
    """`count` flushed fragments for `annotator`, with a re-label and an undo among them."""
    with LabelStore.open(ds, annotator, flush_every=10_000) as store:
        for i in range(count):
            store.record(ids[i % len(ids)], {**GOOD, "quality": 1 + i % 5})
            if i == 1:
                store.undo()
            store.flush()
    return sorted(all_events(ds).filter(pl.col("annotator") == annotator).collect()["label_id"])


def _files(ds: Dataset, annotator: str) -> list[Path]:
    return sorted((ds.labels_dir / f"annotator={annotator}").glob("*.parquet"))


def _rows(ds: Dataset, annotator: str) -> list[str]:
    """Every label_id in the annotator's files, duplicates included."""
    return sorted(i for path in _files(ds, annotator) for i in read_labels(path)[1]["label_id"])


def _current(ds: Dataset) -> pl.DataFrame:
    return current_labels(ds).collect().sort("post_id", "annotator")


def test_compaction_merges_each_partition_and_keeps_every_label_once(
    ds: Dataset, ids: list[str]
) -> None:
    alice = _fragments(ds, "alice", 4, ids)
    bob = _fragments(ds, "bob", 2, ids)
    before = _current(ds)
    assert len(_files(ds, "alice")) == 4
    report = compact_dataset(ds.root)
    assert [(p.annotator, p.files_before, p.files_after) for p in report.partitions] == [
        ("alice", 4, 1),
        ("bob", 2, 1),
    ]
    assert report.partitions[0].rows == len(alice) == 5  # four labels and one undo
    assert _rows(ds, "alice") == alice
    assert _rows(ds, "bob") == bob
    assert _current(ds).equals(before)
    identity, frame = read_labels(_files(ds, "alice")[0])
    assert identity.schema_id == ds.schema().schema_id
    assert frame["created_at"].is_sorted()


def test_compaction_is_idempotent(ds: Dataset, ids: list[str]) -> None:
    _fragments(ds, "alice", 3, ids)
    compact_dataset(ds.root)
    files = _files(ds, "alice")
    again = compact_dataset(ds.root)
    assert again.partitions[0].written is None
    assert again.partitions[0].files_before == again.partitions[0].files_after == 1
    assert _files(ds, "alice") == files


def test_a_busy_annotator_is_skipped_and_the_others_are_compacted(
    ds: Dataset, ids: list[str]
) -> None:
    _fragments(ds, "alice", 3, ids)
    _fragments(ds, "bob", 3, ids)
    bob_files = _files(ds, "bob")
    with AnnotatorLock.acquire(ds.state_dir, "bob"):
        report = compact_dataset(ds.root)
    assert [p.annotator for p in report.busy] == ["bob"]
    assert "already labelling" in (report.busy[0].busy or "")
    assert _files(ds, "bob") == bob_files
    assert len(_files(ds, "alice")) == 1
    compact_dataset(ds.root)  # once the session has ended
    assert len(_files(ds, "bob")) == 1


def test_a_live_session_is_never_raced(ds: Dataset, ids: list[str]) -> None:
    _fragments(ds, "alice", 3, ids)
    with LabelStore.open(ds, "alice", flush_every=10_000) as store:
        report = compact_dataset(ds.root)
        assert report.busy and len(_files(ds, "alice")) == 3
        store.record(ids[3], GOOD)
    assert len(all_events(ds).collect()) == 5


def test_a_crash_before_the_inputs_are_removed_leaves_no_duplicates(
    ds: Dataset, ids: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = _fragments(ds, "alice", 3, ids)
    before = _current(ds)

    def crash(partition: Path, paths: list[Path]) -> None:
        raise KeyboardInterrupt  # the process dies right after the merged file is written

    monkeypatch.setattr(compact_module, "remove_inputs", crash)
    with pytest.raises(KeyboardInterrupt):
        compact_dataset(ds.root)
    monkeypatch.undo()
    assert len(_files(ds, "alice")) == 4  # merged file beside its inputs
    assert len(_rows(ds, "alice")) == 2 * len(alice)
    events = all_events(ds).collect()
    assert sorted(events["label_id"]) == alice
    assert _current(ds).equals(before)
    # The lock died with the process; the next run finishes the job.
    report = compact_dataset(ds.root)
    assert report.partitions[0].files_after == 1
    assert _rows(ds, "alice") == alice
    assert _current(ds).equals(before)


def test_migration_history_and_other_versions_are_left_alone(
    ds: Dataset, ids: list[str], schema: LabelSchema
) -> None:
    _fragments(ds, "alice", 2, ids)
    old = v1()
    folder = ds.labels_dir / "annotator=alice"
    history = folder / "x.parquet"
    migrated = folder / f"x.to-{schema.version}.parquet"
    waiting = folder / "y.parquet"
    write_labels(history, labels_table([event("L1", ids[0], old)], old), old)
    write_labels(migrated, labels_table([event("L1", ids[0], schema)], schema), schema)
    write_labels(waiting, labels_table([event("L2", ids[1], old)], old), old)
    report = compact_dataset(ds.root)
    part = report.partitions[0]
    assert (part.files_before, part.files_after) == (5, 4)
    assert history.exists() and migrated.exists() and waiting.exists()
    assert sorted(part.kept) == sorted([history, migrated, waiting])
    assert "L1" in all_events(ds).collect()["label_id"].to_list()


def test_a_fragment_the_journal_has_not_marked_yet_is_kept(
    ds: Dataset, ids: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = _fragments(ds, "alice", 2, ids)
    store = LabelStore.open(ds, "alice", flush_every=10_000)
    extra = store.record(ids[3], GOOD)

    def fail(self: Journal, seqs: list[int]) -> None:
        raise StorageError("the disk is full")

    monkeypatch.setattr(Journal, "mark_flushed", fail)
    with pytest.raises(StorageError):
        store.flush()  # the fragment is written, the journal not marked
    monkeypatch.undo()
    store._journal.close()  # what kill -9 leaves
    store._lock.release()
    pending = [p for p in _files(ds, "alice") if extra.label_id in _ids_of(p)]
    report = compact_dataset(ds.root)
    assert report.partitions[0].kept == pending
    assert pending[0].exists()
    # The next session recognises the fragment and only marks its events: no copy.
    LabelStore.open(ds, "alice").close()
    assert _rows(ds, "alice") == sorted([*alice, extra.label_id])


def test_an_unreadable_file_is_left_in_place_and_the_rest_merged(
    ds: Dataset, ids: list[str]
) -> None:
    alice = _fragments(ds, "alice", 3, ids)
    bad = ds.labels_dir / "annotator=alice" / "bad.parquet"
    bad.write_bytes(b"not parquet")
    report = compact_dataset(ds.root)
    assert [u.path for u in report.unreadable] == [bad]
    assert bad.exists()
    assert report.partitions[0].files_after == 2
    assert sorted(all_events(ds).collect()["label_id"]) == alice


def test_a_dataset_without_labels_has_nothing_to_compact(ds: Dataset) -> None:
    assert compact_dataset(ds.root).partitions == []


def _ids_of(path: Path) -> list[str]:
    return list(read_labels(path)[1]["label_id"])
