"""XenForo 1 and 2 thread pages, as text (browser copy, w3m, lynx) or HTML.

Text, XenForo 2: the avatar's alt text and the name (so the name twice), the user title,
the date, then "• #N"; the body ends at a line holding only a no-break space; then maybe
"Last edited: date", the signature, the reaction icons and "Reactions: A, B and 12 others".
XenForo 1 prints the name block, the body, then "Name, date" and "#N Like Reply" below it,
and likes as "A, B and 3 others like this.". Quotes read "X said:" (XF1: "X said: ↑") and
close with "Click to expand...".
HTML: XF2 article.message--post, XF1 li.message, both with data-author.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from labeler.ingest.engines import _vbxf as vx
from labeler.ingest.engines.base import Engine, join_paragraphs
from labeler.ingest.model import PageKind, ParsedPage, ParsedPost, ParsedQuote

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from labeler.ingest.page import Page

_NUMBER = re.compile(r"^#(\d{1,7})$")
_XF1_NUMBER = re.compile(r"^#(\d{1,7})(?:\s+\S.*)?$")
_XF1_META = re.compile(
    r"^(?P<author>.{1,80}?), (?P<time>.+?)"
    r"(?:\s+(?:Report|Edit|Delete|IP|Warn|Spam|Report Post)\b.*)?$"
)
_SAID = re.compile(r"^(?P<author>.{1,80}?) said:(?:\s*↑)?$")
_EXPAND = re.compile(r"(?i)^click to expand\.\.\.$|^click to expand…$")
_SHRINK = re.compile(r"(?i)^click to shrink(?:\.\.\.|…)$")
_EDIT_NOTE = re.compile(r"(?i)^last edited(?: by (?P<editor>.+?))?:\s*\S")
_REACTIONS = re.compile(r"(?i)^(?:reactions|likes):\s*(?P<names>.+)$")
_LIKE_THIS = re.compile(r"(?i)^(?P<names>.+?)\s+(?:like|likes)\s+this\.?$")
_OTHERS = re.compile(r"(?i)\band \d[\d,]* others?$")
_ACTIONS = re.compile(
    r"(?i)^(?:(?:like|unlike|reply|report|quote|\+\s?quote|multi-?quote|share|edit|delete|"
    r"bookmark|thanks|love|haha|wow|sad|angry|agree|disagree|informative|useful)\s*)+$"
)
_FOOTER = re.compile(
    r"(?i)^(?:you must log in or register to reply here\.?|share:|share this page|"
    r"write your reply\.\.\.|post reply|similar threads|users who are viewing this thread|"
    r"log in or sign up|forum software by xenforo|reply to thread|thread status:|"
    r"page \d+ of \d+|go to page|loading…)"
)
_DEFAULT_TITLES = frozenset(
    ["new member", "member", "active member", "well-known member", "senior member",
     "staff member", "administrator", "moderator", "super moderator", "banned", "guest",
     "junior member", "registered"]
)  # fmt: skip
_HEADER_ICONS = frozenset(
    ["new", "add bookmark", "remove bookmark", "bookmark", "share", "report", "•", "*"]
)
_ICONS = frozenset(
    (
        "like", "love", "haha", "wow", "sad", "angry", "thumbs up", "thanks", "agree", "disagree",
        "informative", "useful", "funny", "winner", "dislike", "care",
    )
)  # fmt: skip
_EXTRA_LABELS = frozenset(
    (
        "joined", "messages", "reaction score", "points", "location", "likes received",
        "trophy points", "website", "age", "gender", "occupation", "solutions", "posts",
        "home page", "first name", "country",
    )
)  # fmt: skip
_STYLE = vx.QuoteStyle(
    head=lambda text: (m.group("author").strip(), None) if (m := _SAID.match(text)) else None,
    end=_EXPAND,
    skip_after_end=_SHRINK,
)


@dataclass(frozen=True, slots=True)
class _Anchor:
    line: int  # the "#N" line
    number: int
    time_line: int
    time_text: str
    author: str | None = None  # XenForo 1 prints it on the "Name, date" line


class XenForoEngine(Engine):
    """XenForo 1/2 thread pages."""

    name = "xenforo"
    title = "XenForo"
    kind = PageKind.FORUM

    def detect(self, page: Page) -> float:
        """High for XenForo markup (html#XF, message--post, bbWrapper) or its line shapes."""
        if page.is_html:
            return _detect_html(page)
        return _detect_text(page.lines)

    def parse(self, page: Page) -> ParsedPage:
        """Posts in page order; an empty list when no XenForo post is recognisable."""
        if page.is_html:
            return _parse_html(page.tree, self.name)
        return _parse_text(page.lines, self.name)


# ---------------------------------------------------------------- detection
def _detect_html(page: Page) -> float:
    tree = page.tree
    root_id = (tree.get("id") or "").lower()
    posts = tree.xpath(
        "//article[contains(@class, 'message--post')] | //li[contains(concat(' ', @class, ' '), "
        "' message ')][@data-author]"
    )
    if root_id in ("xf", "xenforo") and posts:
        return 1.0
    if posts or vx.by_class(tree, "bbWrapper"):
        return 0.9
    if root_id in ("xf", "xenforo"):
        return 0.6
    return 0.3 if "xenforo" in page.text[-20_000:].lower() else 0.0


def _detect_text(lines: list[str]) -> float:
    anchors, _ = _anchors(lines)
    if not anchors:
        return 0.0
    head = "\n".join(lines[:20_000]).lower()
    markers = sum(
        marker in head
        for marker in ("said:", "click to expand...", "reactions:", "xenforo", "thread starter")
    )
    return min(0.6 + 0.1 * markers, 1.0)


# ---------------------------------------------------------------- text: headers
def _anchors(lines: list[str]) -> tuple[list[_Anchor], bool]:
    """The posts' "#N" lines, and whether the page is XenForo 1 (number below the body)."""
    xf2: list[_Anchor] = []
    xf1: list[_Anchor] = []
    for k, raw in enumerate(lines):
        if "#" not in raw:
            continue
        text = vx.strip_bullet(vx.clean(raw))
        m = _NUMBER.match(text)
        prev = _filled_before(lines, k)
        if m and prev is not None and vx.is_time_text(_clean(lines[prev])):
            xf2.append(_Anchor(k, int(m.group(1)), prev, _clean(lines[prev])))
            continue
        m = _XF1_NUMBER.match(text)
        meta = _XF1_META.match(_clean(lines[prev])) if m and prev is not None else None
        if m and meta and vx.TIME_RE.match(meta.group("time")) and prev is not None:
            time_text = vx.TIME_RE.match(meta.group("time"))
            assert time_text is not None
            xf1.append(_Anchor(k, int(m.group(1)), prev, time_text.group(), meta.group("author")))
    return (xf1, True) if len(xf1) > len(xf2) else (xf2, False)


_clean = vx.cleaned


def _filled_before(lines: list[str], k: int, reach: int = 6) -> int | None:
    """The nearest line above k with text other than a bare bullet, "New" or "Add bookmark"."""
    j = k - 1
    while j >= 0 and k - j <= reach:
        text = _clean(lines[j])
        if text and text.lower() not in _HEADER_ICONS and not vx.is_hr(lines[j]):
            return j
        j -= 1
    return None


# ---------------------------------------------------------------- text: posts
def _parse_text(lines: list[str], engine: str) -> ParsedPage:
    anchors, old = _anchors(lines)
    sources = vx.SourceIndex()
    posts = _posts_xf1(lines, anchors, sources) if old else _posts_xf2(lines, anchors, sources)
    vx.repeated_signatures(posts)
    vx.quoted_signatures(posts)
    return ParsedPage(engine=engine, kind=PageKind.FORUM, title=_text_title(lines), posts=posts)


def _text_title(lines: list[str]) -> str | None:
    for k, raw in enumerate(lines[:3000]):
        if _clean(raw).startswith("Thread starter"):
            above = next((_clean(x) for x in reversed(lines[max(0, k - 4) : k]) if _clean(x)), None)
            return above
    return None


def _posts_xf2(
    lines: list[str], anchors: list[_Anchor], sources: vx.SourceIndex
) -> list[ParsedPost]:
    blocks = []
    floor = 0
    for anchor in anchors:
        blocks.append(_author_block(lines, anchor.time_line, floor))
        floor = anchor.line + 1
    posts = []
    for n, anchor in enumerate(anchors):
        _, author, user_title = blocks[n]
        end = blocks[n + 1][0] if n + 1 < len(anchors) else len(lines)
        post = ParsedPost(
            body="",
            author=author,
            user_title=user_title,
            time_text=anchor.time_text,
            post_number=anchor.number,
        )
        _read_content(lines[anchor.line + 1 : end], post, sources, last=n + 1 == len(anchors))
        posts.append(post)
    return posts


def _author_block(
    lines: list[str], time_line: int, floor: int
) -> tuple[int, str | None, str | None]:
    """(first line, author, user title) above a post's date line: name twice, title, extras."""
    window: list[tuple[int, str]] = []
    k = time_line - 1
    while k >= floor and len(window) < 20:
        text = _clean(lines[k])
        if text and not vx.is_hr(lines[k]):
            window.append((k, text))
        k -= 1
    window.reverse()
    for j in range(len(window) - 1, 0, -1):
        upper, name = window[j - 1][1], window[j][1]
        if upper == name or (len(upper) == 1 and name[:1].upper() == upper.upper()):
            after = window[j + 1][1] if j + 1 < len(window) else None
            title = after if after and not _is_extra(after) else None
            return window[j - 1][0], name, title
        if name.startswith(upper + " ") and j == len(window) - 1:
            return window[j - 1][0], upper, name[len(upper) :].strip() or None
    rest = [w for w in window if not _is_extra(w[1]) and not _is_value(w[1])]
    if len(rest) >= 2 and rest[-1][1].lower() in _DEFAULT_TITLES:  # no avatar text: one name
        return rest[-2][0], rest[-2][1], rest[-1][1]
    if rest:
        return rest[-1][0], rest[-1][1], None
    return time_line, None, None


def _is_extra(text: str) -> bool:
    return text.lower().rstrip(":").strip() in _EXTRA_LABELS


def _is_value(text: str) -> bool:
    return bool(re.fullmatch(r"[\d,.]+[KkMm]?|\w{3} \d{1,2}, \d{4}", text))


def _posts_xf1(
    lines: list[str], anchors: list[_Anchor], sources: vx.SourceIndex
) -> list[ParsedPost]:
    posts: list[ParsedPost] = []
    floor = 0
    for anchor in anchors:
        post = ParsedPost(
            body="", author=anchor.author, time_text=anchor.time_text, post_number=anchor.number
        )
        floor = _likes_after(lines, floor, posts[-1] if posts else None)
        start = _xf1_name_block(lines, floor, anchor.time_line, post)
        _read_content(lines[start : anchor.time_line], post, sources, last=False)
        posts.append(post)
        floor = anchor.line + 1
    if posts:
        _likes_after(lines, floor, posts[-1])
    return posts


def _likes_after(lines: list[str], k: int, post: ParsedPost | None) -> int:
    """Skip (and read) the "A and B like this." line under the previous XF1 post."""
    j = next((i for i in range(k, min(len(lines), k + 4)) if _clean(lines[i])), None)
    if j is None or post is None:
        return k
    m = _LIKE_THIS.match(_clean(lines[j]))
    if m:
        post.reactions = [("total", vx.count_reactors(m.group("names")))]
        return j + 1
    return k


def _xf1_name_block(lines: list[str], floor: int, stop: int, post: ParsedPost) -> int:
    """Find "Name" then "Name Title" (XF1 user block) and skip the "Messages: / 1,234"
    pairs under it; return where the content starts."""
    name = post.author or ""
    for k in range(floor, stop):
        if _clean(lines[k]) != name:
            continue
        j = _filled(lines, k + 1, stop)
        if j is None or not _clean(lines[j]).startswith(name):
            continue
        post.user_title = _clean(lines[j])[len(name) :].strip() or None
        start = j + 1
        label = _filled(lines, start, stop)
        while label is not None and _is_xf1_label(_clean(lines[label])):
            value = _filled(lines, label + 1, stop)
            start = stop if value is None else value + 1
            label = _filled(lines, start, stop)
        return start
    return floor


def _filled(lines: list[str], start: int, stop: int) -> int | None:
    return next((i for i in range(start, stop) if _clean(lines[i])), None)


def _is_xf1_label(text: str) -> bool:
    return text.endswith(":") and len(text) < 25 and len(text.split()) <= 3


def _read_content(
    region: list[str], post: ParsedPost, sources: vx.SourceIndex, *, last: bool
) -> None:
    """Body, quotes, edit note, signature and reactions from the lines after a post header."""
    if last:
        region = _until_footer(region)
    end_body = _body_end(region)
    body = region[:end_body]
    tail = region[end_body:]
    stop = _tail_stop(tail)
    for k in range(stop, len(tail)):
        _read_reactions(tail, k, post)
    before, after, editor, note = vx.take_edit_note(tail[:stop], _EDIT_NOTE)
    rest = before + after
    if note is not None:
        post.edited_by, post.edited_text = editor, note
    signature = join_paragraphs([x for x in rest if not vx.is_hr(x)])
    if signature and (stop < len(tail) or not last):
        post.signature = signature
    vx.fill_from_lines(post, body, _STYLE, _EDIT_NOTE, sources)


def _until_footer(region: list[str]) -> list[str]:
    for k, raw in enumerate(region):
        if _FOOTER.match(_clean(raw)):
            return region[:k]
    return region


def _body_end(region: list[str]) -> int:
    """Where the body stops: the no-break-space line, or the first edit note / bar line."""
    seen = False
    for k, raw in enumerate(region):
        text = _clean(raw)
        if not text:
            if seen and raw and vx.is_blank(raw):
                return k
            continue
        seen = True
        if _EDIT_NOTE.match(text) or _is_bar(raw):
            return _before_icons(region, k) if _REACTIONS.match(text) else k
    return len(region)


def _before_icons(region: list[str], k: int) -> int:
    """Step back over the reaction icons' names ("Like", "Love") printed above "Reactions:"."""
    while k > 0 and (vx.is_blank(region[k - 1]) or _clean(region[k - 1]).lower() in _ICONS):
        k -= 1
    return k


def _is_bar(raw: str) -> bool:
    """A reaction or action bar line ("Reactions: ...", "• Like", "Like Reply")."""
    text = _clean(raw)
    if _REACTIONS.match(text) or _LIKE_THIS.match(text):
        return True
    m = _ACTIONS.match(text)
    if not m:
        return False
    words = re.findall(r"(?i)like|unlike|reply|report|quote|share|edit|delete|bookmark", text)
    return raw.lstrip()[:1] in "•*▪+" or len(words) >= 2 or text.lower() in ("reply", "report")


def _tail_stop(tail: list[str]) -> int:
    """Where the reaction / action bar starts in what follows the body."""
    for k in range(len(tail)):
        if _clean(tail[k]) and _is_bar(tail[k]):
            return _before_icons(tail, k) if _REACTIONS.match(_clean(tail[k])) else k
    return len(tail)


def _read_reactions(tail: list[str], k: int, post: ParsedPost) -> None:
    text = _clean(tail[k])
    m = _REACTIONS.match(text)
    names = m.group("names") if m else (text if _OTHERS.search(text) else None)
    if names:
        post.reactions = [("total", vx.count_reactors(names))]


# ---------------------------------------------------------------- HTML
_QUOTE_CLASSES = ("bbCodeBlock--quote", "bbCodeQuote")
_OTHERS_HTML = re.compile(r"(?i)\band\s+(\d[\d,]*)\s+others?")


def _parse_html(tree: HtmlElement, engine: str) -> ParsedPage:
    boxes = tree.xpath(
        "//article[contains(concat(' ', @class, ' '), ' message ')][@data-author]"
        " | //li[contains(concat(' ', @class, ' '), ' message ')][@data-author]"
    ) or vx.by_class(tree, "message--post", "article")
    posts = [p for p in (_html_post(box) for box in boxes) if p is not None]
    title = None
    heading = vx.first_class(tree, "p-title-value", "titleBar")
    if heading is not None:
        title = vx.html_text(heading).split("\n")[0] or None
    return ParsedPage(
        engine=engine, kind=PageKind.FORUM, title=title, posts=posts, url=vx.meta_url(tree)
    )


def _is_quote(element: HtmlElement) -> bool:
    return any(vx.has_class(element, cls) for cls in _QUOTE_CLASSES)


def _outer_quotes(root: HtmlElement) -> list[HtmlElement]:
    found: list[HtmlElement] = []

    def walk(node: HtmlElement) -> None:
        for child in node:
            if isinstance(child.tag, str):
                (found.append if _is_quote(child) else walk)(child)

    walk(root)
    return found


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
    found = vx.find(box, _CLASSES)
    body = _html_body(found)
    if body is None:
        return None
    post = ParsedPost(
        body=vx.html_text(
            body, without=("messageTextEndMarker", "js-selectToQuoteEnd"), drop_if=_is_quote
        ),
        author=box.get("data-author")
        or vx.text_or_none(vx.pick(found, "message-name", "username")),
        user_title=vx.text_or_none(vx.pick(found, "message-userTitle", "userTitle")),
        time_text=vx.text_or_none(vx.pick(found, "datePermalink", "u-dt", "DateTime")),
        quotes=[_html_quote(q) for q in _outer_quotes(body)],
        post_number=_html_number(found),
        signature=vx.text_or_none(vx.pick(found, "message-signature", "signature")),
    )
    note = vx.text_or_none(vx.pick(found, "message-lastEdit", "editDate"))
    if note:
        m = _EDIT_NOTE.match(note)
        editor = m.group("editor") if m else None
        post.edited_text = note
        post.edited_by = editor if editor and editor.lower() != "a moderator" else None
    post.reactions = _html_reactions(vx.pick(found, "reactionsBar-link", "LikeText"))
    return post


def _html_number(found: dict[str, list[HtmlElement]]) -> int | None:
    links = [a for ul in found.get("message-attribution-opposite", []) for a in ul.iter("a")]
    for link in links + found.get("postNumber", []):
        m = _NUMBER.match(vx.clean(link.text_content()))
        if m:
            return int(m.group(1))
    return None


def _html_quote(box: HtmlElement) -> ParsedQuote:
    author = box.get("data-quote") or box.get("data-author")
    if not author:
        title = vx.first_class(box, "bbCodeBlock-title", "attribution")
        m = _SAID.match(vx.html_text(title)) if title is not None else None
        author = m.group("author") if m else None
    content = vx.first_class(box, "bbCodeBlock-expandContent", "quote", "bbCodeBlock-content")
    if content is None:
        content = box
    text = vx.html_text(
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
    text = vx.clean(link.text_content())
    if not names:
        return [("total", vx.count_reactors(text))] if text else []
    m = _OTHERS_HTML.search(text)
    others = int(m.group(1).replace(",", "")) if m else 0
    return [("total", len(names) + others)]


ENGINE = XenForoEngine()
