"""dataset.toml: a dataset's name, its label schema version and per-thread stance targets."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from labeler.errors import DatasetError
from labeler.storage.atomic import atomic_write_bytes

CONFIG_NAME = "dataset.toml"
CONFIG_FORMAT_VERSION = 1

_HEADER = """\
# A labeler dataset. Edit `name`, `description` and `[targets]` freely; change the schema
# version only through `labeler migrate`.
# [targets] maps a thread (its thread_id, or its title as printed on the page) to the claim
# annotators judge stance toward.

"""


@dataclass(frozen=True)
class DatasetConfig:
    """The parsed dataset.toml."""

    name: str
    schema_name: str
    schema_version: str
    description: str = ""
    targets: Mapping[str, str] = field(default_factory=dict)
    format_version: int = CONFIG_FORMAT_VERSION

    @property
    def schema_id(self) -> str:
        """The `$id` of the label schema this dataset is labelled with."""
        return f"urn:labeler:schema:{self.schema_name}:{self.schema_version}"

    def target_for(self, thread_id: str, thread_title: str | None = None) -> str | None:
        """The stance target of a thread, looked up by id first, then by title."""
        if thread_id in self.targets:
            return self.targets[thread_id]
        if thread_title is not None:
            return self.targets.get(thread_title.strip())
        return None

    def to_toml(self) -> str:
        """The file's text."""
        document: dict[str, Any] = {
            "dataset": {
                "name": self.name,
                "description": self.description,
                "format_version": self.format_version,
            },
            "schema": {"name": self.schema_name, "version": self.schema_version},
            "targets": dict(sorted(self.targets.items())),
        }
        return _HEADER + tomli_w.dumps(document)

    def save(self, root: Path) -> None:
        """Write dataset.toml under `root` atomically."""
        atomic_write_bytes(root / CONFIG_NAME, self.to_toml().encode("utf-8"))

    @classmethod
    def load(cls, root: Path) -> DatasetConfig:
        """Read dataset.toml under `root`; DatasetError says which key is wrong."""
        path = root / CONFIG_NAME
        try:
            document = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise DatasetError(
                f"not a labeler dataset: no {CONFIG_NAME}",
                path=root,
                hint="Create one with `labeler ingest PAGES --dataset DIR`",
            ) from exc
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise DatasetError(f"cannot parse: {exc}", path=path) from exc
        return cls._from_document(document, path)

    @classmethod
    def _from_document(cls, document: Mapping[str, Any], path: Path) -> DatasetConfig:
        dataset = _table(document, "dataset", path)
        schema = _table(document, "schema", path)
        targets = document.get("targets", {})
        if not isinstance(targets, Mapping) or not all(
            isinstance(v, str) for v in targets.values()
        ):
            raise DatasetError("[targets] must map thread ids or titles to text", path=path)
        version = dataset.get("format_version", CONFIG_FORMAT_VERSION)
        if not isinstance(version, int) or version > CONFIG_FORMAT_VERSION:
            raise DatasetError(
                f"dataset format_version {version!r} is newer than this labeler supports",
                path=path,
                hint="Upgrade labeler",
            )
        return cls(
            name=_text(dataset, "name", path),
            description=str(dataset.get("description", "")),
            schema_name=_text(schema, "name", path, "schema"),
            schema_version=_text(schema, "version", path, "schema"),
            targets=dict(targets),
            format_version=version,
        )


def _table(document: Mapping[str, Any], key: str, path: Path) -> Mapping[str, Any]:
    value = document.get(key)
    if not isinstance(value, Mapping):
        raise DatasetError(f"missing the [{key}] table", path=path)
    return value


def _text(table: Mapping[str, Any], key: str, path: Path, section: str = "dataset") -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DatasetError(f"[{section}] {key} must be a non-empty string", path=path)
    return value
