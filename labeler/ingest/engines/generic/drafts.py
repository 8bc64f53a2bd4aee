"""A post while the generic parser reads it, and signature detection across a user's posts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from labeler.ingest.engines.base import join_paragraphs
from labeler.ingest.model import ParsedPost, ParsedQuote


@dataclass(slots=True)
class Draft:
    """A post being read: body lines ("" = paragraph break) and what was found so far."""

    lines: list[str] = field(default_factory=list)
    author: str | None = None
    time_text: str | None = None
    quotes: list[ParsedQuote] = field(default_factory=list)
    reactions: list[tuple[str, int]] = field(default_factory=list)
    edited_by: str | None = None
    edited_text: str | None = None
    signature: str | None = None
    post_number: int | None = None
    user_title: str | None = None
    subject: str | None = None
    depth: int | None = None
    parent_index: int | None = None

    def add_reaction(self, reaction: tuple[str, int]) -> None:
        """Record a tally once per name (the first one shown wins)."""
        if all(name != reaction[0] for name, _ in self.reactions):
            self.reactions.append(reaction)

    def note_edit(self, editor: str | None, note: str) -> None:
        """Record an edit note (the first one, or the first that names the editor)."""
        if self.edited_text is None or (self.edited_by is None and editor):
            self.edited_by, self.edited_text = editor, note

    def has_text(self) -> bool:
        """Whether the post says anything (own text or quotes)."""
        return bool(self.quotes) or any(line.strip() for line in self.lines)

    def to_post(self) -> ParsedPost:
        """The finished post."""
        return ParsedPost(
            body=join_paragraphs(self.lines),
            author=self.author,
            time_text=self.time_text,
            quotes=self.quotes,
            reactions=self.reactions,
            edited_by=self.edited_by,
            edited_text=self.edited_text,
            signature=self.signature,
            post_number=self.post_number,
            user_title=self.user_title,
            subject=self.subject,
            depth=self.depth,
            parent_index=self.parent_index,
        )


def set_parent(draft: Draft, drafts: list[Draft]) -> None:
    """Point a reply at the closest earlier post one level up (threaded pages)."""
    if not draft.depth:
        return
    for k in range(len(drafts) - 1, -1, -1):
        depth = drafts[k].depth or 0
        if depth == draft.depth - 1:
            draft.parent_index = k
            return
        if depth < draft.depth - 1:
            return


def strip_signatures(drafts: list[Draft]) -> None:
    """Move trailing lines an author repeats under posts with different bodies to `signature`.

    Pages print signatures with no separator; only the repetition reveals them. An exact
    double post repeats everything, so a tail only counts when the rest differs.
    """
    by_author: dict[str, list[Draft]] = {}
    for draft in drafts:
        if draft.author and draft.signature is None:
            by_author.setdefault(draft.author, []).append(draft)
    for group in by_author.values():
        tails = Counter(_last_text(d.lines) for d in group)
        for tail, count in tails.items():
            if tail and count >= 2:
                _strip_common_tail([d for d in group if _last_text(d.lines) == tail])


def _last_text(lines: list[str]) -> str:
    for line in reversed(lines):
        if line.strip():
            return line.strip()
    return ""


def _strip_common_tail(group: list[Draft]) -> None:
    texts = [[x for x in d.lines if x.strip()] for d in group]
    size = 0
    while all(len(t) > size + 1 for t in texts) and len({t[-1 - size] for t in texts}) == 1:
        size += 1
    if size == 0 or len({tuple(t[:-size]) for t in texts}) < 2:
        return
    for draft in group:
        kept, tail, count = list(draft.lines), list[str](), 0
        while count < size:
            line = kept.pop()
            count += bool(line.strip())
            tail.insert(0, line)
        draft.lines = kept
        draft.signature = join_paragraphs(tail)
