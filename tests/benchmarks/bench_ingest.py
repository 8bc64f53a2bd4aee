"""Ingestion throughput: MB of raw page text per second through `ingest`, on one core."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from labeler.ingest.pipeline import ingest
from tests.benchmarks.harness import Figure, Params, benchmark, timed
from tests.benchmarks.pages import invision_page, news_page, phpbb_page

# The page: 50 MB, scaled down with the dataset size for quick runs (--posts).
FULL_PAGE_BYTES = 50_000_000
TARGET_MB_S = 5.0
_WORD = re.compile(r"\w+")


def _page_bytes(p: Params) -> int:
    return max(2_000_000, int(FULL_PAGE_BYTES * min(1.0, p.posts / 1_000_000)))


def _throughput(name: str, make: Callable[[int], str], p: Params) -> Figure:
    text = make(_page_bytes(p))
    data = text.encode("utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / f"{name}.txt"
        page.write_bytes(data)
        runs = iter(range(1_000))

        def ours() -> None:
            result = ingest([page], Path(tmp) / f"ds{next(runs)}")
            assert result.added > 0 and not any(f.error for f in result.files), result.files

        def baseline() -> None:
            # the floor of any line-based parser: decode, split lines, find the words
            decoded = page.read_bytes().decode("utf-8")
            for line in decoded.splitlines():
                _WORD.findall(line)

        seconds = timed(ours, p.repeat)
        base = timed(baseline, p.repeat)
    mb = len(data) / 1e6
    return Figure(
        f"ingest.{name}",
        mb / seconds,
        "MB/s",
        better="higher",
        target=TARGET_MB_S,
        baseline_name="decode + split lines + find words",
        baseline_value=mb / base,
        note=f"one {mb:.0f} MB page, read to Parquet written",
    )


@benchmark("ingest.throughput", "ingest one large page per engine shape, text to Parquet")
def ingest_throughput(p: Params) -> list[Figure]:
    return [
        _throughput("phpbb", phpbb_page, p),
        _throughput("invision", invision_page, p),
        _throughput("news", news_page, p),
    ]
