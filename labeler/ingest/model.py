"""What an engine parser returns: a page's posts before ids, positions and storage.

Engines only read pages; everything that needs the rest of the page or the dataset
(parent matching, inferred authors, duplicate flags, ids, positions) happens in
`labeler.ingest.pipeline`, the same way for every engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from labeler.domain.post import Flag, PostKind


class PageKind(StrEnum):
    """A forum-like thread (one row per post) or a news article (one row per paragraph)."""

    FORUM = "forum"
    NEWS = "news"


@dataclass(slots=True)
class ParsedQuote:
    """A quote inside a post: who is quoted, their text (no header), nested quotes."""

    author: str | None
    text: str
    time_text: str | None = None
    quotes: list[ParsedQuote] = field(default_factory=list)
    # Set by the pipeline: index (in ParsedPage.posts) of the quoted post when it is on the page.
    post_index: int | None = None


@dataclass(slots=True)
class ParsedPost:
    """One post (forum) or paragraph (news) as printed on the page.

    `body` is the author's own text: no quotes, quote headers, signature, edit note,
    reaction bar, buttons or profile block; text around quotes joined in order with blank
    lines. Strings are as printed (stripped of surrounding whitespace).
    """

    body: str
    author: str | None = None
    time_text: str | None = None
    quotes: list[ParsedQuote] = field(default_factory=list)
    # Reaction tallies in page order: ("Like", 2), ("points", 14), ("total", 15).
    reactions: list[tuple[str, int]] = field(default_factory=list)
    edited_by: str | None = None
    edited_text: str | None = None  # the whole edit note as printed
    signature: str | None = None
    post_number: int | None = None  # the number the page prints (#7)
    user_title: str | None = None
    subject: str | None = None
    depth: int | None = None  # reply level on threaded pages (0 = top level)
    is_submission: bool = False  # the link/self post that opens a Reddit-like thread
    kind: PostKind = PostKind.POST
    flags: set[Flag] = field(default_factory=set)
    # Who must have written an unsigned post and the page text that says so.
    author_inferred: tuple[str, str] | None = None
    # Index (in ParsedPage.posts) of the post this one replies to, when the page's structure
    # says so (threaded pages); otherwise the pipeline derives it from the first quote.
    parent_index: int | None = None


@dataclass(slots=True)
class ParsedPage:
    """Everything an engine read from one page."""

    engine: str
    kind: PageKind
    title: str | None
    posts: list[ParsedPost]
    # Where the page comes from, when it says (canonical URL, og:url): makes thread ids
    # independent of the file name and joins page 2 to page 1.
    url: str | None = None
    site: str | None = None
    thread_key: str | None = None
    byline: str | None = None  # news
    date_text: str | None = None  # news
    warnings: list[str] = field(default_factory=list)
