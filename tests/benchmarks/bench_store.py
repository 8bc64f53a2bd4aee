"""Label store figures: decision commit latency, and a session's start-up on 1M posts.

`store.commit` measures what an annotator waits for after each keystroke that decides a
post: LabelStore.record, validation and the durable SQLite commit (and, every
FLUSH_EVERY decisions, the automatic flush to Parquet). Its baseline is the least any
durable write costs on the same disk: os.write + os.fdatasync of a record-sized buffer to a
file in the same directory, measured in the same run.

`store.queue` measures starting a session on the synthetic dataset (1M posts, 3M labels):
the queue of undecided posts and the first post to show. `store.open` reports what
LabelStore.open itself costs there, which loads every event of the annotator.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from labeler.storage.dataset import Dataset, default_schema
from labeler.storage.journal import Journal, journal_path, to_micros
from labeler.storage.posts import write_posts
from labeler.storage.queue import Queue, QueueOrder, queue_order
from labeler.storage.store import FLUSH_EVERY, LabelStore
from tests.benchmarks.harness import Figure, Params, benchmark, percentile, stopwatch

COMMIT_POSTS = 10_000
COMMITS = 2_000
QUEUE_ANNOTATOR = "annotator1"
UNDECIDED_SHARE = 0.10
STEPS = 1_000
AGED_EVENTS = 100_000
AGED_COMMITS = 200

# A complete, valid label of the default schema, as a keystroke would produce it.
VALUES: dict[str, Any] = {
    "stance_target": "favor",
    "topics": ["politics"],
    "quality": 4,
    "sarcastic": False,
}


def _commit_dataset(root: Path, source: Dataset) -> Dataset:
    """A fresh dataset of the first COMMIT_POSTS synthetic posts, on the default schema."""
    dataset = Dataset.create(root, default_schema(), name="bench-commit")
    batch = next(pq.ParquetFile(source.posts_files()[0]).iter_batches(batch_size=COMMIT_POSTS))
    write_posts(dataset.posts_dir / "posts.parquet", pa.Table.from_batches([batch]))
    return dataset


def _record_latencies(dataset: Dataset, annotator: str, count: int = COMMITS) -> list[float]:
    """Milliseconds of each of `count` LabelStore.record calls in one session."""
    post_ids = dataset.posts().select("post_id").collect()["post_id"].to_list()
    samples: list[float] = []
    with LabelStore.open(dataset, annotator) as store:
        for i in range(count):
            post_id = post_ids[i % len(post_ids)]
            start = time.perf_counter()
            store.record(post_id, VALUES, duration_ms=1200)
            samples.append((time.perf_counter() - start) * 1000)
    return samples


def _age_journal(dataset: Dataset, annotator: str, events: int) -> None:
    """Give `annotator` a journal that already holds `events` flushed decisions, as after
    weeks of labelling (the journal keeps every row). Filled in one transaction, since
    committing them one by one would take minutes; the file is the journal's own."""
    post_ids = dataset.posts().select("post_id").collect()["post_id"].to_list()
    path = journal_path(dataset.state_dir, annotator)
    Journal.open(path).close()  # the real file: tables, indexes, journal id
    schema = dataset.schema()
    stored = json.dumps(VALUES, sort_keys=True)
    start = to_micros(datetime(2026, 1, 1, tzinfo=UTC))
    rows = [
        (
            uuid.uuid4().hex,
            post_ids[i % len(post_ids)],
            annotator,
            schema.schema_id,
            schema.version,
            stored,
            "labelled",
            start + i * 1000,
            1200,
            1,
        )
        for i in range(events)
    ]
    with sqlite3.connect(path) as db:
        db.executemany(
            "INSERT INTO events (label_id, post_id, annotator, schema_id, schema_version, "
            '"values", status, created_at, duration_ms, flushed) VALUES (?,?,?,?,?,?,?,?,?,?)',
            rows,
        )
    db.close()


def _fdatasync_latencies(folder: Path) -> list[float]:
    """Milliseconds of COMMITS appends + fdatasync of a record-sized buffer."""
    record = (b'{"post_id":"p0123456789abcdef","values":{"quality":4}}' * 4)[:200] + b"\n"
    fd = os.open(folder / "baseline.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    samples: list[float] = []
    try:
        for _ in range(COMMITS):
            start = time.perf_counter()
            os.write(fd, record)
            os.fdatasync(fd)
            samples.append((time.perf_counter() - start) * 1000)
    finally:
        os.close(fd)
    return samples


@benchmark("store.commit", "LabelStore.record latency (validate + durable commit) vs fdatasync")
def store_commit(p: Params) -> list[Figure]:
    source = Dataset.open(p.data_dir)
    p50s, p99s, maxes, base50, base99 = [], [], [], [], []
    # On the benchmark data's disk, not /tmp: a tmpfs would make every fsync free.
    with tempfile.TemporaryDirectory(dir=p.data_dir.parent) as tmp:
        dataset = _commit_dataset(Path(tmp) / "ds", source)
        for r in range(max(p.repeat, 1)):
            ours = _record_latencies(dataset, f"bench{r}")
            base = _fdatasync_latencies(Path(tmp))
            p50s.append(percentile(ours, 50))
            p99s.append(percentile(ours, 99))
            maxes.append(max(ours))
            base50.append(percentile(base, 50))
            base99.append(percentile(base, 99))
        # The same session on a journal that has seen a season of work.
        _age_journal(dataset, "aged", AGED_EVENTS)
        aged = _record_latencies(dataset, "aged", AGED_COMMITS)
        posts = dataset.posts().select(pl.len()).collect().item()
    median = statistics.median
    setup = f"{COMMITS} records on {posts} posts, median of {max(p.repeat, 1)} sessions"
    return [
        Figure(
            "store.commit_p50",
            median(p50s),
            "ms",
            baseline_name="os.write + fdatasync p50",
            baseline_value=median(base50),
            note=setup,
        ),
        Figure(
            "store.commit_p99",
            median(p99s),
            "ms",
            target=2.0,
            baseline_name="os.write + fdatasync p99",
            baseline_value=median(base99),
            ratio_target=2.0,
            note=f"{setup}; the automatic flush (1 record in {FLUSH_EVERY}) lies above p99",
        ),
        Figure(
            "store.commit_p50_aged",
            percentile(aged, 50),
            "ms",
            baseline_name="os.write + fdatasync p50",
            baseline_value=median(base50),
            note=f"{AGED_COMMITS} records on a journal already holding {AGED_EVENTS:,} events",
        ),
        Figure(
            "store.commit_p99_aged",
            percentile(aged, 99),
            "ms",
            target=2.0,
            baseline_name="os.write + fdatasync p99",
            baseline_value=median(base99),
            ratio_target=2.0,
            note=f"{AGED_COMMITS} records on a journal already holding {AGED_EVENTS:,} events",
        ),
        Figure(
            "store.commit_max",
            median(maxes),
            "ms",
            note=f"slowest record of a session: one that triggers the flush of {FLUSH_EVERY}",
        ),
    ]


def _start_session(data_dir: Path, order: QueueOrder) -> Queue:
    """What a session does before showing a post: posts' queue columns, decided ids, queue."""
    dataset = Dataset.open(data_dir)
    files = sorted((dataset.labels_dir / f"annotator={QUEUE_ANNOTATOR}").glob("*.parquet"))
    labelled = pl.read_parquet(files, columns=["post_id"])["post_id"]
    # Synth labels every post once, without retractions, so its post ids are its decisions;
    # leave the last rows undecided so there is a queue to resume.
    decided = labelled.head(int(len(labelled) * (1 - UNDECIDED_SHARE)))
    return Queue(queue_order(dataset.posts(), order), decided)


@benchmark("store.queue", "session start on 1M posts: undecided queue and first post")
def store_queue(p: Params) -> list[Figure]:
    figures: list[Figure] = []
    note = (
        f"{QUEUE_ANNOTATOR}'s label post ids, last {UNDECIDED_SHARE:.0%} of rows left "
        "undecided (synth labels every post)"
    )
    for order in (QueueOrder.DOCUMENT, QueueOrder.RANDOM):
        starts, firsts = [], []
        for _ in range(max(p.repeat, 1)):
            with stopwatch() as start_s:
                queue = _start_session(p.data_dir, order)
            with stopwatch() as first_s:
                first = queue.next()
            assert first is not None
            starts.append(start_s[0])
            firsts.append(first_s[0] * 1000)
        # Then labelling on: next, decide, next... (the per-keystroke queue cost).
        steps: list[float] = []
        for _ in range(min(STEPS, queue.remaining)):  # a small dataset has fewer
            start = time.perf_counter()
            post_id = queue.next()
            assert post_id is not None
            queue.decide(post_id)
            steps.append((time.perf_counter() - start) * 1000)
        figures += [
            Figure(
                f"store.queue_startup_{order}",
                statistics.median(starts),
                "s",
                target=1.0,
                note=f"{order} order; {note}; {queue.remaining:,} undecided",
            ),
            Figure(
                f"store.queue_first_next_{order}",
                statistics.median(firsts),
                "ms",
                target=20.0,
                note="first undecided post after start-up",
            ),
            Figure(
                f"store.queue_step_p99_{order}",
                percentile(steps, 99),
                "ms",
                target=20.0,
                note=f"next + decide, {len(steps)} steps",
            ),
        ]
    return figures


@benchmark("store.open", "LabelStore.open on 1M posts with 1M labels of the annotator")
def store_open(p: Params) -> list[Figure]:
    opens, closes = [], []
    with tempfile.TemporaryDirectory(dir=p.data_dir.parent) as tmp:
        dataset = _linked_copy(p.data_dir, Path(tmp) / "ds")
        for _ in range(max(p.repeat, 1)):
            with stopwatch() as opened:
                store = LabelStore.open(dataset, QUEUE_ANNOTATOR)
            with stopwatch() as closed:
                store.close()
            opens.append(opened[0])
            closes.append(closed[0])
    return [
        Figure(
            "store.open",
            statistics.median(opens),
            "s",
            note=f"{QUEUE_ANNOTATOR}: loads every event of the annotator from Parquet into "
            "memory, plus all post ids; no target set",
        ),
        Figure("store.close", statistics.median(closes), "s", note="nothing unflushed"),
    ]


def _linked_copy(source: Path, target: Path) -> Dataset:
    """The synthetic dataset with its data files linked, so the cached copy gets no
    .labeler/ state (journal, lock) from the session opened on it."""
    target.mkdir()
    shutil.copy2(source / "dataset.toml", target / "dataset.toml")
    shutil.copytree(source / "schemas", target / "schemas")
    (target / "posts").symlink_to(source / "posts", target_is_directory=True)
    partition = Path("labels") / f"annotator={QUEUE_ANNOTATOR}"
    (target / partition).mkdir(parents=True)
    for path in (source / partition).glob("*.parquet"):
        (target / partition / path.name).symlink_to(path)
    return Dataset.open(target)
