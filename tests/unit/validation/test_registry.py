"""The schema registry finds every problem of a schemas folder, and only real ones."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from labeler.errors import SchemaError
from labeler.validation.compat import Level
from labeler.validation.registry import LOCK_NAME, Registry
from labeler.validation.schemafile import builtin_schemas_dir
from tests.unit.validation.schema_variants import Document, v1, variant, write


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    """A copy of the built-in schemas folder (lock included)."""
    root = tmp_path / "schemas"
    shutil.copytree(builtin_schemas_dir(), root)
    return root


def codes(root: Path, *, update_lock: bool = False) -> list[tuple[str, str]]:
    findings = Registry.load(root).check(update_lock=update_lock)
    return [(f.code, Path(f.path).name) for f in findings]


def test_shipped_schemas_are_clean(shipped: Path) -> None:
    registry = Registry.load(shipped)
    assert registry.check() == []
    assert registry.versions("post-labels")[:2] == ["1.0.0", "2.0.0"]


def test_the_lock_is_written_only_when_asked_and_then_holds(tmp_path: Path) -> None:
    root = tmp_path / "schemas"
    write(root, v1())
    assert codes(root) == [("lock-missing", LOCK_NAME)]
    assert not (root / LOCK_NAME).exists()
    assert codes(root, update_lock=True) == []
    locked = json.loads((root / LOCK_NAME).read_text())["versions"]
    assert locked == {"post-labels/1.0.0": v1().sha256}


def test_edited_deleted_and_unpublished_versions(shipped: Path) -> None:
    path = shipped / "post-labels" / "1.0.0.schema.json"
    document = json.loads(path.read_text())
    document["properties"]["note"]["description"] = "A quiet edit of a published guideline."
    path.write_text(json.dumps(document))
    write(shipped, variant("2.1.0"))  # a new version not yet in the lock
    (shipped / "post-labels" / "2.0.0.schema.json").unlink()
    (shipped / "post-labels" / "2.0.0.migration.json").unlink()
    found = codes(shipped)
    assert ("published-edited", "1.0.0.schema.json") in found
    assert ("published-deleted", "2.0.0.schema.json") in found
    assert ("lock-unpublished", "2.1.0.schema.json") in found
    # --update-lock publishes the new version but does not bless the edit
    after = codes(shipped, update_lock=True)
    assert ("lock-unpublished", "2.1.0.schema.json") not in after
    assert ("published-edited", "1.0.0.schema.json") in after


def test_major_change_without_migration(tmp_path: Path) -> None:
    root = tmp_path / "schemas"

    def drop_query(d: Document) -> None:
        del d["properties"]["stance_parent"]["oneOf"][2]

    write(root, v1())
    write(root, variant("2.0.0", drop_query))
    findings = Registry.load(root).check(update_lock=True)
    assert [f.code for f in findings] == ["migration-missing"]
    assert "$.stance_parent: value 'query' removed" in findings[0].message
    assert "add post-labels/2.0.0.migration.json" in findings[0].message
    with pytest.raises(SchemaError, match="no migration is registered"):
        Registry.load(root).steps("post-labels", "1.0.0", "2.0.0")


def test_a_migration_that_forgets_a_value_is_caught_by_running_it(shipped: Path) -> None:
    path = shipped / "post-labels" / "2.0.0.migration.json"
    document = json.loads(path.read_text())
    document["steps"] = [s for s in document["steps"] if s["op"] != "merge_values"]
    path.write_text(json.dumps(document))
    findings = Registry.load(shipped).check()
    messages = [f.message for f in findings if f.code == "migration-invalid"]
    assert len(messages) == 2
    assert messages[0].startswith(
        '1.0.0 labels with topics = ["international"] are still invalid in 2.0.0 after the '
        "migration"
    )


def test_bump_too_small_and_field_id_changes(tmp_path: Path) -> None:
    root = tmp_path / "schemas"

    def add_value(d: Document) -> None:
        d["properties"]["stance_target"]["oneOf"].append(
            {"const": "mixed", "title": "Mixed", "description": "Both for and against."}
        )

    def new_id(d: Document) -> None:
        d["properties"]["note"]["x-field-id"] = "remark"

    write(root, v1())
    write(root, variant("1.0.1", add_value))

    def both(d: Document) -> None:
        add_value(d)
        new_id(d)

    write(root, variant("2.0.0", both))
    findings = Registry.load(root).check(update_lock=True)
    by_code = {f.code: f.message for f in findings}
    assert by_code["version-bump"] == (
        "minor changes need version 1.1.0 or later, but 1.0.0 -> 1.0.1 is a patch bump"
    )
    assert by_code["field-id-changed"] == (
        "field 'note' changed its x-field-id from 'note' to 'remark': ids are permanent, "
        "keep 'note'"
    )


def test_retired_field_ids_and_values_cannot_come_back(tmp_path: Path) -> None:
    root = tmp_path / "schemas"
    note = v1().document["properties"]["note"]

    def retire(d: Document) -> None:
        del d["properties"]["note"]
        del d["properties"]["stance_parent"]["oneOf"][2]  # query

    def bring_back(d: Document) -> None:
        retire(d)
        d["properties"]["remark"] = dict(note)  # same x-field-id "note", new name
        d["properties"]["stance_parent"]["oneOf"].append(
            {"const": "query", "title": "Query", "description": "Asks something new."}
        )

    write(root, v1())
    write(root, variant("2.0.0", retire))
    write(root, variant("3.0.0", bring_back))
    migrations = {
        "2.0.0": {
            "from": "1.0.0",
            "steps": [
                {"op": "drop_field", "field": "note"},
                {"op": "rename_value", "field": "stance_parent", "from": "query", "to": "agree"},
            ],
        },
        "3.0.0": {"from": "2.0.0", "steps": []},
    }
    for target, migration in migrations.items():
        (root / "post-labels" / f"{target}.migration.json").write_text(json.dumps(migration))
    found = {(f.code, f.field) for f in Registry.load(root).check(update_lock=True)}
    assert ("field-id-reused", "remark") in found
    assert ("value-reused", "stance_parent") in found


def test_one_broken_file_does_not_hide_the_others(shipped: Path) -> None:
    (shipped / "post-labels" / "3.0.0.schema.json").write_text("{oops")
    (shipped / "other").mkdir()
    (shipped / "other" / "1.0.0.schema.json").write_text(
        json.dumps({**v1().document, "$id": "urn:labeler:schema:wrong-name:1.0.0"})
    )
    found = codes(shipped)
    assert ("schema-invalid", "3.0.0.schema.json") in found
    assert ("schema-invalid", "1.0.0.schema.json") in found
    assert Registry.load(shipped).versions("post-labels")[:2] == ["1.0.0", "2.0.0"]


def test_orphan_migration(shipped: Path) -> None:
    (shipped / "post-labels" / "9.0.0.migration.json").write_text('{"from": "2.0.0", "steps": []}')
    assert ("migration-orphan", "9.0.0.migration.json") in codes(shipped)


def test_steps_chain_versions_with_implicit_minor_migrations(tmp_path: Path) -> None:
    root = tmp_path / "schemas"
    shutil.copytree(builtin_schemas_dir(), root)
    registry = Registry.load(root)
    steps = registry.steps("post-labels", "1.0.0", "2.0.0")
    assert [(d.old.version, d.new.version, d.level) for d, _ in steps] == [
        ("1.0.0", "2.0.0", Level.MAJOR)
    ]
    assert steps[0][1].path is not None
