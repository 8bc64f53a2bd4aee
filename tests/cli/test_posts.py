"""`labeler posts`: list posts as text or JSON lines."""

from __future__ import annotations

import json
from dataclasses import replace

from labeler.storage.dataset import Dataset
from labeler.storage.posts import posts_table, write_posts
from tests.conftest import CliRun, make_posts


def test_text_listing(run_cli: CliRun, dataset: Dataset) -> None:
    posts = make_posts(3)
    write_posts(dataset.posts_dir / "a.parquet", posts_table(posts))
    result = run_cli("posts", dataset.root)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(f"{posts[0].post_id}  {posts[0].thread_id}  alice")
    assert "Post number 0 says something about the bridge." in lines[0]
    assert lines[1].split()[2] == "-"  # no author printed


def test_jsonl_has_every_column_and_respects_limit(run_cli: CliRun, dataset: Dataset) -> None:
    write_posts(dataset.posts_dir / "a.parquet", posts_table(make_posts(3)))
    result = run_cli("posts", dataset.root, "--format", "jsonl", "--limit", "2")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 2
    assert rows[1]["quotes"][0]["author"] == "alice"
    assert rows[1]["parent_post_id"] == rows[0]["post_id"]


def test_page_text_is_never_interpreted_by_the_terminal(run_cli: CliRun, dataset: Dataset) -> None:
    hostile = replace(
        make_posts(1)[0], body="\x1b]0;pwned\x07\x1b[2J[bold]not bold[/bold]\u202eevil"
    )
    write_posts(dataset.posts_dir / "a.parquet", posts_table([hostile]))
    result = run_cli("posts", dataset.root)
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\u202e" not in result.stdout
    assert "\\x1b]0;pwned\\x07\\x1b[2J[bold]not bold[/bold]\\u202eevil" in result.stdout


def test_empty_dataset_lists_nothing(run_cli: CliRun, dataset: Dataset) -> None:
    result = run_cli("posts", dataset.root)
    assert (result.exit_code, result.stdout) == (0, "")


def test_missing_dataset_exits_4(run_cli: CliRun, tmp_path: object) -> None:
    result = run_cli("posts", "/nonexistent/ds")
    assert result.exit_code == 4
    assert result.stderr.startswith("Error: /nonexistent/ds: no such dataset directory")
