"""HTML pages: an element's text as a text renderer prints it, and lxml helpers.

Text renderers print <br> as a line break, block boundaries as one (<div>) or a blank line
(<p>), and an image as its alt text. Rendering never changes the tree.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from lxml import etree

from labeler.ingest.engines.base import join_paragraphs

if TYPE_CHECKING:
    from lxml.html import HtmlElement

MARK = "\ue000"  # stands where a quote was, so text around it splits into paragraphs


@cache
def _xpath(expr: str) -> etree.XPath:
    """A compiled XPath (compiling is most of the cost of a small query)."""
    return etree.XPath(expr)


def all_of(node: HtmlElement, expr: str) -> list[HtmlElement]:
    """What the XPath `expr` finds under node (compiled once per expression)."""
    found = _xpath(expr)(node)
    assert isinstance(found, list)
    return found


def first_of(node: HtmlElement, expr: str) -> HtmlElement | None:
    """The first element the XPath `expr` finds under node."""
    found = all_of(node, expr)
    return found[0] if found else None


def classes(node: HtmlElement) -> set[str]:
    """The element's CSS classes."""
    return set((node.get("class") or "").split())


# Text renderers print <br> as a line break, block boundaries as one (<div>) or a blank
# line (<p>), and an image as its alt text. Rendering never changes the tree: elements in
# `skip` are left out and elements in `marks` (quotes) print as a paragraph of their own.
_SOFT, _HARD = "\x01", "\x02"
_BLOCKS = frozenset({"div", "li", "dd", "dt", "tr", "cite", "center", "section", "article"})
_PARAGRAPHS = frozenset(
    {"p", "blockquote", "pre", "ul", "ol", "dl", "table", "h1", "h2", "h3", "h4", "h5", "h6", "hr"}
)
_SKIP = frozenset({"script", "style", "noscript", "template", "head"})
_SKIP_CLASSES = frozenset({"attachbox", "codetitle", "profile-icons", "post-buttons"})
_BREAK_RUN = re.compile(r"[\x01\x02\n](?:[ \t\xa0]*[\x01\x02\n])*")
_SPACES = re.compile(r"[ \t\xa0\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


class _Render:
    """One rendering: what to leave out, what stands for a quote, and the output."""

    __slots__ = ("marks", "out", "skip")

    def __init__(self, skip: set[HtmlElement], marks: set[HtmlElement]) -> None:
        self.skip = skip
        self.marks = marks
        self.out: list[str] = []

    def walk(self, node: HtmlElement, depth: int = 0, pre: bool = False) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if not tag or tag in _SKIP or node in self.skip or _furniture(node, tag):
            return
        if tag == "br":
            self.out.append("\n")
            return
        if node in self.marks:
            self.out.append(_HARD + MARK + _HARD)
            return
        if depth > 150:
            self.out.append(_flow(node.text_content(), pre))
            return
        pre = pre or tag in ("pre", "code")
        edge = _HARD if tag in _PARAGRAPHS else _SOFT if tag in _BLOCKS else ""
        self.out.append(edge)
        if tag == "img":
            self.out.append(node.get("alt") or "")
        self.out.append(_flow(node.text, pre))
        for child in node:
            self.walk(child, depth + 1, pre)
            self.out.append(_flow(child.tail, pre))
        self.out.append(edge)


def _furniture(node: HtmlElement, tag: str) -> bool:
    """Boxes that are nobody's text: "Code: Select all" over a code box, attachment lists."""
    if tag in ("div", "dl", "ul"):
        return not _SKIP_CLASSES.isdisjoint(classes(node))
    if tag not in ("dt", "p"):
        return False
    parent = node.getparent()
    return parent is not None and "codebox" in classes(parent)


def _flow(text: str | None, pre: bool) -> str:
    """Source line breaks are spaces in HTML, except in preformatted text."""
    if not text:
        return ""
    return text if pre else text.replace("\n", " ")


def _breaks(run: re.Match[str]) -> str:
    text = run.group()
    return "\n" * max(text.count("\n"), 2 if _HARD in text else 1)


def render_text(
    node: HtmlElement,
    skip: set[HtmlElement] | None = None,
    marks: set[HtmlElement] | None = None,
) -> str:
    """Visible text of a message part as a text renderer prints it."""
    render = _Render(skip or set(), marks or set())
    render.walk(node)
    text = _SPACES.sub(" ", _ZERO_WIDTH.sub("", _BREAK_RUN.sub(_breaks, "".join(render.out))))
    return join_paragraphs([("" if line.strip() == MARK else line) for line in text.split("\n")])
