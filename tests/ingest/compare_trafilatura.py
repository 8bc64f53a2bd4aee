"""Paragraph precision/recall/F1 of trafilatura alone next to the news engine, on corpus HTML.

    .venv/bin/python -m tests.ingest.compare_trafilatura [NAME ...]

"Trafilatura alone" is its plain-text output with default settings, split into paragraphs
(one row per line, nothing flagged); "ours" is the news engine's rows (flags included). Both
are scored with the corpus scorer's `score_news`. The corpus lives in ../shared and is not part
of a clone: without it the script says so and exits 0.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from labeler.ingest.engines.news import ENGINE
from labeler.ingest.page import read_page
from tests.ingest.scoring import CORPUS, rows_of, scorer

NEWS_PAGES = ("news-cnnmoney-birth-lottery", "news-tribune242-two-gunned-down")


def available() -> bool:
    """True when the shared corpus (with its scorer) is next to the project."""
    return (CORPUS / "expected").is_dir() and (CORPUS / "html").is_dir()


def _expected(name: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(
        (CORPUS / "expected" / f"{name}.json").read_text(encoding="utf-8")
    )
    return found


def trafilatura_rows(html: str) -> list[dict[str, Any]]:
    """Trafilatura's text (default settings) as unflagged paragraph rows."""
    import trafilatura  # noqa: PLC0415 - optional at import time: the script must skip cleanly

    text = trafilatura.extract(html, include_comments=False) or ""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return [{"position": i, "body": line, "flags": []} for i, line in enumerate(lines)]


def scores(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(trafilatura's scores, ours) for one corpus page's HTML."""
    path = CORPUS / "html" / f"{name}.html"
    page = read_page(path)
    module = scorer()
    expected = _expected(name)
    theirs: dict[str, Any] = module.score_news(expected, trafilatura_rows(page.text))
    ours: dict[str, Any] = module.score_news(expected, rows_of(ENGINE.parse(page)))
    return theirs, ours


def compare(name: str) -> tuple[float, float]:
    """(trafilatura's paragraph F1, ours) on one corpus page's HTML."""
    theirs, ours = scores(name)
    return float(theirs["paragraph_f1"]), float(ours["paragraph_f1"])


def main(argv: list[str]) -> int:
    """Print one comparison line per page."""
    if not available():
        sys.stderr.write(f"skipped: the shared corpus is not here ({CORPUS})\n")
        return 0
    out = sys.stdout
    for name in argv or NEWS_PAGES:
        theirs, ours = scores(name)
        for label, result in (("trafilatura", theirs), ("ours", ours)):
            p, r = result["paragraph_precision"], result["paragraph_recall"]
            f = result["paragraph_f1"]
            out.write(f"{name:36s} {label:12s} P={p:.3f} R={r:.3f} F1={f:.3f}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
