"""Reading one label-schema file: JSON, the Draft 2020-12 meta-schema, our conventions."""

from __future__ import annotations

import json
from pathlib import Path

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from labeler.domain.schema import LabelSchema, build_schema
from labeler.errors import InputNotFoundError, SchemaError

SCHEMA_SUFFIX = ".schema.json"


def builtin_schemas_dir() -> Path:
    """The schemas shipped with labeler (the repository's `schemas/` folder)."""
    package = Path(__file__).resolve().parent.parent
    bundled = package / "builtin_schemas"
    return bundled if bundled.is_dir() else package.parent / "schemas"


def schema_file(schemas_dir: Path, name: str, version: str) -> Path:
    """Where version `version` of schema `name` lives under `schemas_dir`."""
    return schemas_dir / name / f"{version}{SCHEMA_SUFFIX}"


def load_schema_file(path: Path) -> LabelSchema:
    """Parse and check one schema file; SchemaError names the file and the problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InputNotFoundError("no such schema file", path=path) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemaError(f"cannot read: {exc}", path=path) from exc
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SchemaError(
            f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}", path=path
        ) from exc
    error = best_match(Draft202012Validator(Draft202012Validator.META_SCHEMA).iter_errors(document))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise SchemaError(f"not a valid JSON Schema at {where}: {error.message}", path=path)
    try:
        schema = build_schema(document)
    except SchemaError as exc:
        exc.path = str(path)
        raise
    expected = f"{schema.version}{SCHEMA_SUFFIX}"
    if path.name != expected or path.parent.name != schema.name:
        raise SchemaError(
            f"$id says {schema.name} {schema.version} but the file is {path.parent.name}/"
            f"{path.name}",
            path=path,
            hint=f"Name the file {schema.name}/{expected}, or fix its $id",
        )
    return schema
