"""XenForo text pages: posts cut at their headers, with the author block each one has.

XenForo 2 prints the author block (avatar alt text, name, user title, extras) above the
date; XenForo 1 prints the name block above the body and "Name, date" under it.
"""

from __future__ import annotations

import re

from labeler.ingest.engines._vbxf.lines import cleaned, is_hr
from labeler.ingest.engines._vbxf.quotes import SourceIndex
from labeler.ingest.engines._vbxf.tails import (
    count_reactors,
    quoted_signatures,
    repeated_signatures,
)
from labeler.ingest.engines.xenforo.anchors import Anchor, find_anchors
from labeler.ingest.engines.xenforo.shapes import LIKE_THIS
from labeler.ingest.engines.xenforo.tails import read_content
from labeler.ingest.model import PageKind, ParsedPage, ParsedPost

_DEFAULT_TITLES = frozenset(
    ["new member", "member", "active member", "well-known member", "senior member",
     "staff member", "administrator", "moderator", "super moderator", "banned", "guest",
     "junior member", "registered"]
)  # fmt: skip
_EXTRA_LABELS = frozenset(
    (
        "joined", "messages", "reaction score", "points", "location", "likes received",
        "trophy points", "website", "age", "gender", "occupation", "solutions", "posts",
        "home page", "first name", "country",
    )
)  # fmt: skip


def parse_text(lines: list[str], engine: str) -> ParsedPage:
    """The thread's title and posts from a text page's lines, XenForo 1 or 2."""
    anchors, old = find_anchors(lines)
    sources = SourceIndex()
    posts = _posts_xf1(lines, anchors, sources) if old else _posts_xf2(lines, anchors, sources)
    repeated_signatures(posts)
    quoted_signatures(posts)
    return ParsedPage(engine=engine, kind=PageKind.FORUM, title=_text_title(lines), posts=posts)


def _text_title(lines: list[str]) -> str | None:
    for k, raw in enumerate(lines[:3000]):
        if cleaned(raw).startswith("Thread starter"):
            above = next(
                (cleaned(x) for x in reversed(lines[max(0, k - 4) : k]) if cleaned(x)), None
            )
            return above
    return None


def _posts_xf2(lines: list[str], anchors: list[Anchor], sources: SourceIndex) -> list[ParsedPost]:
    blocks = []
    floor = 0
    for anchor in anchors:
        blocks.append(_author_block(lines, anchor.time_line, floor))
        floor = anchor.line + 1
    posts = []
    for n, anchor in enumerate(anchors):
        _, author, user_title = blocks[n]
        end = blocks[n + 1][0] if n + 1 < len(anchors) else len(lines)
        post = ParsedPost(
            body="",
            author=author,
            user_title=user_title,
            time_text=anchor.time_text,
            post_number=anchor.number,
        )
        read_content(lines[anchor.line + 1 : end], post, sources, last=n + 1 == len(anchors))
        posts.append(post)
    return posts


def _author_block(
    lines: list[str], time_line: int, floor: int
) -> tuple[int, str | None, str | None]:
    """(first line, author, user title) above a post's date line: name twice, title, extras."""
    window: list[tuple[int, str]] = []
    k = time_line - 1
    while k >= floor and len(window) < 20:
        text = cleaned(lines[k])
        if text and not is_hr(lines[k]):
            window.append((k, text))
        k -= 1
    window.reverse()
    for j in range(len(window) - 1, 0, -1):
        upper, name = window[j - 1][1], window[j][1]
        if upper == name or (len(upper) == 1 and name[:1].upper() == upper.upper()):
            after = window[j + 1][1] if j + 1 < len(window) else None
            title = after if after and not _is_extra(after) else None
            return window[j - 1][0], name, title
        if name.startswith(upper + " ") and j == len(window) - 1:
            return window[j - 1][0], upper, name[len(upper) :].strip() or None
    rest = [w for w in window if not _is_extra(w[1]) and not _is_value(w[1])]
    if len(rest) >= 2 and rest[-1][1].lower() in _DEFAULT_TITLES:  # no avatar text: one name
        return rest[-2][0], rest[-2][1], rest[-1][1]
    if rest:
        return rest[-1][0], rest[-1][1], None
    return time_line, None, None


def _is_extra(text: str) -> bool:
    return text.lower().rstrip(":").strip() in _EXTRA_LABELS


def _is_value(text: str) -> bool:
    return bool(re.fullmatch(r"[\d,.]+[KkMm]?|\w{3} \d{1,2}, \d{4}", text))


def _posts_xf1(lines: list[str], anchors: list[Anchor], sources: SourceIndex) -> list[ParsedPost]:
    posts: list[ParsedPost] = []
    floor = 0
    for anchor in anchors:
        post = ParsedPost(
            body="", author=anchor.author, time_text=anchor.time_text, post_number=anchor.number
        )
        floor = _likes_after(lines, floor, posts[-1] if posts else None)
        start = _xf1_name_block(lines, floor, anchor.time_line, post)
        read_content(lines[start : anchor.time_line], post, sources, last=False)
        posts.append(post)
        floor = anchor.line + 1
    if posts:
        _likes_after(lines, floor, posts[-1])
    return posts


def _likes_after(lines: list[str], k: int, post: ParsedPost | None) -> int:
    """Skip (and read) the "A and B like this." line under the previous XF1 post."""
    j = next((i for i in range(k, min(len(lines), k + 4)) if cleaned(lines[i])), None)
    if j is None or post is None:
        return k
    m = LIKE_THIS.match(cleaned(lines[j]))
    if m:
        post.reactions = [("total", count_reactors(m.group("names")))]
        return j + 1
    return k


def _xf1_name_block(lines: list[str], floor: int, stop: int, post: ParsedPost) -> int:
    """Find "Name" then "Name Title" (XF1 user block) and skip the "Messages: / 1,234"
    pairs under it; return where the content starts."""
    name = post.author or ""
    for k in range(floor, stop):
        if cleaned(lines[k]) != name:
            continue
        j = _filled(lines, k + 1, stop)
        if j is None or not cleaned(lines[j]).startswith(name):
            continue
        post.user_title = cleaned(lines[j])[len(name) :].strip() or None
        start = j + 1
        label = _filled(lines, start, stop)
        while label is not None and _is_xf1_label(cleaned(lines[label])):
            value = _filled(lines, label + 1, stop)
            start = stop if value is None else value + 1
            label = _filled(lines, start, stop)
        return start
    return floor


def _filled(lines: list[str], start: int, stop: int) -> int | None:
    return next((i for i in range(start, stop) if cleaned(lines[i])), None)


def _is_xf1_label(text: str) -> bool:
    return text.endswith(":") and len(text) < 25 and len(text.split()) <= 3
