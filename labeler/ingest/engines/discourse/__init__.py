"""Discourse topics: the crawler (no-JavaScript) view and the JavaScript app, as HTML or text.

Text pages are the crawler view rendered by a text browser or copied: one header line per
post ("user (Full Name) June 19, 2015, 6:45am #1", `headers`), the cooked post, then
"8 Likes" (`text`). Quotes are "user:" lines followed by an indented block (w3m, lynx), or
unindented lines that repeat an earlier post on the page (browser copy) (`quotes`).
HTML pages are read by the crawler view's and the app's class names (`html`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from labeler.ingest.engines.base import HtmlOrTextEngine
from labeler.ingest.engines.discourse.headers import find_headers
from labeler.ingest.engines.discourse.html import APP_POST, parse_html
from labeler.ingest.engines.discourse.text import LIKE_WORDS, LIKES, parse_text
from labeler.ingest.engines.html_tools import with_class
from labeler.ingest.model import PageKind, ParsedPage

if TYPE_CHECKING:
    from labeler.ingest.page import Page

__all__ = ["ENGINE", "DiscourseEngine"]

_DETECT_LINES = 50_000  # detection reads the top of a page


class DiscourseEngine(HtmlOrTextEngine):
    """Discourse: crawler view and JavaScript app, HTML and text."""

    name = "discourse"
    title = "Discourse"
    kind = PageKind.FORUM

    def detect_html(self, page: Page) -> float:
        """High for Discourse markup (crawler-post, article[data-post-id]) or its generator."""
        tree = page.tree
        if tree.xpath(f"boolean(//div[{with_class('crawler-post')}] | {APP_POST})"):
            return 0.95
        generator = " ".join(tree.xpath("//meta[@name='generator']/@content")).lower()
        if "discourse" in generator or tree.xpath("boolean(//*[@id='data-discourse-setup'])"):
            return 0.9
        return 0.0

    def detect_text(self, page: Page) -> float:
        """High for crawler-view header lines, more so with likes lines or the footer."""
        lines = page.text.split("\n", _DETECT_LINES)[:_DETECT_LINES]
        heads = find_headers(lines)
        powered = "Powered by Discourse" in page.text[-20_000:]
        strong = [h for h in heads if h.number is not None]
        likes = any(x.endswith(LIKE_WORDS) and LIKES.match(x.strip()) for x in lines)
        if strong and powered:
            return 0.95
        if heads and (powered or len(strong) >= 2 or likes):
            return 0.9
        if powered:
            return 0.5
        return 0.6 if strong else (0.2 if heads else 0.0)

    def parse_html(self, page: Page) -> ParsedPage:
        """The topic's posts in page order, from the crawler view or the app's markup."""
        return parse_html(page)

    def parse_text(self, page: Page) -> ParsedPage:
        """The topic's posts in page order, cut at their header lines."""
        return parse_text(page)


ENGINE = DiscourseEngine()
