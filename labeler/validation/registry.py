"""The schema registry: every version under `schemas/<name>/<semver>.schema.json`, checked.

`check` collects every problem instead of stopping at the first, for `labeler schema check`:
files that do not load (JSON, meta-schema, conventions, `$id` ↔ file name), versions whose
number does not fit their changes, major changes without a migration, migrations that leave
a label invalid, `x-field-id`s that change or come back after retirement, values that come
back after removal, and published versions edited or deleted since `schemas.lock` recorded
them.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from jsonschema import Draft202012Validator

from labeler.domain.schema import LabelSchema
from labeler.errors import InputNotFoundError, LabelerError, SchemaError, UsageError
from labeler.storage.atomic import atomic_write_bytes
from labeler.validation.compat import Diff, Level, classify, version_tuple
from labeler.validation.migrations import (
    MIGRATION_SUFFIX,
    Migration,
    auto_migration,
    load_migration,
    sample_records,
)
from labeler.validation.report import Finding
from labeler.validation.schemafile import SCHEMA_SUFFIX, load_schema_file

LOCK_NAME = "schemas.lock"
LOCK_COMMENT = (
    "Content hashes (sha256 of the canonical JSON) of published label-schema versions. "
    "Published versions never change: publish a new version instead. Written by "
    "`labeler schema check --update-lock`."
)


@dataclass
class Registry:
    """The schemas and migrations found under one folder."""

    root: Path
    schemas: dict[str, dict[str, LabelSchema]] = field(default_factory=dict)
    migrations: dict[tuple[str, str], Migration] = field(default_factory=dict)
    load_findings: list[Finding] = field(default_factory=list)

    @classmethod
    def load(cls, root: Path) -> Registry:
        """Load every schema and migration file; files that fail become findings."""
        root = Path(root)
        if not root.is_dir():
            raise InputNotFoundError(
                "no such schemas folder", path=root, hint="Pass the folder that holds <name>/"
            )
        registry = cls(root)
        for path in sorted(root.glob(f"*/*{SCHEMA_SUFFIX}")):
            try:
                schema = load_schema_file(path)
            except LabelerError as exc:
                registry.load_findings.append(_finding(exc, path, "schema-invalid"))
                continue
            registry.schemas.setdefault(schema.name, {})[schema.version] = schema
        for path in sorted(root.glob(f"*/*{MIGRATION_SUFFIX}")):
            try:
                migration = load_migration(path)
            except LabelerError as exc:
                registry.load_findings.append(_finding(exc, path, "migration-invalid"))
                continue
            registry.migrations[(migration.schema, migration.target)] = migration
        return registry

    # ------------------------------------------------------------------ lookups
    def versions(self, name: str) -> list[str]:
        """Versions of schema `name`, oldest first."""
        return sorted(self.schemas.get(name, {}), key=version_tuple)

    def get(self, name: str, version: str) -> LabelSchema:
        """One version; SchemaError naming what exists when it does not."""
        try:
            return self.schemas[name][version]
        except KeyError:
            known = ", ".join(self.versions(name)) or "none"
            raise SchemaError(
                f"no schema {name} {version} in {self.root} (versions there: {known})",
                hint="Check the version, or pass --schemas with the folder that has it",
            ) from None

    def steps(self, name: str, source: str, target: str) -> list[tuple[Diff, Migration]]:
        """The consecutive version steps from `source` up to `target`, with their migrations.

        A major step must have a registered migration; minor and patch steps without one
        get the implicit migration (defaults of new required fields filled in).
        """
        versions = self.versions(name)
        for version in (source, target):
            self.get(name, version)
        if version_tuple(target) < version_tuple(source):
            raise UsageError(
                f"cannot migrate down from {source} to {target}",
                hint="Migrations only go forward; the old label files are still on disk",
            )
        chain = versions[versions.index(source) : versions.index(target) + 1]
        steps: list[tuple[Diff, Migration]] = []
        for old_version, new_version in itertools.pairwise(chain):
            diff = classify(self.get(name, old_version), self.get(name, new_version))
            migration = self.migrations.get((name, new_version))
            if migration is None:
                if diff.level is Level.MAJOR:
                    raise SchemaError(
                        f"{name} {old_version} -> {new_version} is a major change and no "
                        "migration is registered for it",
                        path=self.root / name,
                        hint=f"Add {name}/{new_version}{MIGRATION_SUFFIX}",
                    )
                migration = auto_migration(diff.old, diff.new)
            steps.append((diff, migration))
        return steps

    # ------------------------------------------------------------------ checks
    def check(self, *, update_lock: bool = False) -> list[Finding]:
        """Every problem of the folder (and the lock updated first, when asked)."""
        findings = list(self.load_findings)
        for name in sorted(self.schemas):
            findings.extend(self._check_history(name))
        findings.extend(self._check_orphan_migrations())
        if update_lock:
            self._update_lock()
        findings.extend(self._check_lock())
        return findings

    def _check_history(self, name: str) -> Iterator[Finding]:
        versions = self.versions(name)
        for old_version, new_version in itertools.pairwise(versions):
            old, new = self.get(name, old_version), self.get(name, new_version)
            path = self.file_for(name, new_version)
            diff = classify(old, new)
            for problem in diff.problems():
                yield Finding(str(path), problem, "version-bump")
            yield from self._check_migration(diff, path)
            yield from _check_field_ids(old, new, path)
        yield from _check_retired(name, [self.get(name, v) for v in versions], self)

    def _check_migration(self, diff: Diff, path: Path) -> Iterator[Finding]:
        name, target = diff.new.name, diff.new.version
        migration = self.migrations.get((name, target))
        if migration is None:
            if diff.level is Level.MAJOR:
                reasons = "; ".join(
                    f"{c.where}: {c.reason}" for c in diff.changes if c.level is Level.MAJOR
                )
                yield Finding(
                    str(path),
                    f"major change from {diff.old.version} ({reasons}) has no migration: add "
                    f"{name}/{target}{MIGRATION_SUFFIX}",
                    "migration-missing",
                )
            return
        where = str(migration.path or path)
        if migration.source != diff.old.version:
            yield Finding(
                where,
                f'"from" is {migration.source} but the version before {target} is '
                f"{diff.old.version}",
                "migration-invalid",
            )
            return
        yield from (Finding(where, m, "migration-invalid") for m in test_migration(migration, diff))

    def _check_orphan_migrations(self) -> Iterator[Finding]:
        for (name, target), migration in sorted(self.migrations.items()):
            if target not in self.schemas.get(name, {}):
                yield Finding(
                    str(migration.path),
                    f"migrates into {name} {target}, which has no schema file",
                    "migration-orphan",
                )

    # ------------------------------------------------------------------ lock
    @property
    def lock_path(self) -> Path:
        """`schemas.lock` of this folder."""
        return self.root / LOCK_NAME

    def read_lock(self) -> dict[str, str] | None:
        """`name/version` → hash from the lock file (None when there is none)."""
        if not self.lock_path.exists():
            return None
        try:
            document = json.loads(self.lock_path.read_text(encoding="utf-8"))
            versions = dict(document["versions"])
        except (ValueError, KeyError, TypeError) as exc:
            raise SchemaError(
                f"damaged lock file ({exc.__class__.__name__})",
                path=self.lock_path,
                hint="Restore it from version control",
            ) from exc
        return {str(k): str(v) for k, v in versions.items()}

    def _current_hashes(self) -> dict[str, str]:
        return {
            f"{name}/{version}": schema.sha256
            for name, versions in self.schemas.items()
            for version, schema in versions.items()
        }

    def _update_lock(self) -> None:
        """Record versions not yet locked; an edited locked version stays an error."""
        locked = self.read_lock() or {}
        for key, digest in self._current_hashes().items():
            locked.setdefault(key, digest)
        document = {"comment": LOCK_COMMENT, "versions": dict(sorted(locked.items()))}
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        atomic_write_bytes(self.lock_path, text.encode("utf-8"))

    def _check_lock(self) -> Iterator[Finding]:
        locked = self.read_lock()
        current = self._current_hashes()
        if locked is None:
            if current:
                yield Finding(
                    str(self.lock_path),
                    "no lock file: run `labeler schema check --update-lock` to publish the "
                    "versions there are",
                    "lock-missing",
                )
            return
        failed = {f"{p.parent.name}/{p.name.removesuffix(SCHEMA_SUFFIX)}" for p in self._failed()}
        for key, digest in sorted(locked.items()):
            name, version = key.split("/", 1)
            path = self.file_for(name, version)
            if key in failed:
                continue  # already reported as unloadable
            if key not in current:
                yield Finding(
                    str(path),
                    "published version deleted: restore it (labels may still use it)",
                    "published-deleted",
                )
            elif current[key] != digest:
                yield Finding(
                    str(path),
                    "published version edited since it was locked: restore it and publish "
                    "the change as a new version",
                    "published-edited",
                )
        for key in sorted(set(current) - set(locked)):
            name, version = key.split("/", 1)
            yield Finding(
                str(self.file_for(name, version)),
                "not in schemas.lock yet: run `labeler schema check --update-lock` to publish it",
                "lock-unpublished",
            )

    def _failed(self) -> list[Path]:
        return [Path(f.path) for f in self.load_findings]

    def file_for(self, name: str, version: str) -> Path:
        return self.root / name / f"{version}{SCHEMA_SUFFIX}"


def _finding(exc: LabelerError, path: Path, code: str) -> Finding:
    message = exc.message if exc.hint is None else f"{exc.message.rstrip('.')}. {exc.hint}"
    return Finding(exc.path or str(path), message, code)


def test_migration(migration: Migration, diff: Diff) -> list[str]:
    """Problems of a migration found by running it on sample labels of the old version.

    Every value of every field of the old version is migrated; what comes out must be a
    valid record of the new version, except for fields a split marked for review.
    """
    validator = Draft202012Validator(dict(diff.new.document))
    problems: list[str] = []
    for record in sample_records(diff.old):
        migrated, reviews, _ = migration.apply(record)
        reviewed = {reason.split(" ", 1)[0] for reason in reviews}
        for error in validator.iter_errors(migrated):
            field_name = error.absolute_path[0] if error.absolute_path else None
            if field_name in reviewed:
                continue
            if field_name is None and error.validator == "required":
                missing = {m for m in diff.new.document.get("required", []) if m not in migrated}
                if missing <= reviewed:
                    continue
            if field_name is None:
                label = f"{diff.old.version} labels"
            else:
                label = f"{diff.old.version} labels with {field_name} = "
                label += json.dumps(record.get(str(field_name)))
            problem = (
                f"{label} are still invalid in {diff.new.version} after the migration "
                f"({error.message}); add a step that maps them"
            )
            if problem not in problems:
                problems.append(problem)
    return problems[:20]


def _check_field_ids(old: LabelSchema, new: LabelSchema, path: Path) -> Iterator[Finding]:
    """A field keeps its x-field-id for ever: same name, other id is a mistake."""
    old_ids = {spec.name: spec.field_id for spec in old.fields}
    new_ids = {spec.field_id for spec in new.fields}
    for spec in new.fields:
        before = old_ids.get(spec.name)
        if before is not None and before != spec.field_id and before not in new_ids:
            yield Finding(
                str(path),
                f"field {spec.name!r} changed its x-field-id from {before!r} to "
                f"{spec.field_id!r}: ids are permanent, keep {before!r}",
                "field-id-changed",
                field=spec.name,
            )


def _check_retired(name: str, history: list[LabelSchema], registry: Registry) -> Iterator[Finding]:
    """Field ids and values removed in one version may not come back in a later one."""
    retired_ids: dict[str, str] = {}  # field id -> version that retired it
    retired_values: dict[tuple[str, str | int], str] = {}
    for old, new in itertools.pairwise(history):
        path = str(registry.file_for(name, new.version))
        new_specs = {spec.field_id: spec for spec in new.fields}
        for field_id, version in retired_ids.items():
            if field_id in new_specs:
                yield Finding(
                    path,
                    f"x-field-id {field_id!r} was retired in {version} and cannot be reused; "
                    "give the field a new id",
                    "field-id-reused",
                    field=new_specs[field_id].name,
                )
        for (field_id, value), version in retired_values.items():
            spec = new_specs.get(field_id)
            if spec is not None and spec.choice(value) is not None:
                yield Finding(
                    path,
                    f"value {value!r} was removed in {version} and cannot come back: old "
                    "labels with it mean something else now; use a new value",
                    "value-reused",
                    field=spec.name,
                )
        for spec in old.fields:
            after = new_specs.get(spec.field_id)
            if after is None:
                retired_ids.setdefault(spec.field_id, new.version)
                continue
            for choice in spec.choices:
                if after.choice(choice.value) is None:
                    retired_values.setdefault((spec.field_id, choice.value), new.version)
