"""XenForo 1 and 2 thread pages, as text (browser copy, w3m, lynx) or HTML.

Text, XenForo 2: the avatar's alt text and the name (so the name twice), the user title,
the date, then "• #N" (`anchors`); the body ends at a line holding only a no-break space;
then maybe "Last edited: date", the signature, the reaction icons and "Reactions: A, B and
12 others" (`tails`). XenForo 1 prints the name block, the body, then "Name, date" and
"#N Like Reply" below it, and likes as "A, B and 3 others like this." (`text`). Quotes read
"X said:" (XF1: "X said: ↑") and close with "Click to expand...".
HTML: XF2 article.message--post, XF1 li.message, both with data-author (`html`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from labeler.ingest.engines._vbxf.html import by_class
from labeler.ingest.engines.base import HtmlOrTextEngine
from labeler.ingest.engines.xenforo.anchors import find_anchors
from labeler.ingest.engines.xenforo.html import parse_html
from labeler.ingest.engines.xenforo.text import parse_text
from labeler.ingest.model import PageKind, ParsedPage

if TYPE_CHECKING:
    from labeler.ingest.page import Page

__all__ = ["ENGINE", "XenForoEngine"]

# Words XenForo prints on text pages (quote headers and ends, reactions, the thread header).
_TEXT_MARKERS = ("said:", "click to expand...", "reactions:", "xenforo", "thread starter")


class XenForoEngine(HtmlOrTextEngine):
    """XenForo 1/2 thread pages."""

    name = "xenforo"
    title = "XenForo"
    kind = PageKind.FORUM
    # Unreadable markup reaches the caller as CorruptInputError, as this engine always let
    # it (Discourse and Reddit score it 0): guarding it is a change of behaviour of its own.
    guards_markup = False

    def detect_html(self, page: Page) -> float:
        """High for XenForo markup (html#XF, message--post, bbWrapper)."""
        tree = page.tree
        root_id = (tree.get("id") or "").lower()
        posts = tree.xpath(
            "//article[contains(@class, 'message--post')]"
            " | //li[contains(concat(' ', @class, ' '), ' message ')][@data-author]"
        )
        if root_id in ("xf", "xenforo") and posts:
            return 1.0
        if posts or by_class(tree, "bbWrapper"):
            return 0.9
        if root_id in ("xf", "xenforo"):
            return 0.6
        return 0.3 if "xenforo" in page.text[-20_000:].lower() else 0.0

    def detect_text(self, page: Page) -> float:
        """High for XenForo's "#N" lines under a date, more so with its words."""
        lines = page.lines
        anchors, _ = find_anchors(lines)
        if not anchors:
            return 0.0
        head = "\n".join(lines[:20_000]).lower()
        markers = sum(marker in head for marker in _TEXT_MARKERS)
        return min(0.6 + 0.1 * markers, 1.0)

    def parse_html(self, page: Page) -> ParsedPage:
        """Posts in page order; an empty list when no XenForo post is recognisable."""
        return parse_html(page.tree, self.name)

    def parse_text(self, page: Page) -> ParsedPage:
        """Posts in page order; an empty list when no XenForo post is recognisable."""
        return parse_text(page.lines, self.name)


ENGINE = XenForoEngine()
