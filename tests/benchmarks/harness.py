"""Benchmark harness: registered benchmarks, figures with targets, same-run baseline ratios.

Each benchmark runs in a fresh Python process so its peak RSS is its own, and reports one or
more figures. A figure may carry an absolute target (`target`) and a baseline measured in the
same run on the same data (`baseline`), with a target on the ratio value / baseline.
Targets are reported, not asserted: the machine's noise belongs in a report, not in a
pass/fail unit test.
"""

from __future__ import annotations

import json
import math
import resource
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

Better = Literal["lower", "higher"]


@dataclass(frozen=True)
class Params:
    """What every benchmark gets: the synthetic dataset and its size."""

    data_dir: Path
    posts: int
    annotators: int
    seed: int
    repeat: int


@dataclass
class Figure:
    """One measured number with what it should be and what it compares to."""

    name: str
    value: float
    unit: str
    better: Better = "lower"
    target: float | None = None
    baseline_name: str | None = None
    baseline_value: float | None = None
    ratio_target: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        """value / baseline, when there is a baseline."""
        if self.baseline_value in (None, 0):
            return None
        assert self.baseline_value is not None
        return self.value / self.baseline_value

    def _meets(self, value: float | None, goal: float | None) -> bool | None:
        if value is None or goal is None:
            return None
        return value <= goal if self.better == "lower" else value >= goal

    @property
    def target_met(self) -> bool | None:
        """Whether the absolute target holds (None when there is none)."""
        return self._meets(self.value, self.target)

    @property
    def ratio_met(self) -> bool | None:
        """Whether the ratio target holds (None when there is none)."""
        return self._meets(self.ratio, self.ratio_target)

    def to_json(self) -> dict[str, object]:
        """Figure plus derived fields, for the JSON report."""
        return {
            **asdict(self),
            "ratio": self.ratio,
            "target_met": self.target_met,
            "ratio_met": self.ratio_met,
        }


@dataclass
class Result:
    """What one benchmark process reports."""

    benchmark: str
    figures: list[Figure] = field(default_factory=list)
    peak_rss_mb: float = 0.0
    wall_s: float = 0.0
    error: str | None = None


BenchFn = Callable[[Params], list[Figure]]
REGISTRY: dict[str, tuple[BenchFn, str]] = {}


def benchmark(name: str, description: str) -> Callable[[BenchFn], BenchFn]:
    """Register a benchmark function under `name`."""

    def register(fn: BenchFn) -> BenchFn:
        REGISTRY[name] = (fn, description)
        return fn

    return register


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of `repeat` calls, in seconds."""
    samples = []
    for _ in range(max(repeat, 1)):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def percentile(samples: list[float], q: float) -> float:
    """The q-th percentile (0-100) of samples, nearest-rank."""
    ordered = sorted(samples)
    rank = max(math.ceil(q / 100 * len(ordered)) - 1, 0)
    return ordered[min(rank, len(ordered) - 1)]


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB.

    Linux's `ru_maxrss` survives fork + exec (a child starts with its parent's peak), so the
    per-address-space high-water mark VmHWM is read instead where it exists.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def stopwatch() -> Iterator[list[float]]:
    """`with stopwatch() as t:` ... then `t[0]` is the elapsed seconds."""
    box: list[float] = []
    start = time.perf_counter()
    try:
        yield box
    finally:
        box.append(time.perf_counter() - start)


def _format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if abs(value) >= 1000:
        return f"{value:,.0f} {unit}"
    return f"{value:.3g} {unit}"


def _mark(met: bool | None) -> str:
    return {True: "ok", False: "MISS", None: ""}[met]


def render_table(results: list[Result]) -> str:
    """The report as a fixed-width table."""
    header = (
        f"{'figure':38} {'value':>14} {'target':>12}     {'baseline':>14} {'ratio':>7} {'goal':>6}"
    )
    lines = [header, "-" * len(header)]
    for result in results:
        if result.error:
            lines.append(f"{result.benchmark:38} ERROR: {result.error}")
            continue
        for f in result.figures:
            op = "<=" if f.better == "lower" else ">="
            target = f"{op}{_format_value(f.target, f.unit)}" if f.target is not None else "-"
            ratio = f"{f.ratio:.2f}x" if f.ratio is not None else "-"
            goal = f"{op}{f.ratio_target:g}x" if f.ratio_target is not None else "-"
            lines.append(
                f"{f.name:38} {_format_value(f.value, f.unit):>14} {target:>12} "
                f"{_mark(f.target_met):>4} {_format_value(f.baseline_value, f.unit):>14} "
                f"{ratio:>7} {goal:>6} {_mark(f.ratio_met)}"
            )
        lines.append(f"{'':38} peak RSS {result.peak_rss_mb:,.0f} MB, wall {result.wall_s:.1f} s")
    return "\n".join(lines)


def write_report(path: Path, results: list[Result], meta: dict[str, object]) -> None:
    """The report as JSON: run parameters, then every figure with targets and ratios."""
    payload = {
        **meta,
        "results": [
            {
                "benchmark": r.benchmark,
                "peak_rss_mb": r.peak_rss_mb,
                "wall_s": r.wall_s,
                "error": r.error,
                "figures": [f.to_json() for f in r.figures],
            }
            for r in results
        ],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
