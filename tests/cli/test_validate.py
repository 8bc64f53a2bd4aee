"""`labeler validate` output formats and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from labeler.storage.dataset import Dataset
from labeler.storage.posts import posts_table, write_posts
from tests.conftest import CliRun, make_posts


def test_clean_dataset(run_cli: CliRun, dataset: Dataset) -> None:
    write_posts(dataset.posts_dir / "a.parquet", posts_table(make_posts(2)))
    result = run_cli("validate", dataset.root)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "ok: 0 error(s), 0 warning(s) in 1 checked path(s)\n"


def test_foreign_parquet_text_and_json(run_cli: CliRun, tmp_path: Path) -> None:
    foreign = tmp_path / "x.parquet"
    pq.write_table(pa.table({"a": [1]}), foreign)
    text = run_cli("validate", foreign, tmp_path / "missing")
    assert text.exit_code == 4
    assert text.stdout.splitlines() == [
        f"{foreign}: error: has no `labeler` metadata, so it was not written by labeler. "
        "Import data through `labeler ingest` or `labeler label` instead",
        f"{tmp_path / 'missing'}: error: no such file or directory; check the path",
    ]
    assert text.stderr == "failed: 2 error(s), 0 warning(s) in 2 checked path(s)\n"
    machine = run_cli("validate", foreign, "--format", "json")
    payload = json.loads(machine.stdout)
    assert payload["exit_code"] == 4
    assert payload["findings"][0]["code"] == "wrong-file-format"


def test_github_format(run_cli: CliRun, tmp_path: Path) -> None:
    result = run_cli("validate", tmp_path / "missing", "--format", "github")
    assert result.exit_code == 4
    assert result.stdout.startswith("::error file=")
