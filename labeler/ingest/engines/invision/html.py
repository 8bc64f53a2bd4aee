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
from labeler.ingest.engines.html_tools import first_hit, first_text, text_of, with_class
from labeler.ingest.engines.invision.shapes import POSTED, edited_by, quote_header, time_prefix
from labeler.ingest.model import PageKind, ParsedPage, ParsedPost, ParsedQuote
from labeler.ingest.page import Page

if TYPE_CHECKING:
    from lxml.html import HtmlElement


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
    f"//article[{with_class('cPost')} or {with_class('ipsComment')} or {with_class('ipsEntry')}]"
    "[.//*[@data-role='commentContent']]"
    f" | //div[{with_class('post_block')}][.//div[{with_class('post_body')}]]"
)
_QUOTE_BOX = f"{with_class('ipsQuote')} or {with_class('ipsBlockquote')} or @data-ipsquote"
_QUOTE_XPATH = (
    f".//blockquote[{_QUOTE_BOX}]"
    f"[not(ancestor::blockquote[{_QUOTE_BOX}][ancestor::*[@data-iq-root]])]"
)


def _top_quotes(content: HtmlElement) -> list[HtmlElement]:
    """The quotes directly in `content` (not nested in another quote of it)."""
    content.set("data-iq-root", "1")
    try:
        return list(content.xpath(_QUOTE_XPATH))
    finally:
        del content.attrib["data-iq-root"]


def _html_quote(element: HtmlElement) -> ParsedQuote:
    citation = first_hit(
        element, f"./*[{with_class('ipsQuote_citation')} or {with_class('citation')}] | ./cite"
    )
    header = quote_header(text_of(citation)) if citation is not None else None
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
    for item in post.xpath(f".//li[{with_class('ipsReact_reactCount')}]"):
        name = item.xpath("string(.//img/@alt)") or item.xpath("string(.//*[@title][1]/@title)")
        count = re.findall(r"\d+", item.text_content().replace(",", ""))
        if name and count:
            out.append((clean_line(name), int(count[-1])))
    if out:
        return out
    count_only = first_hit(post, ".//*[@data-role='reactCountText']")
    points = first_hit(
        post, f".//*[{with_class('rep_show')} or {with_class('ipsReputation_count')}]"
    )
    for element in (count_only, points):
        value = re.fullmatch(r"[+-]?\d+", text_of(element).replace(",", ""))
        if value and element is not None:
            return [("points", int(value[0]))]
    likes = first_hit(
        post, f".//*[{with_class('ipsLikeBar_info')} or {with_class('ipsReact_overview')}]"
    )
    total = _count_names(text_of(likes))
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


_EDIT_XPATH = f".//*[@data-excludequote] | .//p[{with_class('edit')} or {with_class('ipsEdited')}]"


def _edit_note(content: HtmlElement, post: HtmlElement) -> tuple[str | None, str | None]:
    """(editor, whole note) from the edit line (IPS 4: in the content, removed; IPS 3: below)."""
    inside = content.xpath(_EDIT_XPATH)
    for note in inside or post.xpath(f".//p[{with_class('edit')}]"):
        text = element_text(note)
        first = text_of(first_hit(note, ".//strong")) or (text.splitlines()[0] if text else "")
        if inside:
            _drop(note)  # content is a copy; the page's tree stays as it was
        name = edited_by(first)
        if name:
            return name, " ".join(text.split())
    return None, None


def _html_author(post: HtmlElement) -> str | None:
    for xpath in (
        f".//aside//*[{with_class('cAuthorPane_author')}]",
        f".//*[{with_class('cAuthorPane_author')}]",
        f".//*[{with_class('author')} and {with_class('vcard')}]",
        ".//*[@itemprop='author']//*[@itemprop='name']",
        f".//*[{with_class('ipsEntry__username')} or {with_class('ipsEntry__author-name')}]",
    ):
        name = text_of(first_hit(post, xpath))
        if name:
            return name
    data = first_hit(post, ".//*[@data-quotedata]")
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
        f".//*[{with_class('ipsComment_meta')}]//time",
        ".//time[not(ancestor::*[@data-role='commentContent'])]",
        f".//abbr[{with_class('published')}]",
    ):
        text = text_of(first_hit(post, xpath))
        if text:
            return text
    posted = text_of(first_hit(post, f".//*[{with_class('posted_info')}]"))
    m = POSTED.match(posted)
    return (time_prefix(m["rest"]) or m["rest"]) if m else None


_CONTENT_XPATH = (
    ".//*[@data-role='commentContent']"
    f" | .//*[{with_class('post')} and {with_class('entry-content')}]"
)


def _html_post(post: HtmlElement) -> ParsedPost | None:
    content = first_hit(post, _CONTENT_XPATH)
    if content is None:
        return None
    content = copy.deepcopy(content)
    editor, note = _edit_note(content, post)
    quotes = [_html_quote(q) for q in _top_quotes(content)]
    for q in _top_quotes(content):
        _drop(q)
    signature = first_hit(
        post, f".//*[@data-role='memberSignature'] | .//*[{with_class('signature')}]"
    )
    sig_text = None
    if signature is not None:
        signature = copy.deepcopy(signature)
        for menu in signature.xpath(f".//*[{with_class('ipsPos_right')}]"):
            _drop(menu)
        sig_text = element_text(signature) or None
    number = re.search(r"#(\d+)", text_of(first_hit(post, f".//*[{with_class('post_id')}]")))
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
        user_title=text_of(
            first_hit(post, f".//li[@data-role='group'] | .//*[{with_class('group_title')}]")
        )
        or None,
    )


def _html_title(tree: HtmlElement) -> str | None:
    return first_text(
        tree,
        f"//h1[{with_class('ipsType_pageTitle')} or {with_class('ipsType_pagetitle')}]",
        "//meta[@property='og:title']/@content",
        "//title",
    )


def parse_html(page: Page) -> ParsedPage:
    """Posts, title and canonical URL of an IPS topic page from its markup."""
    tree = page.tree
    posts = [p for p in map(_html_post, tree.xpath(_POST_XPATH)) if p is not None]
    url = tree.xpath("string(//link[@rel='canonical']/@href)") or tree.xpath(
        "string(//meta[@property='og:url']/@content)"
    )
    return ParsedPage("invision", PageKind.FORUM, _html_title(tree), posts, url=url or None)
