"""Text pages: the posts of a w3m / lynx dump or a browser copy of a phpBB thread."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from labeler.ingest.engines.base import clean_line
from labeler.ingest.engines.phpbb import shapes as s
from labeler.ingest.engines.phpbb.quotes import has_indented_cite, join, split_quotes
from labeler.ingest.engines.phpbb.recent import Recent
from labeler.ingest.engines.phpbb.skeleton import skeletons
from labeler.ingest.engines.phpbb.tails import repeated_signatures, split_tails
from labeler.ingest.model import ParsedPost
from labeler.ingest.page import Page


def parse_text(page: Page) -> tuple[str | None, list[ParsedPost]]:
    """(title, posts) of a text page."""
    return _parse_text(page)


def _parse_text(page: Page) -> tuple[str | None, list[ParsedPost]]:
    raws = skeletons(page.lines, page.text)
    split_tails(raws, page.text)
    repeated_signatures(raws)
    # quotes are indented (w3m) when a cite line is; a page without indented lines has none
    inline = all(raw.flush for raw in raws) or not any(
        has_indented_cite(raw.lines, raw.base) for raw in raws
    )
    known = Recent()
    posts: list[ParsedPost] = []
    for raw in raws:
        if inline:
            known.begin(raw.lines)
        own, quotes = split_quotes(
            raw.lines, inline=inline, known=known, base=raw.base, flush=raw.flush
        )
        if inline:
            known.add()
        post = ParsedPost(
            body=join(own),
            author=raw.author,
            time_text=raw.time_text,
            quotes=quotes,
            subject=raw.subject,
            post_number=raw.number,
            signature=s.paragraphs(raw.signature) or None if raw.signature else None,
        )
        if raw.edit:
            set_edit(post, raw.edit)
        posts.append(post)
    return title_from_subjects(posts), posts


def set_edit(post: ParsedPost, note: str | None) -> None:
    """Fill the post's edit fields from its edit note ("Last edited by X on ...")."""
    if not note:
        return
    post.edited_text = note
    m = s.EDIT.match(note.split("\n", 1)[0])
    post.edited_by = clean_line(m["who"]) if m else None


_REPLY_PREFIX = re.compile(r"^(?:(?:Re|AW|Sv|Odp|Ynt)\s*(?:\[\d+\])?:\s*)+", re.I)


def title_from_subjects(posts: Sequence[ParsedPost]) -> str | None:
    """The thread title: the subjects' common stem ("Re: X" → "X")."""
    stems: Counter[str] = Counter()
    for subject, count in Counter(p.subject for p in posts if p.subject).items():
        stems[_REPLY_PREFIX.sub("", subject)] += count  # each distinct subject once
    return stems.most_common(1)[0][0] if stems else None
