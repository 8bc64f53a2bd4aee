"""Discourse HTML pages: the crawler view (div.crawler-post) and the app (article[data-post-id]).

Both hold the cooked post HTML; quotes are aside.quote elements, and the app's reply-to
marker names the user a post answers.
"""

from __future__ import annotations

import re
from copy import deepcopy
from typing import TYPE_CHECKING

from labeler.ingest.engines.base import element_text
from labeler.ingest.engines.html_tools import first_hit, first_text, text_of, with_class
from labeler.ingest.model import PageKind, ParsedPage, ParsedPost, ParsedQuote

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from labeler.ingest.page import Page


# The JavaScript app's posts: article[data-post-id] holding the cooked HTML.
APP_POST = f"//article[@data-post-id][.//div[{with_class('cooked')}]]"


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
        title = text_of(first_hit(aside, f".//*[{with_class('title')}]"))
        author = title.split(":")[0].strip() or None
    block = first_hit(aside, ".//blockquote")
    if block is None:
        return ParsedQuote(author, "")
    text, nested = _cooked(block)
    return ParsedQuote(author, text, quotes=nested)


def _cooked(el: HtmlElement) -> tuple[str, list[ParsedQuote]]:
    """A cooked post's own text and its quotes (aside.quote, nested ones inside them)."""
    copy = deepcopy(el)
    copy.tail = None
    quotes: list[ParsedQuote] = []
    outer = f".//aside[{with_class('quote')}][not(ancestor::aside[{with_class('quote')}])]"
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
    body_el = first_hit(el, f".//div[{with_class('post')}]")
    if body_el is None:
        return None
    creator = first_hit(el, f".//*[{with_class('creator')}]", ".//*[@itemprop='author']")
    name = first_hit(el, f".//*[{with_class('creator')}]//*[@itemprop='name']")
    author_text = text_of(name) or text_of(creator)
    author = author_text.split()[0] if author_text else None
    time_el = first_hit(el, f".//time[{with_class('post-time')}]", ".//time")
    time_text = text_of(time_el)
    if not time_text:
        infos = first_hit(el, f".//*[{with_class('crawler-post-infos')}]")
        position = text_of(first_hit(el, ".//*[@itemprop='position']"))
        time_text = text_of(infos).removesuffix(position).strip()
    body, quotes = _cooked(body_el)
    likes = first_hit(el, f".//*[{with_class('post-likes')}]")
    return ParsedPost(
        body=body,
        author=author,
        time_text=time_text or None,
        quotes=quotes,
        reactions=_likes(text_of(likes)),
        post_number=_number(text_of(first_hit(el, ".//*[@itemprop='position']"))),
    )


def _app_post(el: HtmlElement) -> ParsedPost | None:
    cooked = first_hit(el, f".//div[{with_class('cooked')}]")
    if cooked is None:
        return None
    user = first_hit(
        el, f".//*[{with_class('names')}]//*[{with_class('username')}]", ".//*[@data-user-card]"
    )
    author = text_of(user) or (user.get("data-user-card") if user is not None else None)
    date = first_hit(
        el,
        f".//*[{with_class('post-date')}]//*[{with_class('relative-date')}]",
        f".//*[{with_class('post-date')}]",
    )
    body, quotes = _cooked(cooked)
    numbered = el.xpath(".//@data-post-number")
    number = _number(el.get("id") or "") or (_number(str(numbered[0])) if numbered else None)
    return ParsedPost(
        body=body,
        author=author or None,
        time_text=text_of(date) or None,
        quotes=quotes,
        reactions=_likes(text_of(first_hit(el, f".//button[{with_class('like-count')}]"))),
        post_number=number,
        user_title=text_of(first_hit(el, f".//*[{with_class('user-title')}]")) or None,
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
    found: list[HtmlElement] = tree.xpath(f"//div[{with_class('crawler-post')}]")
    if found:
        return found
    # Older crawler views: schema.org postings holding a div.post of their own.
    return list(
        tree.xpath(
            "//*[contains(@itemtype, 'DiscussionForumPosting') or contains(@itemtype, 'Comment')]"
            f"[./div[{with_class('post')}]]"
        )
    )


def _html_title(tree: HtmlElement) -> str | None:
    return first_text(
        tree,
        f"//h1[{with_class('crawler-topic-title')}]",
        f"//*[{with_class('fancy-title')}]",
        "//meta[@property='og:title']/@content",
        "//title",
    )


def parse_html(page: Page) -> ParsedPage:
    """The topic's title, address and posts: the app's when it has any, else the crawler
    view's."""
    tree = page.tree
    apps: list[HtmlElement] = tree.xpath(APP_POST)
    posts: list[ParsedPost] = []
    replies: list[str | None] = []
    if apps:
        for el in apps:
            post = _app_post(el)
            if post is not None:
                posts.append(post)
                replies.append(
                    text_of(first_hit(el, f".//*[{with_class('reply-to-tab')}]")) or None
                )
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
