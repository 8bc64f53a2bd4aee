"""The labelling session: the one object a front end (the TUI, a script) drives.

It joins an annotator's LabelStore (durable decisions) to a Queue of the posts they have not
decided yet, and keeps what a screen shows beside the post: which post is up, what undo and
redo would do, and progress (done / total, rate, time left). Every decision goes through
the store, so it is validated and committed to the journal before a method returns.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import polars as pl

from labeler.domain.closing import Closing
from labeler.domain.labels import LabelEvent, LabelStatus
from labeler.errors import UsageError
from labeler.storage.dataset import Dataset
from labeler.storage.idindex import IdIndex
from labeler.storage.queue import Queue, QueueOrder, queue_order
from labeler.storage.selection import PostFilter, Selection
from labeler.storage.store import FLUSH_EVERY, LabelStore

Clock = Callable[[], float]


@dataclass(frozen=True, slots=True)
class Progress:
    """How far the annotator is: posts decided of those queued, and the pace this session."""

    done: int
    total: int
    decided_this_session: int
    rate_per_hour: float | None  # None until a decision has been made this session
    eta_seconds: float | None  # at that rate; None when unknown

    @property
    def remaining(self) -> int:
        """Posts still undecided."""
        return self.total - self.done


class LabellingSession(Closing):
    """One annotator labelling one dataset, post by post, in a fixed queue order."""

    def __init__(self, store: LabelStore, queue: Queue, clock: Clock = time.monotonic) -> None:
        self.store = store
        self.queue = queue
        self._clock = clock
        self._started = clock()
        self._decided = 0
        self._redo: list[LabelEvent] = []  # decisions undone, the latest last
        self._trail: list[str] = []  # posts shown, for previous/next
        self._at = -1
        self.selection: Selection | None = None  # a filter's posts, else the queue
        self.post_id: str | None = None
        self._show(queue.next())

    @classmethod
    def open(
        cls,
        dataset: Dataset,
        annotator: str,
        *,
        order: QueueOrder = QueueOrder.DOCUMENT,
        seed: int = 0,
        flush_every: int = FLUSH_EVERY,
        clock: Clock = time.monotonic,
        auto_flush: bool = True,
    ) -> LabellingSession:
        """Open the annotator's store (lock, replay) and queue what they have not decided."""
        # The post order does not depend on the labels: compute it while the store opens.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="queue-order") as pool:
            ordering = pool.submit(_ordered_posts, dataset, order, seed)
            store = LabelStore.open(
                dataset, annotator, flush_every=flush_every, auto_flush=auto_flush
            )
            try:
                ordered, index = ordering.result()
                queue = Queue(ordered, store.decided_before(), index=index)
                store.use_post_index(index)
            except BaseException:
                store.close()
                raise
        return cls(store, queue, clock)

    # ------------------------------------------------------------------ deciding
    def apply(self, values: Mapping[str, Any], duration_ms: int | None = None) -> LabelEvent:
        """Label the current post with `values` and move on to the next undecided post."""
        return self._decide(values, LabelStatus.LABELLED, duration_ms)

    def skip(self, duration_ms: int | None = None) -> LabelEvent:
        """Skip the current post (a decision: it leaves the queue) and move on."""
        return self._decide({}, LabelStatus.SKIPPED, duration_ms)

    def flag(
        self,
        values: Mapping[str, Any] | None = None,
        duration_ms: int | None = None,
        reason: str | None = None,
    ) -> LabelEvent:
        """Flag the current post for review, with why and any (valid) values, and move on."""
        return self._decide(values or {}, LabelStatus.FLAGGED, duration_ms, reason)

    def _decide(
        self,
        values: Mapping[str, Any],
        status: LabelStatus,
        duration_ms: int | None,
        review: str | None = None,
    ) -> LabelEvent:
        post_id = self._current()
        event = self.store.record(post_id, values, status, duration_ms, review)
        self.queue.decide(post_id)
        self._decided += 1
        self._redo.clear()  # a new decision ends the redo chain, as in any editor
        self._show(self._after(post_id))
        return event

    def undo(self) -> LabelEvent | None:
        """Retract the latest decision; its post is undecided again and shown next."""
        retraction = self.store.undo()
        if retraction is None:
            return None
        undone = self.store.last_undone
        assert undone is not None and undone.label_id == retraction.supersedes
        self._redo.append(undone)
        if self.store.current_of(retraction.post_id) is None:
            self.queue.reopen(retraction.post_id)
        self._decided = max(self._decided - 1, 0)
        self._show(retraction.post_id)
        return retraction

    def redo(self) -> LabelEvent | None:
        """Make the last undone decision again (a new event with the same values)."""
        if not self._redo:
            return None
        undone = self._redo.pop()
        event = self.store.record(
            undone.post_id, undone.values, undone.status, undone.duration_ms, undone.review
        )
        self.queue.decide(undone.post_id)
        self._decided += 1
        self._show(self._after(undone.post_id))
        return event

    # ------------------------------------------------------------------ moving
    def go_to(self, post_id: str) -> None:
        """Show `post_id` next, decided or not (jump to a post)."""
        if not self.store.has_post(post_id):
            raise UsageError(
                f"there is no post {post_id!r} in this dataset",
                hint="`labeler posts DIR` lists the post ids",
            )
        self._show(post_id)

    def previous(self) -> str | None:
        """Show the post shown before this one (None at the first)."""
        if self._at <= 0:
            return None
        self._at -= 1
        self.post_id = self._trail[self._at]
        return self.post_id

    def next(self) -> str | None:
        """Show the post shown after this one, else the next undecided post (no decision
        is recorded: the post stays in the queue)."""
        if self._at < len(self._trail) - 1:
            self._at += 1
            self.post_id = self._trail[self._at]
        elif self.post_id is not None:
            self._show(self._after(self.post_id))
        return self.post_id

    def select(self, kind: PostFilter) -> int:
        """Walk through the posts of a filter from now on (UNDECIDED: the queue again);
        the first of them is shown. How many posts the filter holds."""
        if kind is PostFilter.UNDECIDED:
            self.selection = None
            if self.post_id is None or self.queue.is_decided(self.post_id):
                self._show(self.queue.next())
            return self.queue.remaining
        members = self._members(kind)
        ids = self.queue.ids
        if kind is not PostFilter.THREAD:  # a thread reads in its own order
            members = ids.filter(ids.is_in(members.implode()))
        self.selection = Selection(kind, members)
        first = self.selection.first()
        if first is not None:
            self._show(first)
        return len(self.selection)

    def _members(self, kind: PostFilter) -> pl.Series:
        if kind is PostFilter.MINE:
            return self.queue.decided_ids()
        if kind is PostFilter.FLAGGED:
            flagged = self.store.posts_with_status(LabelStatus.FLAGGED)
            return pl.Series(sorted(flagged), dtype=pl.String)
        if self.post_id is None:
            return pl.Series([], dtype=pl.String)
        posts = self.store.dataset.posts()
        thread = posts.filter(pl.col("post_id") == self.post_id).select("thread_id")
        same = posts.join(thread, on="thread_id").sort("position")
        return same.select("post_id").collect()["post_id"]

    def _after(self, post_id: str) -> str | None:
        """Where to go from `post_id`: the next post of the filter, else the next undecided."""
        if self.selection is not None:
            return self.selection.after(post_id)
        return self.queue.after(post_id)

    def _show(self, post_id: str | None) -> None:
        """Make `post_id` the post shown, remembering the way back."""
        self.post_id = post_id
        if post_id is None or (self._trail and self._trail[self._at] == post_id):
            return
        del self._trail[self._at + 1 :]
        self._trail.append(post_id)
        self._at = len(self._trail) - 1

    def current_label(self) -> LabelEvent | None:
        """The annotator's current decision on the post shown, if any (to show it)."""
        return None if self.post_id is None else self.store.current_of(self.post_id)

    def progress(self) -> Progress:
        """Decided / queued, and the pace of this session (decisions per hour, time left)."""
        total = len(self.queue)
        done = total - self.queue.remaining
        elapsed = self._clock() - self._started
        rate = self._decided / elapsed * 3600 if self._decided > 0 and elapsed > 0 else None
        eta = (total - done) / rate * 3600 if rate else None
        return Progress(done, total, self._decided, rate, eta)

    def _current(self) -> str:
        if self.post_id is None:
            raise UsageError("every post in the queue is decided", hint="Nothing was saved")
        return self.post_id

    # ------------------------------------------------------------------ closing
    def close(self) -> None:
        """Flush the decisions to Parquet and release the annotator's lock."""
        self.store.close()


def _ordered_posts(dataset: Dataset, order: QueueOrder, seed: int) -> tuple[pl.Series, IdIndex]:
    """The posts in queue order and an index of them (shared by the queue and the store,
    so neither builds one on the first keystroke)."""
    ordered = queue_order(dataset.posts(), order, seed)
    return ordered, IdIndex(ordered)
