"""PostReader: posts by id from real Parquet files, through its cache or without one."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import threading
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from labeler.domain.post import Flag, InferredAuthor, Post, PostKind, Quote, Reaction
from labeler.errors import LabelerError
from labeler.storage import atomic, postcache
from labeler.storage.config import DatasetConfig
from labeler.storage.dataset import Dataset
from labeler.storage.metadata import FileFormat, FileIdentity, write_parquet
from labeler.storage.postcache import CACHE_NAME, ParquetRows
from labeler.storage.postreader import CACHED_POSTS, PostReader, PostView, UnknownPostError
from labeler.storage.posts import posts_table, write_posts
from tests.conftest import make_posts

TRICKY = "[bold]naïve[/bold] \x1b[31mred\x1b[0m 日本語 — \u2018quoted\u2019 \\n [link=x]y[/link]"


def full_post() -> Post:
    """A post with every display field set, nested quotes three deep and tricky text."""
    inner = Quote("ève", "deepest [b]", None, None)
    middle = Quote(None, "middle \x1b[1m", "yesterday", "p00000000000000aa", (inner,))
    sibling = Quote("bob", "sibling", None, None)
    outer = Quote("zoë", TRICKY, "2 days ago", "p00000000000000bb", (middle, sibling))
    return Post(
        post_id="p0123456789abcdef",
        thread_id="t0123456789abcdef",
        thread_title="  Débat : le pont  ",
        position=7,
        kind=PostKind.PARAGRAPH,
        body=TRICKY,
        engine="xenforo",
        source="pages/ü.html",
        author="Zoë [admin]",
        time_text="3 Jan 2026, 10:00",
        posted_at=datetime(2026, 1, 3, 10, 0, tzinfo=UTC),
        quotes=(outer, Quote(None, "second quote")),
        parent_post_id="p00000000000000bb",
        reactions=(Reaction("Like", 3), Reaction("😂", 1)),
        edited_by="mod\x1b[0m",
        author_inferred=InferredAuthor("Zoë", "— Zoë, [i]signed[/i]"),
        flags=(Flag.BOILERPLATE, Flag.DUPLICATE),
    )


def expected_view(post: Post, target: str | None = None) -> PostView:
    """The view a reader must give of `post`."""
    return PostView(
        post_id=post.post_id,
        thread_id=post.thread_id,
        thread_title=post.thread_title,
        position=post.position,
        kind=post.kind.value,
        author=post.author,
        time_text=post.time_text,
        posted_at=post.posted_at,
        body=post.body,
        quotes=post.quotes,
        parent_post_id=post.parent_post_id,
        reactions=post.reactions,
        edited_by=post.edited_by,
        author_inferred=post.author_inferred,
        engine=post.engine,
        source=post.source,
        flags=tuple(f.value for f in post.flags),
        target=target,
    )


def with_targets(dataset: Dataset, targets: dict[str, str]) -> Dataset:
    """`dataset` reopened after giving its dataset.toml these stance targets."""
    replace(dataset.config, targets=targets).save(dataset.root)
    return Dataset.open(dataset.root)


@contextlib.contextmanager
def unwritable(final: Path, code: int = errno.EROFS) -> Iterator[Path]:
    """The real atomic write, failing as on a read-only file system (or a full disk)."""
    with atomic.atomic_path(final) as temp:
        if code:
            raise OSError(code, os.strerror(code), str(temp))
        yield temp


def cache_of(dataset: Dataset) -> Path:
    return dataset.state_dir / CACHE_NAME


def test_every_field_round_trips_verbatim(dataset: Dataset) -> None:
    post, plain = full_post(), make_posts(3)
    write_posts(dataset.posts_dir / "a.parquet", posts_table([post, *plain]))
    dataset = with_targets(dataset, {"Débat : le pont": "The bridge should be built"})
    with PostReader.open(dataset) as reader:
        view = reader.get(post.post_id)
        assert view == expected_view(post, "The bridge should be built")
        assert view.body == TRICKY and view.quotes[0].text == TRICKY
        assert view.posted_at is not None and view.posted_at.utcoffset() is not None
        for other in plain:
            assert reader.get(other.post_id) == expected_view(other)
        assert len(reader) == 4


def test_none_fields_and_empty_lists(ds: Dataset, ids: list[str]) -> None:
    with PostReader.open(ds) as reader:
        first = reader.get(ids[0])
        second = reader.get(ids[1])
    assert first.quotes == () and first.reactions == () and first.flags == ()
    assert first.parent_post_id is None and first.posted_at is None
    assert first.author_inferred is None and first.edited_by is None and first.target is None
    assert second.author is None and second.time_text is None


def test_target_by_thread_id(ds: Dataset, ids: list[str]) -> None:
    thread = make_posts(1)[0].thread_id
    with PostReader.open(with_targets(ds, {thread: "Bridges are good"})) as reader:
        assert {reader.get(i).target for i in ids} == {"Bridges are good"}


def test_parent(ds: Dataset, ids: list[str]) -> None:
    with PostReader.open(ds) as reader:
        reply = reader.get(ids[1])
        assert reader.parent(reply) == reader.get(ids[0])
        assert reader.parent(reader.get(ids[0])) is None
        orphan = replace(reply, parent_post_id="p00000000000000ff")
        assert reader.parent(orphan) is None


def test_unknown_id_is_a_typed_key_error(ds: Dataset) -> None:
    with PostReader.open(ds) as reader:
        with pytest.raises(UnknownPostError, match="p00000000000000ff") as caught:
            reader.get("p00000000000000ff")
        error: Exception = caught.value
        assert isinstance(error, KeyError)
        assert isinstance(error, LabelerError)
        assert "nope" not in reader
        reader.prefetch(["nope"])  # skipped, not an error


def test_empty_dataset(dataset: Dataset) -> None:
    with PostReader.open(dataset) as reader:
        assert len(reader) == 0
        with pytest.raises(UnknownPostError):
            reader.get("p0123456789abcdef")


def test_closed_reader_refuses_reads(ds: Dataset, ids: list[str]) -> None:
    reader = PostReader.open(ds)
    reader.close()
    assert reader.closed
    with pytest.raises(ValueError, match="closed"):
        reader.get(ids[0])
    reader.prefetch(ids)
    reader.close()


def test_cache_is_built_once_and_reused(ds: Dataset, ids: list[str]) -> None:
    PostReader.open(ds).close()
    built = cache_of(ds).stat()
    assert (ds.state_dir / ".gitignore").read_text().endswith("*\n")
    with PostReader.open(ds) as reader:
        assert reader.get(ids[2]).position == 2
    assert cache_of(ds).stat().st_ino == built.st_ino


def test_new_posts_file_rebuilds_the_cache(ds: Dataset, ids: list[str]) -> None:
    PostReader.open(ds).close()
    more = make_posts(2, thread="Another thread")
    write_posts(ds.posts_dir / "more.parquet", posts_table(more))
    with PostReader.open(ds) as reader:
        assert reader.get(more[1].post_id) == expected_view(more[1])
        assert reader.get(ids[0]).position == 0
        assert len(reader) == 5


def test_reingest_rebuilds_the_cache(ds: Dataset, ids: list[str]) -> None:
    PostReader.open(ds).close()
    changed = [replace(p, body=f"edited {p.position}") for p in make_posts(3)]
    write_posts(ds.posts_dir / "posts.parquet", posts_table(changed))
    with PostReader.open(ds) as reader:
        assert [reader.get(i).body for i in ids] == ["edited 0", "edited 1", "edited 2"]


@pytest.mark.parametrize("damage", ["empty", "truncated", "garbage", "footer"])
def test_damaged_cache_is_rebuilt(ds: Dataset, ids: list[str], damage: str) -> None:
    PostReader.open(ds).close()
    path = cache_of(ds)
    data = path.read_bytes()
    damaged = {
        "empty": b"",
        "truncated": data[: len(data) // 2],
        "garbage": b"\xff" * len(data),
        "footer": data[:-40] + b"\x07" * 40,
    }[damage]
    path.write_bytes(damaged)
    with PostReader.open(ds) as reader:
        assert [reader.get(i).position for i in ids] == [0, 1, 2]
    assert path.read_bytes() == data


def test_cache_of_another_layout_is_rebuilt(ds: Dataset, ids: list[str]) -> None:
    key = postcache.source_key(ds.posts_files())
    schema = postcache.DISPLAY_SCHEMA.with_metadata({postcache.KEY_FIELD: key.encode()})
    ds.state_dir.mkdir()
    with pa.ipc.new_file(str(cache_of(ds)), schema) as writer:  # the right key, no id numbers
        writer.write_table(posts_table(make_posts(3)).select(postcache.DISPLAY_COLUMNS))
    assert postcache.open_cache(cache_of(ds), key) is None
    with PostReader.open(ds) as reader:
        assert reader.get(ids[1]).position == 1


@pytest.mark.parametrize("code", [errno.EROFS, errno.ENOSPC])
def test_unwritable_state_dir_falls_back_to_parquet(
    ds: Dataset,
    ids: list[str],
    code: int,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(postcache, "atomic_path", lambda final: unwritable(final, code))
    with caplog.at_level(logging.WARNING), PostReader.open(ds) as reader:
        assert [reader.get(i) for i in ids] == [expected_view(p) for p in make_posts(3)]
        assert reader.parent(reader.get(ids[1])) == reader.get(ids[0])
        with pytest.raises(UnknownPostError):
            reader.get("p00000000000000ff")
    assert "reading posts from Parquet" in caplog.text
    assert not cache_of(ds).exists()


def test_parquet_rows_across_files_and_row_groups(
    dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(postcache, "SCAN_ROWS", 2)
    first, second = make_posts(7), make_posts(4, thread="Other")
    identity = FileIdentity.for_format(FileFormat.POSTS)
    write_parquet(dataset.posts_dir / "a.parquet", posts_table(first), identity, row_group_size=3)
    write_posts(dataset.posts_dir / "b.parquet", posts_table([]))
    write_posts(dataset.posts_dir / "c.parquet", posts_table(second))
    posts = first + second
    rows = ParquetRows(dataset.posts_files())
    order = [9, 0, 6, 3, 10, 2, 5]
    assert [r["post_id"] for r in rows.rows(order)] == [posts[i].post_id for i in order]
    with PostReader.open(dataset) as cached:
        fallback = PostReader(DatasetConfig("x", "post-labels", "2.0.0"), rows)
        for post in posts:
            assert fallback.get(post.post_id) == cached.get(post.post_id) == expected_view(post)


def test_prefetch_warms_a_bounded_cache(ds: Dataset, ids: list[str]) -> None:
    with PostReader.open(ds) as reader:
        reader.prefetch(ids)
        reads: list[list[int]] = []
        source = reader._source
        assert source is not None
        real = source.rows

        def counted(indices: Sequence[int]) -> list[dict[str, Any]]:
            reads.append(list(indices))
            return real(indices)

        source.rows = counted  # type: ignore[method-assign]
        assert [reader.get(i).post_id for i in ids] == ids
        assert reads == []
        assert len(reader._cache) <= CACHED_POSTS


def test_prefetch_from_a_thread_while_getting(dataset: Dataset) -> None:
    posts = [p for t in range(20) for p in make_posts(30, thread=f"thread {t}")]
    write_posts(dataset.posts_dir / "many.parquet", posts_table(posts))
    ids = [p.post_id for p in posts]
    errors: list[BaseException] = []
    stop = threading.Event()
    with PostReader.open(dataset) as reader:

        def warm() -> None:
            try:
                while not stop.is_set():
                    for start in range(0, len(ids), 7):
                        reader.prefetch(ids[start : start + 7])
            except BaseException as exc:  # handed to the main thread
                errors.append(exc)

        worker = threading.Thread(target=warm)
        worker.start()
        try:
            for _ in range(3):
                for post in reversed(posts):
                    assert reader.get(post.post_id) == expected_view(post)
        finally:
            stop.set()
            worker.join()
    assert errors == []


def test_around_gives_the_neighbours_in_the_same_thread(dataset: Dataset) -> None:
    first, second, third = make_posts(3, thread="One")
    (other,) = make_posts(1, thread="Two")
    write_posts(dataset.posts_dir / "posts.parquet", posts_table([first, second, third, other]))
    with PostReader.open(dataset) as reader:
        middle = reader.get(second.post_id)
        before, after = reader.around(middle)
        assert before is not None and before.post_id == first.post_id
        assert after is not None and after.post_id == third.post_id
        assert reader.around(reader.get(third.post_id)) == (middle, None)  # next is Two's
        assert reader.around(reader.get(other.post_id)) == (None, None)
