"""LabelStore over earlier sessions' decisions (read as columns, the rest on demand) and
over damaged files: a corrupt label file or journal."""

from __future__ import annotations

import threading

import pytest

from labeler.domain.labels import LabelStatus
from labeler.errors import ExitCode
from labeler.storage.dataset import Dataset
from labeler.storage.journal import DamagedJournalError, Journal, journal_path
from labeler.storage.labels import read_labels
from labeler.storage.labelset import all_events, journal_paths
from labeler.storage.store import LabelStore
from tests.unit.storage.conftest import GOOD


def test_undo_walks_back_into_earlier_sessions_newest_first(ds: Dataset, ids: list[str]) -> None:
    with LabelStore.open(ds, "alice") as store:
        a = store.record(ids[0], GOOD)
        b = store.record(ids[1], GOOD)
        c = store.record(ids[0], {**GOOD, "quality": 1})
    with LabelStore.open(ds, "alice") as store:
        assert store.current_of(ids[0]) == c
        undone = [store.undo() for _ in range(4)]
        assert [u.supersedes if u else None for u in undone] == [
            c.label_id,
            b.label_id,
            a.label_id,
            None,
        ]
        assert store.current() == {}
    with LabelStore.open(ds, "alice") as store:
        assert store.undo() is None  # earlier retractions are remembered across sessions
        assert len(store.decided_before()) == 0


def test_undo_then_relabel_in_a_later_session(ds: Dataset, ids: list[str]) -> None:
    with LabelStore.open(ds, "alice") as store:
        a = store.record(ids[0], GOOD)
        b = store.record(ids[0], {**GOOD, "quality": 2})
        store.undo()  # b is retracted, a is current again
    with LabelStore.open(ds, "alice") as store:
        assert store.current_of(ids[0]) == a
        again = store.record(ids[0], {**GOOD, "quality": 5})
        assert again.supersedes == a.label_id
        assert [e.label_id for e in store.history(ids[0])][:2] == [a.label_id, b.label_id]
        undo = store.undo()
        assert undo is not None and undo.supersedes == again.label_id
        undo = store.undo()  # b stays retracted: the next live past decision is a
        assert undo is not None and undo.supersedes == a.label_id


def test_decided_before_lists_posts_with_a_current_decision(ds: Dataset, ids: list[str]) -> None:
    with LabelStore.open(ds, "alice") as store:
        store.record(ids[0], GOOD)
        store.record(ids[1], status=LabelStatus.SKIPPED)
        store.record(ids[2], GOOD)
        store.undo()
    with LabelStore.open(ds, "alice") as store:
        assert sorted(store.decided_before()) == sorted(ids[:2])
        assert store.current_of(ids[2]) is None
        assert store.has_post(ids[2]) and not store.has_post("p-none")


def test_a_corrupt_fragment_is_written_again_from_the_journal(ds: Dataset, ids: list[str]) -> None:
    with LabelStore.open(ds, "alice") as store:
        kept = [store.record(ids[0], GOOD), store.record(ids[1], GOOD)]
    (fragment,) = (ds.labels_dir / "annotator=alice").glob("*.parquet")
    fragment.write_bytes(b"PAR1 broken")
    with LabelStore.open(ds, "alice") as store:
        assert [u.path for u in store.unreadable] == [fragment]
        assert store.current() == {e.post_id: e for e in kept}
    assert fragment.read_bytes() == b"PAR1 broken", "the bad file is left for the user to see"
    files = sorted((ds.labels_dir / "annotator=alice").glob("*.parquet"))
    assert len(files) == 2
    read = all_events(ds).collect()
    assert sorted(read["label_id"]) == sorted(e.label_id for e in kept)
    with LabelStore.open(ds, "alice"):  # restored once, not again at every open
        pass
    assert len(list((ds.labels_dir / "annotator=alice").glob("*.parquet"))) == 2


@pytest.mark.parametrize("annotator", ["alice", "bob"])
def test_history_of_a_post_never_labelled_is_empty(
    ds: Dataset, ids: list[str], annotator: str
) -> None:
    with LabelStore.open(ds, "alice") as store:
        store.record(ids[0], GOOD)
    with LabelStore.open(ds, annotator) as store:
        assert store.history(ids[1]) == []
        assert store.current_of(ids[1]) is None


def test_a_damaged_journal_is_moved_aside_and_labelling_goes_on(
    ds: Dataset, ids: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    with LabelStore.open(ds, "alice") as store:
        flushed = store.record(ids[0], GOOD)
    path = journal_path(ds.state_dir, "alice")
    path.write_bytes(b"not a database " * 300)
    with LabelStore.open(ds, "alice") as store:
        assert store.current_of(ids[0]) == flushed  # from the label file
        store.record(ids[1], GOOD)
    (kept,) = ds.state_dir.glob("damaged-journal-alice-*.sqlite")
    assert kept.read_bytes() == b"not a database " * 300
    assert "moved to" in caplog.text and str(kept) in caplog.text
    assert sorted(all_events(ds).collect()["post_id"]) == sorted(ids[:2])
    assert journal_paths(ds) == [path]  # readers do not trip over the damaged copy


def test_a_damaged_journal_is_reported_as_unreadable_input(ds: Dataset) -> None:
    path = journal_path(ds.state_dir, "alice")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x00garbage" * 500)
    with pytest.raises(DamagedJournalError, match="the journal is damaged") as caught:
        Journal.open(path)
    assert caught.value.exit_code == ExitCode.UNREADABLE


def test_a_flush_from_another_thread_while_recording_loses_and_repeats_nothing(
    ds: Dataset, ids: list[str]
) -> None:
    recorded = []
    with LabelStore.open(ds, "alice", flush_every=5, auto_flush=False) as store:
        recorded += [store.record(ids[i % 3], GOOD) for i in range(5)]
        assert store.flush_due and ds.label_files() == []  # the caller flushes
        flushes = [threading.Thread(target=store.flush) for _ in range(4)]
        for thread in flushes:
            thread.start()
        recorded += [store.record(ids[i % 3], GOOD) for i in range(40)]
        for thread in flushes:
            thread.join()
    events = all_events(ds).collect()
    assert sorted(events["label_id"]) == sorted(e.label_id for e in recorded)
    rows = sum(read_labels(path)[1].height for path in ds.label_files())
    assert rows == len(recorded), "each decision in exactly one label file"
