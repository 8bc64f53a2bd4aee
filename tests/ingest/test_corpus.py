"""The ingestion corpus (../shared/corpus): the issue's quality targets, measured by its scorer.

These pages are third-party: they are read from ../shared at test time and never copied into
the repository. A fresh clone has no ../shared, so every test here skips with that reason.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from functools import cache
from typing import Any

import pytest

from labeler.ingest.page import read_page
from labeler.ingest.pipeline import detect
from tests.conftest import SHARED
from tests.ingest.compare_trafilatura import compare

CORPUS = SHARED / "corpus"
SCORER = SHARED / "tools" / "score_ingest.py"

pytestmark = pytest.mark.skipif(
    not (CORPUS / "expected").is_dir() or not SCORER.is_file(),
    reason=f"the shared ingestion corpus is not here ({CORPUS}); it is not part of a clone",
)

ENGINE_OF = {
    "seed-forum": "invision",
    "seed-news": "news",
    "phpbb-ilp-biological-will": "phpbb",
    "vbulletin4-militarytimes-dorr": "vbulletin",
    "xenforo2-xenforo-dark-theme": "xenforo",
    "discourse-meta-octoverse": "discourse",
    "reddit-python-init": "reddit",
    "news-cnnmoney-birth-lottery": "news",
    "news-tribune242-two-gunned-down": "news",
}


@cache
def scores(kind: str) -> dict[str, Any]:
    """The scorer's JSON report for every page of one input kind (txt or html)."""
    command = shlex.join([sys.executable, "-m", "labeler"])
    proc = subprocess.run(
        [sys.executable, str(SCORER), str(CORPUS), "--input", kind, "--json", "--labeler", command],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr
    report: dict[str, Any] = json.loads(proc.stdout[: proc.stdout.rindex("}") + 1])
    return report


def test_text_pages_meet_the_targets() -> None:
    report = scores("txt")
    pages = {name: round(r["score"], 3) for name, r in report["pages"].items()}
    assert set(pages) == set(ENGINE_OF), pages
    assert report["score"] >= 0.95, pages
    assert pages["seed-forum"] >= 0.95, pages
    assert min(pages.values()) >= 0.85, pages


def test_html_pages_meet_the_targets() -> None:
    report = scores("html")
    pages = {name: round(r["score"], 3) for name, r in report["pages"].items()}
    assert len(pages) == 7, pages
    assert report["score"] >= 0.95, pages
    assert min(pages.values()) >= 0.85, pages


def test_offtopic_flags_are_found_on_the_seed_news_page() -> None:
    seed = scores("txt")["pages"]["seed-news"]
    assert seed["offtopic_f1"] >= 0.8, seed


def test_news_html_paragraphs_at_least_match_trafilatura_alone() -> None:
    for name in ("news-cnnmoney-birth-lottery", "news-tribune242-two-gunned-down"):
        trafilatura_f1, ours_f1 = compare(name)
        assert ours_f1 >= trafilatura_f1 - 1e-9, (name, trafilatura_f1, ours_f1)


@pytest.mark.parametrize("name", sorted(ENGINE_OF))
@pytest.mark.parametrize("kind", ["txt", "html"])
def test_engine_detection(name: str, kind: str) -> None:
    path = CORPUS / ("raw" if kind == "txt" else "html") / f"{name}.{kind}"
    if not path.exists():
        pytest.skip(f"the corpus has no {kind} version of {name}")
    chosen, confidence = detect(read_page(path))
    assert chosen.name == ENGINE_OF[name], confidence
