"""Posts layout: domain posts survive a round trip through Parquet, nested quotes included."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from labeler.errors import FormatError
from labeler.storage.metadata import FileFormat, FileIdentity, write_parquet
from labeler.storage.posts import (
    POSTS_SCHEMA,
    check_posts_file,
    empty_posts,
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
