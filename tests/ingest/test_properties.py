"""Properties of the whole ingest path: any text parses without crashing, rows are complete."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from labeler.domain.post import REQUIRED_POST_COLUMNS
from labeler.ingest.engines import ENGINE_NAMES
from labeler.ingest.page import Page
from labeler.ingest.pipeline import ExistingRows, build_posts, parse_page
from labeler.storage.dataset import Dataset
from labeler.storage.posts import POSTS_SCHEMA

# Line shapes the parsers key on, mixed with arbitrary text, so that generated pages reach
# deep into every parser rather than stopping at "no posts".
SHAPES = [
    "Postby alice » Mon Feb 09, 2026 7:12 pm",
    "Link to comment",
    "Share on other sites",
    "1 hour ago, bob said:",
    "On 3/2/2026 at 9:14 AM, cy said:",
    "Quote Originally Posted by dee View Post",
    " 1. 06-15-2016, 03:03 PM #1",
    "eve said:",
    "Click to expand...",
    "Reactions: ann, ben and 3 others",
    "frank (Frank Li) June 19, 2015, 6:45am #2",
    "level 2",
    "4 points · 6 years ago",
    "  • Like 2",
    "Edited by gus",
    "Last edited by hal on Mon Feb 09, 2026 9:11 pm, edited 1 time in total.",
    "    indented quoted line",
    "Related: another story",
    "Advertisement",
    "",
]
lines = st.one_of(st.sampled_from(SHAPES), st.text(max_size=80))
pages = st.lists(lines, max_size=60).map("\n".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=pages, engine=st.sampled_from(("auto", *ENGINE_NAMES)))
def test_any_text_ingests_without_crashing_and_rows_are_complete(text: str, engine: str) -> None:
    page = Page.from_text(text, path="page.txt")
    parsed, _ = parse_page(page, engine)
    assert all(isinstance(post.body, str) for post in parsed.posts)
    with tempfile.TemporaryDirectory() as tmp:
        existing = ExistingRows(Dataset.open_or_create(Path(tmp) / "ds"))
        table, already, thread_id, _ = build_posts(parsed, page, existing, "page.txt")
    assert already == 0
    table.validate(full=True)
    assert table.schema.equals(POSTS_SCHEMA)
    assert set(REQUIRED_POST_COLUMNS) <= set(table.column_names)
    for column in POSTS_SCHEMA:  # a required value is never missing
        assert column.nullable or table.column(column.name).null_count == 0, column.name
    rows = table.to_pylist()
    assert len({row["post_id"] for row in rows}) == len(rows)
    assert all(row["thread_id"] == thread_id for row in rows)
    positions = [row["position"] for row in rows]
    assert len(set(positions)) == len(positions) and all(p > 0 for p in positions)


@settings(max_examples=60, deadline=None)
@given(
    markup=st.lists(
        st.sampled_from(
            [
                "<div class='post'>",
                "</div>",
                "<blockquote>",
                "</blockquote>",
                "<p>",
                "</p>",
                "<article class='message'>",
                "<time datetime='2020-01-02T03:04:05Z'>x</time>",
                "<cite>ann wrote:</cite>",
                "<br>",
                "<script>alert(1)</script>",
                "text & more",
            ]
        )
        | st.text(max_size=30),
        max_size=40,
    ).map("".join)
)
# Found by this test: a removed element whose tail holds a control character.
@example(
    markup="<div class='post'><div class='post'><time datetime='2020-01-02T03:04:05Z'>x</time>"
    "<script>alert(1)</script>00\x1f0"
)
def test_any_markup_ingests_without_crashing(markup: str) -> None:
    page = Page.from_text("<!DOCTYPE html><html><body>" + markup, path="page.html")
    parsed, _ = parse_page(page)
    assert all(isinstance(post.body, str) for post in parsed.posts)
