"""Small lxml helpers the engines' HTML readers share: class tests, first hits, one-line text.

Engines read posts by class names and XPath; these answer the questions every reader asks
the same way (does an element carry a class, what is the first element an XPath finds, what
does it say on one line). How an engine renders a post body stays the engine's own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from labeler.ingest.engines.base import clean_line

if TYPE_CHECKING:
    from lxml.html import HtmlElement


def with_class(name: str) -> str:
    """XPath predicate: the element's class attribute holds the class `name`."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def has_class(element: HtmlElement, name: str) -> bool:
    """True when the element's class list holds `name`."""
    return name in (element.get("class") or "").split()


def first_hit(element: HtmlElement | None, *xpaths: str) -> HtmlElement | None:
    """The first element that the first matching XPath finds (None under no element)."""
    if element is None:
        return None
    for xpath in xpaths:
        found = element.xpath(xpath)
        if found:
            return found[0]
    return None


def text_of(element: HtmlElement | None) -> str:
    """An element's text on one line ("" for no element)."""
    return clean_line(element.text_content()) if element is not None else ""


def first_text(root: HtmlElement, *xpaths: str) -> str | None:
    """The one-line text of the first hit of the first XPath whose first hit has any: an
    element's text or an attribute value (`//meta/@content`)."""
    for xpath in xpaths:
        found = root.xpath(xpath)
        if found:
            hit = found[0]
            text = clean_line(hit if isinstance(hit, str) else hit.text_content())
            if text:
                return text
    return None


def outermost(root: HtmlElement, matches: Callable[[HtmlElement], bool]) -> list[HtmlElement]:
    """The elements under root that match, leaving out those inside another match."""
    found: list[HtmlElement] = []

    def walk(node: HtmlElement) -> None:
        for child in node:
            if not isinstance(child.tag, str):
                continue
            if matches(child):
                found.append(child)
            else:
                walk(child)

    walk(root)
    return found
