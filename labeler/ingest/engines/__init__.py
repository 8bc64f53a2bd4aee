"""One parser module per forum engine, plus news articles and a generic fallback.

Each module defines `ENGINE`, an instance of `labeler.ingest.engines.base.Engine`.
Detection asks every engine and takes the most confident; `generic` is the fallback.
"""

from __future__ import annotations

import importlib
from functools import cache

from labeler.ingest.engines.base import Engine

# Order breaks detection ties: specific engines before news, generic last.
ENGINE_NAMES: tuple[str, ...] = (
    "invision",
    "phpbb",
    "vbulletin",
    "xenforo",
    "discourse",
    "reddit",
    "news",
    "generic",
)


@cache
def engine(name: str) -> Engine:
    """The engine called `name` (one of ENGINE_NAMES)."""
    if name not in ENGINE_NAMES:
        raise KeyError(name)
    module = importlib.import_module(f"labeler.ingest.engines.{name}")
    found = module.ENGINE
    assert isinstance(found, Engine) and found.name == name
    return found


def all_engines() -> list[Engine]:
    """Every engine, in ENGINE_NAMES order."""
    return [engine(name) for name in ENGINE_NAMES]
