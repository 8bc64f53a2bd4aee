"""The label Parquet layout: one row per label event, values as a struct typed by the schema.

`values` holds one struct field per schema property, typed from the schema (a single choice
of strings is a string, an ordinal scale an int64, a multi-select a list, a flag a bool,
free text a string). A null field means the record does not have it: label files cannot
tell "absent" from `null`, and no label schema allows `null` as a value. Files carry their
schema identity (`labeler` metadata), so every row of a file is of one schema version.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa

from labeler.domain.labels import LabelEvent
from labeler.domain.schema import FieldKind, FieldSpec, LabelSchema
from labeler.storage.metadata import (
    FileFormat,
    FileIdentity,
    read_identity,
    require_columns,
    write_parquet,
)

# Columns of a label file besides `values`, in order.
EVENT_COLUMNS: tuple[str, ...] = (
    "label_id",
    "post_id",
    "annotator",
    "schema_id",
    "schema_version",
    "values",
    "status",
    "supersedes",
    "created_at",
    "duration_ms",
)
# Optional columns: absent in older files, read as nulls. `review` says why a label needs a
# person's attention (set by a migration that could not decide a value).
OPTIONAL_EVENT_COLUMNS: tuple[str, ...] = ("review",)
_NOT_NULL = ("label_id", "post_id", "annotator", "schema_id", "schema_version", "status")


def value_type(spec: FieldSpec) -> pa.DataType:
    """The Arrow type a field's value is stored as."""
    if spec.kind is FieldKind.BOOLEAN:
        return pa.bool_()
    if spec.kind is FieldKind.TEXT:
        return pa.string()
    integer = bool(spec.choices) and all(isinstance(c.value, int) for c in spec.choices)
    item = pa.int64() if integer else pa.string()
    return pa.list_(item) if spec.kind is FieldKind.MULTI else item


def values_type(schema: LabelSchema) -> pa.StructType:
    """The struct type of the `values` column for `schema`."""
    return pa.struct([pa.field(spec.name, value_type(spec)) for spec in schema.fields])


def label_arrow_schema(schema: LabelSchema) -> pa.Schema:
    """The Arrow schema of a label file of `schema`."""
    return pa.schema(
        [
            pa.field("label_id", pa.string(), nullable=False),
            pa.field("post_id", pa.string(), nullable=False),
            pa.field("annotator", pa.string(), nullable=False),
            pa.field("schema_id", pa.string(), nullable=False),
            pa.field("schema_version", pa.string(), nullable=False),
            pa.field("values", values_type(schema)),
            pa.field("status", pa.string(), nullable=False),
            pa.field("supersedes", pa.string()),
            pa.field("created_at", pa.timestamp("us", tz="UTC"), nullable=False),
            pa.field("duration_ms", pa.int64()),
            pa.field("review", pa.string()),
        ]
    )


def labels_table(events: Iterable[LabelEvent], schema: LabelSchema) -> pa.Table:
    """Label events as an Arrow table in the layout of `schema`."""
    rows = list(events)
    values: list[Mapping[str, Any] | None] = [
        None if not e.values else {s.name: e.values.get(s.name) for s in schema.fields}
        for e in rows
    ]
    columns: dict[str, Sequence[Any]] = {
        "label_id": [e.label_id for e in rows],
        "post_id": [e.post_id for e in rows],
        "annotator": [e.annotator for e in rows],
        "schema_id": [e.schema_id for e in rows],
        "schema_version": [e.schema_version for e in rows],
        "values": values,
        "status": [e.status.value for e in rows],
        "supersedes": [e.supersedes for e in rows],
        "created_at": [e.created_at for e in rows],
        "duration_ms": [e.duration_ms for e in rows],
        "review": [e.review for e in rows],
    }
    return pa.table(columns, schema=label_arrow_schema(schema))


def write_labels(path: Path, table: pa.Table, schema: LabelSchema) -> None:
    """Write a label table of `schema` atomically, with the schema's identity."""
    write_parquet(path, table, FileIdentity.for_format(FileFormat.LABELS, schema))


def read_labels(
    path: Path, columns: Sequence[str] | None = None
) -> tuple[FileIdentity, pl.DataFrame]:
    """A label file's identity and rows (all columns, or `columns`), after checking it has
    the event columns; optional columns it lacks read as nulls."""
    identity = read_identity(path, FileFormat.LABELS)
    stored = require_columns(
        path, EVENT_COLUMNS, "label", "Label files are written by labeler; restore it from a copy"
    )
    wanted = None if columns is None else [c for c in columns if c in stored]
    frame = pl.read_parquet(path, columns=wanted)
    for name in OPTIONAL_EVENT_COLUMNS:
        if name not in frame.columns and (columns is None or name in columns):
            frame = frame.with_columns(pl.lit(None, pl.String).alias(name))
    return identity, frame


def not_null_columns() -> tuple[str, ...]:
    """Event columns that may never be null."""
    return _NOT_NULL
