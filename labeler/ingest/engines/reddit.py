"""Reddit-like threads: a submission and its comment tree, as HTML or as text.

Covers new Reddit (2018-2022: "level N" lines, "39 points · 6 years ago"), old Reddit
("[-]user 39 points 6 years ago", div.thing) and shreddit (shreddit-comment elements). Depth
comes from "level N" (or the markup's nesting); a comment's parent is the nearest earlier item
one level up, and top-level comments answer the submission. Many comments print no author:
then the author is None.
"""

from __future__ import annotations

import re
from copy import deepcopy
from dataclasses import dataclass
from typing import TYPE_CHECKING

from labeler.errors import CorruptInputError
from labeler.ingest.engines.base import Engine, clean_line, element_text, join_paragraphs, unlynx
from labeler.ingest.model import PageKind, ParsedPage, ParsedPost, ParsedQuote

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from labeler.ingest.page import Page

# ---------------------------------------------------------------- text shapes
_AGO = (
    r"(?:(?:\d+|\b(?:an?|one))\s*(?:years?|yrs?|months?|mos?|weeks?|wks?|days?|hours?|hrs?"
    r"|minutes?|mins?|seconds?|secs?|[ymwdhs])\.?\s+ago|\bjust now)"
)
_LEVEL = re.compile(r"^level\s+(\d{1,3})$", re.I)
_META = re.compile(
    r"^(?P<pre>.{0,80}?)(?:(?P<score>-?\d[\d,.]*[kKmM]?)\s*points?|(?P<hidden>[Ss]core hidden))"
    rf"\s*[·•|]\s*(?P<time>{_AGO}|[^·•|]{{0,30}}\d[^·•|]{{0,30}}?)"
    r"(?:\s*[·•|]\s*(?P<edit>edited\b[^·•|]{0,40}))?$",
    re.I,
)
_POSTED = re.compile(r"^(?P<pre>.{0,40}?)Posted by\s*(?P<rest>.{0,120})$")
_TIME_AT_END = re.compile(rf"{_AGO}\s*$", re.I)
_TIME_LINE = re.compile(
    rf"^(?P<pre>.{{0,60}}?)\s*(?P<time>{_AGO})(?:\s*[·•|]\s*(?P<edit>edited\b.{{0,40}}))?$", re.I
)
_OLD_HEAD = re.compile(
    r"^\[[\u2013\u2014+-]\]\s*(?P<author>\S{1,40}?)(?P<mid>\s.{0,80}?)?\s*"
    r"(?P<scores>(?:-?\d[\d,]*\s*points?\s*){1,3}|\[score hidden\]\s*)"
    r"(?P<time>.{1,40}?(?:\bago|\bjust now))(?P<star>\*?)(?:\s*\(\d+ child(?:ren)?\))?$"
)
_OLD_SUBMITTED = re.compile(
    rf"^submitted\s+(?P<time>.{{0,40}}?{_AGO})\s*\*?\s*by\s+(?P<author>[\w-]{{1,40}})", re.I
)
_EDITED = re.compile(rf"^[·•|]?\s*(edited\b.{{0,30}}?{_AGO})$", re.I)
_SCORE_LINE = re.compile(r"^(?:-?\d[\d,.]*[kKmM]?|Vote|•)$")
_COMMENT_COUNT = re.compile(r"^(?:[•*]\s*)?(?:all\s+)?\d[\d,.]*[kK]?\s+comments?$", re.I)
_SUBMISSION_END = re.compile(
    r"^(?:\d{1,3}% Upvoted|Sort by\b|sorted by:|Log in or sign up to leave a comment"
    r"|Comment as\b|This thread is archived)",
    re.I,
)
_END = re.compile(
    r"^(?:View entire discussion|More posts from the\b|Continue browsing in\b|View all comments"
    r"|Back to Top$|about help\b|Use of this site constitutes|More posts you may like"
    r"|Top (?:posts|comments) of\b)",
    re.I,
)
# Buttons and thread links printed around comments (never body).
_CONTROL_WORDS = frozenset(
    {
        "continue this thread", "more replies", "reply", "share", "report", "save", "unsave",
        "give award", "award", "follow", "vote", "upvote", "downvote", "permalink", "embed",
        "parent", "source", "hide child comments", "show parent comments", "view more comments",
        "user avatar",
    }
)  # fmt: skip
# Buttons printed side by side with no space between them ("ReplyGive AwardShare").
_CONTROL_RUN = re.compile(
    r"^(?:reply|giveaward|award|share|report|save|unsave|hide|follow|permalink|embed|parent"
    r"|source|crosspost|vote|upvote|downvote)+$"
)
_CONTROL_COUNTED = re.compile(r"^(?:\d+ more repl(?:y|ies)|load more comments.*|level \d+)$")
_OLD_BUTTON = re.compile(r"^(?:[•*·]\s*)?permalink$", re.I)
_BADGE = re.compile(
    r"^(?:Archived|Locked|Pinned|Stickied|NSFW|Spoiler|OC|Original Content|Quarantined"
    r"|Crosspost|Promoted|Pinned by moderators|\[[^\]]{0,60}\])$",
    re.I,
)
_OP_BADGES = re.compile(r"\b(?:Original Poster|OP|Moderator|Admin|Stickied comment)\b")
_USERNAME = re.compile(r"^(?:/?u/)?(?P<name>[\w-]{2,30})$")
_QUOTE_INDENT = 4
_DETECT_LINES = 20_000


def _count(text: str) -> int | None:
    """A printed count as a number ("124", "1,234", "1.2k"); None for anything else."""
    m = re.fullmatch(r"(-?\d[\d,]*(?:\.\d+)?)\s*([kKmM]?)", text.strip())
    if not m:
        return None
    value = float(m[1].replace(",", ""))
    scale = {"k": 1_000, "m": 1_000_000}.get(m[2].lower(), 1)
    return round(value * scale)


def _username(text: str | None) -> str | None:
    """A username as printed (without "u/"), or None for no name / deleted accounts."""
    m = _USERNAME.match((text or "").strip())
    if not m or m["name"].lower() in {"deleted", "removed"}:
        return None
    return m["name"]


# ---------------------------------------------------------------- bodies in text
def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t\xa0"))


def _is_control(line: str) -> bool:
    """A button or thread link ("Reply", "Continue this thread", "3 more replies")."""
    if not line or len(line) > 60:
        return False
    low = line.strip().lstrip("•*· ").lower()
    if low in _CONTROL_WORDS or (low[:1].isalpha() and _CONTROL_RUN.match(low.replace(" ", ""))):
        return True
    counted = low[:1].isdigit() or low.startswith(("load", "level"))
    return counted and _CONTROL_COUNTED.match(low) is not None


def _body_and_quotes(lines: list[str]) -> tuple[str, list[ParsedQuote]]:
    """Own text and blockquotes: paragraphs indented as a whole (as text browsers print them)."""
    kept: list[str] = []
    indented = False
    for line in lines:
        if not _is_control(line):
            kept.append(line)
            indented = indented or (line[:1] in (" ", "\t", "\xa0") and bool(line.strip()))
    if not indented:
        return join_paragraphs(kept), []
    filled = [_indent(x) for x in kept if x.strip()]
    base = min(filled) if filled else 0
    own: list[str] = []
    quotes: list[ParsedQuote] = []
    block: list[str] = []
    for line in [*kept, ""]:
        if line.strip():
            block.append(line)
            continue
        if block and all(_indent(x) >= base + _QUOTE_INDENT for x in block):
            quotes.append(ParsedQuote(None, join_paragraphs(block)))
        else:
            own.extend(block)
        own.append("")
        block = []
    return join_paragraphs(own), quotes


# ---------------------------------------------------------------- new Reddit text
@dataclass(slots=True)
class _Meta:
    """What a comment's meta line says."""

    author: str | None
    score: int | None
    time_text: str | None
    edited: str | None


def _meta(line: str) -> _Meta | None:
    text = clean_line(line)
    m = _META.match(text) if len(text) <= 160 else None
    if m is None:
        return None
    pre = _OP_BADGES.sub(" ", m["pre"]).strip()
    if len(pre.split()) > 3:
        return None
    author = _username(pre.split()[0]) if pre else None
    score = _count(m["score"]) if m["score"] else None
    return _Meta(author, score, m["time"].strip(), (m["edit"] or "").strip() or None)


def _posted_by(lines: list[str], at: int, stop: int) -> tuple[str | None, str | None, int]:
    """Author and time after "Posted by", on its line or the next few; the line after them."""
    m = _POSTED.match(clean_line(lines[at]))
    rest, j = (m["rest"].strip() if m else ""), at + 1
    while not _TIME_AT_END.search(rest) and j < min(stop, at + 5):
        text = clean_line(lines[j])
        if text and not (text.startswith(("u/", "/u/")) or _TIME_AT_END.search(text)):
            break
        rest, j = f"{rest} {text}".strip(), j + 1
    when = _TIME_AT_END.search(rest)
    who = rest[: when.start()].strip() if when else rest
    author = _username(who.split()[0]) if who.startswith(("u/", "/u/")) else None
    return author, (when[0].strip() if when else None), j


def _submission_new(lines: list[str], at: int, stop: int) -> ParsedPost:
    m = _POSTED.match(clean_line(lines[at]))
    score = _count(m["pre"]) if m and m["pre"].strip() else None
    prev = next((clean_line(x) for x in reversed(lines[max(0, at - 4) : at]) if x.strip()), "")
    if score is None and _SCORE_LINE.match(prev):
        score = _count(prev)
    author, time_text, after = _posted_by(lines, at, stop)
    title, body_lines = _title_and_body(lines[after:stop])
    body, quotes = _body_and_quotes(body_lines)
    return ParsedPost(
        body=body,
        author=author,
        time_text=time_text,
        quotes=quotes,
        reactions=[("score", score)] if score is not None else [],
        subject=title,
        depth=0,
        is_submission=True,
    )


def _title_and_body(lines: list[str]) -> tuple[str | None, list[str]]:
    """The submission's title (first line that is no badge) and the lines after it."""
    i = 0
    while i < len(lines) and (not lines[i].strip() or _BADGE.match(lines[i].strip())):
        i += 1
    if i == len(lines):
        return None, []
    title = clean_line(lines[i])
    i += 1
    while i < len(lines) and (not lines[i].strip() or re.match(r"^\[[^\]]*\]$", lines[i].strip())):
        i += 1
    return title, lines[i:]


def _end_of(lines: list[str], start: int, pattern: re.Pattern[str]) -> int:
    for j in range(start, len(lines)):
        if pattern.match(lines[j].strip()):
            return j
    return len(lines)


def _head_line(line: str) -> _Meta | None:
    """A comment header line: the points meta line, or "[user|flair ·] time [· edited time]"."""
    meta = _meta(line)
    if meta is not None:
        return meta
    text = clean_line(line)
    m = _TIME_LINE.match(text) if len(text) <= 120 else None
    if m is None:
        return None
    pre = _OP_BADGES.sub(" ", m["pre"]).strip(" ·•|")
    if len(pre) > 40 or len(pre.split()) > 4:
        return None
    author = _username(pre) if pre else None
    return _Meta(author, None, m["time"].strip(), (m["edit"] or "").strip() or None)


def _read_head(lines: list[str], start: int, stop: int) -> tuple[_Meta | None, int]:
    """The header after "level N": user, badges, flair, then the meta or time line."""
    author: str | None = None
    for j in range(start, min(stop, len(lines))):
        text = clean_line(lines[j])
        head = _head_line(text) if text else None
        if head is None:
            author = author or _username(text)
            continue
        head.author = author or head.author
        after = _next_filled(lines, j + 1, stop)
        edit = _EDITED.match(clean_line(lines[after])) if after is not None else None
        if edit and after is not None:
            head.edited = edit[1]
            return head, after + 1
        return head, j + 1
    return None, start


def _next_filled(lines: list[str], start: int, stop: int) -> int | None:
    return next((k for k in range(start, min(stop, len(lines))) if lines[k].strip()), None)


def _tail_score(region: list[str]) -> tuple[int | None, list[str]]:
    """A bare vote count printed among the buttons after a comment ("12", "Reply")."""
    filled: list[int] = []
    for k in range(len(region) - 1, -1, -1):
        if region[k].strip():
            filled.insert(0, k)
            if len(filled) == 8:
                break
    for n, k in enumerate(filled):
        count = _count(region[k]) if _SCORE_LINE.match(region[k].strip()) else None
        if count is None:
            continue
        near = [region[filled[m]].strip() for m in (n - 1, n + 1) if 0 <= m < len(filled)]
        if any(_is_control(x) for x in near):
            return count, region[:k] + region[k + 1 :]
    return None, region


def _comment_new(lines: list[str], start: int, stop: int) -> ParsedPost:
    """A comment from its "level N" (or meta) line to the next comment."""
    level = _LEVEL.match(lines[start].strip())
    depth = int(level[1]) if level else None
    first = start + 1 if level else start
    meta, j = _read_head(lines, first, min(stop, first + 6))
    if meta is None:
        meta, j = _Meta(None, None, None, None), first
    score, region = meta.score, lines[j:stop]
    if score is None:
        score, region = _tail_score(region)
    body, quotes = _body_and_quotes(region)
    return ParsedPost(
        body=body,
        author=meta.author,
        time_text=meta.time_text,
        quotes=quotes,
        reactions=[("points", score)] if score is not None else [],
        edited_text=meta.edited,
        depth=depth,
    )


def _is_level(line: str) -> bool:
    return len(line) < 24 and "evel" in line and _LEVEL.match(line.strip()) is not None


def _is_meta(line: str) -> bool:
    return ("oint" in line or "core hidden" in line) and _meta(line) is not None


def _parse_new_text(lines: list[str], levels: list[int]) -> list[ParsedPost]:
    starts = levels or [i for i, x in enumerate(lines) if _is_meta(x)]
    end = _end_of(lines, starts[-1] if starts else 0, _END)
    posts: list[ParsedPost] = []
    posted = next(
        (i for i, x in enumerate(lines) if "Posted by" in x and _POSTED.match(clean_line(x))), None
    )
    if posted is not None and (not starts or posted < starts[0]):
        stop = min(starts[0] if starts else end, _submission_stop(lines, posted + 1))
        posts.append(_submission_new(lines, posted, stop))
    for k, start in enumerate(starts):
        stop = starts[k + 1] if k + 1 < len(starts) else end
        posts.append(_comment_new(lines, start, stop))
    return posts


def _submission_stop(lines: list[str], start: int) -> int:
    for j in range(start, len(lines)):
        text = lines[j].strip()
        if _COMMENT_COUNT.match(text) or _SUBMISSION_END.match(text) or _LEVEL.match(text):
            return j
    return len(lines)


# ---------------------------------------------------------------- old Reddit text
def _old_comment(head: re.Match[str], lines: list[str]) -> ParsedPost:
    scores = re.findall(r"-?\d[\d,]*", head["scores"])
    score = _count(scores[len(scores) // 2]) if scores else None
    cut = next(
        (j for j, x in enumerate(lines) if "permalink" in x and _OLD_BUTTON.match(x.strip())),
        len(lines),
    )
    body, quotes = _body_and_quotes(lines[:cut])
    return ParsedPost(
        body=body,
        author=_username(head["author"]),
        time_text=head["time"].strip(),
        quotes=quotes,
        reactions=[("points", score)] if score is not None else [],
        edited_text="*" if head["star"] else None,
    )


def _old_submission(lines: list[str], at: int, stop: int) -> ParsedPost:
    m = _OLD_SUBMITTED.match(clean_line(lines[at]))
    assert m is not None
    above = [clean_line(x) for x in lines[max(0, at - 8) : at] if x.strip()]
    title = re.sub(r"\s*\([\w.\-/]+\)$", "", above[-1]) if above else None
    numbers = [n for n in (_count(x) for x in above[:-1][-3:]) if n is not None]
    score = numbers[len(numbers) // 2] if numbers else None
    region = [x for x in lines[at + 1 : stop] if not _COMMENT_COUNT.match(x.strip())]
    body, quotes = _body_and_quotes(region)
    return ParsedPost(
        body=body,
        author=_username(m["author"]),
        time_text=m["time"].strip(),
        quotes=quotes,
        reactions=[("score", score)] if score is not None else [],
        subject=title,
        depth=0,
        is_submission=True,
    )


def _is_submitted(line: str) -> bool:
    return "submitted" in line and _OLD_SUBMITTED.match(clean_line(line)) is not None


def _old_heads(lines: list[str]) -> list[tuple[int, re.Match[str]]]:
    return [
        (i, m)
        for i, x in enumerate(lines)
        if len(x) < 300 and x.lstrip()[:1] == "["
        if (m := _OLD_HEAD.match(clean_line(x)))
    ]


def _parse_old_text(lines: list[str], heads: list[tuple[int, re.Match[str]]]) -> list[ParsedPost]:
    posts: list[ParsedPost] = []
    first = heads[0][0] if heads else len(lines)
    submitted = next((i for i, x in enumerate(lines[:first]) if _is_submitted(x)), None)
    if submitted is not None:
        stop = min(first, _end_of(lines, submitted + 1, re.compile(r"^(?:all \d|sorted by)", re.I)))
        posts.append(_old_submission(lines, submitted, stop))
    for k, (i, head) in enumerate(heads):
        stop = heads[k + 1][0] if k + 1 < len(heads) else _end_of(lines, i + 1, _END)
        posts.append(_old_comment(head, lines[i + 1 : stop]))
    return posts


def _parse_text(page: Page) -> ParsedPage:
    lines = unlynx(page.text).split("\n")
    old = _old_heads(lines)
    levels = [i for i, x in enumerate(lines) if _is_level(x)]
    posts = (
        _parse_old_text(lines, old) if len(old) > len(levels) else _parse_new_text(lines, levels)
    )
    _link_parents(posts)
    title = next((p.subject for p in posts if p.is_submission), None)
    return ParsedPage(engine="reddit", kind=PageKind.FORUM, title=title, posts=posts)


# ---------------------------------------------------------------- threading
def _link_parents(posts: list[ParsedPost]) -> None:
    """Parent = the nearest earlier item one level up (level-1 comments → the submission)."""
    stack: list[int | None] = []
    for i, post in enumerate(posts):
        depth = post.depth
        if depth is None:
            continue
        if depth >= 1 and depth - 1 < len(stack):
            post.parent_index = stack[depth - 1]
        del stack[depth:]
        stack.extend([None] * (depth - len(stack)))
        stack.append(i)


# ---------------------------------------------------------------- HTML
def _has(cls: str) -> str:
    """XPath predicate: the element's class attribute holds `cls`."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')"


def _tid(value: str) -> str:
    """XPath predicate: new Reddit's test id (both spellings of the attribute)."""
    return f"(@data-test-id='{value}' or @data-testid='{value}')"


# new Reddit (2018-2022): obfuscated class names, so ids, test ids and click ids only.
_NEW_POST = (
    f"//*[starts-with(@id, 't3_')][.//*[{_tid('post-content')}]]|//*[{_tid('post-container')}]"
)
_NEW_COMMENT = f"//div[starts-with(@id, 't1_')][.//*[{_tid('comment')}]]"
_USER_LINK = ".//a[contains(@href, '/user/')][not(ancestor::*[{0}])]"
_NEW_POST_AUTHOR = (
    f".//a[{_tid('post_author_link')}]",
    _USER_LINK.format("@data-click-id='text'"),
)
_NEW_POST_TIME = (".//a[@data-click-id='timestamp']", f".//*[{_tid('post_timestamp')}]")
_NEW_POST_TEXT = (".//*[@data-click-id='text']", f".//*[{_has('RichTextJSON-root')}]")
_NEW_COMMENT_AUTHOR = (f".//a[{_tid('comment_author_link')}]", _USER_LINK.format(_tid("comment")))
_NEW_COMMENT_TIME = (
    ".//a[starts-with(@id, 'CommentTopMeta--Created--')]",
    f".//*[{_tid('comment_timestamp')}]",
)
_POINTS = re.compile(r"^(-?\d[\d,.]*[kKmM]?)\s*points?$")
# old Reddit: div.thing elements nest replies inside div.child.
_OLD_THING = f"//div[{_has('thing')}][{_has('link')} or {_has('comment')}]"
_OLD_COMMENT_ANCESTORS = f"ancestor::div[{_has('thing')}][{_has('comment')}]"
_OLD_SCORE = (f".//span[{_has('score')}][{_has('unvoted')}]", f".//span[{_has('score')}]")
_OLD_LINK_SCORE = (f"./div[{_has('midcol')}]/div[{_has('unvoted')}]", f".//div[{_has('score')}]")


def _first(el: HtmlElement | None, *xpaths: str) -> HtmlElement | None:
    """The first element that the first matching XPath finds."""
    if el is None:
        return None
    for xpath in xpaths:
        found = el.xpath(xpath)
        if found:
            return found[0]
    return None


def _text_of(el: HtmlElement | None) -> str:
    return clean_line(el.text_content()) if el is not None else ""


def _html_body(el: HtmlElement | None) -> tuple[str, list[ParsedQuote]]:
    """A comment's text with its blockquotes taken out as unattributed quotes."""
    if el is None:
        return "", []
    copy = deepcopy(el)
    copy.tail = None
    quotes: list[ParsedQuote] = []
    for block in copy.xpath(".//blockquote[not(ancestor::blockquote)]"):
        quotes.append(ParsedQuote(None, element_text(block)))
        block.drop_tree()
    for ol in copy.iter("ol"):
        for n, li in enumerate(ol.iterchildren("li"), 1):
            li.text = f"{n}. {li.text or ''}"
    return element_text(copy), quotes


def _post(
    body: tuple[str, list[ParsedQuote]], score: int | None, *, submission: bool, **fields: object
) -> ParsedPost:
    """A ParsedPost with the score named as the answer keys name it."""
    name = "score" if submission else "points"
    post = ParsedPost(body=body[0], quotes=body[1], is_submission=submission)
    post.reactions = [(name, score)] if score is not None else []
    for key, value in fields.items():
        setattr(post, key, value)
    if submission:
        post.depth = 0
    return post


def _shreddit(tree: HtmlElement) -> list[ParsedPost]:
    posts: list[ParsedPost] = []
    for el in tree.xpath("//shreddit-post"):
        body = _html_body(_first(el, ".//*[@slot='text-body']", f".//div[{_has('md')}]"))
        when = _text_of(_first(el, ".//faceplate-timeago", ".//time")) or None
        subject = el.get("post-title") or None
        author = _username(el.get("author"))
        score = _count(el.get("score") or "")
        posts.append(
            _post(body, score, submission=True, author=author, time_text=when, subject=subject)
        )
    for el in tree.xpath("//shreddit-comment"):
        body = _html_body(_first(el, "./*[@slot='comment']"))
        meta = _first(el, "./*[@slot='commentMeta']")
        when = _text_of(_first(meta, ".//faceplate-timeago", ".//time")) or None
        depth = _count(el.get("depth") or "")
        author = _username(el.get("author"))
        score = _count(el.get("score") or "")
        level = depth + 1 if depth is not None else None
        posts.append(
            _post(body, score, submission=False, author=author, time_text=when, depth=level)
        )
    return posts


def _vote_count(el: HtmlElement) -> int | None:
    """The count printed between the up and down vote buttons."""
    vote = _first(el, ".//button[@data-click-id='upvote' or @aria-label='upvote']")
    count = vote.getnext() if vote is not None else None
    return _count(_text_of(count)) if count is not None else None


def _new_submission(el: HtmlElement) -> ParsedPost:
    return _post(
        _html_body(_first(el, *_NEW_POST_TEXT)),
        _vote_count(el),
        submission=True,
        author=_username(_text_of(_first(el, *_NEW_POST_AUTHOR))),
        time_text=_text_of(_first(el, *_NEW_POST_TIME)) or None,
        subject=_text_of(_first(el, ".//h1", ".//h3")) or None,
    )


def _new_comment(el: HtmlElement) -> ParsedPost:
    spans = [_text_of(s) for s in el.xpath(".//span")]
    level = next((int(m[1]) for s in spans if (m := _LEVEL.match(s))), None)
    if level is None:
        level = len(el.xpath(f".//i[{_has('threadline')}]")) or None
    points = next((m for s in spans if (m := _POINTS.match(s))), None)
    score = _count(points[1]) if points else _vote_count(el)
    return _post(
        _html_body(_first(el, f".//*[{_tid('comment')}]")),
        score,
        submission=False,
        author=_username(_text_of(_first(el, *_NEW_COMMENT_AUTHOR))),
        time_text=_text_of(_first(el, *_NEW_COMMENT_TIME)) or None,
        edited_text=next((s for s in spans if s.lower().startswith("edited ")), None),
        depth=level,
    )


def _new_reddit(tree: HtmlElement) -> list[ParsedPost]:
    posts: list[ParsedPost] = []
    post = _first(tree, _NEW_POST)
    if post is not None:
        posts.append(_new_submission(post))
    posts.extend(_new_comment(el) for el in tree.xpath(_NEW_COMMENT))
    return posts


def _old_score(el: HtmlElement, entry: HtmlElement, link: bool) -> int | None:
    if link:
        return _count(el.get("data-score") or "") or _count(_text_of(_first(el, *_OLD_LINK_SCORE)))
    score_el = _first(entry, *_OLD_SCORE)
    if score_el is None:
        return None
    return _count(score_el.get("title") or "") or _count(_text_of(score_el).split(" ")[0])


def _old_thing(el: HtmlElement) -> ParsedPost:
    entry = _first(el, f"./div[{_has('entry')}]")
    entry = el if entry is None else entry
    tagline = _first(entry, f".//p[{_has('tagline')}]")
    edited = _first(entry, f".//time[{_has('edited-timestamp')}]")
    author = el.get("data-author") or _text_of(_first(entry, f".//a[{_has('author')}]"))
    link = el.get("data-type") == "link" or "link" in (el.get("class") or "").split()
    post = _post(
        _html_body(_first(entry, f".//div[{_has('md')}]")),
        _old_score(el, entry, link),
        submission=link,
        author=_username(author),
        time_text=_text_of(_first(tagline, f".//time[{_has('live-timestamp')}]", ".//time")),
    )
    post.time_text = post.time_text or None
    if link:
        post.subject = _text_of(_first(entry, f".//a[{_has('title')}]")) or None
    else:
        post.depth = len(el.xpath(_OLD_COMMENT_ANCESTORS)) + 1
        post.edited_text = (edited.get("title") or "edited") if edited is not None else None
    return post


def _parse_html(page: Page) -> ParsedPage:
    tree = page.tree
    posts = _shreddit(tree) or [_old_thing(el) for el in tree.xpath(_OLD_THING)]
    posts = posts or _new_reddit(tree)
    _link_parents(posts)
    title = next((p.subject for p in posts if p.is_submission and p.subject), None)
    url = tree.xpath("//link[@rel='canonical']/@href|//meta[@property='og:url']/@content")
    return ParsedPage(
        engine="reddit",
        kind=PageKind.FORUM,
        title=title,
        posts=posts,
        url=str(url[0]) if url else None,
    )


# ---------------------------------------------------------------- detection
def _detect_html(page: Page) -> float:
    tree = page.tree
    if tree.xpath("boolean(//shreddit-comment | //shreddit-post)"):
        return 0.95
    if tree.xpath(f"boolean({_OLD_THING}[@data-fullname] | {_NEW_COMMENT})"):
        return 0.95
    if tree.xpath(f"boolean({_NEW_POST})"):
        return 0.9
    return 0.0


def _detect_text(page: Page) -> float:
    lines = page.lines
    levels = metas = olds = 0
    for i, line in enumerate(lines[:_DETECT_LINES]):
        if _is_level(line):
            levels += _read_head(lines, i + 1, i + 7)[0] is not None
        elif len(line) < 300 and line.lstrip()[:1] == "[" and _OLD_HEAD.match(clean_line(line)):
            olds += 1
        elif _is_meta(line):
            metas += 1
        if levels >= 2 or (levels and metas) or olds >= 2:
            return 0.95
    if metas >= 2:
        return 0.8
    return 0.2 if metas or olds else 0.0


class RedditEngine(Engine):
    """Reddit-like threads: new Reddit, old Reddit and shreddit, HTML and text."""

    name = "reddit"
    title = "Reddit-like thread"
    kind = PageKind.FORUM

    def detect(self, page: Page) -> float:
        """High for Reddit markup or "level N" / "N points · time" lines."""
        try:
            return _detect_html(page) if page.is_html else _detect_text(page)
        except CorruptInputError:
            return 0.0

    def parse(self, page: Page) -> ParsedPage:
        """The submission then its comments in page order, with depth and parents."""
        if page.is_html:
            try:
                return _parse_html(page)
            except CorruptInputError as exc:
                return ParsedPage(
                    engine=self.name, kind=PageKind.FORUM, title=None, posts=[], warnings=[str(exc)]
                )
        return _parse_text(page)


ENGINE = RedditEngine()
