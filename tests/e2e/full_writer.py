"""A labelling session whose files cannot grow past a size limit (`python -m`).

    python -m tests.e2e.full_writer session DATASET ANNOTATOR [--flush-every N] [--note N]
                                    STEP...
    python -m tests.e2e.full_writer run LIMIT LABELER_ARG...

`session` opens a LabelStore and runs its steps in order:

- `limit:BYTES`  no file of this process may grow past BYTES (RLIMIT_FSIZE, with SIGXFSZ
                 ignored, so a write beyond it fails with EFBIG as on a full disk);
- `lift`         the limit is gone again (space is back);
- `record:N`     up to N decisions, stopping at the first StorageError;
- `checkpoint`   the journal's WAL is copied into its main file and emptied;
- `close`        the store is closed.

It prints, one line each: `ack POST LABEL_ID` after `record` returned; `flush_error TEXT`
when an automatic flush failed; `error TEXT`, `cause NAME` (the SQLite error name or the
errno name) and `current POST LABEL_ID` (what the store holds for that post afterwards)
when a step failed; `done` at the end. `run` execs `labeler LABELER_ARG...` under LIMIT.
"""

from __future__ import annotations

import argparse
import errno
import os
import resource
import secrets
import signal
import sqlite3
import sys
from typing import Any

from labeler.errors import StorageError
from labeler.storage.dataset import Dataset
from labeler.storage.journal import journal_path
from labeler.storage.store import LabelStore

VALUES: dict[str, Any] = {
    "stance_target": "favor",
    "topics": ["politics"],
    "quality": 4,
    "sarcastic": False,
}


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def limit_file_size(size: int) -> None:
    """Let no file of this process grow past `size` bytes; writes beyond fail with EFBIG."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    hard = resource.getrlimit(resource.RLIMIT_FSIZE)[1]
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, hard))


def lift_limit() -> None:
    """Files may grow again, as far as the hard limit allows."""
    hard = resource.getrlimit(resource.RLIMIT_FSIZE)[1]
    resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard))


def _cause(exc: BaseException) -> str:
    """The SQLite error name or errno name behind a StorageError."""
    cause = exc.__cause__
    name = getattr(cause, "sqlite_errorname", None)
    if name:
        return str(name)
    code = getattr(cause, "errno", None)
    return errno.errorcode.get(code, "?") if isinstance(code, int) else type(cause).__name__


def _failed(exc: StorageError, store: LabelStore, post_id: str | None) -> None:
    _say(f"error {exc.render()}")
    _say(f"cause {_cause(exc)}")
    if post_id is not None:
        current = store.current_of(post_id)
        _say(f"current {post_id} {current.label_id if current else '-'}")


class Session:
    """A store, the posts it labels in turn, and the note size of each decision."""

    def __init__(self, store: LabelStore, post_ids: list[str], note: int) -> None:
        self.store = store
        self.post_ids = post_ids
        self.note = note
        self.done = 0

    def record(self, count: int) -> None:
        """Record up to `count` decisions; stop at the first StorageError."""
        for _ in range(count):
            post_id = self.post_ids[self.done % len(self.post_ids)]
            values = {**VALUES, "note": secrets.token_hex(self.note // 2)} if self.note else VALUES
            seen = self.store.flush_error
            try:
                event = self.store.record(post_id, values)
            except StorageError as exc:
                _failed(exc, self.store, post_id)
                return
            self.done += 1
            _say(f"ack {post_id} {event.label_id}")
            if self.store.flush_error is not None and self.store.flush_error is not seen:
                _say(f"flush_error {self.store.flush_error.render()}")

    def checkpoint(self) -> None:
        """Move the journal's WAL into its main file and empty it (a second connection)."""
        db = sqlite3.connect(journal_path(self.store.dataset.state_dir, self.store.annotator))
        try:
            busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            db.close()
        assert busy == 0, "the WAL could not be emptied"

    def step(self, word: str) -> None:
        """Run one step of the command line."""
        name, _, arg = word.partition(":")
        if name == "limit":
            limit_file_size(int(arg))
        elif name == "lift":
            lift_limit()
        elif name == "record":
            self.record(int(arg))
        elif name == "checkpoint":
            self.checkpoint()
        elif name == "close":
            try:
                self.store.close()
            except StorageError as exc:
                _failed(exc, self.store, None)
        else:
            raise SystemExit(f"unknown step {word!r}")


def _session(args: argparse.Namespace) -> int:
    dataset = Dataset.open(args.dataset)
    post_ids = sorted(dataset.posts().select("post_id").collect()["post_id"])
    store = LabelStore.open(dataset, args.annotator, flush_every=args.flush_every)
    session = Session(store, post_ids, args.note)
    for word in args.steps:
        session.step(word)
    _say("done")
    return 0


def _run(args: argparse.Namespace) -> int:
    limit_file_size(args.limit)  # both survive exec: an ignored signal stays ignored
    argv = [sys.executable, "-m", "labeler", *args.labeler_args]
    os.execv(sys.executable, argv)  # noqa: S606 - this interpreter, no shell


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    session = commands.add_parser("session")
    session.add_argument("dataset")
    session.add_argument("annotator")
    session.add_argument("--flush-every", type=int, default=10**6)
    session.add_argument("--note", type=int, default=0, help="characters of random note")
    session.add_argument("steps", nargs="+")
    run = commands.add_parser("run")
    run.add_argument("limit", type=int)
    run.add_argument("labeler_args", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    return _session(args) if args.command == "session" else _run(args)


if __name__ == "__main__":
    sys.exit(main())
