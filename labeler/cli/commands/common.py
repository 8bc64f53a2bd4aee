"""Options and helpers shared by commands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from labeler.errors import ExitCode

F = TypeVar("F", bound=Callable[..., Any])

# Paths are checked by the core, not by click: a missing path must exit 4 with our message,
# where click's own `exists=True` would call it a usage error (exit 2).
PATH = click.Path(path_type=Path)


def format_option(*choices: str, default: str = "text") -> Callable[[F], F]:
    """`--format` with the given choices."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(choices),
        default=default,
        show_default=True,
        help="Output format: text for people, the others for machines.",
    )


def finish(code: ExitCode) -> None:
    """End the command with a contract exit code."""
    click.get_current_context().exit(int(code))
