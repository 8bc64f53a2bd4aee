"""Reading every label of a dataset: fragments, live journals, lineages, bad files."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from labeler.domain.labels import LabelEvent, LabelStatus
from labeler.domain.schema import LabelSchema
from labeler.errors import CorruptInputError
from labeler.storage.dataset import Dataset
from labeler.storage.labels import labels_table, write_labels
from labeler.storage.labelset import all_events, current_labels, load_labels
from labeler.storage.store import LabelStore
from tests.unit.storage.conftest import GOOD, event
from tests.unit.validation.schema_variants import v1

NO_AUTO_FLUSH = 10_000


def _ids(frame: pl.LazyFrame) -> list[str]:
    return sorted(frame.collect()["label_id"])


def _write(ds: Dataset, name: str, events: list[LabelEvent], schema: LabelSchema) -> Path:
    path = ds.labels_dir / "annotator=alice" / name
    write_labels(path, labels_table(events, schema), schema)
    return path


def test_no_labels_gives_an_empty_frame_with_the_label_columns(ds: Dataset) -> None:
    events = all_events(ds).collect()
    assert events.height == 0
    assert "values" in events.columns and "label_id" in events.columns
    assert current_labels(ds).collect().height == 0
    assert not ds.state_dir.exists() or not list(ds.state_dir.glob("journal-*"))


def test_journal_only_events_are_visible_without_disturbing_the_writer(
    ds: Dataset, ids: list[str]
) -> None:
    with LabelStore.open(ds, "alice", flush_every=NO_AUTO_FLUSH) as store:
        first = store.record(ids[0], GOOD)
        second = store.record(ids[1], GOOD)
        assert _ids(all_events(ds)) == sorted([first.label_id, second.label_id])
        # The reader left the journal alone: the session keeps writing and flushing.
        third = store.record(ids[2], GOOD)
        assert len(_ids(all_events(ds))) == 3
        assert store.flush() is not None
    assert _ids(all_events(ds)) == sorted([first.label_id, second.label_id, third.label_id])


def test_an_event_in_a_fragment_and_the_journal_counts_once(
    ds: Dataset, ids: list[str], schema: LabelSchema
) -> None:
    with LabelStore.open(ds, "alice", flush_every=NO_AUTO_FLUSH) as store:
        store.record(ids[0], GOOD)
        store.record(ids[1], GOOD)
        # What a crash between writing a fragment and marking the journal leaves.
        _write(ds, "crash.parquet", store.unflushed(), schema)
        events = all_events(ds).collect()
        assert events.height == 2
        assert events["label_id"].n_unique() == 2


def test_retractions_and_relabels_give_the_current_label(ds: Dataset, ids: list[str]) -> None:
    with LabelStore.open(ds, "alice", flush_every=2) as store:
        first = store.record(ids[0], GOOD)
        store.record(ids[0], {**GOOD, "quality": 1})
        store.undo()  # back to `first`
        store.record(ids[1], GOOD)
        store.undo()  # nothing left on ids[1]
        skipped = store.record(ids[2], status=LabelStatus.SKIPPED)
    current = current_labels(ds).collect()
    assert sorted(current["label_id"]) == sorted([first.label_id, skipped.label_id])
    by_post = {row["post_id"]: row for row in current.iter_rows(named=True)}
    assert by_post[ids[0]]["values"]["quality"] == 4
    assert by_post[ids[2]]["status"] == LabelStatus.SKIPPED.value
    assert ids[1] not in by_post
    assert all_events(ds).collect().height == 6  # every event is kept


def test_flagged_counts_as_the_current_decision(ds: Dataset, ids: list[str]) -> None:
    with LabelStore.open(ds, "alice") as store:
        store.record(ids[0], GOOD)
        flagged = store.record(ids[0], status=LabelStatus.FLAGGED)
    assert current_labels(ds).collect()["label_id"].to_list() == [flagged.label_id]


def test_two_annotators_each_have_their_current_label(ds: Dataset, ids: list[str]) -> None:
    with LabelStore.open(ds, "alice") as alice:
        alice.record(ids[0], GOOD)
    with (
        LabelStore.open(ds, "bob", flush_every=NO_AUTO_FLUSH) as bob,
        LabelStore.open(ds, "carol", flush_every=NO_AUTO_FLUSH) as carol,
    ):
        bob.record(ids[0], {**GOOD, "quality": 2})
        carol.record(ids[1], GOOD)
        current = current_labels(ds).collect()
    pairs = sorted(current.select("post_id", "annotator").iter_rows())
    assert pairs == sorted([(ids[0], "alice"), (ids[0], "bob"), (ids[1], "carol")])


def test_only_the_newest_file_of_each_lineage_on_the_current_version_is_read(
    ds: Dataset, ids: list[str], schema: LabelSchema
) -> None:
    old = v1()
    assert old.version != schema.version
    _write(ds, "x.parquet", [event("L1", ids[0], old)], old)
    migrated = _write(ds, f"x.to-{schema.version}.parquet", [event("L1", ids[0], schema)], schema)
    waiting = _write(ds, "y.parquet", [event("L2", ids[1], old)], old)
    labels = load_labels(ds)
    events = labels.events.collect()
    assert events["label_id"].to_list() == ["L1"]
    assert events["schema_version"].to_list() == [schema.version]
    assert labels.files == [migrated]
    assert [info.path for info in labels.other_versions] == [waiting]
    assert labels.unreadable == []


def test_a_corrupt_fragment_is_skipped_and_reported(
    ds: Dataset, ids: list[str], schema: LabelSchema, caplog: pytest.LogCaptureFixture
) -> None:
    _write(ds, "good.parquet", [event("L1", ids[0], schema)], schema)
    bad = ds.labels_dir / "annotator=alice" / "bad.parquet"
    bad.write_bytes(b"PAR1 not really parquet")
    labels = load_labels(ds)
    assert labels.events.collect()["label_id"].to_list() == ["L1"]
    assert [u.path for u in labels.unreadable] == [bad]
    assert "Parquet" in labels.unreadable[0].reason
    assert _ids(all_events(ds)) == ["L1"]
    assert "bad.parquet" in caplog.text
    with pytest.raises(CorruptInputError, match=r"bad\.parquet"):
        all_events(ds, strict=True)
    with pytest.raises(CorruptInputError):
        current_labels(ds, strict=True)


def test_a_fragment_with_a_damaged_body_is_skipped(
    ds: Dataset, ids: list[str], schema: LabelSchema
) -> None:
    _write(ds, "good.parquet", [event("L1", ids[0], schema)], schema)
    bad = _write(ds, "bad.parquet", [event("L2", ids[1], schema)], schema)
    data = bytearray(bad.read_bytes())
    data[4:40] = b"\xff" * 36  # the first column chunk; the footer still reads
    bad.write_bytes(bytes(data))
    labels = load_labels(ds)
    assert labels.events.collect()["label_id"].to_list() == ["L1"]
    assert [u.path for u in labels.unreadable] == [bad]


def test_equal_times_fall_to_the_larger_label_id(
    ds: Dataset, ids: list[str], schema: LabelSchema
) -> None:
    _write(ds, "a.parquet", [event("L2", ids[0], schema)], schema)
    _write(ds, "b.parquet", [event("L1", ids[0], schema)], schema)
    assert current_labels(ds).collect()["label_id"].to_list() == ["L2"]
