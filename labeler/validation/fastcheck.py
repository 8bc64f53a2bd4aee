"""A plain-Python predicate that accepts the valid records of a schema without jsonschema.

`compile_schema` turns a schema whose top level is type object, properties, required and
additionalProperties (as bulk.py compiles it) and whose every property parses as a `Rule`
(rules.py) into closures, built once. The predicate follows jsonschema's Draft 2020-12
semantics: booleans are not numbers and never equal 1 or 0, 1.0 is an integer and equals 1,
NaN passes every bound. It only ever accepts records jsonschema accepts; where it cannot be
sure (a NaN in a list, a value of a type other than str, int, float, bool, None or list, an
object that is not a dict) it rejects, and the caller asks jsonschema. A schema using
anything else compiles to None: validate every record with jsonschema.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from labeler.domain.schema import LabelSchema
from labeler.validation.rules import Rule, Unsupported, parse_record, parse_rule

Predicate = Callable[[Mapping[str, Any]], bool]
Check = Callable[[Any], bool]

_NULL = type(None)
# The Python types the predicate judges; a value of any other type goes to jsonschema.
_PLAIN: tuple[type, ...] = (str, int, float, bool, _NULL, list)
# The JSON types each plain Python type is an instance of (a float may also be an integer).
_JSON_TYPES: dict[type, frozenset[str]] = {
    str: frozenset({"string"}),
    int: frozenset({"integer", "number"}),
    float: frozenset({"number"}),
    bool: frozenset({"boolean"}),
    _NULL: frozenset({"null"}),
    list: frozenset({"array"}),
}
# A bound as jsonschema fails it: minimum fails `value < bound`, and so on.
_FAILS: dict[str, Callable[[Any, Any], bool]] = {
    ">=": lambda value, bound: value < bound,
    ">": lambda value, bound: value <= bound,
    "<=": lambda value, bound: value > bound,
    "<": lambda value, bound: value >= bound,
}


def compile_schema(schema: LabelSchema) -> Predicate | None:
    """The fast predicate of `schema`, or None if it uses anything the predicate lacks."""
    try:
        return _compile_document(schema.document)
    except Unsupported:
        return None


def _compile_document(document: Mapping[str, Any]) -> Predicate:
    shape = parse_record(document)
    checks = {name: rule_check(parse_rule(sub)) for name, sub in shape.properties.items()}
    return _record_predicate(checks, frozenset(shape.required), closed=shape.closed)


def _record_predicate(
    checks: dict[str, Check], required: frozenset[str], *, closed: bool
) -> Predicate:
    def accepts(record: Mapping[str, Any]) -> bool:
        if type(record) is not dict:
            return False
        for name, value in record.items():
            check = checks.get(name)
            if check is None:
                if closed:
                    return False
            elif not check(value):
                return False
        return record.keys() >= required

    return accepts


def rule_check(rule: Rule) -> Check:
    """A function telling whether a value satisfies `rule` (False also when unsure)."""
    if rule.accept is not None:
        return _constant(rule.accept)
    if rule == Rule():
        return _constant(True)
    table: dict[type, tuple[Check, ...]] = {}
    for kind in _PLAIN:
        tests = _tests_for(rule, kind)
        if tests is not None:
            table[kind] = tuple(tests)

    def check(value: Any) -> bool:
        tests = table.get(type(value))
        if tests is None:
            return False
        for test in tests:  # noqa: SIM110 - a loop, not a generator, on the hot path
            if not test(value):
                return False
        return True

    return check


def _constant(verdict: bool) -> Check:
    def check(value: Any) -> bool:
        return verdict

    return check


def _tests_for(rule: Rule, kind: type) -> list[Check] | None:
    """What a value of Python type `kind` must pass; None if no such value satisfies `rule`."""
    tests: list[Check] = []
    if rule.types is not None:
        if kind is float and "integer" in rule.types and "number" not in rule.types:
            tests.append(float.is_integer)
        elif not rule.types & _JSON_TYPES[kind]:
            return None
    for choice in rule.choices:
        allowed = _allowed(choice, kind)
        if allowed is None:
            return None
        if allowed:
            tests.append(allowed.__contains__)
    if kind in (int, float):
        tests += [_within(_FAILS[op], bound) for op, bound in rule.bounds]
    elif kind is str:
        tests += _length_tests(rule.min_length, rule.max_length)
    elif kind is list:
        tests += _length_tests(rule.min_items, rule.max_items)
        tests += _list_tests(rule)
    return tests


def _allowed(choice: tuple[Any, ...], kind: type) -> frozenset[Any] | None:
    """The values of `kind` in `choice` (empty: any null is), or None if it has none of `kind`."""
    if any(type(c) not in _PLAIN or type(c) is list for c in choice):
        raise Unsupported("a choice that is not a string, number, boolean or null")
    if kind is _NULL:
        return frozenset() if any(c is None for c in choice) else None
    if kind is list:
        return None
    if kind in (int, float):
        # Sets compare 1 and 1.0 as equal, as JSON does; NaN never equals (bar identity).
        same = {c for c in choice if type(c) in (int, float) and not _is_nan(c)}
    else:
        same = {c for c in choice if type(c) is kind}
    return frozenset(same) or None


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


def _within(fails: Callable[[Any, Any], bool], bound: int | float) -> Check:
    def test(value: Any) -> bool:
        return not fails(value, bound)

    return test


def _length_tests(least: int | None, most: int | None) -> list[Check]:
    tests: list[Check] = []
    if least is not None:
        tests.append(lambda value: len(value) >= least)
    if most is not None:
        tests.append(lambda value: len(value) <= most)
    return tests


def _list_tests(rule: Rule) -> list[Check]:
    tests: list[Check] = []
    if rule.unique_items:
        tests.append(_distinct)
    if rule.items is not None:
        item = rule_check(rule.items)
        tests.append(lambda value: all(map(item, value)))
    return tests


def _distinct(items: list[Any]) -> bool:
    """Whether no two items are JSON-equal; False also for items it does not judge (NaN, lists)."""
    keys = set()
    for item in items:
        kind = type(item)
        if kind not in _PLAIN or kind is list or _is_nan(item):
            return False
        keys.add((kind is bool, item))  # True and 1 differ; 1 and 1.0 do not
    return len(keys) == len(items)
