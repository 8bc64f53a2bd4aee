"""`labeler migrate`: move a dataset's labels to a later version of its schema.

Label files of the dataset's current version are read, every record goes through the
registered steps (or the implicit one of a minor version), and a new file of the target
version is written beside each old one: `<old name>.to-<version>.parquet`. Old files are
never rewritten; they stay readable as history. A label a step cannot decide (a split
value) keeps its other values, becomes `flagged` and says why in `review`.

Every annotator with a journal is locked for the whole run, so no session writes labels of
the old version meanwhile (a busy annotator stops the run before anything is written), and
opening their store first flushes what a crashed session left unflushed, so those decisions
are migrated too. Order makes it safe to interrupt: new files first (each atomic), then the
schema copy, then dataset.toml. Run again after a crash and the files already written are
kept as they are.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa

from labeler.domain.labels import LabelStatus
from labeler.domain.schema import LabelSchema
from labeler.errors import CorruptInputError, LabelerError, LabelValidationError, UsageError
from labeler.storage.dataset import Dataset
from labeler.storage.labels import label_arrow_schema, read_labels, values_type, write_labels
from labeler.storage.labelset import Unreadable, journal_paths, label_file_infos, lineage_stem
from labeler.storage.store import LabelStore
from labeler.validation.bulk import bulk_validator
from labeler.validation.compat import Diff, version_tuple
from labeler.validation.migrations import Migration
from labeler.validation.registry import Registry
from labeler.validation.schemafile import builtin_schemas_dir


@dataclass
class StepCount:
    """What one migration step did (or would do) to the dataset's labels."""

    description: str
    changed: int = 0
    reviews: int = 0


@dataclass
class StepReport:
    """One version step: its migration and counts per operation."""

    source: str
    target: str
    migration: str
    counts: list[StepCount] = field(default_factory=list)


@dataclass
class UpgradeReport:
    """The whole run."""

    schema: str
    source: str
    target: str
    dry_run: bool
    labels: int = 0
    review: int = 0
    steps: list[StepReport] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return {
            "schema": self.schema,
            "from": self.source,
            "to": self.target,
            "dry_run": self.dry_run,
            "labels": self.labels,
            "need_review": self.review,
            "steps": [
                {
                    "from": s.source,
                    "to": s.target,
                    "migration": s.migration,
                    "operations": [
                        {"step": c.description, "changed": c.changed, "need_review": c.reviews}
                        for c in s.counts
                    ],
                }
                for s in self.steps
            ],
            "files": [str(p) for p in self.files],
            "written": [str(p) for p in self.written],
            "already_written": [str(p) for p in self.kept],
        }


def upgrade_dataset(
    root: Path, target: str, *, schemas_dir: Path | None = None, dry_run: bool = False
) -> UpgradeReport:
    """Migrate the labels of the dataset at `root` to `target` (see the module doc)."""
    dataset = Dataset.open(root)
    registry = Registry.load(schemas_dir or builtin_schemas_dir())
    name, source = dataset.config.schema_name, dataset.config.schema_version
    if target not in registry.versions(name):
        known = ", ".join(registry.versions(name)) or "none"
        raise UsageError(
            f"no version {target} of {name} in {registry.root} (there: {known})",
            hint="Pick one of those, or pass --schemas with the folder that has it",
        )
    _check_same_schema(dataset, registry.get(name, source))
    if version_tuple(target) < version_tuple(source):
        raise UsageError(
            f"the dataset is on {name} {source}; migrations only go forward, not to {target}",
            hint="The label files of older versions are still on disk",
        )
    report = UpgradeReport(name, source, target, dry_run)
    final = registry.get(name, target)
    with contextlib.ExitStack() as sessions:
        if not dry_run:
            # Hold every annotator's writer lock for the whole run (no session may write
            # labels of the old version meanwhile); opening a store also flushes what a
            # crashed session left in its journal, so those decisions are migrated too.
            for journal in journal_paths(dataset):
                annotator = journal.name.removeprefix("journal-").removesuffix(".sqlite")
                sessions.enter_context(LabelStore.open(dataset, annotator))
        _upgrade_files(dataset, registry, report, final)
    if not dry_run and source != target:
        dataset.store_schema(final)
        dataset.config = replace(dataset.config, schema_version=target)
        dataset.config.save(dataset.root)
    return report


def _upgrade_files(
    dataset: Dataset, registry: Registry, report: UpgradeReport, final: LabelSchema
) -> None:
    """Migrate (or, on a dry run, count) every lineage still on an older version."""
    by_step: dict[tuple[str, str], StepReport] = {}
    for path, version in pending_label_files(dataset, report.target):
        steps = registry.steps(report.schema, version, report.target)
        reports = [_step_report(d, m, by_step) for d, m in steps]
        report.files.append(path)
        table = _migrate_file(path, steps, reports, final, report)
        _check_migrated(path, table, final)
        out = migrated_name(path, report.target)
        if report.dry_run:
            continue
        if out.exists():
            report.kept.append(out)
            continue
        write_labels(out, table, final)
        report.written.append(out)
    report.steps = sorted(by_step.values(), key=lambda r: version_tuple(r.source))


def _step_report(
    diff: Diff, migration: Migration, by_step: dict[tuple[str, str], StepReport]
) -> StepReport:
    key = (diff.old.version, diff.new.version)
    if key not in by_step:
        by_step[key] = StepReport(
            *key,
            migration.path.name if migration.path else migration.description,
            [StepCount(s.describe()) for s in migration.steps],
        )
    return by_step[key]


def migrated_name(path: Path, version: str) -> Path:
    """Where the migration of label file `path` to `version` is written."""
    return path.with_name(f"{lineage_stem(path)}.to-{version}.parquet")


def latest_label_files(dataset: Dataset) -> list[tuple[Path, str]]:
    """Each lineage's newest file (see labelset: `x.parquet` and its migrations
    `x.to-<version>.parquet`), with its schema version; a file whose metadata cannot be read
    stops the run, since its labels would otherwise be left behind."""
    unreadable: list[Unreadable] = []
    current, others = label_file_infos(dataset, unreadable)
    if unreadable:
        raise CorruptInputError(unreadable[0].reason, path=unreadable[0].path)
    return sorted((info.path, info.version) for info in current + others)


def pending_label_files(dataset: Dataset, target: str) -> list[tuple[Path, str]]:
    """Lineages whose newest file is on an older version than `target`."""
    return [
        (path, version)
        for path, version in latest_label_files(dataset)
        if version_tuple(version) < version_tuple(target)
    ]


def _check_migrated(source: Path, table: pa.Table, schema: LabelSchema) -> None:
    """Every label is validated before it is written, migrated ones too."""
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)  # a Table converts to a DataFrame
    errors = bulk_validator(schema).label_findings(frame, limit=5)
    if errors:
        details = "; ".join(f"row {e.row}: {e.path}: {e.message}" for e in errors)
        raise LabelValidationError(
            f"migrated labels would not be valid {schema.name} {schema.version} ({details})",
            path=source,
            hint="Nothing was written; fix the migration steps (labeler schema check shows "
            "what they miss)",
        )


def _check_same_schema(dataset: Dataset, registered: LabelSchema) -> None:
    own = dataset.schema()
    if own.sha256 != registered.sha256:
        raise LabelerError(
            f"the dataset's copy of {own.name} {own.version} differs from the one in "
            f"{registered.schema_id}'s registry",
            path=dataset.schemas_dir,
            hint="Published versions never change; point --schemas at the folder the "
            "dataset's schema came from",
        )


def _migrate_file(
    path: Path,
    steps: list[tuple[Diff, Migration]],
    reports: list[StepReport],
    final: LabelSchema,
    report: UpgradeReport,
) -> pa.Table:
    _, frame = read_labels(path)
    values: list[Mapping[str, Any] | None] = frame["values"].to_list()
    statuses: list[str] = frame["status"].to_list()
    reviews: list[str | None] = frame["review"].to_list()
    migrated: list[dict[str, Any] | None] = []
    for i, raw in enumerate(values):
        if raw is None:
            migrated.append(None)
            continue
        record = {k: v for k, v in raw.items() if v is not None}
        why: list[str] = []
        for (_, migration), step_report in zip(steps, reports, strict=True):
            record, found, changed = migration.apply(record)
            for index in changed:
                step_report.counts[index].changed += 1
            for index, step in enumerate(migration.steps):
                if step.op == "split_value" and index in changed:
                    step_report.counts[index].reviews += 1
            why.extend(found)
        if why:
            report.review += 1
            reviews[i] = "; ".join(why)
            if statuses[i] == LabelStatus.LABELLED:
                statuses[i] = LabelStatus.FLAGGED.value
        migrated.append({spec.name: record.get(spec.name) for spec in final.fields})
        report.labels += 1
    table = frame.to_arrow()
    columns = {
        "schema_id": pa.array([final.schema_id] * len(values), pa.string()),
        "schema_version": pa.array([final.version] * len(values), pa.string()),
        "values": pa.array(migrated, values_type(final)),
        "status": pa.array(statuses, pa.string()),
        "review": pa.array(reviews, pa.string()),
    }
    schema = label_arrow_schema(final)
    arrays = [
        columns[f.name] if f.name in columns else table.column(f.name).cast(f.type) for f in schema
    ]
    return pa.Table.from_arrays(arrays, schema=schema)
