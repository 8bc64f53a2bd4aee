"""Validation results: every finding collected, then rendered as text, JSON or GitHub lines.

A finding's location reads `file::row::$.field` (row numbers count from 0, as in polars);
file-level findings omit the row and field.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from enum import StrEnum

from labeler.errors import ExitCode, LabelerError


class Severity(StrEnum):
    """Errors fail validation; warnings are reported and do not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at one place."""

    path: str
    message: str
    code: str
    row: int | None = None
    field: str | None = None
    severity: Severity = Severity.ERROR
    unreadable: bool = False  # the input could not be read at all (exit code 4)
    migration_required: bool = False  # data on another schema version, not migrated (exit 3)

    @property
    def location(self) -> str:
        """`file`, `file::row` or `file::row::$.field`."""
        text = self.path
        if self.row is not None:
            text += f"::{self.row}"
            if self.field is not None:
                text += f"::$.{self.field}"
        elif self.field is not None:
            text += f"::$.{self.field}"
        return text


@dataclass
class Report:
    """Findings of one validation run, plus what was looked at."""

    findings: list[Finding] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    def add(self, finding: Finding) -> None:
        """Record a finding."""
        self.findings.append(finding)

    def add_error(self, exc: LabelerError, path: str, code: str) -> None:
        """Record a typed error raised while checking `path`."""
        unreadable = exc.exit_code is ExitCode.UNREADABLE
        message = exc.message if exc.hint is None else f"{exc.message.rstrip('.')}. {exc.hint}"
        self.add(Finding(exc.path or path, message, code, unreadable=unreadable))

    @property
    def errors(self) -> list[Finding]:
        """Findings that fail validation."""
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def exit_code(self) -> ExitCode:
        """4 if any input was unreadable, else 1 for any other data error, else 3 when the
        only errors are labels waiting for `labeler migrate`, else 0."""
        errors = self.errors
        if any(f.unreadable for f in errors):
            return ExitCode.UNREADABLE
        if any(not f.migration_required for f in errors):
            return ExitCode.DATA_ERRORS
        return ExitCode.MIGRATION_REQUIRED if errors else ExitCode.OK


def render_text(report: Report, limit: int | None = 50) -> list[str]:
    """Human lines: one per finding (up to `limit`), then a count of the rest and a summary."""
    shown = report.findings if limit is None else report.findings[:limit]
    lines = [f"{f.location}: {f.severity}: {f.message}" for f in shown]
    rest = len(report.findings) - len(shown)
    if rest > 0:
        lines.append(f"... and {rest} more (use --format json to see all)")
    errors = len(report.errors)
    warnings = len(report.findings) - errors
    files = len(report.checked)
    verdict = "ok" if errors == 0 else "failed"
    lines.append(f"{verdict}: {errors} error(s), {warnings} warning(s) in {files} checked path(s)")
    return lines


def render_json(report: Report) -> str:
    """Everything, for machines."""
    payload = {
        "ok": not report.errors,
        "exit_code": int(report.exit_code),
        "checked": report.checked,
        "errors": len(report.errors),
        "findings": [{**asdict(f), "location": f.location} for f in report.findings],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False)


def render_github(report: Report) -> list[str]:
    """GitHub Actions workflow commands: annotations on the files."""
    lines = []
    for f in report.findings:
        level = "error" if f.severity is Severity.ERROR else "warning"
        message = _escape_data(f"{f.location}: {f.message}")
        lines.append(f"::{level} file={_escape_property(f.path)},title={f.code}::{message}")
    return lines


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
