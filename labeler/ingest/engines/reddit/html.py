"""Reddit HTML pages: shreddit elements, old Reddit's div.thing, new Reddit's test ids.

New Reddit's class names are obfuscated, so it is read by element ids, test ids and click
ids only.
"""

from __future__ import annotations

import re
from copy import deepcopy
from typing import TYPE_CHECKING

from labeler.ingest.engines.base import element_text
from labeler.ingest.engines.html_tools import first_hit, has_class, text_of, with_class
from labeler.ingest.engines.reddit.shapes import LEVEL, parse_count, username
from labeler.ingest.engines.reddit.threads import link_parents
from labeler.ingest.model import PageKind, ParsedPage, ParsedPost, ParsedQuote

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from labeler.ingest.page import Page


def _tid(value: str) -> str:
    """XPath predicate: new Reddit's test id (both spellings of the attribute)."""
    return f"(@data-test-id='{value}' or @data-testid='{value}')"


# new Reddit (2018-2022): obfuscated class names, so ids, test ids and click ids only.
NEW_POST = (
    f"//*[starts-with(@id, 't3_')][.//*[{_tid('post-content')}]]|//*[{_tid('post-container')}]"
)
NEW_COMMENT = f"//div[starts-with(@id, 't1_')][.//*[{_tid('comment')}]]"
_USER_LINK = ".//a[contains(@href, '/user/')][not(ancestor::*[{0}])]"
_NEW_POST_AUTHOR = (
    f".//a[{_tid('post_author_link')}]",
    _USER_LINK.format("@data-click-id='text'"),
)
_NEW_POST_TIME = (".//a[@data-click-id='timestamp']", f".//*[{_tid('post_timestamp')}]")
_NEW_POST_TEXT = (".//*[@data-click-id='text']", f".//*[{with_class('RichTextJSON-root')}]")
_NEW_COMMENT_AUTHOR = (f".//a[{_tid('comment_author_link')}]", _USER_LINK.format(_tid("comment")))
_NEW_COMMENT_TIME = (
    ".//a[starts-with(@id, 'CommentTopMeta--Created--')]",
    f".//*[{_tid('comment_timestamp')}]",
)
_POINTS = re.compile(r"^(-?\d[\d,.]*[kKmM]?)\s*points?$")
# old Reddit: div.thing elements nest replies inside div.child.
OLD_THING = f"//div[{with_class('thing')}][{with_class('link')} or {with_class('comment')}]"
_OLD_COMMENT_ANCESTORS = f"ancestor::div[{with_class('thing')}][{with_class('comment')}]"
_OLD_SCORE = (
    f".//span[{with_class('score')}][{with_class('unvoted')}]",
    f".//span[{with_class('score')}]",
)
_OLD_LINK_SCORE = (
    f"./div[{with_class('midcol')}]/div[{with_class('unvoted')}]",
    f".//div[{with_class('score')}]",
)


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
        body = _html_body(first_hit(el, ".//*[@slot='text-body']", f".//div[{with_class('md')}]"))
        when = text_of(first_hit(el, ".//faceplate-timeago", ".//time")) or None
        subject = el.get("post-title") or None
        author = username(el.get("author"))
        score = parse_count(el.get("score") or "")
        posts.append(
            _post(body, score, submission=True, author=author, time_text=when, subject=subject)
        )
    for el in tree.xpath("//shreddit-comment"):
        body = _html_body(first_hit(el, "./*[@slot='comment']"))
        meta = first_hit(el, "./*[@slot='commentMeta']")
        when = text_of(first_hit(meta, ".//faceplate-timeago", ".//time")) or None
        depth = parse_count(el.get("depth") or "")
        author = username(el.get("author"))
        score = parse_count(el.get("score") or "")
        level = depth + 1 if depth is not None else None
        posts.append(
            _post(body, score, submission=False, author=author, time_text=when, depth=level)
        )
    return posts


def _vote_count(el: HtmlElement) -> int | None:
    """The count printed between the up and down vote buttons."""
    vote = first_hit(el, ".//button[@data-click-id='upvote' or @aria-label='upvote']")
    count = vote.getnext() if vote is not None else None
    return parse_count(text_of(count)) if count is not None else None


def _new_submission(el: HtmlElement) -> ParsedPost:
    return _post(
        _html_body(first_hit(el, *_NEW_POST_TEXT)),
        _vote_count(el),
        submission=True,
        author=username(text_of(first_hit(el, *_NEW_POST_AUTHOR))),
        time_text=text_of(first_hit(el, *_NEW_POST_TIME)) or None,
        subject=text_of(first_hit(el, ".//h1", ".//h3")) or None,
    )


def _new_comment(el: HtmlElement) -> ParsedPost:
    spans = [text_of(s) for s in el.xpath(".//span")]
    level = next((int(m[1]) for s in spans if (m := LEVEL.match(s))), None)
    if level is None:
        level = len(el.xpath(f".//i[{with_class('threadline')}]")) or None
    points = next((m for s in spans if (m := _POINTS.match(s))), None)
    score = parse_count(points[1]) if points else _vote_count(el)
    return _post(
        _html_body(first_hit(el, f".//*[{_tid('comment')}]")),
        score,
        submission=False,
        author=username(text_of(first_hit(el, *_NEW_COMMENT_AUTHOR))),
        time_text=text_of(first_hit(el, *_NEW_COMMENT_TIME)) or None,
        edited_text=next((s for s in spans if s.lower().startswith("edited ")), None),
        depth=level,
    )


def _new_reddit(tree: HtmlElement) -> list[ParsedPost]:
    posts: list[ParsedPost] = []
    post = first_hit(tree, NEW_POST)
    if post is not None:
        posts.append(_new_submission(post))
    posts.extend(_new_comment(el) for el in tree.xpath(NEW_COMMENT))
    return posts


def _old_score(el: HtmlElement, entry: HtmlElement, link: bool) -> int | None:
    if link:
        return parse_count(el.get("data-score") or "") or parse_count(
            text_of(first_hit(el, *_OLD_LINK_SCORE))
        )
    score_el = first_hit(entry, *_OLD_SCORE)
    if score_el is None:
        return None
    return parse_count(score_el.get("title") or "") or parse_count(text_of(score_el).split(" ")[0])


def _old_thing(el: HtmlElement) -> ParsedPost:
    entry = first_hit(el, f"./div[{with_class('entry')}]")
    entry = el if entry is None else entry
    tagline = first_hit(entry, f".//p[{with_class('tagline')}]")
    edited = first_hit(entry, f".//time[{with_class('edited-timestamp')}]")
    author = el.get("data-author") or text_of(first_hit(entry, f".//a[{with_class('author')}]"))
    link = el.get("data-type") == "link" or has_class(el, "link")
    post = _post(
        _html_body(first_hit(entry, f".//div[{with_class('md')}]")),
        _old_score(el, entry, link),
        submission=link,
        author=username(author),
        time_text=text_of(
            first_hit(tagline, f".//time[{with_class('live-timestamp')}]", ".//time")
        ),
    )
    post.time_text = post.time_text or None
    if link:
        post.subject = text_of(first_hit(entry, f".//a[{with_class('title')}]")) or None
    else:
        post.depth = len(el.xpath(_OLD_COMMENT_ANCESTORS)) + 1
        post.edited_text = (edited.get("title") or "edited") if edited is not None else None
    return post


def parse_html(page: Page) -> ParsedPage:
    """The submission and comments of shreddit, old Reddit or new Reddit markup, threaded."""
    tree = page.tree
    posts = _shreddit(tree) or [_old_thing(el) for el in tree.xpath(OLD_THING)]
    posts = posts or _new_reddit(tree)
    link_parents(posts)
    title = next((p.subject for p in posts if p.is_submission and p.subject), None)
    url = tree.xpath("//link[@rel='canonical']/@href|//meta[@property='og:url']/@content")
    return ParsedPage(
        engine="reddit",
        kind=PageKind.FORUM,
        title=title,
        posts=posts,
        url=str(url[0]) if url else None,
    )
