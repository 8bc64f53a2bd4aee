"""`validate_paths`: every path checked, every finding collected."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from labeler.errors import ExitCode
from labeler.storage.dataset import Dataset
from labeler.storage.metadata import FileFormat, FileIdentity, write_parquet
from labeler.storage.posts import POSTS_SCHEMA, posts_table, write_posts
from labeler.validation.files import validate_paths
from tests.conftest import REPO_ROOT, make_posts


def test_clean_dataset_passes(dataset: Dataset) -> None:
    write_posts(dataset.posts_dir / "a.parquet", posts_table(make_posts(3)))
    report = validate_paths([dataset.root])
    assert report.findings == []
    assert report.exit_code is ExitCode.OK


def test_null_and_duplicate_rows_are_each_reported(dataset: Dataset) -> None:
    table = posts_table(make_posts(3))
    rows = table.to_pylist()
    rows[2]["post_id"] = rows[0]["post_id"]
    schema = POSTS_SCHEMA.set(POSTS_SCHEMA.get_field_index("body"), pa.field("body", pa.string()))
    rows[1]["body"] = None
    bad = pa.Table.from_pylist(rows, schema=schema)
    write_parquet(dataset.posts_dir / "bad.parquet", bad, FileIdentity.for_format(FileFormat.POSTS))
    report = validate_paths([dataset.root])
    where = sorted((f.row, f.field, f.code) for f in report.findings)
    assert where == [
        (0, "post_id", "duplicate-post-id"),
        (1, "body", "null-value"),
        (2, "post_id", "duplicate-post-id"),
    ]
    assert report.exit_code is ExitCode.DATA_ERRORS


def test_same_post_in_two_files(dataset: Dataset) -> None:
    table = posts_table(make_posts(2))
    write_posts(dataset.posts_dir / "a.parquet", table)
    write_posts(dataset.posts_dir / "b.parquet", table)
    codes = [(f.code, Path(f.path).name) for f in validate_paths([dataset.root]).findings]
    assert codes == [("duplicate-post-id", "b.parquet")] * 2


def test_one_bad_file_does_not_hide_the_others(dataset: Dataset, tmp_path: Path) -> None:
    write_posts(dataset.posts_dir / "good.parquet", posts_table(make_posts(2)))
    pq.write_table(pa.table({"x": [1]}), dataset.posts_dir / "foreign.parquet")
    truncated = dataset.posts_dir / "truncated.parquet"
    write_posts(truncated, posts_table(make_posts(2, thread="T")))
    truncated.write_bytes(truncated.read_bytes()[:100])
    report = validate_paths(
        [
            dataset.root,
            tmp_path / "missing",
            REPO_ROOT / "schemas" / "post-labels" / "1.0.0.schema.json",
        ]
    )
    names = sorted(Path(f.path).name for f in report.findings)
    assert names == ["foreign.parquet", "missing", "truncated.parquet"]
    assert report.exit_code is ExitCode.UNREADABLE
    assert len(report.checked) == 3


def test_unknown_file_kind(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hi")
    report = validate_paths([tmp_path / "notes.txt"])
    assert report.findings[0].code == "unknown-file"


def test_schema_file_mistake_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "post-labels" / "1.0.0.schema.json"
    bad.parent.mkdir()
    bad.write_text('{"$id": "urn:labeler:schema:post-labels:1.0.0", "type": ')
    report = validate_paths([bad])
    assert len(report.findings) == 1
    assert "not valid JSON" in report.findings[0].message
    assert report.exit_code is ExitCode.DATA_ERRORS
