"""The label-schema view: fields, their values, guideline texts and keys, read from a schema.

A label schema is a JSON Schema document for one label record. The same document is the
annotation form: every property is a field carrying a permanent `x-field-id`, a `title` and
a guideline `description`; every allowed value is a `{"const": ..., "title": ...,
"description": ..., "x-key": ...}` branch of a `oneOf`. This module turns that document into
a typed view and rejects documents the form cannot be built from (with the field named).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from labeler.errors import SchemaError

SCHEMA_ID_RE = re.compile(
    r"^urn:labeler:schema:(?P<name>[a-z][a-z0-9-]*):"
    r"(?P<version>(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*))$"
)


class FieldKind(StrEnum):
    """How a field is answered, and so how the form shows it."""

    SINGLE = "single"  # one value out of a list
    ORDINAL = "ordinal"  # one value out of an ordered integer scale
    MULTI = "multi"  # any number of values out of a list
    BOOLEAN = "boolean"  # a yes/no flag
    TEXT = "text"  # free text


@dataclass(frozen=True, slots=True)
class Choice:
    """One allowed value with the text annotators see."""

    value: str | int
    title: str
    description: str
    key: str | None = None


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field of the label record."""

    name: str
    field_id: str
    title: str
    description: str
    kind: FieldKind
    required: bool
    choices: tuple[Choice, ...] = ()
    context: str | None = None  # e.g. "quote": only asked when the post quotes another
    max_length: int | None = None
    key: str | None = None  # toggles a boolean field

    def choice(self, value: str | int) -> Choice | None:
        """The choice with this value, if the field has it."""
        return next((c for c in self.choices if c.value == value), None)


@dataclass(frozen=True, slots=True)
class LabelSchema:
    """A parsed, checked label schema; `document` is the JSON Schema itself."""

    schema_id: str
    name: str
    version: str
    title: str
    description: str
    fields: tuple[FieldSpec, ...]
    document: Mapping[str, Any]
    # Hash of the canonical JSON of the document (whitespace and key order ignored); computed
    # once, since validators are cached by it and every label write looks one up.
    sha256: str = field(init=False)

    def __post_init__(self) -> None:
        digest = hashlib.sha256(canonical_json(self.document).encode("utf-8")).hexdigest()
        object.__setattr__(self, "sha256", digest)

    def field(self, name: str) -> FieldSpec:
        """The field called `name`; KeyError if the schema has none."""
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)

    def defaults(self) -> dict[str, Any]:
        """The schema's default values (`sarcastic=false`...), which a form starts from."""
        properties = self.document["properties"]
        return {
            spec.name: properties[spec.name]["default"]
            for spec in self.fields
            if "default" in properties[spec.name]
        }

    def keys(self) -> dict[str, tuple[FieldSpec, Choice | None]]:
        """Every single-key shortcut the schema declares, with what it sets."""
        found: dict[str, tuple[FieldSpec, Choice | None]] = {}
        for spec, choice, key in _declared_keys(self.fields):
            found[key] = (spec, choice)
        return found


def canonical_json(document: Mapping[str, Any]) -> str:
    """Key-sorted, compact JSON: equal documents give equal strings."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def parse_schema_id(schema_id: str) -> tuple[str, str]:
    """(name, version) from `urn:labeler:schema:<name>:<semver>`."""
    match = SCHEMA_ID_RE.match(schema_id)
    if match is None:
        raise SchemaError(
            f"$id {schema_id!r} is not of the form urn:labeler:schema:<name>:<MAJOR.MINOR.PATCH>",
            hint="Set $id to the schema's name and the version in its file name",
        )
    return match["name"], match["version"]


def build_schema(document: Mapping[str, Any]) -> LabelSchema:
    """Check a schema document against our conventions and return its view."""
    if not isinstance(document, Mapping):
        raise SchemaError("a label schema must be a JSON object")
    name, version = parse_schema_id(str(document.get("$id", "")))
    if document.get("type") != "object" or document.get("additionalProperties") is not False:
        raise SchemaError(
            'the record must be a closed object: "type": "object" and '
            '"additionalProperties": false',
            hint="Closed records make a typo in a field name an error instead of a silent loss",
        )
    properties = document.get("properties")
    if not isinstance(properties, Mapping) or not properties:
        raise SchemaError('"properties" must list at least one field')
    required = document.get("required", [])
    if not isinstance(required, list) or any(r not in properties for r in required):
        raise SchemaError('"required" must name fields that exist under "properties"')
    fields = tuple(
        _build_field(str(fname), prop, fname in required) for fname, prop in properties.items()
    )
    _check_unique_field_ids(fields)
    _check_key_conflicts(fields)
    return LabelSchema(
        schema_id=str(document["$id"]),
        name=name,
        version=version,
        title=str(document.get("title", name)),
        description=str(document.get("description", "")),
        fields=fields,
        document=document,
    )


def _build_field(name: str, prop: Any, required: bool) -> FieldSpec:
    where = f"field {name!r}"
    if not isinstance(prop, Mapping):
        raise SchemaError(f"{where}: must be a JSON object")
    for attr in ("x-field-id", "title", "description"):
        if not isinstance(prop.get(attr), str) or not prop[attr].strip():
            raise SchemaError(
                f"{where}: missing {attr!r}",
                hint="Every field needs a permanent x-field-id, a title and guideline text",
            )
    kind, choices = _field_shape(where, prop)
    key = prop.get("x-key")
    if key is not None and kind is not FieldKind.BOOLEAN:
        raise SchemaError(f"{where}: x-key on a field is only for boolean fields")
    max_length = prop.get("maxLength")
    return FieldSpec(
        name=name,
        field_id=prop["x-field-id"],
        title=prop["title"],
        description=prop["description"],
        kind=kind,
        required=required,
        choices=choices,
        context=prop.get("x-context"),
        max_length=max_length if isinstance(max_length, int) else None,
        key=_check_key(where, key),
    )


def _field_shape(where: str, prop: Mapping[str, Any]) -> tuple[FieldKind, tuple[Choice, ...]]:
    if prop.get("type") == "array":
        items = prop.get("items")
        if not isinstance(items, Mapping) or "oneOf" not in items:
            raise SchemaError(f'{where}: an array field needs "items" with a "oneOf" of values')
        if prop.get("uniqueItems") is not True:
            raise SchemaError(f'{where}: a multi-select field needs "uniqueItems": true')
        return FieldKind.MULTI, _choices(where, items["oneOf"])
    if "oneOf" in prop:
        choices = _choices(where, prop["oneOf"])
        integer = all(isinstance(c.value, int) for c in choices)
        ordinal = prop.get("x-measure") == "ordinal" or (integer and prop.get("type") == "integer")
        return (FieldKind.ORDINAL if ordinal else FieldKind.SINGLE), choices
    if prop.get("type") == "boolean":
        return FieldKind.BOOLEAN, ()
    if prop.get("type") == "string":
        return FieldKind.TEXT, ()
    raise SchemaError(
        f"{where}: cannot build a form field from it",
        hint='Use a "oneOf" of consts, an array of such values, "boolean" or "string"',
    )


def _choices(where: str, branches: Any) -> tuple[Choice, ...]:
    if not isinstance(branches, list) or not branches:
        raise SchemaError(f'{where}: "oneOf" must be a non-empty list of value definitions')
    out: list[Choice] = []
    for i, branch in enumerate(branches):
        if not isinstance(branch, Mapping) or "const" not in branch:
            raise SchemaError(f'{where}: value #{i + 1} must be an object with a "const"')
        value = branch["const"]
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise SchemaError(f"{where}: value #{i + 1} must be a string or an integer")
        if not branch.get("title") or not branch.get("description"):
            raise SchemaError(
                f"{where}: value {value!r} needs a title and a description",
                hint="The description is the guideline annotators read for this value",
            )
        key = _check_key(f"{where}, value {value!r}", branch.get("x-key"))
        out.append(Choice(value, str(branch["title"]), str(branch["description"]), key))
    values = [c.value for c in out]
    if len(set(values)) != len(values):
        raise SchemaError(f"{where}: a value is listed twice")
    return tuple(out)


def _check_key(where: str, key: Any) -> str | None:
    if key is None:
        return None
    if not isinstance(key, str) or len(key) != 1 or not key.isprintable() or key.isspace():
        raise SchemaError(f"{where}: x-key must be one printable, non-space character")
    return key


def _declared_keys(
    fields: tuple[FieldSpec, ...],
) -> Iterator[tuple[FieldSpec, Choice | None, str]]:
    for spec in fields:
        if spec.key is not None:
            yield spec, None, spec.key
        for choice in spec.choices:
            if choice.key is not None:
                yield spec, choice, choice.key


def _check_key_conflicts(fields: tuple[FieldSpec, ...]) -> None:
    seen: dict[str, str] = {}
    for spec, choice, key in _declared_keys(fields):
        owner = spec.name if choice is None else f"{spec.name}={choice.value}"
        if key in seen:
            raise SchemaError(
                f"key {key!r} is given to both {seen[key]} and {owner}",
                hint="Give each value its own x-key, or drop one of them",
            )
        seen[key] = owner


def _check_unique_field_ids(fields: tuple[FieldSpec, ...]) -> None:
    seen: dict[str, str] = {}
    for spec in fields:
        if spec.field_id in seen:
            raise SchemaError(
                f"x-field-id {spec.field_id!r} is used by both {seen[spec.field_id]!r} "
                f"and {spec.name!r}"
            )
        seen[spec.field_id] = spec.name
