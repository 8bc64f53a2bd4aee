"""XenForo post headers in text: the "#N" line and the date line above it.

XenForo 2 prints the date, then "• #N"; XenForo 1 prints "Name, date" over
"#N Like Reply" under the post's body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from labeler.ingest.engines._vbxf.lines import (
    TIME_RE,
    clean,
    cleaned,
    is_hr,
    is_time_text,
    strip_bullet,
)
from labeler.ingest.engines.xenforo.shapes import NUMBER

_XF1_NUMBER = re.compile(r"^#(\d{1,7})(?:\s+\S.*)?$")
_XF1_META = re.compile(
    r"^(?P<author>.{1,80}?), (?P<time>.+?)"
    r"(?:\s+(?:Report|Edit|Delete|IP|Warn|Spam|Report Post)\b.*)?$"
)
_HEADER_ICONS = frozenset(
    ["new", "add bookmark", "remove bookmark", "bookmark", "share", "report", "•", "*"]
)


@dataclass(frozen=True, slots=True)
class Anchor:
    """One post header: its "#N" line, the number and the date line above it."""

    line: int  # the "#N" line
    number: int
    time_line: int
    time_text: str
    author: str | None = None  # XenForo 1 prints it on the "Name, date" line


def find_anchors(lines: list[str]) -> tuple[list[Anchor], bool]:
    """The posts' "#N" lines, and whether the page is XenForo 1 (number below the body)."""
    xf2: list[Anchor] = []
    xf1: list[Anchor] = []
    for k, raw in enumerate(lines):
        if "#" not in raw:
            continue
        text = strip_bullet(clean(raw))
        m = NUMBER.match(text)
        prev = _filled_before(lines, k)
        if m and prev is not None and is_time_text(cleaned(lines[prev])):
            xf2.append(Anchor(k, int(m.group(1)), prev, cleaned(lines[prev])))
            continue
        m = _XF1_NUMBER.match(text)
        meta = _XF1_META.match(cleaned(lines[prev])) if m and prev is not None else None
        if m and meta and TIME_RE.match(meta.group("time")) and prev is not None:
            time_text = TIME_RE.match(meta.group("time"))
            assert time_text is not None
            xf1.append(Anchor(k, int(m.group(1)), prev, time_text.group(), meta.group("author")))
    return (xf1, True) if len(xf1) > len(xf2) else (xf2, False)


def _filled_before(lines: list[str], k: int, reach: int = 6) -> int | None:
    """The nearest line above k with text other than a bare bullet, "New" or "Add bookmark"."""
    j = k - 1
    while j >= 0 and k - j <= reach:
        text = cleaned(lines[j])
        if text and text.lower() not in _HEADER_ICONS and not is_hr(lines[j]):
            return j
        j -= 1
    return None
