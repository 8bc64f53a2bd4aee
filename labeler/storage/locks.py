"""One writer per (dataset, annotator): an OS file lock held for the whole session.

`flock` locks belong to the open file, so the OS drops them when the holder exits or is
killed; no stale lock survives a crash. The lock file records who holds it (pid, host, start
time) so that a refused session can say so. Different annotators lock different files and
never wait for each other.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from datetime import UTC, datetime
from pathlib import Path

from labeler.domain.closing import Closing
from labeler.errors import AnnotatorBusyError
from labeler.storage.atomic import storage_error
from labeler.storage.journal import check_annotator


def lock_path(state_dir: Path, annotator: str) -> Path:
    """Where the session lock of `annotator` lives in a dataset's state folder."""
    return state_dir / f"{check_annotator(annotator)}.lock"


class AnnotatorLock(Closing):
    """A held session lock; `release()` (or leaving the `with` block) gives it up."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    @classmethod
    def acquire(cls, state_dir: Path, annotator: str) -> AnnotatorLock:
        """Take the lock without waiting; AnnotatorBusyError when another session holds it."""
        path = lock_path(state_dir, annotator)
        try:
            _make_state_dir(state_dir)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise storage_error(exc, path) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise _busy(path, annotator) from None
        except OSError as exc:
            os.close(fd)
            raise storage_error(exc, path) from exc
        _write_holder(fd)
        return cls(path, fd)

    @property
    def held(self) -> bool:
        """Whether this object still holds the lock."""
        return self._fd is not None

    def close(self) -> None:
        """Give the lock up (the same as `release`)."""
        self.release()

    def release(self) -> None:
        """Give the lock up (closing the file releases it); safe to call twice."""
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)


def _write_holder(fd: int) -> None:
    """Say who holds the lock; best effort, since the lock itself is what protects."""
    holder = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(holder).encode("utf-8") + b"\n", 0)
    except OSError:
        pass  # a full disk must not stop a session whose journal may still have room


def read_holder(path: Path) -> dict[str, object]:
    """What the lock file says about its holder ({} if unreadable or being written)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _busy(path: Path, annotator: str) -> AnnotatorBusyError:
    holder = read_holder(path)
    who = (
        f"process {holder.get('pid')} on {holder.get('host')}, since {holder.get('started_at')}"
        if holder
        else "another process"
    )
    return AnnotatorBusyError(
        f"annotator {annotator!r} is already labelling this dataset ({who})",
        path=path,
        hint="Close that session first, or label under another annotator name; "
        "the lock goes away by itself when that process ends",
    )


def _make_state_dir(state_dir: Path) -> None:
    """The per-machine state folder, which tells git to ignore it (journals and locks are
    never shared: label files are)."""
    state_dir.mkdir(parents=True, exist_ok=True)
    ignore = state_dir / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# per-machine journals and locks: never commit them\n*\n")
