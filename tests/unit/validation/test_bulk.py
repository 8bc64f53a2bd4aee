"""Bulk validation: compiled keywords agree with jsonschema record by record, messages included."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema.protocols import Validator

from labeler.domain.labels import LabelEvent, LabelStatus
from labeler.storage.labels import labels_table, read_labels, write_labels
from labeler.validation.bulk import (
    BulkValidator,
    RowError,
    bulk_validator,
    compile_record,
    rows_to_validate,
)
from tests.unit.validation.record_strategies import values_frames
from tests.unit.validation.records_data import (
    KEYWORDS,
    OTHER_DTYPES,
    ROOT_FALLBACK,
    builtin,
    grid_values,
    intended_dtype,
    literal_pool,
)

V1 = builtin("1.0.0")
V2 = builtin("2.0.0")
V1_DTYPES: dict[str, pl.DataType] = {
    "stance_target": pl.String(),
    "stance_parent": pl.String(),
    "topics": pl.List(pl.String()),
    "quality": pl.Int64(),
    "unsure": pl.Boolean(),
    "note": pl.String(),
}
VALID: dict[str, Any] = {"stance_target": "favor", "topics": ["politics"], "quality": 3}


def assert_agrees(validator: BulkValidator, frame: pl.DataFrame) -> list[bool]:
    """Bulk verdicts and messages equal per-record ones on every row; returns the verdicts."""
    records = validator.records
    rows = list(frame.iter_rows(named=True))
    expected = [bool(records.errors(row)) for row in rows]
    assert [not records.is_valid(row) for row in rows] == expected
    mask = validator.invalid_mask(frame)
    assert mask.dtype == pl.Boolean
    assert mask.null_count() == 0
    assert mask.to_list() == expected
    if frame.width:
        assert validator.invalid_mask(frame.to_struct("values")).to_list() == expected
    assert [(f.row, f.path, f.message) for f in validator.findings(frame)] == [
        (i, e.path, e.message) for i, row in enumerate(rows) for e in records.errors(row)
    ]
    return expected


def v1_frame(*records: dict[str, Any]) -> pl.DataFrame:
    return pl.DataFrame(list(records), schema=V1_DTYPES)


# ------------------------------------------------------------------ differential (hypothesis)
DIFFERENTIAL = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


SCHEMAS = {s.schema_id: s for s in (V1, V2, KEYWORDS, ROOT_FALLBACK)}


@pytest.mark.parametrize("schema_id", list(SCHEMAS))
@DIFFERENTIAL
@given(data=st.data())
def test_bulk_and_per_record_verdicts_are_identical(schema_id: str, data: st.DataObject) -> None:
    schema = SCHEMAS[schema_id]
    assert_agrees(bulk_validator(schema), data.draw(values_frames(schema)))


# A valid record of each schema, for the grid below.
BASE: dict[str, dict[str, Any]] = {
    V1.schema_id: VALID,
    V2.schema_id: {**VALID, "sarcastic": False},
    KEYWORDS.schema_id: {"score": 5, "tags": ["a"], "ref": "ab-1"},
    ROOT_FALLBACK.schema_id: {"score": 5, "tags": ["a"], "ref": "ab-1"},
}


@pytest.mark.parametrize("schema_id", list(SCHEMAS))
def test_every_dtype_and_interesting_value_of_every_field(schema_id: str) -> None:
    """A valid record with one field replaced, for each field, each dtype and each value
    from the schema's literals and their near misses: one violation at a time."""
    schema = SCHEMAS[schema_id]
    validator = bulk_validator(schema)
    properties = schema.document["properties"]
    pool = literal_pool(schema.document)
    invalid = 0
    for name in [*properties, "mood"]:
        usual = intended_dtype(properties.get(name, {}))
        for dtype in dict.fromkeys([usual, *OTHER_DTYPES]):
            values = grid_values(dtype, pool)
            base = {
                k: pl.Series(k, [v] * len(values), dtype=intended_dtype(properties[k]))
                for k, v in BASE[schema_id].items()
            }
            frame = pl.DataFrame(list({**base, name: pl.Series(name, values, dtype)}.values()))
            invalid += sum(assert_agrees(validator, frame))
    assert invalid > 0


# ------------------------------------------------------------------ what compiles
def test_post_labels_compiles_entirely() -> None:
    for schema in (V1, V2):
        rules = compile_record(schema.document)
        assert rules is not None
        assert rules.closed
        assert all(rule is not None for rule in rules.properties.values())


def test_unknown_keywords_fall_back_per_property() -> None:
    rules = compile_record(KEYWORDS.document)
    assert rules is not None
    fallback = sorted(name for name, rule in rules.properties.items() if rule is None)
    assert fallback == ["day", "ref", "slug"]


def test_unknown_top_level_keywords_fall_back_per_record() -> None:
    assert compile_record(ROOT_FALLBACK.document) is None


# ------------------------------------------------------------------ behaviour on post-labels
def test_valid_records_pass() -> None:
    frame = v1_frame(
        VALID,
        {**VALID, "stance_parent": "query", "unsure": True, "note": "x" * 2000},
        {**VALID, "topics": ["sport", "meta", "other"], "quality": 5},
    )
    assert assert_agrees(bulk_validator(V1), frame) == [False, False, False]


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        ({"stance_target": "maybe"}, "$.stance_target", "'maybe' is not valid under any of"),
        ({"stance_parent": "favor"}, "$.stance_parent", "'favor' is not valid under any of"),
        ({"topics": []}, "$.topics", "[] should be non-empty"),
        ({"topics": ["law", "law"]}, "$.topics", "['law', 'law'] has non-unique elements"),
        ({"topics": ["law", "golf"]}, "$.topics[1]", "'golf' is not valid under any of"),
        ({"topics": [None]}, "$.topics[0]", "None is not of type 'string'"),
        ({"quality": 0}, "$.quality", "0 is not valid under any of the given schemas"),
        ({"note": "x" * 2001}, "$.note", "is too long"),
        ({"quality": None}, "$", "'quality' is a required property"),
    ],
)
def test_each_violation_is_found_with_its_message(
    change: dict[str, Any], path: str, message: str
) -> None:
    frame = v1_frame(VALID, {**VALID, **change})
    assert assert_agrees(bulk_validator(V1), frame) == [False, True]
    first = bulk_validator(V1).findings(frame)[0]
    assert (first.row, first.path) == (1, path)
    assert message in first.message


@pytest.mark.parametrize(
    ("column", "series"),
    [
        ("quality", pl.Series([3, 2.5, None], dtype=pl.Float64)),  # 3.0 is an integer
        ("quality", pl.Series(["3", "1", None])),
        ("quality", pl.Series([True, False, None])),
        ("stance_target", pl.Series([1, 2, None], dtype=pl.Int8)),
        ("topics", pl.Series(["law", "sport", None])),
        ("topics", pl.Series([[1], [], None], dtype=pl.List(pl.Int64))),
        ("unsure", pl.Series([0, 1, None])),
        ("note", pl.Series([1.5, None, None])),
        ("note", pl.Series([None, None, None], dtype=pl.Null)),
    ],
)
def test_a_column_of_another_dtype(column: str, series: pl.Series) -> None:
    frame = v1_frame(VALID, VALID, VALID).with_columns(series.alias(column))
    verdicts = assert_agrees(bulk_validator(V1), frame)
    assert verdicts[2] == (column in {"quality", "topics", "stance_target"})


def test_extra_fields_are_errors_where_they_have_a_value() -> None:
    frame = v1_frame(VALID, VALID).with_columns(mood=pl.Series(["happy", None]))
    assert assert_agrees(bulk_validator(V1), frame) == [True, False]


def test_missing_required_column_fails_every_row() -> None:
    frame = v1_frame(VALID, VALID).drop("quality")
    assert assert_agrees(bulk_validator(V1), frame) == [True, True]


def test_a_null_struct_row_is_an_empty_record() -> None:
    values = pl.Series("values", [VALID, None], dtype=pl.Struct(V1_DTYPES))
    assert bulk_validator(V1).invalid_mask(values).to_list() == [False, True]


def test_empty_input_and_non_struct_series() -> None:
    assert bulk_validator(V1).invalid_mask(v1_frame()).to_list() == []
    with pytest.raises(TypeError, match="struct"):
        bulk_validator(V1).invalid_mask(pl.Series([1, 2]))


def test_findings_can_stop_early() -> None:
    frame = v1_frame(*[{**VALID, "quality": 9}] * 5)
    assert [f.row for f in bulk_validator(V1).findings(frame, limit=2)] == [0, 1]


def test_keywords_beyond_post_labels() -> None:
    frame = pl.DataFrame(
        {
            "score": [0, 10, -1, 11],
            "ratio": [0.1, 1.4999, 0.0, float("nan")],  # NaN passes any bound, as in Python
            "tags": [["a"], ["a", "b", "c"], [], ["a", "b", "c", "d"]],
            "counts": [[-5, 99], [], [-6], [100]],
            "code": ["ab", "abcd", "a", "abcde"],
        }
    )
    assert assert_agrees(bulk_validator(KEYWORDS), frame) == [False, False, True, True]


class Spy:
    """Stands in for a property validator and records what it was asked about."""

    def __init__(self, inner: Validator) -> None:
        self.inner = inner
        self.seen: list[Any] = []

    def is_valid(self, value: Any) -> bool:
        self.seen.append(value)
        return bool(self.inner.is_valid(value))


def test_fallback_runs_jsonschema_only_on_rows_still_valid() -> None:
    validator = BulkValidator(KEYWORDS)
    spy = Spy(validator._property_validator("ref"))
    validator._property_validators["ref"] = cast(Validator, spy)
    frame = pl.DataFrame(
        {"score": [1, 99, 1, 1], "tags": [["a"]] * 4, "ref": ["ab-1", "ab-2", None, "AB"]}
    )
    assert validator.invalid_mask(frame).to_list() == [False, True, False, True]
    assert spy.seen == ["ab-1", "AB"]


# ------------------------------------------------------------------ label files: the status rule
def label_frame(rows: list[tuple[str | None, dict[str, Any] | None]]) -> pl.DataFrame:
    values = pl.Series("values", [v for _, v in rows], dtype=pl.Struct(V1_DTYPES))
    return pl.DataFrame([pl.Series("status", [s for s, _ in rows], dtype=pl.String), values])


def test_status_rule() -> None:
    empty = dict.fromkeys(V1_DTYPES)
    rows: list[tuple[str | None, dict[str, Any] | None]] = [
        ("labelled", VALID),
        ("labelled", None),  # must hold values: reported as missing required fields
        ("skipped", None),
        ("retracted", empty),
        ("flagged", {"quality": 9}),  # has values, so they must be valid
        ("flagged", VALID),
        (None, None),  # an unknown status is treated as labelled
    ]
    frame = label_frame(rows)
    assert rows_to_validate(frame).to_list() == [True, True, False, False, True, True, True]
    validator = bulk_validator(V1)
    invalid = validator.invalid_label_mask(frame).to_list()
    assert invalid == [False, True, False, False, True, False, True]
    found = validator.label_findings(frame)
    assert sorted({f.row for f in found}) == [1, 4, 6]
    assert RowError(1, "$", "'stance_target' is a required property") in found


def test_a_label_file_round_trip(tmp_path: Path) -> None:
    def event(i: int, status: LabelStatus, values: dict[str, Any]) -> LabelEvent:
        created = datetime(2024, 1, 1, tzinfo=UTC)
        return LabelEvent(
            f"l{i}", f"p{i}", "ann", V1.schema_id, V1.version, values, status, created
        )

    events = [
        event(0, LabelStatus.LABELLED, VALID),
        event(1, LabelStatus.LABELLED, {**VALID, "topics": ["golf"]}),
        event(2, LabelStatus.SKIPPED, {}),
        event(3, LabelStatus.LABELLED, {}),
    ]
    path = tmp_path / "labels.parquet"
    write_labels(path, labels_table(events, V1), V1)
    _, frame = read_labels(path)
    found = bulk_validator(V1).label_findings(frame)
    assert [(f.row, f.path) for f in found] == [
        (1, "$.topics[0]"),
        (3, "$"),
        (3, "$"),
        (3, "$"),
    ]
