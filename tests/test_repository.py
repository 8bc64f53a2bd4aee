"""Repository contracts: schemas load, the demo dataset is ours and well formed, README and
Makefile keep the two set-up commands true."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from labeler.storage.config import DatasetConfig
from labeler.storage.dataset import Dataset
from labeler.storage.labelset import current_labels
from labeler.validation.schemafile import load_schema_file
from tests.conftest import REPO_ROOT, SHARED, CliRun


@pytest.mark.parametrize(
    "path",
    sorted((REPO_ROOT / "schemas").glob("*/*.schema.json")),
    ids=lambda p: p.parent.name + "/" + p.name,
)
def test_every_shipped_schema_loads(path: object) -> None:
    schema = load_schema_file(path)  # type: ignore[arg-type]
    assert schema.fields


def test_demo_dataset_config_and_pages() -> None:
    demo = REPO_ROOT / "datasets" / "demo"
    config = DatasetConfig.load(demo)
    assert config.schema_id == "urn:labeler:schema:post-labels:2.0.0"
    pages = sorted(p.name for p in (demo / "raw").iterdir())
    assert len(pages) >= 3
    assert any(p.startswith("invision") for p in pages)
    assert any(p.startswith("phpbb") for p in pages)
    assert any(p.startswith("news") for p in pages)
    titles = {config.target_for("unknown", t) for t in config.targets}
    assert None not in titles


def test_demo_pages_are_not_corpus_copies() -> None:
    corpus = SHARED / "corpus" / "raw"
    if not corpus.is_dir():
        pytest.skip("../shared/corpus is absent (a user's clone): nothing to compare with")
    theirs = {p.read_bytes() for p in corpus.glob("*.txt")}
    ours = list((REPO_ROOT / "datasets" / "demo" / "raw").iterdir())
    assert not [p.name for p in ours if p.read_bytes() in theirs]


def test_readme_starts_with_the_two_commands() -> None:
    text = (REPO_ROOT / "README.md").read_text()
    first_block = re.search(r"```(?:sh|console|bash)?\n(.*?)```", text, re.S)
    assert first_block is not None
    commands = [line.split("#")[0].strip() for line in first_block.group(1).splitlines()]
    assert commands[:2] == ["make demo", "make test"]


def test_makefile_targets_exist() -> None:
    proc = subprocess.run(
        ["make", "-n", "-C", str(REPO_ROOT), "help"], capture_output=True, text=True, check=True
    )
    assert proc.returncode == 0
    makefile = (REPO_ROOT / "Makefile").read_text()
    for target in ("demo:", "test:", "check:", "bench:"):
        assert re.search(rf"^{target}", makefile, re.M), target


def test_ci_script_runs_make_test() -> None:
    ci = (REPO_ROOT / ".ci" / "run").read_text()
    assert "make test" in ci


def test_readme_session_example_labels_the_demo_pages(run_cli: CliRun, tmp_path: Path) -> None:
    """The "Labelling from Python" example runs as printed, on the demo pages."""
    text = (REPO_ROOT / "README.md").read_text()
    section = text.split("## Labelling from Python", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    raw = REPO_ROOT / "datasets" / "demo" / "raw"
    assert run_cli("ingest", raw, "--dataset", tmp_path / "mydata").exit_code == 0
    dataset = Dataset.open(tmp_path / "mydata")
    script = code.group(1).replace('"mydata"', repr(str(dataset.root)))
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, cwd=REPO_ROOT
    )
    assert proc.returncode == 0, proc.stderr
    posts = dataset.posts().select(pl.len()).collect().item()
    assert proc.stdout.count("Progress(") == posts
    labelled = current_labels(dataset).collect()
    assert labelled.height == posts
    assert set(labelled["annotator"]) == {"alice"}
