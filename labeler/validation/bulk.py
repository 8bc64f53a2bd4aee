"""Bulk validation: many label records at once, with polars expressions compiled from the schema.

Records come as a frame of values (one column per field; null = absent) or as a struct
Series like a label file's `values` column. Compiled keywords (rules.py, expressions.py)
decide every row in one vectorised pass; a property the compiler does not implement is
checked with jsonschema, value by value, and only on rows still valid; a schema whose top
level it does not implement is checked record by record. Messages always come from
re-running the failing rows through the per-record validator, so bulk and per-record
validation say the same thing.

Which rows of a label file must be valid (`invalid_label_mask`, `label_findings`): a
`labelled` row always (null values count as an empty record, so required fields are
reported); a `skipped`, `flagged` or `retracted` row may carry no values (a null struct, or
every field null), and values it does carry must be valid. Rows with any other or a null
status are validated like `labelled` ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl
from jsonschema.protocols import Validator

from labeler.domain.labels import LabelStatus
from labeler.domain.schema import LabelSchema
from labeler.validation.expressions import DType, column_check
from labeler.validation.records import RecordValidator, per_schema, record_validator
from labeler.validation.rules import Rule, Unsupported, parse_record, parse_rule

# Statuses whose rows may carry no values.
_VALUES_OPTIONAL = [s.value for s in LabelStatus if s is not LabelStatus.LABELLED]


@dataclass(frozen=True, slots=True)
class RowError:
    """One violation in one row: the row number (from 0), where, and jsonschema's message."""

    row: int
    path: str
    message: str
    field: str | None = None  # None when the error is about the record itself (`$`)


@dataclass(frozen=True)
class RecordRules:
    """A schema's top level in compiled form; a None rule means: check it with jsonschema."""

    properties: Mapping[str, Rule | None]
    required: tuple[str, ...]
    closed: bool  # additionalProperties: false


def compile_record(document: Mapping[str, Any]) -> RecordRules | None:
    """The compiled top level of a schema, or None if it uses what the compiler lacks."""
    try:
        shape = parse_record(document)
    except Unsupported:  # any other top level: whole records go to jsonschema
        return None
    rules = {str(name): _parse_or_none(sub) for name, sub in shape.properties.items()}
    return RecordRules(rules, shape.required, closed=shape.closed)


def _parse_or_none(subschema: Any) -> Rule | None:
    try:
        return parse_rule(subschema)
    except Unsupported:
        return None


def _column_check_or_none(rule: Rule | None, column: pl.Expr, dtype: DType) -> pl.Expr | None:
    if rule is None:
        return None
    try:
        return column_check(rule, column, dtype)
    except Unsupported:
        return None


def values_frame(values: pl.DataFrame | pl.Series) -> pl.DataFrame:
    """Records as a frame of value columns; a struct Series is unnested (a null row: {})."""
    if isinstance(values, pl.DataFrame):
        return values
    if not isinstance(values.dtype, pl.Struct):
        raise TypeError(f"expected a struct Series of label values, got {values.dtype}")
    return values.struct.unnest()


def rows_to_validate(labels: pl.DataFrame) -> pl.Series:
    """Which rows of a label-file frame must hold valid values (the status rule above)."""
    values = labels.get_column("values")
    if not isinstance(values.dtype, pl.Struct):
        raise TypeError(f"expected a struct column `values`, got {values.dtype}")
    has_values = pl.any_horizontal(
        [pl.col("values").struct.field(f.name).is_not_null() for f in values.dtype.fields]
        or [pl.lit(False)]
    )
    optional = pl.col("status").is_in(_VALUES_OPTIONAL).fill_null(False)
    return _evaluate(labels, ~optional | has_values.fill_null(False)).alias("validate")


class BulkValidator:
    """Validates many records of one schema at once; compile once, reuse for every frame."""

    def __init__(self, schema: LabelSchema) -> None:
        self.schema = schema
        self.records: RecordValidator = record_validator(schema)
        self.rules = compile_record(schema.document)
        self._property_validators: dict[str, Validator] = {}

    def invalid_mask(self, values: pl.DataFrame | pl.Series) -> pl.Series:
        """True for each record that violates the schema (a Boolean Series, no nulls)."""
        frame = values_frame(values)
        if self.rules is None:
            rows = frame.iter_rows(named=True)
            valid = pl.Series([self.records.is_valid(row) for row in rows], dtype=pl.Boolean)
            return (~valid).alias("invalid")
        checks, fallback = self._compile(frame, self.rules)
        valid = _evaluate(frame, pl.all_horizontal(checks) if checks else pl.lit(True))
        for name in fallback:
            valid = self._check_property(frame, name, valid)
        return (~valid).alias("invalid")

    def findings(
        self, values: pl.DataFrame | pl.Series, *, limit: int | None = None
    ) -> list[RowError]:
        """Every violation of the invalid records (of the first `limit` of them), in row order."""
        frame = values_frame(values)
        return self._findings(frame, self.invalid_mask(frame), limit)

    def invalid_label_mask(self, labels: pl.DataFrame) -> pl.Series:
        """`invalid_mask` of a label-file frame (`values`, `status`) under the status rule."""
        return (rows_to_validate(labels) & self.invalid_mask(labels.get_column("values"))).alias(
            "invalid"
        )

    def label_findings(self, labels: pl.DataFrame, *, limit: int | None = None) -> list[RowError]:
        """`findings` of a label-file frame under the status rule; rows are the file's rows."""
        frame = values_frame(labels.get_column("values"))
        mask = rows_to_validate(labels) & self.invalid_mask(frame)
        return self._findings(frame, mask, limit)

    def _compile(self, frame: pl.DataFrame, rules: RecordRules) -> tuple[list[pl.Expr], list[str]]:
        """Expressions for what compiles on these dtypes, and the properties that do not."""
        checks: list[pl.Expr] = []
        fallback: list[str] = []
        for index, (name, dtype) in enumerate(frame.schema.items()):
            column = pl.nth(index)  # by position: a name like "*" or "^a$" is a pattern
            if name not in rules.properties:
                if rules.closed:  # an extra field is an error wherever it has a value
                    checks.append(column.is_null())
                continue
            check = _column_check_or_none(rules.properties[name], column, dtype)
            if check is None:
                fallback.append(name)
            else:
                checks.append(check)
        for name in rules.required:
            if name not in frame.columns:
                checks.append(pl.lit(False))  # absent from every record
            else:
                checks.append(pl.nth(frame.get_column_index(name)).is_not_null())
        return checks, fallback

    def _check_property(self, frame: pl.DataFrame, name: str, valid: pl.Series) -> pl.Series:
        """Check one property with jsonschema, on the rows that have it and are still valid."""
        column = frame.get_column(name)
        todo = valid & column.is_not_null()
        validator = self._property_validator(name)
        values = column.filter(todo).to_list()
        verdicts = pl.Series([validator.is_valid(v) for v in values], dtype=pl.Boolean)
        if verdicts.all():
            return valid
        failed = todo.arg_true().filter(~verdicts)
        return valid.clone().scatter(failed, False)

    def _property_validator(self, name: str) -> Validator:
        validator = self._property_validators.get(name)
        if validator is None:
            subschema = self.schema.document["properties"][name]
            # evolve() keeps the root document, so a $ref inside still resolves.
            validator = self.records.validator.evolve(schema=subschema)
            self._property_validators[name] = validator
        return validator

    def _findings(self, frame: pl.DataFrame, mask: pl.Series, limit: int | None) -> list[RowError]:
        rows = mask.arg_true()
        if limit is not None:
            rows = rows.head(limit)
        found: list[RowError] = []
        for row, values in zip(rows.to_list(), frame[rows].iter_rows(named=True), strict=True):
            found.extend(
                RowError(row, e.path, e.message, e.field) for e in self.records.errors(values)
            )
        return found


bulk_validator = per_schema(BulkValidator)


def _evaluate(frame: pl.DataFrame, expr: pl.Expr) -> pl.Series:
    """`expr` over `frame` as one Series of its height (a literal is broadcast)."""
    result = frame.select(expr.alias("_result")).to_series()
    if result.len() != frame.height:
        result = pl.Series([result[0]] * frame.height, dtype=result.dtype)
    return result
