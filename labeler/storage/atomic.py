"""Crash-safe file replacement: temp file in the same directory, fsync, rename, fsync dir.

A reader sees either the old file or the complete new one, never a partial file, even after
a kill -9 or power loss. Temp files left by a crash carry TEMP_PREFIX and are swept at start.
"""

from __future__ import annotations

import contextlib
import errno
import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from labeler.errors import StorageError

TEMP_PREFIX = ".tmp-"
_NO_SPACE = {errno.ENOSPC, errno.EDQUOT}
_NO_WRITE = {errno.EROFS, errno.EACCES, errno.EPERM}


def fsync_dir(directory: Path) -> None:
    """Persist a directory entry change (a rename or a new file) on POSIX systems."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def storage_error(exc: OSError, path: Path) -> StorageError:
    """Turn an OS write failure into a message that says what to do next."""
    if exc.errno in _NO_SPACE:
        return StorageError(
            "the disk is full", path=path, hint="Free some space and run the command again"
        )
    if exc.errno in _NO_WRITE:
        return StorageError(
            "cannot write here (read-only or no permission)",
            path=path,
            hint="Check the directory's permissions or choose another location",
        )
    return StorageError(f"cannot write: {exc.strerror or exc}", path=path)


@contextlib.contextmanager
def atomic_path(final: Path) -> Iterator[Path]:
    """Yield a temp path to write; on success it replaces `final` atomically and durably."""
    final = Path(final)
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise storage_error(exc, final.parent) from exc
    temp = final.with_name(f"{TEMP_PREFIX}{uuid.uuid4().hex}-{final.name}")
    try:
        yield temp
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, final)
        fsync_dir(final.parent)
    except OSError as exc:
        raise storage_error(exc, final) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def atomic_write_bytes(final: Path, data: bytes) -> None:
    """Replace `final` with `data`, atomically and durably."""
    with atomic_path(final) as temp:
        temp.write_bytes(data)


def remove_stale_temps(directory: Path, older_than_s: float = 0.0) -> list[Path]:
    """Delete temp files a crashed writer left under `directory`; return what was removed."""
    removed: list[Path] = []
    if not directory.is_dir():
        return removed
    cutoff = time.time() - older_than_s
    for path in directory.rglob(f"{TEMP_PREFIX}*"):
        with contextlib.suppress(FileNotFoundError):
            if path.is_file() and path.stat().st_mtime <= cutoff:
                path.unlink()
                removed.append(path)
    return removed
