"""`make bench`: generate (or reuse) a synthetic dataset, run every benchmark, report.

    python tests/benchmarks/run.py [--posts N] [--annotators M] [--only NAME ...]

Each benchmark runs in its own process; the report is printed as a table and written as
JSON (default .bench/report.json) with every figure, its target and its baseline ratio.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.benchmarks.harness import (  # noqa: E402
    REGISTRY,
    Figure,
    Params,
    Result,
    peak_rss_mb,
    render_table,
    write_report,
)
from tests.benchmarks.synth import SynthSpec, ensure_dataset  # noqa: E402


def load_benchmarks() -> None:
    """Import every bench_*.py module so its benchmarks register themselves."""
    for path in sorted(Path(__file__).parent.glob("bench_*.py")):
        importlib.import_module(f"tests.benchmarks.{path.stem}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--posts", type=int, default=1_000_000, help="synthetic posts (1M)")
    parser.add_argument("--annotators", type=int, default=3, help="synthetic annotators")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3, help="timed repetitions (median)")
    parser.add_argument("--only", nargs="*", default=None, metavar="NAME")
    parser.add_argument("--data-dir", type=Path, default=ROOT / ".bench" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / ".bench" / "report.json")
    parser.add_argument("--list", action="store_true", help="list benchmarks and exit")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--dataset", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def run_worker(args: argparse.Namespace) -> int:
    """Inside the child process: run one benchmark, print its Result as JSON."""
    fn, _ = REGISTRY[args.worker]
    params = Params(args.dataset, args.posts, args.annotators, args.seed, args.repeat)
    start = time.perf_counter()
    figures = fn(params)
    result = Result(args.worker, figures, peak_rss_mb(), time.perf_counter() - start)
    print(json.dumps(asdict(result)))
    return 0


def run_child(name: str, dataset: Path, args: argparse.Namespace) -> Result:
    """Run one benchmark in a fresh interpreter and decode what it reports."""
    argv = [
        sys.executable,
        __file__,
        "--worker",
        name,
        "--dataset",
        str(dataset),
        "--posts",
        str(args.posts),
        "--annotators",
        str(args.annotators),
        "--seed",
        str(args.seed),
        "--repeat",
        str(args.repeat),
    ]
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return Result(name, error=f"exit {proc.returncode}: {tail}")
    payload = json.loads(proc.stdout.strip().splitlines()[-1])
    payload["figures"] = [Figure(**f) for f in payload["figures"]]
    return Result(**payload)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    load_benchmarks()
    if args.worker:
        return run_worker(args)
    if args.list:
        for name, (_, description) in REGISTRY.items():
            print(f"{name:32} {description}")
        return 0
    names = args.only or list(REGISTRY)
    unknown = [n for n in names if n not in REGISTRY]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)} (see --list)", file=sys.stderr)
        return 2
    spec = SynthSpec(args.posts, args.annotators, args.seed)
    start = time.perf_counter()
    dataset = ensure_dataset(args.data_dir, spec)
    print(
        f"dataset: {dataset} ({time.perf_counter() - start:.1f} s to generate or reuse)",
        file=sys.stderr,
    )
    results = []
    for name in names:
        print(f"running {name} ...", file=sys.stderr)
        results.append(run_child(name, dataset, args))
    print(render_table(results))
    meta = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "spec": asdict(spec),
        "repeat": args.repeat,
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
    }
    write_report(args.out, results, meta)
    print(f"report written to {args.out}", file=sys.stderr)
    return 1 if any(r.error for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
