"""What follows a post's body: edit notes, signatures and reactor lists.

`fill_from_lines` splits a post's content lines into body, quotes, edit note and signature;
`repeated_signatures` and `quoted_signatures` find the signatures a text page does not rule
off, across the page's posts.
"""

from __future__ import annotations

import re
from collections import defaultdict

from labeler.ingest.engines._vbxf.lines import SIGNATURE_RULE, clean, is_hr, norm
from labeler.ingest.engines._vbxf.quotes import QuoteStyle, SourceIndex, split_quotes
from labeler.ingest.engines.base import join_paragraphs
from labeler.ingest.model import ParsedPost

_LEADING_ICONS = re.compile(r"^(?:\[[^\]]{0,40}\]\s*)+")


def take_edit_note(
    lines: list[str], pattern: re.Pattern[str]
) -> tuple[list[str], list[str], str | None, str | None]:
    """(lines before the edit note, lines after it, editor it names, the whole note)."""
    for k in range(len(lines) - 1, -1, -1):
        if "dited" not in lines[k]:  # "Last edited ..." (a cheap test before the pattern)
            continue
        text = _LEADING_ICONS.sub("", clean(lines[k]))
        m = pattern.match(text)
        if not m:
            continue
        note = [text]
        tail = lines[k + 1 :]
        if tail and clean(tail[0]).lower().startswith("reason:"):
            note.append(clean(tail[0]))
            tail = tail[1:]
        editor = m.groupdict().get("editor")
        if editor and editor.lower() in ("a moderator", "moderator", "an administrator"):
            editor = None
        return lines[:k], tail, editor or None, " ".join(note)
    return lines, [], None, None


def take_signature(lines: list[str]) -> tuple[list[str], str | None]:
    """Split at vBulletin's "__________________" signature rule, when there is one."""
    for k, line in enumerate(lines):
        if SIGNATURE_RULE.match(line.strip()):
            rest = [x for x in lines[k + 1 :] if not is_hr(x)]
            return lines[:k], join_paragraphs(rest) or None
    return lines, None


def repeated_signatures(posts: list[ParsedPost], longest: int = 8) -> None:
    """Move to `signature` the closing lines an author ends several different posts with.

    Text renderings often print a signature as just more lines; what repeats under one
    author's posts (with different text above it) is the signature. Exact double posts
    alone do not count.
    """
    seen: dict[tuple[str, str], set[int]] = defaultdict(set)
    splits: list[list[tuple[str, str]]] = []
    for post in posts:
        lines = post.body.split("\n") if post.author and post.signature is None else []
        options = [
            ("\n".join(lines[:-k]).strip(), "\n".join(lines[-k:]).strip())
            for k in range(1, min(longest, len(lines) - 1) + 1)
            if lines[-k].strip()
        ]
        options = [(head, tail) for head, tail in options if head]
        for head, tail in options:
            seen[(post.author or "", tail)].add(hash(head))
        splits.append(options)
    for post, options in zip(posts, splits, strict=True):
        for head, tail in reversed(options):
            if len(seen[(post.author or "", tail)]) >= 2:
                post.body, post.signature = head, tail
                break


def quoted_signatures(posts: list[ParsedPost]) -> None:
    """Split off the signature of a one-post author from what a later post quotes of it.

    Forums leave the signature out when a post is quoted, so when a later quote of that
    author is exactly the post's leading paragraphs, the unquoted closing paragraphs are
    the signature (when it is a block of three or more lines, as signatures are; a shorter
    rest is more likely a reply the quote left out). Authors with several posts are left
    to `repeated_signatures`.
    """
    count: dict[str, int] = defaultdict(int)
    where: dict[str, int] = {}
    for k, post in enumerate(posts):
        count[post.author or ""] += 1
        where[post.author or ""] = k
    for k, post in enumerate(posts):
        for quote in post.quotes:
            if not quote.author or count[quote.author] != 1 or where[quote.author] >= k:
                continue
            source = posts[where[quote.author]]
            if source.signature is None:
                _split_at_quote(source, norm(quote.text))


def _split_at_quote(post: ParsedPost, wanted: str) -> None:
    paras = post.body.split("\n\n")
    for m in range(1, len(paras)):
        head, tail = "\n\n".join(paras[:m]), "\n\n".join(paras[m:])
        if norm(head) == wanted:
            if len([x for x in tail.split("\n") if x.strip()]) >= 3:
                post.body, post.signature = head, tail
            return
        if len(norm(head)) > len(wanted):
            return


# ---------------------------------------------------------------- reactions
_OTHERS_RE = re.compile(r"(?i)\s*(?:,|\band\b)?\s*(\d[\d,.]*)\s+others?\b.*$")
_LIKE_TAIL_RE = re.compile(r"(?i)\s+(?:like|likes|liked)\s+this\.?$")


def count_reactors(names: str) -> int:
    """How many people a reactor list names: "A, B and 12 others" → 14."""
    text = _LIKE_TAIL_RE.sub("", clean(names))
    others = 0
    m = _OTHERS_RE.search(text)
    if m:
        others = int(re.sub(r"\D", "", m.group(1)) or 0)
        text = text[: m.start()]
    parts = [p for p in re.split(r",\s*|\s+and\s+", text) if p.strip()]
    return len(parts) + others


def fill_from_lines(
    post: ParsedPost,
    lines: list[str],
    style: QuoteStyle,
    edit_note: re.Pattern[str],
    sources: SourceIndex,
) -> None:
    """Set a post's body, quotes, edit note and signature (ruled off, or under the edit
    note) from its content lines."""
    own, quotes = split_quotes(lines, style, sources)
    own, after, editor, note = take_edit_note(own, edit_note)
    own, signature = take_signature(own)
    after_text = join_paragraphs([x for x in after if not is_hr(x)])
    if after_text and signature is None:
        signature = after_text  # vBulletin 4/5 print the signature under the edit note
    elif after_text:
        own += after
    post.body = join_paragraphs([x for x in own if not is_hr(x)])
    post.quotes = quotes
    if note is not None:
        post.edited_by, post.edited_text = editor, note
    if signature is not None:
        post.signature = signature
    sources.add(post.author, post.body)
