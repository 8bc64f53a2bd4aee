"""The `labeler` key in Parquet metadata: every file we write says what it is.

The value is JSON: format, format_version, schema_id, schema_version, schema_sha256, the
schema document, labeler_version. Files are written with pyarrow, which keeps the key;
readers check it before trusting a file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from labeler import __version__
from labeler.domain.schema import LabelSchema
from labeler.errors import CorruptInputError, FormatError, InputNotFoundError
from labeler.storage.atomic import atomic_path

METADATA_KEY = b"labeler"


class FileFormat(StrEnum):
    """What a labeler Parquet file holds."""

    POSTS = "posts"
    LABELS = "labels"
    EXPORT = "export"


# The newest layout of each format this version writes and can read.
FORMAT_VERSIONS: dict[FileFormat, int] = {
    FileFormat.POSTS: 1,
    FileFormat.LABELS: 1,
    FileFormat.EXPORT: 1,
}


@dataclass(frozen=True, slots=True)
class FileIdentity:
    """The decoded `labeler` metadata of one file."""

    format: FileFormat
    format_version: int
    schema_id: str | None = None
    schema_version: str | None = None
    schema_sha256: str | None = None
    schema: Mapping[str, Any] | None = None
    labeler_version: str = __version__

    @classmethod
    def for_format(cls, fmt: FileFormat, schema: LabelSchema | None = None) -> FileIdentity:
        """Identity for a new file of `fmt`, tied to `schema` when given."""
        if schema is None:
            return cls(fmt, FORMAT_VERSIONS[fmt])
        return cls(
            fmt,
            FORMAT_VERSIONS[fmt],
            schema_id=schema.schema_id,
            schema_version=schema.version,
            schema_sha256=schema.sha256,
            schema=schema.document,
        )

    def to_json(self) -> bytes:
        """The metadata value, as stored."""
        payload = {
            "format": self.format.value,
            "format_version": self.format_version,
            "schema_id": self.schema_id,
            "schema_version": self.schema_version,
            "schema_sha256": self.schema_sha256,
            "schema": self.schema,
            "labeler_version": self.labeler_version,
        }
        return json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes, path: Path) -> FileIdentity:
        """Decode stored metadata; FormatError naming `path` when it is not ours."""
        try:
            payload = json.loads(raw)
            fmt = FileFormat(payload["format"])
            version = int(payload["format_version"])
        except (ValueError, KeyError, TypeError) as exc:
            raise FormatError(
                f"the `labeler` metadata is damaged ({exc.__class__.__name__}: {exc})",
                path=path,
                hint="Re-create the file with labeler",
            ) from exc
        return cls(
            format=fmt,
            format_version=version,
            schema_id=payload.get("schema_id"),
            schema_version=payload.get("schema_version"),
            schema_sha256=payload.get("schema_sha256"),
            schema=payload.get("schema"),
            labeler_version=str(payload.get("labeler_version", "unknown")),
        )


def with_identity(table: pa.Table, identity: FileIdentity) -> pa.Table:
    """`table` with our metadata key added to whatever metadata it already carries."""
    metadata = dict(table.schema.metadata or {})
    metadata[METADATA_KEY] = identity.to_json()
    return table.replace_schema_metadata(metadata)


def write_parquet(
    path: Path, table: pa.Table, identity: FileIdentity, *, row_group_size: int | None = None
) -> None:
    """Write `table` with its identity to `path` atomically (never a partial file)."""
    with atomic_path(Path(path)) as temp:
        pq.write_table(
            with_identity(table, identity),
            temp,
            compression="zstd",
            row_group_size=row_group_size,
        )


def read_identity(path: Path, expect: FileFormat | None = None) -> FileIdentity:
    """Read and check a file's identity; clear errors for foreign or mismatched files."""
    path = Path(path)
    if not path.exists():
        raise InputNotFoundError("no such file", path=path, hint="Check the path")
    try:
        schema = pq.read_schema(path)
    except (OSError, pa.ArrowException) as exc:
        raise CorruptInputError(
            f"not a readable Parquet file ({_first_line(exc)})",
            path=path,
            hint="The file may be truncated or not Parquet; restore it from a copy",
        ) from exc
    raw = (schema.metadata or {}).get(METADATA_KEY)
    if raw is None:
        raise FormatError(
            "has no `labeler` metadata, so it was not written by labeler",
            path=path,
            hint="Import data through `labeler ingest` or `labeler label` instead",
        )
    identity = FileIdentity.from_json(raw, path)
    if expect is not None and identity.format is not expect:
        raise FormatError(
            f"holds `{identity.format}` data where `{expect}` data was expected", path=path
        )
    supported = FORMAT_VERSIONS[identity.format]
    if identity.format_version > supported:
        raise FormatError(
            f"uses {identity.format} format version {identity.format_version}; this "
            f"labeler ({__version__}) reads up to version {supported}",
            path=path,
            hint="Upgrade labeler to read it",
        )
    return identity


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else exc.__class__.__name__


def require_columns(path: Path, required: Iterable[str], what: str, hint: str) -> list[str]:
    """The Parquet file's column names; FormatError naming those of `required` it lacks."""
    names: list[str] = pq.read_schema(path).names
    missing = [c for c in required if c not in names]
    if missing:
        raise FormatError(f"{what} file lacks column(s) {', '.join(missing)}", path=path, hint=hint)
    return names
