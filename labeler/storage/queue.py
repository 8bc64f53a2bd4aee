"""The queue of posts an annotator has not decided yet, in a chosen, reproducible order.

The order is computed once per session from three posts columns (post_id, thread_id,
position), vectorised in polars; after that, "the next undecided post" is a cursor moving
over the ordered ids and skipping decided ones, so each step costs about nothing even on a
million posts.

Orders:
- `document`: threads in the order they first appear in the dataset, posts by position;
- `random`: posts shuffled by a seeded hash of their id (same seed, same order, on any
  machine and polars version: the hash is integer arithmetic on the id, not polars' hash);
- `thread`: threads shuffled the same way, each read in position order (context kept).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from enum import StrEnum

import polars as pl

from labeler.domain.ids import stable_digest

_MASK = (1 << 64) - 1


class QueueOrder(StrEnum):
    """How the queue is ordered."""

    DOCUMENT = "document"
    RANDOM = "random"
    THREAD = "thread"


def _mix(column: pl.Expr, seed: int) -> pl.Expr:
    """A seeded 64-bit mixer (splitmix64's finaliser) over a UInt64 column: stable, uniform.

    UInt64 products wrap modulo 2^64 in polars, as the mixer needs; a right shift is an
    integer division by a power of two.
    """
    salt = int(stable_digest("queue", seed), 16) & _MASK

    def shifted(x: pl.Expr, bits: int) -> pl.Expr:
        return x.xor(x // pl.lit(1 << bits, pl.UInt64))

    x = column.xor(pl.lit(salt, pl.UInt64))
    x = shifted(x, 30) * pl.lit(0xBF58476D1CE4E5B9, pl.UInt64)
    x = shifted(x, 27) * pl.lit(0x94D049BB133111EB, pl.UInt64)
    return shifted(x, 31)


def _id_numbers(frame: pl.DataFrame, column: str) -> pl.Series:
    """A 64-bit number per id: its own hex digits (our ids are "p"/"t" + 16 hex digits),
    else a stable digest of the id (ids made elsewhere; computed only for those)."""
    ids = frame[column]
    ours = (ids.str.len_bytes() == 17) & ids.str.slice(1).str.contains("^[0-9a-f]{16}$")
    numbers = ids.str.slice(1).str.to_integer(base=16, strict=False).cast(pl.UInt64)
    numbers = pl.select(pl.when(ours).then(numbers)).to_series()
    if numbers.null_count():
        others = {text: int(stable_digest(text), 16) for text in ids.filter(~ours).unique()}
        numbers = numbers.fill_null(
            ids.replace_strict(others, default=None, return_dtype=pl.UInt64)
        )
    return numbers.alias(f"_{column}_number")


def queue_order(posts: pl.LazyFrame, order: QueueOrder, seed: int = 0) -> pl.Series:
    """Every post id of `posts` (post_id, thread_id, position) in `order`."""
    frame = posts.select("post_id", "thread_id", "position").with_row_index("_row").collect()
    first_seen = pl.col("_row").min().over("thread_id")
    if order is QueueOrder.DOCUMENT:
        ordered = frame.sort(first_seen, "position", "_row")
    elif order is QueueOrder.RANDOM:
        keys = _mix(pl.lit(_id_numbers(frame, "post_id")), seed)
        ordered = frame.with_columns(_key=keys).sort("_key", "_row")
    else:
        keys = _mix(pl.lit(_id_numbers(frame, "thread_id")), seed)
        ordered = frame.with_columns(_key=keys).sort("_key", first_seen, "position", "_row")
    return ordered["post_id"]


class Queue:
    """Undecided posts in a fixed order, with a cursor; decisions and undos update it."""

    def __init__(
        self, ordered: pl.Series | Sequence[str], decided: pl.Series | Iterable[str] = ()
    ) -> None:
        queued = ordered if isinstance(ordered, pl.Series) else pl.Series(list(ordered))
        known = decided if isinstance(decided, pl.Series) else pl.Series(list(decided))
        self.ordered: list[str] = queued.to_list()
        # which queued posts are decided, and where to resume: one vectorised pass
        done = queued.is_in(known.cast(pl.String).implode())
        self.decided = set(queued.filter(done).to_list())
        self.cursor = 0 if done.is_empty() or done.all() else int(done.arg_min() or 0)

    @property
    def remaining(self) -> int:
        """How many queued posts are still undecided."""
        return len(self.ordered) - len(self.decided)

    def next(self) -> str | None:
        """The first undecided post at or after the cursor (wrapping once), or None."""
        size = len(self.ordered)
        for step in range(size):
            i = (self.cursor + step) % size
            if self.ordered[i] not in self.decided:
                self.cursor = i
                return self.ordered[i]
        return None

    def decide(self, post_id: str) -> None:
        """`post_id` got a decision: the queue moves past it."""
        self.decided.add(post_id)

    def reopen(self, post_id: str) -> None:
        """`post_id`'s decision was undone: it is undecided again, and next in line.

        Finding its place is a linear search, acceptable for an undo (milliseconds on a
        million posts) and cheaper than an index of every id kept for the whole session.
        """
        self.decided.discard(post_id)
        with contextlib.suppress(ValueError):  # not queued here: nothing to move to
            self.cursor = self.ordered.index(post_id)
