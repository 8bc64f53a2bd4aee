"""Which posts a session walks through: the undecided queue, or a filtered list of posts.

A filter (the posts I flagged, the posts I decided, the thread of the post shown) is a
fixed list of post ids in queue order, computed once when chosen; moving on from a post
goes to the next post of the list after it, wrapping at the end.
"""

from __future__ import annotations

from enum import StrEnum

import polars as pl

from labeler.storage.idindex import IdIndex


class PostFilter(StrEnum):
    """The posts a session shows one after another."""

    UNDECIDED = "undecided"  # the queue: posts this annotator has not decided
    FLAGGED = "flagged"  # posts whose current decision by this annotator is a flag
    MINE = "mine"  # posts this annotator has decided
    THREAD = "thread"  # every post of the thread of the post shown


class Selection:
    """A filtered list of posts, walked from the post shown."""

    def __init__(self, kind: PostFilter, ids: pl.Series) -> None:
        self.kind = kind
        self.ids = ids
        self._index = IdIndex(ids)

    def __len__(self) -> int:
        return len(self.ids)

    def position(self, post_id: str) -> int | None:
        """1-based place of `post_id` in the list, or None when it is not in it."""
        row = self._index.find(post_id)
        return None if row is None else row + 1

    def first(self) -> str | None:
        """The first post of the list, if any."""
        return str(self.ids[0]) if len(self.ids) else None

    def after(self, post_id: str) -> str | None:
        """The post after `post_id` (wrapping); the first one if `post_id` is not listed."""
        if not len(self.ids):
            return None
        row = self._index.find(post_id)
        following = 0 if row is None else (row + 1) % len(self.ids)
        return str(self.ids[following])
