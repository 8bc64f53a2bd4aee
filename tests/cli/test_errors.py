"""The error contract: one `Error:` line, the documented exit code, never a traceback."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import click
import pytest

from labeler.cli.main import cli
from labeler.errors import ExitCode
from tests.conftest import CliRun, run_labeler_process


def test_validate_nonexistent_exits_4_with_one_error_line() -> None:
    proc = run_labeler_process(["validate", "/nonexistent"])
    assert proc.returncode == ExitCode.UNREADABLE
    assert int(ExitCode.UNREADABLE) == 4
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0] == "Error: /nonexistent: no such file or directory; check the path"
    assert "Traceback" not in proc.stderr


def test_usage_error_exits_2(run_cli: CliRun) -> None:
    result = run_cli("export")
    assert result.exit_code == ExitCode.USAGE
    assert "Missing argument 'DIR'" in result.stderr


def test_unknown_command_exits_2(run_cli: CliRun) -> None:
    assert run_cli("frobnicate").exit_code == 2


LATER = [
    (["annotate", "ds", "--annotator", "ann", "--review"], 6),
    (["export", "ds", "--out", "out"], 7),
    (["stats", "ds"], 7),
]


@pytest.mark.parametrize(("args", "issue"), LATER)
def test_commands_not_built_yet_say_so_and_exit_2(
    run_cli: CliRun, tmp_path: Path, args: list[str], issue: int
) -> None:
    result = run_cli(*args)
    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""
    named = "annotate --review" if "--review" in args else args[0]
    assert re.fullmatch(
        rf"Error: `labeler {named}` is not "
        rf"available in this version: .* is planned \(issue #{issue}\) but not built yet\. "
        r"Nothing was read or written\n",
        result.stderr,
    ), result.stderr
    assert list(tmp_path.iterdir()) == []


def test_annotate_on_a_missing_dataset_fails_before_the_screen_starts(
    run_cli: CliRun, tmp_path: Path
) -> None:
    result = run_cli("annotate", tmp_path / "nothing", "--annotator", "ann")
    assert result.exit_code == ExitCode.UNREADABLE
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.stderr


def test_internal_error_is_reported_with_a_log_and_no_traceback(
    run_cli: CliRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    @cli.command("explode", hidden=True)
    def explode() -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", None)
    try:
        result = run_cli("explode")
    finally:
        cli.commands.pop("explode")
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Error: internal error (RuntimeError: kaboom). This is a bug")
    logs = list(tmp_path.glob("labeler-crash-*.log"))
    assert len(logs) == 1
    assert "RuntimeError: kaboom" in logs[0].read_text()


def test_debug_env_reraises(run_cli: CliRun, monkeypatch: pytest.MonkeyPatch) -> None:
    @cli.command("explode", hidden=True)
    def explode() -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setenv("LABELER_DEBUG", "1")
    try:
        with pytest.raises(RuntimeError, match="kaboom"):
            run_cli("explode")
    finally:
        cli.commands.pop("explode")


def test_error_prefix_is_plain_when_no_color_is_set() -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    proc = run_labeler_process(["validate", "/nonexistent"], env=env)
    assert "\x1b[" not in proc.stderr
    assert proc.stderr.startswith("Error:")


def test_error_message_with_terminal_escapes_is_shown_literally(
    run_cli: CliRun, tmp_path: Path
) -> None:
    hostile = tmp_path / "bad\x1b[31mname"
    result = run_cli("validate", hostile)
    assert result.exit_code == 4
    assert "\x1b" not in result.stderr
    assert "bad\\x1b[31mname" in result.stderr


def test_click_is_the_only_front_end_dependency() -> None:
    # The group subclass is what renders errors; make sure it is the one installed.
    assert type(cli).__name__ == "LabelerGroup"
    assert isinstance(cli, click.Group)
