"""The labelling app and its one factory, shared by `labeler annotate` and the tests.

Ending: ctrl+q exits 0. SIGTERM, SIGHUP and SIGINT flush the session, restore the terminal
and exit 128 + the signal's number (143, 129, 130), as shells report a killed command. An
unhandled error also flushes and restores the terminal; its traceback goes to a log file
named on stderr, and the exit code is 1. Decisions are committed to the journal before the
screen says saved, so none of these loses one.
"""

from __future__ import annotations

import asyncio
import signal
import tempfile
import traceback
from datetime import UTC, datetime
from pathlib import Path

from textual.app import App

from labeler.session import LabellingSession
from labeler.storage.dataset import Dataset
from labeler.storage.postreader import PostReader
from labeler.storage.queue import QueueOrder
from labeler.tui.keys import KeyMap, read_key_file, user_key_file
from labeler.tui.palette import LabelerCommands
from labeler.tui.screens.annotate import AnnotateScreen


class LabelerApp(App[int]):
    """Keyboard-driven labelling of one dataset by one annotator."""

    CSS_PATH = "labeler.tcss"
    TITLE = "labeler"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {LabelerCommands}

    def __init__(self, session: LabellingSession, posts: PostReader, keymap: KeyMap) -> None:
        super().__init__()
        self.session = session
        self.posts = posts
        self.keymap = keymap

    crash_log: Path | None = None

    def on_mount(self) -> None:
        self.set_keymap(self.keymap.textual_keymap())
        self._handle_signals()
        self.push_screen(AnnotateScreen(self.session, self.posts, self.keymap))

    def _handle_signals(self) -> None:
        """Exit cleanly (flush, restore the terminal) on SIGTERM, SIGHUP and SIGINT."""
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            try:
                loop.add_signal_handler(signum, self._exit_on_signal, signum)
            except (NotImplementedError, RuntimeError, ValueError):  # not the main thread
                return

    async def action_quit(self) -> None:
        """ctrl+q: the labelling screen first asks about a label not saved yet."""
        if isinstance(self.screen, AnnotateScreen):
            self.screen.request_quit()
        else:
            self.exit()

    def _exit_on_signal(self, signum: int) -> None:
        self.exit(return_code=128 + signum)

    def _handle_exception(self, error: Exception) -> None:
        """An unhandled error: keep its traceback in a log file, then let Textual end."""
        self.crash_log = _write_crash_log(error)
        super()._handle_exception(error)

    def on_unmount(self) -> None:
        """Flush the decisions to Parquet and release the annotator's lock."""
        self.close_session()

    def close_session(self) -> None:
        """Close the session and the post reader (safe to call twice)."""
        try:
            self.session.close()
        finally:
            self.posts.close()


def _write_crash_log(error: BaseException) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    with tempfile.NamedTemporaryFile(
        "w", prefix=f"labeler-annotate-{stamp}-", suffix=".log", delete=False, encoding="utf-8"
    ) as log:
        log.write("".join(traceback.format_exception(error)))
    return Path(log.name)


def make_app(
    dataset_dir: Path,
    annotator: str,
    *,
    order: QueueOrder = QueueOrder.DOCUMENT,
    seed: int = 0,
    key_file: Path | None = None,
) -> LabelerApp:
    """Open everything the app needs (errors surface here, before the screen starts)."""
    dataset = Dataset.open(dataset_dir)
    keymap = KeyMap.build(dataset.schema(), read_key_file(key_file or user_key_file()))
    # Flushing to Parquet takes a few hundred ms on a large dataset: the screen does it in
    # a worker after a decision, not inside the keystroke (decisions are durable anyway).
    session = LabellingSession.open(dataset, annotator, order=order, seed=seed, auto_flush=False)
    try:
        posts = PostReader.open(dataset)
    except BaseException:
        session.close()
        raise
    return LabelerApp(session, posts, keymap)
