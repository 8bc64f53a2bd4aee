"""Invision Community (IPS 4, IPS 3 / IP.Board) threads, from HTML or from text.

HTML carries the structure (`html`). Text does not (`text`): posts are cut at their
separators, and a quote header ("37 minutes ago, NAME said:") is followed by the quoted lines
with no end marker, so quotes end by indentation or where the copied text ends (`quotes`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from labeler.errors import CorruptInputError
from labeler.ingest.engines.base import Engine, clean_line
from labeler.ingest.engines.invision.html import parse_html
from labeler.ingest.engines.invision.shapes import (
    GAP,
    RECOMMENDED,
    SEPARATOR,
    debullet,
    edited_by,
    posted_time,
    quote_header,
    reaction,
)
from labeler.ingest.engines.invision.text import parse_text
from labeler.ingest.model import PageKind, ParsedPage
from labeler.ingest.page import Page

__all__ = ["ENGINE", "InvisionEngine", "edited_by", "quote_header", "reaction"]

_HTML_MARKS = (
    ("ipsComment", 0.3),
    ("cAuthorPane", 0.2),
    ("commentContent", 0.2),
    ("ipsQuote", 0.1),
    ("ipsType_richText", 0.1),
    ("ipsApp", 0.1),
    ("ipboard_body", 0.4),
    ("post_block", 0.1),
    ("ipsBlockquote", 0.2),
    ("posted_info", 0.1),
    ("post_body", 0.1),
    ("ipb.vars", 0.3),
    ("Invision Power", 0.2),
    ("invisioncommunity", 0.1),
)


def _text_evidence(lines: Iterator[str]) -> Iterator[float]:
    for line in lines:
        text = line.strip()
        if not text or len(text) > 120:
            continue
        text = debullet(clean_line(text))[1]
        if SEPARATOR.fullmatch(text) and not text.lower().startswith("back"):
            yield 0.2
        elif RECOMMENDED.fullmatch(text):
            yield 0.3
        elif (header := quote_header(text)) and header[1] is not None:
            yield 0.15
        elif GAP.fullmatch(text) or text.startswith("Edited by ") or posted_time(text):
            yield 0.05


_DETECT_LINES = 20_000  # detection reads the top of a page


class InvisionEngine(Engine):
    """Invision Community / IP.Board topic pages."""

    name: ClassVar[str] = "invision"
    title: ClassVar[str] = "Invision Community"
    kind: ClassVar[PageKind] = PageKind.FORUM

    def detect(self, page: Page) -> float:
        """High on IPS class names (HTML) or IPS post separators and citations (text)."""
        if page.is_html:
            head = page.text[:2_000_000]
            score = sum(w for mark, w in _HTML_MARKS if mark in head)
            return min(1.0, score)
        score = 0.0
        lines = iter(page.text.split("\n", _DETECT_LINES)[:_DETECT_LINES])
        for weight in _text_evidence(lines):
            score += weight
            if score >= 1.0:
                return 1.0
        return score

    def parse(self, page: Page) -> ParsedPage:
        """Posts of an IPS topic page, HTML or text."""
        if not page.is_html:
            return parse_text(page.text)
        try:
            return parse_html(page)
        except CorruptInputError as exc:  # markup lxml cannot read at all
            return ParsedPage(self.name, PageKind.FORUM, None, [], warnings=[exc.message])


ENGINE = InvisionEngine()
