"""IPS topic pages from HTML: `article.cPost` (IPS 4) or `div.post_block` (IPS 3).

The markup carries the structure: `blockquote.ipsQuote` for quotes, `[data-excludequote]`
for the edit note, `li.ipsReact_reactCount` for reactions.
"""

from __future__ import annotations

import copy
import json
import re
from typing import TYPE_CHECKING

from labeler.ingest.engines.base import clean_line, element_text
from labeler.ingest.engines.invision.shapes import POSTED, edited_by, quote_header, time_prefix
from labeler.ingest.model import PageKind, ParsedPage, ParsedPost, ParsedQuote
from labeler.ingest.page import Page

if TYPE_CHECKING:
    from lxml.html import HtmlElement


def _cls(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _first(element: HtmlElement, xpath: str) -> HtmlElement | None:
    found = element.xpath(xpath)
    return found[0] if found else None


def _text(element: HtmlElement | None) -> str:
    """An element's text on one line."""
    return " ".join(clean_line(element.text_content()).split()) if element is not None else ""


def _drop(element: HtmlElement) -> None:
    """Remove an element but keep the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


_POST_XPATH = (
    f"//article[{_cls('cPost')} or {_cls('ipsComment')} or {_cls('ipsEntry')}]"
    "[.//*[@data-role='commentContent']]"
    f" | //div[{_cls('post_block')}][.//div[{_cls('post_body')}]]"
)
_QUOTE_XPATH = (
    f".//blockquote[{_cls('ipsQuote')} or {_cls('ipsBlockquote')} or @data-ipsquote]"
    f"[not(ancestor::blockquote[{_cls('ipsQuote')} or {_cls('ipsBlockquote')} or @data-ipsquote]"
    "[ancestor::*[@data-iq-root]])]"
)


def _top_quotes(content: HtmlElement) -> list[HtmlElement]:
    """The quotes directly in `content` (not nested in another quote of it)."""
    content.set("data-iq-root", "1")
    try:
        return list(content.xpath(_QUOTE_XPATH))
    finally:
        del content.attrib["data-iq-root"]


def _html_quote(element: HtmlElement) -> ParsedQuote:
    citation = _first(element, f"./*[{_cls('ipsQuote_citation')} or {_cls('citation')}] | ./cite")
    header = quote_header(_text(citation)) if citation is not None else None
    author = element.get("data-ipsquote-username") or element.get("data-author")
    author = author or element.get("data-cite") or (header[0] if header else None)
    time_text = header[1] if header else None
    if citation is not None:
        _drop(citation)
    nested = [_html_quote(q) for q in _top_quotes(element)]
    for q in _top_quotes(element):
        _drop(q)
    return ParsedQuote((author or "").strip() or None, element_text(element), time_text, nested)


def _reactions(post: HtmlElement) -> list[tuple[str, int]]:
    out = []
    for item in post.xpath(f".//li[{_cls('ipsReact_reactCount')}]"):
        name = item.xpath("string(.//img/@alt)") or item.xpath("string(.//*[@title][1]/@title)")
        count = re.findall(r"\d+", item.text_content().replace(",", ""))
        if name and count:
            out.append((clean_line(name), int(count[-1])))
    if out:
        return out
    count_only = _first(post, ".//*[@data-role='reactCountText']")
    points = _first(post, f".//*[{_cls('rep_show')} or {_cls('ipsReputation_count')}]")
    for element in (count_only, points):
        value = re.fullmatch(r"[+-]?\d+", _text(element).replace(",", ""))
        if value and element is not None:
            return [("points", int(value[0]))]
    likes = _first(post, f".//*[{_cls('ipsLikeBar_info')} or {_cls('ipsReact_overview')}]")
    total = _count_names(_text(likes))
    return [("total", total)] if total else []


def _count_names(text: str) -> int:
    """People named in "A, B and 3 others like this" (3 + 2 = 5)."""
    m = re.fullmatch(r"(?P<names>.+?)\s+(?:likes?|reacted to) this\.?", text)
    if not m:
        return 0
    names = m["names"]
    others = re.search(r"(\d[\d,]*)\s+others?", names)
    extra = int(others[1].replace(",", "")) if others else 0
    if others:
        names = names[: others.start()]
    named = [n for n in re.split(r",\s*|\s+and\s+", names) if n.strip()]
    return len(named) + extra


_EDIT_XPATH = f".//*[@data-excludequote] | .//p[{_cls('edit')} or {_cls('ipsEdited')}]"


def _edit_note(content: HtmlElement, post: HtmlElement) -> tuple[str | None, str | None]:
    """(editor, whole note) from the edit line (IPS 4: in the content, removed; IPS 3: below)."""
    inside = content.xpath(_EDIT_XPATH)
    for note in inside or post.xpath(f".//p[{_cls('edit')}]"):
        text = element_text(note)
        first = _text(_first(note, ".//strong")) or (text.splitlines()[0] if text else "")
        if inside:
            _drop(note)  # content is a copy; the page's tree stays as it was
        name = edited_by(first)
        if name:
            return name, " ".join(text.split())
    return None, None


def _html_author(post: HtmlElement) -> str | None:
    for xpath in (
        f".//aside//*[{_cls('cAuthorPane_author')}]",
        f".//*[{_cls('cAuthorPane_author')}]",
        f".//*[{_cls('author')} and {_cls('vcard')}]",
        ".//*[@itemprop='author']//*[@itemprop='name']",
        f".//*[{_cls('ipsEntry__username')} or {_cls('ipsEntry__author-name')}]",
    ):
        name = _text(_first(post, xpath))
        if name:
            return name
    data = _first(post, ".//*[@data-quotedata]")
    if data is not None:
        try:
            quoted = json.loads(data.get("data-quotedata") or "{}")
        except ValueError:
            return None
        username = quoted.get("username") if isinstance(quoted, dict) else None
        return str(username) if username else None
    return None


def _html_time(post: HtmlElement) -> str | None:
    for xpath in (
        f".//*[{_cls('ipsComment_meta')}]//time",
        ".//time[not(ancestor::*[@data-role='commentContent'])]",
        f".//abbr[{_cls('published')}]",
    ):
        text = _text(_first(post, xpath))
        if text:
            return text
    posted = _text(_first(post, f".//*[{_cls('posted_info')}]"))
    m = POSTED.match(posted)
    return (time_prefix(m["rest"]) or m["rest"]) if m else None


_CONTENT_XPATH = (
    f".//*[@data-role='commentContent'] | .//*[{_cls('post')} and {_cls('entry-content')}]"
)


def _html_post(post: HtmlElement) -> ParsedPost | None:
    content = _first(post, _CONTENT_XPATH)
    if content is None:
        return None
    content = copy.deepcopy(content)
    editor, note = _edit_note(content, post)
    quotes = [_html_quote(q) for q in _top_quotes(content)]
    for q in _top_quotes(content):
        _drop(q)
    signature = _first(post, f".//*[@data-role='memberSignature'] | .//*[{_cls('signature')}]")
    sig_text = None
    if signature is not None:
        signature = copy.deepcopy(signature)
        for menu in signature.xpath(f".//*[{_cls('ipsPos_right')}]"):
            _drop(menu)
        sig_text = element_text(signature) or None
    number = re.search(r"#(\d+)", _text(_first(post, f".//*[{_cls('post_id')}]")))
    return ParsedPost(
        body=element_text(content),
        author=_html_author(post),
        time_text=_html_time(post),
        quotes=quotes,
        reactions=_reactions(post),
        edited_by=editor,
        edited_text=note,
        signature=sig_text,
        post_number=int(number[1]) if number else None,
        user_title=_text(_first(post, f".//li[@data-role='group'] | .//*[{_cls('group_title')}]"))
        or None,
    )


def _html_title(tree: HtmlElement) -> str | None:
    for xpath in (
        f"//h1[{_cls('ipsType_pageTitle')} or {_cls('ipsType_pagetitle')}]",
        "//meta[@property='og:title']/@content",
        "//title",
    ):
        found = tree.xpath(xpath)
        if found:
            value = found[0] if isinstance(found[0], str) else found[0].text_content()
            if clean_line(value):
                return clean_line(value)
    return None


def parse_html(page: Page) -> ParsedPage:
    """Posts, title and canonical URL of an IPS topic page from its markup."""
    tree = page.tree
    posts = [p for p in map(_html_post, tree.xpath(_POST_XPATH)) if p is not None]
    url = tree.xpath("string(//link[@rel='canonical']/@href)") or tree.xpath(
        "string(//meta[@property='og:url']/@content)"
    )
    return ParsedPage("invision", PageKind.FORUM, _html_title(tree), posts, url=url or None)
