"""Crash tests with real processes: SIGKILL a labelling session at random moments.

A writer process (tests/e2e/writer.py) records decisions and prints each label id only
after `record` returned; the test kills it with SIGKILL after a seeded random delay, checks
what is on disk, and starts the next writer, which replays. The promise under test is
DESIGN.md's: a decision shown as saved survives a kill -9, appears exactly once in the
annotator's Parquet fragments after the next session, and every file stays readable.
No part of the store is simulated: the kill is the OS's, the files are real.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from labeler.storage.atomic import TEMP_PREFIX
from labeler.storage.dataset import Dataset
from labeler.storage.journal import Journal, journal_path
from labeler.storage.labels import read_labels
from labeler.storage.posts import posts_table, write_posts
from labeler.storage.store import LabelStore
from tests.conftest import REPO_ROOT, make_posts

pytestmark = pytest.mark.slow
ANNOTATOR = "alice"


@pytest.fixture
def ds(dataset: Dataset) -> Dataset:
    """A dataset with 40 posts: enough for re-labels and undos to mix."""
    write_posts(dataset.posts_dir / "posts.parquet", posts_table(make_posts(40)))
    return dataset


@dataclass
class Tally:
    """What the kills hit, so a run shows it exercised the windows it means to."""

    kills: int = 0
    before_replay: int = 0  # killed before the reopened store had replayed
    temp_left: int = 0  # killed while a fragment's temp file was being written
    unmarked_covered: int = 0  # killed between a fragment's rename and the marking
    unflushed: int = 0  # killed with committed decisions not yet in a fragment
    acked: set[str] = field(default_factory=set, repr=False)


def _writer(
    ds: Dataset, annotator: str, *, flush_every: int, seed: int, count: int = 0, go: bool = False
) -> subprocess.Popen[str]:
    argv = [sys.executable, "-m", "tests.e2e.writer", str(ds.root), annotator]
    argv += ["--flush-every", str(flush_every), "--count", str(count), "--seed", str(seed)]
    return subprocess.Popen(
        [*argv, *(["--wait-go"] if go else [])],
        cwd=REPO_ROOT,
        stdin=subprocess.PIPE if go else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _acks(lines: list[str]) -> list[str]:
    """Label ids of complete `ack` lines (a line cut by the kill has no newline)."""
    return [ln.split()[1] for ln in lines if ln.startswith("ack ") and ln.endswith("\n")]


def _partition(ds: Dataset, annotator: str) -> Path:
    return ds.labels_dir / f"annotator={annotator}"


def _fragment_ids(ds: Dataset, annotator: str) -> list[str]:
    """Every label id in the annotator's fragments (each must be readable), repeats kept."""
    ids: list[str] = []
    folder = _partition(ds, annotator)
    for path in sorted(folder.glob("*.parquet")) if folder.is_dir() else []:
        if not path.name.startswith(TEMP_PREFIX):
            ids += read_labels(path)[1]["label_id"].to_list()
    return ids


def _journal_state(ds: Dataset, annotator: str) -> tuple[set[str], set[str]]:
    """(all label ids, unflushed label ids) in the journal; empty if there is none yet."""
    path = journal_path(ds.state_dir, annotator)
    if not path.exists():
        return set(), set()
    journal = Journal.open(path)
    try:
        entries = journal.entries()
    finally:
        journal.close()
    return {e.event.label_id for e in entries}, {e.event.label_id for e in entries if not e.flushed}


def _check_disk(ds: Dataset, annotator: str, tally: Tally) -> set[str]:
    """After a kill: files readable, no id twice, every acknowledged id kept; all ids."""
    fragments = _fragment_ids(ds, annotator)
    repeats = [i for i, n in Counter(fragments).items() if n > 1]
    assert not repeats, f"label ids in two fragments: {repeats[:5]}"
    journal, unflushed = _journal_state(ds, annotator)
    on_disk = set(fragments) | journal
    lost = tally.acked - on_disk
    assert not lost, f"{len(lost)} acknowledged decisions lost, e.g. {sorted(lost)[:3]}"
    # Which window the kill landed in (reported, and checked to be hit at all in the end).
    if any(p.name.startswith(TEMP_PREFIX) for p in _partition(ds, annotator).glob("*")):
        tally.temp_left += 1
    if unflushed & set(fragments):
        tally.unmarked_covered += 1
    if unflushed - set(fragments):
        tally.unflushed += 1
    return on_disk


def _kill_session(
    ds: Dataset, rng: random.Random, tally: Tally, *, flush_every: int, seed: int, max_delay: float
) -> None:
    """Run one writer, kill it at a random moment, record what it acknowledged."""
    on_disk_before = _check_disk(ds, ANNOTATOR, tally)
    aim_at_open = rng.random() < 0.2  # some kills land in LabelStore.open's recovery flush
    with _writer(ds, ANNOTATOR, flush_every=flush_every, seed=seed) as proc:
        assert proc.stdout is not None
        seen = [proc.stdout.readline()]
        assert seen[0] == "opening\n", seen
        if aim_at_open:
            time.sleep(rng.uniform(0, 0.05))
        else:
            seen.append(proc.stdout.readline())
            time.sleep(rng.uniform(0, max_delay))
        proc.send_signal(signal.SIGKILL)
        rest, err = proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL, err
    seen += rest.splitlines(keepends=True)
    known_lines = [ln for ln in seen if ln.startswith("known") and ln.endswith("\n")]
    if known_lines:
        # The restart replayed exactly what the journal and the fragments hold.
        assert set(known_lines[0].split()[1:]) == on_disk_before
        assert tally.acked <= on_disk_before
    else:
        tally.before_replay += 1
    tally.acked.update(_acks(seen))
    tally.kills += 1


def _final_check(ds: Dataset, annotator: str, acked: set[str]) -> None:
    """A clean open + close flushes everything: every acked id once, in a readable file."""
    LabelStore.open(ds, annotator).close()
    fragments = _fragment_ids(ds, annotator)
    assert len(fragments) == len(set(fragments)), "a label id is in two fragments"
    assert acked <= set(fragments)
    journal, unflushed = _journal_state(ds, annotator)
    assert not unflushed
    assert set(fragments) == journal  # nothing invented, nothing left behind
    assert not [p for p in _partition(ds, annotator).iterdir() if p.name.startswith(TEMP_PREFIX)]
    mine = [p for p in ds.label_files() if p.parent == _partition(ds, annotator)]
    assert mine == sorted(_partition(ds, annotator).glob("*.parquet"))


def test_sigkill_at_random_moments_loses_no_acknowledged_decision(ds: Dataset) -> None:
    rng = random.Random(20260301)
    tally = Tally()
    for i in range(15):
        _kill_session(ds, rng, tally, flush_every=25, seed=i, max_delay=0.3)
    _check_disk(ds, ANNOTATOR, tally)
    _final_check(ds, ANNOTATOR, tally.acked)
    assert len(tally.acked) > 100, tally  # the writers did get to work
    assert tally.unflushed > 0, tally  # kills left decisions only in the journal


def test_sigkill_during_flushes_loses_nothing_and_duplicates_nothing(ds: Dataset) -> None:
    # flush_every=1: every decision writes a fragment, so most of a writer's time is spent
    # flushing and most kills land inside one (temp file, rename, marking).
    rng = random.Random(20260302)
    tally = Tally()
    for i in range(15):
        _kill_session(ds, rng, tally, flush_every=1 + i % 3, seed=100 + i, max_delay=0.25)
    _check_disk(ds, ANNOTATOR, tally)
    _final_check(ds, ANNOTATOR, tally.acked)
    assert len(tally.acked) > 50, tally
    # Kills inside a flush: mid-write of the temp file, or between the rename and the marking.
    assert tally.temp_left + tally.unmarked_covered > 0, tally


def test_two_annotators_writing_at_once_keep_all_decisions(ds: Dataset) -> None:
    procs = {
        name: _writer(ds, name, flush_every=200, seed=7 + n, count=500, go=True)
        for n, name in enumerate(("alice", "bob"))
    }
    outputs: dict[str, list[str]] = {}
    try:
        for proc in procs.values():  # both sessions open before either writes
            assert proc.stdout is not None
            assert proc.stdout.readline() == "opening\n"
            assert proc.stdout.readline().startswith("known")
        for proc in procs.values():
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        for name, proc in procs.items():
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
            outputs[name] = out.splitlines(keepends=True)
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.kill()
            proc.communicate()
    for name, lines in outputs.items():
        acked = _acks(lines)
        assert len(acked) == 500 and lines[-1] == "closed\n"
        fragments = _fragment_ids(ds, name)
        assert sorted(fragments) == sorted(acked)  # all 500, each once, nothing else
        _final_check(ds, name, set(acked))
    assert {p.parent.name for p in ds.label_files()} == {"annotator=alice", "annotator=bob"}
