"""Atomic replacement: a failed write leaves the old file and no debris."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from labeler.errors import StorageError
from labeler.storage.atomic import (
    TEMP_PREFIX,
    atomic_path,
    atomic_write_bytes,
    remove_stale_temps,
    storage_error,
)


def test_write_replaces_content(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "file.bin"
    atomic_write_bytes(target, b"one")
    atomic_write_bytes(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["file.bin"]


def test_failure_mid_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "file.bin"
    atomic_write_bytes(target, b"saved before")

    class InterruptedWriteError(Exception):
        pass

    def write_half() -> None:
        with atomic_path(target) as temp:
            temp.write_bytes(b"half a new ver")
            raise InterruptedWriteError

    with pytest.raises(InterruptedWriteError):
        write_half()
    assert target.read_bytes() == b"saved before"
    assert list(tmp_path.iterdir()) == [target]


def test_unwritable_location_is_a_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(StorageError) as err:
        atomic_write_bytes(blocker / "inside.bin", b"data")
    assert str(blocker) in err.value.render()


@pytest.mark.parametrize(
    ("code", "text"),
    [
        (errno.ENOSPC, "the disk is full. Free some space"),
        (errno.EROFS, "cannot write here (read-only or no permission)"),
        (errno.EACCES, "cannot write here (read-only or no permission)"),
    ],
)
def test_os_errors_become_actionable_messages(tmp_path: Path, code: int, text: str) -> None:
    err = storage_error(OSError(code, os.strerror(code)), tmp_path / "f")
    assert text in err.render()
    assert err.render().startswith(str(tmp_path / "f"))


def test_remove_stale_temps(tmp_path: Path) -> None:
    (tmp_path / "deep").mkdir()
    stale = tmp_path / "deep" / f"{TEMP_PREFIX}abc-file.parquet"
    stale.write_text("partial")
    keep = tmp_path / "deep" / "file.parquet"
    keep.write_text("whole")
    assert remove_stale_temps(tmp_path) == [stale]
    assert keep.exists() and not stale.exists()


def test_remove_stale_temps_spares_young_files(tmp_path: Path) -> None:
    young = tmp_path / f"{TEMP_PREFIX}x"
    young.write_text("being written right now")
    assert remove_stale_temps(tmp_path, older_than_s=3600) == []
    assert young.exists()
