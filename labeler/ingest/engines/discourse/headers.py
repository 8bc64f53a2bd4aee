"""Discourse post headers in text: "user (Full Name) June 19, 2015, 6:45am #1" and older forms.

A header is a username, maybe the full name in parentheses, a printed date and the post's
position; the earliest crawler view prints "#1 By: Full Name, date" instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_USER = r"(?:\[\d{1,5}\])?(?P<user>[\w.\-]{1,60})"
_NAME = r"(?:\s+\((?P<name>[^()]{1,80})\))?"
# "user (Name) <date> #1" (crawler view; newer versions print the position without "#").
_HEADER = re.compile(rf"^{_USER}{_NAME}\s+(?P<time>\S.{{3,80}}?)\s+(?P<hash>#?)(?P<num>\d{{1,6}})$")
# "user (Name) June 19, 2015, 6:45am" (crawler view without a position: the clock is required).
_HEADER_BARE = re.compile(
    rf"^{_USER}{_NAME}\s+(?P<time>(?:[^\W\d_]{{3,}}\.?\s+\d{{1,2}},?|\d{{1,2}}\.?\s+[^\W\d_]{{3,}}\.?)"
    r"\s+\d{4},?\s+\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?)$",
    re.I,
)
# "#1 By: Full Name, February 6th, 2014 04:55" (the earliest crawler view).
_HEADER_OLD = re.compile(r"^#(?P<num>\d{1,6}) By: (?P<user>[^,]{1,80}), (?P<time>.{4,60})$")
# "June 19, 2015", "Jun 19th 2015", "19 juin 2015", "19. Juni 2015": a month word beside the day.
_DATE_WORDY = re.compile(
    r"[^\W\d_]{3,}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b|\b\d{1,2}\.?\s+[^\W\d_]{3,}\.?,?\s+\d{4}\b"
)
_DATE_ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\d{4}\s*年")


def _is_date(text: str) -> bool:
    """True for a printed absolute date (a month word and a year, or an ISO date)."""
    return bool(_DATE_WORDY.search(text) or _DATE_ISO.search(text))


@dataclass(slots=True)
class Header:
    """One post header found in the text."""

    line: int
    author: str
    time_text: str
    number: int | None


def _header(line: str) -> Header | None:
    text = " ".join(line.split())
    if not 8 <= len(text) <= 220:
        return None
    head = _header_shape(text)
    # A username holds a letter somewhere (vBulletin's " 1. 06-15-2016, 03:03 PM #1" does not).
    if head is None or not head.author.strip("0123456789._-"):
        return None
    return head


def _header_shape(text: str) -> Header | None:
    m = _HEADER.match(text)
    if m and _is_date(m["time"]) and (m["hash"] or m["name"] or ":" in m["time"]):
        return Header(0, m["user"], m["time"], int(m["num"]))
    m = _HEADER_BARE.match(text)
    if m:
        return Header(0, m["user"], m["time"], None)
    m = _HEADER_OLD.match(text)
    if m and _is_date(m["time"]):
        return Header(0, m["user"].strip(), m["time"].strip(), int(m["num"]))
    return None


def find_headers(lines: list[str], end: int | None = None) -> list[Header]:
    """The post headers among the lines (the first `end` of them), in page order."""
    found: list[Header] = []
    for i, line in enumerate(lines[:end]):
        if not 7 < len(line) < 240:
            continue
        tail = line[-1] if not line[-1].isspace() else line.rstrip()[-1:]
        if not (tail.isdigit() or tail in ("m", "M")):
            continue
        head = _header(line)
        if head is not None:
            head.line = i
            found.append(head)
    return found
