"""`labeler validate`: check datasets, Parquet files and schema files; collect every finding.

Each path is checked independently, so one broken file never hides problems in the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import polars as pl

from labeler.errors import LabelerError
from labeler.storage.config import CONFIG_NAME
from labeler.storage.dataset import Dataset
from labeler.storage.metadata import FileFormat, read_identity
from labeler.storage.posts import check_posts_file
from labeler.validation.labelfiles import LabelFile, check_dataset_labels, check_label_file
from labeler.validation.report import Finding, Report
from labeler.validation.schemafile import SCHEMA_SUFFIX, load_schema_file

# Columns of a posts file that may never be null or empty.
_NOT_NULL_POST_COLUMNS = ("post_id", "thread_id", "position", "kind", "body", "engine", "source")


def validate_paths(paths: Iterable[str | Path], *, schemas_dir: Path | None = None) -> Report:
    """Check every path; the report holds all findings and what was checked.

    `schemas_dir` is one more folder where label files' schema versions are looked up.
    """
    report = Report()
    for raw in paths:
        path = Path(raw)
        report.checked.append(str(path))
        try:
            _check_path(path, report, schemas_dir)
        except LabelerError as exc:
            report.add_error(exc, str(path), exc.title.replace(" ", "-"))
    return report


def _check_path(path: Path, report: Report, schemas_dir: Path | None) -> None:
    if not path.exists():
        report.add(
            Finding(
                str(path),
                "no such file or directory; check the path",
                "not-found",
                unreadable=True,
            )
        )
    elif path.is_dir():
        if (path / CONFIG_NAME).exists():
            check_dataset(path, report, schemas_dir)
        else:
            report.add(
                Finding(
                    str(path),
                    f"not a labeler dataset (no {CONFIG_NAME}); pass a dataset directory, a "
                    "Parquet file or a schema file",
                    "not-a-dataset",
                    unreadable=True,
                )
            )
    elif path.suffix == ".parquet":
        check_parquet(path, report, schemas_dir)
    elif path.name.endswith(SCHEMA_SUFFIX):
        load_schema_file(path)
    else:
        report.add(
            Finding(
                str(path),
                f"cannot tell what this file is: expected a dataset directory, a .parquet file "
                f"or a {SCHEMA_SUFFIX} file",
                "unknown-file",
                unreadable=True,
            )
        )


def check_dataset(root: Path, report: Report, schemas_dir: Path | None = None) -> None:
    """dataset.toml, the dataset's schema, then every posts and label file."""
    dataset = Dataset.open(root)
    dataset.schema()
    readable_posts = []
    for path in dataset.posts_files():
        if _checked(path, report, lambda p: check_parquet(p, report, schemas_dir)):
            readable_posts.append(path)
    labels: list[LabelFile] = []
    for path in dataset.label_files():
        try:
            found = check_label_file(path, report, schemas_dir)
        except LabelerError as exc:
            report.add_error(exc, str(path), exc.title.replace(" ", "-"))
            continue
        if found is not None:
            labels.append(found)
    _check_unique_post_ids(readable_posts, report)
    check_dataset_labels(dataset, labels, report)


def _checked(path: Path, report: Report, check: Callable[[Path], None]) -> bool:
    """Run one file's check; a file that cannot be read becomes a finding (False)."""
    try:
        check(path)
    except LabelerError as exc:
        report.add_error(exc, str(path), exc.title.replace(" ", "-"))
        return False
    return True


def check_parquet(path: Path, report: Report, schemas_dir: Path | None = None) -> None:
    """Identity, then the rows of the file's format."""
    identity = read_identity(path)
    if identity.format is FileFormat.POSTS:
        check_posts_file(path)
        _check_post_rows(path, report)
    elif identity.format is FileFormat.LABELS:
        check_label_file(path, report, schemas_dir)


def _check_post_rows(path: Path, report: Report) -> None:
    frame = pl.read_parquet(path, columns=list(_NOT_NULL_POST_COLUMNS)).with_row_index("_row")
    for column in _NOT_NULL_POST_COLUMNS:
        bad = frame.filter(pl.col(column).is_null())
        for row in bad["_row"].to_list():
            report.add(Finding(str(path), "must not be null", "null-value", row=row, field=column))
    duplicated = frame.filter(pl.col("post_id").is_duplicated())
    for row, post_id in duplicated.select("_row", "post_id").iter_rows():
        report.add(
            Finding(
                str(path),
                f"post_id {post_id!r} appears more than once in this file",
                "duplicate-post-id",
                row=row,
                field="post_id",
            )
        )


def _check_unique_post_ids(files: list[Path], report: Report) -> None:
    if len(files) < 2:
        return
    ids = pl.concat(
        [pl.scan_parquet(p).select("post_id").with_columns(file=pl.lit(str(p))) for p in files]
    )
    clashes = (
        ids.group_by("post_id")
        .agg(pl.col("file").unique().sort())
        .filter(pl.col("file").list.len() > 1)
        .sort("post_id")
        .collect()
    )
    for post_id, where in clashes.iter_rows():
        report.add(
            Finding(
                where[-1],
                f"post_id {post_id!r} is also in {', '.join(where[:-1])}",
                "duplicate-post-id",
                field="post_id",
            )
        )
