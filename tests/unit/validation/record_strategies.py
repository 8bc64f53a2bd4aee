"""Hypothesis strategies for frames of label values, valid and not.

Most columns are of the dtype the schema implies and hold values it accepts, so many rows
are valid and many invalid ones break a single rule; a few columns are bad: absent, mixed
with near misses (records_data.grid_values) and junk, or of another dtype altogether.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from typing import Any

import polars as pl
from hypothesis import strategies as st

from labeler.domain.schema import LabelSchema
from labeler.validation.expressions import DType
from tests.unit.validation.records_data import (
    OTHER_DTYPES,
    Pool,
    consts_of,
    dtype_class,
    first_type,
    fits,
    grid_values,
    intended_dtype,
    literal_pool,
)


def valid_values(subschema: Any, root: Mapping[str, Any]) -> st.SearchStrategy[Any]:
    """Values the subschema accepts, for the keywords the test schemas use."""
    if not isinstance(subschema, Mapping):
        return st.none()
    if "$ref" in subschema:  # only "#/$defs/<name>" in the test schemas
        return valid_values(root["$defs"][subschema["$ref"].rsplit("/", 1)[1]], root)
    consts = consts_of(subschema)
    if consts:
        return st.sampled_from(consts)
    maker = _VALID_BY_TYPE.get(first_type(subschema))
    return maker(subschema, root) if maker is not None else st.none()


def _valid_list(sub: Mapping[str, Any], root: Mapping[str, Any]) -> st.SearchStrategy[Any]:
    low = sub.get("minItems", 0)
    return st.lists(
        valid_values(sub.get("items", {}), root),
        min_size=low,
        max_size=min(sub.get("maxItems", low + 3), low + 3),
        unique=sub.get("uniqueItems", False),
    )


def _valid_int(sub: Mapping[str, Any], root: Mapping[str, Any]) -> st.SearchStrategy[Any]:
    low = sub.get("minimum", sub.get("exclusiveMinimum", -1001) + 1)
    high = sub.get("maximum", sub.get("exclusiveMaximum", 1001) - 1)
    return st.integers(math.ceil(low), math.floor(high))


def _valid_float(sub: Mapping[str, Any], root: Mapping[str, Any]) -> st.SearchStrategy[Any]:
    return st.floats(
        sub.get("minimum", sub.get("exclusiveMinimum")),
        sub.get("maximum", sub.get("exclusiveMaximum")),
        exclude_min="exclusiveMinimum" in sub,
        exclude_max="exclusiveMaximum" in sub,
        allow_nan=False,
    )


def _valid_text(sub: Mapping[str, Any], root: Mapping[str, Any]) -> st.SearchStrategy[Any]:
    if "pattern" in sub:
        return st.from_regex(sub["pattern"], fullmatch=True)
    if sub.get("format") == "date":
        return st.dates().map(dt.date.isoformat)
    low, high = sub.get("minLength", 0), sub.get("maxLength")
    text = st.text(min_size=low, max_size=min(high, low + 8) if high is not None else low + 8)
    return text | st.just("x" * high) if high is not None else text


_VALID_BY_TYPE: dict[Any, Any] = {
    "array": _valid_list,
    "integer": _valid_int,
    "number": _valid_float,
    "string": _valid_text,
    "boolean": lambda sub, root: st.booleans(),
}


def value_strategy(dtype: DType, pool: Pool) -> st.SearchStrategy[Any]:
    """Non-null values of `dtype`, mostly from the pool."""
    if isinstance(dtype, pl.List):
        item = value_strategy(dtype.inner, pool)
        return st.lists(st.one_of(item, item, item, st.none()), max_size=4)
    if isinstance(dtype, pl.Struct):
        return st.fixed_dictionaries({"a": st.none() | st.integers(-3, 3)})
    return _SCALARS[dtype_class(dtype)](pool)


def _ints(low: int, high: int) -> Callable[[Pool], st.SearchStrategy[Any]]:
    def make(p: Pool) -> st.SearchStrategy[int]:
        inside = sorted(i for i in p.ints | {low, high} if low <= i <= high)
        return st.sampled_from(inside) | st.integers(low, high)

    return make


_SCALARS: dict[Any, Callable[[Pool], st.SearchStrategy[Any]]] = {
    pl.String: lambda p: st.sampled_from(sorted(p.strings)) | st.text(max_size=5),
    pl.Int64: _ints(-(2**63), 2**63 - 1),
    pl.Int8: _ints(-128, 127),
    pl.UInt8: _ints(0, 255),
    pl.UInt64: _ints(0, 2**64 - 1),
    pl.Float64: lambda p: st.sampled_from(sorted(p.floats, key=repr)) | st.floats(),
    pl.Float32: lambda p: st.sampled_from(sorted(p.floats, key=repr)) | st.floats(width=32),
    pl.Boolean: lambda p: st.booleans(),
    pl.Null: lambda p: st.none(),
    pl.Date: lambda p: st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)),
}


@st.composite
def values_frames(
    draw: st.DrawFn, schema: LabelSchema, extra: tuple[str, ...] = ("mood",)
) -> pl.DataFrame:
    """A frame of label values for `schema`: columns of any dtype, rows valid or not.

    Most columns are clean (values the schema accepts; nulls only where optional), so many
    rows are valid and many invalid ones break a single rule. Up to two columns are bad:
    absent, mixing near misses and junk into valid values, or of another dtype altogether.
    Extra (undeclared) columns are of any dtype and mostly null.
    """
    document = schema.document
    properties: Mapping[str, Any] = document["properties"]
    names = [*properties, *extra]
    bad = draw(st.sets(st.sampled_from(list(properties)), max_size=2)) if properties else set()
    height = draw(st.sampled_from([0, 1, 3, 8, 16]))
    columns = []
    for name in names:
        series = draw(_column(schema, name, name in bad, height))
        if series is not None:
            columns.append(series)
    return pl.DataFrame(columns)


@st.composite
def _column(
    draw: st.DrawFn, schema: LabelSchema, name: str, bad: bool, height: int
) -> pl.Series | None:
    document = schema.document
    sub = document["properties"].get(name)
    if sub is None:  # an undeclared field
        if draw(st.integers(0, 9)) < 3:
            return None
        dtype = draw(st.sampled_from(OTHER_DTYPES))
        cells = st.none() | value_strategy(dtype, literal_pool(document))
        if draw(st.booleans()):  # a value makes the row invalid: mostly keep it null
            cells = st.one_of(*[st.none()] * 7, cells)
        return pl.Series(name, draw(st.lists(cells, min_size=height, max_size=height)), dtype)
    shape = draw(st.sampled_from(["absent", "noisy", "noisy", "noisy", "other"])) if bad else ""
    if shape == "absent":
        return None
    dtype = intended_dtype(sub) if shape != "other" else draw(st.sampled_from(OTHER_DTYPES))
    good = valid_values(sub, document).filter(lambda v: fits(v, dtype))
    value = good
    if shape == "noisy":
        pool = literal_pool(document)
        value = good | near_misses(good, dtype, pool) | value_strategy(dtype, pool)
    elif shape == "other":
        value = value_strategy(dtype, literal_pool(document))
    optional = name not in document.get("required", [])
    if (optional or bad) and draw(st.booleans()):
        value = st.none() | value
    return pl.Series(name, draw(st.lists(value, min_size=height, max_size=height)), dtype)


def near_misses(good: st.SearchStrategy[Any], dtype: DType, pool: Pool) -> st.SearchStrategy[Any]:
    """Values just past what the schema allows: the grid of its literals (bounds and lengths
    plus or minus a little), and for lists also valid lists bent out of shape."""
    grid = st.sampled_from([v for v in grid_values(dtype, pool) if v is not None] or [None])
    if not isinstance(dtype, pl.List):
        return grid
    bent = good.flatmap(lambda v: st.sampled_from([v + v[:1], [], v + v, [*v, None]]))
    return grid | bent
