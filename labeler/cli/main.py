"""The `labeler` command group and the entry point.

Typed errors (`LabelerError`) become one `Error: ...` line on stderr and their exit code;
anything else is a bug: a short message, the traceback in a log file, exit code 1.
`LABELER_DEBUG=1` re-raises instead, for developers.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from labeler import __version__
from labeler.cli.commands import COMMANDS
from labeler.cli.output import echo_error
from labeler.errors import ExitCode, LabelerError


class LabelerGroup(click.Group):
    """A group that renders our typed errors once, the same way for every command."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Commands in workflow order (ingest first), not alphabetical."""
        return list(self.commands)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except LabelerError as exc:
            echo_error(exc)
            ctx.exit(int(exc.exit_code))
        except BrokenPipeError:
            # the reader went away (`labeler posts | head`): stop quietly
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(int(ExitCode.OK))
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:
            if os.environ.get("LABELER_DEBUG"):
                raise
            log = _write_crash_log()
            echo_error(
                f"internal error ({exc.__class__.__name__}: {exc}). This is a bug in labeler, "
                f"not in your data; the traceback is in {log}, please include it in a report"
            )
            ctx.exit(int(ExitCode.DATA_ERRORS))


class WarningLines(logging.Handler):
    """The core's warnings (a file left out, a journal moved aside) as `Warning: ...` lines
    on stderr, written wherever stderr is at that moment."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(f"Warning: {record.getMessage()}", err=True)


def _show_warnings() -> None:
    core = logging.getLogger("labeler")
    if not any(isinstance(h, WarningLines) for h in core.handlers):
        core.addHandler(WarningLines(logging.WARNING))


def _write_crash_log() -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    handle, name = tempfile.mkstemp(prefix=f"labeler-crash-{stamp}-", suffix=".log")
    with os.fdopen(handle, "w", encoding="utf-8") as log:
        log.write(f"labeler {__version__}\nargv: {sys.argv!r}\n\n")
        log.write(traceback.format_exc())
    return Path(name)


@click.group(
    "labeler",
    cls=LabelerGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "-V", "--version", prog_name="labeler")
def cli() -> None:
    """Turn scraped discussion pages into labelled, versioned, split datasets.

    \b
    Workflow:
      labeler ingest PAGES... --dataset DIR     pages -> posts
      labeler annotate DIR --annotator NAME     label posts in the terminal
      labeler validate DIR                      check data and labels (CI)
      labeler export DIR --out OUT              train/validation/test + dataset card

    \b
    Exit codes: 0 ok, 1 validation failed or data errors, 2 usage,
    3 migration required, 4 unreadable or corrupt input.
    """
    _show_warnings()


for _command in COMMANDS:
    cli.add_command(_command)


def main() -> None:
    """Console-script entry point."""
    cli.main(prog_name="labeler")
