"""Migration operations are pure, do what their names say, and files are checked on load."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from labeler.errors import SchemaError
from labeler.validation.migrations import (
    OPERATIONS,
    Migration,
    Step,
    auto_migration,
    load_migration,
    sample_records,
)
from tests.unit.validation.schema_variants import add_sarcastic, v1, variant

RECORD: dict[str, Any] = {
    "stance_target": "favor",
    "stance_parent": "comment",
    "topics": ["international", "conflict", "sport"],
    "quality": 3,
    "note": "hard one",
}


def run(op: str, record: dict[str, Any], **params: Any) -> tuple[dict[str, Any], str | None]:
    before = json.dumps(record, sort_keys=True)
    out = Step(op, params).apply(record)
    assert json.dumps(record, sort_keys=True) == before, "a step must not change its input"
    return out


def test_every_operation_is_registered() -> None:
    assert set(OPERATIONS) == {
        "rename_field",
        "rename_value",
        "merge_values",
        "split_value",
        "add_field",
        "drop_field",
    }


def test_rename_value_single_and_multi() -> None:
    out, review = run(
        "rename_value", RECORD, field="stance_parent", **{"from": "comment", "to": "aside"}
    )
    assert out["stance_parent"] == "aside" and review is None
    out, _ = run("rename_value", RECORD, field="topics", **{"from": "sport", "to": "games"})
    assert out["topics"] == ["international", "conflict", "games"]


def test_merge_values_deduplicates_a_multi_select_in_order() -> None:
    out, review = run(
        "merge_values", RECORD, field="topics", values=["international", "conflict"], into="world"
    )
    assert out["topics"] == ["world", "sport"] and review is None


def test_split_value_removes_the_value_and_asks_for_review() -> None:
    out, review = run(
        "split_value", RECORD, field="stance_parent", value="comment", into=["a", "b"]
    )
    assert "stance_parent" not in out
    assert review == "stance_parent was 'comment', which is now 'a' or 'b': choose one"
    out, review = run("split_value", RECORD, field="topics", value="sport", into=["x", "y"])
    assert out["topics"] == ["international", "conflict"] and review is not None
    out, review = run("split_value", RECORD, field="stance_parent", value="agree", into=["x"])
    assert out == RECORD and review is None


def test_add_rename_and_drop_fields() -> None:
    out, _ = run("add_field", RECORD, field="sarcastic", default=False)
    assert out["sarcastic"] is False
    out, _ = run("add_field", RECORD, field="quality", default=1)
    assert out["quality"] == 3, "an existing value is kept"
    out, _ = run("rename_field", RECORD, **{"from": "note", "to": "remark"})
    assert out["remark"] == "hard one" and "note" not in out
    out, _ = run("drop_field", RECORD, field="note")
    assert "note" not in out and out["quality"] == 3


def test_migration_reports_which_steps_changed_a_record() -> None:
    migration = Migration(
        "post-labels",
        "1.0.0",
        "2.0.0",
        (
            Step("rename_value", {"field": "stance_parent", "from": "query", "to": "question"}),
            Step("add_field", {"field": "sarcastic", "default": False}),
            Step("split_value", {"field": "stance_parent", "value": "comment", "into": ["a", "b"]}),
        ),
    )
    out, reviews, changed = migration.apply(RECORD)
    assert changed == [1, 2]
    assert len(reviews) == 1 and out["sarcastic"] is False


def write_migration(tmp_path: Path, document: Any, name: str = "2.0.0.migration.json") -> Path:
    path = tmp_path / "post-labels" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return path


def test_load_reads_steps_and_describes_them(tmp_path: Path) -> None:
    path = write_migration(
        tmp_path,
        {
            "from": "1.0.0",
            "steps": [
                {"op": "merge_values", "field": "topics", "values": ["a", "b"], "into": "c"},
                {"op": "add_field", "field": "sarcastic", "default": False},
            ],
        },
    )
    migration = load_migration(path)
    assert (migration.schema, migration.source, migration.target) == (
        "post-labels",
        "1.0.0",
        "2.0.0",
    )
    assert [s.describe() for s in migration.steps] == [
        'merge_values topics: "a", "b" -> "c"',
        "add_field sarcastic = false",
    ]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("{not json", r"not valid JSON: .* at line 1, column 2"),
        ({"steps": []}, r'"from": "<version>"'),
        (
            {"from": "1.0.0", "to": "3.0.0", "steps": []},
            r'"to" says 3.0.0 but the file is for 2.0.0',
        ),
        ({"from": "1.0.0", "steps": [{"op": "explode"}]}, r"step 1: unknown or missing op"),
        (
            {"from": "1.0.0", "steps": [{"op": "drop_field", "field": "a", "fields": "b"}]},
            r"step 1 \(drop_field\): unknown fields",
        ),
        (
            {"from": "1.0.0", "steps": [{"op": "rename_value", "field": "a", "from": "x"}]},
            r"step 1 \(rename_value\): missing to",
        ),
        (
            {
                "from": "1.0.0",
                "steps": [{"op": "split_value", "field": "a", "value": "x", "into": []}],
            },
            r"needs a non-empty list",
        ),
    ],
)
def test_bad_migration_files_are_named_with_the_problem(
    tmp_path: Path, document: Any, message: str
) -> None:
    path = write_migration(tmp_path, document)
    with pytest.raises(SchemaError, match=message) as caught:
        load_migration(path)
    assert caught.value.path == str(path)


def test_sample_records_use_every_value_of_every_field() -> None:
    schema = v1()
    samples = sample_records(schema)
    for spec in schema.fields:
        seen: set[object] = set()
        for record in samples:
            value = record.get(spec.name)
            seen.update(value if isinstance(value, list) else [value])
        assert {c.value for c in spec.choices} <= seen, spec.name
    assert any("note" not in r for r in samples), "optional fields are also left out"


def test_auto_migration_fills_defaults_of_new_required_fields() -> None:
    migration = auto_migration(v1(), variant("1.1.0", add_sarcastic))
    out, reviews, _ = migration.apply({"stance_target": "none"})
    assert out == {"stance_target": "none", "sarcastic": False} and reviews == []
