"""A dataset directory: dataset.toml, its own copy of the label schema, posts, labels.

```
DIR/dataset.toml                                  name, schema version, stance targets
DIR/schemas/<name>/<semver>.schema.json           the schema versions this dataset uses
DIR/posts/*.parquet                               posts (format `posts`)
DIR/labels/annotator=<id>/<ts>-<uuid>.parquet     label events (format `labels`)
DIR/.labeler/                                     per-machine state: journals, locks
```

The dataset carries its schema so that validation and export work on any machine.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from labeler.domain.schema import LabelSchema
from labeler.errors import DatasetError, InputNotFoundError
from labeler.storage.atomic import TEMP_PREFIX, atomic_write_bytes
from labeler.storage.config import CONFIG_NAME, DatasetConfig
from labeler.storage.posts import check_posts_file, empty_posts
from labeler.validation.schemafile import builtin_schemas_dir, load_schema_file, schema_file

POSTS_DIR = "posts"
LABELS_DIR = "labels"
SCHEMAS_DIR = "schemas"
STATE_DIR = ".labeler"


class Dataset:
    """An opened dataset directory; tables come back as polars LazyFrames."""

    def __init__(self, root: Path, config: DatasetConfig) -> None:
        self.root = root
        self.config = config

    # ------------------------------------------------------------------ locations
    @property
    def posts_dir(self) -> Path:
        """Where posts Parquet files live."""
        return self.root / POSTS_DIR

    @property
    def labels_dir(self) -> Path:
        """Where label Parquet files live, one partition per annotator."""
        return self.root / LABELS_DIR

    @property
    def state_dir(self) -> Path:
        """Per-machine state (journals, locks); never committed to git."""
        return self.root / STATE_DIR

    @property
    def schemas_dir(self) -> Path:
        """The schema versions this dataset carries."""
        return self.root / SCHEMAS_DIR

    # ------------------------------------------------------------------ open / create
    @classmethod
    def open(cls, path: str | Path) -> Dataset:
        """Open an existing dataset; clear errors when `path` is missing or not a dataset."""
        root = Path(path)
        if not root.exists():
            raise InputNotFoundError("no such dataset directory", path=root, hint="Check the path")
        if not root.is_dir():
            raise DatasetError(
                "is a file, not a dataset directory",
                path=root,
                hint=f"Pass the directory that holds {CONFIG_NAME}",
            )
        return cls(root, DatasetConfig.load(root))

    @classmethod
    def create(
        cls,
        path: str | Path,
        schema: LabelSchema,
        *,
        name: str | None = None,
        description: str = "",
    ) -> Dataset:
        """Create a new, empty dataset at `path` labelled with `schema`."""
        root = Path(path)
        if (root / CONFIG_NAME).exists():
            raise DatasetError(f"already a dataset (it has {CONFIG_NAME})", path=root)
        config = DatasetConfig(
            name=name or root.resolve().name,
            schema_name=schema.name,
            schema_version=schema.version,
            description=description,
        )
        dataset = cls(root, config)
        dataset.store_schema(schema)
        config.save(root)
        return dataset

    @classmethod
    def open_or_create(cls, path: str | Path, schema: LabelSchema | None = None) -> Dataset:
        """Open the dataset at `path`, creating it (with `schema` or the default) if absent."""
        root = Path(path)
        if (root / CONFIG_NAME).exists() or (root.exists() and not root.is_dir()):
            return cls.open(root)
        if schema is None:
            schema = default_schema()
        return cls.create(root, schema)

    # ------------------------------------------------------------------ schema
    def store_schema(self, schema: LabelSchema) -> Path:
        """Keep a copy of `schema` in the dataset (never overwriting a different one)."""
        target = schema_file(self.schemas_dir, schema.name, schema.version)
        if target.exists():
            existing = load_schema_file(target)
            if existing.sha256 != schema.sha256:
                raise DatasetError(
                    f"holds a different {schema.name} {schema.version} than the one given",
                    path=target,
                    hint="Published schema versions are immutable: bump the version instead",
                )
            return target
        atomic_write_bytes(target, _pretty(schema).encode("utf-8"))
        return target

    def schema(self) -> LabelSchema:
        """The label schema named in dataset.toml, from the dataset's own copy."""
        own = schema_file(self.schemas_dir, self.config.schema_name, self.config.schema_version)
        if own.exists():
            return load_schema_file(own)
        builtin = schema_file(
            builtin_schemas_dir(), self.config.schema_name, self.config.schema_version
        )
        if builtin.exists():
            return load_schema_file(builtin)
        raise DatasetError(
            f"its schema {self.config.schema_id} is neither in {own} nor built in",
            path=self.root,
            hint="Copy the schema file into the dataset's schemas/ folder",
        )

    # ------------------------------------------------------------------ tables
    def posts_files(self) -> list[Path]:
        """Posts Parquet files in a stable order (temp files of a crashed write excluded)."""
        if not self.posts_dir.is_dir():
            return []
        return sorted(
            p for p in self.posts_dir.glob("*.parquet") if not p.name.startswith(TEMP_PREFIX)
        )

    def label_files(self) -> list[Path]:
        """Label Parquet files of every annotator, in a stable order."""
        if not self.labels_dir.is_dir():
            return []
        return sorted(
            p for p in self.labels_dir.rglob("*.parquet") if not p.name.startswith(TEMP_PREFIX)
        )

    def posts(self) -> pl.LazyFrame:
        """Every post, as a LazyFrame with the posts columns (files checked first)."""
        files = self.posts_files()
        for path in files:
            check_posts_file(path)
        if not files:
            return empty_posts()
        # Files from before an optional column existed read it as nulls.
        return pl.scan_parquet(
            files,
            schema=empty_posts().collect_schema(),
            missing_columns="insert",
            extra_columns="ignore",
        )


def default_schema() -> LabelSchema:
    """The built-in `post-labels` schema, newest version shipped with labeler."""
    folder = builtin_schemas_dir() / "post-labels"
    versions = sorted(
        (p for p in folder.glob("*.schema.json")),
        key=lambda p: tuple(int(x) for x in p.name.split(".")[:3]),
    )
    if not versions:
        raise DatasetError("no built-in post-labels schema found", path=folder)
    return load_schema_file(versions[-1])


def _pretty(schema: LabelSchema) -> str:
    return json.dumps(schema.document, indent=2, ensure_ascii=False) + "\n"
