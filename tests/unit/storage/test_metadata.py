"""Parquet identity: files we write say what they are; anything else is refused clearly."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from labeler import __version__
from labeler.domain.schema import LabelSchema
from labeler.errors import CorruptInputError, ExitCode, FormatError, InputNotFoundError
from labeler.storage.metadata import (
    METADATA_KEY,
    FileFormat,
    FileIdentity,
    read_identity,
    write_parquet,
)

TABLE = pa.table({"post_id": ["p1", "p2"], "n": [1, 2]})


def test_round_trip_carries_every_key(tmp_path: Path, schema: LabelSchema) -> None:
    path = tmp_path / "labels.parquet"
    write_parquet(path, TABLE, FileIdentity.for_format(FileFormat.LABELS, schema))

    raw = json.loads(pq.read_schema(path).metadata[METADATA_KEY])
    assert raw == {
        "format": "labels",
        "format_version": 1,
        "schema_id": "urn:labeler:schema:post-labels:2.0.0",
        "schema_version": "2.0.0",
        "schema_sha256": schema.sha256,
        "schema": json.loads(json.dumps(schema.document)),
        "labeler_version": __version__,
    }
    identity = read_identity(path, FileFormat.LABELS)
    assert identity.schema_id == schema.schema_id
    assert identity.schema == schema.document
    # the data itself is untouched and polars reads it as usual
    assert pl.read_parquet(path).to_dict(as_series=False) == {"post_id": ["p1", "p2"], "n": [1, 2]}


def test_existing_metadata_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "x.parquet"
    table = TABLE.replace_schema_metadata({b"other": b"kept"})
    write_parquet(path, table, FileIdentity.for_format(FileFormat.POSTS))
    assert pq.read_schema(path).metadata[b"other"] == b"kept"


def test_file_without_our_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "foreign.parquet"
    pq.write_table(TABLE, path)
    with pytest.raises(FormatError) as err:
        read_identity(path)
    assert "has no `labeler` metadata, so it was not written by labeler" in err.value.render()
    assert str(path) in err.value.render()
    assert err.value.exit_code is ExitCode.UNREADABLE


def test_file_of_another_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "labels.parquet"
    write_parquet(path, TABLE, FileIdentity.for_format(FileFormat.LABELS))
    with pytest.raises(FormatError, match="holds `labels` data where `posts` data was expected"):
        read_identity(path, FileFormat.POSTS)


def test_damaged_metadata_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.parquet"
    pq.write_table(TABLE.replace_schema_metadata({METADATA_KEY: b"{not json"}), path)
    with pytest.raises(FormatError, match="metadata is damaged"):
        read_identity(path)


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.parquet"
    meta = json.dumps({"format": "pictures", "format_version": 1}).encode()
    pq.write_table(TABLE.replace_schema_metadata({METADATA_KEY: meta}), path)
    with pytest.raises(FormatError, match="metadata is damaged"):
        read_identity(path)


def test_newer_format_version_asks_for_an_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "x.parquet"
    write_parquet(path, TABLE, FileIdentity(FileFormat.POSTS, 99))
    with pytest.raises(FormatError, match=r"format version 99.*Upgrade labeler"):
        read_identity(path)


def test_truncated_file_is_corrupt_input(tmp_path: Path) -> None:
    path = tmp_path / "x.parquet"
    write_parquet(path, TABLE, FileIdentity.for_format(FileFormat.POSTS))
    path.write_bytes(path.read_bytes()[:-40])
    with pytest.raises(CorruptInputError, match="not a readable Parquet file") as err:
        read_identity(path)
    assert err.value.exit_code is ExitCode.UNREADABLE


def test_not_parquet_at_all(tmp_path: Path) -> None:
    path = tmp_path / "x.parquet"
    path.write_text("post_id,body\np1,hello\n")
    with pytest.raises(CorruptInputError, match="not a readable Parquet file"):
        read_identity(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputNotFoundError):
        read_identity(tmp_path / "nope.parquet")
