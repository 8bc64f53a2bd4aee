"""The dataset directory: create, open, config, the schema copy, posts as a LazyFrame."""

from __future__ import annotations

import copy
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from labeler.domain.schema import LabelSchema, build_schema
from labeler.errors import DatasetError, ExitCode, FormatError, InputNotFoundError
from labeler.storage.config import DatasetConfig
from labeler.storage.dataset import Dataset, default_schema
from labeler.storage.posts import posts_table, write_posts
from tests.conftest import REPO_ROOT, make_posts


def test_create_then_open(tmp_path: Path, schema: LabelSchema) -> None:
    created = Dataset.create(tmp_path / "ds", schema, name="bridges", description="d")
    opened = Dataset.open(tmp_path / "ds")
    assert opened.config == created.config
    assert opened.config.schema_id == "urn:labeler:schema:post-labels:2.0.0"
    assert opened.schema().sha256 == schema.sha256
    own_copy = tmp_path / "ds" / "schemas" / "post-labels" / "2.0.0.schema.json"
    assert own_copy.exists()


def test_dataset_works_without_its_schema_copy_when_built_in(
    tmp_path: Path, schema: LabelSchema
) -> None:
    Dataset.create(tmp_path / "ds", schema)
    (tmp_path / "ds" / "schemas" / "post-labels" / "2.0.0.schema.json").unlink()
    assert Dataset.open(tmp_path / "ds").schema().schema_id == schema.schema_id


def test_dataset_with_unknown_schema_says_where_it_looked(tmp_path: Path) -> None:
    root = tmp_path / "ds"
    root.mkdir()
    DatasetConfig("x", "other-labels", "2.0.0").save(root)
    with pytest.raises(DatasetError, match=r"other-labels:2\.0\.0 is neither in .* nor built in"):
        Dataset.open(root).schema()


def test_create_refuses_an_existing_dataset(dataset: Dataset, schema: LabelSchema) -> None:
    with pytest.raises(DatasetError, match="already a dataset"):
        Dataset.create(dataset.root, schema)


def test_a_different_schema_under_the_same_version_is_refused(
    dataset: Dataset, schema: LabelSchema
) -> None:
    doc = copy.deepcopy(dict(schema.document))
    doc["title"] = "Edited after publication"
    with pytest.raises(DatasetError, match="Published schema versions are immutable"):
        dataset.store_schema(build_schema(doc))


def test_open_missing_path(tmp_path: Path) -> None:
    with pytest.raises(InputNotFoundError) as err:
        Dataset.open(tmp_path / "nowhere")
    assert err.value.exit_code is ExitCode.UNREADABLE


def test_open_a_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("")
    with pytest.raises(DatasetError, match="is a file, not a dataset directory"):
        Dataset.open(tmp_path / "f")


def test_open_a_plain_directory(tmp_path: Path) -> None:
    with pytest.raises(
        DatasetError, match=r"not a labeler dataset: no dataset.toml.*labeler ingest"
    ):
        Dataset.open(tmp_path)


def test_broken_toml_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "dataset.toml").write_text('[dataset]\nname = "x"\nthis is not toml\n')
    with pytest.raises(DatasetError, match=r"cannot parse: .*line 3"):
        Dataset.open(tmp_path)


def test_config_missing_key(tmp_path: Path) -> None:
    (tmp_path / "dataset.toml").write_text(
        '[dataset]\nname = "x"\n[schema]\nname = "post-labels"\n'
    )
    with pytest.raises(DatasetError, match=r"\[schema\] version must be a non-empty string"):
        Dataset.open(tmp_path)


def test_config_round_trip_with_targets(tmp_path: Path) -> None:
    config = DatasetConfig(
        "x", "post-labels", "1.0.0", "about", {"Bridge": "Close it", "t123": "Y"}
    )
    config.save(tmp_path)
    loaded = DatasetConfig.load(tmp_path)
    assert loaded == config
    assert loaded.target_for("t123", "anything") == "Y"
    assert loaded.target_for("t999", " Bridge ") == "Close it"
    assert loaded.target_for("t999", "Other") is None
    assert (tmp_path / "dataset.toml").read_text().startswith("# A labeler dataset.")


def test_posts_lazyframe(dataset: Dataset) -> None:
    assert dataset.posts().collect().height == 0
    write_posts(dataset.posts_dir / "a.parquet", posts_table(make_posts(3, thread="A")))
    write_posts(dataset.posts_dir / "b.parquet", posts_table(make_posts(2, thread="B")))
    (dataset.posts_dir / ".tmp-123-c.parquet").write_bytes(b"partial")
    frame = Dataset.open(dataset.root).posts()
    assert isinstance(frame, pl.LazyFrame)
    counts = frame.group_by("thread_title").len().sort("thread_title").collect()
    assert counts.to_dict(as_series=False) == {"thread_title": ["A", "B"], "len": [3, 2]}


def test_posts_refuses_a_foreign_file(dataset: Dataset) -> None:
    dataset.posts_dir.mkdir()
    pq.write_table(pa.table({"post_id": ["x"]}), dataset.posts_dir / "foreign.parquet")
    with pytest.raises(FormatError, match=r"foreign\.parquet: has no `labeler` metadata"):
        dataset.posts()


def test_open_or_create(tmp_path: Path) -> None:
    first = Dataset.open_or_create(tmp_path / "ds")
    second = Dataset.open_or_create(tmp_path / "ds")
    assert first.config == second.config


def test_default_schema_is_the_newest_built_in() -> None:
    versions = sorted((REPO_ROOT / "schemas" / "post-labels").glob("*.schema.json"))
    assert default_schema().version in {p.name.removesuffix(".schema.json") for p in versions}
