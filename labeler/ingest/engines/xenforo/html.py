"""XenForo HTML pages: XF2 article.message--post, XF1 li.message, both with data-author.

Quotes are blockquote.bbCodeBlock--quote (XF2) or div.bbCodeQuote (XF1); reactions the
reactionsBar (XF2) or LikeText (XF1) names and "and N others".
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from labeler.ingest.engines._vbxf.html import (
    by_class,
    find,
    first_class,
    html_text,
    meta_url,
    pick,
    text_or_none,
)
from labeler.ingest.engines._vbxf.lines import clean
from labeler.ingest.engines._vbxf.tails import count_reactors
from labeler.ingest.engines.html_tools import has_class, outermost
from labeler.ingest.engines.xenforo.shapes import EDIT_NOTE, NUMBER, SAID
from labeler.ingest.model import PageKind, ParsedPage, ParsedPost, ParsedQuote

if TYPE_CHECKING:
    from lxml.html import HtmlElement


_QUOTE_CLASSES = ("bbCodeBlock--quote", "bbCodeQuote")
_OTHERS_HTML = re.compile(r"(?i)\band\s+(\d[\d,]*)\s+others?")


def parse_html(tree: HtmlElement, engine: str) -> ParsedPage:
    """The thread's title, address and posts from its markup."""
    boxes = tree.xpath(
        "//article[contains(concat(' ', @class, ' '), ' message ')][@data-author]"
        " | //li[contains(concat(' ', @class, ' '), ' message ')][@data-author]"
    ) or by_class(tree, "message--post", "article")
    posts = [p for p in (_html_post(box) for box in boxes) if p is not None]
    title = None
    heading = first_class(tree, "p-title-value", "titleBar")
    if heading is not None:
        title = html_text(heading).split("\n")[0] or None
    return ParsedPage(
        engine=engine, kind=PageKind.FORUM, title=title, posts=posts, url=meta_url(tree)
    )


def _is_quote(element: HtmlElement) -> bool:
    return any(has_class(element, cls) for cls in _QUOTE_CLASSES)


def _outer_quotes(root: HtmlElement) -> list[HtmlElement]:
    return outermost(root, _is_quote)


_CLASSES = (
        "bbWrapper", "messageText", "message-signature", "signature", "message-name", "username",
        "message-userTitle", "userTitle", "datePermalink", "u-dt", "DateTime",
        "message-attribution-opposite", "postNumber", "message-lastEdit", "editDate",
        "reactionsBar-link", "LikeText",
)  # fmt: skip


def _inside(element: HtmlElement, containers: list[HtmlElement]) -> bool:
    return any(a in containers for a in element.iterancestors())


def _html_body(found: dict[str, list[HtmlElement]]) -> HtmlElement | None:
    signatures = found.get("message-signature", []) + found.get("signature", [])
    for e in found.get("bbWrapper", []) + found.get("messageText", []):
        if e not in signatures and not _inside(e, signatures):
            return e
    return None


def _html_post(box: HtmlElement) -> ParsedPost | None:
    found = find(box, _CLASSES)
    body = _html_body(found)
    if body is None:
        return None
    post = ParsedPost(
        body=html_text(
            body, without=("messageTextEndMarker", "js-selectToQuoteEnd"), drop_if=_is_quote
        ),
        author=box.get("data-author") or text_or_none(pick(found, "message-name", "username")),
        user_title=text_or_none(pick(found, "message-userTitle", "userTitle")),
        time_text=text_or_none(pick(found, "datePermalink", "u-dt", "DateTime")),
        quotes=[_html_quote(q) for q in _outer_quotes(body)],
        post_number=_html_number(found),
        signature=text_or_none(pick(found, "message-signature", "signature")),
    )
    note = text_or_none(pick(found, "message-lastEdit", "editDate"))
    if note:
        m = EDIT_NOTE.match(note)
        editor = m.group("editor") if m else None
        post.edited_text = note
        post.edited_by = editor if editor and editor.lower() != "a moderator" else None
    post.reactions = _html_reactions(pick(found, "reactionsBar-link", "LikeText"))
    return post


def _html_number(found: dict[str, list[HtmlElement]]) -> int | None:
    links = [a for ul in found.get("message-attribution-opposite", []) for a in ul.iter("a")]
    for link in links + found.get("postNumber", []):
        m = NUMBER.match(clean(link.text_content()))
        if m:
            return int(m.group(1))
    return None


def _html_quote(box: HtmlElement) -> ParsedQuote:
    author = box.get("data-quote") or box.get("data-author")
    if not author:
        title = first_class(box, "bbCodeBlock-title", "attribution")
        m = SAID.match(html_text(title)) if title is not None else None
        author = m.group("author") if m else None
    content = first_class(box, "bbCodeBlock-expandContent", "quote", "bbCodeBlock-content")
    if content is None:
        content = box
    text = html_text(
        content,
        without=(
            "bbCodeBlock-title",
            "attribution",
            "bbCodeBlock-expandLink",
            "quoteExpand",
            "bbCodeBlock-shrinkLink",
        ),
        drop_if=_is_quote,
    )
    nested = [_html_quote(q) for q in _outer_quotes(content)]
    return ParsedQuote(author or None, text, None, nested)


def _html_reactions(link: HtmlElement | None) -> list[tuple[str, int]]:
    """("total", n) from "<bdi>A</bdi>, <bdi>B</bdi> and 3 others" (XF1: "... like this.")."""
    if link is None:
        return []
    names = link.xpath(".//bdi") or link.xpath(".//a[contains(@class, 'username')]")
    text = clean(link.text_content())
    if not names:
        return [("total", count_reactors(text))] if text else []
    m = _OTHERS_HTML.search(text)
    others = int(m.group(1).replace(",", "")) if m else 0
    return [("total", len(names) + others)]
