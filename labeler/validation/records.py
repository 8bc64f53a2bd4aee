"""Per-record validation: one label record's values against its JSON Schema, exact messages.

The `jsonschema` validator (Draft 2020-12, with a format checker) is compiled once per schema
and cached by schema identity and content hash, together with a plain-Python predicate
(fastcheck.py) that accepts valid records in microseconds. `check` and `is_valid` return at
once when the predicate accepts, and ask jsonschema otherwise (always, for a schema it does
not compile), so verdicts and messages are jsonschema's; `errors` always asks jsonschema.

A field whose value is `None` is absent, as in label files, which cannot tell the two apart
(no label schema allows `null` as a value); `None` inside a value (a list item) is a JSON
`null` and is checked as one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from jsonschema import Draft202012Validator, ValidationError
from jsonschema.protocols import Validator

from labeler.domain.schema import FieldKind, LabelSchema
from labeler.errors import LabelValidationError
from labeler.validation.fastcheck import Predicate, compile_schema

T = TypeVar("T")

# Errors listed in a LabelValidationError before "and N more".
_SHOWN_ERRORS = 5


@dataclass(frozen=True, slots=True)
class RecordError:
    """One violation: where (`$.topics[1]`), jsonschema's message, and the top-level field."""

    path: str
    message: str
    field: str | None = None  # None when the error is about the record itself (`$`)


def present(values: Mapping[str, Any]) -> dict[str, Any]:
    """The record as JSON Schema sees it: fields whose value is None are absent."""
    return {name: value for name, value in values.items() if value is not None}


class RecordValidator:
    """Validates single label records against one schema; compile once, reuse for every write."""

    def __init__(self, schema: LabelSchema) -> None:
        self.schema = schema
        self.validator: Validator = Draft202012Validator(
            dict(schema.document), format_checker=Draft202012Validator.FORMAT_CHECKER
        )
        self.accepts: Predicate | None = compile_schema(schema)

    def errors(self, values: Mapping[str, Any]) -> list[RecordError]:
        """Every violation in `values`, in jsonschema's (schema-determined) order."""
        return [_record_error(error) for error in self.validator.iter_errors(present(values))]

    def is_valid(self, values: Mapping[str, Any]) -> bool:
        """Whether `values` satisfies the schema (faster than `errors` when it does not)."""
        record = present(values)
        if self.accepts is not None and self.accepts(record):
            return True
        return bool(self.validator.is_valid(record))

    def check(self, values: Mapping[str, Any]) -> None:
        """Raise LabelValidationError naming every bad field, unless `values` is valid."""
        if self.accepts is not None and self.accepts(present(values)):
            return
        errors = self.errors(values)
        if errors:
            raise LabelValidationError(
                _error_message(self.schema, errors), hint=_error_hint(self.schema, errors)
            )


def _record_error(error: ValidationError) -> RecordError:
    head = error.absolute_path[0] if error.absolute_path else None
    return RecordError(error.json_path, error.message, head if isinstance(head, str) else None)


def per_schema(build: Callable[[LabelSchema], T]) -> Callable[[LabelSchema], T]:
    """`build(schema)` made once per schema (keyed by $id and content hash), then reused."""
    cache: dict[tuple[str, str], T] = {}

    def get(schema: LabelSchema) -> T:
        key = (schema.schema_id, schema.sha256)
        if key not in cache:
            cache[key] = build(schema)
        return cache[key]

    get.__doc__ = f"The {build.__name__} of a schema, made on first use and then reused."
    return get


record_validator = per_schema(RecordValidator)


def _error_message(schema: LabelSchema, errors: list[RecordError]) -> str:
    shown = "; ".join(f"{e.path}: {e.message}" for e in errors[:_SHOWN_ERRORS])
    rest = len(errors) - _SHOWN_ERRORS
    more = f"; and {rest} more" if rest > 0 else ""
    return f"label values do not satisfy schema {schema.name} {schema.version}: {shown}{more}"


def _error_hint(schema: LabelSchema, errors: list[RecordError]) -> str:
    names = _unique(e.field for e in errors)
    specs = {spec.name for spec in schema.fields}
    parts = [_allowed(schema, name) for name in names if name in specs]
    if any(name is None or name not in specs for name in names):
        properties = list(schema.document.get("properties", {}))
        required = list(schema.document.get("required", []))
        parts.append(
            f"its fields are {', '.join(properties)}; required: {', '.join(required) or 'none'}"
        )
    return f"Nothing was saved; correct the values and save again ({'; '.join(parts)})"


def _allowed(schema: LabelSchema, name: str) -> str:
    """What `name` accepts, in the words of the form."""
    spec = schema.field(name)
    values = ", ".join(str(choice.value) for choice in spec.choices)
    if spec.kind is FieldKind.MULTI:
        return f"{name}: one or more of {values}, each once"
    if spec.choices:
        return f"{name}: one of {values}"
    if spec.kind is FieldKind.TEXT and spec.max_length is not None:
        return f"{name}: text of at most {spec.max_length} characters"
    return f"{name}: a {spec.kind.value} value"


def _unique(items: Iterable[str | None]) -> list[str | None]:
    return list(dict.fromkeys(items))
