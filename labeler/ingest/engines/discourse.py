"""Discourse topics: the crawler (no-JavaScript) view and the JavaScript app, as HTML or text.

Text pages are the crawler view rendered by a text browser or copied: one header line per
post ("user (Full Name) June 19, 2015, 6:45am #1"), the cooked post, then "8 Likes".
Quotes are "user:" lines followed by an indented block (w3m, lynx), or unindented lines that
repeat an earlier post on the page (browser copy).
"""

from __future__ import annotations

import re
from copy import deepcopy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from labeler.errors import CorruptInputError
from labeler.ingest.engines.base import Engine, clean_line, element_text, join_paragraphs, unlynx
from labeler.ingest.model import PageKind, ParsedPage, ParsedPost, ParsedQuote

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from labeler.ingest.page import Page

# ---------------------------------------------------------------- text shapes
_USER = r"(?:\[\d{1,5}\])?(?P<user>[\w.\-]{1,60})"
_NAME = r"(?:\s+\((?P<name>[^()]{1,80})\))?"
# "user (Name) <date> #1" (crawler view; newer versions print the position without "#").
_HEADER = re.compile(rf"^{_USER}{_NAME}\s+(?P<time>\S.{{3,80}}?)\s+(?P<hash>#?)(?P<num>\d{{1,6}})$")
# "user (Name) June 19, 2015, 6:45am" (crawler view without a position: the clock is required).
_HEADER_BARE = re.compile(
    rf"^{_USER}{_NAME}\s+(?P<time>(?:[^\W\d_]{{3,}}\.?\s+\d{{1,2}},?|\d{{1,2}}\.?\s+[^\W\d_]{{3,}}\.?)"
    r"\s+\d{4},?\s+\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?)$",
    re.I,
)
# "#1 By: Full Name, February 6th, 2014 04:55" (the earliest crawler view).
_HEADER_OLD = re.compile(r"^#(?P<num>\d{1,6}) By: (?P<user>[^,]{1,80}), (?P<time>.{4,60})$")
# "June 19, 2015", "Jun 19th 2015", "19 juin 2015", "19. Juni 2015": a month word beside the day.
_DATE_WORDY = re.compile(
    r"[^\W\d_]{3,}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b|\b\d{1,2}\.?\s+[^\W\d_]{3,}\.?,?\s+\d{4}\b"
)
_DATE_ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\d{4}\s*年")
_LIKES = re.compile(r"^(?P<n>\d[\d,.]{0,12})\s+likes?$", re.I)
_LIKE_WORDS = ("Like", "Likes", "like", "likes", "LIKES")
_FOOTER = re.compile(
    r"^(?:Powered by Discourse\b|Home Categories\b|Related [Tt]opics$|Topic\s+Replies\s+Views"
    r"|next page\s*→|← previous page|This topic was automatically closed|References$)"
)
_FOOTER_STARTS = ("Powered", "Home", "Related", "Topic", "next", "←", "This topic", "References")
_QUOTE_HEAD = re.compile(r"^(?P<who>[^\s:][^:]{0,59}?):(?:\s+(?P<topic>.{1,200}))?$")
_PLACEHOLDER = re.compile(r"^(?:\[[^\]]{0,60}\]\s*)+")
_BULLET = re.compile(r"^(?:[•*·◦▪‣\u2013-]|\d{1,3}[.)])\s")
_INDENT_STEP = 2
_DETECT_LINES = 50_000


def _is_date(text: str) -> bool:
    """True for a printed absolute date (a month word and a year, or an ISO date)."""
    return bool(_DATE_WORDY.search(text) or _DATE_ISO.search(text))


@dataclass(slots=True)
class _Header:
    """One post header found in the text."""

    line: int
    author: str
    time_text: str
    number: int | None


def _header(line: str) -> _Header | None:
    text = " ".join(line.split())
    if not 8 <= len(text) <= 220:
        return None
    head = _header_shape(text)
    # A username holds a letter somewhere (vBulletin's " 1. 06-15-2016, 03:03 PM #1" does not).
    if head is None or not head.author.strip("0123456789._-"):
        return None
    return head


def _header_shape(text: str) -> _Header | None:
    m = _HEADER.match(text)
    if m and _is_date(m["time"]) and (m["hash"] or m["name"] or ":" in m["time"]):
        return _Header(0, m["user"], m["time"], int(m["num"]))
    m = _HEADER_BARE.match(text)
    if m:
        return _Header(0, m["user"], m["time"], None)
    m = _HEADER_OLD.match(text)
    if m and _is_date(m["time"]):
        return _Header(0, m["user"].strip(), m["time"].strip(), int(m["num"]))
    return None


def _headers(lines: list[str], end: int | None = None) -> list[_Header]:
    found: list[_Header] = []
    for i, line in enumerate(lines[:end]):
        if not 7 < len(line) < 240:
            continue
        tail = line[-1] if not line[-1].isspace() else line.rstrip()[-1:]
        if not (tail.isdigit() or tail in ("m", "M")):
            continue
        head = _header(line)
        if head is not None:
            head.line = i
            found.append(head)
    return found


# ---------------------------------------------------------------- quotes in text
def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t\xa0"))


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(slots=True)
class _Seen:
    """Earlier posts on the page, to find where an unindented quote ends (indexed lazily)."""

    authors: set[str] = field(default_factory=set)
    bodies: list[str] = field(default_factory=list)
    indexed: int = 0
    lines: set[str] = field(default_factory=set)

    def add(self, author: str | None, body: str) -> None:
        if author:
            self.authors.add(author.casefold())
        self.bodies.append(body)

    def has(self, line: str) -> bool:
        for body in self.bodies[self.indexed :]:
            self.lines.update(_norm(p) for p in body.split("\n") if p.strip())
        self.indexed = len(self.bodies)
        return _norm(line) in self.lines


def _split_quotes(lines: list[str], seen: _Seen) -> tuple[list[str], list[ParsedQuote]]:
    """Own lines and quotes: a "who:" line then an indented block, or known repeated lines."""
    own: list[str] = []
    quotes: list[ParsedQuote] = []
    i = 0
    while i < len(lines):
        end = _quote_end(lines, i, seen)
        if end is None:
            own.append(lines[i])
            i += 1
            continue
        who = _quote_head(lines[i])
        assert who is not None
        inner = _dedent(lines[i + 1 : end])
        inner_own, nested = _split_quotes(inner, seen)
        quotes.append(ParsedQuote(who["who"].strip(), join_paragraphs(inner_own), quotes=nested))
        own.append("")
        i = end
    return own, quotes


def _next_filled(lines: list[str], start: int) -> int | None:
    for j in range(start, min(len(lines), start + 4)):
        if lines[j].strip():
            return j
    return None


def _quote_head(line: str) -> re.Match[str] | None:
    """A quote title: "user:" (after an avatar placeholder), maybe with the quoted topic."""
    if ":" not in line or len(line) > 300:
        return None
    head = _PLACEHOLDER.sub("", line.strip())
    m = _QUOTE_HEAD.match(head) if head.endswith(":") or ": " in head else None
    if m is None or len(m["who"].split()) > 3 or (m["topic"] and " " in m["who"].strip()):
        return None
    return m


def _quote_end(lines: list[str], i: int, seen: _Seen) -> int | None:
    """Index after the quote that starts at line i, or None when line i heads no quote."""
    m = _quote_head(lines[i])
    if m is None:
        return None
    first = _next_filled(lines, i + 1)
    if first is None:
        return None
    base = _indent(lines[i])
    if _indent(lines[first]) >= base + _INDENT_STEP and not _BULLET.match(lines[first].strip()):
        end = first
        while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > base):
            end += 1
        return end
    if m["who"].strip().casefold() not in seen.authors or m["topic"]:
        return None
    return _repeated_end(lines, first, seen)


def _repeated_end(lines: list[str], first: int, seen: _Seen) -> int:
    """An unindented quote: the lines that repeat earlier posts (at least the first one)."""
    end = first + 1
    while end < len(lines):
        if lines[end].strip() and not seen.has(lines[end]):
            break
        end += 1
    while end > first + 1 and not lines[end - 1].strip():
        end -= 1
    return end


def _dedent(lines: list[str]) -> list[str]:
    filled = [_indent(x) for x in lines if x.strip()]
    cut = min(filled) if filled else 0
    return [x[cut:] if x.strip() else "" for x in lines]


# ---------------------------------------------------------------- text pages
def _cut(lines: list[str]) -> tuple[int, int | None, bool]:
    """Where the post's own lines end (likes line or footer), its likes, whether ":" occurs."""
    colon = False
    for j, line in enumerate(lines):
        if not line:
            continue
        colon = colon or ":" in line
        text = line.strip()
        if text.endswith(_LIKE_WORDS) and (likes := _LIKES.match(text)):
            return j, int(re.sub(r"\D", "", likes["n"])), colon
        if text.startswith(_FOOTER_STARTS) and _FOOTER.match(text):
            return j, None, colon
    return len(lines), None, colon


def _post_from_lines(head: _Header, lines: list[str], seen: _Seen) -> ParsedPost:
    """One post from the lines between its header and the next one."""
    cut, likes, colon = _cut(lines)
    own, quotes = _split_quotes(lines[:cut], seen) if colon else (lines[:cut], [])
    body = join_paragraphs(own)
    seen.add(head.author, body)
    return ParsedPost(
        body=body,
        author=head.author,
        time_text=head.time_text,
        quotes=quotes,
        reactions=[("Like", likes)] if likes is not None else [],
        post_number=head.number,
    )


def _text_title(lines: list[str], first_header: int) -> str | None:
    candidates = [clean_line(x) for x in lines[max(0, first_header - 20) : first_header]]
    filled = [x for x in candidates if x]
    return max(filled, key=len) if filled else None


def _parse_text(page: Page) -> ParsedPage:
    lines = unlynx(page.text).split("\n")
    heads = _headers(lines)
    seen = _Seen()
    posts: list[ParsedPost] = []
    for k, head in enumerate(heads):
        stop = heads[k + 1].line if k + 1 < len(heads) else len(lines)
        posts.append(_post_from_lines(head, lines[head.line + 1 : stop], seen))
    title = _text_title(lines, heads[0].line) if heads else None
    return ParsedPage(engine="discourse", kind=PageKind.FORUM, title=title, posts=posts)


# ---------------------------------------------------------------- HTML pages
def _has(cls: str) -> str:
    """XPath predicate: the element's class attribute holds `cls`."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')"


# The JavaScript app's posts: article[data-post-id] holding the cooked HTML.
_APP_POST = f"//article[@data-post-id][.//div[{_has('cooked')}]]"


def _first(el: HtmlElement, *xpaths: str) -> HtmlElement | None:
    """The first element that the first matching XPath finds."""
    for xpath in xpaths:
        found = el.xpath(xpath)
        if found:
            return found[0]
    return None


def _text_of(el: HtmlElement | None) -> str:
    return clean_line(el.text_content()) if el is not None else ""


def _number_lists(root: HtmlElement) -> None:
    """Ordered list items get their numbers ("1. "), as text browsers print them."""
    for ol in root.iter("ol"):
        start = _number(ol.get("start") or "") or 1
        for n, li in enumerate(ol.iterchildren("li"), start):
            li.text = f"{n}. {li.text or ''}"


def _render_images(root: HtmlElement) -> None:
    """Images become their alt text, or "[file]" when they have none (as text browsers do)."""
    for img in list(root.iter("img")):
        alt = img.get("alt")
        if alt is None:
            stem = (img.get("src") or "").rsplit("/", 1)[-1].split("?")[0].rsplit(".", 1)[0]
            alt = f"[{stem}]" if stem else ""
        img.tail = alt + (img.tail or "")
        img.drop_tree()


def _quote_of(aside: HtmlElement) -> ParsedQuote:
    author = aside.get("data-username") or None
    if author is None:
        title = _text_of(_first(aside, f".//*[{_has('title')}]"))
        author = title.split(":")[0].strip() or None
    block = _first(aside, ".//blockquote")
    if block is None:
        return ParsedQuote(author, "")
    text, nested = _cooked(block)
    return ParsedQuote(author, text, quotes=nested)


def _cooked(el: HtmlElement) -> tuple[str, list[ParsedQuote]]:
    """A cooked post's own text and its quotes (aside.quote, nested ones inside them)."""
    copy = deepcopy(el)
    copy.tail = None
    quotes: list[ParsedQuote] = []
    outer = f".//aside[{_has('quote')}][not(ancestor::aside[{_has('quote')}])]"
    for aside in copy.xpath(outer):
        quotes.append(_quote_of(aside))
        aside.drop_tree()
    _render_images(copy)
    _number_lists(copy)
    return element_text(copy), quotes


def _likes(text: str) -> list[tuple[str, int]]:
    m = re.match(r"^\s*(\d[\d,.]*)", text)
    return [("Like", int(re.sub(r"\D", "", m[1])))] if m else []


def _number(text: str) -> int | None:
    m = re.search(r"\d+", text)
    return int(m[0]) if m else None


def _crawler_post(el: HtmlElement) -> ParsedPost | None:
    body_el = _first(el, f".//div[{_has('post')}]")
    if body_el is None:
        return None
    creator = _first(el, f".//*[{_has('creator')}]", ".//*[@itemprop='author']")
    name = _first(el, f".//*[{_has('creator')}]//*[@itemprop='name']")
    author_text = _text_of(name) or _text_of(creator)
    author = author_text.split()[0] if author_text else None
    time_el = _first(el, f".//time[{_has('post-time')}]", ".//time")
    time_text = _text_of(time_el)
    if not time_text:
        infos = _first(el, f".//*[{_has('crawler-post-infos')}]")
        position = _text_of(_first(el, ".//*[@itemprop='position']"))
        time_text = _text_of(infos).removesuffix(position).strip()
    body, quotes = _cooked(body_el)
    likes = _first(el, f".//*[{_has('post-likes')}]")
    return ParsedPost(
        body=body,
        author=author,
        time_text=time_text or None,
        quotes=quotes,
        reactions=_likes(_text_of(likes)),
        post_number=_number(_text_of(_first(el, ".//*[@itemprop='position']"))),
    )


def _app_post(el: HtmlElement) -> ParsedPost | None:
    cooked = _first(el, f".//div[{_has('cooked')}]")
    if cooked is None:
        return None
    user = _first(el, f".//*[{_has('names')}]//*[{_has('username')}]", ".//*[@data-user-card]")
    author = _text_of(user) or (user.get("data-user-card") if user is not None else None)
    date = _first(
        el, f".//*[{_has('post-date')}]//*[{_has('relative-date')}]", f".//*[{_has('post-date')}]"
    )
    body, quotes = _cooked(cooked)
    numbered = el.xpath(".//@data-post-number")
    number = _number(el.get("id") or "") or (_number(str(numbered[0])) if numbered else None)
    return ParsedPost(
        body=body,
        author=author or None,
        time_text=_text_of(date) or None,
        quotes=quotes,
        reactions=_likes(_text_of(_first(el, f".//button[{_has('like-count')}]"))),
        post_number=number,
        user_title=_text_of(_first(el, f".//*[{_has('user-title')}]")) or None,
    )


def _reply_parents(posts: list[ParsedPost], replies: list[str | None]) -> None:
    """Reply-to markers name a user: the parent is that user's latest earlier post."""
    latest: dict[str, int] = {}
    for i, (post, to) in enumerate(zip(posts, replies, strict=True)):
        if to and to in latest:
            post.parent_index = latest[to]
        if post.author:
            latest[post.author] = i


def _crawler_elements(tree: HtmlElement) -> list[HtmlElement]:
    found: list[HtmlElement] = tree.xpath(f"//div[{_has('crawler-post')}]")
    if found:
        return found
    # Older crawler views: schema.org postings holding a div.post of their own.
    return list(
        tree.xpath(
            "//*[contains(@itemtype, 'DiscussionForumPosting') or contains(@itemtype, 'Comment')]"
            f"[./div[{_has('post')}]]"
        )
    )


def _html_title(tree: HtmlElement) -> str | None:
    for xpath in (
        f"//h1[{_has('crawler-topic-title')}]",
        f"//*[{_has('fancy-title')}]",
        "//meta[@property='og:title']/@content",
        "//title",
    ):
        found = tree.xpath(xpath)
        if found:
            text = clean_line(found[0] if isinstance(found[0], str) else found[0].text_content())
            if text:
                return text
    return None


def _parse_html(page: Page) -> ParsedPage:
    tree = page.tree
    apps: list[HtmlElement] = tree.xpath(_APP_POST)
    posts: list[ParsedPost] = []
    replies: list[str | None] = []
    if apps:
        for el in apps:
            post = _app_post(el)
            if post is not None:
                posts.append(post)
                replies.append(_text_of(_first(el, f".//*[{_has('reply-to-tab')}]")) or None)
        _reply_parents(posts, replies)
    else:
        posts = [p for p in map(_crawler_post, _crawler_elements(tree)) if p is not None]
    url = tree.xpath("//link[@rel='canonical']/@href") or tree.xpath(
        "//meta[@property='og:url']/@content"
    )
    return ParsedPage(
        engine="discourse",
        kind=PageKind.FORUM,
        title=_html_title(tree),
        posts=posts,
        url=str(url[0]) if url else None,
    )


# ---------------------------------------------------------------- detection
def _detect_html(page: Page) -> float:
    tree = page.tree
    if tree.xpath(f"boolean(//div[{_has('crawler-post')}] | {_APP_POST})"):
        return 0.95
    generator = " ".join(tree.xpath("//meta[@name='generator']/@content"))
    if "discourse" in generator.lower() or tree.xpath("boolean(//*[@id='data-discourse-setup'])"):
        return 0.9
    return 0.0


def _detect_text(page: Page) -> float:
    lines = page.text.split("\n", _DETECT_LINES)[:_DETECT_LINES]
    heads = _headers(lines)
    powered = "Powered by Discourse" in page.text[-20_000:]
    strong = [h for h in heads if h.number is not None]
    likes = any(x.endswith(_LIKE_WORDS) and _LIKES.match(x.strip()) for x in lines)
    if strong and powered:
        return 0.95
    if heads and (powered or len(strong) >= 2 or likes):
        return 0.9
    if powered:
        return 0.5
    return 0.6 if strong else (0.2 if heads else 0.0)


class DiscourseEngine(Engine):
    """Discourse: crawler view and JavaScript app, HTML and text."""

    name = "discourse"
    title = "Discourse"
    kind = PageKind.FORUM

    def detect(self, page: Page) -> float:
        """High for Discourse markup (crawler-post, article[data-post-id]) or header lines."""
        try:
            return _detect_html(page) if page.is_html else _detect_text(page)
        except CorruptInputError:  # markup lxml cannot read at all
            return 0.0

    def parse(self, page: Page) -> ParsedPage:
        """The topic's posts in page order."""
        if page.is_html:
            try:
                return _parse_html(page)
            except CorruptInputError as exc:  # markup lxml cannot read at all: no posts
                return ParsedPage(
                    engine=self.name, kind=PageKind.FORUM, title=None, posts=[], warnings=[str(exc)]
                )
        return _parse_text(page)


ENGINE = DiscourseEngine()
