"""Label store figures: decision commit latency, and a session's start-up on 1M posts.

`store.commit` measures what an annotator waits for after each keystroke that decides a
post: LabelStore.record, validation and the durable SQLite commit (and, every
FLUSH_EVERY decisions, the automatic flush to Parquet). Its baseline is the least any
durable write costs on the same disk: os.write + os.fdatasync of a record-sized buffer to a
file in the same directory, made alternately with the records so both meet the same noise.

`store.session` measures starting a labelling session on the synthetic dataset (1M posts,
3M labels) for an annotator who decided 90% of the posts: LabellingSession.open until the
first post to show is known, then the per-keystroke queue step, then reading the full past
(values, history) that a front end does after the first post is on screen. `store.open`
reports what LabelStore.open alone costs for an annotator with 1M events.
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

from labeler.session import LabellingSession
from labeler.storage.dataset import Dataset, default_schema
from labeler.storage.journal import Journal, journal_path, to_micros
from labeler.storage.labels import label_arrow_schema, write_labels
from labeler.storage.posts import write_posts
from labeler.storage.queue import QueueOrder
from labeler.storage.store import FLUSH_EVERY, LabelStore
from tests.benchmarks.harness import Figure, Params, benchmark, percentile, stopwatch

COMMIT_POSTS = 10_000
COMMITS = 2_000
QUEUE_ANNOTATOR = "annotator1"
UNDECIDED_SHARE = 0.10
STEPS = 1_000
AGED_EVENTS = 100_000
AGED_COMMITS = COMMITS  # as many as fresh, so the flushes (1 in FLUSH_EVERY) lie above p99

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


def _record_latencies(
    dataset: Dataset, annotator: str, folder: Path, count: int = COMMITS
) -> tuple[list[float], list[float]]:
    """Milliseconds of each of `count` LabelStore.record calls in one session, and of as
    many baseline writes (`_BaselineLog`) made alternately with them, so that both see the
    same moments of a shared machine's noise."""
    post_ids = dataset.posts().select("post_id").collect()["post_id"].to_list()
    ours: list[float] = []
    base: list[float] = []
    with LabelStore.open(dataset, annotator) as store, _BaselineLog(folder) as log:
        for i in range(count):
            post_id = post_ids[i % len(post_ids)]
            start = time.perf_counter()
            store.record(post_id, VALUES, duration_ms=1200)
            ours.append((time.perf_counter() - start) * 1000)
            base.append(log.write())
    return ours, base


class _BaselineLog:
    """The least a durable write costs on this disk: append a record-sized buffer to a file
    in the same folder and fdatasync it."""

    RECORD = (b'{"post_id":"p0123456789abcdef","values":{"quality":4}}' * 4)[:200] + b"\n"

    def __init__(self, folder: Path) -> None:
        self.path = folder / "baseline.log"

    def __enter__(self) -> _BaselineLog:
        self.fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        return self

    def __exit__(self, *_: object) -> None:
        os.close(self.fd)

    def write(self) -> float:
        """Milliseconds of one append + fdatasync."""
        start = time.perf_counter()
        os.write(self.fd, self.RECORD)
        os.fdatasync(self.fd)
        return (time.perf_counter() - start) * 1000


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


@benchmark("store.commit", "LabelStore.record latency (validate + durable commit) vs fdatasync")
def store_commit(p: Params) -> list[Figure]:
    source = Dataset.open(p.data_dir)
    p50s, p99s, maxes, base50, base99 = [], [], [], [], []
    # On the benchmark data's disk, not /tmp: a tmpfs would make every fsync free.
    with tempfile.TemporaryDirectory(dir=p.data_dir.parent) as tmp:
        dataset = _commit_dataset(Path(tmp) / "ds", source)
        for r in range(max(p.repeat, 1)):
            ours, base = _record_latencies(dataset, f"bench{r}", Path(tmp))
            p50s.append(percentile(ours, 50))
            p99s.append(percentile(ours, 99))
            maxes.append(max(ours))
            base50.append(percentile(base, 50))
            base99.append(percentile(base, 99))
        # The same session on a journal that has seen a season of work.
        _age_journal(dataset, "aged", AGED_EVENTS)
        aged, aged_base = _record_latencies(dataset, "aged", Path(tmp), AGED_COMMITS)
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
            baseline_value=percentile(aged_base, 50),
            note=f"{AGED_COMMITS} records on a journal already holding {AGED_EVENTS:,} events",
        ),
        Figure(
            "store.commit_p99_aged",
            percentile(aged, 99),
            "ms",
            target=2.0,
            baseline_name="os.write + fdatasync p99",
            baseline_value=percentile(aged_base, 99),
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


RESUME_ANNOTATOR = "resume"


def _session_dataset(source: Path, target: Path) -> Dataset:
    """The synthetic dataset (linked) plus an annotator who decided the first 90% of the
    posts annotator1 labelled, so a session has a queue to resume."""
    dataset = _linked_copy(source, target)
    files = sorted((dataset.labels_dir / f"annotator={QUEUE_ANNOTATOR}").glob("*.parquet"))
    labels = pl.read_parquet(files)
    kept = labels.head(int(labels.height * (1 - UNDECIDED_SHARE)))
    kept = kept.with_columns(annotator=pl.lit(RESUME_ANNOTATOR), review=pl.lit(None, pl.String))
    schema = dataset.schema()
    table = kept.to_arrow().cast(label_arrow_schema(schema))
    partition = dataset.labels_dir / f"annotator={RESUME_ANNOTATOR}"
    write_labels(partition / "resume-00000.parquet", table, schema)
    return dataset


@benchmark("store.session", "session start on 1M posts / 3M labels: store, queue, first post")
def store_session(p: Params) -> list[Figure]:
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(dir=p.data_dir.parent) as tmp:
        dataset = _session_dataset(p.data_dir, Path(tmp) / "ds")
        for order in (QueueOrder.DOCUMENT, QueueOrder.RANDOM):
            starts, loads = [], []
            for _ in range(max(p.repeat, 1)):
                with stopwatch() as start_s:
                    session = LabellingSession.open(dataset, RESUME_ANNOTATOR, order=order)
                assert session.post_id is not None
                with stopwatch() as load_s:
                    session.store.past.load()
                starts.append(start_s[0])
                loads.append(load_s[0])
                steps = _queue_steps(session)
                remaining = session.progress().remaining
                session.close()
            figures += _session_figures(order, starts, loads, steps, remaining)
    return figures


def _queue_steps(session: LabellingSession) -> list[float]:
    """Milliseconds of each next + decide on the session's queue (the per-keystroke part
    that is not the durable commit, which store.commit measures)."""
    queue, steps = session.queue, []
    for _ in range(min(STEPS, queue.remaining)):  # a small dataset has fewer
        start = time.perf_counter()
        post_id = queue.next()
        assert post_id is not None
        queue.decide(post_id)
        steps.append((time.perf_counter() - start) * 1000)
    return steps


def _session_figures(
    order: QueueOrder, starts: list[float], loads: list[float], steps: list[float], left: int
) -> list[Figure]:
    note = (
        f"{order} order; LabellingSession.open: lock, journal, replay, the annotator's "
        f"current decisions, queue; first post ready; {left:,} undecided"
    )
    return [
        Figure(
            f"store.session_start_{order}", statistics.median(starts), "s", target=1.0, note=note
        ),
        Figure(
            f"store.queue_step_p99_{order}",
            percentile(steps, 99),
            "ms",
            target=20.0,
            note=f"next undecided + decide, {len(steps)} steps after start-up",
        ),
        Figure(
            f"store.past_load_{order}",
            statistics.median(loads),
            "s",
            note="reading every past event (values, history) on first need, after start-up",
        ),
    ]


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
            note=f"{QUEUE_ANNOTATOR}: 1M events; reads the key columns and the current "
            "decision of each post",
        ),
        Figure("store.close", statistics.median(closes), "s", note="nothing unflushed"),
    ]


def _linked_copy(source: Path, target: Path) -> Dataset:
    """The synthetic dataset with its data files linked, so the cached copy gets no
    .labeler/ state (journal, lock) from the session opened on it."""
    source = source.resolve()  # links must not depend on the current directory
    target.mkdir()
    shutil.copy2(source / "dataset.toml", target / "dataset.toml")
    shutil.copytree(source / "schemas", target / "schemas")
    (target / "posts").symlink_to(source / "posts", target_is_directory=True)
    partition = Path("labels") / f"annotator={QUEUE_ANNOTATOR}"
    (target / partition).mkdir(parents=True)
    for path in (source / partition).glob("*.parquet"):
        (target / partition / path.name).symlink_to(path)
    return Dataset.open(target)
