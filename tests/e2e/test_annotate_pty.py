"""`labeler annotate` for real: a pseudo-terminal, keys typed, the screen read back."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from labeler.storage.dataset import Dataset
from labeler.storage.labelset import current_labels
from tests.conftest import REPO_ROOT, CliRun
from tests.e2e.terminal import Terminal

# A complete label on any demo post: favor, (agree with the quoted post, if any), topic 1,
# quality 4; "g" does nothing on a post that quotes none.
LABEL = (b"f", b"g", b"\t", b"1", b"\t", b"4", b"\r")
CTRL_Q = b"\x11"


@pytest.fixture
def demo(run_cli: CliRun, tmp_path: Path) -> Dataset:
    result = run_cli("ingest", REPO_ROOT / "datasets" / "demo" / "raw", "--dataset", tmp_path / "d")
    assert result.exit_code == 0, result.stderr
    return Dataset.open(tmp_path / "d")


@pytest.fixture
def annotate(demo: Dataset, tmp_path: Path) -> Iterator[Terminal]:
    """`labeler annotate` on the demo dataset in a pty; killed after the test if still up."""
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config")}
    with Terminal(["annotate", demo.root, "--annotator", "pty"], env=env) as term:
        yield term


def _labelled(dataset: Dataset) -> int:
    frame = current_labels(dataset).collect()
    return frame.filter(frame["annotator"] == "pty").height


def test_three_posts_labelled_in_a_terminal_are_in_the_dataset(
    demo: Dataset, annotate: Terminal
) -> None:
    term = annotate
    term.wait_for("0/29 done")
    for done in (1, 2, 3):
        term.press(*LABEL)
        screen = term.wait_for(f"{done}/29 done")
        assert "SAVED" in screen and "UNSAVED" not in screen
    term.press(CTRL_Q)
    assert term.finish() == 0
    assert _labelled(demo) == 3


def test_every_label_shown_as_saved_survives_a_kill(demo: Dataset, annotate: Terminal) -> None:
    term = annotate
    term.wait_for("0/29 done")
    term.press(*LABEL)
    term.press(*LABEL)
    screen = term.wait_for("2/29 done")
    assert "SAVED" in screen and "UNSAVED" not in screen
    term.press(b"f")  # a change not saved yet: the screen says so
    assert "UNSAVED" in term.wait_for("UNSAVED")
    term.kill()
    assert _labelled(demo) == 2  # from the journal: the kill left it unflushed


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_a_signal_flushes_restores_the_terminal_and_exits_128_plus_n(
    demo: Dataset, annotate: Terminal, signum: int, code: int
) -> None:
    term = annotate
    term.wait_for("0/29 done")
    term.press(*LABEL)
    term.wait_for("1/29 done")
    term.process.send_signal(signum)
    assert term.finish() == code
    assert (demo.labels_dir / "annotator=pty").is_dir(), "flushed to a label file"
    assert _labelled(demo) == 1
    tail = bytes(term.output[-200:])
    assert b"\x1b[?1049l" in tail, "left the alternate screen"
