"""Posts storage figures: writing with identity, loading the queue columns, loading all text."""

from __future__ import annotations

import tempfile
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from labeler.storage.dataset import Dataset
from labeler.storage.metadata import read_identity
from labeler.storage.posts import write_posts
from tests.benchmarks.harness import Figure, Params, benchmark, timed

QUEUE_COLUMNS = ["post_id", "thread_id", "position"]


@benchmark("posts.write", "write all posts with identity metadata, atomically and fsynced")
def posts_write(p: Params) -> list[Figure]:
    table = pq.read_table(Dataset.open(p.data_dir).posts_files())
    with tempfile.TemporaryDirectory(dir=p.data_dir.parent) as tmp:
        ours = timed(lambda: write_posts(Path(tmp) / "ours.parquet", table), p.repeat)
        base = timed(
            lambda: pq.write_table(
                table, Path(tmp) / "plain.parquet", compression="zstd", row_group_size=64_000
            ),
            p.repeat,
        )
    mb = table.nbytes / 1e6
    return [
        Figure(
            "posts.write",
            ours,
            "s",
            baseline_name="pyarrow write_table",
            baseline_value=base,
            ratio_target=1.15,
            note=f"{p.posts} posts, {mb:.0f} MB in memory",
        ),
    ]


@benchmark("posts.queue_columns", "open the dataset and load ids + queue columns")
def posts_queue_columns(p: Params) -> list[Figure]:
    def ours() -> pl.DataFrame:
        return Dataset.open(p.data_dir).posts().select(QUEUE_COLUMNS).collect()

    files = Dataset.open(p.data_dir).posts_files()

    def baseline() -> object:
        return pl.from_arrow(pq.read_table(files, columns=QUEUE_COLUMNS))

    ours_s = timed(ours, p.repeat)
    base_s = timed(baseline, p.repeat)
    rows = ours().height
    return [
        Figure(
            "posts.queue_columns",
            ours_s,
            "s",
            target=0.5 * p.posts / 1_000_000,
            baseline_name="pyarrow read_table",
            baseline_value=base_s,
            ratio_target=1.5,
            note=f"{rows} rows; target scales with size (0.5 s per 1M posts)",
        ),
    ]


@benchmark("posts.identity_check", "read and check the labeler identity of every posts file")
def posts_identity(p: Params) -> list[Figure]:
    files = Dataset.open(p.data_dir).posts_files()

    def ours() -> None:
        for path in files:
            read_identity(path)

    def baseline() -> None:
        for path in files:
            pq.read_schema(path)

    per_file = timed(ours, p.repeat * 5) / len(files) * 1000
    base = timed(baseline, p.repeat * 5) / len(files) * 1000
    return [
        Figure(
            "posts.identity_check_per_file",
            per_file,
            "ms",
            target=5.0,
            baseline_name="pyarrow read_schema",
            baseline_value=base,
            ratio_target=1.5,
        ),
    ]


@benchmark("posts.all_columns", "load every column of every post (what the TUI must avoid)")
def posts_all_columns(p: Params) -> list[Figure]:
    seconds = timed(lambda: Dataset.open(p.data_dir).posts().collect(), 1)
    return [
        Figure("posts.all_columns", seconds, "s", note="reference figure for on-demand text"),
    ]
