"""An article's title, byline and date, read from the lines around the top of its body.

They are page furniture, not paragraphs: the lines they came from never become rows. An
extractor often keeps them at the top of the body (`_peel` takes them off); a text page prints
them above it (`_scan_back` looks there, preferring a headline the page's metadata announces).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from labeler.ingest.engines.news.lines import EMAIL, VIDEO_CUE, WIDGET, Line, headline_like, words

_BYLINE = re.compile(r"^(?:(?i:written|posted|words|story)\s+)?(?i:by)[:\s]\s*[A-Z\u00c0-\u024f@]")
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = re.compile(
    rf"(?:\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|(?<!\d)\d{{1,2}}(?:st|nd|rd|th)?\s+"
    rf"{_MONTH},?\s+\d{{4}}|\b\d{{4}}-\d{{2}}-\d{{2}}|\b\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}\b)"
    r"(?:[,:]?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+(?-i:[A-Z]{2,4})\b)?)?"
    r"|\b\d{1,3}\s+(?:minutes?|hours?|days?)\s+ago\b",
    re.IGNORECASE,
)
_ROLE_MARKS = re.compile(r"[\d:.!?]")
HEAD_WINDOW = 200  # lines above the body searched for the title, byline and date


@dataclass(slots=True)
class Header:
    """Title, byline and date as printed, and the lines they take up."""

    title: str | None = None
    byline: str | None = None
    date_text: str | None = None
    lines: set[int] = field(default_factory=set)
    title_line: int | None = None

    def take_byline(self, lines: list[Line], i: int, stop: int) -> int:
        """Record the byline that starts at line i; returns the index after it."""
        j = _byline_end(lines, i, stop)
        self.byline = "\n".join(x.text for x in lines[i:j])
        self.lines.update(range(i, j))
        return j

    def take_date(self, lines: list[Line], i: int) -> bool:
        """Record line i as the date line when it is a short line with a date in it."""
        text = lines[i].text
        date = _date_of(text) if words(text) <= 12 else None
        if date:
            self.date_text = date
            self.lines.add(i)
        return bool(date)


def _is_byline(text: str) -> bool:
    """A "By NAME" line (or "Written by", "Posted by") short enough to be a byline."""
    return bool(_BYLINE.match(text)) and words(text) <= 20


def _date_of(text: str) -> str | None:
    """The line itself when it is (nearly) only a date; the date in it otherwise."""
    m = _DATE.search(text)
    if m is None:
        return None
    rest = text[: m.start()] + text[m.end() :]
    return text if words(rest) <= 4 and not _BYLINE.match(text) else m.group(0).strip()


def _byline_end(lines: list[Line], i: int, stop: int) -> int:
    """Index after a byline starting at i: up to two continuation lines (a role, an e-mail)."""
    j = i + 1
    while j < min(stop, i + 3):
        text = lines[j].text
        role = lines[j].shape == "short" and words(text) <= 4 and not _ROLE_MARKS.search(text)
        if not (EMAIL.match(text) or role) or VIDEO_CUE.search(text) or WIDGET.search(text):
            break
        j += 1
    return j


def find_header(
    lines: list[Line], start: int, end: int, titles: set[str], avoid: set[int]
) -> tuple[Header, int]:
    """Title, byline and date around the body start; returns them and the (new) body start.

    `titles` (casefolded) are headlines the page's metadata announces; `avoid` are lines
    that cannot be the title (video teasers).
    """
    head = Header()
    start = _peel(lines, start, end, titles, head)
    _scan_back(lines, start, titles, avoid, head)
    if head.date_text is None and head.byline is not None:
        head.date_text = _date_of(head.byline)
    return head, start


def _peel(lines: list[Line], start: int, end: int, titles: set[str], head: Header) -> int:
    """Take title, byline and date lines off the top of the body (an extractor often keeps
    them); returns where the body proper starts."""
    i = start
    while i < end and i - start < 8:
        text = lines[i].text
        if lines[i].shape == "noise":
            i += 1
        elif head.title is None and text.casefold() in titles:
            head.title, head.title_line = text, i
            head.lines.add(i)
            i += 1
        elif head.byline is None and _is_byline(text):
            i = head.take_byline(lines, i, end)
        elif head.date_text is None and head.take_date(lines, i):
            i += 1
        else:
            break
    if head.title_line is not None:  # the body proper starts at the next paragraph kept
        while i < end and not (lines[i].content and lines[i].shape == "prose"):
            i += 1
    return i


def _scan_back(
    lines: list[Line], start: int, titles: set[str], avoid: set[int], head: Header
) -> None:
    """Byline, date and title in the lines above the body.

    A headline the metadata announces wins when it is printed near the body. Otherwise the
    title is the nearest headline-like line above the byline.
    """
    window = list(range(start - 1, max(-1, start - HEAD_WINDOW), -1))
    window = [i for i in window if lines[i].shape != "noise"]
    window = [i for i in window if i not in head.lines][:40]
    near = window[:15]
    for i in window if titles else ():
        if lines[i].text.casefold() in titles:
            head.title, head.title_line = lines[i].text, i
            break
    for i in near if head.byline is None else ():
        if i != head.title_line and _is_byline(lines[i].text):
            head.take_byline(lines, i, start)
            break
    for i in near if head.date_text is None else ():
        if i not in head.lines and head.take_date(lines, i):
            break
    top = min(head.lines, default=start)
    for i in near if head.title is None else ():
        text = lines[i].text
        if i < top and i not in avoid and headline_like(text) and not _dup(lines, i):
            head.title, head.title_line = text, i
            break
    if head.title_line is not None:
        head.lines.add(head.title_line)


def _dup(lines: list[Line], i: int) -> bool:
    """True when the line repeats its neighbour (a caption or tag strip printed twice)."""
    return any(0 <= j < len(lines) and lines[j].text == lines[i].text for j in (i - 1, i + 1))
