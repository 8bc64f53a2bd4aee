"""Reddit-like threads: a submission and its comment tree, as HTML or as text.

Covers new Reddit (2018-2022: "level N" lines, "39 points · 6 years ago", `new_text`), old
Reddit ("[-]user 39 points 6 years ago", div.thing, `old_text`) and shreddit
(shreddit-comment elements); HTML is read by `html`. Depth comes from "level N" (or the
markup's nesting); a comment's parent is the nearest earlier item one level up, and
top-level comments answer the submission (`threads`). Many comments print no author: then
the author is None.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from labeler.ingest.engines.base import HtmlOrTextEngine, clean_line, unlynx
from labeler.ingest.engines.reddit.html import NEW_COMMENT, NEW_POST, OLD_THING, parse_html
from labeler.ingest.engines.reddit.new_text import is_level, is_meta, parse_new_text, read_head
from labeler.ingest.engines.reddit.old_text import old_heads, parse_old_text
from labeler.ingest.engines.reddit.shapes import OLD_HEAD
from labeler.ingest.engines.reddit.threads import link_parents
from labeler.ingest.model import PageKind, ParsedPage

if TYPE_CHECKING:
    from labeler.ingest.page import Page

__all__ = ["ENGINE", "RedditEngine"]

_DETECT_LINES = 20_000  # detection reads the top of a page


class RedditEngine(HtmlOrTextEngine):
    """Reddit-like threads: new Reddit, old Reddit and shreddit, HTML and text."""

    name = "reddit"
    title = "Reddit-like thread"
    kind = PageKind.FORUM

    def detect_html(self, page: Page) -> float:
        """High for shreddit elements, old Reddit's div.thing or new Reddit's test ids."""
        tree = page.tree
        if tree.xpath("boolean(//shreddit-comment | //shreddit-post)"):
            return 0.95
        if tree.xpath(f"boolean({OLD_THING}[@data-fullname] | {NEW_COMMENT})"):
            return 0.95
        if tree.xpath(f"boolean({NEW_POST})"):
            return 0.9
        return 0.0

    def detect_text(self, page: Page) -> float:
        """High for "level N" / "N points · time" lines or old Reddit's "[-]user" lines."""
        lines = page.lines
        levels = metas = olds = 0
        for i, line in enumerate(lines[:_DETECT_LINES]):
            if is_level(line):
                levels += read_head(lines, i + 1, i + 7)[0] is not None
            elif len(line) < 300 and line.lstrip()[:1] == "[" and OLD_HEAD.match(clean_line(line)):
                olds += 1
            elif is_meta(line):
                metas += 1
            if levels >= 2 or (levels and metas) or olds >= 2:
                return 0.95
        if metas >= 2:
            return 0.8
        return 0.2 if metas or olds else 0.0

    def parse_html(self, page: Page) -> ParsedPage:
        """The submission then its comments in page order, with depth and parents."""
        return parse_html(page)

    def parse_text(self, page: Page) -> ParsedPage:
        """The submission then its comments in page order, with depth and parents: old
        Reddit's layout when it has more comment headers than new Reddit's "level N" lines."""
        lines = unlynx(page.text).split("\n")
        old = old_heads(lines)
        levels = [i for i, x in enumerate(lines) if is_level(x)]
        if len(old) > len(levels):
            posts = parse_old_text(lines, old)
        else:
            posts = parse_new_text(lines, levels)
        link_parents(posts)
        title = next((p.subject for p in posts if p.is_submission), None)
        return ParsedPage(engine=self.name, kind=PageKind.FORUM, title=title, posts=posts)


ENGINE = RedditEngine()
