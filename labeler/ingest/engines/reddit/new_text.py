"""New Reddit text pages (2018-2022): "level N", the user, then "39 points · 6 years ago".

The submission opens with "Posted by u/user 6 years ago" and its title; a comment is
the lines from its "level N" (or meta) line to the next comment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from labeler.ingest.engines.base import clean_line
from labeler.ingest.engines.reddit.shapes import (
    BADGE,
    COMMENT_COUNT,
    EDITED,
    END,
    LEVEL,
    META,
    OP_BADGES,
    POSTED,
    SCORE_LINE,
    SUBMISSION_END,
    TIME_AT_END,
    TIME_LINE,
    is_control,
    parse_count,
    username,
)
from labeler.ingest.engines.reddit.text import body_and_quotes, end_of
from labeler.ingest.model import ParsedPost


@dataclass(slots=True)
class _Meta:
    """What a comment's meta line says."""

    author: str | None
    score: int | None
    time_text: str | None
    edited: str | None


def _meta(line: str) -> _Meta | None:
    text = clean_line(line)
    m = META.match(text) if len(text) <= 160 else None
    if m is None:
        return None
    pre = OP_BADGES.sub(" ", m["pre"]).strip()
    if len(pre.split()) > 3:
        return None
    author = username(pre.split()[0]) if pre else None
    score = parse_count(m["score"]) if m["score"] else None
    return _Meta(author, score, m["time"].strip(), (m["edit"] or "").strip() or None)


def _posted_by(lines: list[str], at: int, stop: int) -> tuple[str | None, str | None, int]:
    """Author and time after "Posted by", on its line or the next few; the line after them."""
    m = POSTED.match(clean_line(lines[at]))
    rest, j = (m["rest"].strip() if m else ""), at + 1
    while not TIME_AT_END.search(rest) and j < min(stop, at + 5):
        text = clean_line(lines[j])
        if text and not (text.startswith(("u/", "/u/")) or TIME_AT_END.search(text)):
            break
        rest, j = f"{rest} {text}".strip(), j + 1
    when = TIME_AT_END.search(rest)
    who = rest[: when.start()].strip() if when else rest
    author = username(who.split()[0]) if who.startswith(("u/", "/u/")) else None
    return author, (when[0].strip() if when else None), j


def _submission_new(lines: list[str], at: int, stop: int) -> ParsedPost:
    m = POSTED.match(clean_line(lines[at]))
    score = parse_count(m["pre"]) if m and m["pre"].strip() else None
    prev = next((clean_line(x) for x in reversed(lines[max(0, at - 4) : at]) if x.strip()), "")
    if score is None and SCORE_LINE.match(prev):
        score = parse_count(prev)
    author, time_text, after = _posted_by(lines, at, stop)
    title, body_lines = _title_and_body(lines[after:stop])
    body, quotes = body_and_quotes(body_lines)
    return ParsedPost(
        body=body,
        author=author,
        time_text=time_text,
        quotes=quotes,
        reactions=[("score", score)] if score is not None else [],
        subject=title,
        depth=0,
        is_submission=True,
    )


def _title_and_body(lines: list[str]) -> tuple[str | None, list[str]]:
    """The submission's title (first line that is no badge) and the lines after it."""
    i = 0
    while i < len(lines) and (not lines[i].strip() or BADGE.match(lines[i].strip())):
        i += 1
    if i == len(lines):
        return None, []
    title = clean_line(lines[i])
    i += 1
    while i < len(lines) and (not lines[i].strip() or re.match(r"^\[[^\]]*\]$", lines[i].strip())):
        i += 1
    return title, lines[i:]


def _head_line(line: str) -> _Meta | None:
    """A comment header line: the points meta line, or "[user|flair ·] time [· edited time]"."""
    meta = _meta(line)
    if meta is not None:
        return meta
    text = clean_line(line)
    m = TIME_LINE.match(text) if len(text) <= 120 else None
    if m is None:
        return None
    pre = OP_BADGES.sub(" ", m["pre"]).strip(" ·•|")
    if len(pre) > 40 or len(pre.split()) > 4:
        return None
    author = username(pre) if pre else None
    return _Meta(author, None, m["time"].strip(), (m["edit"] or "").strip() or None)


def read_head(lines: list[str], start: int, stop: int) -> tuple[_Meta | None, int]:
    """The header after "level N": user, badges, flair, then the meta or time line."""
    author: str | None = None
    for j in range(start, min(stop, len(lines))):
        text = clean_line(lines[j])
        head = _head_line(text) if text else None
        if head is None:
            author = author or username(text)
            continue
        head.author = author or head.author
        after = _next_filled(lines, j + 1, stop)
        edit = EDITED.match(clean_line(lines[after])) if after is not None else None
        if edit and after is not None:
            head.edited = edit[1]
            return head, after + 1
        return head, j + 1
    return None, start


def _next_filled(lines: list[str], start: int, stop: int) -> int | None:
    return next((k for k in range(start, min(stop, len(lines))) if lines[k].strip()), None)


def _tail_score(region: list[str]) -> tuple[int | None, list[str]]:
    """A bare vote count printed among the buttons after a comment ("12", "Reply")."""
    filled: list[int] = []
    for k in range(len(region) - 1, -1, -1):
        if region[k].strip():
            filled.insert(0, k)
            if len(filled) == 8:
                break
    for n, k in enumerate(filled):
        count = parse_count(region[k]) if SCORE_LINE.match(region[k].strip()) else None
        if count is None:
            continue
        near = [region[filled[m]].strip() for m in (n - 1, n + 1) if 0 <= m < len(filled)]
        if any(is_control(x) for x in near):
            return count, region[:k] + region[k + 1 :]
    return None, region


def _comment_new(lines: list[str], start: int, stop: int) -> ParsedPost:
    """A comment from its "level N" (or meta) line to the next comment."""
    level = LEVEL.match(lines[start].strip())
    depth = int(level[1]) if level else None
    first = start + 1 if level else start
    meta, j = read_head(lines, first, min(stop, first + 6))
    if meta is None:
        meta, j = _Meta(None, None, None, None), first
    score, region = meta.score, lines[j:stop]
    if score is None:
        score, region = _tail_score(region)
    body, quotes = body_and_quotes(region)
    return ParsedPost(
        body=body,
        author=meta.author,
        time_text=meta.time_text,
        quotes=quotes,
        reactions=[("points", score)] if score is not None else [],
        edited_text=meta.edited,
        depth=depth,
    )


def is_level(line: str) -> bool:
    """A "level N" line (it opens a comment on new Reddit)."""
    return len(line) < 24 and "evel" in line and LEVEL.match(line.strip()) is not None


def is_meta(line: str) -> bool:
    """A comment's "N points · time" meta line."""
    return ("oint" in line or "core hidden" in line) and _meta(line) is not None


def parse_new_text(lines: list[str], levels: list[int]) -> list[ParsedPost]:
    """The submission and comments of a new Reddit page, given its "level N" lines (without
    them, comments start at their meta lines)."""
    starts = levels or [i for i, x in enumerate(lines) if is_meta(x)]
    end = end_of(lines, starts[-1] if starts else 0, END)
    posts: list[ParsedPost] = []
    posted = next(
        (i for i, x in enumerate(lines) if "Posted by" in x and POSTED.match(clean_line(x))), None
    )
    if posted is not None and (not starts or posted < starts[0]):
        stop = min(starts[0] if starts else end, _submission_stop(lines, posted + 1))
        posts.append(_submission_new(lines, posted, stop))
    for k, start in enumerate(starts):
        stop = starts[k + 1] if k + 1 < len(starts) else end
        posts.append(_comment_new(lines, start, stop))
    return posts


def _submission_stop(lines: list[str], start: int) -> int:
    for j in range(start, len(lines)):
        text = lines[j].strip()
        if COMMENT_COUNT.match(text) or SUBMISSION_END.match(text) or LEVEL.match(text):
            return j
    return len(lines)
