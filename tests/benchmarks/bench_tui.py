"""Labelling TUI figures (issue 6), measured on the real `labeler annotate` in a pseudo-terminal.

Each program runs in a 120x30 pty whose output is fed to a terminal emulator (pyte), as in
tests/e2e. A figure is the time until the screen shows something: the post id in the status
line. Output is read as soon as it arrives (select, no polling interval), all of a burst
before any is parsed, and stamped when its end was read: pyte's parse time (measured, in the
notes) is not counted; the pty transfer is (the trivial app's whole round trip bounds it).

`tui.key_skip_*` time ctrl+k (skip: a durable decision, then the next undecided post) until
the next post's id is on screen, `tui.key_right_p99` the move on without deciding. Their
baseline is a trivial Textual app that swaps one Static's text per key in the same pty: both
include Textual's input thread, its screen update timer (which fires at once after idle),
the pty and the synthetic 1M posts' work for the labeler. `tui.start_*` time spawning the
process until the first post's id is on screen, first with no display cache under
`.labeler/` (it is built) and then warm; the baseline is the trivial app's start to its
first frame. `tui.rss_*` / `tui.hwm_*` read VmRSS and VmHWM from /proc/<pid>/status.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Sequence
from pathlib import Path

import pyte

from labeler.storage.postcache import CACHE_NAME
from tests.benchmarks.bench_store import RESUME_ANNOTATOR, _session_dataset
from tests.benchmarks.harness import Figure, Params, benchmark, percentile

COLUMNS, LINES = 120, 30  # 80 columns would cut the post id off the status line
KEYS = 200
GAP_S = 0.04  # pause between keys, so each is timed from an idle app (a fast typist's pace)
START_TIMEOUT_S = 120.0
CTRL_K, RIGHT, CTRL_Q = b"\x0b", b"\x1b[C", b"\x11"
POST_ID = re.compile(r"· (p[0-9a-f]{8,})\s*$", re.MULTILINE)
COUNTER = re.compile(r"post (\d+)")

TRIVIAL_APP = """
from textual.app import App
from textual.widgets import Static

class Trivial(App):
    BINDINGS = [("ctrl+k", "next", "next")]
    shown = 0

    def compose(self):
        yield Static("post 0", id="status")

    def action_next(self):
        self.shown += 1
        self.query_one("#status", Static).update(f"post {self.shown}")

Trivial().run()
"""


class Program:
    """A program in a pty of COLUMNS x LINES, its screen read through pyte as it arrives."""

    def __init__(self, argv: Sequence[str], env: dict[str, str], marker: re.Pattern[str]) -> None:
        self.screen = pyte.Screen(COLUMNS, LINES)
        self.stream = pyte.ByteStream(self.screen)
        self.marker = marker
        self.parse_s = 0.0  # time spent in pyte since the last reset
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self.master = master

    def shown(self) -> str | None:
        """The marker's last match on screen now, if any."""
        found = self.marker.findall("\n".join(self.screen.display))
        return str(found[-1]) if found else None

    def wait_change(self, old: str | None, timeout: float) -> float:
        """perf_counter when output first made the marker differ from `old`."""
        end = time.perf_counter() + timeout
        while (left := end - time.perf_counter()) > 0:
            ready, _, _ = select.select([self.master], [], [], left)
            if not ready:
                break
            data, arrived = self._read_burst()
            parsing = time.perf_counter()
            self.stream.feed(data)
            self.parse_s += time.perf_counter() - parsing
            if (now := self.shown()) is not None and now != old:
                return arrived
        raise TimeoutError(f"screen unchanged from {old!r}:\n" + "\n".join(self.screen.display))

    def _read_burst(self) -> tuple[bytes, float]:
        """All the output written so far, read before any is parsed (a frame spans several
        reads, and parsing one would delay reading the next), and when its end was read."""
        chunks = []
        while True:
            chunks.append(os.read(self.master, 1 << 16))
            arrived = time.perf_counter()
            if not select.select([self.master], [], [], 0)[0]:
                return b"".join(chunks), arrived

    def drain(self, seconds: float) -> None:
        """Read (and parse) whatever arrives within `seconds`."""
        end = time.perf_counter() + seconds
        while (left := end - time.perf_counter()) > 0:
            if not select.select([self.master], [], [], left)[0]:
                return
            self.stream.feed(os.read(self.master, 1 << 16))

    def key_latency(self, key: bytes) -> float:
        """Milliseconds from writing `key` until the marker changes."""
        self.drain(GAP_S)
        old = self.shown()
        self.parse_s = 0.0
        sent = time.perf_counter()
        os.write(self.master, key)
        return (self.wait_change(old, 10.0) - sent) * 1000

    def memory_mb(self) -> tuple[float, float]:
        """VmRSS and VmHWM of the process, in MB."""
        fields = dict(
            line.split(":", 1)
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines()
        )
        return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024

    def quit(self) -> None:
        """Ctrl+q, wait for the exit (draining output), or SIGKILL after 60 s."""
        end = time.perf_counter() + 60
        try:
            os.write(self.master, CTRL_Q)
            while self.process.poll() is None and time.perf_counter() < end:
                self.drain(0.05)
        except OSError:  # the program has ended and the pty is closed
            pass
        self.close()

    def close(self) -> None:
        """Never leave the program running."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        os.close(self.master)


def _env(config: Path) -> dict[str, str]:
    """The user's environment with a real terminal of our size and no user key file."""
    env = {**os.environ, "TERM": "xterm-256color", "XDG_CONFIG_HOME": str(config)}
    env.update(COLUMNS=str(COLUMNS), LINES=str(LINES))  # Textual prefers these to the pty's
    env.pop("NO_COLOR", None)
    return env


def _annotate(dataset: Path, env: dict[str, str]) -> Program:
    argv = [sys.executable, "-m", "labeler", "annotate", str(dataset)]
    return Program([*argv, "--annotator", RESUME_ANNOTATOR], env, POST_ID)


def _trivial(env: dict[str, str]) -> Program:
    return Program([sys.executable, "-c", TRIVIAL_APP], env, COUNTER)


def _start(program: Program) -> float:
    """Seconds from spawning the program until its marker is on screen."""
    return program.wait_change(None, START_TIMEOUT_S) - program.started


def _keys(program: Program, key: bytes, count: int) -> tuple[list[float], list[float]]:
    """Latencies of `count` presses of `key` and pyte's parse time of each, in ms."""
    latencies, parses = [], []
    for _ in range(count):
        latencies.append(program.key_latency(key))
        parses.append(program.parse_s * 1000)
    return latencies, parses


Samples = dict[str, list[float]]


def _add(samples: Samples, **values: float) -> None:
    for name, value in values.items():
        samples.setdefault(name, []).append(value)


def _settled_memory(program: Program) -> tuple[float, float]:
    """VmRSS and VmHWM once the program has drawn for a second more (start-up work done)."""
    program.drain(1.0)
    return program.memory_mb()


def _first_start(dataset: Path, env: dict[str, str], samples: Samples) -> None:
    """Annotate with no display cache: it is built before the first post is shown."""
    (dataset / ".labeler" / CACHE_NAME).unlink(missing_ok=True)
    program = _annotate(dataset, env)
    try:
        start = _start(program)
        _, hwm = _settled_memory(program)
        _add(samples, first_start=start, first_hwm=hwm)
    finally:
        program.quit()


def _warm_session(dataset: Path, env: dict[str, str], samples: Samples, keys: int) -> None:
    """Annotate with the cache built: start, `keys` skips, half as many moves on."""
    program = _annotate(dataset, env)
    try:
        start = _start(program)
        rss, _ = _settled_memory(program)
        skips, parses = _keys(program, CTRL_K, keys)
        after, hwm = program.memory_mb()
        rights, _ = _keys(program, RIGHT, keys // 2)
        _add(samples, warm_start=start, warm_rss=rss, keys_rss=after, keys_hwm=hwm)
        _add(samples, skip_p99=percentile(skips, 99), skip_p50=percentile(skips, 50))
        _add(samples, skip_max=max(skips), right_p99=percentile(rights, 99))
        _add(samples, parse_p99=percentile(parses, 99))
    finally:
        program.quit()


def _trivial_session(env: dict[str, str], samples: Samples, keys: int) -> None:
    """The trivial app: start to first frame, `keys` key presses, memory."""
    program = _trivial(env)
    try:
        start = _start(program)
        rss, _ = _settled_memory(program)
        times, _ = _keys(program, CTRL_K, keys)
        _add(samples, base_start=start, base_rss=rss, keys=keys)
        _add(samples, base_p99=percentile(times, 99), base_p50=percentile(times, 50))
    finally:
        program.quit()


@benchmark("tui", "labeler annotate in a pty on 1M posts: key -> next post, start, RSS")
def tui(p: Params) -> list[Figure]:
    samples: Samples = {}
    runs = max(p.repeat, 1)
    keys = min(KEYS, p.posts // (20 * runs))  # a tenth of the posts is undecided: keep some
    with tempfile.TemporaryDirectory(dir=p.data_dir.parent) as tmp:
        dataset = _session_dataset(p.data_dir, Path(tmp) / "ds").root
        env = _env(Path(tmp) / "config")
        for _ in range(runs):
            _trivial_session(env, samples, keys)
            _first_start(dataset, env, samples)
            _warm_session(dataset, env, samples, keys)
    return _latency_figures(samples) + _start_figures(samples) + _memory_figures(samples)


def _figure(
    samples: Samples, key: str, name: str, target: float | None, base: str | None, note: str
) -> Figure:
    """The median over runs of samples[key], the runs' range in the note."""
    values = samples[key]
    unit = {"tui.rss": "MB", "tui.hwm": "MB", "tui.sta": "s"}.get(name[:7], "ms")
    return Figure(
        name,
        statistics.median(values),
        unit,
        target=target,
        baseline_name="trivial Textual app" if base else None,
        baseline_value=statistics.median(samples[base]) if base else None,
        note=f"{note}; runs {min(values):.3g}-{max(values):.3g} {unit}",
    )


def _latency_figures(s: Samples) -> list[Figure]:
    parse = f"pyte parse p99 {statistics.median(s['parse_p99']):.2f} ms, not counted"
    keys = f"{s['keys'][0]:.0f} keys {GAP_S * 1000:.0f} ms apart, {COLUMNS}x{LINES} pty; {parse}"
    what = f"ctrl+k written to the pty until the next post id is on screen; {keys}"
    return [
        _figure(s, "skip_p50", "tui.key_skip_p50", None, "base_p50", what),
        _figure(s, "skip_p99", "tui.key_skip_p99", 30.0, "base_p99", what),
        _figure(s, "skip_max", "tui.key_skip_max", 30.0, None, "slowest ctrl+k of a run"),
        _figure(
            s, "right_p99", "tui.key_right_p99", 30.0, "base_p99", f"right, no decision; {keys}"
        ),
    ]


def _start_figures(s: Samples) -> list[Figure]:
    what = "spawn of `python -m labeler annotate` until the first post id is on screen"
    return [
        _figure(s, "first_start", "tui.start_first", 1.5, "base_start", f"{what}, cache built"),
        _figure(s, "warm_start", "tui.start_warm", 1.5, "base_start", f"{what}, cache reused"),
    ]


def _memory_figures(s: Samples) -> list[Figure]:
    keys = f"{s['keys'][0]:.0f} skips"
    return [
        _figure(s, "warm_rss", "tui.rss_start", 500.0, "base_rss", "VmRSS 1 s after a warm start"),
        _figure(s, "keys_rss", "tui.rss_after_keys", 500.0, None, f"VmRSS after {keys}"),
        _figure(s, "keys_hwm", "tui.hwm_warm", 500.0, None, f"VmHWM, warm start + {keys}"),
        _figure(s, "first_hwm", "tui.hwm_first_start", 500.0, None, "VmHWM, start building cache"),
    ]
