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
_NO_WRITE = {errno.EROFS, errno.EACCES, errno.EPERM}
_SAVED = "what was saved before is intact"


def fsync_dir(directory: Path) -> None:
    """Persist a directory entry change (a rename or a new file) on POSIX systems."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def no_space_error(path: Path, saved: str = _SAVED, *, quota: bool = False) -> StorageError:
    """The disk (or the user's quota) has no room left to write `path`."""
    return StorageError(
        "the disk quota is used up" if quota else "the disk is full",
        path=path,
        hint=f"Free some space, then run the command again; {saved}",
    )


def too_large_error(path: Path, saved: str = _SAVED) -> StorageError:
    """`path` reached the file size limit of the process (ulimit -f) or of its file system."""
    return StorageError(
        "the file size limit is reached (File too large)",
        path=path,
        hint="Raise the file size limit (ulimit -f) or move the dataset to a file system "
        f"that allows larger files, then run the command again; {saved}",
    )


def storage_error(exc: OSError, path: Path) -> StorageError:
    """Turn an OS write failure into a message that says what to do next."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return no_space_error(path, quota=exc.errno == errno.EDQUOT)
    if exc.errno == errno.EFBIG:
        return too_large_error(path)
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
