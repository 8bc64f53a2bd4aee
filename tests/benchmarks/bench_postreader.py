"""PostReader figures: what the labelling screen pays to show one post of 1M by its id.

`posts.reader` builds the display-column cache once (what the first start on a dataset
costs), then times PostReader.open with the cache present and `get` on random ids, against
the baseline of reading the post's Parquet row group with pyarrow (what reading on demand
without a cache costs). The resident memory of a process that opens the reader and shows
1000 random posts is measured in a fresh interpreter, so nothing else in this process counts,
with the cache present and (its peak) when that open has to build it.
The Parquet fallback (no writable cache) is timed too, for the record.
"""

from __future__ import annotations

import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from labeler.storage.dataset import Dataset
from labeler.storage.postcache import CACHE_NAME, DISPLAY_COLUMNS, ParquetRows
from labeler.storage.postreader import PostReader
from tests.benchmarks.harness import Figure, Params, benchmark, percentile, stopwatch

GETS = 1_000
BASELINE_READS = 20
FALLBACK_GETS = 20
ROOT = Path(__file__).resolve().parents[2]

# Run in a fresh interpreter: open the reader, show GETS posts, report resident memory.
_RSS_SCRIPT = """
import json, sys
from labeler.storage.dataset import Dataset
from labeler.storage.postreader import PostReader
ids = json.loads(sys.stdin.read())
reader = PostReader.open(Dataset.open(sys.argv[1]))
for post_id in ids:
    reader.get(post_id)
status = dict(line.split(":", 1) for line in open("/proc/self/status"))
print(json.dumps({k: int(status[k].split()[0]) / 1024 for k in ("VmRSS", "VmHWM")}))
"""


def _linked_copy(source: Path, target: Path) -> Dataset:
    """The synthetic dataset with its posts linked, so its cache goes to a temp .labeler/."""
    source = source.resolve()
    target.mkdir()
    shutil.copy2(source / "dataset.toml", target / "dataset.toml")
    shutil.copytree(source / "schemas", target / "schemas")
    (target / "posts").symlink_to(source / "posts", target_is_directory=True)
    return Dataset.open(target)


def _sample(files: list[Path], count: int, seed: int) -> list[tuple[str, Path, int, int]]:
    """`count` random posts: id, file, row group and row within it."""
    places: list[tuple[Path, int, int]] = []  # file, row group, rows
    ids: list[pa.ChunkedArray] = []
    for path in files:
        meta = pq.ParquetFile(path).metadata
        places += [(path, g, meta.row_group(g).num_rows) for g in range(meta.num_row_groups)]
        ids.append(pq.read_table(path, columns=["post_id"]).column(0))
    every = pa.chunked_array([c for column in ids for c in column.chunks])
    rows = random.Random(seed).sample(range(len(every)), count)
    starts = [0]
    for _, _, n in places:
        starts.append(starts[-1] + n)
    out = []
    for row in rows:
        g = max(i for i, s in enumerate(starts[:-1]) if s <= row)
        out.append((every[row].as_py(), places[g][0], places[g][1], row - starts[g]))
    return out


def _gets(reader: PostReader, ids: list[str]) -> list[float]:
    """Milliseconds of `reader.get` for each id."""
    samples = []
    for post_id in ids:
        start = time.perf_counter()
        reader.get(post_id)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _row_group_reads(sample: list[tuple[str, Path, int, int]]) -> list[float]:
    """Milliseconds of reading each post's row group with pyarrow and taking its row."""
    samples = []
    for post_id, path, group, row in sample:
        start = time.perf_counter()
        table = pq.ParquetFile(path).read_row_group(group, columns=list(DISPLAY_COLUMNS))
        found = table.slice(row, 1).to_pylist()[0]
        samples.append((time.perf_counter() - start) * 1000)
        assert found["post_id"] == post_id
    return samples


def _fresh_rss(dataset: Dataset, ids: list[str]) -> dict[str, float]:
    """VmRSS and VmHWM (MB) of a new process after opening the reader and GETS gets."""
    proc = subprocess.run(
        [sys.executable, "-c", _RSS_SCRIPT, str(dataset.root)],
        input=json.dumps(ids),
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    result: dict[str, float] = json.loads(proc.stdout)
    return result


@benchmark("posts.reader", "PostReader: cache build, open, get by id vs a row-group read, RSS")
def posts_reader(p: Params) -> list[Figure]:
    builds: list[float] = []
    opens: list[float] = []
    gets: list[float] = []
    open_cpus: list[float] = []
    with tempfile.TemporaryDirectory(dir=p.data_dir.parent) as tmp:
        dataset = _linked_copy(p.data_dir, Path(tmp) / "ds")
        files = dataset.posts_files()
        sample = _sample(files, GETS, p.seed)
        ids = [post_id for post_id, *_ in sample]
        for _ in range(max(p.repeat, 1)):
            (dataset.state_dir / CACHE_NAME).unlink(missing_ok=True)
            with stopwatch() as built:
                PostReader.open(dataset).close()
            builds.append(built[0])
        for _ in range(max(p.repeat, 1)):
            cpu = time.process_time()
            with stopwatch() as opened:
                reader = PostReader.open(dataset)
            opens.append(opened[0])
            open_cpus.append(time.process_time() - cpu)
            gets += _gets(reader, ids)
            reader.close()
        cache_mb = (dataset.state_dir / CACHE_NAME).stat().st_size / 1e6
        base = _row_group_reads(sample[:BASELINE_READS])
        memory = _fresh_rss(dataset, ids)
        (dataset.state_dir / CACHE_NAME).unlink()
        memory["build_peak"] = _fresh_rss(dataset, ids)["VmHWM"]
        fallback_open, fallback = _fallback(dataset, ids[:FALLBACK_GETS])
    return _figures(
        builds, (opens, open_cpus), gets, base, memory, cache_mb, fallback_open, fallback, p
    )


def _fallback(dataset: Dataset, ids: list[str]) -> tuple[float, list[float]]:
    """Seconds to open a reader straight on Parquet, and milliseconds of its gets."""
    with stopwatch() as opened:
        reader = PostReader(dataset.config, ParquetRows(dataset.posts_files()))
    gets = _gets(reader, ids)
    reader.close()
    return opened[0], gets


def _figures(
    builds: list[float],
    open_times: tuple[list[float], list[float]],
    gets: list[float],
    base: list[float],
    memory: dict[str, float],
    cache_mb: float,
    fallback_open: float,
    fallback: list[float],
    p: Params,
) -> list[Figure]:
    median = statistics.median
    opens, open_cpus = open_times
    baseline = f"pyarrow read_row_group + take one row, {len(base)} random posts"
    return [
        Figure(
            "posts.reader_build",
            median(builds),
            "s",
            note=f"first open: {p.posts:,} posts to a {cache_mb:.0f} MB Arrow cache",
        ),
        Figure("posts.reader_open", median(opens), "s", target=0.3, note="cache present"),
        Figure(
            "posts.reader_open_cpu",
            median(open_cpus),
            "s",
            note="CPU time of that open, all threads (what a loaded machine cannot inflate)",
        ),
        Figure(
            "posts.reader_get_p50",
            percentile(gets, 50),
            "ms",
            baseline_name=baseline,
            baseline_value=percentile(base, 50),
            note=f"{GETS} random ids, each read once per fresh reader, {len(gets)} gets",
        ),
        Figure(
            "posts.reader_get_p99",
            percentile(gets, 99),
            "ms",
            target=2.0,
            baseline_name=baseline,
            baseline_value=percentile(base, 99),
            note=f"{GETS} random ids, each read once per fresh reader, {len(gets)} gets",
        ),
        Figure(
            "posts.reader_rss",
            memory["VmRSS"],
            "MB",
            target=500.0,
            note=f"fresh process after open + {GETS} gets (peak {memory['VmHWM']:.0f} MB); "
            "500 MB is the whole TUI's budget",
        ),
        Figure(
            "posts.reader_build_peak_rss",
            memory["build_peak"],
            "MB",
            note=f"peak of a fresh process whose open builds the cache, then {GETS} gets",
        ),
        Figure("posts.reader_fallback_open", fallback_open, "s", note="no cache: ids from Parquet"),
        Figure(
            "posts.reader_fallback_get_p50",
            percentile(fallback, 50),
            "ms",
            note=f"no cache: {len(fallback)} gets scanning each post's row group",
        ),
    ]
