"""Compiled rules as polars expressions over the columns of label values.

`column_check` turns a `Rule` (rules.py) into a boolean expression for a column of a given
dtype. The expressions follow jsonschema's semantics, not polars' defaults: 1.0 is an
integer and equals 1, True never equals 1, NaN passes every bound and equals nothing; the
differential tests pin this down. A dtype or value they cannot judge exactly raises
`Unsupported`, and the caller checks that property with jsonschema instead.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import polars as pl
from polars.datatypes import DataTypeClass

from labeler.validation.rules import Rule, Unsupported

_INT64 = (-(2**63), 2**63 - 1)
# Integers up to this size convert to float exactly, so float columns compare like Python.
_EXACT_FLOAT_INT = 2**53
_INTEGER_DTYPES = (pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt8, pl.UInt16, pl.UInt32)
# What polars gives as a dtype: an instance, or (for a List's inner type) sometimes a class.
DType = pl.DataType | DataTypeClass
_SCALAR_KINDS = frozenset({"string", "integer", "float", "boolean", "null"})


def column_check(rule: Rule, column: pl.Expr, dtype: DType) -> pl.Expr:
    """True where `column` is null (the field is absent) or satisfies `rule`."""
    return column.is_null() | value_check(rule, column, dtype)


def value_check(rule: Rule, value: pl.Expr, dtype: DType) -> pl.Expr:
    """True where the non-null `value` satisfies `rule`; its verdict on nulls is unspecified."""
    if rule.accept is not None:
        return pl.lit(rule.accept)
    kind = dtype_kind(dtype)
    if kind == "null":
        return pl.lit(True)
    if kind == "integer":
        value = value.cast(pl.Int64)
    elif kind == "float":
        value = value.cast(pl.Float64)
    checks = [_type_check(rule.types, kind, value)] if rule.types is not None else []
    checks += [_choice_check(choice, kind, value) for choice in rule.choices]
    checks += _kind_checks(rule, kind, value, dtype)
    return pl.all_horizontal(checks) if checks else pl.lit(True)


def dtype_kind(dtype: DType) -> str:
    """Which JSON values a column of `dtype` holds; Unsupported for dtypes not compiled."""
    if dtype == pl.String:
        return "string"
    if any(dtype == d for d in _INTEGER_DTYPES):  # not UInt64: it would overflow Int64
        return "integer"
    if dtype in (pl.Float32, pl.Float64):
        return "float"
    if dtype == pl.Boolean:
        return "boolean"
    if dtype == pl.Null:
        return "null"
    if isinstance(dtype, pl.List):
        return "list"
    raise Unsupported(f"a column of dtype {dtype}")


def _type_check(types: frozenset[str], kind: str, value: pl.Expr) -> pl.Expr:
    if kind == "float" and "number" not in types and "integer" in types:
        # jsonschema counts a float with no fractional part as an integer.
        return value.is_finite() & (value.floor() == value)
    names = {
        "string": {"string"},
        "integer": {"integer", "number"},
        "float": {"number"},
        "boolean": {"boolean"},
        "list": {"array"},
    }[kind]
    return pl.lit(bool(types & names))


def _choice_check(choice: tuple[Any, ...], kind: str, value: pl.Expr) -> pl.Expr:
    numbers = [c for c in choice if isinstance(c, int | float) and not isinstance(c, bool)]
    if kind == "string":
        strings = [c for c in choice if isinstance(c, str)]
        return value.is_in(_values(strings, pl.String))
    if kind == "integer":
        ints = sorted({int(c) for c in numbers if _integral(c) and _INT64[0] <= c <= _INT64[1]})
        return value.is_in(_values(ints, pl.Int64))
    if kind == "float":
        return _float_choice(numbers, value)
    if kind == "boolean":
        flags = {c for c in choice if isinstance(c, bool)}
        return value.is_in(_values(sorted(flags), pl.Boolean))
    if any(isinstance(c, list | tuple) for c in choice):
        raise Unsupported("an enum of arrays")
    return pl.lit(False)  # a list never equals a scalar


def _values(values: list[Any], dtype: type[pl.DataType]) -> pl.Series:
    """A set of literals for is_in, as one list value (polars' unambiguous form)."""
    return pl.Series(values, dtype=dtype).implode()


def _integral(number: int | float) -> bool:
    return isinstance(number, int) or (math.isfinite(number) and number.is_integer())


def _float_choice(numbers: list[int | float], value: pl.Expr) -> pl.Expr:
    if any(not _float_exact(n) for n in numbers):
        raise Unsupported("an enum number a float cannot hold exactly")
    # `==` rather than is_in: -0.0 must equal 0, and NaN must equal nothing.
    matches = [value == pl.lit(float(n), dtype=pl.Float64) for n in numbers]
    return pl.any_horizontal(matches) if matches else pl.lit(False)


def _float_exact(number: int | float) -> bool:
    if isinstance(number, float):
        return not math.isnan(number)
    return abs(number) <= _EXACT_FLOAT_INT


def _kind_checks(rule: Rule, kind: str, value: pl.Expr, dtype: DType) -> list[pl.Expr]:
    if kind == "integer":
        return [_int_bound(op, bound, value) for op, bound in rule.bounds]
    if kind == "float":
        return [_float_bound(op, bound, value) for op, bound in rule.bounds]
    if kind == "string":
        return _length_checks(rule, value.str.len_chars())
    if kind == "list":
        assert isinstance(dtype, pl.List)
        return _list_checks(rule, value, dtype.inner)
    return []


_COMPARE: dict[str, Callable[[pl.Expr, pl.Expr], pl.Expr]] = {
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
}


def _int_bound(op: str, bound: int | float, value: pl.Expr) -> pl.Expr:
    """An integer bound as an exact Int64 comparison (`x > 1.5` is `x >= 2`)."""
    if op in (">=", ">"):
        least = math.ceil(bound) if op == ">=" else math.floor(bound) + 1
        if least > _INT64[1] or least <= _INT64[0]:
            return pl.lit(least <= _INT64[0])
        return value >= pl.lit(least, dtype=pl.Int64)
    most = math.floor(bound) if op == "<=" else math.ceil(bound) - 1
    if most < _INT64[0] or most >= _INT64[1]:
        return pl.lit(most >= _INT64[1])
    return value <= pl.lit(most, dtype=pl.Int64)


def _float_bound(op: str, bound: int | float, value: pl.Expr) -> pl.Expr:
    if not _float_exact(bound):
        raise Unsupported("a bound a float cannot hold exactly")
    # Python's `nan < bound` is False, so jsonschema lets NaN through; polars sorts NaN last.
    return value.is_nan() | _COMPARE[op](value, pl.lit(float(bound), dtype=pl.Float64))


def _length_checks(rule: Rule, length: pl.Expr) -> list[pl.Expr]:
    checks = []
    if rule.min_length is not None:
        checks.append(length >= rule.min_length)
    if rule.max_length is not None:
        checks.append(length <= rule.max_length)
    return checks


def _list_checks(rule: Rule, value: pl.Expr, inner: DType) -> list[pl.Expr]:
    length = value.list.len()
    checks = []
    if rule.min_items is not None:
        checks.append(length >= rule.min_items)
    if rule.max_items is not None:
        checks.append(length <= rule.max_items)
    inner_kind = dtype_kind(inner)
    if rule.unique_items:
        # Floats are left to jsonschema: its sort-based check and NaN do not mix.
        if inner_kind not in {"string", "integer", "boolean", "null"}:
            raise Unsupported("uniqueItems over floats or nested values")
        checks.append(value.list.n_unique() == length)
    if rule.items is not None:
        checks.append(value.list.eval(_item_check(rule.items, inner, inner_kind)).list.all())
    return checks


def _item_check(rule: Rule, inner: DType, inner_kind: str) -> pl.Expr:
    if inner_kind not in _SCALAR_KINDS:
        raise Unsupported("items of nested values")
    item = pl.element()
    # A null item is a JSON null, not an absent value.
    return (
        pl.when(item.is_null())
        .then(pl.lit(rule.accepts_null()))
        .otherwise(value_check(rule, item, inner))
    )
