"""Checks of label files for `labeler validate`: one file at a time, then a dataset's as a whole.

A file is checked against the schema version it declares (its `labeler` metadata), found in
the dataset's `schemas/` folder or among the built-in schemas: event columns present and
not null, statuses known, values valid (bulk validation; see bulk.py for which rows must
carry values). Across a dataset: every label points at an existing post, sits in its
annotator's partition, has a unique label id, no (post, annotator) has two current labels,
and files on another schema version than the dataset have been migrated (else exit 3).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from labeler.domain.labels import LabelStatus
from labeler.domain.schema import LabelSchema, parse_schema_id
from labeler.errors import LabelerError
from labeler.storage.config import CONFIG_NAME
from labeler.storage.dataset import SCHEMAS_DIR, Dataset
from labeler.storage.labels import not_null_columns, read_labels
from labeler.validation.bulk import bulk_validator
from labeler.validation.compat import version_tuple
from labeler.validation.report import Finding, Report
from labeler.validation.schemafile import builtin_schemas_dir, load_schema_file, schema_file
from labeler.validation.upgrade import latest_label_files

# Findings listed per file and kind before the rest are summed up in one line.
_PER_KIND = 200
_STATUSES = [s.value for s in LabelStatus]


@dataclass
class LabelFile:
    """A label file that could be read, with what the dataset-wide checks need."""

    path: Path
    schema: LabelSchema
    frame: pl.DataFrame


def find_schema(schema_id: str, near: Path, schemas_dir: Path | None = None) -> LabelSchema | None:
    """The schema `schema_id` from the dataset around `near`, else `schemas_dir`, else the
    built-in ones."""
    name, version = parse_schema_id(schema_id)
    folders = [
        root / SCHEMAS_DIR for root in (near, *near.parents) if (root / CONFIG_NAME).exists()
    ]
    extra = [] if schemas_dir is None else [schemas_dir]
    for folder in [*folders[:1], *extra, builtin_schemas_dir()]:
        path = schema_file(folder, name, version)
        if path.exists():
            return load_schema_file(path)
    return None


def check_label_file(
    path: Path, report: Report, schemas_dir: Path | None = None
) -> LabelFile | None:
    """Findings of one label file; the file when it could be read against its schema."""
    identity, frame = read_labels(path)
    where = str(path)
    if identity.schema_id is None:
        report.add(
            Finding(where, "declares no schema version in its metadata", "unknown-schema-version")
        )
        return None
    try:
        schema = find_schema(identity.schema_id, path.parent, schemas_dir)
    except LabelerError as exc:
        report.add_error(exc, where, "unknown-schema-version")
        return None
    if schema is None:
        name, version = parse_schema_id(identity.schema_id)
        report.add(
            Finding(
                where,
                f"claims schema {name} {version}, which neither the dataset's schemas/ folder "
                f"nor labeler has; copy {name}/{version}.schema.json into the dataset's "
                "schemas/ folder, or pass --schemas with the folder that has it",
                "unknown-schema-version",
            )
        )
        return None
    if identity.schema_sha256 not in (None, schema.sha256):
        report.add(
            Finding(
                where,
                f"was written with another {schema.name} {schema.version} than the one known "
                "here (content hash differs); published versions must not change",
                "schema-mismatch",
            )
        )
    _check_columns(path, frame, report)
    for error in bulk_validator(schema).label_findings(frame, limit=_PER_KIND):
        field = error.path[2:] if error.path.startswith("$.") else None
        report.add(Finding(where, error.message, "invalid-label", row=error.row, field=field))
    return LabelFile(path, schema, frame)


def _check_columns(path: Path, frame: pl.DataFrame, report: Report) -> None:
    indexed = frame.with_row_index("_row")
    for column in not_null_columns():
        rows = indexed.filter(pl.col(column).is_null())["_row"]
        _add_rows(report, path, rows, "must not be null", "null-value", column)
    unknown = indexed.filter(pl.col("status").is_not_null() & ~pl.col("status").is_in(_STATUSES))
    _add_rows(
        report,
        path,
        unknown["_row"],
        f"status must be one of {', '.join(_STATUSES)}",
        "bad-status",
        "status",
    )


def _add_rows(
    report: Report, path: Path, rows: pl.Series, message: str, code: str, field: str
) -> None:
    listed = rows.head(_PER_KIND).to_list()
    for row in listed:
        report.add(Finding(str(path), message, code, row=row, field=field))
    if rows.len() > len(listed):
        report.add(
            Finding(str(path), f"... and {rows.len() - len(listed)} more rows: {message}", code)
        )


def check_dataset_labels(dataset: Dataset, files: list[LabelFile], report: Report) -> None:
    """The checks that need every label file of a dataset at once."""
    if not files:
        return
    current = _check_versions(dataset, report)
    frames = [
        f.frame.select("label_id", "post_id", "annotator", "status", "supersedes", "created_at")
        .with_row_index("_row")
        .with_columns(
            file=pl.lit(str(f.path)),
            partition=pl.lit(_partition(f.path)),
            current=pl.lit(f.path in current),
        )
        for f in files
    ]
    labels = pl.concat(frames, how="vertical_relaxed")
    _check_posts_exist(dataset, labels, report)
    _check_partitions(labels, report)
    live = labels.filter(pl.col("current"))
    _check_unique_ids(live, report)
    _check_one_current_label(live, report)


def _partition(path: Path) -> str | None:
    name = path.parent.name
    return name.split("=", 1)[1] if name.startswith("annotator=") else None


def _check_versions(dataset: Dataset, report: Report) -> set[Path]:
    """Files holding current labels; the newest file of each lineage must be on the
    dataset's version (older: waiting for `labeler migrate`, exit 3)."""
    version = dataset.config.schema_version
    current: set[Path] = set()
    for path, found in latest_label_files(dataset):
        if found == version:
            current.add(path)
            continue
        newer = version_tuple(found) > version_tuple(version)
        message = (
            f"labels are {dataset.config.schema_name} {found}, newer than the dataset's "
            f"{version}; run `labeler migrate {dataset.root} --to {found}` first"
            if newer
            else f"labels are {dataset.config.schema_name} {found} but the dataset uses "
            f"{version}; run `labeler migrate {dataset.root} --to {version}`"
        )
        report.add(Finding(str(path), message, "migration-required", migration_required=not newer))
    return current


def _check_posts_exist(dataset: Dataset, labels: pl.DataFrame, report: Report) -> None:
    try:
        posts = dataset.posts().select("post_id").collect()
    except LabelerError:
        return  # an unreadable posts file is reported on its own
    missing = labels.join(posts, on="post_id", how="anti").filter(pl.col("post_id").is_not_null())
    for path, rows in missing.group_by("file", maintain_order=True):
        for row, post_id in rows.select("_row", "post_id").head(_PER_KIND).iter_rows():
            report.add(
                Finding(
                    str(path[0]),
                    f"post_id {post_id!r} is not a post of this dataset",
                    "unknown-post",
                    row=row,
                    field="post_id",
                )
            )


def _check_partitions(labels: pl.DataFrame, report: Report) -> None:
    wrong = labels.filter(
        pl.col("partition").is_not_null() & (pl.col("annotator") != pl.col("partition"))
    )
    for path, row, annotator, partition in (
        wrong.select("file", "_row", "annotator", "partition").head(_PER_KIND).iter_rows()
    ):
        report.add(
            Finding(
                path,
                f"annotator {annotator!r} in the folder of annotator {partition!r}; each "
                "annotator writes only their own partition",
                "annotator-mismatch",
                row=row,
                field="annotator",
            )
        )


def _check_unique_ids(labels: pl.DataFrame, report: Report) -> None:
    repeated = labels.filter(pl.col("label_id").is_duplicated()).sort("label_id", "file", "_row")
    for path, row, label_id in (
        repeated.select("file", "_row", "label_id").head(_PER_KIND).iter_rows()
    ):
        report.add(
            Finding(
                path,
                f"label_id {label_id!r} is used more than once",
                "duplicate-label-id",
                row=row,
                field="label_id",
            )
        )


def _check_one_current_label(labels: pl.DataFrame, report: Report) -> None:
    """The current label of (post, annotator) is its latest event not retracted or undone."""
    undone = labels.filter(pl.col("status") == LabelStatus.RETRACTED.value).select(
        pl.col("supersedes").alias("label_id")
    )
    live = labels.filter(pl.col("status") != LabelStatus.RETRACTED.value).join(
        undone, on="label_id", how="anti"
    )
    latest = live.filter(
        pl.col("created_at") == pl.col("created_at").max().over("post_id", "annotator")
    )
    ties = latest.filter(pl.len().over("post_id", "annotator") > 1).sort(
        "post_id", "annotator", "label_id"
    )
    for (post_id, annotator), group in ties.group_by("post_id", "annotator", maintain_order=True):
        ids = ", ".join(group["label_id"].to_list())
        first = group.row(0, named=True)
        report.add(
            Finding(
                first["file"],
                f"post {post_id!r} has {group.height} current labels by {annotator!r} at the "
                f"same time ({ids}); keep one (retract the others)",
                "duplicate-current-label",
                row=first["_row"],
                field="label_id",
            )
        )
