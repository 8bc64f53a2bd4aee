"""vBulletin 3, 4 and 5 thread pages, as text (browser copy, w3m, lynx) or HTML.

Text: a post starts at its header line, "06-15-2016, 03:03 PM #1" (vB3/4, often numbered
" 1. ") or "#1" over a date line (vB5, whose author block comes before it). The author,
profile menu, user title and "Join Date / Posts" block follow (vB3/4); quotes open with
"Quote Originally Posted by X View Post" and have no end marker; "__________________" rules
off a signature; "Last edited by X; date." is the edit note; "Reply With Quote" ends a post.
HTML: vB4 li.postcontainer, vB5 li.b-post, vB3 table#postN, with the classes noted below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from labeler.ingest.engines import _vbxf as vx
from labeler.ingest.engines.base import Engine
from labeler.ingest.model import PageKind, ParsedPage, ParsedPost, ParsedQuote

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from labeler.ingest.page import Page

_STATUS = re.compile(r"(?:[A-Za-z]{1,10})?")  # vB3's status icon alt ("Old", "New") or nothing
_ANCHOR_TAIL = re.compile(r"(?:\b(?:Link|Permalink)\s*)?#\s?(\d{1,7})$")
_QUOTE_HEAD = re.compile(
    r"(?i)^(?:\[?quote\]?:?\s*)?originally posted by:?\s+(?P<author>.+?)(?:\s*\[?view post\]?)?$"
)
_BARE_QUOTE = re.compile(r"(?i)^\[?quote\]?:?$")
_EDIT_NOTE = re.compile(r"(?i)^last edited by:?\s+(?P<editor>.+?)(?:\s*;|\s+on\s+|\s+at\s+|$)")
_CONTROLS = re.compile(
    r"(?i)\[[^\]]*\]|reply with quote|multi-?quote this message|quick reply to this message|"
    r"report post|reply to thread|\b(?:reply|quote|report|like|likes|thanks|edit|share|"
    r"permalink|top|comment|blog this post)\b|" + f"[|{re.escape(vx.BULLETS)}]"
)
_FOOTER = re.compile(
    r"(?i)^(?:page \d+ of \d+\b|« previous thread|quick navigation\b|posting permissions$|"
    r"similar threads$|bookmarks$|tags for this thread$|thread information$|"
    r"users browsing this thread$|all times are gmt|« previous|powered by vbulletin)"
)
_PROFILE_LABELS = frozenset(
    (
        "join date", "location", "posts", "mentioned", "tagged", "quoted", "rep power",
        "reputation", "thanks", "thanks (given)", "thanks (received)", "thanked", "likes", "liked",
        "likes (given)", "likes (received)", "blog entries", "age", "gender", "country",
        "real name", "occupation", "interests", "name", "rank", "member", "member since", "send pm",
        "groan", "groans",
    )
)  # fmt: skip
_STATUS_LINE = re.compile(r"(?i) is (?:offline|online)$")
_BRACKETED = re.compile(r"\[[^\]]*\]")
_HAS_CONTROL = re.compile(r"(?i)reply|quote|report|like|thank|share|comment")
_RE_PREFIX = re.compile(r"^Re:\s*")
_LABEL_VALUE = re.compile(r"^(?P<label>[A-Za-z][\w ()]{1,30}):\s*\S")
_MENU = re.compile(
    r"(?i)^(?:view (?:public )?profile|view forum posts|private message|view blog entries|"
    r"visit homepage|view articles|send a private message to .+|find (?:more|all) posts by .+|"
    r"add .+ to your contacts|send email to .+|visit .+'s homepage!?|share|tweet)$"
)


def _quote_head(text: str) -> tuple[str | None, str | None] | None:
    m = _QUOTE_HEAD.match(text)
    if m:
        return m.group("author").strip(), None
    return (None, None) if _BARE_QUOTE.match(text) else None


_STYLE = vx.QuoteStyle(head=_quote_head)


@dataclass(frozen=True, slots=True)
class _Anchor:
    line: int  # index of the "#N" line
    number: int
    time_text: str | None
    time_line: int  # index of the date line (== line when on the same line)


class VBulletinEngine(Engine):
    """vBulletin 3/4/5 thread pages."""

    name = "vbulletin"
    title = "vBulletin"
    kind = PageKind.FORUM

    def detect(self, page: Page) -> float:
        """High for vBulletin markup (generator, postbit classes) or header-line shapes."""
        if page.is_html:
            return _detect_html(page)
        return _detect_text(page.lines)

    def parse(self, page: Page) -> ParsedPage:
        """Posts in page order; an empty list when no vBulletin post is recognisable."""
        if page.is_html:
            return _parse_html(page.tree, self.name)
        return _parse_text(page.lines, self.name)


# ---------------------------------------------------------------- detection
def _detect_html(page: Page) -> float:
    tree = page.tree
    generator = " ".join(tree.xpath("//meta[@name='generator']/@content")).lower()
    if "vbulletin" in generator:
        return 1.0
    if tree.xpath("//*[starts-with(@id, 'post_message_')]") or vx.by_class(tree, "b-post", "li"):
        return 0.9
    if "vbulletin" in page.text[:200_000].lower():
        return 0.5
    return 0.0


def _detect_text(lines: list[str]) -> float:
    anchors = _anchors(lines)
    if not anchors:
        return 0.0
    head = "\n".join(lines[:20_000]).lower()
    markers = sum(
        marker in head
        for marker in ("reply with quote", "originally posted by", "join date", "vbulletin")
    )
    same_line = sum(a.time_line == a.line for a in anchors)  # "date #N" (vB3/4)
    below = sum(a.time_line > a.line for a in anchors)  # "#N" over the date (vB5; MyBB too)
    joined = sum(_join_date_above(lines, a.line) for a in anchors[:50])
    if same_line * 2 >= len(anchors):
        base = 0.5
    elif below * 2 >= len(anchors):
        base = 0.5 if joined * 2 >= min(len(anchors), 50) else 0.15  # vB5's author block
    else:
        base = 0.05
    score = base + 0.15 * markers
    return min(score, 1.0)


def _join_date_above(lines: list[str], k: int) -> bool:
    return any(vx.cleaned(x).lower().startswith("join date") for x in lines[max(0, k - 12) : k])


# ---------------------------------------------------------------- text: headers
def _anchor_at(lines: list[str], k: int) -> _Anchor | None:
    text = vx.strip_bullet(vx.clean(lines[k]))
    m = _ANCHOR_TAIL.search(text)
    if not m or len(text) > 80:
        return None
    number = int(m.group(1))
    before = text[: m.start()].strip()
    if before:
        if ":" not in before and "ago" not in before:  # vB prints the time of day
            return None
        found = next((t for t in vx.TIME_RE.finditer(before) if t.end() == len(before)), None)
        prefix = before[: found.start()].strip() if found is not None else ""
        if found is None or not vx.DATE_START.match(found.group()) or not _STATUS.fullmatch(prefix):
            return None
        return _Anchor(k, number, found.group(), k)
    for step in (1, -1):
        j = _next_filled(lines, k, step)
        if j is not None and vx.is_time_text(vx.clean(lines[j])):
            return _Anchor(k, number, vx.clean(lines[j]), j)
    return None


def _next_filled(lines: list[str], k: int, step: int, reach: int = 3) -> int | None:
    j = k + step
    while 0 <= j < len(lines) and abs(j - k) <= reach:
        if not vx.is_blank(lines[j]) and not vx.is_hr(lines[j]):
            return j
        j += step
    return None


def _anchors(lines: list[str]) -> list[_Anchor]:
    found = []
    for k, line in enumerate(lines):
        if "#" in line:
            anchor = _anchor_at(lines, k)
            if anchor is not None:
                found.append(anchor)
    return found


# ---------------------------------------------------------------- text: posts
def _parse_text(lines: list[str], engine: str) -> ParsedPage:
    anchors = _anchors(lines)
    title = next(
        (vx.clean(x)[7:].strip() for x in lines[:2000] if vx.clean(x).startswith("Thread: ")),
        None,
    )
    before = sum(a.time_line > a.line for a in anchors) * 2 > len(anchors)
    sources = vx.SourceIndex()
    posts = (
        _posts_author_before(lines, anchors, sources, title)
        if before
        else _posts_author_after(lines, anchors, sources, title)
    )
    vx.repeated_signatures(posts)
    vx.quoted_signatures(posts)
    return ParsedPage(engine=engine, kind=PageKind.FORUM, title=title, posts=posts)


def _posts_author_after(
    lines: list[str], anchors: list[_Anchor], sources: vx.SourceIndex, title: str | None
) -> list[ParsedPost]:
    regions = []
    for n, anchor in enumerate(anchors):
        end = (
            min(anchors[n + 1].line, anchors[n + 1].time_line)
            if n + 1 < len(anchors)
            else len(lines)
        )
        regions.append(lines[max(anchor.line, anchor.time_line) + 1 : end])
    columns = [_column(region) for region in regions]
    known = [c for c in columns if c is not None]
    usual = max(set(known), key=known.count) if known else None
    posts = []
    for n, (anchor, region, found) in enumerate(zip(anchors, regions, columns, strict=True)):
        post = ParsedPost(body="", time_text=anchor.time_text, post_number=anchor.number)
        col = found
        if col is None and usual is not None and _splits_at(region[:3], usual):
            col = usual
        if col is not None:
            _read_profile([x[:col] for x in region], post, title)
            content = [x[col:] if len(x) > col else "" for x in region]
        else:
            content = region[_read_profile(region, post, title) :]
        last = n + 1 == len(anchors)
        content = _merge_quote_labels(_until_controls(content, post.author, last=last))
        content = _take_subject(content, post, title)
        vx.fill_from_lines(post, content, _STYLE, _EDIT_NOTE, sources)
        posts.append(post)
    return posts


def _posts_author_before(
    lines: list[str], anchors: list[_Anchor], sources: vx.SourceIndex, title: str | None
) -> list[ParsedPost]:
    starts = [_author_block(lines, a) for a in anchors]
    posts = []
    for n, anchor in enumerate(anchors):
        start, author, user_title = starts[n]
        end = starts[n + 1][0] if n + 1 < len(anchors) else len(lines)
        post = ParsedPost(
            body="",
            author=author,
            user_title=user_title,
            time_text=anchor.time_text,
            post_number=anchor.number,
        )
        content = _merge_quote_labels(
            lines[max(anchor.line, anchor.time_line) + 1 : max(end, start)]
        )
        content = _until_controls(content, author, last=n + 1 == len(anchors))
        content = _take_subject(content, post, title)
        vx.fill_from_lines(post, content, _STYLE, _EDIT_NOTE, sources)
        posts.append(post)
    return posts


def _author_block(lines: list[str], anchor: _Anchor) -> tuple[int, str | None, str | None]:
    """(first line, author, user title) of the block printed above a vB5 "#N" line."""
    top = min(anchor.line, anchor.time_line)
    cand: list[tuple[int, str]] = []
    k = top - 1
    while k >= 0 and len(cand) < 14:
        text = vx.strip_bullet(vx.clean(lines[k]))
        if text and not vx.is_hr(lines[k]) and not _is_profile_line(text):
            cand.append((k, text))
        k -= 1
    for i in range(len(cand) - 1):
        if cand[i][1] == cand[i + 1][1]:
            user_title = cand[i - 1][1] if i >= 1 else None
            return cand[i + 1][0], cand[i][1], user_title
    if cand:
        return cand[0][0], cand[0][1], None
    return top, None, None


def _is_profile_line(text: str) -> bool:
    if _MENU.match(text) or _STATUS_LINE.search(text):
        return True
    m = _LABEL_VALUE.match(text)
    return bool(m and m.group("label").strip().lower() in _PROFILE_LABELS)


def _column(region: list[str]) -> int | None:
    """Where the post column starts in vB3's table layout as w3m draws it (profile column
    left, post column right), or None when the region is one column."""
    counts: dict[int, int] = {}
    for line in region[:80]:
        if not line[:12].isspace() or vx.is_blank(line):
            continue
        level = vx.indent(line)
        counts[level] = counts.get(level, 0) + 1
    if not counts:
        return None
    col = max(counts, key=lambda c: (counts[c], -c))
    return col if _splits_at(region[:80], col) else None


def _splits_at(lines: list[str], col: int) -> bool:
    return any(
        len(line) > col and line[col] != " " and line[col - 2 : col] == "  " and line[:col].strip()
        for line in lines
    )


def _read_profile(region: list[str], post: ParsedPost, title: str | None) -> int:
    """Read author, user title and profile block; return where the content starts."""
    k = next((i for i, x in enumerate(region) if not vx.is_blank(x) and not vx.is_hr(x)), None)
    if k is None:
        return len(region)
    post.author = vx.strip_bullet(vx.clean(region[k])) or None
    last, pair_level = k, None
    pending: list[str] = []
    i = k + 1
    while i < min(len(region), k + 80):
        raw = region[i]
        text = vx.cleaned(raw)
        if not text or vx.is_hr(raw):
            i += 1
            continue
        kind = _profile_kind(region, i, text, post.author, pair_level)
        if kind == "pair" and title and _RE_PREFIX.sub("", text) == title:
            kind = None
        if kind is None:
            if pair_level is not None or len(pending) >= 3:
                break
            pending.append(text)
            i += 1
            continue
        if kind == "avatar":
            post.user_title = text.split(f"{post.author}'s Avatar")[0].strip() or post.user_title
        if pending and post.user_title is None:
            post.user_title = pending[0]
        pending = []
        if kind == "pair":
            pair_level = (vx.indent(raw), vx.indent(region[i + 1]))
            i += 1
        last = i
        i += 1
    if post.user_title is None and pending and last == k:
        return k + 1
    return last + 1


def _profile_kind(
    region: list[str], i: int, text: str, author: str | None, pair_level: tuple[int, int] | None
) -> str | None:
    """What a line of the profile block is: avatar/title, menu, inline or label/value pair."""
    raw = region[i]
    nxt = region[i + 1] if i + 1 < len(region) else ""
    if author and f"{author}'s Avatar" in text:
        return "avatar"
    bullet = raw.lstrip()[:1] in vx.BULLETS and pair_level is None
    if _MENU.match(text) or bullet or _STATUS_LINE.search(text):
        return "menu"
    if _BRACKETED.fullmatch(text) or _is_profile_line(text):
        return "inline"
    if vx.is_blank(nxt):
        return None
    levels = (vx.indent(raw), vx.indent(nxt))
    short = len(text) <= 30 and len(vx.clean(nxt)) <= 40 and text[-1:] not in ".!?"
    labelled = text.lower().rstrip(":") in _PROFILE_LABELS
    same_shape = pair_level is not None and levels == pair_level and levels[0] < levels[1]
    return "pair" if labelled or (same_shape and short) else None


def _until_controls(content: list[str], author: str | None, *, last: bool = True) -> list[str]:
    """Content up to the post's buttons ("Reply With Quote") or (last post) the page footer."""
    status = f"{author} is " if author else "\0"
    for k, raw in enumerate(content):
        text = vx.clean(raw)
        if not text or text.lower() in ("quote:", "[quote]"):
            continue
        if status in text:
            text = re.sub(rf"{re.escape(status)}(?:offline|online)", "", text)
            if not _CONTROLS.sub("", text).strip(" .,:;|"):
                return content[:k]
        if _FOOTER.match(text) or (
            not _CONTROLS.sub("", text).strip(" .,:;|") and _has_control(text)
        ):
            return content[:k]
    return content


def _merge_quote_labels(content: list[str]) -> list[str]:
    """Drop vB3's "Quote:" label line when "Originally Posted by X" follows it."""
    out: list[str] = []
    for raw in content:
        text = vx.clean(raw)
        if _QUOTE_HEAD.match(text) and out:
            k = len(out) - 1
            while k >= 0 and vx.is_blank(out[k]):
                k -= 1
            if k >= 0 and _BARE_QUOTE.match(vx.clean(out[k])):
                del out[k:]
        out.append(raw)
    return out


def _has_control(text: str) -> bool:
    return len(text) < 160 and _HAS_CONTROL.search(text) is not None


def _take_subject(content: list[str], post: ParsedPost, title: str | None) -> list[str]:
    """The post's title line (vB prints it above the message), when there is one."""
    filled = [k for k, x in enumerate(content) if not vx.is_blank(x) and not vx.is_hr(x)]
    if len(filled) < 2:
        return content
    k0, k1 = filled[0], filled[1]
    first = vx.clean(content[k0])
    ruled = any(vx.is_hr(x) for x in content[k0 + 1 : k1])
    shallower = vx.indent(content[k0]) < vx.indent(content[k1])
    named = title is not None and _RE_PREFIX.sub("", first) == title
    if ruled or shallower or named:
        post.subject = first
        return content[k0 + 1 :]
    return content


_THANKS = re.compile(r"(?i)the following (\d+) users? says? thank you to .+ for this useful post")


# ---------------------------------------------------------------- HTML
def _parse_html(tree: HtmlElement, engine: str) -> ParsedPage:
    posts = [p for p in (_html_post(box) for box in _html_boxes(tree)) if p is not None]
    return ParsedPage(
        engine=engine,
        kind=PageKind.FORUM,
        title=_html_title(tree),
        posts=posts,
        url=vx.meta_url(tree),
    )


def _html_boxes(tree: HtmlElement) -> list[HtmlElement]:
    """Post containers: vB4 li.postcontainer, vB5 li.b-post, vB3 table#postN."""
    vb4 = vx.by_class(tree, "postcontainer")
    if vb4:
        return vb4
    vb5 = [e for e in vx.by_class(tree, "b-post", "li") if e.get("data-node-id")]
    if vb5:
        return vb5
    return [
        e
        for e in tree.xpath("//table[starts-with(@id, 'post')] | //div[starts-with(@id, 'post')]")
        if re.fullmatch(r"post\d+", e.get("id") or "")
        and e.xpath(".//*[starts-with(@id, 'post_message_')]")
    ]


def _html_title(tree: HtmlElement) -> str | None:
    found = vx.first_class(tree, "threadtitle")
    if found is not None:
        return vx.html_text(found) or None
    for value in tree.xpath("//meta[@property='og:title']/@content | //title/text()"):
        text = vx.clean(str(value)).split(" - ")[0].strip()
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
    found = vx.find(box, _CLASSES, _IDS)
    content = vx.pick(found, "#post_message_", "js-post__content-text", "postcontent")
    if content is None:
        return None
    post = ParsedPost(
        body=vx.html_text(content, drop_if=_is_quote_box),
        author=vx.text_or_none(vx.pick(found, "username", "bigusername", "author", "#postmenu_")),
        time_text=_html_time(found),
        quotes=[_html_quote(q) for q in _quote_boxes(content)],
        user_title=vx.text_or_none(vx.pick(found, "usertitle")) or _vb3_user_title(found),
        subject=_html_subject(found),
    )
    counter = vx.pick(found, "postcounter", "b-post__count")
    post.post_number = vx.post_number(
        vx.html_text(counter) if counter is not None else _vb3_number(found)
    )
    signature = vx.pick(found, "signaturecontainer", "signature", "post-signature")
    post.signature = vx.text_or_none(signature) or _vb3_sig(found)
    note = vx.text_or_none(vx.pick(found, "lastedited", "edit-info", "b-post__edit"))
    note = re.sub(r"^(?:\[[^\]]{0,40}\]\s*)+", "", note or _vb3_edit(found) or "")
    if note:
        m = _EDIT_NOTE.match(note)
        post.edited_text = note
        post.edited_by = m.group("editor").strip() if m else None
    thanks = _THANKS.search(vx.text_or_none(vx.pick(found, "#post_thanks_box")) or "")
    if thanks:
        post.reactions = [("Thanks", int(thanks.group(1)))]
    return post


def _html_time(found: dict[str, list[HtmlElement]]) -> str | None:
    text = vx.text_or_none(vx.pick(found, "date", "b-post__timestamp", "postdate", "thead")) or ""
    m = next((t for t in vx.TIME_RE.finditer(text) if vx.DATE_START.match(t.group())), None)
    return m.group() if m else (text or None)


def _html_subject(found: dict[str, list[HtmlElement]]) -> str | None:
    heads = [e for e in found.get("title", []) if e.tag == "h2"] + found.get("b-post__title", [])
    for cell in found.get("#td_post_", [])[:1]:
        heads += cell.xpath("./div[contains(@class, 'smallfont')]/strong")
    for head in heads:
        text = vx.html_text(head)
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
    text = vx.html_text(after[0]) if after else ""
    return text if text and ":" not in text and "Avatar" not in text else None


def _vb3_sig(found: dict[str, list[HtmlElement]]) -> str | None:
    for cell in found.get("#td_post_", [])[:1]:
        for div in cell.xpath("./div"):
            text = vx.html_text(div)
            if vx.SIGNATURE_RULE.match(text.split("\n", 1)[0].strip()):
                return text.split("\n", 1)[1].strip() if "\n" in text else None
    return None


def _vb3_edit(found: dict[str, list[HtmlElement]]) -> str | None:
    for cell in found.get("#td_post_", [])[:1]:
        for em in cell.xpath(".//em"):
            text = vx.html_text(em)
            if _EDIT_NOTE.match(text):
                return text
    return None


def _is_quote_box(element: HtmlElement) -> bool:
    """vB4/5 div.bbcode_quote, or vB3's div holding "Quote:" and a table."""
    if vx.has_class(element, "bbcode_quote"):
        return True
    if element.tag != "div":
        return False
    kids = [c for c in element if isinstance(c.tag, str)]
    return (
        len(kids) >= 2
        and kids[0].tag == "div"
        and vx.clean(kids[0].text_content()).lower().startswith("quote")
        and any(c.tag == "table" for c in kids[1:])
    )


def _quote_boxes(root: HtmlElement) -> list[HtmlElement]:
    """Outermost quote containers under root."""
    found: list[HtmlElement] = []

    def walk(node: HtmlElement) -> None:
        for child in node:
            if not isinstance(child.tag, str):
                continue
            if _is_quote_box(child):
                found.append(child)
            else:
                walk(child)

    walk(root)
    return found


def _html_quote(box: HtmlElement) -> ParsedQuote:
    head = vx.first_class(box, "bbcode_postedby")
    if head is None:
        cells = box.xpath(".//td")
        rows = [c for c in cells[0] if isinstance(c.tag, str)] if cells else []
        if rows and "originally posted by" in vx.clean(rows[0].text_content()).lower():
            head = rows[0]
    message = vx.first_class(box, "message")
    if message is None:
        message = (box.xpath(".//td") or [box])[0]
    author = None
    if head is not None:
        strong = head.xpath(".//strong")
        author = vx.html_text(strong[0]) if strong else None
        if not author:
            m = _QUOTE_HEAD.match(vx.clean(head.text_content()))
            author = m.group("author") if m else None
    nested = [_html_quote(q) for q in _quote_boxes(message)]
    text = vx.html_text(message, drop_if=lambda e: _is_quote_box(e) or _same(e, head))
    return ParsedQuote(author or None, text, None, nested)


def _same(element: HtmlElement, other: HtmlElement | None) -> bool:
    """True when a copied element is the quote header (same tag, class and text)."""
    return (
        other is not None
        and element.tag == other.tag
        and element.get("class") == other.get("class")
        and vx.clean(element.text_content()) == vx.clean(other.text_content())
    )


ENGINE = VBulletinEngine()
