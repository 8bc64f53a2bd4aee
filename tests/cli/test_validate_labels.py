"""`labeler validate` on label files: values against their schema version, and the dataset."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from labeler.domain.labels import LabelEvent, LabelStatus
from labeler.domain.schema import LabelSchema
from labeler.errors import ExitCode
from labeler.storage.dataset import Dataset, default_schema
from labeler.storage.labels import labels_table, write_labels
from labeler.storage.metadata import FileFormat, FileIdentity, write_parquet
from labeler.storage.posts import posts_table, write_posts
from labeler.validation.files import validate_paths
from tests.conftest import CliRun, make_posts
from tests.unit.validation.schema_variants import v1, variant, write

GOOD = {"stance_target": "favor", "topics": ["politics"], "quality": 3}


def event(i: int, post_id: str, values: dict[str, Any], **kw: Any) -> LabelEvent:
    schema: LabelSchema = kw.pop("schema", None) or v1()
    fields: dict[str, Any] = {
        "label_id": f"l{i}",
        "post_id": post_id,
        "annotator": "ann",
        "schema_id": schema.schema_id,
        "schema_version": schema.version,
        "values": values,
        "status": LabelStatus.LABELLED,
        "created_at": datetime(2026, 1, 1, 12, i, tzinfo=UTC),
    }
    fields.update(kw)
    return LabelEvent(**fields)


@pytest.fixture
def ds(tmp_path: Path) -> tuple[Dataset, list[str]]:
    dataset = Dataset.create(tmp_path / "ds", v1(), name="v")
    posts = make_posts(4)
    write_posts(dataset.posts_dir / "a.parquet", posts_table(posts))
    return dataset, [p.post_id for p in posts]


def labels_path(dataset: Dataset, annotator: str = "ann", name: str = "0001") -> Path:
    return dataset.labels_dir / f"annotator={annotator}" / f"{name}.parquet"


def test_valid_labels_pass(run_cli: CliRun, ds: tuple[Dataset, list[str]]) -> None:
    dataset, ids = ds
    events = [event(i, pid, GOOD) for i, pid in enumerate(ids)]
    events.append(event(9, ids[0], {}, status=LabelStatus.SKIPPED))
    write_labels(labels_path(dataset), labels_table(events, v1()), v1())
    result = run_cli("validate", dataset.root)
    assert result.exit_code == ExitCode.OK, result.stdout + result.stderr


def test_values_outside_the_schema_are_named_by_file_row_and_field(
    run_cli: CliRun, ds: tuple[Dataset, list[str]]
) -> None:
    dataset, ids = ds
    events = [
        event(0, ids[0], GOOD),
        event(1, ids[1], {**GOOD, "stance_target": "maybe"}),
        event(2, ids[2], {**GOOD, "topics": []}),
        event(3, ids[3], {"stance_target": "none", "topics": ["sport"]}),
    ]
    path = labels_path(dataset)
    write_labels(path, labels_table(events, v1()), v1())
    result = run_cli("validate", dataset.root)
    assert result.exit_code == ExitCode.DATA_ERRORS
    lines = result.stdout.splitlines()
    assert (
        f"{path}::1::$.stance_target: error: 'maybe' is not valid under any of the given schemas"
        in lines
    )
    assert f"{path}::2::$.topics: error: [] should be non-empty" in lines
    assert f"{path}::3: error: 'quality' is a required property" in lines
    assert len(lines) == 3


def test_dataset_level_problems(run_cli: CliRun, ds: tuple[Dataset, list[str]]) -> None:
    dataset, ids = ds
    events = [
        event(0, ids[0], GOOD),
        event(1, ids[0], GOOD, created_at=datetime(2026, 1, 1, 12, 0, tzinfo=UTC)),
        event(2, "p-nowhere", GOOD),
        event(3, ids[1], GOOD, annotator="bob"),
        event(4, ids[2], GOOD),
        event(4, ids[3], GOOD),
    ]
    path = labels_path(dataset)
    write_labels(path, labels_table(events, v1()), v1())
    result = run_cli("validate", dataset.root, "--format", "json")
    payload = json.loads(result.stdout)
    found = {(f["code"], f["row"]) for f in payload["findings"]}
    assert ("unknown-post", 2) in found
    assert ("annotator-mismatch", 3) in found
    assert ("duplicate-label-id", 4) in found and ("duplicate-label-id", 5) in found
    assert ("duplicate-current-label", 0) in found
    assert payload["exit_code"] == ExitCode.DATA_ERRORS


def test_a_retraction_leaves_one_current_label(
    run_cli: CliRun, ds: tuple[Dataset, list[str]]
) -> None:
    dataset, ids = ds
    same = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    events = [
        event(0, ids[0], GOOD, created_at=same),
        event(1, ids[0], GOOD, created_at=same),
        event(2, ids[0], {}, status=LabelStatus.RETRACTED, supersedes="l1"),
    ]
    write_labels(labels_path(dataset), labels_table(events, v1()), v1())
    result = run_cli("validate", dataset.root)
    assert result.exit_code == ExitCode.OK, result.stdout


def test_unknown_schema_version_and_truncated_file(
    run_cli: CliRun, ds: tuple[Dataset, list[str]], tmp_path: Path
) -> None:
    dataset, ids = ds
    future = replace(v1(), schema_id="urn:labeler:schema:post-labels:9.1.0", version="9.1.0")
    table = labels_table([event(0, ids[0], GOOD, schema=future)], future)
    unknown = labels_path(dataset, name="future")
    write_parquet(unknown, table, FileIdentity.for_format(FileFormat.LABELS, future))
    truncated = labels_path(dataset, name="cut")
    write_labels(truncated, labels_table([event(1, ids[1], GOOD)], v1()), v1())
    truncated.write_bytes(truncated.read_bytes()[:-40])
    bad_values = labels_path(dataset, annotator="bob", name="b")
    write_labels(
        bad_values,
        labels_table([event(2, ids[2], {**GOOD, "quality": 9}, annotator="bob")], v1()),
        v1(),
    )
    result = run_cli("validate", dataset.root)
    assert result.exit_code == ExitCode.UNREADABLE
    assert (
        f"{unknown}: error: claims schema post-labels 9.1.0, which neither the dataset's "
        "schemas/ folder nor labeler has"
    ) in result.stdout
    assert f"{truncated}: error: not a readable Parquet file" in result.stdout
    assert (
        f"{bad_values}::0::$.quality: error: 9 is not valid under any of the given schemas"
        in result.stdout
    )


def test_labels_on_an_older_version_require_migration(
    run_cli: CliRun, ds: tuple[Dataset, list[str]]
) -> None:
    dataset, ids = ds
    write_labels(labels_path(dataset), labels_table([event(0, ids[0], GOOD)], v1()), v1())
    newest = default_schema()
    dataset.store_schema(newest)
    dataset.config = replace(dataset.config, schema_version=newest.version)
    dataset.config.save(dataset.root)
    result = run_cli("validate", dataset.root)
    assert result.exit_code == ExitCode.MIGRATION_REQUIRED
    assert f"run `labeler migrate {dataset.root} --to {newest.version}`" in result.stdout
    assert run_cli("migrate", dataset.root, "--to", newest.version).exit_code == ExitCode.OK
    assert run_cli("validate", dataset.root).exit_code == ExitCode.OK


def test_a_label_file_given_alone(run_cli: CliRun, ds: tuple[Dataset, list[str]]) -> None:
    dataset, ids = ds
    path = labels_path(dataset)
    write_labels(path, labels_table([event(0, ids[0], {**GOOD, "extra": 1})], v1()), v1())
    # labels_table keeps only schema fields; write an extra struct field by hand
    table = pq.read_table(path)
    values = table.column("values").combine_chunks()
    extra = pa.StructArray.from_arrays(
        [*values.flatten(), pa.array([1])], [*(f.name for f in values.type), "extra"]
    )
    table = table.set_column(table.schema.get_field_index("values"), "values", extra)
    write_labels(path, table, v1())
    result = run_cli("validate", path, "--format", "github")
    assert result.exit_code == ExitCode.DATA_ERRORS
    assert "Additional properties are not allowed ('extra' was unexpected)" in result.stdout
    assert result.stdout.startswith("::error file=")


def test_schemas_option_finds_versions_elsewhere(
    run_cli: CliRun, ds: tuple[Dataset, list[str]], tmp_path: Path
) -> None:
    dataset, ids = ds
    elsewhere = tmp_path / "team-schemas"
    future = variant("1.4.0")
    write(elsewhere, future)
    path = labels_path(dataset, name="future")
    write_labels(path, labels_table([event(0, ids[0], GOOD, schema=future)], future), future)
    found = {f.code for f in validate_paths([path]).findings}
    assert found == {"unknown-schema-version"}
    assert validate_paths([path], schemas_dir=elsewhere).findings == []
    result = run_cli("validate", path, "--schemas", elsewhere)
    assert result.exit_code == ExitCode.OK, result.stdout
