"""A post (forum) or paragraph (news) as ingestion produces it and annotators see it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class PostKind(StrEnum):
    """What one row of the posts dataset is."""

    POST = "post"
    PARAGRAPH = "paragraph"


class Flag(StrEnum):
    """Suggestions from ingestion that an annotator can confirm or overturn."""

    BOILERPLATE = "boilerplate"
    OFFTOPIC = "offtopic"
    DUPLICATE = "duplicate"


@dataclass(frozen=True, slots=True)
class Quote:
    """Text a post quotes; `post_id` is set when the quoted post is on the page."""

    author: str | None
    text: str
    time_text: str | None = None
    post_id: str | None = None
    quotes: tuple[Quote, ...] = ()  # nested quotes, outermost first


@dataclass(frozen=True, slots=True)
class Reaction:
    """One reaction tally as the page shows it (`Like` 2, `points` 14, `total` 3)."""

    name: str
    count: int


@dataclass(frozen=True, slots=True)
class InferredAuthor:
    """Who must have written an unsigned post, and the line of the page that says so."""

    name: str
    evidence: str


@dataclass(frozen=True, slots=True)
class Post:
    """One row of the posts dataset (DESIGN.md "Posts")."""

    post_id: str
    thread_id: str
    thread_title: str
    position: int
    kind: PostKind
    body: str
    engine: str
    source: str
    author: str | None = None
    time_text: str | None = None
    posted_at: datetime | None = None
    quotes: tuple[Quote, ...] = ()
    parent_post_id: str | None = None
    reactions: tuple[Reaction, ...] = ()
    edited_by: str | None = None
    author_inferred: InferredAuthor | None = None
    flags: tuple[Flag, ...] = field(default_factory=tuple)
    # What the page shows beyond the required columns (None when it does not).
    signature: str | None = None
    post_number: int | None = None
    user_title: str | None = None
    subject: str | None = None
    depth: int | None = None
    is_submission: bool | None = None
    edited_text: str | None = None
    url: str | None = None


# Columns every posts file must have; readers may rely on them, writers must supply them.
REQUIRED_POST_COLUMNS: tuple[str, ...] = (
    "post_id",
    "thread_id",
    "thread_title",
    "position",
    "kind",
    "author",
    "time_text",
    "posted_at",
    "body",
    "quotes",
    "parent_post_id",
    "reactions",
    "edited_by",
    "author_inferred",
    "engine",
    "source",
    "flags",
)

# Columns a posts file may also carry (all nullable): what some engines' pages show.
OPTIONAL_POST_COLUMNS: tuple[str, ...] = (
    "signature",
    "post_number",
    "user_title",
    "subject",
    "depth",
    "is_submission",
    "edited_text",
    "url",
)
