"""Compatibility classes between schema versions, one rule at a time."""

from __future__ import annotations

from typing import Any

import pytest

from labeler.validation.compat import Level, classify
from labeler.validation.schemafile import builtin_schemas_dir, load_schema_file, schema_file
from tests.unit.validation.schema_variants import Document, add_sarcastic, v1, variant


def reasons(old_version: str, edit: Any, new_version: str = "2.0.0") -> list[tuple[str, str, str]]:
    diff = classify(v1(), variant(new_version, edit))
    return [(c.level.label, c.where, c.reason) for c in diff.changes]


def test_same_document_under_a_new_patch_version_has_no_changes() -> None:
    diff = classify(v1(), variant("1.0.1"))
    assert diff.changes == [] and diff.level is Level.NONE
    assert diff.problems() == []


def test_rewording_is_a_patch() -> None:
    def edit(d: Document) -> None:
        d["properties"]["quality"]["description"] = "Reworded guideline text for quality."
        d["properties"]["stance_target"]["oneOf"][0]["title"] = "In favour"

    diff = classify(v1(), variant("1.0.1", edit))
    assert diff.level is Level.PATCH
    assert [(c.where, c.reason) for c in diff.changes] == [
        ("$.stance_target", "value 'favor': title changed"),
        ("$.quality", "description changed"),
    ]
    assert diff.problems() == []


def test_adding_an_optional_field_is_minor_and_a_patch_bump_is_refused() -> None:
    def edit(d: Document) -> None:
        add_sarcastic(d, required=False)

    diff = classify(v1(), variant("1.0.1", edit))
    assert [(c.level, c.reason) for c in diff.changes] == [(Level.MINOR, "optional field added")]
    assert diff.problems() == [
        "minor changes need version 1.1.0 or later, but 1.0.0 -> 1.0.1 is a patch bump"
    ]
    assert classify(v1(), variant("1.1.0", edit)).problems() == []


def test_values_added_are_minor_and_removed_are_major() -> None:
    def edit(d: Document) -> None:
        branches = d["properties"]["stance_parent"]["oneOf"]
        branches.append({"const": "ignore", "title": "Ignore", "description": "No response."})
        del branches[2]  # query

    assert reasons("1.0.0", edit) == [
        ("major", "$.stance_parent", "value 'query' removed"),
        ("minor", "$.stance_parent", "value 'ignore' added"),
    ]


def test_a_renamed_field_is_found_by_its_field_id() -> None:
    def edit(d: Document) -> None:
        d["properties"]["remark"] = d["properties"].pop("note")

    assert reasons("1.0.0", edit) == [("major", "$.remark", "field renamed from 'note'")]


@pytest.mark.parametrize(
    ("limit", "value", "level", "verb"),
    [(1000, 1000, "major", "tightened"), (5000, 5000, "minor", "widened")],
)
def test_limits_tightened_are_major_and_widened_minor(
    limit: int, value: int, level: str, verb: str
) -> None:
    def edit(d: Document) -> None:
        d["properties"]["note"]["maxLength"] = limit

    assert reasons("1.0.0", edit) == [(level, "$.note", f"maxLength {verb}: 2000 -> {value}")]


def test_min_items_removed_widens() -> None:
    def edit(d: Document) -> None:
        del d["properties"]["topics"]["minItems"]

    assert reasons("1.0.0", edit) == [("minor", "$.topics", "minItems removed (was 1): widened")]


def test_required_fields() -> None:
    def required_with_default(d: Document) -> None:
        d["required"].append("unsure")  # unsure has "default": false

    def required_without_default(d: Document) -> None:
        d["required"].append("note")

    def optional(d: Document) -> None:
        d["required"].remove("quality")

    assert reasons("1.0.0", required_with_default) == [
        ("minor", "$.unsure", "field made required, default false")
    ]
    assert reasons("1.0.0", required_without_default) == [
        ("major", "$.note", "field made required without a default")
    ]
    assert reasons("1.0.0", optional) == [("minor", "$.quality", "field made optional")]


def test_new_required_field_with_and_without_default() -> None:
    def add(default: bool) -> Any:
        return lambda d: add_sarcastic(d, default=default)

    assert reasons("1.0.0", add(True)) == [
        ("minor", "$.sarcastic", "required field added with default false")
    ]
    assert reasons("1.0.0", add(False)) == [
        ("major", "$.sarcastic", "required field added without a default: old labels lack it")
    ]


def test_a_removed_field_and_a_changed_type_are_major() -> None:
    def edit(d: Document) -> None:
        del d["properties"]["unsure"]
        d["properties"]["note"] = {**d["properties"]["note"], "type": "boolean"}
        del d["properties"]["note"]["maxLength"]

    found = reasons("1.0.0", edit)
    assert ("major", "$.unsure", "field removed: its labels lose it") in found
    assert ("major", "$.note", "answer type changed from text to boolean") in found


def test_keywords_not_modelled_count_as_major() -> None:
    def edit(d: Document) -> None:
        d["properties"]["note"]["pattern"] = "^[a-z ]*$"

    assert reasons("1.0.0", edit) == [("major", "$.note", "'pattern' changed (treated as major)")]


def test_version_must_increase() -> None:
    diff = classify(v1(), variant("0.9.0"))
    assert diff.problems() == ["0.9.0 does not come after 1.0.0"]


def test_shipped_2_0_0_is_major_with_each_reason() -> None:
    new = load_schema_file(schema_file(builtin_schemas_dir(), "post-labels", "2.0.0"))
    diff = classify(v1(), new)
    assert diff.level is Level.MAJOR and diff.bump is Level.MAJOR and diff.problems() == []
    majors = {(c.where, c.reason) for c in diff.changes if c.level is Level.MAJOR}
    assert majors == {
        ("$.stance_parent", "value 'query' removed"),
        ("$.stance_parent", "value 'comment' removed"),
        ("$.topics", "value 'international' removed"),
        ("$.topics", "value 'conflict' removed"),
    }
    assert diff.to_json()["level"] == "major"
