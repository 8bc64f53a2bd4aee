"""phpBB thread pages (prosilver 3.0-3.3, subsilver2, phpBB2 subSilver), as text or HTML.

Text pages are read by line shape (`text`, `skeleton`, `quotes`): a post starts at its
"Postby NAME » DATE" line ("Post by", "by" or "#N Post by" in later styles and other
renderers; "Posted: DATE" in the table styles), runs until the trailer that follows it
(buttons, "Top", the poster's profile block) and is split into body, quotes (indented
blocks in w3m dumps, headed by "X wrote:" with the first quoted line glued on), edit note
and signature. HTML pages are read by the styles' class names (`html`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from labeler.ingest.engines.base import HtmlOrTextEngine
from labeler.ingest.engines.phpbb import shapes as s
from labeler.ingest.engines.phpbb.html import inside_post, parse_html
from labeler.ingest.engines.phpbb.render import classes
from labeler.ingest.engines.phpbb.skeleton import header_at, header_candidates
from labeler.ingest.engines.phpbb.text import parse_text
from labeler.ingest.model import PageKind, ParsedPage
from labeler.ingest.page import Page

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["ENGINE", "PhpbbEngine"]

# ---------------------------------------------------------------- detection
_DETECT_CHARS = 2_000_000
_HTML_MARK = re.compile(r"phpBB (?:Group|Limited)|phpBB style name|Powered by.{0,80}phpBB", re.S)


def _detect_lines(lines: Sequence[str]) -> list[str]:
    """The first lines of a page, about `_DETECT_CHARS` characters of them."""
    budget = _DETECT_CHARS
    for i, line in enumerate(lines):
        budget -= len(line) + 1
        if budget < 0:
            return list(lines[:i])
    return list(lines)


def _detect_text(page: Page) -> float:
    lines = _detect_lines(page.lines)
    text = page.text if len(lines) == len(page.lines) else "\n".join(lines)
    headers = {i for i in header_candidates(lines, text) if header_at(lines, i) is not None}
    # the other signs count on lines that are not a header (nor an earlier sign)
    edits = {
        i
        for i, line in enumerate(lines)
        if "edited" in line and i not in headers and s.EDIT.match(line)
    }
    profile = {
        i
        for i, line in enumerate(lines)
        if "Joined:" in line and i not in headers and i not in edits
    }
    taken = headers | edits | profile
    marks = "phpBB" in text and any(
        "phpBB" in line and "Powered by" in line and i not in taken for i, line in enumerate(lines)
    )
    if not headers:
        return 0.3 if marks else 0.0
    score = 0.8 if len(headers) >= 2 else 0.7
    score += 0.1 * bool(marks) + 0.05 * bool(edits) + 0.05 * bool(profile)
    return min(1.0, score)


def _html_post_count(tree: HtmlElement, enough: int = 2) -> int:
    """How many posts of any phpBB style the page shows (counting stops at `enough`)."""
    found = 0
    for line in tree.iter("p"):
        if "author" in classes(line) and inside_post(line):
            found += 1
            if found >= enough:
                return found
    if found:
        return found
    for name in tree.iter("b"):  # subsilver2
        if "postauthor" in classes(name):
            found += 1
            if found >= enough:
                return found
    if found:
        return found
    spans = Counter(c for span in tree.iter("span") for c in classes(span) & _PHPBB2_SPANS)
    return min(spans["name"], enough) if spans["postbody"] and spans["postdetails"] else 0


_PHPBB2_SPANS = frozenset({"name", "postbody", "postdetails"})


def _detect_html(page: Page) -> float:
    posts = _html_post_count(page.tree)
    text = page.text
    marked = bool(
        _HTML_MARK.search(text, 0, 20_000)
        or _HTML_MARK.search(text, max(0, len(text) - 30_000))
        or 'id="phpbb"' in text[:50_000]
    )
    if posts == 0:
        return 0.3 if marked else 0.0
    score = 0.85 if posts >= 2 else 0.75
    return min(1.0, score + (0.15 if marked else 0.0))


# ---------------------------------------------------------------- the engine
class PhpbbEngine(HtmlOrTextEngine):
    """phpBB 2 and 3 thread pages (prosilver, subsilver2, subSilver), text or HTML."""

    name: ClassVar[str] = "phpbb"
    title: ClassVar[str] = "phpBB"
    # Unreadable markup reaches the caller as CorruptInputError, as before: the engine caught
    # only its FormatError subclass, which Page.tree never raises. Guarding it is a change of
    # behaviour of its own.
    guards_markup: ClassVar[bool] = False

    def detect_html(self, page: Page) -> float:
        """Confidence from the styles' class names and phpBB's marks in the markup."""
        return _detect_html(page)

    def detect_text(self, page: Page) -> float:
        """Confidence from post header shapes, edit notes and profile lines."""
        return _detect_text(page)

    def parse_html(self, page: Page) -> ParsedPage:
        """The thread's posts in page order (empty when none are recognisable)."""
        return parse_html(page)

    def parse_text(self, page: Page) -> ParsedPage:
        """The thread's posts in page order (empty when none are recognisable)."""
        title, posts = parse_text(page)
        return ParsedPage(engine=self.name, kind=PageKind.FORUM, title=title, posts=posts)


ENGINE = PhpbbEngine()
