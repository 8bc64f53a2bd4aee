"""HTML pages: posts read by the phpBB styles' class names.

prosilver (div.post, p.author, div.content, blockquote/cite, div.notice, div.signature,
dl.postprofile), subsilver2 (b.postauthor, div.postbody, div.quotecontent) and phpBB2
(span.name, span.postbody, td.quote).
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from labeler.ingest.engines.base import clean_line, join_paragraphs
from labeler.ingest.engines.html_tools import with_class
from labeler.ingest.engines.phpbb import shapes as s
from labeler.ingest.engines.phpbb.render import all_of, classes, first_of, render_text
from labeler.ingest.engines.phpbb.shapes import cite_time, quote_head
from labeler.ingest.engines.phpbb.text import set_edit, title_from_subjects
from labeler.ingest.model import PageKind, ParsedPage, ParsedPost, ParsedQuote
from labeler.ingest.page import Page

if TYPE_CHECKING:
    from lxml.html import HtmlElement


# ---------------------------------------------------------------- HTML: quotes
def _is_quote(node: HtmlElement) -> bool:
    tag = node.tag if isinstance(node.tag, str) else ""
    if tag == "blockquote":
        return True
    names = classes(node)
    return (tag == "div" and "quotecontent" in names) or (tag == "td" and "quote" in names)


def _outer_quotes(root: HtmlElement) -> list[HtmlElement]:
    """Quote elements under root that are not inside another quote under root."""
    found: list[HtmlElement] = []
    for quote in root.iter("blockquote", "div", "td"):
        if quote is root or not _is_quote(quote):
            continue
        parent = quote.getparent()
        while parent is not None and parent is not root and not _is_quote(parent):
            parent = parent.getparent()
        if parent is None or parent is root:
            found.append(quote)
    return found


def _cite(quote: HtmlElement) -> HtmlElement | None:
    """A blockquote's cite: its child, or the child of its inner div (prosilver)."""
    for child in quote:
        if child.tag == "cite":
            return child
        if child.tag == "div":
            return next(child.iterchildren("cite"), None)
    return None


def _quote_title(quote: HtmlElement) -> tuple[HtmlElement | None, HtmlElement]:
    """(title element, element that stands for the whole quote) in any style."""
    if quote.tag == "blockquote":
        return _cite(quote), quote
    if quote.tag == "div":
        previous = quote.getprevious()
        if previous is not None and "quotetitle" in classes(previous):
            return previous, quote
        return None, quote
    table = next(quote.iterancestors("table"), None)
    if table is None:
        return None, quote
    return next((td for td in table.iter("td") if "quote" not in classes(td)), None), table


def _html_quote(quote: HtmlElement, title: HtmlElement | None) -> ParsedQuote:
    """A quote element as a ParsedQuote (cite/title parsed, nested quotes kept apart)."""
    author: str | None = None
    time_text: str | None = None
    if title is not None:
        for hidden in title.iter():
            if hidden.tag == "time" or "responsive-hide" in classes(hidden):
                time_text = clean_line(hidden.text_content()) or None
        head = quote_head(render_text(title).replace("\n", " "))
        if head is not None:
            author = head[0]
            if time_text is None:
                time_text = cite_time(head[1], None)[0]
    text, nested = _content(quote, {title} if title is not None else set())
    return ParsedQuote(author=author, text=text, time_text=time_text, quotes=nested)


def _content(
    node: HtmlElement, skip: set[HtmlElement] | None = None
) -> tuple[str, list[ParsedQuote]]:
    """(own text, quotes) of a message element; each quote leaves a paragraph break."""
    skip = set(skip or ())
    marks: set[HtmlElement] = set()
    quotes: list[ParsedQuote] = []
    for quote in _outer_quotes(node):
        title, whole = _quote_title(quote)
        quotes.append(_html_quote(quote, title))
        marks.add(whole)
        if title is not None and quote.tag == "div":
            skip.add(title)  # subsilver2: the title sits before its quote box
    return render_text(node, skip, marks), quotes


# ---------------------------------------------------------------- HTML: the styles
def _index(node: HtmlElement) -> dict[str, list[HtmlElement]]:
    """The elements under node by "tag" and "tag.class", in page order (one pass)."""
    found: dict[str, list[HtmlElement]] = defaultdict(list)
    for element in node.iter():
        tag = element.tag
        if not isinstance(tag, str):
            continue
        found[tag].append(element)
        for name in (element.get("class") or "").split():
            found[f"{tag}.{name}"].append(element)
    return found


def inside_post(element: HtmlElement) -> bool:
    """Whether the element sits inside a div.post."""
    return any("post" in classes(div) for div in element.iterancestors("div"))


def _username(link: HtmlElement) -> bool:
    return any(name.startswith("username") for name in classes(link))


def _prosilver_post(found: dict[str, list[HtmlElement]]) -> ParsedPost:
    """One prosilver div.post (3.0: profile after the message; 3.1+: before it)."""
    author_line, content = found["p.author"][0], found["div.content"][0]
    line = clean_line(author_line.text_content())
    name = next(
        (e for e in author_line.iter("strong", "a") if e.tag == "strong" or _username(e)), None
    )
    author = clean_line(name.text_content()) if name is not None else None
    m = re.match(rf"^(?:#(?P<num>\d+)\s*)?(?:{s.BY}\s+(?P<by>.+?)\s*)?»\s*(?P<time>.+)$", line)
    stamp = next(author_line.iter("time"), None)
    time_text = clean_line(stamp.text_content()) if stamp is not None else None
    if m:
        author = author or (clean_line(m["by"]) if m["by"] else None)
        time_text = time_text or clean_line(m["time"])
    quoting = any(key in found for key in ("blockquote", "div.quotecontent", "td.quote"))
    body, quotes = _content(content) if quoting else (render_text(content), [])
    subject = clean_line(found["h3"][0].text_content()) if found.get("h3") else ""
    post = ParsedPost(
        body=body,
        author=author or None,
        time_text=time_text or None,
        quotes=quotes,
        subject=subject or None,
        post_number=int(m["num"]) if m and m["num"] else None,
        user_title=_prosilver_rank(found),
    )
    if found.get("div.signature"):
        post.signature = render_text(found["div.signature"][0]) or None
    for notice in found.get("div.notice", []):
        note = render_text(notice)
        if s.EDIT.match(note.split("\n", 1)[0]):
            set_edit(post, note)
    return post


def _prosilver_rank(found: dict[str, list[HtmlElement]]) -> str | None:
    ranks = (
        found.get("dd.profile-rank")
        or [dd for dl in found.get("dl.postprofile", [])[:1] for dd in dl.iterchildren("dd")][:1]
    )
    text = clean_line(ranks[0].text_content()) if ranks else ""
    return text if text and not s.FIELD.match(text) else None


def _prosilver_posts(tree: HtmlElement) -> list[ParsedPost]:
    posts: list[ParsedPost] = []
    for node in tree.iter("div"):
        if "post" not in classes(node) or inside_post(node):
            continue
        found = _index(node)
        if found.get("p.author") and found.get("div.content"):
            posts.append(_prosilver_post(found))
    return posts


def _table_message(cell: HtmlElement) -> tuple[str, str | None, list[ParsedQuote], str | None]:
    """(body, signature, quotes, edit note) of a subsilver2 / phpBB2 message cell."""
    note: str | None = None
    skip: set[HtmlElement] = set()
    for small in all_of(
        cell, f".//*[{with_class('gensmall')}][not(.//*[{with_class('postbody')}])]"
    ):
        text = s.key(small.text_content())
        if s.EDIT.match(text):
            note = text
        skip.add(small)  # edit notes, buttons
    for table in all_of(cell, ".//table"):
        if not all_of(table, f".//td[{with_class('quote')} or {with_class('code')}]"):
            skip.add(table)  # button rows
    text, quotes = _content(cell, skip)
    lines = text.split("\n")
    rule = next((i for i, line in enumerate(lines) if s.SIG_RULE.match(line)), None)
    if rule is None:
        return text, None, quotes, note
    return join_paragraphs(lines[:rule]), join_paragraphs(lines[rule + 1 :]) or None, quotes, note


def _subsilver2_posts(tree: HtmlElement) -> list[ParsedPost]:
    posts: list[ParsedPost] = []
    for name in all_of(tree, f"//*[{with_class('postauthor')}]"):
        table = first_of(name, f"ancestor::table[{with_class('tablebg')}][1]")
        body = None if table is None else first_of(table, f".//div[{with_class('postbody')}]")
        if table is None or body is None:
            continue
        header = clean_line(
            " ".join(map(str, all_of(table, f".//td[{with_class('gensmall')}]//text()")))
        )
        cell = body.getparent() if body.getparent() is not None else body
        posts.append(_table_post(clean_line(name.text_content()), header, cell))
    return posts


def _phpbb2_posts(tree: HtmlElement) -> list[ParsedPost]:
    posts: list[ParsedPost] = []
    for name in all_of(tree, f"//span[{with_class('name')}]"):
        row = first_of(name, "ancestor::tr[1]")
        body = None if row is None else first_of(row, f".//span[{with_class('postbody')}]")
        if row is None or body is None:
            continue
        header = clean_line(
            " ".join(map(str, all_of(row, f".//span[{with_class('postdetails')}]//text()")))
        )
        cell = first_of(body, "ancestor::td[1]")
        posts.append(
            _table_post(clean_line(name.text_content()), header, body if cell is None else cell)
        )
    return posts


def _table_post(author: str, header: str, cell: HtmlElement) -> ParsedPost:
    """A post of the table styles from its author, its header text and its message cell."""
    posted = re.search(rf"Posted:\s*(?P<time>{s.DATE})", header, re.I)
    subject = re.search(r"Post subject:\s*(?P<s>.+?)(?:\s+Posted:|$)", header)
    body, signature, quotes, note = _table_message(cell)
    post = ParsedPost(
        body=body,
        author=author or None,
        time_text=clean_line(posted["time"]) if posted else None,
        quotes=quotes,
        subject=clean_line(subject["s"]) if subject else None,
        signature=signature,
    )
    set_edit(post, note)
    return post


# ---------------------------------------------------------------- HTML: the page
_TITLE_TAIL = re.compile(r"^.*?\s+(?:•|-|\u2013|\||::)\s+(?:View topic\s+-\s+)?")


def _html_title(tree: HtmlElement) -> str | None:
    """The topic title: prosilver's h2, the table styles' title link, else <title>."""
    for h2 in tree.iter("h2"):
        links = [a.get("href") or "" for a in h2.iter("a")]
        if "topic-title" in classes(h2) or any("viewtopic" in href for href in links):
            return clean_line(h2.text_content()) or None
    for link in tree.iter("a"):
        if classes(link) & {"titles", "maintitle"}:
            return clean_line(link.text_content()) or None
    title = next(tree.iter("title"), None)
    text = clean_line(title.text_content()) if title is not None else ""
    return _TITLE_TAIL.sub("", text) or None


def _html_identity(tree: HtmlElement) -> tuple[str | None, str | None, str | None]:
    """(url, site, thread key "t=N") from the canonical link or the topic's own links."""
    head = next(tree.iter("head"), None)
    heads = list(head.iter("link", "meta")) if head is not None else []
    url = next(
        (
            href
            for e in heads
            if (e.get("rel") == "canonical" or e.get("property") == "og:url")
            and (href := e.get("href") or e.get("content") or "").startswith(
                ("http://", "https://")
            )
        ),
        None,
    )
    hrefs = [url] if url else []
    hrefs += [e.get("href") or "" for e in heads if e.get("rel") == "alternate"]
    hrefs += [a.get("href") or "" for h2 in tree.iter("h2") for a in h2.iter("a")]
    site = urlsplit(url).netloc if url else None
    topic: str | None = None
    for href in hrefs:
        parts = urlsplit(href)
        site = site or (parts.netloc or None)
        values = parse_qs(parts.query).get("t")
        topic = topic or (values[0] if values else None)
    if url and not topic:
        return url, None, None
    return url, site, (f"t={topic}" if topic and site else None)


def parse_html(page: Page) -> ParsedPage:
    """The posts, title and identity of an HTML page."""
    tree = page.tree
    posts = _prosilver_posts(tree) or _subsilver2_posts(tree) or _phpbb2_posts(tree)
    url, site, key = _html_identity(tree)
    return ParsedPage(
        engine="phpbb",
        kind=PageKind.FORUM,
        title=_html_title(tree) or title_from_subjects(posts),
        posts=posts,
        url=url,
        site=site,
        thread_key=key,
    )
