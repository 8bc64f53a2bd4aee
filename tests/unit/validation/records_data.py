"""Schemas and values shared by the record and bulk validation tests.

Records are frames of value columns (one dtype per column, null = absent), as in label
files. Besides the shipped post-labels versions there are schemas using keywords
post-labels does not (and some the bulk compiler leaves to jsonschema). The literal pool
and the grid hold what a schema names (its consts, bounds and lengths) and the values just
past each, in every dtype a column may have.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from polars.datatypes import DataTypeClass

from labeler.domain.schema import LabelSchema, parse_schema_id
from labeler.validation.expressions import DType
from labeler.validation.schemafile import builtin_schemas_dir, load_schema_file, schema_file


def builtin(version: str) -> LabelSchema:
    """A shipped post-labels version."""
    return load_schema_file(schema_file(builtin_schemas_dir(), "post-labels", version))


def raw_schema(document: dict[str, Any]) -> LabelSchema:
    """A LabelSchema over any JSON Schema, without the form conventions build_schema checks."""
    name, version = parse_schema_id(document["$id"])
    return LabelSchema(document["$id"], name, version, name, "", (), document)


# Keywords post-labels does not use, and some the compiler leaves to jsonschema: `pattern`,
# `format` and a `$ref`.
KEYWORDS = raw_schema(
    {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:labeler:schema:keywords:1.0.0",
        "type": "object",
        "additionalProperties": False,
        "required": ["score", "tags"],
        "$defs": {"slug": {"type": "string", "pattern": "^[a-z]+$", "examples": ["abc", "A1"]}},
        "properties": {
            "score": {"type": "integer", "minimum": 0, "maximum": 10},
            "rank": {"type": "integer", "exclusiveMinimum": 0, "maximum": 4.5},
            "offset": {"type": "integer", "minimum": -2.5, "exclusiveMaximum": 7.5},
            "ratio": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1.5},
            "tags": {
                "type": "array",
                "minItems": 1,
                "maxItems": 3,
                "uniqueItems": True,
                "items": {"enum": ["a", "b", "c", "d"]},
            },
            "counts": {
                "type": "array",
                "maxItems": 4,
                "items": {"type": "integer", "minimum": -5, "exclusiveMaximum": 100},
            },
            "code": {"type": "string", "minLength": 2, "maxLength": 4},
            "level": {"anyOf": [{"const": 1}, {"const": 2.5}, {"const": "max"}]},
            "mode": {"enum": ["fast", 1, True, None], "title": "mixed-type enum"},
            "fixed": {"const": False},
            "whole": {"type": ["integer", "null"]},
            "anything": {},
            "forbidden": False,
            "ref": {"type": "string", "pattern": "^[a-z]+-[0-9]+$", "examples": ["ab-12", "ab"]},
            "day": {"type": "string", "format": "date", "examples": ["2024-02-29", "2023-02-29"]},
            "slug": {"$ref": "#/$defs/slug"},
        },
    }
)


# A top-level keyword the compiler lacks: every record goes to jsonschema.
ROOT_FALLBACK = raw_schema(
    {
        **KEYWORDS.document,
        "$id": "urn:labeler:schema:root-fallback:1.0.0",
        "minProperties": 3,
    }
)


OTHER_DTYPES: tuple[pl.DataType, ...] = (
    pl.String(),
    pl.Int64(),
    pl.Int8(),
    pl.UInt8(),
    pl.UInt64(),
    pl.Float64(),
    pl.Float32(),
    pl.Boolean(),
    pl.Null(),
    pl.List(pl.String()),
    pl.List(pl.Int64()),
    pl.List(pl.Float64()),
    pl.List(pl.Boolean()),
    pl.List(pl.Null()),
    pl.Struct({"a": pl.Int64()}),
    pl.Date(),
)


_FIELD_OF_TYPE: dict[str, pl.DataType] = {
    "string": pl.String(),
    "integer": pl.Int64(),
    "number": pl.Float64(),
    "boolean": pl.Boolean(),
}


_BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")


_LENGTHS = ("minLength", "maxLength")


def intended_dtype(subschema: Any) -> pl.DataType:
    """The dtype a label file would give this property (from its type, else its values)."""
    if not isinstance(subschema, Mapping):
        return pl.String()
    kind = first_type(subschema)
    if kind == "array":
        return pl.List(intended_dtype(subschema.get("items", {})))
    if kind in _FIELD_OF_TYPE:
        return _FIELD_OF_TYPE[kind]
    consts = consts_of(subschema)
    return _dtype_of(consts[0]) if consts else pl.String()


def first_type(subschema: Mapping[str, Any]) -> str | None:
    """The subschema's type, or the first of its types."""
    kind = subschema.get("type")
    if isinstance(kind, list):
        kind = kind[0] if kind else None
    return kind if isinstance(kind, str) else None


def consts_of(subschema: Mapping[str, Any]) -> list[Any]:
    """The values a const, an enum or a oneOf/anyOf of consts allows."""
    if "const" in subschema:
        return [subschema["const"]]
    if "enum" in subschema:
        return list(subschema["enum"])
    branches = subschema.get("oneOf", subschema.get("anyOf", []))
    return [b["const"] for b in branches if "const" in b]


def _dtype_of(value: Any) -> pl.DataType:
    if isinstance(value, bool):
        return pl.Boolean()
    if isinstance(value, int):
        return pl.Int64()
    return pl.Float64() if isinstance(value, float) else pl.String()


def fits(value: Any, dtype: DType) -> bool:
    """Whether a column of `dtype` can hold `value` as it is."""
    if value is None:
        return True
    if isinstance(dtype, pl.List):
        return isinstance(value, list) and all(fits(v, dtype.inner) for v in value)
    if dtype == pl.Int64:
        return type(value) is int and -(2**63) <= value < 2**63
    expected = {pl.String: str, pl.Float64: float, pl.Boolean: bool}
    return any(dtype == d and type(value) is kind for d, kind in expected.items())


@dataclass
class Pool:
    """Literal values a schema names, to draw generated values from."""

    strings: set[str] = field(default_factory=lambda: {""})
    ints: set[int] = field(default_factory=lambda: {0, 1, -1})
    floats: set[float] = field(
        default_factory=lambda: {0.0, -0.0, 0.5, math.nan, math.inf, -math.inf}
    )
    groups: list[list[Any]] = field(default_factory=list)  # each enum / oneOf of consts

    def add(self, value: Any) -> None:
        """Remember a literal under every dtype it can be written in."""
        if isinstance(value, str):
            self.strings.add(value)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            self.floats.add(float(value))
            if float(value).is_integer():
                self.ints.add(int(value))


def literal_pool(node: Any, pool: Pool | None = None) -> Pool:
    """Every const, enum value, example, bound and length in a schema, with near misses."""
    pool = pool if pool is not None else Pool()
    pool.groups = [consts for sub in _subschemas(node) if (consts := consts_of(sub))]
    for key, value in _walk(node):
        if key in {"const", "enum", "examples"}:
            for item in value if key != "const" else [value]:
                pool.add(item)
        elif key in _BOUNDS:
            for delta in (-1, -0.5, 0, 0.5, 1):
                pool.add(value + delta)
        elif key in _LENGTHS:
            pool.strings.update("x" * n for n in (value - 1, value, value + 1) if n >= 0)
    return pool


def _walk(node: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(node, Mapping):
        for key, value in node.items():
            yield key, value
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def _subschemas(node: Any) -> Iterator[Mapping[str, Any]]:
    if isinstance(node, Mapping):
        yield node
        for value in node.values():
            yield from _subschemas(value)
    elif isinstance(node, list):
        for item in node:
            yield from _subschemas(item)


def dtype_class(dtype: DType) -> Any:
    """The dtype's class, whether polars gave an instance or the class itself."""
    return dtype if isinstance(dtype, DataTypeClass) else type(dtype)


_RANGES: dict[Any, tuple[int, int]] = {
    pl.Int64: (-(2**63), 2**63 - 1),
    pl.Int8: (-128, 127),
    pl.UInt8: (0, 255),
    pl.UInt64: (0, 2**64 - 1),
}


_EDGE_FLOATS = (1e300, -1e300, 2.0**53, 5e-324, 2.5)


def grid_values(dtype: DType, pool: Pool) -> list[Any]:
    """Every interesting value of `dtype` for a schema (its pool and near misses), and null."""
    if isinstance(dtype, pl.List):
        return [None, *_list_grid(dtype.inner, pool)]
    kind = dtype_class(dtype)
    if kind in _RANGES:
        low, high = _RANGES[kind]
        return [None, *sorted(i for i in pool.ints | {low, high} if low <= i <= high)]
    if kind in (pl.Float64, pl.Float32):
        return [None, *sorted(pool.floats, key=repr), *_EDGE_FLOATS]
    other: dict[Any, list[Any]] = {
        pl.String: [*sorted(pool.strings), "\u00e9", "\U0001f600" * 3],
        pl.Boolean: [True, False],
        pl.Null: [],
        pl.Struct: [{"a": 1}, {"a": None}],
        pl.Date: [dt.date(2024, 1, 1)],
    }
    return [None, *other[kind]]


def _list_grid(inner: DType, pool: Pool) -> list[list[Any]]:
    """Lists of each single item, of each group of consts whole and cut, with a repeat or a
    null item added."""
    items = [v for v in grid_values(inner, pool) if v is not None]
    groups = [[v for v in g if fits(v, inner) and v is not None] for g in pool.groups]
    lists: list[list[Any]] = [[], [None], [None, None], *([v] for v in items)]
    for group in [g for g in (items[:3], *groups) if g]:
        lists += [group, group[:2], group[:3], [*group[:2], group[0]], [group[0], None]]
    return lists
