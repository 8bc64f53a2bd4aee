"""The schema view: the default schema builds, and broken documents are refused precisely."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from labeler.domain.schema import (
    FieldKind,
    LabelSchema,
    build_schema,
    canonical_json,
    parse_schema_id,
)
from labeler.errors import SchemaError


@pytest.fixture
def doc(schema: LabelSchema) -> dict[str, Any]:
    return copy.deepcopy(dict(schema.document))


def test_default_schema_fields(schema: LabelSchema) -> None:
    assert schema.schema_id == "urn:labeler:schema:post-labels:2.0.0"
    assert (schema.name, schema.version) == ("post-labels", "2.0.0")
    kinds = {f.name: f.kind for f in schema.fields}
    assert kinds == {
        "stance_target": FieldKind.SINGLE,
        "stance_parent": FieldKind.SINGLE,
        "topics": FieldKind.MULTI,
        "quality": FieldKind.ORDINAL,
        "sarcastic": FieldKind.BOOLEAN,
        "unsure": FieldKind.BOOLEAN,
        "note": FieldKind.TEXT,
    }
    assert [c.value for c in schema.field("stance_target").choices] == [
        "favor",
        "against",
        "neutral",
        "none",
    ]
    assert [c.value for c in schema.field("stance_parent").choices] == [
        "agree",
        "disagree",
        "question",
        "extend",
        "aside",
    ]
    assert [c.value for c in schema.field("quality").choices] == [1, 2, 3, 4, 5]
    assert schema.field("stance_parent").context == "quote"
    assert {f.name for f in schema.fields if f.required} == {
        "stance_target",
        "topics",
        "quality",
        "sarcastic",
    }


def test_every_field_and_value_has_guideline_text(schema: LabelSchema) -> None:
    for spec in schema.fields:
        assert len(spec.description) > 40, spec.name
        for choice in spec.choices:
            assert len(choice.description) > 20, (spec.name, choice.value)


def test_keys_map_to_fields_and_values(schema: LabelSchema) -> None:
    keys = schema.keys()
    spec, choice = keys["f"]
    assert spec.name == "stance_target" and choice is not None and choice.value == "favor"
    spec, choice = keys["u"]
    assert spec.name == "unsure" and choice is None


def test_key_conflict_is_an_error_naming_both_owners(doc: dict[str, Any]) -> None:
    doc["properties"]["stance_parent"]["oneOf"][0]["x-key"] = "f"
    with pytest.raises(
        SchemaError, match=r"key 'f' is given to both stance_target=favor and stance_parent=agree"
    ):
        build_schema(doc)


def test_open_record_is_refused(doc: dict[str, Any]) -> None:
    doc["additionalProperties"] = True
    with pytest.raises(SchemaError, match="closed object"):
        build_schema(doc)


@pytest.mark.parametrize("attr", ["x-field-id", "title", "description"])
def test_field_without_required_annotation_is_refused(doc: dict[str, Any], attr: str) -> None:
    del doc["properties"]["quality"][attr]
    with pytest.raises(SchemaError, match=f"field 'quality': missing '{attr}'"):
        build_schema(doc)


def test_value_without_description_is_refused(doc: dict[str, Any]) -> None:
    del doc["properties"]["stance_target"]["oneOf"][2]["description"]
    with pytest.raises(SchemaError, match="value 'neutral' needs a title and a description"):
        build_schema(doc)


def test_duplicate_field_id_is_refused(doc: dict[str, Any]) -> None:
    doc["properties"]["note"]["x-field-id"] = "quality"
    with pytest.raises(SchemaError, match="x-field-id 'quality' is used by both"):
        build_schema(doc)


def test_required_must_name_existing_fields(doc: dict[str, Any]) -> None:
    doc["required"].append("colour")
    with pytest.raises(SchemaError, match='"required"'):
        build_schema(doc)


def test_multi_select_needs_unique_items(doc: dict[str, Any]) -> None:
    del doc["properties"]["topics"]["uniqueItems"]
    with pytest.raises(SchemaError, match="uniqueItems"):
        build_schema(doc)


@pytest.mark.parametrize("key", ["ff", " ", 3])
def test_key_must_be_one_printable_character(doc: dict[str, Any], key: object) -> None:
    doc["properties"]["stance_target"]["oneOf"][0]["x-key"] = key
    with pytest.raises(SchemaError, match="x-key must be one printable"):
        build_schema(doc)


def test_unsupported_field_shape(doc: dict[str, Any]) -> None:
    doc["properties"]["note"] = {
        "x-field-id": "n",
        "title": "N",
        "description": "d",
        "type": "number",
    }
    with pytest.raises(SchemaError, match="cannot build a form field"):
        build_schema(doc)


@pytest.mark.parametrize(
    "bad",
    [
        "urn:labeler:schema:post-labels:1.0",
        "urn:other:post-labels:1.0.0",
        "urn:labeler:schema:Post:1.0.0",
        "",
    ],
)
def test_schema_id_format(bad: str) -> None:
    with pytest.raises(SchemaError, match="is not of the form"):
        parse_schema_id(bad)


def test_sha256_ignores_formatting(schema: LabelSchema) -> None:
    reloaded = build_schema(json.loads(json.dumps(schema.document, indent=7)))
    assert reloaded.sha256 == schema.sha256
    changed = copy.deepcopy(dict(schema.document))
    changed["title"] = "Other"
    assert build_schema(changed).sha256 != schema.sha256
    assert canonical_json({"b": 1, "a": 2}) == '{"a":2,"b":1}'
