"""XenForo line shapes the text and HTML readers share: "#N", "X said:", edit notes, likes."""

from __future__ import annotations

import re

from labeler.ingest.engines._vbxf.quotes import QuoteStyle

NUMBER = re.compile(r"^#(\d{1,7})$")
SAID = re.compile(r"^(?P<author>.{1,80}?) said:(?:\s*↑)?$")
_EXPAND = re.compile(r"(?i)^click to expand\.\.\.$|^click to expand…$")
_SHRINK = re.compile(r"(?i)^click to shrink(?:\.\.\.|…)$")
EDIT_NOTE = re.compile(r"(?i)^last edited(?: by (?P<editor>.+?))?:\s*\S")
LIKE_THIS = re.compile(r"(?i)^(?P<names>.+?)\s+(?:like|likes)\s+this\.?$")
STYLE = QuoteStyle(
    head=lambda text: (m.group("author").strip(), None) if (m := SAID.match(text)) else None,
    end=_EXPAND,
    skip_after_end=_SHRINK,
)
