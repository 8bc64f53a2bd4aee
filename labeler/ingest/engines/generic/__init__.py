"""The generic fallback: forum-like pages from engines no specific parser knows.

Text pages are cut into posts at the post header the page repeats most, a short line with
a time in it whose shape is learnt from the page itself (`spans`, `headers`), or, when no
header repeats, after the post-footer button row the page repeats most; each post is then
read line by line (`text`, `notes`, `quotes`). HTML pages are cut into the repeating
elements that each hold a time and some text (`html_groups`) and read part by part
(`html_parts`, `html`). Everything is structural, nothing is keyed to one site's wording,
and pages that are not forum-like give no posts.
"""

from __future__ import annotations

import re

from labeler.ingest.engines.base import Engine
from labeler.ingest.engines.generic.html import html_meta, parse_html
from labeler.ingest.engines.generic.text import parse_text
from labeler.ingest.model import PageKind, ParsedPage, ParsedPost
from labeler.ingest.page import Page

_RE = re.compile(r"^(?:re|aw|sv|fwd?)\s*:\s*", re.I)


class GenericEngine(Engine):
    """Fallback for forum-like pages of engines nobody wrote a parser for."""

    name = "generic"
    title = "Generic forum"
    kind = PageKind.FORUM

    def detect(self, page: Page) -> float:
        """A constant low floor, so that any confident engine wins."""
        return 0.1

    def parse(self, page: Page) -> ParsedPage:
        """Posts found by repeating structure; an empty list when the page is not forum-like."""
        if page.is_html:
            root = page.tree
            title, url = html_meta(root)
            return ParsedPage(self.name, PageKind.FORUM, title, parse_html(root), url=url)
        posts = parse_text(page.text)
        return ParsedPage(self.name, PageKind.FORUM, _text_title(posts), posts)


def _text_title(posts: list[ParsedPost]) -> str | None:
    """The thread title a text page shows as its posts' subject ("Re: X" → "X")."""
    for post in posts:
        if post.subject:
            return _RE.sub("", post.subject) or None
    return None


ENGINE = GenericEngine()
