"""A labelling session in its own process, for the crash tests to kill (`python -m`).

    python -m tests.e2e.writer DATASET ANNOTATOR [--flush-every N] [--count N] [--seed N]
                               [--wait-go]

It speaks a line protocol on stdout, flushed after every line, so the parent knows exactly
what was acknowledged before it pulled the plug:

- `opening`            before LabelStore.open (so a kill can be aimed at recovery);
- `known ID ID ...`    every label id the reopened store knows (what replay loaded);
- `ack ID`             a decision or undo, printed only after `record`/`undo` returned,
                       i.e. after its commit: the UI's "saved";
- `closed`             after a clean close (only when --count is reached).

With --wait-go it reads one line from stdin after `known`, so two writers can be started
together. Decisions are random but valid for the default schema: labels, skips, flags,
re-labels of the same post and undos, the mix a real session produces.
"""

from __future__ import annotations

import argparse
import random
import sys
from typing import Any

from labeler.domain.labels import LabelEvent, LabelStatus
from labeler.storage.dataset import Dataset
from labeler.storage.store import LabelStore

VALUES: tuple[dict[str, Any], ...] = (
    {"stance_target": "favor", "topics": ["politics"], "quality": 4, "sarcastic": False},
    {"stance_target": "none", "topics": ["other"], "quality": 1, "sarcastic": True},
    {"stance_target": "against", "topics": ["politics", "other"], "quality": 2, "sarcastic": False},
)


def _say(line: str) -> None:
    # One write per line: a pipe write below PIPE_BUF is atomic, so a kill never leaves the
    # parent half an id.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _decide(store: LabelStore, post_ids: list[str], rng: random.Random) -> LabelEvent | None:
    roll = rng.random()
    if roll < 0.05:
        return store.undo()
    post_id = rng.choice(post_ids)
    if roll < 0.10:
        return store.record(post_id, status=LabelStatus.SKIPPED)
    if roll < 0.15:
        return store.record(post_id, status=LabelStatus.FLAGGED)
    return store.record(post_id, rng.choice(VALUES), duration_ms=rng.randrange(300, 9000))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("dataset")
    parser.add_argument("annotator")
    parser.add_argument("--flush-every", type=int, default=200)
    parser.add_argument("--count", type=int, default=0, help="decisions, then close (0: forever)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--wait-go", action="store_true")
    args = parser.parse_args(argv)

    dataset = Dataset.open(args.dataset)
    post_ids = list(dataset.posts().select("post_id").collect()["post_id"])
    rng = random.Random(args.seed)
    _say("opening")
    store = LabelStore.open(dataset, args.annotator, flush_every=args.flush_every)
    known = sorted(e.label_id for p in post_ids for e in store.history(p))
    _say(" ".join(["known", *known]))
    if args.wait_go:
        sys.stdin.readline()
    done = 0
    while args.count == 0 or done < args.count:
        event = _decide(store, post_ids, rng)
        if event is not None:  # an undo with nothing left to undo writes nothing
            _say(f"ack {event.label_id}")
            done += 1
    store.close()
    _say("closed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
