"""Score a parser directly against the corpus answer keys, without the CLI (development aid).

    .venv/bin/python -m tests.ingest.scoring seed-forum [--input html] [--engine NAME] [-v]

Uses the scoring functions of ../shared/tools/score_ingest.py on the parsed page, so a
parser can be measured before (or apart from) the pipeline. The real measurement is the
scorer run on `labeler ingest` (tests/ingest/test_corpus.py).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from labeler.ingest.engines import all_engines, engine
from labeler.ingest.model import ParsedPage
from labeler.ingest.page import read_page

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
CORPUS = SHARED / "corpus"


def scorer() -> ModuleType:
    """The corpus scorer module (../shared/tools/score_ingest.py)."""
    spec = importlib.util.spec_from_file_location(
        "score_ingest", SHARED / "tools" / "score_ingest.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rows_of(page: ParsedPage) -> list[dict[str, Any]]:
    """Parsed posts as the dict rows the scorer reads."""
    return [
        {
            "position": i,
            "body": p.body,
            "author": p.author,
            "time_text": p.time_text,
            "edited_by": p.edited_by,
            "quotes": [{"author": q.author, "text": q.text} for q in p.quotes],
            "reactions": [{"name": n, "count": c} for n, c in p.reactions],
            "flags": sorted(p.flags),
        }
        for i, p in enumerate(page.posts)
    ]


def page_path(name: str, kind: str) -> Path:
    return CORPUS / ("raw" if kind == "txt" else "html") / f"{name}.{kind}"


def parse_corpus_page(name: str, kind: str = "txt", engine_name: str | None = None) -> ParsedPage:
    page = read_page(page_path(name, kind))
    if engine_name is None:
        best = max(all_engines(), key=lambda e: e.detect(page))
        return best.parse(page)
    return engine(engine_name).parse(page)


def score(name: str, kind: str = "txt", engine_name: str | None = None) -> dict[str, Any]:
    expected = json.loads((CORPUS / "expected" / f"{name}.json").read_text(encoding="utf-8"))
    rows = rows_of(parse_corpus_page(name, kind, engine_name))
    module = scorer()
    if isinstance(expected, list):
        result: dict[str, Any] = module.score_forum(expected, rows)
    else:
        result = module.score_news(expected, rows)
    return result


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("names", nargs="+")
    ap.add_argument("--input", choices=["txt", "html"], default="txt")
    ap.add_argument("--engine")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    for name in args.names:
        result = score(name, args.input, args.engine)
        print(
            name,
            json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in result.items()}),
        )
        if args.verbose:
            for i, row in enumerate(rows_of(parse_corpus_page(name, args.input, args.engine))):
                print(f"--- {i}", json.dumps(row, ensure_ascii=False)[:600])
    return 0


if __name__ == "__main__":
    sys.exit(main())
