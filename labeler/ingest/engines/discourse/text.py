"""Discourse text pages: posts cut at their header lines, ended by "8 Likes" or the footer."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from labeler.ingest.engines.base import clean_line, join_paragraphs, unlynx
from labeler.ingest.engines.discourse.headers import Header, find_headers
from labeler.ingest.engines.discourse.quotes import Seen, split_quotes
from labeler.ingest.model import PageKind, ParsedPage, ParsedPost

if TYPE_CHECKING:
    from labeler.ingest.page import Page


LIKES = re.compile(r"^(?P<n>\d[\d,.]{0,12})\s+likes?$", re.I)
LIKE_WORDS = ("Like", "Likes", "like", "likes", "LIKES")
_FOOTER = re.compile(
    r"^(?:Powered by Discourse\b|Home Categories\b|Related [Tt]opics$|Topic\s+Replies\s+Views"
    r"|next page\s*→|← previous page|This topic was automatically closed|References$)"
)
_FOOTER_STARTS = ("Powered", "Home", "Related", "Topic", "next", "←", "This topic", "References")


def _cut(lines: list[str]) -> tuple[int, int | None, bool]:
    """Where the post's own lines end (likes line or footer), its likes, whether ":" occurs."""
    colon = False
    for j, line in enumerate(lines):
        if not line:
            continue
        colon = colon or ":" in line
        text = line.strip()
        if text.endswith(LIKE_WORDS) and (likes := LIKES.match(text)):
            return j, int(re.sub(r"\D", "", likes["n"])), colon
        if text.startswith(_FOOTER_STARTS) and _FOOTER.match(text):
            return j, None, colon
    return len(lines), None, colon


def _post_from_lines(head: Header, lines: list[str], seen: Seen) -> ParsedPost:
    """One post from the lines between its header and the next one."""
    cut, likes, colon = _cut(lines)
    own, quotes = split_quotes(lines[:cut], seen) if colon else (lines[:cut], [])
    body = join_paragraphs(own)
    seen.add(head.author, body)
    return ParsedPost(
        body=body,
        author=head.author,
        time_text=head.time_text,
        quotes=quotes,
        reactions=[("Like", likes)] if likes is not None else [],
        post_number=head.number,
    )


def _text_title(lines: list[str], first_header: int) -> str | None:
    candidates = [clean_line(x) for x in lines[max(0, first_header - 20) : first_header]]
    filled = [x for x in candidates if x]
    return max(filled, key=len) if filled else None


def parse_text(page: Page) -> ParsedPage:
    """The topic's posts, cut at their header lines, and its title (the longest line above
    the first header)."""
    lines = unlynx(page.text).split("\n")
    heads = find_headers(lines)
    seen = Seen()
    posts: list[ParsedPost] = []
    for k, head in enumerate(heads):
        stop = heads[k + 1].line if k + 1 < len(heads) else len(lines)
        posts.append(_post_from_lines(head, lines[head.line + 1 : stop], seen))
    title = _text_title(lines, heads[0].line) if heads else None
    return ParsedPage(engine="discourse", kind=PageKind.FORUM, title=title, posts=posts)
