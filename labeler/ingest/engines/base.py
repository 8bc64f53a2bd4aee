"""The interface every engine parser implements, and small text helpers they share."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import ClassVar

from lxml import etree

from labeler.errors import CorruptInputError
from labeler.ingest.model import PageKind, ParsedPage
from labeler.ingest.page import Page


class Engine(ABC):
    """A parser for one forum engine (or for news articles).

    `detect` says how sure it is that a page is its kind (0.0 to 1.0) from structural
    markers only (class names, header line shapes), never from one site's wording;
    `parse` reads the page. Both handle text pages (`page.is_html` false: text as copied
    from a browser or rendered by w3m/lynx) and HTML pages (`page.tree`).
    """

    name: ClassVar[str]  # the --engine value
    title: ClassVar[str]  # human name for summaries ("Invision Community")
    kind: ClassVar[PageKind] = PageKind.FORUM

    @abstractmethod
    def detect(self, page: Page) -> float:
        """Confidence (0..1) that this engine wrote the page."""

    @abstractmethod
    def parse(self, page: Page) -> ParsedPage:
        """The page's posts in page order; an empty list when none are recognisable."""


class HtmlOrTextEngine(Engine):
    """An engine with one reader for HTML pages and one for text pages.

    `detect` and `parse` hand a page to the reader for its format. HTML that lxml cannot
    read at all (`Page.tree` raises CorruptInputError) scores 0 and parses to no posts, with
    the error as the page's warning, unless `guards_markup` is False: then the error
    reaches the caller.
    """

    guards_markup: ClassVar[bool] = True

    @abstractmethod
    def detect_html(self, page: Page) -> float:
        """Confidence (0..1) that this engine wrote an HTML page."""

    @abstractmethod
    def detect_text(self, page: Page) -> float:
        """Confidence (0..1) that this engine wrote a text page."""

    @abstractmethod
    def parse_html(self, page: Page) -> ParsedPage:
        """An HTML page's posts in page order."""

    @abstractmethod
    def parse_text(self, page: Page) -> ParsedPage:
        """A text page's posts in page order."""

    def detect(self, page: Page) -> float:
        """Confidence (0..1) from the reader for the page's format."""
        if not page.is_html:
            return self.detect_text(page)
        try:
            return self.detect_html(page)
        except CorruptInputError:  # markup lxml cannot read at all
            if not self.guards_markup:
                raise
            return 0.0

    def parse(self, page: Page) -> ParsedPage:
        """The page's posts in page order, from the reader for its format."""
        if not page.is_html:
            return self.parse_text(page)
        try:
            return self.parse_html(page)
        except CorruptInputError as exc:  # markup lxml cannot read at all: no posts
            if not self.guards_markup:
                raise
            return ParsedPage(self.name, self.kind, None, [], warnings=[str(exc)])


# ---------------------------------------------------------------- shared text helpers
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def clean_line(line: str) -> str:
    """A line with zero-width characters removed and whitespace runs collapsed to one space."""
    # Zero-width characters are not ASCII; searching before substituting keeps the common
    # case (none in the line) cheap. Engines call this on most lines and elements.
    if not line.isascii() and _ZERO_WIDTH.search(line):
        line = _ZERO_WIDTH.sub("", line)
    return " ".join(line.split())


def indent_width(line: str) -> int:
    """How far a raw line is indented (spaces, tabs and no-break spaces)."""
    return len(line) - len(line.lstrip(" \t\xa0"))


_LYNX_REFS = re.compile(r"\n[^\S\n]*(?:References|Visible links:?)\n\n?[^\S\n]*1\. \S+\n")
_LYNX_MARK = re.compile(r"\[\d{1,6}\]")


def unlynx(text: str) -> str:
    """A `lynx -dump` page without its link numbers ("[12]") and its list of references."""
    refs = _LYNX_REFS.search(text)
    if refs is None:
        return text
    return _LYNX_MARK.sub("", text[: refs.start()])


def join_paragraphs(lines: list[str]) -> str:
    """Lines → text: consecutive non-empty lines joined by newlines, blank runs → one blank line."""
    out: list[str] = []
    blank = False
    for line in lines:
        text = line.rstrip()
        if not text.strip():
            blank = bool(out)
            continue
        if blank:
            out.append("")
            blank = False
        out.append(text.strip())
    return "\n".join(out)


def element_text(element: object) -> str:
    """Visible text of an lxml element with block elements as line breaks (no scripts/styles)."""
    assert isinstance(element, etree._Element)
    block = {
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "blockquote",
        "pre",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "table",
        "section",
        "article",
        "aside",
        "header",
        "footer",
        "dd",
        "dt",
        "hr",
    }
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        raw_tag: object = getattr(node, "tag", "")  # comments and PIs have a function here
        tag = raw_tag if isinstance(raw_tag, str) else ""
        if tag in ("script", "style", "noscript", "template"):
            if node.tail:
                parts.append(node.tail)
            return
        if tag in block:
            parts.append("\n")
        if node.text and tag:
            parts.append(node.text)
        for child in node:
            walk(child)
        if tag in block:
            parts.append("\n")
        if node.tail:
            parts.append(node.tail)

    root_tail = element.tail
    element.tail = None
    try:
        walk(element)
    finally:
        element.tail = root_tail
    lines = [clean_line(x) for x in "".join(parts).split("\n")]
    return join_paragraphs(lines)
