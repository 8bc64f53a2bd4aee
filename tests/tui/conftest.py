"""Fixtures of the TUI tests: a dataset of the demo pages, the app built by its factory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Static

from labeler.storage.dataset import Dataset
from labeler.tui.app import LabelerApp, make_app
from tests.conftest import REPO_ROOT, CliRun

SIZE = (80, 24)
MakeApp = Callable[..., LabelerApp]


@pytest.fixture(autouse=True)
def no_user_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read the developer's own key file."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.fixture
def demo(run_cli: CliRun, tmp_path: Path) -> Dataset:
    """The demo pages ingested into a fresh dataset (news and forum posts, with quotes)."""
    raw = REPO_ROOT / "datasets" / "demo" / "raw"
    result = run_cli("ingest", raw, "--dataset", tmp_path / "demo")
    assert result.exit_code == 0, result.stderr
    return Dataset.open(tmp_path / "demo")


@pytest.fixture
def app_for(demo: Dataset) -> MakeApp:
    """Build the app on the demo dataset, for an annotator (alice unless told)."""

    def build(annotator: str = "alice", **options: object) -> LabelerApp:
        return make_app(demo.root, annotator, **options)  # type: ignore[arg-type]

    return build


def shown(app: LabelerApp, selector: str) -> str:
    """The plain text a Static of the current screen shows."""
    return str(app.screen.query_one(selector, Static).visual)
