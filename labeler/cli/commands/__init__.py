"""One module per contract command; COMMANDS is what the `labeler` group registers."""

from __future__ import annotations

import click

from labeler.cli.commands.annotate import annotate
from labeler.cli.commands.compact import compact
from labeler.cli.commands.export import export
from labeler.cli.commands.ingest import ingest
from labeler.cli.commands.label import label
from labeler.cli.commands.migrate import migrate
from labeler.cli.commands.posts import posts
from labeler.cli.commands.schema import schema
from labeler.cli.commands.stats import stats
from labeler.cli.commands.validate import validate

COMMANDS: tuple[click.Command, ...] = (
    ingest,
    annotate,
    validate,
    schema,
    migrate,
    export,
    stats,
    compact,
    posts,
    label,
)
