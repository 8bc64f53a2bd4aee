"""vBulletin 3, 4 and 5 thread pages, as text (browser copy, w3m, lynx) or HTML.

Text: a post starts at its header line, "06-15-2016, 03:03 PM #1" (vB3/4, often numbered
" 1. ") or "#1" over a date line (vB5, whose author block comes before it) (`anchors`). The
author, profile menu, user title and "Join Date / Posts" block follow (vB3/4, `profile`);
quotes open with "Quote Originally Posted by X View Post" and have no end marker;
"__________________" rules off a signature; "Last edited by X; date." is the edit note;
"Reply With Quote" ends a post (`text`).
HTML: vB4 li.postcontainer, vB5 li.b-post, vB3 table#postN, read by class name (`html`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from labeler.ingest.engines._vbxf.html import by_class
from labeler.ingest.engines._vbxf.lines import cleaned
from labeler.ingest.engines.base import HtmlOrTextEngine
from labeler.ingest.engines.vbulletin.anchors import find_anchors
from labeler.ingest.engines.vbulletin.html import parse_html
from labeler.ingest.engines.vbulletin.text import parse_text
from labeler.ingest.model import PageKind, ParsedPage

if TYPE_CHECKING:
    from labeler.ingest.page import Page

__all__ = ["ENGINE", "VBulletinEngine"]

# Words vBulletin prints on text pages (buttons, quote headers, the profile block).
_TEXT_MARKERS = ("reply with quote", "originally posted by", "join date", "vbulletin")


class VBulletinEngine(HtmlOrTextEngine):
    """vBulletin 3/4/5 thread pages."""

    name = "vbulletin"
    title = "vBulletin"
    kind = PageKind.FORUM
    # Unreadable markup reaches the caller as CorruptInputError, as this engine always let
    # it (Discourse and Reddit score it 0): guarding it is a change of behaviour of its own.
    guards_markup = False

    def detect_html(self, page: Page) -> float:
        """1.0 for vBulletin's generator tag, 0.9 for its post markup, 0.5 for its name."""
        tree = page.tree
        generator = " ".join(tree.xpath("//meta[@name='generator']/@content")).lower()
        if "vbulletin" in generator:
            return 1.0
        if tree.xpath("//*[starts-with(@id, 'post_message_')]") or by_class(tree, "b-post", "li"):
            return 0.9
        if "vbulletin" in page.text[:200_000].lower():
            return 0.5
        return 0.0

    def detect_text(self, page: Page) -> float:
        """From the header lines' layout ("date #N", or "#N" over the date under an author
        block), and vBulletin's words."""
        lines = page.lines
        anchors = find_anchors(lines)
        if not anchors:
            return 0.0
        head = "\n".join(lines[:20_000]).lower()
        markers = sum(marker in head for marker in _TEXT_MARKERS)
        same_line = sum(a.time_line == a.line for a in anchors)  # "date #N" (vB3/4)
        below = sum(a.time_line > a.line for a in anchors)  # "#N" over the date (vB5; MyBB too)
        joined = sum(_join_date_above(lines, a.line) for a in anchors[:50])
        if same_line * 2 >= len(anchors):
            base = 0.5
        elif below * 2 >= len(anchors):
            base = 0.5 if joined * 2 >= min(len(anchors), 50) else 0.15  # vB5's author block
        else:
            base = 0.05
        score = base + 0.15 * markers
        return min(score, 1.0)

    def parse_html(self, page: Page) -> ParsedPage:
        """Posts in page order; an empty list when no vBulletin post is recognisable."""
        return parse_html(page.tree, self.name)

    def parse_text(self, page: Page) -> ParsedPage:
        """Posts in page order; an empty list when no vBulletin post is recognisable."""
        return parse_text(page.lines, self.name)


def _join_date_above(lines: list[str], k: int) -> bool:
    return any(cleaned(x).lower().startswith("join date") for x in lines[max(0, k - 12) : k])


ENGINE = VBulletinEngine()
