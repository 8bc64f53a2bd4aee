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

from collections.abc import Iterable, Sequence
from enum import StrEnum

import polars as pl
import pyarrow as pa

from labeler.domain.ids import stable_digest
from labeler.storage.idindex import IdIndex, id_numbers, numbered

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


def queue_order(posts: pl.LazyFrame, order: QueueOrder, seed: int = 0) -> pl.Series:
    """Every post id of `posts` (post_id, thread_id, position) in `order`."""
    frame = posts.select("post_id", "thread_id", "position").collect()
    return frame["post_id"].gather(_permutation(frame, order, seed))


def _permutation(frame: pl.DataFrame, order: QueueOrder, seed: int) -> pl.Series:
    """Row numbers of `frame` in `order`; only numbers are sorted, never the id strings."""
    frame = frame.with_row_index("_row")
    if order is QueueOrder.DOCUMENT and _in_document_order(frame):
        return frame["_row"]
    rows = pl.col("_row")
    if order is QueueOrder.RANDOM:
        keys = [_mix(pl.lit(id_numbers(frame["post_id"])), seed).alias("_key"), rows]
    else:
        frame = frame.with_columns(_thread=_thread_key(frame))
        keys = [rows.min().over("_thread").alias("_first_seen"), pl.col("position"), rows]
        if order is QueueOrder.THREAD:
            keys.insert(0, _mix(pl.lit(id_numbers(frame["thread_id"])), seed).alias("_key"))
    return frame.select(keys).sort(pl.all())["_row"]


def _thread_key(frame: pl.DataFrame) -> pl.Series:
    """A column equal where thread_id is equal: its numbers when exact (cheaper to group)."""
    numbers, exact = numbered(frame["thread_id"])
    return numbers if exact else frame["thread_id"]


def _in_document_order(frame: pl.DataFrame) -> bool:
    """Whether the rows already are in document order: each thread one run of rows, its
    positions never decreasing (how ingest writes posts), so no sort is needed."""
    threads = frame["thread_id"]
    starts = (threads != threads.shift(1)).fill_null(value=True)
    if threads.filter(starts).n_unique() != int(starts.sum()):
        return False  # a thread comes back after another one
    rising = (frame["position"].diff() >= 0).fill_null(value=True) | starts
    return bool(rising.all())


class Queue:
    """Undecided posts in a fixed order, with a cursor; decisions and undos update it.

    The ids stay one polars column and "decided" is one byte per queued post, so starting
    on a million posts builds no Python objects per post; finding the next undecided post
    is a byte search from the cursor. Deciding the post at the cursor is O(1); another
    post is found through an index of the ids built the first time one is needed.
    """

    def __init__(
        self,
        ordered: pl.Series | Sequence[str],
        decided: pl.Series | Iterable[str] = (),
        index: IdIndex | None = None,
    ) -> None:
        """Queue `ordered`, minus `decided`; `index` may be given if already built."""
        queued = ordered if isinstance(ordered, pl.Series) else pl.Series(list(ordered))
        known = decided if isinstance(decided, pl.Series) else pl.Series(list(decided))
        self.ids = queued.cast(pl.String)
        done = self.ids.is_in(known.cast(pl.String).implode())
        self._done = _bytes(done)
        self.remaining = len(self._done) - int(done.sum())
        first = self._done.find(0)
        self.cursor = max(first, 0)
        self._index: IdIndex | None = index

    def __len__(self) -> int:
        return len(self._done)

    def next(self) -> str | None:
        """The first undecided post at or after the cursor (wrapping once), or None."""
        if not self.remaining:
            return None
        i = self._done.find(0, self.cursor)
        if i < 0:
            i = self._done.find(0)
        self.cursor = i
        return str(self.ids[i])

    def after(self, post_id: str) -> str | None:
        """The first undecided post after `post_id` in queue order (wrapping), not itself."""
        row = self._row(post_id)
        if row is None:
            return self.next()
        start = row + 1
        i = self._done.find(0, start)
        if i < 0:
            i = self._done.find(0, 0, row)
        if i < 0:
            return None
        self.cursor = i
        return str(self.ids[i])

    def upcoming(self, count: int) -> list[str]:
        """Up to `count` undecided posts from the cursor on, without moving it."""
        found: list[str] = []
        i = self._done.find(0, self.cursor)
        while i >= 0 and len(found) < count:
            found.append(str(self.ids[i]))
            i = self._done.find(0, i + 1)
        return found

    def decided_ids(self) -> pl.Series:
        """The queued posts that are decided, in queue order."""
        flags = pa.Array.from_buffers(pa.uint8(), len(self._done), [None, pa.py_buffer(self._done)])
        mask = pl.Series(flags).cast(pl.Boolean)
        return self.ids.filter(mask)

    def is_decided(self, post_id: str) -> bool:
        """Whether `post_id` is queued and decided."""
        row = self._row(post_id)
        return row is not None and bool(self._done[row])

    def decide(self, post_id: str) -> None:
        """`post_id` got a decision: the queue moves past it."""
        self._mark(post_id, 1)

    def reopen(self, post_id: str) -> None:
        """`post_id`'s decision was undone: it is undecided again, and next in line."""
        row = self._mark(post_id, 0)
        if row is not None:
            self.cursor = row

    def _mark(self, post_id: str, done: int) -> int | None:
        row = self._row(post_id)
        if row is not None and self._done[row] != done:
            self._done[row] = done
            self.remaining += -1 if done else 1
        return row

    def _row(self, post_id: str) -> int | None:
        """The queue position of `post_id` (the cursor's post needs no index)."""
        if self.cursor < len(self._done) and self.ids[self.cursor] == post_id:
            return self.cursor
        if self._index is None:
            self._index = IdIndex(self.ids)
        return self._index.find(post_id)


def _bytes(flags: pl.Series) -> bytearray:
    """A boolean column as one byte per row (0 or 1), copied from its Arrow buffer."""
    array = flags.fill_null(value=False).cast(pl.UInt8).rechunk().to_arrow()
    data = array.buffers()[1]
    if data is None:  # no rows
        return bytearray()
    return bytearray(memoryview(data)[array.offset : array.offset + len(array)])
