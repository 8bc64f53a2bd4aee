"""HTML pages: the parts of one post element (time, author, body, quotes, extras).

Microdata and the class names engines commonly use come first (`time`, itemprop author /
text / dateCreated, classes naming authors, dates, bodies, quotes, signatures, edits and
reactions); a short header-shaped text ("by X » date") is the fallback.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lxml import etree

from labeler.ingest.engines.base import clean_line, element_text, join_paragraphs
from labeler.ingest.engines.generic.drafts import Draft
from labeler.ingest.engines.generic.headers import header_shape, name_in_header
from labeler.ingest.engines.generic.html_groups import (
    Quoted,
    classes,
    is_inside,
    outer,
    outer_many,
    outer_quotes,
    tag,
    xml_safe,
)
from labeler.ingest.engines.generic.lines import EXPAND_TEXTS, SUBJECT, find_time, is_name_like
from labeler.ingest.engines.generic.notes import parse_edit_note, parse_reaction
from labeler.ingest.engines.generic.quotes import QuoteHeader, quote_head_from_text
from labeler.ingest.engines.html_tools import text_of
from labeler.ingest.model import ParsedQuote

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_TIME_CLASS = re.compile(
    r"(?:^|[-_])(?:post)?(?:date|time|timestamp|datetime|age|ago|posted|published|created)s?"
    r"(?:$|[-_])|timeago|postdate",
    re.I,
)
_DATE_PROPS = ("datecreated", "datepublished", "datemodified", "commenttime", "uploaddate")
_BODY_PROPS = ("text", "articlebody", "commenttext", "reviewbody")
_BODY_ID = re.compile(r"^(?:post_message|post-message|message|msg|comment|post)[-_]?\d+$", re.I)
_BODYISH = re.compile(
    r"content|body|text|message|commtext|bbwrapper|entry|usertext|richtext|comment-copy|cooked"
    r"|^md$|prose",
    re.I,
)
_NOT_BODY = re.compile(
    r"header|meta|footer|signature|avatar|title|info|(?:^|[-_])user(?:$|[-_])|author|date|time"
    r"|sidebar|nav|button|control|action|count|icon|reaction|like|vote|edit|quote|attribution"
    r"|profile|menu|popup|preview|tool|small",
    re.I,
)
_AUTHORISH = re.compile(
    r"author|username|user-name|user_name|hnuser|poster|nickname|byline|display-?name|^fn$"
    r"|[-_]name$|^name$|^nick$",
    re.I,
)
_NOT_AUTHOR = re.compile(r"avatar|title|filename|file-name|date|time|posters", re.I)
_QUOTE_HEADER_CLASS = re.compile(
    r"cite|attribution|postedby|quoteheader|quote-header|quote_header|title|author|header|^top",
    re.I,
)
_QUOTE_HEAD_SIBLING = re.compile(r"quote.?header|topslice", re.I)
_QUOTE_FOOTER = re.compile(r"quote.?footer|botslice", re.I)
_REACTISH = re.compile(r"like|reaction|score|points|vote|karma|thank|kudos", re.I)
_EDITISH = re.compile(r"edit|modified", re.I)
_SIGNATURE = re.compile("signature", re.I)
_TITLED = re.compile("title|subject", re.I)
_BY = re.compile(r"^(?:posted\s+)?by\s+", re.I)
_DISPLAY_NAME = re.compile(r"\s*\(.*\)$")


def remove(el: HtmlElement, keep_break: bool = False) -> None:
    """Take an element out of its tree (its tail text stays); optionally leave a line break."""
    parent = el.getparent()
    if parent is None:
        return
    if keep_break:
        marker = etree.Element("div")
        marker.tail = xml_safe(el.tail)
        parent.replace(el, marker)
        return
    try:
        el.drop_tree()
    except ValueError:  # a tail with control characters: lxml will not set it back as is
        tail = xml_safe(el.tail) or ""
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (xml_safe(previous.tail) or "") + tail
        else:
            parent.text = (xml_safe(parent.text) or "") + tail
        el.tail = None
        parent.remove(el)


# ---------------------------------------------------------------- time and author
def html_time(own: HtmlElement, quoted: Quoted) -> tuple[HtmlElement | None, str | None]:
    """The post's own time element and text as printed (never a quote's)."""
    found = _time_by_markup(own, quoted)
    if found[0] is not None:
        return found
    best: tuple[int, HtmlElement, str] | None = None
    for el in own.iter():
        if not tag(el) or el in quoted:
            continue
        raw = el.text_content() or ""
        if len(raw) > 400:
            continue
        text = clean_line(raw)
        shorter = len(text) <= 160 and (best is None or len(text) < best[0])
        if shorter and (shape := header_shape(text)):
            best = (len(text), el, shape.time_text)
    return (best[1], best[2]) if best else (None, None)


def _time_by_markup(own: HtmlElement, quoted: Quoted) -> tuple[HtmlElement | None, str | None]:
    for el in own.iter("time"):
        if el not in quoted:
            text = text_of(el)
            m = find_time(text)
            shown = m.group(0) if m else text or el.get("title") or el.get("datetime")
            if shown:
                return el, shown
    for el in own.iter():
        if not tag(el) or el in quoted:
            continue
        prop = (el.get("itemprop") or "").lower()
        if prop in _DATE_PROPS or any(_TIME_CLASS.search(c) for c in classes(el)):
            text = text_of(el)
            if len(text) <= 80 and (m := find_time(text)):
                return el, m.group(0)
    return None, None


def html_author(own: HtmlElement, quoted: Quoted) -> tuple[HtmlElement | None, str | None]:
    """The element naming the post's author, and the name."""
    for el in own.iter():
        if not tag(el) or el in quoted:
            continue
        if (el.get("itemprop") or "").lower() == "author":
            named = el.xpath(".//*[@itemprop='name']")
            text = _DISPLAY_NAME.sub("", text_of(named[0]) if named else text_of(el))
            if is_name_like(text):
                return el, text
        rel = (el.get("rel") or "").lower().split()
        authorish = "author" in rel or any(
            _AUTHORISH.search(c) and not _NOT_AUTHOR.search(c) for c in classes(el)
        )
        if authorish and (name := _name_in(el)):
            return el, name
    return None, None


def _name_in(el: HtmlElement) -> str | None:
    """The name an author element prints: its whole text, a header line, or a child's text."""
    text = _BY.sub("", element_text(el))
    if is_name_like(text):
        return text
    if len(text) <= 160 and "\n" not in text and (name := name_in_header(text)):
        return name
    for node in el.iterdescendants():
        if tag(node) and "\n" not in (sub := element_text(node)) and is_name_like(sub):
            return sub
    return None


def name_near(el: HtmlElement, own: HtmlElement) -> tuple[HtmlElement, str] | None:
    """A user name on the header line that holds the post's time (the time element or above)."""
    node: HtmlElement | None = el
    for _ in range(3):
        if node is None:
            return None
        text = text_of(node)
        if len(text) > 160:
            return None
        if name := name_in_header(text):
            return node, name
        if node is own:
            return None
        node = node.getparent()
    return None


# ---------------------------------------------------------------- body
def _bodyish(el: HtmlElement) -> bool:
    if (el.get("itemprop") or "").lower() in _BODY_PROPS:
        return True
    if _BODY_ID.match(el.get("id") or ""):
        return True
    if not any(_BODYISH.search(c) and not _NOT_BODY.search(c) for c in classes(el)):
        return False
    return not _mostly_links(el)


def _mostly_links(el: HtmlElement) -> bool:
    """A menu or link list rather than text (most of its text is link text)."""
    links = list(el.iter("a"))
    total = len(text_of(el))
    linked = sum(len(text_of(a)) for a in links)
    return len(links) >= 2 and linked >= 0.7 * total


def html_body(own: HtmlElement, avoid: list[HtmlElement], quoted: Quoted) -> HtmlElement | None:
    """The element holding the post's own text (the deepest one that still holds ~all of it)."""
    cands = [
        el
        for el in own.iterdescendants()
        if tag(el)
        and _bodyish(el)
        and el not in quoted
        and not any(a is el or is_inside(a, el) or is_inside(el, a) for a in avoid)
    ]
    if not cands:
        return None
    sizes = {id(el): len(text_of(el)) for el in cands}
    best = max(cands, key=lambda el: sizes[id(el)])
    while True:
        inner = [c for c in cands if c is not best and is_inside(c, best)]
        if not inner:
            return best
        big = max(inner, key=lambda el: sizes[id(el)])
        if sizes[id(big)] < 0.9 * sizes[id(best)]:
            return best
        best = big


def inline_alts(el: HtmlElement) -> None:
    """Images print their alt text, as text browsers show them ("Image", ":smile:")."""
    for img in list(el.iter("img")):
        alt = clean_line(img.get("alt") or "")
        if img.getparent() is not None:
            img.tail = xml_safe(alt + (img.tail or ""))
            img.drop_tree()


# ---------------------------------------------------------------- quotes
def html_quote(q: HtmlElement) -> ParsedQuote | None:
    """One quote box (and the quotes nested in it); None when it is empty."""
    inner = q
    while len(subs := outer_quotes(inner)) == 1 and len(text_of(subs[0])) >= 0.9 * len(
        text_of(inner)
    ):
        inner = subs[0]
    nested_els = outer_quotes(inner)
    head = _quote_head(q, nested_els)
    nested = [x for x in (html_quote(n) for n in nested_els) if x is not None]
    for node in nested_els:
        remove(node, keep_break=True)
    for node in list(inner.iterdescendants()):
        if any("expand" in c.lower() for c in classes(node)):
            remove(node)
    lines = [x for x in element_text(inner).split("\n") if x.lower() not in EXPAND_TEXTS]
    text = join_paragraphs(lines)
    if not text and not nested:
        return None
    return ParsedQuote(head.author, text, head.time_text, nested)


def _quote_head(q: HtmlElement, nested: list[HtmlElement]) -> QuoteHeader:
    for node in q.iterdescendants():
        name = tag(node)
        if not name or any(node is n or is_inside(node, n) for n in nested):
            continue
        if name == "cite" or any(_QUOTE_HEADER_CLASS.search(c) for c in classes(node)):
            text = text_of(node)
            if text and len(text) < 200:
                remove(node)
                return quote_head_from_text(text)
    return QuoteHeader(None, None)


def html_quotes(body: HtmlElement) -> list[ParsedQuote]:
    """The quotes in a post body, taken out of it (a line break stays in their place)."""
    quotes: list[ParsedQuote] = []
    for q in outer_quotes(body):
        head: QuoteHeader | None = None
        prev = q.getprevious()
        if prev is not None and any(_QUOTE_HEAD_SIBLING.search(c) for c in classes(prev)):
            head = quote_head_from_text(text_of(prev))
            remove(prev)
        quote = html_quote(q)
        if quote is not None:
            if head is not None and quote.author is None:
                quote.author, quote.time_text = head.author, head.time_text
            quotes.append(quote)
        remove(q, keep_break=True)
    for el in outer(body, _QUOTE_FOOTER):
        remove(el)
    return quotes


# ---------------------------------------------------------------- extras
_EXTRAS = {"signature": _SIGNATURE, "edit": _EDITISH, "reaction": _REACTISH, "title": _TITLED}


def html_extras(own: HtmlElement, draft: Draft, quoted: Quoted) -> None:
    """Signature, edit note, reaction tallies and subject/rank lines: read, then removed."""
    found = {k: [x for x in v if x not in quoted] for k, v in outer_many(own, _EXTRAS).items()}
    for el in found["signature"]:
        draft.signature = draft.signature or element_text(el) or None
        remove(el)
    for el in found["edit"]:
        if edit := parse_edit_note(text_of(el)):
            draft.note_edit(*edit)
            remove(el)
    for el in found["reaction"]:
        text = element_text(el)
        hits = [r for r in map(parse_reaction, [*text.split("\n"), clean_line(text)]) if r]
        if hits:
            draft.add_reaction(hits[0])
            remove(el)
    headings = [h for h in own.iter("h1", "h2", "h3", "h4", "h5", "h6") if _subject_heading(h)]
    for el in [*headings, *found["title"]]:
        if el.getparent() is None or el in quoted:
            continue
        text = text_of(el)
        if "user" in (el.get("class") or "").lower():
            draft.user_title = draft.user_title or text or None
        elif text and len(text) <= 200:
            draft.subject = draft.subject or text
        remove(el)


def _subject_heading(el: HtmlElement) -> bool:
    marks = f"{el.get('id') or ''} {el.get('class') or ''}"
    return _TITLED.search(marks) is not None or bool(SUBJECT.match(text_of(el)))
