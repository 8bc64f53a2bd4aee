"""A real `labeler` in a pseudo-terminal, its screen read through a terminal emulator (pyte),
so tests see what a user at an 80x24 terminal would see."""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Sequence
from pathlib import Path

import pyte

COLUMNS, LINES = 80, 24


class Terminal:
    """`labeler ARGS...` running in a pty of COLUMNS x LINES."""

    def __init__(self, args: Sequence[str | Path], env: dict[str, str] | None = None) -> None:
        self.screen = pyte.Screen(COLUMNS, LINES)
        self.stream = pyte.ByteStream(self.screen)
        self.output = bytearray()  # everything written, escape sequences included
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        environment = {**os.environ, "TERM": "xterm-256color", **(env or {})}
        environment.pop("NO_COLOR", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "labeler", *map(str, args)],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=environment,
            start_new_session=True,
        )
        os.close(slave)
        self.master = master

    def text(self) -> str:
        """The screen as lines of text."""
        return "\n".join(self.screen.display)

    def pump(self, seconds: float = 0.05) -> None:
        """Feed what the program wrote in the next `seconds` to the emulator."""
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            ready, _, _ = select.select([self.master], [], [], left)
            if not ready:
                break
            try:
                data = os.read(self.master, 65536)
            except OSError:  # the program ended and the pty closed
                break
            if not data:
                break
            self.output += data
            self.stream.feed(data)

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        """Wait until `text` is on screen; the screen, or AssertionError with it."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.pump()
            if text in self.text():
                return self.text()
        raise AssertionError(f"{text!r} never appeared; the screen:\n{self.text()}")

    def press(self, *keys: bytes) -> None:
        """Type keys (raw bytes: b"f", b"\\t", b"\\r", b"\\x11" for ctrl+q)."""
        for key in keys:
            os.write(self.master, key)
            self.pump(0.02)

    def finish(self, timeout: float = 20.0) -> int:
        """Wait for the program to exit, draining its output; its exit code."""
        end = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < end:
            self.pump()
        code = self.process.wait(timeout=max(end - time.monotonic(), 0.1))
        os.close(self.master)
        return code

    def kill(self) -> None:
        """SIGKILL the program (no flush, no terminal restore)."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        os.close(self.master)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *_: object) -> None:
        """Never leave the program running, whatever the test did."""
        if self.process.poll() is None:
            self.kill()
