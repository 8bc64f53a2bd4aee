"""Printing for the CLI: data on stdout, diagnostics on stderr, colour only when wanted.

Text that comes from scraped pages is untrusted: `safe_text` makes control characters
(including ESC, which starts terminal escape sequences) visible instead of letting the
terminal act on them.
"""

from __future__ import annotations

import os
import re
import sys
from typing import TextIO

import click

from labeler.errors import LabelerError

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_SPACE = re.compile(r"\s+")


def use_color(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def safe_text(text: str) -> str:
    """`text` with every control or bidi-override character shown as an escape like \\x1b."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def one_line(text: str, width: int) -> str:
    """`text` on one line, control characters made visible, cut to `width` with an ellipsis."""
    flat = safe_text(_SPACE.sub(" ", text).strip())
    return flat if len(flat) <= width else flat[: max(width - 1, 0)] + "…"


def error_line(message: str) -> str:
    """`Error: message`, the prefix in red on a colour terminal."""
    prefix = "Error:"
    if use_color(sys.stderr):
        prefix = click.style(prefix, fg="red", bold=True)
    return f"{prefix} {safe_text(message)}"


def echo_error(error: LabelerError | str) -> None:
    """Print one `Error: ...` line on stderr."""
    message = error.render() if isinstance(error, LabelerError) else error
    click.echo(error_line(message), err=True)


def echo_note(message: str) -> None:
    """A diagnostic line on stderr (progress, summaries)."""
    click.echo(message, err=True)
