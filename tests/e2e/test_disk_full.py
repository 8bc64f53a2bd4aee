"""Full-disk tests with real processes: the label store's files really cannot grow.

A child process (tests/e2e/full_writer.py) labels under RLIMIT_FSIZE with SIGXFSZ ignored,
so the kernel refuses a write past the limit with EFBIG, the way a full disk refuses it with
ENOSPC, at whatever moment the SQLite journal or the Parquet flush really needs the room.
The promise under test is DESIGN.md's: a clear error, and previously saved decisions intact.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from labeler.errors import ExitCode
from labeler.storage.atomic import TEMP_PREFIX, storage_error
from labeler.storage.dataset import Dataset
from labeler.storage.journal import journal_path, sqlite_error
from labeler.storage.posts import posts_table, write_posts
from labeler.storage.store import LabelStore
from tests.conftest import REPO_ROOT, make_posts
from tests.e2e.full_writer import VALUES
from tests.e2e.test_crash import _fragment_ids, _journal_state, _partition

ANNOTATOR = "alice"
JOURNAL_LIMIT = 160 * 1024  # each commit appends its pages to the WAL: some decisions fill it
FLUSH_LIMIT = 96 * 1024  # room for two commits in an emptied WAL, not for a 150-row fragment
TOO_LARGE = "the file size limit is reached (File too large)"


@pytest.fixture
def ds(dataset: Dataset) -> Dataset:
    """A dataset with three posts."""
    write_posts(dataset.posts_dir / "posts.parquet", posts_table(make_posts(3)))
    return dataset


@dataclass
class Run:
    """What a full_writer session printed: its acknowledgements and its other lines by kind."""

    acks: list[tuple[str, str]] = field(default_factory=list)  # (post_id, label_id)
    said: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    before_error: int = -1  # how many acks came before the first error line

    @property
    def acked(self) -> list[str]:
        """The acknowledged label ids, in order."""
        return [label_id for _, label_id in self.acks]


def _session(ds: Dataset, *steps: str, flush_every: int = 10**6, note: int = 0) -> Run:
    """Run a full_writer session to its end and read what it printed."""
    argv = [sys.executable, "-m", "tests.e2e.full_writer", "session", str(ds.root), ANNOTATOR]
    argv += ["--flush-every", str(flush_every), "--note", str(note), *steps]
    proc = subprocess.run(
        argv, cwd=REPO_ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0 and proc.stdout.endswith("done\n"), proc.stderr
    run = Run()
    for line in proc.stdout.splitlines():
        kind, _, rest = line.partition(" ")
        if kind == "ack":
            post_id, label_id = rest.split()
            run.acks.append((post_id, label_id))
        else:
            run.said[kind].append(rest)
        if kind == "error" and run.before_error < 0:
            run.before_error = len(run.acks)
    return run


def _temps(ds: Dataset) -> list[Path]:
    """Temp files left in the annotator's partition."""
    return sorted(_partition(ds, ANNOTATOR).glob(f"{TEMP_PREFIX}*"))


def _assert_all_saved_once(ds: Dataset, acked: list[str]) -> None:
    """Reopened without a limit: every acked decision in Parquet once, nothing else anywhere."""
    LabelStore.open(ds, ANNOTATOR).close()
    fragments = _fragment_ids(ds, ANNOTATOR)
    assert sorted(fragments) == sorted(acked)
    in_journal, unflushed = _journal_state(ds, ANNOTATOR)
    assert in_journal == set(acked) and not unflushed  # no half-written decision
    assert not _temps(ds)
    db = sqlite3.connect(journal_path(ds.state_dir, ANNOTATOR))
    try:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        db.close()


def _assert_journal_full(ds: Dataset, run: Run, error: str) -> None:
    """The error names the journal, says the size limit is reached and what to do."""
    assert error.startswith(str(journal_path(ds.state_dir, ANNOTATOR))), error
    assert TOO_LARGE in error and "decisions saved before are safe" in error, error
    cause = run.said["cause"][0]
    assert cause.startswith(("SQLITE_IOERR", "SQLITE_FULL")), cause


def _assert_refused_cleanly(run: Run) -> None:
    """The post whose decision failed still has the decision acknowledged before it."""
    (current,) = run.said["current"]
    post_id, label_id = current.split()
    before = [label for post, label in run.acks[: run.before_error] if post == post_id]
    assert label_id == (before[-1] if before else "-")


def test_full_journal_refuses_a_decision_keeps_the_others_and_recovers(ds: Dataset) -> None:
    run = _session(ds, f"limit:{JOURNAL_LIMIT}", "record:100", "lift", "record:1", "close")
    (error,) = run.said["error"]  # only the decision that met the limit failed
    _assert_journal_full(ds, run, error)
    assert 2 <= run.before_error < 100  # some were saved, then the WAL met the limit
    assert len(run.acks) == run.before_error + 1  # and one more once space was back
    _assert_refused_cleanly(run)
    _assert_all_saved_once(ds, run.acked)  # including the one made once space was back


def test_session_ending_on_a_full_journal_loses_nothing(ds: Dataset) -> None:
    run = _session(ds, f"limit:{JOURNAL_LIMIT}", "record:100", "close")
    assert run.said["error"], "the journal never met the limit"
    for error in run.said["error"]:  # the decision's, then the close's (it marks the flush)
        _assert_journal_full(ds, run, error)
    _assert_refused_cleanly(run)
    # Closing under the limit may write the fragment yet fail to mark it: the reopen copes.
    _assert_all_saved_once(ds, run.acked)


def test_failed_flush_keeps_decisions_in_the_journal_until_space_is_back(ds: Dataset) -> None:
    # 149 decisions with a 2000-character note fit freely; then the WAL is emptied and the
    # limit set, so the 150th decision commits but the fragment of all 150 cannot be written.
    steps = ("record:149", "checkpoint", f"limit:{FLUSH_LIMIT}", "record:1", "record:1", "close")
    run = _session(ds, *steps, flush_every=150, note=2000)
    assert len(run.acks) == 151, run.said  # every record succeeded despite the flush
    (flush_error,) = run.said["flush_error"]
    assert flush_error.startswith(str(_partition(ds, ANNOTATOR))), flush_error
    assert TOO_LARGE in flush_error
    (close_error,) = run.said["error"]  # close flushes for real, so it reports the failure
    assert TOO_LARGE in close_error and run.said["cause"] == ["EFBIG"]
    assert not _fragment_ids(ds, ANNOTATOR) and not _temps(ds)  # no partial label file
    assert _journal_state(ds, ANNOTATOR)[1] == set(run.acked)  # all safe, none flushed
    _assert_all_saved_once(ds, run.acked)


def test_label_command_on_a_full_journal_fails_with_a_clear_error(ds: Dataset) -> None:
    post_id = sorted(ds.posts().select("post_id").collect()["post_id"])[0]
    with LabelStore.open(ds, ANNOTATOR) as store:
        saved = store.record(post_id, VALUES)
    words = ("stance_target=against", "topics=world", "quality=2")
    argv = [sys.executable, "-m", "tests.e2e.full_writer", "run", "16384"]
    argv += ["label", str(ds.root), "--annotator", ANNOTATOR, post_id, *words]
    proc = subprocess.run(
        argv, cwd=REPO_ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == ExitCode.DATA_ERRORS, proc.stderr
    assert proc.stdout == ""  # no label id: nothing was saved
    assert proc.stderr.startswith("Error: "), proc.stderr
    assert str(journal_path(ds.state_dir, ANNOTATOR)) in proc.stderr
    assert TOO_LARGE in proc.stderr and "decisions saved before are safe" in proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    with LabelStore.open(ds, ANNOTATOR) as store:
        current = store.current_of(post_id)
    assert current is not None and current.label_id == saved.label_id
    _assert_all_saved_once(ds, [saved.label_id])


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_no_space_reads_the_same_from_the_os_and_from_sqlite(tmp_path: Path) -> None:
    with (
        pytest.raises(OSError, match="No space left") as os_failure,
        open("/dev/full", "wb", buffering=0) as full,
    ):
        full.write(b"a decision")  # the kernel's real ENOSPC
    db = sqlite3.connect(tmp_path / "journal.sqlite")
    try:
        db.execute("PRAGMA max_page_count = 1")  # SQLite's own SQLITE_FULL
        with pytest.raises(sqlite3.OperationalError) as db_failure:
            db.execute("CREATE TABLE events (x)")
    finally:
        db.close()
    path = tmp_path / "file"
    for error in (storage_error(os_failure.value, path), sqlite_error(db_failure.value, path)):
        text = error.render()
        assert text.startswith(f"{path}: the disk is full. Free some space, then run"), text
        assert "saved before" in text
