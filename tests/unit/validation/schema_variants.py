"""Building variants of the built-in schema for compatibility and registry tests."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from labeler.domain.schema import LabelSchema, build_schema
from labeler.validation.schemafile import builtin_schemas_dir, load_schema_file, schema_file

Document = dict[str, Any]


def v1() -> LabelSchema:
    """post-labels 1.0.0 as shipped."""
    return load_schema_file(schema_file(builtin_schemas_dir(), "post-labels", "1.0.0"))


def variant(version: str, edit: Callable[[Document], None] | None = None) -> LabelSchema:
    """1.0.0's document under another version number, changed by `edit`."""
    document: Document = copy.deepcopy(dict(v1().document))
    document["$id"] = f"urn:labeler:schema:post-labels:{version}"
    if edit is not None:
        edit(document)
    return build_schema(document)


def add_sarcastic(document: Document, *, default: bool = True, required: bool = True) -> None:
    """Add a `sarcastic` boolean field (as 2.0.0 does), with or without a default."""
    document["properties"]["sarcastic"] = {
        "x-field-id": "sarcastic",
        "title": "Sarcastic",
        "description": "The post means the opposite of what it says.",
        "type": "boolean",
        **({"default": False} if default else {}),
    }
    if required:
        document["required"].append("sarcastic")


def write(root: Path, schema: LabelSchema) -> Path:
    """Write `schema` into a registry folder at `root`, named after its version."""
    path = schema_file(root, schema.name, schema.version)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(schema.document, indent=2), encoding="utf-8")
    return path
