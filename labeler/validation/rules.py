"""JSON Schema subschemas parsed into the keywords the bulk compiler implements.

`parse_rule` reads one property's subschema into a `Rule`: type, enum, const, a oneOf or
anyOf whose branches are only consts (how label schemas list their values), the numeric
bounds, string lengths, and for arrays minItems, maxItems, uniqueItems and items. Any other
keyword (pattern, format, $ref, allOf, ...) or an unusual value raises `Unsupported`, and
the property is then checked with jsonschema instead (expressions.py, bulk.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

# Keywords that only annotate and never fail a value.
ANNOTATIONS = frozenset(
    [
        "title",
        "description",
        "default",
        "examples",
        "$comment",
        "deprecated",
        "readOnly",
        "writeOnly",
    ]
)
_JSON_TYPES = frozenset({"null", "boolean", "object", "array", "number", "string", "integer"})


class Unsupported(Exception):  # noqa: N818 - a signal to fall back, not a failure
    """A keyword, value or dtype the compiler does not implement: validate with jsonschema."""


@dataclass(frozen=True)
class Rule:
    """What a subschema demands of one value, in the keywords the compiler implements."""

    accept: bool | None = None  # a boolean schema: true accepts anything, false nothing
    types: frozenset[str] | None = None
    choices: tuple[tuple[Any, ...], ...] = ()  # enum/const/oneOf: equal one of each tuple
    bounds: tuple[tuple[str, int | float], ...] = ()  # (">=", 1): minimum and friends
    min_length: int | None = None
    max_length: int | None = None
    min_items: int | None = None
    max_items: int | None = None
    unique_items: bool = False
    items: Rule | None = None

    def accepts_null(self) -> bool:
        """Whether a JSON null (a null list item) satisfies the rule."""
        if self.accept is not None:
            return self.accept
        if self.types is not None and "null" not in self.types:
            return False
        return all(any(c is None for c in choice) for choice in self.choices)


# Top-level keywords the compilers implement (besides annotations and x-*).
ROOT_KEYWORDS = frozenset(
    ["$schema", "$id", "$defs", "type", "properties", "required", "additionalProperties"]
)


@dataclass(frozen=True)
class RecordShape:
    """A schema's top level: its property subschemas, required names, and whether other
    properties are refused (`additionalProperties: false`)."""

    properties: Mapping[str, Any]
    required: tuple[str, ...]
    closed: bool


def parse_record(document: Mapping[str, Any]) -> RecordShape:
    """The top level of a label schema; Unsupported if it uses anything else."""
    known = ROOT_KEYWORDS | ANNOTATIONS
    if any(key not in known and not key.startswith("x-") for key in document):
        raise Unsupported("a top-level keyword")
    extra = document.get("additionalProperties", True)
    properties = document.get("properties", {})
    required = document.get("required", [])
    if (
        document.get("type", "object") != "object"
        or not isinstance(extra, bool)
        or not isinstance(properties, Mapping)
        or not isinstance(required, list)
        or not all(isinstance(name, str) for name in required)
    ):
        raise Unsupported("the top level")
    return RecordShape(properties, tuple(required), closed=not extra)


def parse_rule(schema: Any) -> Rule:
    """The rule of a subschema; Unsupported if it uses anything the compiler lacks."""
    if isinstance(schema, bool):
        return Rule(accept=schema)
    if not isinstance(schema, Mapping):
        raise Unsupported("a subschema that is not an object")
    rule = Rule()
    for key, value in schema.items():
        if key in ANNOTATIONS or key.startswith("x-"):
            continue
        parse = _PARSERS.get(key)
        if parse is None:
            raise Unsupported(key)
        rule = parse(rule, value)
    return rule


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise Unsupported("a count that is not a non-negative integer")
    return value


def _number(value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise Unsupported("a bound that is not a finite number")
    return value


def _types(rule: Rule, value: Any) -> Rule:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(n in _JSON_TYPES for n in names):
        raise Unsupported("type")
    return replace(rule, types=frozenset(names))


def _enum(rule: Rule, value: Any) -> Rule:
    if not isinstance(value, list):
        raise Unsupported("enum")
    return replace(rule, choices=(*rule.choices, tuple(value)))


def _const(rule: Rule, value: Any) -> Rule:
    return replace(rule, choices=(*rule.choices, (value,)))


def _const_branches(value: Any, *, distinct: bool) -> tuple[Any, ...]:
    """The consts of a oneOf/anyOf whose every branch is only a const (plus annotations)."""
    if not isinstance(value, list) or not value:
        raise Unsupported("oneOf/anyOf")
    consts = []
    for branch in value:
        if not isinstance(branch, Mapping) or "const" not in branch:
            raise Unsupported("a oneOf/anyOf branch that is not a const")
        if any(k != "const" and k not in ANNOTATIONS and not k.startswith("x-") for k in branch):
            raise Unsupported("a oneOf/anyOf branch with more than a const")
        consts.append(branch["const"])
    # With two equal consts, a value matching them matches twice and fails oneOf.
    if distinct and len({_const_key(c) for c in consts}) != len(consts):
        raise Unsupported("oneOf with equal consts")
    return tuple(consts)


def _const_key(value: Any) -> tuple[str, Any]:
    """Equal keys for values JSON Schema calls equal (1 == 1.0, True != 1)."""
    if isinstance(value, bool):
        return ("boolean", value)
    if isinstance(value, int | float) and not (isinstance(value, float) and math.isnan(value)):
        return ("number", value)
    if isinstance(value, str):
        return ("string", value)
    if value is None:
        return ("null", None)
    raise Unsupported("a const that is not a string, number, boolean or null")


def _one_of(rule: Rule, value: Any) -> Rule:
    return replace(rule, choices=(*rule.choices, _const_branches(value, distinct=True)))


def _any_of(rule: Rule, value: Any) -> Rule:
    return replace(rule, choices=(*rule.choices, _const_branches(value, distinct=False)))


def _bound(op: str) -> Callable[[Rule, Any], Rule]:
    def parse(rule: Rule, value: Any) -> Rule:
        return replace(rule, bounds=(*rule.bounds, (op, _number(value))))

    return parse


def _setter(name: str, convert: Callable[[Any], Any]) -> Callable[[Rule, Any], Rule]:
    def parse(rule: Rule, value: Any) -> Rule:
        return replace(rule, **{name: convert(value)})

    return parse


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Unsupported("uniqueItems that is not a boolean")
    return value


_PARSERS: dict[str, Callable[[Rule, Any], Rule]] = {
    "type": _types,
    "enum": _enum,
    "const": _const,
    "oneOf": _one_of,
    "anyOf": _any_of,
    "minimum": _bound(">="),
    "exclusiveMinimum": _bound(">"),
    "maximum": _bound("<="),
    "exclusiveMaximum": _bound("<"),
    "minLength": _setter("min_length", _count),
    "maxLength": _setter("max_length", _count),
    "minItems": _setter("min_items", _count),
    "maxItems": _setter("max_items", _count),
    "uniqueItems": _setter("unique_items", _flag),
    "items": _setter("items", parse_rule),
}
