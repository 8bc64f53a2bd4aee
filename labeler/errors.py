"""Typed errors shared by every stage, each with the exit code the CLI contract gives it.

Front ends render an error once: `Error: ...` plus exit code in the CLI, a notification in
the TUI. The message says what went wrong and, in `hint`, what to do next.
"""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path
from typing import ClassVar


class ExitCode(IntEnum):
    """Process exit codes (DESIGN.md contract)."""

    OK = 0
    DATA_ERRORS = 1  # validation failed or data errors were found
    USAGE = 2  # bad command line, or a capability this version does not have
    MIGRATION_REQUIRED = 3  # data is on an older schema major version
    UNREADABLE = 4  # a path that does not exist, or input that is unreadable or corrupt


class LabelerError(Exception):
    """Base of every error a user can cause; never shown with a traceback."""

    exit_code: ClassVar[ExitCode] = ExitCode.DATA_ERRORS
    title: ClassVar[str] = "error"

    def __init__(
        self, message: str, *, hint: str | None = None, path: str | Path | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.path = None if path is None else str(path)

    def render(self) -> str:
        """One line: `path: message. hint` (without the `Error:` prefix)."""
        text = f"{self.path}: {self.message}" if self.path else self.message
        if self.hint:
            text = f"{text.rstrip('.')}. {self.hint}"
        return text

    def __str__(self) -> str:
        return self.render()


class UsageError(LabelerError):
    """The command line asks for something impossible or unknown."""

    exit_code = ExitCode.USAGE
    title = "usage error"


class NotAvailableError(UsageError):
    """A contract command whose capability this version does not have yet."""

    title = "not available"

    def __init__(self, command: str, capability: str, issue: int) -> None:
        super().__init__(
            f"`labeler {command}` is not available in this version: {capability} is "
            f"planned (issue #{issue}) but not built yet",
            hint="Nothing was read or written",
        )


class InputNotFoundError(LabelerError):
    """A path given by the user does not exist."""

    exit_code = ExitCode.UNREADABLE
    title = "not found"


class CorruptInputError(LabelerError):
    """A file exists but cannot be read as what it claims to be."""

    exit_code = ExitCode.UNREADABLE
    title = "unreadable input"


class FormatError(CorruptInputError):
    """A Parquet file lacks our `labeler` identity or holds a different format."""

    title = "wrong file format"


class DatasetError(LabelerError):
    """A dataset directory or its dataset.toml is missing or inconsistent."""

    exit_code = ExitCode.UNREADABLE
    title = "dataset error"


class SchemaError(LabelerError):
    """A label schema document is invalid (JSON, meta-schema, or our conventions)."""

    title = "schema error"


class LabelValidationError(LabelerError):
    """A label record does not satisfy its schema; nothing was written."""

    title = "invalid label"


class MigrationRequiredError(LabelerError):
    """Data is on an older major schema version and must be migrated first."""

    exit_code = ExitCode.MIGRATION_REQUIRED
    title = "migration required"


class StorageError(LabelerError):
    """Writing failed (disk full, read-only directory); what was saved before is intact."""

    title = "storage error"


class NoPostsError(LabelerError):
    """A page was read but nothing in it could be used (no posts or paragraphs)."""


class AnnotatorBusyError(LabelerError):
    """Another session already writes this annotator's labels in this dataset."""

    title = "annotator busy"
