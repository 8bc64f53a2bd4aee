"""The benchmark harness itself works (tiny size): figures, targets, ratios, JSON report.

Timings are never asserted here; `make bench` reports them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polars as pl

from labeler.storage.dataset import Dataset
from labeler.validation.files import validate_paths
from tests.benchmarks.harness import Figure, percentile
from tests.benchmarks.synth import SynthSpec, ensure_dataset
from tests.conftest import REPO_ROOT


def test_synthetic_dataset_shape(tmp_path: Path) -> None:
    root = ensure_dataset(tmp_path, SynthSpec(posts=3000, annotators=2, seed=7))
    dataset = Dataset.open(root)
    posts = dataset.posts().collect()
    assert posts.height == 3000
    assert posts["post_id"].n_unique() == 3000
    per_thread = posts.group_by("thread_id").agg(
        pl.col("position").min().alias("lo"), pl.col("position").max().alias("hi"), pl.len()
    )
    assert (per_thread["lo"] == 0).all()
    assert (per_thread["hi"] == per_thread["len"] - 1).all()
    assert 40 < per_thread.height < 300  # mean thread size 25
    quoted = posts.filter(pl.col("quotes").list.len() > 0)
    assert 0.15 < quoted.height / 3000 < 0.45
    parents = quoted.select("parent_post_id").join(
        posts.select("post_id"), left_on="parent_post_id", right_on="post_id"
    )
    assert parents.height == quoted.height  # every quote points at a real earlier post
    words = posts["body"].str.split(" ").list.len()
    assert 30 < words.median() < 80  # type: ignore[operator]
    labels = pl.read_parquet(dataset.label_files())
    assert labels.height == 6000
    assert set(labels["annotator"].unique()) == {"annotator1", "annotator2"}
    assert validate_paths([root]).findings == []


def test_cache_is_reused(tmp_path: Path) -> None:
    first = ensure_dataset(tmp_path, SynthSpec(posts=500, annotators=1))
    stamp = (first / "synth.json").stat().st_mtime_ns
    again = ensure_dataset(tmp_path, SynthSpec(posts=500, annotators=1))
    assert again == first and (first / "synth.json").stat().st_mtime_ns == stamp


def test_figure_targets_and_ratios() -> None:
    lower = Figure("x", 2.0, "s", target=3.0, baseline_value=1.0, ratio_target=1.5)
    assert (lower.ratio, lower.target_met, lower.ratio_met) == (2.0, True, False)
    higher = Figure("y", 2e6, "rows/s", better="higher", target=1e6)
    assert (higher.target_met, higher.ratio, higher.ratio_met) == (True, None, None)
    assert percentile([float(i) for i in range(1, 101)], 99) == 99.0


def test_run_writes_a_report(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(REPO_ROOT / "tests" / "benchmarks" / "run.py"),
            "--posts",
            "2000",
            "--repeat",
            "1",
            "--data-dir",
            str(tmp_path / "data"),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "posts.queue_columns" in proc.stdout and "peak RSS" in proc.stdout
    report = json.loads(out.read_text())
    assert report["spec"]["posts"] == 2000
    figures = {f["name"]: f for r in report["results"] for f in r["figures"]}
    queue = figures["posts.queue_columns"]
    assert queue["value"] > 0 and queue["baseline_value"] > 0
    assert queue["ratio"] == queue["value"] / queue["baseline_value"]
    assert isinstance(queue["target_met"], bool)
    assert all(r["error"] is None and r["peak_rss_mb"] > 0 for r in report["results"])


def test_unknown_benchmark_is_a_usage_error(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            str(REPO_ROOT / "tests" / "benchmarks" / "run.py"),
            "--only",
            "nope",
            "--data-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "unknown benchmark(s): nope" in proc.stderr
