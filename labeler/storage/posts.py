"""The posts Parquet layout: one Arrow schema, conversion from domain posts, and reading."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa

from labeler.domain.post import OPTIONAL_POST_COLUMNS, REQUIRED_POST_COLUMNS, Post, Quote, Reaction
from labeler.storage.metadata import (
    FileFormat,
    FileIdentity,
    read_identity,
    require_columns,
    write_parquet,
)

_QUOTE_FIELDS = [
    pa.field("author", pa.string()),
    pa.field("time_text", pa.string()),
    pa.field("text", pa.string(), nullable=False),
    pa.field("post_id", pa.string()),
]
# Nested quotes (a quote inside a quote) are kept in pre-order with their depth below the
# outer quote (1 = directly inside it): a lossless tree without recursive Arrow types.
NESTED_QUOTE = pa.struct([*_QUOTE_FIELDS, pa.field("depth", pa.int8(), nullable=False)])
QUOTE = pa.struct([*_QUOTE_FIELDS, pa.field("nested", pa.list_(NESTED_QUOTE))])
REACTION = pa.struct([pa.field("name", pa.string(), nullable=False), pa.field("count", pa.int64())])
INFERRED = pa.struct([pa.field("name", pa.string()), pa.field("evidence", pa.string())])

POSTS_SCHEMA = pa.schema(
    [
        pa.field("post_id", pa.string(), nullable=False),
        pa.field("thread_id", pa.string(), nullable=False),
        pa.field("thread_title", pa.string()),
        pa.field("position", pa.int32(), nullable=False),
        pa.field("kind", pa.string(), nullable=False),
        pa.field("author", pa.string()),
        pa.field("time_text", pa.string()),
        pa.field("posted_at", pa.timestamp("us", tz="UTC")),
        pa.field("body", pa.string(), nullable=False),
        pa.field("quotes", pa.list_(QUOTE)),
        pa.field("parent_post_id", pa.string()),
        pa.field("reactions", pa.list_(REACTION)),
        pa.field("edited_by", pa.string()),
        pa.field("author_inferred", INFERRED),
        pa.field("engine", pa.string(), nullable=False),
        pa.field("source", pa.string(), nullable=False),
        pa.field("flags", pa.list_(pa.string())),
        pa.field("signature", pa.string()),
        pa.field("post_number", pa.int32()),
        pa.field("user_title", pa.string()),
        pa.field("subject", pa.string()),
        pa.field("depth", pa.int16()),
        pa.field("is_submission", pa.bool_()),
        pa.field("edited_text", pa.string()),
        pa.field("url", pa.string()),
    ]
)
assert tuple(POSTS_SCHEMA.names) == REQUIRED_POST_COLUMNS + OPTIONAL_POST_COLUMNS


def _quote_row(quote: Quote) -> dict[str, Any]:
    nested: list[dict[str, Any]] = []

    def walk(children: Sequence[Quote], depth: int) -> None:
        for child in children:
            row = {k: getattr(child, k) for k in ("author", "time_text", "text", "post_id")}
            nested.append({**row, "depth": depth})
            walk(child.quotes, depth + 1)

    walk(quote.quotes, 1)
    return {
        "author": quote.author,
        "time_text": quote.time_text,
        "text": quote.text,
        "post_id": quote.post_id,
        "nested": nested,
    }


def post_row(post: Post) -> dict[str, Any]:
    """A post as a row of POSTS_SCHEMA."""
    return {
        "post_id": post.post_id,
        "thread_id": post.thread_id,
        "thread_title": post.thread_title,
        "position": post.position,
        "kind": post.kind.value,
        "author": post.author,
        "time_text": post.time_text,
        "posted_at": post.posted_at,
        "body": post.body,
        "quotes": [_quote_row(q) for q in post.quotes],
        "parent_post_id": post.parent_post_id,
        "reactions": [asdict(r) for r in post.reactions],
        "edited_by": post.edited_by,
        "author_inferred": None if post.author_inferred is None else asdict(post.author_inferred),
        "engine": post.engine,
        "source": post.source,
        "flags": [f.value for f in post.flags],
        **{name: getattr(post, name) for name in OPTIONAL_POST_COLUMNS},
    }


def posts_table(posts: Iterable[Post]) -> pa.Table:
    """Posts as an Arrow table in POSTS_SCHEMA."""
    rows = list(posts)
    columns: dict[str, list[Any]] = {
        name: [getattr(p, name) for p in rows] for name in POSTS_SCHEMA.names
    }
    return columns_table(columns)


def columns_table(columns: Mapping[str, Sequence[Any]]) -> pa.Table:
    """An Arrow table in POSTS_SCHEMA from Python lists, one per column.

    Values are as on `Post` (`kind` a PostKind or its value, `quotes` Quote sequences,
    `reactions` Reaction sequences, `author_inferred` an InferredAuthor or None, `flags`
    strings); an optional column left out is all nulls. Nested columns are assembled from
    their flattened children and offsets, several times faster than a dict per row
    (ingesting a large page writes ~10^5 rows at once).
    """
    height = len(columns["post_id"])
    arrays: list[pa.Array] = []
    for schema_field in POSTS_SCHEMA:
        name = schema_field.name
        if name not in columns and name in OPTIONAL_POST_COLUMNS:
            arrays.append(pa.nulls(height, schema_field.type))
            continue
        values = columns[name]
        if len(values) != height:
            raise ValueError(f"column {name} has {len(values)} values, post_id has {height}")
        if name == "quotes":
            column = _quotes_column(values)
        elif name == "reactions":
            column = _reactions_column(values)
        elif name == "author_inferred":
            column = pa.array(
                [None if a is None else {"name": a.name, "evidence": a.evidence} for a in values],
                INFERRED,
            )
        elif name == "flags":
            column = _list_column(
                values, lambda flat: pa.array(flat, pa.string()), schema_field.type
            )
        else:
            column = pa.array(values, schema_field.type)
        arrays.append(column)
    return pa.Table.from_arrays(arrays, schema=POSTS_SCHEMA)


def _offsets(lists: Sequence[Sequence[Any]]) -> tuple[pa.Array, list[Any]]:
    """Arrow list offsets of `lists` and their items, flattened in order."""
    offsets = [0]
    flat: list[Any] = []
    for items in lists:
        flat.extend(items)
        offsets.append(len(flat))
    return pa.array(offsets, pa.int32()), flat


def _list_column(
    lists: Sequence[Sequence[Any]], values: Callable[[list[Any]], pa.Array], kind: pa.DataType
) -> pa.Array:
    offsets, flat = _offsets(lists)
    return pa.ListArray.from_arrays(offsets, values(flat), type=kind)


def _struct(kind: pa.StructType, children: list[pa.Array]) -> pa.StructArray:
    return pa.StructArray.from_arrays(children, fields=list(kind))


def _quotes_column(quotes: Sequence[Sequence[Quote]]) -> pa.Array:
    def values(flat: list[Quote]) -> pa.Array:
        nested: list[list[tuple[Quote, int]]] = []
        for quote in flat:
            inner: list[tuple[Quote, int]] = []
            _walk(quote.quotes, 1, inner)
            nested.append(inner)
        return _struct(
            QUOTE, [*_quote_fields(flat), _list_column(nested, _nested, QUOTE["nested"].type)]
        )

    return _list_column(quotes, values, POSTS_SCHEMA.field("quotes").type)


def _walk(children: Sequence[Quote], depth: int, out: list[tuple[Quote, int]]) -> None:
    """Nested quotes in pre-order with their depth below the outer quote."""
    for child in children:
        out.append((child, depth))
        _walk(child.quotes, depth + 1, out)


def _nested(flat: list[tuple[Quote, int]]) -> pa.Array:
    quotes = [quote for quote, _ in flat]
    depths = pa.array([depth for _, depth in flat], pa.int8())
    return _struct(NESTED_QUOTE, [*_quote_fields(quotes), depths])


def _quote_fields(quotes: list[Quote]) -> list[pa.Array]:
    return [
        pa.array([q.author for q in quotes], pa.string()),
        pa.array([q.time_text for q in quotes], pa.string()),
        pa.array([q.text for q in quotes], pa.string()),
        pa.array([q.post_id for q in quotes], pa.string()),
    ]


def _reactions_column(reactions: Sequence[Sequence[Reaction]]) -> pa.Array:
    def values(flat: list[Reaction]) -> pa.Array:
        return _struct(
            REACTION,
            [
                pa.array([r.name for r in flat], pa.string()),
                pa.array([r.count for r in flat], pa.int64()),
            ],
        )

    return _list_column(reactions, values, POSTS_SCHEMA.field("reactions").type)


def write_posts(path: Path, table: pa.Table, identity: FileIdentity | None = None) -> None:
    """Write a posts table (already in POSTS_SCHEMA) atomically with its identity."""
    write_parquet(
        path,
        table.cast(POSTS_SCHEMA),
        identity or FileIdentity.for_format(FileFormat.POSTS),
        row_group_size=64_000,
    )


def check_posts_file(path: Path) -> FileIdentity:
    """Identity of a posts file, after checking it has every required column."""
    identity = read_identity(path, FileFormat.POSTS)
    require_columns(
        path, REQUIRED_POST_COLUMNS, "posts", "Re-ingest the source pages to rebuild it"
    )
    return identity


def empty_posts() -> pl.LazyFrame:
    """A LazyFrame with the posts columns and no rows."""
    frame = pl.from_arrow(POSTS_SCHEMA.empty_table())
    assert isinstance(frame, pl.DataFrame)
    return frame.lazy()
