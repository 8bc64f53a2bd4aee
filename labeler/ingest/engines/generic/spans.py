"""Text pages: where each post starts and ends.

Posts start at the post header the page repeats most: the short line shape with a time in
it ("W»T" for "Postby X » date", "T" for a bare date line). The author is read where this
page prints it: on the header line, on a name line above it (skipping rank, avatar and
profile lines), or on the line below it, whichever works for most posts. Pages without a
repeating header are split after the post-footer button row they repeat most.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from labeler.ingest.engines.generic.headers import header_shape, name_in_header
from labeler.ingest.engines.generic.lines import (
    LEVEL,
    MAIL_HEADER,
    POSTNUM,
    PROFILE,
    SENTENCE_END,
    STATUS,
    SUBJECT,
    Line,
    button_key,
    fast_clean,
    is_button_row,
    is_user_title,
    name_of_line,
    unbullet,
)

_STRONG_HEADER = re.compile(r"^(?:[•·]\s*)?posted\s*by(?:\b|(?=\d))", re.I)
_RE_PREFIX = re.compile(r"^\w+\s*:\s*")


def read_lines(text: str) -> list[Line]:
    """The page's lines, cleaned, with their indentation."""
    out: list[Line] = []
    for raw in text.split("\n"):
        body = raw.lstrip(" \t\xa0\u3000")
        out.append(Line(fast_clean(body) if body else "", len(raw) - len(body)))
    return out


@dataclass(slots=True)
class Span:
    """One post's lines: [start, end), its header line and the line naming its author."""

    start: int
    header: int | None
    end: int
    author_line: int | None = None


def find_headers(lines: Sequence[Line]) -> list[int]:
    """Indexes of the lines with the page's most repeated header shape (two or more)."""
    found: list[tuple[int, str]] = []
    counts: Counter[str] = Counter()
    for i, line in enumerate(lines):
        if 0 < len(line.text) <= 160 and (shape := header_shape(line.text)):
            found.append((i, shape.shape))
            counts[shape.shape] += 1
    if not counts:
        return []
    best, count = counts.most_common(1)[0]
    if count < 2:
        return []
    return [i for i, s in found if s == best or _STRONG_HEADER.match(lines[i].text)]


@lru_cache(maxsize=1 << 16)
def _skippable(text: str) -> bool:
    """A line between a user name and the post header that is neither (rank, button, field)."""
    plain = unbullet(text)
    return (
        not plain
        or not any(c.isalnum() for c in plain)
        or is_button_row(text)
        or is_user_title(plain)
        or PROFILE.match(plain) is not None
        or STATUS.match(plain) is not None
        or POSTNUM.match(text) is not None
        or SUBJECT.match(plain) is not None
        or LEVEL.match(plain) is not None
        or MAIL_HEADER.match(plain) is not None
    )


def _name_before(lines: Sequence[Line], header: int, floor: int, titles: set[str]) -> int | None:
    seen = 0
    for i in range(header - 1, max(floor, header - 16) - 1, -1):
        text = lines[i].text
        if not text or text.lower() in titles:
            continue
        if name_of_line(text):
            return i
        seen += 1
        if seen > 10 or not _skippable(text):
            return None
    return None


def _name_after(lines: Sequence[Line], header: int, ceiling: int) -> int | None:
    seen = 0
    for i in range(header + 1, min(ceiling, header + 8)):
        text = lines[i].text
        if not text:
            continue
        if name_of_line(text):
            return i
        seen += 1
        if seen > 3 or not (POSTNUM.match(text) or not any(c.isalnum() for c in text)):
            return None
    return None


def header_spans(lines: Sequence[Line], headers: list[int]) -> list[Span]:
    """Posts from header lines, with the author taken where this page prints it."""
    n = len(headers)
    bounds = [*headers, len(lines)]
    titles = {_RE_PREFIX.sub("", x.text).lower() for x in lines if SUBJECT.match(x.text)}
    in_header = sum(1 for h in headers if name_in_header(lines[h].text))
    before = [
        _name_before(lines, h, bounds[k - 1] + 1 if k else 0, titles) for k, h in enumerate(headers)
    ]
    after = [_name_after(lines, h, bounds[k + 1]) for k, h in enumerate(headers)]
    hits_before = sum(x is not None for x in before)
    hits_after = sum(x is not None for x in after)
    spans = [Span(h, h, bounds[k + 1]) for k, h in enumerate(headers)]
    if in_header >= 0.5 * n:
        for span in spans:
            span.author_line = span.header
    elif max(hits_before, hits_after) >= 0.5 * n:
        for k, span in enumerate(spans):
            if hits_before >= hits_after and (idx := before[k]) is not None:
                span.author_line = idx
                span.start = _extend_name_block(lines, idx, bounds[k - 1] + 1 if k else 0)
            elif hits_after > hits_before:
                span.author_line = after[k]
    for k, span in enumerate(spans):
        if span.start == span.header:
            span.start = _header_block_start(lines, span.start, bounds[k - 1] + 1 if k else 0)
    for k in range(n - 1):
        spans[k].end = spans[k + 1].start
    return spans


def _header_block_start(lines: Sequence[Line], header: int, floor: int) -> int:
    """Subject, "level N", post-number and button lines just above a header open its post."""
    start = header
    for i in range(header - 1, max(floor, header - 8) - 1, -1):
        text = lines[i].text
        if not text:
            continue
        if not _opens_post(text):
            break
        start = i
    return start


@lru_cache(maxsize=1 << 16)
def _opens_post(text: str) -> bool:
    """A subject, "level N", post-number, button or symbol line (above a post header)."""
    plain = unbullet(text)
    structural = SUBJECT.match(plain) or LEVEL.match(plain) or POSTNUM.match(text)
    return bool(structural or is_button_row(text) or not any(c.isalnum() for c in plain))


def _extend_name_block(lines: Sequence[Line], idx: int, floor: int) -> int:
    """Include an avatar line or a repeat of the name (avatar alt text) right above it."""
    start, name = idx, lines[idx].text
    for i in range(idx - 1, max(floor, idx - 4) - 1, -1):
        text = lines[i].text
        if not text:
            continue
        if text == name or STATUS.match(unbullet(text)):
            start = i
            continue
        break
    return start


def footer_spans(lines: Sequence[Line]) -> list[Span]:
    """Posts ended by the post-footer button row the page repeats most (3 times or more)."""
    rows = [
        (i, button_key(line.text))
        for i, line in enumerate(lines)
        if 0 < len(line.text) <= 120 and is_button_row(line.text)
    ]
    counts = Counter(key for _, key in rows)
    if not counts or (best := counts.most_common(1)[0])[1] < 3:
        return []
    spans: list[Span] = []
    start = 0
    for i, key in rows:
        if key == best[0]:
            spans.append(Span(start, None, i))
            start = i + 1
    return spans


def boilerplate_lines(lines: Sequence[Line], spans: Sequence[Span]) -> set[str]:
    """Short lines repeated in many posts (profile fields, ranks, names, signatures).

    Sentences are left alone: a short reply quoted by several later posts repeats too.
    """
    if len(spans) < 3:
        return set()
    counts: Counter[str] = Counter()
    for span in spans:
        counts.update(
            {
                x.text
                for x in lines[span.start : span.end]
                if 0 < len(x.text) <= 40 and not SENTENCE_END.search(x.text)
            }
        )
    floor = max(3, 0.4 * len(spans))
    return {text for text, count in counts.items() if count >= floor}
