"""Compatibility between two versions of a label schema (DESIGN.md "Label schemas").

Every difference is classified with its reason:

- patch: wording only (titles, guideline descriptions, keys, defaults);
- minor: every record valid before stays valid, or is made valid by filling a default: an
  optional field added, a required field added with a default, a value added, a limit
  widened, a field made optional;
- major: some record valid before is not any more: a field or value removed or renamed, a
  limit tightened, a field made required or added as required without a default, a type
  changed. A major change needs a registered migration.

Fields are matched by their permanent `x-field-id`, so a renamed field is a rename (major),
not a removal plus an addition; values are matched by their `const`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from labeler.domain.schema import FieldSpec, LabelSchema


class Level(IntEnum):
    """How far-reaching a change is (ordered)."""

    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3

    @property
    def label(self) -> str:
        """Lower-case name, as printed."""
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between two versions, at a place (`$` or `$.field`)."""

    level: Level
    where: str
    reason: str


@dataclass
class Diff:
    """The changes from `old` to `new`, and whether the version numbers allow them."""

    old: LabelSchema
    new: LabelSchema
    changes: list[Change] = field(default_factory=list)

    @property
    def level(self) -> Level:
        """The most far-reaching change (NONE when the documents are equivalent)."""
        return max((c.level for c in self.changes), default=Level.NONE)

    @property
    def bump(self) -> Level:
        """What the version numbers declare: major, minor or patch (NONE if not increased)."""
        old, new = version_tuple(self.old.version), version_tuple(self.new.version)
        if new <= old:
            return Level.NONE
        if new[0] != old[0]:
            return Level.MAJOR
        return Level.MINOR if new[1] != old[1] else Level.PATCH

    def problems(self) -> list[str]:
        """Why the version numbers do not fit the changes (empty when they do)."""
        if version_tuple(self.new.version) <= version_tuple(self.old.version):
            return [f"{self.new.version} does not come after {self.old.version}"]
        if self.level > self.bump:
            needed = _next_version(self.old.version, self.level)
            return [
                f"{self.level.label} changes need version {needed} or later, but "
                f"{self.old.version} -> {self.new.version} is a {self.bump.label} bump"
            ]
        return []

    def to_json(self) -> dict[str, Any]:
        """The diff as JSON-ready data."""
        return {
            "old": self.old.schema_id,
            "new": self.new.schema_id,
            "level": self.level.label,
            "bump": self.bump.label,
            "problems": self.problems(),
            "changes": [
                {"level": c.level.label, "where": c.where, "reason": c.reason} for c in self.changes
            ],
        }


def version_tuple(version: str) -> tuple[int, int, int]:
    """(major, minor, patch) of a MAJOR.MINOR.PATCH string."""
    major, minor, patch = (int(part) for part in version.split("."))
    return major, minor, patch


def _next_version(version: str, level: Level) -> str:
    major, minor, patch = version_tuple(version)
    if level is Level.MAJOR:
        return f"{major + 1}.0.0"
    if level is Level.MINOR:
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


# Keywords of a property this module understands; any other difference is major.
_WORDING = ("title", "description", "x-key", "default", "x-context")
_UPPER_LIMITS = ("maxLength", "maxItems", "maximum", "exclusiveMaximum")
_LOWER_LIMITS = ("minLength", "minItems", "minimum", "exclusiveMinimum")
_HANDLED = {
    *_WORDING,
    *_UPPER_LIMITS,
    *_LOWER_LIMITS,
    "x-field-id",
    "x-measure",
    "oneOf",
    "items",
    "type",
    "uniqueItems",
}
_TOP_HANDLED = {"$id", "$schema", "title", "description", "properties", "required"}


def classify(old: LabelSchema, new: LabelSchema) -> Diff:
    """Every difference from `old` to `new`, classified."""
    diff = Diff(old, new)
    for key in ("title", "description"):
        if old.document.get(key) != new.document.get(key):
            diff.changes.append(Change(Level.PATCH, "$", f"schema {key} reworded"))
    for key in sorted((set(old.document) | set(new.document)) - _TOP_HANDLED):
        if old.document.get(key) != new.document.get(key):
            diff.changes.append(
                Change(Level.MAJOR, "$", f"top-level {key!r} changed (treated as major)")
            )
    old_fields = {spec.field_id: spec for spec in old.fields}
    new_fields = {spec.field_id: spec for spec in new.fields}
    for field_id, spec in old_fields.items():
        if field_id not in new_fields:
            diff.changes.append(
                Change(Level.MAJOR, f"$.{spec.name}", "field removed: its labels lose it")
            )
    for field_id, spec in new_fields.items():
        before = old_fields.get(field_id)
        if before is None:
            diff.changes.append(_added_field(spec, _prop(new, spec)))
        else:
            diff.changes.extend(_field_changes(before, spec, _prop(old, before), _prop(new, spec)))
    return diff


def _prop(schema: LabelSchema, spec: FieldSpec) -> Mapping[str, Any]:
    properties: Mapping[str, Any] = schema.document["properties"]
    prop: Mapping[str, Any] = properties[spec.name]
    return prop


def _added_field(spec: FieldSpec, prop: Mapping[str, Any]) -> Change:
    where = f"$.{spec.name}"
    if not spec.required:
        return Change(Level.MINOR, where, "optional field added")
    if "default" in prop:
        return Change(
            Level.MINOR, where, f"required field added with default {json.dumps(prop['default'])}"
        )
    return Change(Level.MAJOR, where, "required field added without a default: old labels lack it")


def _field_changes(
    old: FieldSpec, new: FieldSpec, before: Mapping[str, Any], after: Mapping[str, Any]
) -> list[Change]:
    where = f"$.{new.name}"
    changes: list[Change] = []
    if old.name != new.name:
        changes.append(Change(Level.MAJOR, where, f"field renamed from {old.name!r}"))
    if old.kind is not new.kind or before.get("type") != after.get("type"):
        if {old.kind, new.kind} <= {"single", "ordinal"} and before.get("type") == after.get(
            "type"
        ):
            changes.append(
                Change(Level.MINOR, where, f"measurement changed from {old.kind} to {new.kind}")
            )
        else:
            changes.append(
                Change(Level.MAJOR, where, f"answer type changed from {old.kind} to {new.kind}")
            )
    if old.required != new.required:
        changes.append(_required_change(new, after, where))
    for key in _WORDING:
        if before.get(key) != after.get(key):
            changes.append(Change(Level.PATCH, where, f"{key} changed"))
    changes.extend(_choice_changes(old, new, where))
    changes.extend(_limit_changes(before, after, where))
    changes.extend(_limit_changes(_items(before), _items(after), f"{where}[]"))
    if bool(before.get("uniqueItems")) != bool(after.get("uniqueItems")):
        level = Level.MAJOR if after.get("uniqueItems") else Level.MINOR
        changes.append(Change(level, where, "uniqueItems changed"))
    changes.extend(_unknown_changes(before, after, where, ""))
    changes.extend(_unknown_changes(_items(before), _items(after), where, "items."))
    return changes


def _unknown_changes(
    before: Mapping[str, Any], after: Mapping[str, Any], where: str, prefix: str
) -> list[Change]:
    """Differences in keywords this module does not model: major, to be safe."""
    return [
        Change(Level.MAJOR, where, f"{prefix}{key!r} changed (treated as major)")
        for key in sorted((set(before) | set(after)) - _HANDLED)
        if before.get(key) != after.get(key)
    ]


def _items(prop: Mapping[str, Any]) -> Mapping[str, Any]:
    items = prop.get("items")
    return items if isinstance(items, Mapping) else {}


def _required_change(new: FieldSpec, after: Mapping[str, Any], where: str) -> Change:
    if not new.required:
        return Change(Level.MINOR, where, "field made optional")
    if "default" in after:
        return Change(
            Level.MINOR, where, f"field made required, default {json.dumps(after['default'])}"
        )
    return Change(Level.MAJOR, where, "field made required without a default")


def _choice_changes(old: FieldSpec, new: FieldSpec, where: str) -> list[Change]:
    changes: list[Change] = []
    before = {c.value: c for c in old.choices}
    after = {c.value: c for c in new.choices}
    for value in before:
        if value not in after:
            changes.append(Change(Level.MAJOR, where, f"value {value!r} removed"))
    for value, choice in after.items():
        was = before.get(value)
        if was is None:
            changes.append(Change(Level.MINOR, where, f"value {value!r} added"))
            continue
        for attr in ("title", "description", "key"):
            if getattr(was, attr) != getattr(choice, attr):
                changes.append(Change(Level.PATCH, where, f"value {value!r}: {attr} changed"))
    return changes


def _limit_changes(before: Mapping[str, Any], after: Mapping[str, Any], where: str) -> list[Change]:
    changes: list[Change] = []
    for key in (*_UPPER_LIMITS, *_LOWER_LIMITS):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        tighter = _tighter(old, new, upper=key in _UPPER_LIMITS)
        level = Level.MAJOR if tighter else Level.MINOR
        verb = "tightened" if tighter else "widened"
        if old is None:
            detail = f"{key} added ({new!r}): tightened"
        elif new is None:
            detail = f"{key} removed (was {old!r}): widened"
        else:
            detail = f"{key} {verb}: {old!r} -> {new!r}"
        changes.append(Change(level, where, detail))
    return changes


def _tighter(old: Any, new: Any, *, upper: bool) -> bool:
    """Whether moving a limit from `old` to `new` rejects something it accepted."""
    if old is None or new is None:
        return old is None  # a limit added tightens, one removed widens
    return bool(new < old) if upper else bool(new > old)
