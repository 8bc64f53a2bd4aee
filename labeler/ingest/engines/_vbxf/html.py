"""vBulletin and XenForo HTML: elements by class name, and text as a text browser prints it."""

from __future__ import annotations

import copy
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import lxml.html
from lxml import etree

from labeler.ingest.engines._vbxf.lines import clean
from labeler.ingest.engines.base import join_paragraphs

if TYPE_CHECKING:
    from lxml.html import HtmlElement


_BLOCK_TAGS = frozenset(
    (
        "p", "div", "li", "ul", "ol", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
        "table", "section", "article", "aside", "header", "footer", "dd", "dt", "dl", "hr",
        "figure", "figcaption",
    )
)  # fmt: skip


def by_class(root: HtmlElement, cls: str, tag: str = "*") -> list[HtmlElement]:
    """Descendants of `root` (or root itself) whose class list holds `cls`."""
    return [
        e
        for e in root.iter(tag if tag != "*" else etree.Element)
        if cls in (e.get("class") or "").split()
    ]


def first_class(root: HtmlElement, *classes: str) -> HtmlElement | None:
    """The first descendant carrying any of `classes` (earlier classes win)."""
    found: dict[str, HtmlElement] = {}
    wanted = set(classes)
    for e in root.iter(etree.Element):
        names = (e.get("class") or "").split()
        for name in names:
            if name in wanted and name not in found:
                found[name] = e
        if classes[0] in found:
            break
    return next((found[c] for c in classes if c in found), None)


def find(
    root: HtmlElement, classes: tuple[str, ...], ids: tuple[str, ...] = ()
) -> dict[str, list[HtmlElement]]:
    """Elements under root by class name (and "#prefix" for id prefixes), in one walk."""
    out: dict[str, list[HtmlElement]] = defaultdict(list)
    wanted = frozenset(classes)
    for e in root.iter(etree.Element):
        names = e.get("class")
        if names:
            for name in names.split():
                if name in wanted:
                    out[name].append(e)
        ident = e.get("id") if ids else None
        if ident:
            for prefix in ids:
                if ident.startswith(prefix):
                    out["#" + prefix].append(e)
    return out


def pick(found: dict[str, list[HtmlElement]], *keys: str) -> HtmlElement | None:
    """The first element found under the first of `keys` that has any."""
    for key in keys:
        if found.get(key):
            return found[key][0]
    return None


def text_or_none(element: HtmlElement | None) -> str | None:
    """`html_text` of an element, None for no element or no text."""
    return (html_text(element) or None) if element is not None else None


def drop(element: HtmlElement) -> None:
    """Remove an element from a (copied) tree, keeping its tail text, leaving a paragraph break."""
    parent = element.getparent()
    if parent is None:
        return
    rule = lxml.html.Element("hr")
    rule.tail = element.tail
    parent.replace(element, rule)


def html_text(
    element: HtmlElement,
    *,
    without: Iterable[str] = (),
    drop_if: Callable[[HtmlElement], bool] | None = None,
) -> str:
    """Visible text of an element as a text browser prints it: <br> is a line break, blocks
    are paragraphs, images show their alt text; elements with a class in `without`, or for
    which `drop_if` holds, are left out."""
    root = copy.deepcopy(element)
    root.tail = None
    unwanted = set(without)
    doomed = [
        e
        for e in root.iterdescendants(etree.Element)
        if (unwanted and unwanted.intersection((e.get("class") or "").split()))
        or (drop_if is not None and drop_if(e))
    ]
    for found in doomed:
        drop(found)
    parts: list[str] = []
    _walk(root, parts)
    lines = [clean(x) for x in "".join(parts).split("\n")]
    return join_paragraphs(lines)


def _walk(node: HtmlElement, parts: list[str]) -> None:
    tag = node.tag if isinstance(node.tag, str) else ""
    if tag in ("script", "style", "noscript", "template", "svg", "button", "input", "select"):
        if node.tail:
            parts.append(node.tail.replace("\n", " "))
        return
    if tag == "br":
        parts.append("\n")
    elif tag == "img":
        parts.append(_image_text(node))
    elif tag == "hr":
        parts.append("\n\n")
    elif tag in _BLOCK_TAGS:
        parts.append("\n")
    if node.text and tag:
        parts.append(node.text.replace("\n", " ") if tag != "pre" else node.text)
    for child in node:
        _walk(child, parts)
    if tag in _BLOCK_TAGS:
        parts.append("\n")
    if node.tail:
        parts.append(node.tail.replace("\n", " "))


def _image_text(img: HtmlElement) -> str:
    alt = (img.get("alt") or "").strip()
    if alt:
        return alt
    src = (img.get("src") or "").split("?")[0]
    if not src or src.startswith("data:"):
        return ""
    stem = src.rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return f"[{stem}]" if stem else ""


def meta_url(tree: HtmlElement) -> str | None:
    """The page's own address (og:url, canonical link) when it is absolute."""
    for value in tree.xpath("//meta[@property='og:url']/@content | //link[@rel='canonical']/@href"):
        text = str(value).strip()
        if text.startswith(("http://", "https://")):
            return text
    return None


def post_number(text: str | None) -> int | None:
    """7 from "#7" (or "7")."""
    m = re.search(r"#?\s*(\d+)", text or "")
    return int(m.group(1)) if m else None
