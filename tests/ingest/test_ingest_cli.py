"""`labeler ingest` end to end on the demo pages (our own text): rows, ids, idempotence, errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polars as pl
import pytest

from labeler.errors import ExitCode
from labeler.storage.dataset import Dataset
from labeler.storage.metadata import FileFormat, read_identity
from tests.benchmarks.pages import invision_page
from tests.conftest import REPO_ROOT, CliRun, run_labeler_process

DEMO_RAW = REPO_ROOT / "datasets" / "demo" / "raw"
P1 = DEMO_RAW / "invision-bridge-street-p1.txt"
P2 = DEMO_RAW / "invision-bridge-street-p2.txt"
PHPBB = DEMO_RAW / "phpbb-tram-harbour.txt"
NEWS = DEMO_RAW / "news-bridge-street.txt"


def posts_of(ds: Path) -> pl.DataFrame:
    return Dataset.open(ds).posts().sort("thread_id", "position").collect()


def test_demo_pages_become_posts_and_paragraphs(run_cli: CliRun, tmp_path: Path) -> None:
    ds = tmp_path / "ds"
    result = run_cli("ingest", DEMO_RAW, "--dataset", ds)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    frame = posts_of(ds)
    engines = dict(frame.group_by("source").agg(pl.col("engine").first()).iter_rows())
    assert engines == {
        P1.name: "invision",
        P2.name: "invision",
        PHPBB.name: "phpbb",
        NEWS.name: "news",
    }
    # one summary line per file, then a total
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 5
    assert lines[0].startswith(f"{P1.name}: invision")
    assert lines[-1].startswith(f"{frame.height} new row(s) from 4 of 4 file(s)")
    news = frame.filter(pl.col("engine") == "news")
    assert set(news["kind"]) == {"paragraph"}
    offtopic = news.filter(pl.col("flags").list.contains("offtopic"))
    assert offtopic.height >= 1
    assert any("goal" in body.lower() or "match" in body.lower() for body in offtopic["body"])
    forum = frame.filter(pl.col("engine") != "news")
    assert set(forum["kind"]) == {"post"}
    assert forum["post_id"].n_unique() == forum.height


def test_every_posts_file_carries_its_identity(run_cli: CliRun, tmp_path: Path) -> None:
    ds = tmp_path / "ds"
    assert run_cli("ingest", P1, "--dataset", ds).exit_code == 0
    files = list((ds / "posts").glob("*.parquet"))
    assert len(files) == 1
    assert read_identity(files[0], FileFormat.POSTS).format is FileFormat.POSTS
    assert run_cli("validate", ds).exit_code == 0


def test_ingesting_the_same_page_twice_adds_nothing(run_cli: CliRun, tmp_path: Path) -> None:
    ds = tmp_path / "ds"
    assert run_cli("ingest", PHPBB, "--dataset", ds).exit_code == 0
    before = posts_of(ds)
    again = run_cli("ingest", PHPBB, "--dataset", ds)
    assert again.exit_code == 0
    assert "0 new" in again.stderr and "already present" in again.stderr
    assert posts_of(ds).equals(before)
    assert len(list((ds / "posts").glob("*.parquet"))) == 1  # nothing written at all


def test_the_same_page_under_another_name_adds_nothing(run_cli: CliRun, tmp_path: Path) -> None:
    ds = tmp_path / "ds"
    copy = tmp_path / "saved-again.txt"
    shutil.copy(PHPBB, copy)
    assert run_cli("ingest", PHPBB, "--dataset", ds).exit_code == 0
    assert run_cli("ingest", copy, "--dataset", ds).exit_code == 0
    assert posts_of(ds).height == posts_of(ds)["post_id"].n_unique()
    assert set(posts_of(ds)["source"]) == {PHPBB.name}


def test_a_second_page_continues_the_thread(run_cli: CliRun, tmp_path: Path) -> None:
    ds = tmp_path / "ds"
    assert run_cli("ingest", P1, "--dataset", ds).exit_code == 0
    first = posts_of(ds)
    assert run_cli("ingest", P2, "--dataset", ds).exit_code == 0
    both = posts_of(ds)
    assert both["thread_id"].n_unique() == 1
    assert both["position"].to_list() == list(range(1, both.height + 1))
    assert both.head(first.height)["post_id"].to_list() == first["post_id"].to_list()
    # page 2 quotes page 1: its parent is a row stored by the earlier run
    page2 = both.filter(pl.col("source") == P2.name)
    parents = set(page2["parent_post_id"].drop_nulls())
    assert parents & set(first["post_id"])


def test_ids_are_stable_across_datasets_and_runs(run_cli: CliRun, tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    assert run_cli("ingest", P1, P2, "--dataset", a).exit_code == 0
    assert run_cli("ingest", P1, "--dataset", b).exit_code == 0
    assert run_cli("ingest", P2, "--dataset", b).exit_code == 0
    assert posts_of(a)["post_id"].to_list() == posts_of(b)["post_id"].to_list()


def test_json_summary_on_stdout(run_cli: CliRun, tmp_path: Path) -> None:
    ds = tmp_path / "ds"
    result = run_cli("ingest", PHPBB, NEWS, "--dataset", ds, "--format", "json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["added"] == posts_of(ds).height
    assert [f["engine"] for f in report["files"]] == ["phpbb", "news"]
    assert report["files"][1]["kind"] == "news"
    assert report["files"][1]["flagged"].get("offtopic", 0) >= 1
    assert all(f["error"] is None for f in report["files"])
    assert Path(report["written"]).is_file()


def test_target_is_recorded_for_the_pages_threads(run_cli: CliRun, tmp_path: Path) -> None:
    ds = tmp_path / "ds"
    claim = "The tram should reach the harbour."
    assert run_cli("ingest", PHPBB, "--dataset", ds, "--target", claim).exit_code == 0
    dataset = Dataset.open(ds)
    row = posts_of(ds).row(0, named=True)
    assert dataset.config.target_for(row["thread_id"], row["thread_title"]) == claim


def test_an_explicit_engine_overrides_detection(run_cli: CliRun, tmp_path: Path) -> None:
    ds = tmp_path / "ds"
    assert run_cli("ingest", PHPBB, "--dataset", ds, "--engine", "generic").exit_code in (0, 1)
    if (ds / "posts").exists():
        assert set(posts_of(ds)["engine"]) <= {"generic"}


def test_a_page_without_posts_exits_1_and_writes_nothing(run_cli: CliRun, tmp_path: Path) -> None:
    page = tmp_path / "menu.txt"
    page.write_text("Home\nAbout\nContact\n", encoding="utf-8")
    ds = tmp_path / "ds"
    result = run_cli("ingest", page, "--dataset", ds)
    assert result.exit_code == ExitCode.DATA_ERRORS
    assert result.stderr.splitlines()[0].startswith(f"Error: {page}: no ")
    assert "Traceback" not in result.stderr
    assert not list((ds / "posts").glob("*")) if (ds / "posts").exists() else True


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        (b"", ExitCode.DATA_ERRORS, "file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 4, ExitCode.UNREADABLE, "binary"),
    ],
)
def test_bad_files_are_reported_and_good_ones_still_land(
    run_cli: CliRun, tmp_path: Path, content: bytes, code: ExitCode, message: str
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    ds = tmp_path / "ds"
    result = run_cli("ingest", bad, PHPBB, "--dataset", ds)
    assert result.exit_code == code
    assert f"Error: {bad}: {message}" in result.stderr
    assert set(posts_of(ds)["source"]) == {PHPBB.name}
    assert "1 of 2 file(s)" in result.stderr


def test_a_missing_path_exits_4_before_anything_is_read(run_cli: CliRun, tmp_path: Path) -> None:
    ds = tmp_path / "ds"
    result = run_cli("ingest", PHPBB, tmp_path / "nope.txt", "--dataset", ds)
    assert result.exit_code == ExitCode.UNREADABLE
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("Error: ")
    assert not (ds / "posts").exists()


def test_page_text_is_shown_literally_in_summaries(run_cli: CliRun, tmp_path: Path) -> None:
    page = tmp_path / "escape.txt"
    text = PHPBB.read_text(encoding="utf-8").replace(
        "Extending the tram to the harbour", "Extending the tram \x1b[31mto the harbour", 1
    )
    page.write_text(text, encoding="utf-8")
    result = run_cli("ingest", page, "--dataset", tmp_path / "ds")
    assert "\x1b" not in result.stderr


def test_the_real_entry_point_ingests(tmp_path: Path) -> None:
    proc = run_labeler_process(["ingest", P1, "--dataset", tmp_path / "ds", "--format", "json"])
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["added"] > 0


def test_a_50_mb_page_ingests_whole(run_cli: CliRun, tmp_path: Path) -> None:
    # The large-page case: linear-time parsing and linking, one atomic write.
    page = tmp_path / "huge.txt"
    text = invision_page(50_000_000)
    page.write_text(text, encoding="utf-8")
    expected = text.count("\nLink to comment\n")
    del text
    result = run_cli("ingest", page, "--dataset", tmp_path / "ds")
    assert result.exit_code == 0, result.stderr
    frame = Dataset.open(tmp_path / "ds").posts().select("post_id", "position").collect()
    assert frame.height == expected
    assert frame["post_id"].n_unique() == expected
    assert len(list((tmp_path / "ds" / "posts").iterdir())) == 1
