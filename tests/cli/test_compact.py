"""`labeler compact DIR`: summary on stderr, exit codes, busy annotators, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from labeler.errors import ExitCode
from labeler.storage.dataset import Dataset
from labeler.storage.labelset import all_events
from labeler.storage.locks import AnnotatorLock
from labeler.storage.posts import posts_table, write_posts
from labeler.storage.store import LabelStore
from tests.conftest import CliRun, make_posts
from tests.unit.storage.conftest import GOOD


@pytest.fixture
def ds(dataset: Dataset) -> Dataset:
    """A dataset where alice and bob each flushed three small fragments."""
    write_posts(dataset.posts_dir / "posts.parquet", posts_table(make_posts(3)))
    ids = list(dataset.posts().select("post_id").collect()["post_id"])
    for annotator in ("alice", "bob"):
        with LabelStore.open(dataset, annotator) as store:
            for post_id in ids:
                store.record(post_id, GOOD)
                store.flush()
    return dataset


def _count(ds: Dataset, annotator: str) -> int:
    return len(list((ds.labels_dir / f"annotator={annotator}").glob("*.parquet")))


def test_compact_merges_and_summarises_on_stderr(run_cli: CliRun, ds: Dataset) -> None:
    result = run_cli("compact", ds.root)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert result.stdout == ""
    assert "alice: 3 -> 1 file(s), 3 row(s)" in result.stderr
    assert "bob: 3 -> 1 file(s), 3 row(s)" in result.stderr
    assert _count(ds, "alice") == _count(ds, "bob") == 1
    assert all_events(ds).collect().height == 6


def test_compact_twice_has_nothing_to_do(run_cli: CliRun, ds: Dataset) -> None:
    run_cli("compact", ds.root)
    result = run_cli("compact", ds.root)
    assert result.exit_code == ExitCode.OK
    assert "alice: 1 -> 1 file(s), nothing to merge" in result.stderr


def test_a_busy_annotator_is_skipped_with_exit_0(run_cli: CliRun, ds: Dataset) -> None:
    with AnnotatorLock.acquire(ds.state_dir, "bob"):
        result = run_cli("compact", ds.root)
    assert result.exit_code == ExitCode.OK
    assert "bob: skipped, busy" in result.stderr
    assert "run `labeler compact` again" in result.stderr
    assert _count(ds, "alice") == 1
    assert _count(ds, "bob") == 3


def test_an_unreadable_label_file_exits_4_after_compacting_the_rest(
    run_cli: CliRun, ds: Dataset
) -> None:
    bad = ds.labels_dir / "annotator=alice" / "bad.parquet"
    bad.write_bytes(b"garbage")
    result = run_cli("compact", ds.root)
    assert result.exit_code == ExitCode.UNREADABLE
    assert "unreadable, left in place" in result.stderr and "bad.parquet" in result.stderr
    assert bad.exists()
    assert _count(ds, "alice") == 2
    assert _count(ds, "bob") == 1


def test_a_missing_dataset_exits_4(run_cli: CliRun, tmp_path: Path) -> None:
    result = run_cli("compact", tmp_path / "nope")
    assert result.exit_code == ExitCode.UNREADABLE
    assert result.stderr.startswith("Error:")
    assert "Traceback" not in result.stderr


def test_a_dataset_without_labels(run_cli: CliRun, dataset: Dataset) -> None:
    result = run_cli("compact", dataset.root)
    assert result.exit_code == ExitCode.OK
    assert "nothing to compact" in result.stderr
