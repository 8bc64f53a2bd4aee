"""`labeler label`: record one decision from a script, through the same store as the TUI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from labeler.cli.commands.common import PATH
from labeler.cli.output import echo_note
from labeler.domain.labels import LabelStatus
from labeler.domain.schema import FieldKind, FieldSpec, LabelSchema
from labeler.errors import LabelValidationError, UsageError
from labeler.storage.dataset import Dataset
from labeler.storage.store import LabelStore

_TRUE = {"true", "yes", "y", "1", "on"}
_FALSE = {"false", "no", "n", "0", "off"}
_STATUSES = [s.value for s in LabelStatus if s is not LabelStatus.RETRACTED]


@click.command()
@click.argument("dataset_dir", metavar="DIR", type=PATH)
@click.argument("post_id")
@click.argument("assignments", nargs=-1, metavar="FIELD=VALUE...")
@click.option("--annotator", required=True, metavar="NAME", help="Who made the decision.")
@click.option(
    "--status",
    type=click.Choice(_STATUSES),
    default=LabelStatus.LABELLED.value,
    show_default=True,
    help="labelled needs a complete record; skipped and flagged may give no values.",
)
def label(
    dataset_dir: Path, post_id: str, assignments: tuple[str, ...], annotator: str, status: str
) -> None:
    """Record one label decision (multi-select: FIELD=a,b), validated like the TUI's.

    The decision is committed to the annotator's journal and flushed to a label file
    before the command ends; its label_id is printed on stdout.
    """
    dataset = Dataset.open(dataset_dir)
    schema = dataset.schema()
    values = parse_assignments(schema, assignments)
    if status == LabelStatus.LABELLED:
        values = {**schema.defaults(), **values}
    with LabelStore.open(dataset, annotator) as store:
        event = store.record(post_id, values, LabelStatus(status))
    click.echo(event.label_id)
    echo_note(
        f"saved {event.status} {event.label_id} for {post_id} by {annotator} "
        f"({schema.name} {schema.version})"
    )


def parse_assignments(schema: LabelSchema, assignments: tuple[str, ...]) -> dict[str, Any]:
    """FIELD=VALUE words as a label record, each value converted to its field's type."""
    values: dict[str, Any] = {}
    for word in assignments:
        name, sep, raw = word.partition("=")
        if not sep or not name:
            raise UsageError(f"{word!r} is not FIELD=VALUE", hint=_fields_hint(schema))
        try:
            spec = schema.field(name)
        except KeyError:
            raise UsageError(
                f"{schema.name} {schema.version} has no field {name!r}", hint=_fields_hint(schema)
            ) from None
        if name in values:
            raise UsageError(f"{name} is given twice", hint="Give each field once")
        values[name] = _convert(spec, raw, schema)
    return values


def _convert(spec: FieldSpec, raw: str, schema: LabelSchema) -> Any:
    if spec.kind is FieldKind.BOOLEAN:
        word = raw.strip().lower()
        if word in _TRUE | _FALSE:
            return word in _TRUE
        raise LabelValidationError(
            f"{spec.name}={raw!r} is not a yes/no value", hint="Use true or false"
        )
    if spec.kind is FieldKind.TEXT:
        return raw
    integers = bool(spec.choices) and all(isinstance(c.value, int) for c in spec.choices)
    parts = [p.strip() for p in raw.split(",")] if spec.kind is FieldKind.MULTI else [raw.strip()]
    converted: list[Any] = []
    for part in parts:
        if integers:
            try:
                converted.append(int(part))
            except ValueError:
                allowed = ", ".join(str(c.value) for c in spec.choices)
                raise LabelValidationError(
                    f"{spec.name}={part!r} is not one of {allowed}",
                    hint=f"See the {schema.name} {schema.version} schema for their meaning",
                ) from None
        else:
            converted.append(part)
    return converted if spec.kind is FieldKind.MULTI else converted[0]


def _fields_hint(schema: LabelSchema) -> str:
    return "Fields: " + ", ".join(
        f"{spec.name}{'' if spec.required else '?'}" for spec in schema.fields
    )
