"""Migrations: named, pure record → record steps from one schema version to the next.

A migration into version V of schema S is the file `schemas/S/V.migration.json`:

    {"from": "1.0.0", "description": "...", "steps": [
        {"op": "rename_value", "field": "stance_parent", "from": "query", "to": "question"},
        {"op": "merge_values", "field": "topics", "values": ["a", "b"], "into": "c"},
        {"op": "split_value", "field": "stance_parent", "value": "comment",
         "into": ["aside", "humour"]},
        {"op": "add_field", "field": "sarcastic", "default": false},
        {"op": "drop_field", "field": "note"},
        {"op": "rename_field", "from": "old_name", "to": "new_name"}]}

Each `op` names a registered operation (OPERATIONS). Steps never touch their input record;
they return a new one. A split cannot be decided by a machine: the value is removed and the
label is marked for review, with the reason. Minor versions need no file: fields added as
required with a default are filled automatically (`auto_migration`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from labeler.domain.schema import FieldKind, LabelSchema
from labeler.errors import SchemaError

MIGRATION_SUFFIX = ".migration.json"
Record = dict[str, Any]


@dataclass(frozen=True)
class Step:
    """One operation with its parameters; `apply` is a pure function of the record."""

    op: str
    params: Mapping[str, Any]

    def describe(self) -> str:
        """One line for reports, e.g. `rename_value stance_parent: query -> question`."""
        p = {k: json.dumps(v, ensure_ascii=False) for k, v in self.params.items()}
        if self.op == "rename_field":
            return f"rename_field {self.params['from']} -> {self.params['to']}"
        field_name = self.params.get("field")
        if self.op == "rename_value":
            return f"rename_value {field_name}: {p['from']} -> {p['to']}"
        if self.op == "merge_values":
            merged = ", ".join(json.dumps(v) for v in self.params["values"])
            return f"merge_values {field_name}: {merged} -> {p['into']}"
        if self.op == "split_value":
            parts = " or ".join(json.dumps(v) for v in self.params["into"])
            return f"split_value {field_name}: {p['value']} -> {parts} (needs review)"
        if self.op == "add_field":
            return f"add_field {field_name} = {p['default']}"
        return f"drop_field {field_name}"

    def apply(self, record: Mapping[str, Any]) -> tuple[Record, str | None]:
        """(the migrated record, why it needs review or None)."""
        return OPERATIONS[self.op].apply(record, self.params)


@dataclass(frozen=True)
class Operation:
    """A registered operation: its required parameters and its pure function."""

    name: str
    params: tuple[str, ...]
    apply: Callable[[Mapping[str, Any], Mapping[str, Any]], tuple[Record, str | None]]


OPERATIONS: dict[str, Operation] = {}


def operation(
    name: str, *params: str
) -> Callable[
    [Callable[[Mapping[str, Any], Mapping[str, Any]], tuple[Record, str | None]]],
    Callable[[Mapping[str, Any], Mapping[str, Any]], tuple[Record, str | None]],
]:
    """Register a pure function (record, params) → (record, review reason) as `name`."""

    def register(
        fn: Callable[[Mapping[str, Any], Mapping[str, Any]], tuple[Record, str | None]],
    ) -> Callable[[Mapping[str, Any], Mapping[str, Any]], tuple[Record, str | None]]:
        OPERATIONS[name] = Operation(name, params, fn)
        return fn

    return register


def _map_values(value: Any, mapping: Callable[[Any], Any]) -> Any:
    """Apply `mapping` to a single value or to each item of a multi-select (deduplicated)."""
    if isinstance(value, list):
        return list(dict.fromkeys(mapping(v) for v in value))
    return mapping(value)


@operation("rename_field", "from", "to")
def rename_field(record: Mapping[str, Any], p: Mapping[str, Any]) -> tuple[Record, str | None]:
    """The field `from` is now called `to` (its values unchanged)."""
    out = dict(record)
    if p["from"] in out:
        out[p["to"]] = out.pop(p["from"])
    return out, None


@operation("rename_value", "field", "from", "to")
def rename_value(record: Mapping[str, Any], p: Mapping[str, Any]) -> tuple[Record, str | None]:
    """Value `from` of `field` is now spelled `to`."""
    out = dict(record)
    if p["field"] in out:
        out[p["field"]] = _map_values(out[p["field"]], lambda v: p["to"] if v == p["from"] else v)
    return out, None


@operation("merge_values", "field", "values", "into")
def merge_values(record: Mapping[str, Any], p: Mapping[str, Any]) -> tuple[Record, str | None]:
    """Several values of `field` become the one value `into`."""
    out = dict(record)
    merged = set(p["values"])
    if p["field"] in out:
        out[p["field"]] = _map_values(out[p["field"]], lambda v: p["into"] if v in merged else v)
    return out, None


@operation("split_value", "field", "value", "into")
def split_value(record: Mapping[str, Any], p: Mapping[str, Any]) -> tuple[Record, str | None]:
    """Value `value` of `field` is now one of `into`: only a person can tell which."""
    name, value = p["field"], p["value"]
    current = record.get(name)
    held = value in current if isinstance(current, list) else current == value
    if not held:
        return dict(record), None
    out = dict(record)
    if isinstance(current, list):
        out[name] = [v for v in current if v != value]
        if not out[name]:
            del out[name]
    else:
        del out[name]
    options = " or ".join(repr(v) for v in p["into"])
    return out, f"{name} was {value!r}, which is now {options}: choose one"


@operation("add_field", "field", "default")
def add_field(record: Mapping[str, Any], p: Mapping[str, Any]) -> tuple[Record, str | None]:
    """A new field, set to `default` on every existing label."""
    out = dict(record)
    out.setdefault(p["field"], p["default"])
    return out, None


@operation("drop_field", "field")
def drop_field(record: Mapping[str, Any], p: Mapping[str, Any]) -> tuple[Record, str | None]:
    """The field is gone from the schema; its values are dropped (old files keep them)."""
    out = dict(record)
    out.pop(p["field"], None)
    return out, None


@dataclass(frozen=True)
class Migration:
    """The steps from `source` to `target` of one schema."""

    schema: str
    source: str
    target: str
    steps: tuple[Step, ...]
    description: str = ""
    path: Path | None = None

    def apply(self, record: Mapping[str, Any]) -> tuple[Record, list[str], list[int]]:
        """(migrated record, review reasons, indices of the steps that changed it)."""
        current: Record = dict(record)
        reviews: list[str] = []
        changed: list[int] = []
        for i, step in enumerate(self.steps):
            after, review = step.apply(current)
            if after != current:
                changed.append(i)
            if review is not None:
                reviews.append(review)
            current = after
        return current, reviews, changed


@dataclass
class MigrationTable:
    """Migrations of one registry, by (schema name, target version)."""

    by_target: dict[tuple[str, str], Migration] = field(default_factory=dict)

    def get(self, schema: str, target: str) -> Migration | None:
        """The registered migration into `target`, if any."""
        return self.by_target.get((schema, target))


def load_migration(path: Path) -> Migration:
    """Read and check one migration file; SchemaError names the file and the step."""
    name = path.parent.name
    target = path.name[: -len(MIGRATION_SUFFIX)]
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemaError(f"cannot read: {exc}", path=path) from exc
    except json.JSONDecodeError as exc:
        raise SchemaError(
            f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}", path=path
        ) from exc
    if not isinstance(document, Mapping) or not isinstance(document.get("from"), str):
        raise SchemaError('a migration must be a JSON object with "from": "<version>"', path=path)
    if document.get("to", target) != target:
        raise SchemaError(
            f'"to" says {document["to"]} but the file is for {target}',
            path=path,
            hint=f'Name the file {document["to"]}{MIGRATION_SUFFIX}, or fix "to"',
        )
    raw_steps = document.get("steps")
    if not isinstance(raw_steps, list):
        raise SchemaError('"steps" must be a list of operations', path=path)
    steps = tuple(_step(raw, i, path) for i, raw in enumerate(raw_steps, start=1))
    return Migration(
        name, document["from"], target, steps, str(document.get("description", "")), path
    )


def _step(raw: Any, number: int, path: Path) -> Step:
    where = f"step {number}"
    if not isinstance(raw, Mapping) or raw.get("op") not in OPERATIONS:
        known = ", ".join(sorted(OPERATIONS))
        raise SchemaError(f"{where}: unknown or missing op (known: {known})", path=path)
    op = OPERATIONS[raw["op"]]
    missing = [p for p in op.params if p not in raw]
    extra = sorted(set(raw) - {"op", *op.params})
    if missing or extra:
        detail = "; ".join(
            part
            for part in (
                f"missing {', '.join(missing)}" if missing else "",
                f"unknown {', '.join(extra)}" if extra else "",
            )
            if part
        )
        raise SchemaError(f"{where} ({op.name}): {detail}", path=path)
    params = {p: raw[p] for p in op.params}
    if op.name in ("merge_values", "split_value"):
        listed = params["values"] if op.name == "merge_values" else params["into"]
        if not isinstance(listed, list) or not listed:
            raise SchemaError(f"{where} ({op.name}): needs a non-empty list", path=path)
    return Step(op.name, params)


def auto_migration(old: LabelSchema, new: LabelSchema) -> Migration:
    """The implicit migration of a minor or patch step: fill required fields' defaults."""
    old_ids = {spec.field_id for spec in old.fields}
    properties: Mapping[str, Any] = new.document["properties"]
    steps = tuple(
        Step("add_field", {"field": spec.name, "default": properties[spec.name]["default"]})
        for spec in new.fields
        if spec.required and spec.field_id not in old_ids and "default" in properties[spec.name]
    )
    return Migration(new.name, old.version, new.version, steps, "implicit (minor change)")


def sample_records(schema: LabelSchema) -> list[Record]:
    """Valid records of `schema` that between them use every value of every field.

    Used to test a migration: each is migrated and the result validated against the next
    version, so a value the migration forgets to map is found before any label is moved.
    """
    base: Record = {}
    for spec in schema.fields:
        base[spec.name] = _first_value(spec.kind, [c.value for c in spec.choices])
    samples = [base]
    for spec in schema.fields:
        for choice in spec.choices[1:]:
            value: Any = [choice.value] if spec.kind is FieldKind.MULTI else choice.value
            samples.append({**base, spec.name: value})
        if not spec.required:
            samples.append({k: v for k, v in base.items() if k != spec.name})
    return samples


def _first_value(kind: FieldKind, values: Sequence[Any]) -> Any:
    if kind is FieldKind.MULTI:
        return [values[0]]
    if kind is FieldKind.BOOLEAN:
        return False
    if kind is FieldKind.TEXT:
        return "a note"
    return values[0]
