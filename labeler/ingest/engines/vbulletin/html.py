"""vBulletin HTML pages: vB4 li.postcontainer, vB5 li.b-post, vB3 table#postN.

Posts are read by class name (postcounter, username, usertitle, signaturecontainer, ...)
and, for vB3, by element ids (post_message_N, postmenu_N, td_post_N).
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
    post_number,
    text_or_none,
)
from labeler.ingest.engines._vbxf.lines import DATE_START, SIGNATURE_RULE, TIME_RE, clean
from labeler.ingest.engines.html_tools import has_class, outermost
from labeler.ingest.engines.vbulletin.shapes import EDIT_NOTE, QUOTE_HEAD
from labeler.ingest.model import PageKind, ParsedPage, ParsedPost, ParsedQuote

if TYPE_CHECKING:
    from lxml.html import HtmlElement


_THANKS = re.compile(r"(?i)the following (\d+) users? says? thank you to .+ for this useful post")


def parse_html(tree: HtmlElement, engine: str) -> ParsedPage:
    """The thread's title, address and posts from its markup."""
    posts = [p for p in (_html_post(box) for box in _html_boxes(tree)) if p is not None]
    return ParsedPage(
        engine=engine,
        kind=PageKind.FORUM,
        title=_html_title(tree),
        posts=posts,
        url=meta_url(tree),
    )


def _html_boxes(tree: HtmlElement) -> list[HtmlElement]:
    """Post containers: vB4 li.postcontainer, vB5 li.b-post, vB3 table#postN."""
    vb4 = by_class(tree, "postcontainer")
    if vb4:
        return vb4
    vb5 = [e for e in by_class(tree, "b-post", "li") if e.get("data-node-id")]
    if vb5:
        return vb5
    return [
        e
        for e in tree.xpath("//table[starts-with(@id, 'post')] | //div[starts-with(@id, 'post')]")
        if re.fullmatch(r"post\d+", e.get("id") or "")
        and e.xpath(".//*[starts-with(@id, 'post_message_')]")
    ]


def _html_title(tree: HtmlElement) -> str | None:
    found = first_class(tree, "threadtitle")
    if found is not None:
        return html_text(found) or None
    for value in tree.xpath("//meta[@property='og:title']/@content | //title/text()"):
        text = clean(str(value)).split(" - ")[0].strip()
        if text:
            return text
    return None


_CLASSES = (
        "postcounter", "b-post__count", "date", "b-post__timestamp", "postdate", "thead",
        "username", "bigusername", "author", "usertitle", "signaturecontainer", "signature",
        "post-signature", "lastedited", "edit-info", "b-post__edit", "js-post__content-text",
        "postcontent", "title", "b-post__title",
)  # fmt: skip
_IDS = ("post_message_", "postcount", "postmenu_", "td_post_", "post_thanks_box")


def _html_post(box: HtmlElement) -> ParsedPost | None:
    found = find(box, _CLASSES, _IDS)
    content = pick(found, "#post_message_", "js-post__content-text", "postcontent")
    if content is None:
        return None
    post = ParsedPost(
        body=html_text(content, drop_if=_is_quote_box),
        author=text_or_none(pick(found, "username", "bigusername", "author", "#postmenu_")),
        time_text=_html_time(found),
        quotes=[_html_quote(q) for q in _quote_boxes(content)],
        user_title=text_or_none(pick(found, "usertitle")) or _vb3_user_title(found),
        subject=_html_subject(found),
    )
    counter = pick(found, "postcounter", "b-post__count")
    post.post_number = post_number(
        html_text(counter) if counter is not None else _vb3_number(found)
    )
    signature = pick(found, "signaturecontainer", "signature", "post-signature")
    post.signature = text_or_none(signature) or _vb3_sig(found)
    note = text_or_none(pick(found, "lastedited", "edit-info", "b-post__edit"))
    note = re.sub(r"^(?:\[[^\]]{0,40}\]\s*)+", "", note or _vb3_edit(found) or "")
    if note:
        m = EDIT_NOTE.match(note)
        post.edited_text = note
        post.edited_by = m.group("editor").strip() if m else None
    thanks = _THANKS.search(text_or_none(pick(found, "#post_thanks_box")) or "")
    if thanks:
        post.reactions = [("Thanks", int(thanks.group(1)))]
    return post


def _html_time(found: dict[str, list[HtmlElement]]) -> str | None:
    text = text_or_none(pick(found, "date", "b-post__timestamp", "postdate", "thead")) or ""
    m = next((t for t in TIME_RE.finditer(text) if DATE_START.match(t.group())), None)
    return m.group() if m else (text or None)


def _html_subject(found: dict[str, list[HtmlElement]]) -> str | None:
    heads = [e for e in found.get("title", []) if e.tag == "h2"] + found.get("b-post__title", [])
    for cell in found.get("#td_post_", [])[:1]:
        heads += cell.xpath("./div[contains(@class, 'smallfont')]/strong")
    for head in heads:
        text = html_text(head)
        if text:
            return text
    return None


def _vb3_number(found: dict[str, list[HtmlElement]]) -> str | None:
    for link in found.get("#postcount", []):
        if link.get("name"):
            return str(link.get("name"))
    return None


def _vb3_user_title(found: dict[str, list[HtmlElement]]) -> str | None:
    menus = found.get("#postmenu_", [])
    after = (
        menus[0].xpath("following-sibling::div[contains(@class, 'smallfont')][1]") if menus else []
    )
    text = html_text(after[0]) if after else ""
    return text if text and ":" not in text and "Avatar" not in text else None


def _vb3_sig(found: dict[str, list[HtmlElement]]) -> str | None:
    for cell in found.get("#td_post_", [])[:1]:
        for div in cell.xpath("./div"):
            text = html_text(div)
            if SIGNATURE_RULE.match(text.split("\n", 1)[0].strip()):
                return text.split("\n", 1)[1].strip() if "\n" in text else None
    return None


def _vb3_edit(found: dict[str, list[HtmlElement]]) -> str | None:
    for cell in found.get("#td_post_", [])[:1]:
        for em in cell.xpath(".//em"):
            text = html_text(em)
            if EDIT_NOTE.match(text):
                return text
    return None


def _is_quote_box(element: HtmlElement) -> bool:
    """vB4/5 div.bbcode_quote, or vB3's div holding "Quote:" and a table."""
    if has_class(element, "bbcode_quote"):
        return True
    if element.tag != "div":
        return False
    kids = [c for c in element if isinstance(c.tag, str)]
    return (
        len(kids) >= 2
        and kids[0].tag == "div"
        and clean(kids[0].text_content()).lower().startswith("quote")
        and any(c.tag == "table" for c in kids[1:])
    )


def _quote_boxes(root: HtmlElement) -> list[HtmlElement]:
    """Outermost quote containers under root."""
    return outermost(root, _is_quote_box)


def _html_quote(box: HtmlElement) -> ParsedQuote:
    head = first_class(box, "bbcode_postedby")
    if head is None:
        cells = box.xpath(".//td")
        rows = [c for c in cells[0] if isinstance(c.tag, str)] if cells else []
        if rows and "originally posted by" in clean(rows[0].text_content()).lower():
            head = rows[0]
    message = first_class(box, "message")
    if message is None:
        message = (box.xpath(".//td") or [box])[0]
    author = None
    if head is not None:
        strong = head.xpath(".//strong")
        author = html_text(strong[0]) if strong else None
        if not author:
            m = QUOTE_HEAD.match(clean(head.text_content()))
            author = m.group("author") if m else None
    nested = [_html_quote(q) for q in _quote_boxes(message)]
    text = html_text(message, drop_if=lambda e: _is_quote_box(e) or _same(e, head))
    return ParsedQuote(author or None, text, None, nested)


def _same(element: HtmlElement, other: HtmlElement | None) -> bool:
    """True when a copied element is the quote header (same tag, class and text)."""
    return (
        other is not None
        and element.tag == other.tag
        and element.get("class") == other.get("class")
        and clean(element.text_content()) == clean(other.text_content())
    )
