"""vBulletin text pages: posts cut at their headers and read into body, quotes and tail.

A post runs from its header to the next one; its buttons ("Reply With Quote") or, for
the last post, the page footer end it. Quotes, edit notes and signatures are read by the
shared vBulletin/XenForo rules (`_vbxf`).
"""

from __future__ import annotations

import re

from labeler.ingest.engines._vbxf.lines import BULLETS, clean, indent, is_blank, is_hr
from labeler.ingest.engines._vbxf.quotes import SourceIndex
from labeler.ingest.engines._vbxf.tails import (
    fill_from_lines,
    quoted_signatures,
    repeated_signatures,
)
from labeler.ingest.engines.vbulletin.anchors import Anchor, find_anchors
from labeler.ingest.engines.vbulletin.profile import author_block, column, read_profile, splits_at
from labeler.ingest.engines.vbulletin.shapes import (
    BARE_QUOTE,
    EDIT_NOTE,
    QUOTE_HEAD,
    RE_PREFIX,
    STYLE,
)
from labeler.ingest.model import PageKind, ParsedPage, ParsedPost

_CONTROLS = re.compile(
    r"(?i)\[[^\]]*\]|reply with quote|multi-?quote this message|quick reply to this message|"
    r"report post|reply to thread|\b(?:reply|quote|report|like|likes|thanks|edit|share|"
    r"permalink|top|comment|blog this post)\b|" + f"[|{re.escape(BULLETS)}]"
)
_FOOTER = re.compile(
    r"(?i)^(?:page \d+ of \d+\b|« previous thread|quick navigation\b|posting permissions$|"
    r"similar threads$|bookmarks$|tags for this thread$|thread information$|"
    r"users browsing this thread$|all times are gmt|« previous|powered by vbulletin)"
)
_HAS_CONTROL = re.compile(r"(?i)reply|quote|report|like|thank|share|comment")


def parse_text(lines: list[str], engine: str) -> ParsedPage:
    """The thread's title ("Thread: X") and posts from a text page's lines."""
    anchors = find_anchors(lines)
    title = next(
        (clean(x)[7:].strip() for x in lines[:2000] if clean(x).startswith("Thread: ")),
        None,
    )
    before = sum(a.time_line > a.line for a in anchors) * 2 > len(anchors)
    sources = SourceIndex()
    posts = (
        _posts_author_before(lines, anchors, sources, title)
        if before
        else _posts_author_after(lines, anchors, sources, title)
    )
    repeated_signatures(posts)
    quoted_signatures(posts)
    return ParsedPage(engine=engine, kind=PageKind.FORUM, title=title, posts=posts)


def _posts_author_after(
    lines: list[str], anchors: list[Anchor], sources: SourceIndex, title: str | None
) -> list[ParsedPost]:
    regions = []
    for n, anchor in enumerate(anchors):
        end = (
            min(anchors[n + 1].line, anchors[n + 1].time_line)
            if n + 1 < len(anchors)
            else len(lines)
        )
        regions.append(lines[max(anchor.line, anchor.time_line) + 1 : end])
    columns = [column(region) for region in regions]
    known = [c for c in columns if c is not None]
    usual = max(set(known), key=known.count) if known else None
    posts = []
    for n, (anchor, region, found) in enumerate(zip(anchors, regions, columns, strict=True)):
        post = ParsedPost(body="", time_text=anchor.time_text, post_number=anchor.number)
        col = found
        if col is None and usual is not None and splits_at(region[:3], usual):
            col = usual
        if col is not None:
            read_profile([x[:col] for x in region], post, title)
            content = [x[col:] if len(x) > col else "" for x in region]
        else:
            content = region[read_profile(region, post, title) :]
        last = n + 1 == len(anchors)
        content = _merge_quote_labels(_until_controls(content, post.author, last=last))
        content = _take_subject(content, post, title)
        fill_from_lines(post, content, STYLE, EDIT_NOTE, sources)
        posts.append(post)
    return posts


def _posts_author_before(
    lines: list[str], anchors: list[Anchor], sources: SourceIndex, title: str | None
) -> list[ParsedPost]:
    starts = [author_block(lines, a) for a in anchors]
    posts = []
    for n, anchor in enumerate(anchors):
        start, author, user_title = starts[n]
        end = starts[n + 1][0] if n + 1 < len(anchors) else len(lines)
        post = ParsedPost(
            body="",
            author=author,
            user_title=user_title,
            time_text=anchor.time_text,
            post_number=anchor.number,
        )
        content = _merge_quote_labels(
            lines[max(anchor.line, anchor.time_line) + 1 : max(end, start)]
        )
        content = _until_controls(content, author, last=n + 1 == len(anchors))
        content = _take_subject(content, post, title)
        fill_from_lines(post, content, STYLE, EDIT_NOTE, sources)
        posts.append(post)
    return posts


def _until_controls(content: list[str], author: str | None, *, last: bool = True) -> list[str]:
    """Content up to the post's buttons ("Reply With Quote") or (last post) the page footer."""
    status = f"{author} is " if author else "\0"
    for k, raw in enumerate(content):
        text = clean(raw)
        if not text or text.lower() in ("quote:", "[quote]"):
            continue
        if status in text:
            text = re.sub(rf"{re.escape(status)}(?:offline|online)", "", text)
            if not _CONTROLS.sub("", text).strip(" .,:;|"):
                return content[:k]
        if _FOOTER.match(text) or (
            not _CONTROLS.sub("", text).strip(" .,:;|") and _has_control(text)
        ):
            return content[:k]
    return content


def _merge_quote_labels(content: list[str]) -> list[str]:
    """Drop vB3's "Quote:" label line when "Originally Posted by X" follows it."""
    out: list[str] = []
    for raw in content:
        text = clean(raw)
        if QUOTE_HEAD.match(text) and out:
            k = len(out) - 1
            while k >= 0 and is_blank(out[k]):
                k -= 1
            if k >= 0 and BARE_QUOTE.match(clean(out[k])):
                del out[k:]
        out.append(raw)
    return out


def _has_control(text: str) -> bool:
    return len(text) < 160 and _HAS_CONTROL.search(text) is not None


def _take_subject(content: list[str], post: ParsedPost, title: str | None) -> list[str]:
    """The post's title line (vB prints it above the message), when there is one."""
    filled = [k for k, x in enumerate(content) if not is_blank(x) and not is_hr(x)]
    if len(filled) < 2:
        return content
    k0, k1 = filled[0], filled[1]
    first = clean(content[k0])
    ruled = any(is_hr(x) for x in content[k0 + 1 : k1])
    shallower = indent(content[k0]) < indent(content[k1])
    named = title is not None and RE_PREFIX.sub("", first) == title
    if ruled or shallower or named:
        post.subject = first
        return content[k0 + 1 :]
    return content
