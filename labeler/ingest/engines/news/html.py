"""HTML articles: trafilatura finds the article text, our own lines keep the page's order.

We render the page's blocks as lines (as w3m would print them) and mark the lines trafilatura
kept, so the rows keep what it drops between kept lines as flagged rows, and the text rules
apply where it fails or is not installed. Title candidates, URL and site name come from its
metadata and the page's meta tags.
"""

from __future__ import annotations

import re
from copy import deepcopy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lxml import etree

from labeler.ingest.engines.base import clean_line, element_text
from labeler.ingest.engines.news.lines import BULLET, TERMINATOR, Line, text_lines

if TYPE_CHECKING:
    from labeler.ingest.page import Page

_TOKEN = re.compile(r"\w+")
_XML_BLOCKS = frozenset(
    {"p", "head", "item", "list", "quote", "row", "cell", "table", "code", "lb"}
)


@dataclass(slots=True)
class Extract:
    """What trafilatura kept: its lines (normalised) and the page metadata."""

    lines: set[str] = field(default_factory=set)
    text: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    warning: str | None = None


def extract(html: str) -> Extract:
    """Run trafilatura on an HTML string (no network); its kept lines and metadata."""
    try:
        # Imported on first use: it is slow to import and only HTML articles need it.
        import trafilatura  # noqa: PLC0415

        xml = trafilatura.extract(
            html,
            output_format="xml",
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            deduplicate=False,
        )
    except Exception as exc:  # a third-party extractor on untrusted markup: report, fall back
        return Extract(warning=f"trafilatura failed ({type(exc).__name__}); text heuristics used")
    if not xml:
        return Extract()
    doc = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(recover=True, huge_tree=True))
    if doc is None:
        return Extract()
    parts: list[str] = []
    for main in doc.iter("main"):
        _xml_text(main, parts)
    lines = [clean_line(x) for x in "".join(parts).split("\n")]
    kept = [x for x in lines if x]
    meta = {str(k): clean_line(str(v)) for k, v in doc.attrib.items() if str(v).strip()}
    return Extract(set(kept), " ".join(kept), meta)


def _xml_text(node: etree._Element, parts: list[str]) -> None:
    """Append the text under an extractor XML node, a line break around each block."""
    block = node.tag in _XML_BLOCKS
    if block:
        parts.append("\n")
    parts.append(node.text or "")
    for child in node:
        _xml_text(child, parts)
        parts.append(child.tail or "")
    if block:
        parts.append("\n")


def render(page: Page) -> str:
    """The page body as text, one block per line, list items with a bullet (as w3m prints)."""
    root = page.tree
    body = root.find("body")
    copy = deepcopy(root if body is None else body)  # the page's tree is shared: never edit it
    for item in copy.iter("li"):
        item.text = "\u2022 " + (item.text or "")
    return element_text(copy)


def rendered_lines(page: Page, limit: int | None = None) -> list[Line]:
    """The page rendered and classified, its first `limit` lines (all by default)."""
    return text_lines(render(page).split("\n")[:limit], rendered=False)


def html_lines(page: Page) -> tuple[list[Line], Extract]:
    """The page's blocks as lines, those trafilatura kept marked as content."""
    lines = rendered_lines(page)
    ext = extract(page.text)
    exact = [i for i, x in enumerate(lines) if _kept(x, ext.lines)]
    anchors = [i for i in exact if len(lines[i].text) >= 25] or exact
    if anchors:
        vocabulary = set(_TOKEN.findall(ext.text.casefold()))
        for i in range(anchors[0], anchors[-1] + 1):
            line = lines[i]
            line.content = _kept(line, ext.lines) or _contained(line, ext.text, vocabulary)
    return lines, ext


def _kept(line: Line, kept: set[str]) -> bool:
    """The line is one the extractor kept (list items: with or without our bullet)."""
    if line.text in kept:
        return True
    return line.shape == "item" and BULLET.sub("", line.text, count=1) in kept


def _contained(line: Line, text: str, vocabulary: set[str]) -> bool:
    """True when a rendered line is (nearly) text the extractor kept, spacing aside."""
    if len(line.text) < 25:
        return False
    if len(text) <= 1_000_000 and line.text in text:
        return True
    tokens = _TOKEN.findall(line.text.casefold())
    return line.shape == "prose" and sum(t in vocabulary for t in tokens) >= 0.9 * len(tokens)


def html_body(lines: list[Line]) -> tuple[int, int] | None:
    """From the first to the last line the extractor kept, cut at a link-list heading that
    follows the last paragraph it kept."""
    marked = [i for i, line in enumerate(lines) if line.content]
    if not marked:
        return None
    prose = [i for i in marked if lines[i].shape == "prose"] or marked
    for i in range(prose[-1] + 1, marked[-1] + 1):
        if TERMINATOR.match(lines[i].text):
            return marked[0], max(j for j in marked if j < i) + 1
    return marked[0], marked[-1] + 1


def meta(page: Page, ext: Extract) -> dict[str, str]:
    """Title candidates, URL and site name from the extractor and the page's meta tags."""
    root = page.tree
    found = dict(ext.meta)
    for key, xpath in (
        ("og_title", "//meta[@property='og:title']/@content"),
        ("h1", "//h1"),
        ("url", "//link[@rel='canonical']/@href"),
        ("url", "//meta[@property='og:url']/@content"),
        ("sitename", "//meta[@property='og:site_name']/@content"),
    ):
        if found.get(key):
            continue
        values = root.xpath(xpath)
        if values:
            first = values[0]
            text = first if isinstance(first, str) else element_text(first)
            if text.strip():
                found[key] = clean_line(text)
    return found
