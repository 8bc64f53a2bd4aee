"""Posts layout: domain posts survive a round trip through Parquet, nested quotes included."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from labeler.domain.post import Flag, InferredAuthor, Post, PostKind, Quote, Reaction
from labeler.errors import FormatError
from labeler.storage.metadata import FileFormat, FileIdentity, write_parquet
from labeler.storage.posts import (
    POSTS_SCHEMA,
    check_posts_file,
    empty_posts,
    post_row,
    posts_table,
    write_posts,
)
from tests.conftest import make_posts


def test_round_trip(tmp_path: Path) -> None:
    posts = make_posts(3)
    path = tmp_path / "p.parquet"
    write_posts(path, posts_table(posts))
    check_posts_file(path)
    rows = pl.read_parquet(path).to_dicts()
    assert [r["post_id"] for r in rows] == [p.post_id for p in posts]
    quoted = rows[1]
    assert quoted["parent_post_id"] == posts[0].post_id
    assert quoted["quotes"] == [
        {
            "author": "alice",
            "time_text": "1 hour ago",
            "text": posts[0].body,
            "post_id": posts[0].post_id,
            "nested": [
                {
                    "author": None,
                    "time_text": None,
                    "text": "an older remark",
                    "post_id": None,
                    "depth": 1,
                }
            ],
        }
    ]
    assert rows[2]["reactions"] == [{"name": "Like", "count": 2}]
    assert rows[2]["flags"] == ["duplicate"]
    assert rows[1]["author"] is None


def test_missing_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.parquet"
    table = posts_table(make_posts(1)).drop_columns(["flags", "edited_by"])
    write_parquet(path, table, FileIdentity.for_format(FileFormat.POSTS))
    with pytest.raises(FormatError, match="lacks column\\(s\\) edited_by, flags"):
        check_posts_file(path)


def test_empty_posts_has_every_column() -> None:
    frame = empty_posts().collect()
    assert frame.columns == POSTS_SCHEMA.names
    assert frame.height == 0


# ---------------------------------------------------------------- fast table == row by row
_text = st.text(max_size=12)
_maybe = st.none() | _text
_quotes = st.recursive(
    st.builds(Quote, author=_maybe, text=_text, time_text=_maybe, post_id=_maybe),
    lambda inner: st.builds(
        Quote,
        author=_maybe,
        text=_text,
        time_text=_maybe,
        post_id=_maybe,
        quotes=st.lists(inner, max_size=3).map(tuple),
    ),
    max_leaves=8,
)
_posts = st.builds(
    Post,
    post_id=_text,
    thread_id=_text,
    thread_title=_text,
    position=st.integers(0, 2**31 - 1),
    kind=st.sampled_from(PostKind),
    body=_text,
    engine=_text,
    source=_text,
    author=_maybe,
    time_text=_maybe,
    posted_at=st.none() | st.datetimes(timezones=st.just(UTC)),
    quotes=st.lists(_quotes, max_size=3).map(tuple),
    parent_post_id=_maybe,
    reactions=st.lists(st.builds(Reaction, _text, st.integers(0, 10**6)), max_size=3).map(tuple),
    edited_by=_maybe,
    author_inferred=st.none() | st.builds(InferredAuthor, _text, _text),
    flags=st.lists(st.sampled_from(Flag), max_size=3, unique=True).map(tuple),
    signature=_maybe,
    post_number=st.none() | st.integers(0, 2**31 - 1),
    depth=st.none() | st.integers(0, 2**15 - 1),
    is_submission=st.none() | st.booleans(),
    url=_maybe,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_posts, max_size=6))
def test_columnar_table_equals_row_by_row_conversion(posts: list[Post]) -> None:
    """posts_table assembles nested columns from flat children; it must equal the plain path."""
    expected = pa.Table.from_pylist([post_row(p) for p in posts], schema=POSTS_SCHEMA)
    table = posts_table(posts)
    assert table.schema == POSTS_SCHEMA
    assert table.to_pylist() == expected.to_pylist()
