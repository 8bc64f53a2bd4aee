"""vBulletin line shapes the text and HTML readers share: quote headers, edit notes."""

from __future__ import annotations

import re

from labeler.ingest.engines._vbxf.quotes import QuoteStyle

QUOTE_HEAD = re.compile(
    r"(?i)^(?:\[?quote\]?:?\s*)?originally posted by:?\s+(?P<author>.+?)(?:\s*\[?view post\]?)?$"
)
BARE_QUOTE = re.compile(r"(?i)^\[?quote\]?:?$")
EDIT_NOTE = re.compile(r"(?i)^last edited by:?\s+(?P<editor>.+?)(?:\s*;|\s+on\s+|\s+at\s+|$)")
RE_PREFIX = re.compile(r"^Re:\s*")


def _quote_head(text: str) -> tuple[str | None, str | None] | None:
    m = QUOTE_HEAD.match(text)
    if m:
        return m.group("author").strip(), None
    return (None, None) if BARE_QUOTE.match(text) else None


STYLE = QuoteStyle(head=_quote_head)
