"""`labeler label`: one decision from a script, through the store and its validation."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from labeler.errors import ExitCode
from labeler.storage.dataset import Dataset
from labeler.storage.labels import read_labels
from labeler.storage.locks import AnnotatorLock
from labeler.storage.posts import posts_table, write_posts
from tests.conftest import CliRun, make_posts

FULL = ("stance_target=favor", "topics=politics,world", "quality=4")


@pytest.fixture
def ds(tmp_path: Path, dataset: Dataset) -> tuple[Dataset, list[str]]:
    posts = make_posts(3)
    write_posts(dataset.posts_dir / "a.parquet", posts_table(posts))
    return dataset, [p.post_id for p in posts]


def fragments(dataset: Dataset, annotator: str = "ann") -> pl.DataFrame:
    files = sorted((dataset.labels_dir / f"annotator={annotator}").glob("*.parquet"))
    return pl.concat([read_labels(f)[1] for f in files]) if files else pl.DataFrame()


def test_a_decision_is_saved_flushed_and_valid(
    run_cli: CliRun, ds: tuple[Dataset, list[str]]
) -> None:
    dataset, ids = ds
    result = run_cli("label", dataset.root, "--annotator", "ann", ids[0], *FULL, "unsure=yes")
    assert result.exit_code == ExitCode.OK, result.stderr
    label_id = result.stdout.strip()
    rows = fragments(dataset).to_dicts()
    assert [r["label_id"] for r in rows] == [label_id]
    values = rows[0]["values"]
    assert values["topics"] == ["politics", "world"] and values["quality"] == 4
    assert values["unsure"] is True and values["sarcastic"] is False, "defaults filled in"
    assert rows[0]["status"] == "labelled" and rows[0]["annotator"] == "ann"
    assert run_cli("validate", dataset.root).exit_code == ExitCode.OK


def test_skipped_needs_no_values(run_cli: CliRun, ds: tuple[Dataset, list[str]]) -> None:
    dataset, ids = ds
    result = run_cli("label", dataset.root, "--annotator", "ann", ids[1], "--status", "skipped")
    assert result.exit_code == ExitCode.OK, result.stderr
    assert fragments(dataset)["status"].to_list() == ["skipped"]


@pytest.mark.parametrize(
    ("words", "code", "message"),
    [
        (
            ("stance_target=maybe", "topics=law", "quality=3"),
            ExitCode.DATA_ERRORS,
            "$.stance_target: 'maybe' is not valid under any of the given schemas",
        ),
        (
            ("stance_target=favor", "topics=law", "quality=high"),
            ExitCode.DATA_ERRORS,
            "quality='high' is not one of 1, 2, 3, 4, 5",
        ),
        (
            ("stance_target=favor", "topics=law"),
            ExitCode.DATA_ERRORS,
            "'quality' is a required property",
        ),
        (("colour=red",), ExitCode.USAGE, "has no field 'colour'. Fields: stance_target,"),
        (("quality",), ExitCode.USAGE, "'quality' is not FIELD=VALUE"),
        (("quality=3", "quality=4"), ExitCode.USAGE, "quality is given twice"),
        (("unsure=perhaps",), ExitCode.DATA_ERRORS, "unsure='perhaps' is not a yes/no value"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_written(
    run_cli: CliRun, ds: tuple[Dataset, list[str]], words: tuple[str, ...], code: int, message: str
) -> None:
    dataset, ids = ds
    result = run_cli("label", dataset.root, "--annotator", "ann", ids[0], *words)
    assert result.exit_code == code
    assert message in result.stderr
    assert result.stdout == ""
    assert fragments(dataset).height == 0


def test_unknown_post_and_bad_annotator_name(
    run_cli: CliRun, ds: tuple[Dataset, list[str]]
) -> None:
    dataset, _ = ds
    unknown = run_cli("label", dataset.root, "--annotator", "ann", "p-none", *FULL)
    assert unknown.exit_code == ExitCode.DATA_ERRORS
    assert "there is no post 'p-none' in this dataset" in unknown.stderr
    bad = run_cli("label", dataset.root, "--annotator", "../x", "p-none", *FULL)
    assert bad.exit_code == ExitCode.USAGE


def test_a_busy_annotator_is_refused(run_cli: CliRun, ds: tuple[Dataset, list[str]]) -> None:
    dataset, ids = ds
    with AnnotatorLock.acquire(dataset.state_dir, "ann"):
        busy = run_cli("label", dataset.root, "--annotator", "ann", ids[0], *FULL)
        other = run_cli("label", dataset.root, "--annotator", "bob", ids[0], *FULL)
    assert busy.exit_code == ExitCode.DATA_ERRORS
    assert "annotator 'ann' is already labelling this dataset" in busy.stderr
    assert other.exit_code == ExitCode.OK, other.stderr
    assert fragments(dataset, "bob").height == 1


def test_a_damaged_journal_is_set_aside_with_a_warning(
    run_cli: CliRun, ds: tuple[Dataset, list[str]]
) -> None:
    dataset, ids = ds
    assert run_cli("label", dataset.root, "--annotator", "ann", ids[0], *FULL).exit_code == 0
    (dataset.state_dir / "journal-ann.sqlite").write_bytes(b"garbage " * 600)
    result = run_cli("label", dataset.root, "--annotator", "ann", ids[1], *FULL)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert result.stderr.startswith("Warning: ")
    assert "the journal is damaged" in result.stderr and "damaged-journal-ann-" in result.stderr
    assert sorted(fragments(dataset)["post_id"]) == sorted(ids[:2])
