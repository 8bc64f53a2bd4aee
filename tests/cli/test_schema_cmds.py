"""`labeler schema check`, `labeler schema diff` and `labeler migrate` as a user runs them."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from labeler.domain.labels import LabelEvent, LabelStatus
from labeler.errors import ExitCode
from labeler.storage.dataset import Dataset
from labeler.storage.labels import labels_table, write_labels
from labeler.storage.posts import posts_table, write_posts
from labeler.storage.store import LabelStore
from labeler.validation.schemafile import builtin_schemas_dir
from tests.conftest import REPO_ROOT, CliRun, make_posts
from tests.unit.validation.schema_variants import v1

SCHEMAS = REPO_ROOT / "schemas"
V1 = SCHEMAS / "post-labels" / "1.0.0.schema.json"
V2 = SCHEMAS / "post-labels" / "2.0.0.schema.json"


@pytest.fixture
def schemas(tmp_path: Path) -> Path:
    root = tmp_path / "schemas"
    shutil.copytree(builtin_schemas_dir(), root)
    return root


def test_check_passes_on_the_repository_schemas(run_cli: CliRun) -> None:
    result = run_cli("schema", "check", SCHEMAS)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert result.stdout == ""
    assert "post-labels: 1.0.0, 2.0.0" in result.stderr
    assert "ok: 0 error(s)" in result.stderr


def test_check_reports_every_problem_in_each_format(run_cli: CliRun, schemas: Path) -> None:
    path = schemas / "post-labels" / "1.0.0.schema.json"
    document = json.loads(path.read_text())
    document["title"] = "Edited after publishing"
    path.write_text(json.dumps(document))
    (schemas / "post-labels" / "3.0.0.schema.json").write_text("[1, 2")
    text = run_cli("schema", "check", schemas)
    assert text.exit_code == ExitCode.DATA_ERRORS
    lines = text.stdout.splitlines()
    assert any(
        line.startswith(f"{schemas}/post-labels/3.0.0.schema.json: error: not valid JSON")
        for line in lines
    )
    assert f"{path}: error: published version edited since it was locked" in text.stdout
    github = run_cli("schema", "check", schemas, "--format", "github")
    assert github.stdout.startswith("::error file=")
    payload = json.loads(run_cli("schema", "check", schemas, "--format", "json").stdout)
    assert payload["errors"] == 2 and payload["exit_code"] == 1


def test_check_of_a_missing_folder_exits_4(run_cli: CliRun, tmp_path: Path) -> None:
    result = run_cli("schema", "check", tmp_path / "nope")
    assert result.exit_code == ExitCode.UNREADABLE
    assert "no such schemas folder" in result.stderr


def test_update_lock_publishes_a_new_version(run_cli: CliRun, schemas: Path) -> None:
    document = json.loads((schemas / "post-labels" / "2.0.0.schema.json").read_text())
    document["$id"] = "urn:labeler:schema:post-labels:2.0.1"
    document["title"] = "Post labels (reworded)"
    (schemas / "post-labels" / "2.0.1.schema.json").write_text(json.dumps(document))
    assert run_cli("schema", "check", schemas).exit_code == ExitCode.DATA_ERRORS
    assert run_cli("schema", "check", schemas, "--update-lock").exit_code == ExitCode.OK
    assert "post-labels/2.0.1" in (schemas / "schemas.lock").read_text()
    assert run_cli("schema", "check", schemas).exit_code == ExitCode.OK


def test_diff_explains_each_change_and_shows_the_migration(run_cli: CliRun) -> None:
    result = run_cli("schema", "diff", V1, V2)
    assert result.exit_code == ExitCode.OK, result.stderr
    lines = result.stdout.splitlines()
    assert (
        lines[0] == "post-labels 1.0.0 -> post-labels 2.0.0: major (the version number says major)"
    )
    assert "  major  $.stance_parent      value 'query' removed" in lines
    assert "  minor  $.sarcastic          required field added with default false" in lines
    assert '  split_value stance_parent: "comment" -> "extend" or "aside" (needs review)' in lines
    payload = json.loads(run_cli("schema", "diff", V1, V2, "--format", "json").stdout)
    assert payload["level"] == "major" and payload["problems"] == []


def test_diff_without_migration_is_an_error(run_cli: CliRun, schemas: Path) -> None:
    (schemas / "post-labels" / "2.0.0.migration.json").unlink()
    result = run_cli("schema", "diff", V1, schemas / "post-labels" / "2.0.0.schema.json")
    assert result.exit_code == ExitCode.DATA_ERRORS
    assert "problem: a major change needs a migration: add" in result.stderr


def test_diff_of_a_missing_file_exits_4(run_cli: CliRun, tmp_path: Path) -> None:
    result = run_cli("schema", "diff", V1, tmp_path / "2.0.0.schema.json")
    assert result.exit_code == ExitCode.UNREADABLE


# ---------------------------------------------------------------- migrate
def labelled_dataset(root: Path) -> tuple[Dataset, Path]:
    """A 1.0.0 dataset with one annotator's labels using values 2.0.0 changes."""
    schema = v1()
    dataset = Dataset.create(root, schema, name="m")
    posts = make_posts(6)
    write_posts(dataset.posts_dir / "a.parquet", posts_table(posts))
    values = [
        {"stance_target": "favor", "topics": ["politics"], "quality": 3},
        {
            "stance_target": "against",
            "stance_parent": "query",
            "topics": ["conflict"],
            "quality": 2,
        },
        {"stance_target": "none", "stance_parent": "comment", "topics": ["sport"], "quality": 1},
        {"stance_target": "neutral", "topics": ["international", "conflict"], "quality": 4},
        {},
        {"stance_target": "favor", "stance_parent": "agree", "topics": ["law"], "quality": 5},
    ]
    events = [
        LabelEvent(
            f"l{i}",
            post.post_id,
            "ann",
            schema.schema_id,
            schema.version,
            value,
            LabelStatus.LABELLED if value else LabelStatus.SKIPPED,
            datetime(2026, 1, 1, 12, i, tzinfo=UTC),
        )
        for i, (post, value) in enumerate(zip(posts, values, strict=True))
    ]
    path = dataset.labels_dir / "annotator=ann" / "0001.parquet"
    write_labels(path, labels_table(events, schema), schema)
    return dataset, path


def test_dry_run_reports_counts_and_writes_nothing(run_cli: CliRun, tmp_path: Path) -> None:
    dataset, path = labelled_dataset(tmp_path / "ds")
    before = sorted(p.name for p in path.parent.iterdir())
    toml = (dataset.root / "dataset.toml").read_text()
    result = run_cli("migrate", dataset.root, "--to", "2.0.0", "--dry-run")
    assert result.exit_code == ExitCode.OK, result.stderr
    assert result.stdout.splitlines() == [
        "post-labels 1.0.0 -> 2.0.0 (dry run: nothing written)",
        "  1.0.0 -> 2.0.0: 2.0.0.migration.json",
        '    rename_value stance_parent: "query" -> "question": 1 label(s)',
        '    split_value stance_parent: "comment" -> "extend" or "aside" (needs review): '
        "1 label(s), 1 need review",
        '    merge_values topics: "international", "conflict" -> "world": 2 label(s)',
        "    add_field sarcastic = false: 5 label(s)",
        "  5 label(s) in 1 file(s); 1 flagged for review",
    ]
    assert sorted(p.name for p in path.parent.iterdir()) == before
    assert (dataset.root / "dataset.toml").read_text() == toml


def test_migrate_writes_new_files_keeps_old_ones_and_is_idempotent(
    run_cli: CliRun, tmp_path: Path
) -> None:
    dataset, path = labelled_dataset(tmp_path / "ds")
    original = path.read_bytes()
    result = run_cli("migrate", dataset.root, "--to", "2.0.0")
    assert result.exit_code == ExitCode.OK, result.stderr
    new = path.with_name("0001.to-2.0.0.parquet")
    assert f"wrote {new}" in result.stderr
    assert path.read_bytes() == original, "old label files are never rewritten"
    assert Dataset.open(dataset.root).config.schema_version == "2.0.0"
    rows = pl.read_parquet(new).sort("label_id").to_dicts()
    assert [r["schema_version"] for r in rows] == ["2.0.0"] * 6
    assert rows[1]["values"]["stance_parent"] == "question"
    assert rows[1]["values"]["topics"] == ["world"]
    assert rows[3]["values"]["topics"] == ["world"]
    assert all(r["values"] is None or r["values"]["sarcastic"] is False for r in rows)
    assert rows[2]["status"] == "flagged" and rows[2]["values"]["stance_parent"] is None
    assert rows[2]["review"] == (
        "stance_parent was 'comment', which is now 'extend' or 'aside': choose one"
    )
    assert rows[4]["status"] == "skipped" and rows[4]["values"] is None
    assert [r["label_id"] for r in rows] == [f"l{i}" for i in range(6)]
    # the validator accepts the migrated dataset
    assert run_cli("validate", dataset.root).exit_code == ExitCode.OK
    again = run_cli("migrate", dataset.root, "--to", "2.0.0")
    assert again.exit_code == ExitCode.OK and "nothing to do" in again.stderr


def test_migrate_json_and_bad_versions(run_cli: CliRun, tmp_path: Path) -> None:
    dataset, _ = labelled_dataset(tmp_path / "ds")
    payload = json.loads(
        run_cli("migrate", dataset.root, "--to", "2.0.0", "--dry-run", "--format", "json").stdout
    )
    assert payload["need_review"] == 1 and payload["labels"] == 5
    unknown = run_cli("migrate", dataset.root, "--to", "7.0.0")
    assert unknown.exit_code == ExitCode.USAGE
    assert "no version 7.0.0 of post-labels" in unknown.stderr
    missing = run_cli("migrate", tmp_path / "nope", "--to", "2.0.0")
    assert missing.exit_code == ExitCode.UNREADABLE


def test_demo_pages_labelled_on_1_0_0_migrate_to_2_0_0(run_cli: CliRun, tmp_path: Path) -> None:
    """The README's migration example, end to end on the demo pages."""
    schema = v1()
    dataset = Dataset.create(tmp_path / "demo", schema, name="demo")
    ingested = run_cli("ingest", REPO_ROOT / "datasets" / "demo" / "raw", "--dataset", dataset.root)
    assert ingested.exit_code == ExitCode.OK, ingested.stderr
    post_ids = Dataset.open(dataset.root).posts().select("post_id").collect()["post_id"]
    parents = ["agree", "disagree", "query", "comment"]
    topics = [["politics"], ["international", "conflict"], ["environment", "conflict"], ["sport"]]
    events = []
    for i, post_id in enumerate(post_ids.to_list()):
        values: dict[str, object] = {
            "stance_target": ["favor", "against", "neutral", "none"][i % 4],
            "topics": topics[i % 4],
            "quality": 1 + i % 5,
        }
        if i % 3 == 0:
            values["stance_parent"] = parents[i % 4]
        skipped = i % 7 == 6
        events.append(
            LabelEvent(
                f"l{i}",
                post_id,
                "ann",
                schema.schema_id,
                schema.version,
                {} if skipped else values,
                LabelStatus.SKIPPED if skipped else LabelStatus.LABELLED,
                datetime(2026, 1, 1, tzinfo=UTC),
            )
        )
    labels = dataset.labels_dir / "annotator=ann" / "0001.parquet"
    write_labels(labels, labels_table(events, schema), schema)
    assert run_cli("validate", dataset.root).exit_code == ExitCode.OK
    dry = run_cli("migrate", dataset.root, "--to", "2.0.0", "--dry-run")
    assert dry.stdout.splitlines()[2:] == [
        '    rename_value stance_parent: "query" -> "question": 1 label(s)',
        '    split_value stance_parent: "comment" -> "extend" or "aside" (needs review): '
        "2 label(s), 2 need review",
        '    merge_values topics: "international", "conflict" -> "world": 12 label(s)',
        "    add_field sarcastic = false: 25 label(s)",
        "  25 label(s) in 1 file(s); 2 flagged for review",
    ]
    assert run_cli("migrate", dataset.root, "--to", "2.0.0").exit_code == ExitCode.OK
    assert run_cli("validate", dataset.root).exit_code == ExitCode.OK


def test_migrated_labels_are_validated_before_anything_is_written(
    run_cli: CliRun, tmp_path: Path, schemas: Path
) -> None:
    """A migration that forgets a value must not write labels 2.0.0 would reject."""
    dataset, path = labelled_dataset(tmp_path / "ds")
    migration = schemas / "post-labels" / "2.0.0.migration.json"
    document = json.loads(migration.read_text())
    document["steps"] = [s for s in document["steps"] if s["op"] != "merge_values"]
    migration.write_text(json.dumps(document))
    result = run_cli("migrate", dataset.root, "--to", "2.0.0", "--schemas", schemas)
    assert result.exit_code == ExitCode.DATA_ERRORS
    assert (
        "migrated labels would not be valid post-labels 2.0.0 (row 1: $.topics[0]:" in result.stderr
    )
    assert sorted(p.name for p in path.parent.iterdir()) == ["0001.parquet"]
    assert Dataset.open(dataset.root).config.schema_version == "1.0.0"


def test_migrate_flushes_a_crashed_session_first_and_waits_for_no_one(
    run_cli: CliRun, tmp_path: Path
) -> None:
    dataset, path = labelled_dataset(tmp_path / "ds")
    post_id = Dataset.open(dataset.root).posts().select("post_id").collect()["post_id"][0]
    store = LabelStore.open(dataset, "bob")
    store.record(post_id, {"stance_target": "none", "topics": ["conflict"], "quality": 1})
    # bob's session is still open: migrate must not run under it
    busy = run_cli("migrate", dataset.root, "--to", "2.0.0")
    assert busy.exit_code == ExitCode.DATA_ERRORS
    assert "annotator 'bob' is already labelling this dataset" in busy.stderr
    assert not path.with_name("0001.to-2.0.0.parquet").exists()
    # a crash: the decision is in bob's journal only
    store._journal.close()
    store._lock.release()
    result = run_cli("migrate", dataset.root, "--to", "2.0.0")
    assert result.exit_code == ExitCode.OK, result.stderr
    bob = sorted((dataset.labels_dir / "annotator=bob").glob("*.to-2.0.0.parquet"))
    assert len(bob) == 1
    assert pl.read_parquet(bob[0])["values"].to_list()[0]["topics"] == ["world"]
    assert run_cli("validate", dataset.root).exit_code == ExitCode.OK
