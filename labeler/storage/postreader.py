"""One post at a time, by id, without loading every post: what the labelling screen shows.

`PostReader.open` reads only the post ids (from a memory-mapped cache of the display columns
under `.labeler/`, built on first use and whenever the posts files change) and indexes them;
`get` then turns one row into a `PostView` in well under a millisecond. When no cache can be
written (read-only dataset, full disk) the reader works from the Parquet files instead, slower per
post, which `prefetch` from a worker thread hides. Page text is carried verbatim: escaping
markup is the front end's job.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import polars as pl

from labeler.domain.closing import Closing
from labeler.domain.post import InferredAuthor, Quote, Reaction
from labeler.errors import CorruptInputError, LabelerError, StorageError
from labeler.storage.config import DatasetConfig
from labeler.storage.dataset import Dataset
from labeler.storage.idindex import IdIndex
from labeler.storage.postcache import (
    CACHE_NAME,
    ParquetRows,
    RowSource,
    build_cache,
    open_cache,
    source_key,
)

logger = logging.getLogger(__name__)

CACHED_POSTS = 256  # posts kept converted (prefetched or recently shown)


class UnknownPostError(LabelerError, KeyError):
    """No post of the dataset has this id."""

    title = "unknown post"


@dataclass(frozen=True, slots=True)
class PostView:
    """Everything the labelling screen shows of one post, as plain Python values."""

    post_id: str
    thread_id: str
    thread_title: str | None
    position: int
    kind: str
    author: str | None
    time_text: str | None
    posted_at: datetime | None
    body: str
    quotes: tuple[Quote, ...]
    parent_post_id: str | None
    reactions: tuple[Reaction, ...]
    edited_by: str | None
    author_inferred: InferredAuthor | None
    engine: str
    source: str
    flags: tuple[str, ...]
    target: str | None


class PostReader(Closing):
    """Display fields of posts by id, read on demand, with a small thread-safe cache."""

    def __init__(self, config: DatasetConfig, source: RowSource) -> None:
        """Read through `source`; `open` is the usual way in."""
        self._config = config
        self._source: RowSource | None = source
        ids, numbers = source.index_columns()
        known = None if numbers is None else pl.Series(numbers)
        self._index = IdIndex(pl.Series("post_id", ids), known)
        self._cache: OrderedDict[str, PostView] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def open(cls, dataset: Dataset) -> PostReader:
        """Open the dataset's posts for reading by id; builds the cache if it is missing."""
        return cls(dataset.config, _row_source(dataset))

    @property
    def closed(self) -> bool:
        """Whether `close` was called."""
        return self._source is None

    def __len__(self) -> int:
        return len(self._index)

    def __contains__(self, post_id: object) -> bool:
        return post_id in self._index

    def get(self, post_id: str) -> PostView:
        """The post with id `post_id`; UnknownPostError when the dataset has none."""
        with self._lock:
            view = self._cache.get(post_id)
            if view is not None:
                self._cache.move_to_end(post_id)
                return view
        view = self._read([post_id])[post_id]
        self._remember([view])
        return view

    def parent(self, post: PostView) -> PostView | None:
        """The post `post` replies to, when the dataset holds it."""
        if post.parent_post_id is None or post.parent_post_id not in self._index:
            return None
        return self.get(post.parent_post_id)

    def around(self, post: PostView) -> tuple[PostView | None, PostView | None]:
        """The posts just before and after `post` in its thread (a news paragraph's
        neighbours in the article), when the posts files hold them next to it."""
        row = self._index.find(post.post_id)
        if row is None:
            return None, None
        found: list[PostView | None] = []
        for step in (-1, 1):
            view = self._view_at(row + step) if 0 <= row + step < len(self._index) else None
            if view is not None and (view.thread_id, view.position) != (
                post.thread_id,
                post.position + step,
            ):
                view = None
            found.append(view)
        return found[0], found[1]

    def _view_at(self, row: int) -> PostView | None:
        source = self._source
        if source is None:
            return None
        (record,) = source.rows([row])
        return view_of(record, self._config)

    def prefetch(self, post_ids: Sequence[str]) -> None:
        """Read these posts into the cache (unknown ids are skipped); safe from any thread."""
        with self._lock:
            if self._source is None:
                return
            missing = [p for p in dict.fromkeys(post_ids) if p not in self._cache]
        known = [p for p in missing if p in self._index][:CACHED_POSTS]
        if not known:
            return
        try:
            views = self._read(known)
        except (ValueError, IndexError):
            if self.closed:  # closed while reading: nothing to warm any more
                return
            raise
        self._remember(list(views.values()))

    def close(self) -> None:
        """Release the cache mapping or files; views already returned stay valid."""
        with self._lock:
            source, self._source = self._source, None
            self._cache.clear()
        if source is not None:
            source.close()

    def _read(self, post_ids: Sequence[str]) -> dict[str, PostView]:
        """Views of `post_ids` read from the source, checking each row is the one asked."""
        source = self._source
        if source is None:
            raise ValueError("the post reader is closed")
        indices = []
        for post_id in post_ids:
            index = self._index.find(post_id)
            if index is None:
                raise UnknownPostError(
                    f"no post has id {post_id!r}", hint="Check the id, or re-ingest the pages"
                )
            indices.append(index)
        views = {}
        for post_id, row in zip(post_ids, source.rows(indices), strict=True):
            if row["post_id"] != post_id:
                raise CorruptInputError(
                    f"the post cache gives post {row['post_id']!r} for {post_id!r}",
                    hint=f"Delete .labeler/{CACHE_NAME}; it is rebuilt on the next start",
                )
            views[post_id] = view_of(row, self._config)
        return views

    def _remember(self, views: Sequence[PostView]) -> None:
        with self._lock:
            for view in views:
                self._cache[view.post_id] = view
                self._cache.move_to_end(view.post_id)
            while len(self._cache) > CACHED_POSTS:
                self._cache.popitem(last=False)


def _row_source(dataset: Dataset) -> RowSource:
    """The cache if it is current, else a freshly built one, else the Parquet files."""
    files = dataset.posts_files()
    key = source_key(files)
    path = dataset.state_dir / CACHE_NAME
    cached = open_cache(path, key)
    if cached is not None:
        return cached
    try:
        build_cache(files, path, key)
    except StorageError as exc:
        logger.warning("cannot write the post cache (%s); reading posts from Parquet", exc)
        return ParquetRows(files)
    cached = open_cache(path, key)
    if cached is None:
        logger.warning("the post cache just written to %s is unreadable; reading Parquet", path)
        return ParquetRows(files)
    return cached


def view_of(row: Mapping[str, Any], config: DatasetConfig) -> PostView:
    """A PostView from one row of the display columns, with its thread's stance target."""
    inferred = row["author_inferred"]
    return PostView(
        post_id=row["post_id"],
        thread_id=row["thread_id"],
        thread_title=row["thread_title"],
        position=row["position"],
        kind=row["kind"],
        author=row["author"],
        time_text=row["time_text"],
        posted_at=row["posted_at"],
        body=row["body"],
        quotes=tuple(_quote(q) for q in row["quotes"] or ()),
        parent_post_id=row["parent_post_id"],
        reactions=tuple(Reaction(r["name"], r["count"]) for r in row["reactions"] or ()),
        edited_by=row["edited_by"],
        author_inferred=None if inferred is None else InferredAuthor(**inferred),
        engine=row["engine"],
        source=row["source"],
        flags=tuple(row["flags"] or ()),
        target=config.target_for(row["thread_id"], row["thread_title"]),
    )


def _quote(row: Mapping[str, Any]) -> Quote:
    """A quote with its nested quotes rebuilt from their pre-order list with depths."""
    nested: list[Quote] = []
    stack: list[tuple[int, list[Quote], dict[str, Any]]] = []

    def fold(depth: int) -> None:
        """Close the quotes on the stack that are at `depth` or deeper."""
        while stack and stack[-1][0] >= depth:
            _, children, fields = stack.pop()
            done = Quote(quotes=tuple(children), **fields)
            (stack[-1][1] if stack else nested).append(done)

    for item in row["nested"] or ():
        fold(item["depth"])
        fields = {k: item[k] for k in ("author", "text", "time_text", "post_id")}
        stack.append((item["depth"], [], fields))
    fold(1)
    return Quote(row["author"], row["text"], row["time_text"], row["post_id"], tuple(nested))
