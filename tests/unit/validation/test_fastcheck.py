"""The fast predicate never accepts what jsonschema rejects, and agrees exactly on post-labels."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from labeler.domain.schema import LabelSchema
from labeler.errors import LabelValidationError
from labeler.validation.fastcheck import Predicate, compile_schema
from labeler.validation.records import RecordValidator, record_validator
from labeler.validation.schemafile import SCHEMA_SUFFIX, builtin_schemas_dir, load_schema_file
from tests.unit.validation.record_strategies import near_misses, valid_values
from tests.unit.validation.records_data import (
    KEYWORDS,
    OTHER_DTYPES,
    ROOT_FALLBACK,
    grid_values,
    intended_dtype,
    literal_pool,
    raw_schema,
)
from tests.unit.validation.schema_variants import add_sarcastic, variant

REAL = [
    load_schema_file(path)
    for path in sorted((builtin_schemas_dir() / "post-labels").glob(f"*{SCHEMA_SUFFIX}"))
]

# KEYWORDS without the properties fastcheck does not compile (pattern, format, $ref).
COMPILED_KEYWORDS = raw_schema(
    {
        **KEYWORDS.document,
        "$id": "urn:labeler:schema:compiled-keywords:1.0.0",
        "properties": {
            k: v
            for k, v in KEYWORDS.document["properties"].items()
            if k not in {"ref", "day", "slug"}
        },
    }
)
# Keywords on values of any type, and the equality corners of enum, const and uniqueItems.
EDGES = raw_schema(
    {
        "$id": "urn:labeler:schema:edges:1.0.0",
        "type": "object",
        "required": ["pick"],
        "properties": {
            "pick": {"enum": [1, True, "1", None, 2.5, -0.0]},
            "zero": {"const": 0},
            "flag": {"const": True},
            "whole": {"type": "integer", "exclusiveMinimum": 0.5, "maximum": 1e20},
            "real": {"type": "number", "minimum": -1.5, "exclusiveMaximum": 2},
            "short": {"minLength": 1, "maxLength": 2},
            "set": {"uniqueItems": True, "maxItems": 4},
            "none": {"type": "array", "items": False},
            "ints": {"type": "array", "items": {"type": ["integer", "null"]}},
            "never": {"type": []},
            "empty": {"enum": []},
        },
    }
)
VARIANTS = [COMPILED_KEYWORDS, EDGES, variant("1.1.0", add_sarcastic)]
JUNK: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.sampled_from([1.0, 1.5, -0.0, math.nan, math.inf, 2.0**53, 10**20, 1e20])
    | st.floats()
    | st.text(max_size=3),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(st.text(max_size=2), inner, max_size=2)
    ),
    max_leaves=6,
)
DIFFERENTIAL = settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def predicate(schema: LabelSchema) -> Predicate:
    accepts = compile_schema(schema)
    assert accepts is not None
    return accepts


def bad_values(sub: Any, document: Mapping[str, Any]) -> st.SearchStrategy[Any]:
    """Values just past what a property allows, in every dtype a column may have, and junk."""
    pool = literal_pool(sub)  # the property's own literals and the values just past them
    usual = intended_dtype(sub)
    grid = [v for dtype in (usual, *OTHER_DTYPES) for v in grid_values(dtype, pool)]
    near = near_misses(valid_values(sub, document), usual, pool)
    return st.one_of(near, near, st.sampled_from(grid), JUNK)


@st.composite
def records(draw: st.DrawFn, schema: LabelSchema) -> dict[str, Any]:
    """A record of `schema`: valid values (optional ones maybe absent) but for up to two
    properties, absent or bad, and maybe an extra field."""
    document = schema.document
    properties: Mapping[str, Any] = document["properties"]
    required = document.get("required", [])
    bad = draw(st.sets(st.sampled_from(list(properties)), max_size=2))
    record: dict[str, Any] = {}
    for name, sub in properties.items():
        if name in bad:
            if draw(st.integers(0, 4)) > 0:
                record[name] = draw(bad_values(sub, document))
        elif name in required or draw(st.booleans()):
            value = draw(valid_values(sub, document))
            if value is not None or name in required:  # None: the strategy found no value
                record[name] = value
    if draw(st.integers(0, 5)) == 0:
        record[draw(st.sampled_from(["mood", "", "1"]))] = draw(JUNK)
    return record


@pytest.mark.parametrize("schema", REAL + VARIANTS, ids=lambda s: s.schema_id)
@DIFFERENTIAL
@given(data=st.data())
def test_agrees_with_jsonschema(schema: LabelSchema, data: st.DataObject) -> None:
    """Accepted means valid; on the shipped schemas, rejected also means invalid."""
    record = data.draw(records(schema))
    accepted = predicate(schema)(record)
    valid = record_validator(schema).validator.is_valid(record)
    if schema in REAL:
        assert accepted == valid, record
    else:
        assert valid or not accepted, record


def test_the_shipped_schemas_and_the_variants_compile() -> None:
    assert len(REAL) >= 2
    for schema in REAL + VARIANTS:
        assert compile_schema(schema) is not None
        assert RecordValidator(schema).accepts is not None


V2: dict[str, Any] = {"stance_target": "favor", "topics": ["law"], "quality": 3, "sarcastic": False}


def test_the_bulk_fallback_schemas_do_not_compile() -> None:
    for schema in (KEYWORDS, ROOT_FALLBACK):
        assert compile_schema(schema) is None
        validator = RecordValidator(schema)
        assert validator.is_valid({"score": 5, "tags": ["a"], "ref": "ab-1"})
        assert not validator.is_valid({"score": 5, "tags": ["a"], "ref": "AB"})


@pytest.mark.parametrize(
    ("change", "accepted"),
    [
        ({}, True),
        ({"quality": 3.0}, True),  # 1.0 is an integer and equals the const 1
        ({"quality": 3.5}, False),
        ({"quality": True}, False),  # a boolean is not an integer
        ({"sarcastic": 0}, False),
        ({"quality": math.nan}, False),
        ({"topics": ("law",)}, False),  # a tuple is not an array
        ({"topics": ["law", "law"]}, False),
        ({"topics": ["law", None]}, False),
        ({"topics": []}, False),
        ({"note": "x" * 2000}, True),
        ({"note": "x" * 2001}, False),
        ({"mood": "happy"}, False),
        ({"quality": ...}, False),
    ],
)
def test_the_corners_on_post_labels_2(change: dict[str, Any], accepted: bool) -> None:
    schema = next(s for s in REAL if s.version == "2.0.0")
    record = {k: v for k, v in {**V2, **change}.items() if v is not ...}
    assert predicate(schema)(record) is accepted
    assert RecordValidator(schema).validator.is_valid(record) is accepted


@pytest.mark.parametrize(
    ("record", "accepted"),
    [
        ({"pick": 1}, True),
        ({"pick": 1.0}, True),  # 1.0 == 1 in an enum
        ({"pick": True}, True),
        ({"pick": False}, False),
        ({"pick": "1"}, True),
        ({"pick": None}, True),
        ({"pick": 1, "zero": 0.0}, True),
        ({"pick": 1, "zero": False}, False),
        ({"pick": 1, "flag": 1}, False),
        ({"pick": 1, "whole": 1.0}, True),
        ({"pick": 1, "whole": 1.5}, False),
        ({"pick": 1, "whole": 0}, False),
        ({"pick": 1, "whole": 1e20}, True),
        ({"pick": 1, "real": -1.5}, True),
        ({"pick": 1, "real": -2}, False),
        ({"pick": 1, "real": 2}, False),
        ({"pick": 1, "real": math.nan}, True),  # NaN passes every bound, as in jsonschema
        ({"pick": 1, "real": math.inf}, False),
        ({"pick": 1, "whole": 10**20}, True),
        ({"pick": 1, "whole": 10**20 + 1}, False),
        ({"pick": 1, "short": {"a": 1}}, False),  # jsonschema accepts; the predicate defers
        ({"pick": 1, "set": [1, 1.0]}, False),
        ({"pick": 1, "set": [1, True, "1", None]}, True),
        ({"pick": 1, "set": [math.nan]}, False),  # jsonschema accepts; the predicate defers
        ({"pick": 1, "none": []}, True),
        ({"pick": 1, "none": [None]}, False),
        ({"pick": 1, "ints": [None, 2.0, -1]}, True),
        ({"pick": 1, "ints": [True]}, False),
        ({"pick": 1, "never": None}, False),
        ({"pick": 1, "empty": None}, False),
        ({"pick": 1, "extra": [1]}, True),  # additionalProperties is not false
    ],
)
def test_the_corners_of_equality_and_types(record: dict[str, Any], accepted: bool) -> None:
    assert predicate(EDGES)(record) is accepted
    if accepted:
        assert RecordValidator(EDGES).validator.is_valid(record)


def test_0_equals_negative_0() -> None:
    assert predicate(EDGES)({"pick": 0.0})
    assert predicate(EDGES)({"pick": 0})


@pytest.mark.parametrize(
    "edit",
    [
        {"properties": {"code": {"type": "string", "pattern": "^[a-z]+$"}}},
        {"properties": {"day": {"type": "string", "format": "date"}}},
        {"properties": {"code": {"type": "string"}}, "minProperties": 1},
        {"properties": {"code": {"enum": [["a"]]}}},
        {"properties": {"code": {"type": "string"}}, "additionalProperties": {"type": "string"}},
    ],
)
def test_what_it_does_not_compile_goes_to_jsonschema(edit: dict[str, Any]) -> None:
    schema = raw_schema({"$id": "urn:labeler:schema:fallback:1.0.0", "type": "object", **edit})
    assert compile_schema(schema) is None
    assert RecordValidator(schema).accepts is None


def test_a_schema_with_a_pattern_still_validates() -> None:
    schema = raw_schema(
        {
            "$id": "urn:labeler:schema:pattern:1.0.0",
            "type": "object",
            "additionalProperties": False,
            "required": ["code"],
            "properties": {"code": {"type": "string", "pattern": "^[a-z]+$"}},
        }
    )
    validator = RecordValidator(schema)
    assert validator.accepts is None
    validator.check({"code": "abc"})
    assert validator.is_valid({"code": "abc"})
    assert not validator.is_valid({"code": "ABC"})
    with pytest.raises(LabelValidationError, match=r"\$\.code: 'ABC' does not match"):
        validator.check({"code": "ABC"})


def test_check_and_is_valid_use_the_predicate_and_keep_the_messages() -> None:
    schema = next(s for s in REAL if s.version == "2.0.0")
    validator = RecordValidator(schema)
    asked: list[Mapping[str, Any]] = []
    accepts = predicate(schema)

    def spy(record: Mapping[str, Any]) -> bool:
        asked.append(record)
        return accepts(record)

    validator.accepts = spy
    validator.check({**V2, "note": None})
    assert validator.is_valid(V2)
    assert asked == [V2, V2]  # None means absent
    with pytest.raises(LabelValidationError) as raised:
        validator.check({**V2, "quality": True})
    assert "$.quality: True is not of type 'integer'" in str(raised.value)
    assert not validator.is_valid({**V2, "quality": True})


def test_a_record_the_predicate_defers_on_is_judged_by_jsonschema() -> None:
    record = {"pick": 1, "short": {"a": 1}, "set": [math.nan, float("nan")]}
    assert not predicate(EDGES)(record)
    validator = RecordValidator(EDGES)
    assert validator.is_valid(record)
    assert validator.errors(record) == []
    validator.check(record)
