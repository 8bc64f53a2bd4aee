"""vBulletin post headers in text: the "#N" line and the date beside, above or below it.

vB3/4 print "06-15-2016, 03:03 PM #1" on one line (w3m may prefix a status icon's alt
text); vB5 prints "#1" with the date on the next line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from labeler.ingest.engines._vbxf.lines import (
    DATE_START,
    TIME_RE,
    clean,
    is_blank,
    is_hr,
    is_time_text,
    strip_bullet,
)

_STATUS = re.compile(r"(?:[A-Za-z]{1,10})?")  # vB3's status icon alt ("Old", "New") or nothing
_ANCHOR_TAIL = re.compile(r"(?:\b(?:Link|Permalink)\s*)?#\s?(\d{1,7})$")


@dataclass(frozen=True, slots=True)
class Anchor:
    """One post header: its "#N" line, the number and the date printed with it."""

    line: int  # index of the "#N" line
    number: int
    time_text: str | None
    time_line: int  # index of the date line (== line when on the same line)


def _anchor_at(lines: list[str], k: int) -> Anchor | None:
    text = strip_bullet(clean(lines[k]))
    m = _ANCHOR_TAIL.search(text)
    if not m or len(text) > 80:
        return None
    number = int(m.group(1))
    before = text[: m.start()].strip()
    if before:
        if ":" not in before and "ago" not in before:  # vB prints the time of day
            return None
        found = next((t for t in TIME_RE.finditer(before) if t.end() == len(before)), None)
        prefix = before[: found.start()].strip() if found is not None else ""
        if found is None or not DATE_START.match(found.group()) or not _STATUS.fullmatch(prefix):
            return None
        return Anchor(k, number, found.group(), k)
    for step in (1, -1):
        j = _next_filled(lines, k, step)
        if j is not None and is_time_text(clean(lines[j])):
            return Anchor(k, number, clean(lines[j]), j)
    return None


def _next_filled(lines: list[str], k: int, step: int, reach: int = 3) -> int | None:
    j = k + step
    while 0 <= j < len(lines) and abs(j - k) <= reach:
        if not is_blank(lines[j]) and not is_hr(lines[j]):
            return j
        j += step
    return None


def find_anchors(lines: list[str]) -> list[Anchor]:
    """Every post header on the page, in page order."""
    found = []
    for k, line in enumerate(lines):
        if "#" in line:
            anchor = _anchor_at(lines, k)
            if anchor is not None:
                found.append(anchor)
    return found
