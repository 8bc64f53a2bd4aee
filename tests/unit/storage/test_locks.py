"""Session locks: one writer per annotator, the refusal names the holder, crashes free it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from labeler.errors import AnnotatorBusyError, UsageError
from labeler.storage.locks import AnnotatorLock, lock_path, read_holder
from tests.conftest import REPO_ROOT

HOLD = """
import sys
from pathlib import Path
from labeler.storage.locks import AnnotatorLock
lock = AnnotatorLock.acquire(Path(sys.argv[1]), sys.argv[2])
print("locked", flush=True)
sys.stdin.read()
"""


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding alice's lock on `tmp_path`, until it is killed."""
    with subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path), "alice"],
        cwd=REPO_ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as process:  # leaving the block closes the pipes and waits
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "locked"
        yield process
        process.kill()


def test_lock_file_says_who_holds_it(tmp_path: Path) -> None:
    with AnnotatorLock.acquire(tmp_path / ".labeler", "alice") as lock:
        assert lock.path == tmp_path / ".labeler" / "alice.lock"
        holder = read_holder(lock.path)
        assert holder["pid"] == os.getpid()
        assert holder["host"] == socket.gethostname()
        assert str(holder["started_at"]).endswith("+00:00")
    assert not lock.held


def test_second_lock_in_the_same_process_is_refused(tmp_path: Path) -> None:
    lock = AnnotatorLock.acquire(tmp_path, "alice")
    with pytest.raises(AnnotatorBusyError) as caught:
        AnnotatorLock.acquire(tmp_path, "alice")
    message = str(caught.value)
    assert f"'alice' is already labelling this dataset (process {os.getpid()} on" in message
    assert "Close that session first, or label under another annotator name" in message
    lock.release()
    lock.release()  # twice is harmless
    AnnotatorLock.acquire(tmp_path, "alice").release()


def test_lock_held_by_another_process_is_refused_with_its_pid(
    tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    with pytest.raises(AnnotatorBusyError, match=f"process {holder.pid} on"):
        AnnotatorLock.acquire(tmp_path, "alice")


def test_a_killed_holder_leaves_no_stale_lock(
    tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    AnnotatorLock.acquire(tmp_path, "alice").release()


def test_different_annotators_do_not_block_each_other(
    tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    with AnnotatorLock.acquire(tmp_path, "bob"), AnnotatorLock.acquire(tmp_path, "carol"):
        pass


def test_unsafe_name_never_reaches_the_file_system(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        lock_path(tmp_path, "../alice")
    assert not list(tmp_path.iterdir())


def test_unreadable_holder_info_still_gives_a_clear_refusal(tmp_path: Path) -> None:
    lock = AnnotatorLock.acquire(tmp_path, "alice")
    lock.path.write_text("garbage")
    with pytest.raises(AnnotatorBusyError, match=r"\(another process\)"):
        AnnotatorLock.acquire(tmp_path, "alice")
    lock.release()


def test_the_state_folder_tells_git_to_ignore_itself(tmp_path: Path) -> None:
    state = tmp_path / "ds" / ".labeler"
    with AnnotatorLock.acquire(state, "ann"):
        pass
    assert (state / ".gitignore").read_text().splitlines()[-1] == "*"
