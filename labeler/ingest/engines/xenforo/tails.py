"""What closes a XenForo post in text: the body's end, edit note, signature and reactions.

The body ends at a line holding only a no-break space, or at the first edit note or
reaction/action bar; what follows up to the bar is the edit note and the signature.
"""

from __future__ import annotations

import re

from labeler.ingest.engines._vbxf.lines import cleaned, is_blank, is_hr
from labeler.ingest.engines._vbxf.quotes import SourceIndex
from labeler.ingest.engines._vbxf.tails import count_reactors, fill_from_lines, take_edit_note
from labeler.ingest.engines.base import join_paragraphs
from labeler.ingest.engines.xenforo.shapes import EDIT_NOTE, LIKE_THIS, STYLE
from labeler.ingest.model import ParsedPost

_REACTIONS = re.compile(r"(?i)^(?:reactions|likes):\s*(?P<names>.+)$")
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
_ICONS = frozenset(
    (
        "like", "love", "haha", "wow", "sad", "angry", "thumbs up", "thanks", "agree", "disagree",
        "informative", "useful", "funny", "winner", "dislike", "care",
    )
)  # fmt: skip


def read_content(region: list[str], post: ParsedPost, sources: SourceIndex, *, last: bool) -> None:
    """Body, quotes, edit note, signature and reactions from the lines after a post header."""
    if last:
        region = _until_footer(region)
    end_body = _body_end(region)
    body = region[:end_body]
    tail = region[end_body:]
    stop = _tail_stop(tail)
    for k in range(stop, len(tail)):
        _read_reactions(tail, k, post)
    before, after, editor, note = take_edit_note(tail[:stop], EDIT_NOTE)
    rest = before + after
    if note is not None:
        post.edited_by, post.edited_text = editor, note
    signature = join_paragraphs([x for x in rest if not is_hr(x)])
    if signature and (stop < len(tail) or not last):
        post.signature = signature
    fill_from_lines(post, body, STYLE, EDIT_NOTE, sources)


def _until_footer(region: list[str]) -> list[str]:
    for k, raw in enumerate(region):
        if _FOOTER.match(cleaned(raw)):
            return region[:k]
    return region


def _body_end(region: list[str]) -> int:
    """Where the body stops: the no-break-space line, or the first edit note / bar line."""
    seen = False
    for k, raw in enumerate(region):
        text = cleaned(raw)
        if not text:
            if seen and raw and is_blank(raw):
                return k
            continue
        seen = True
        if EDIT_NOTE.match(text) or _is_bar(raw):
            return _before_icons(region, k) if _REACTIONS.match(text) else k
    return len(region)


def _before_icons(region: list[str], k: int) -> int:
    """Step back over the reaction icons' names ("Like", "Love") printed above "Reactions:"."""
    while k > 0 and (is_blank(region[k - 1]) or cleaned(region[k - 1]).lower() in _ICONS):
        k -= 1
    return k


def _is_bar(raw: str) -> bool:
    """A reaction or action bar line ("Reactions: ...", "• Like", "Like Reply")."""
    text = cleaned(raw)
    if _REACTIONS.match(text) or LIKE_THIS.match(text):
        return True
    m = _ACTIONS.match(text)
    if not m:
        return False
    words = re.findall(r"(?i)like|unlike|reply|report|quote|share|edit|delete|bookmark", text)
    return raw.lstrip()[:1] in "•*▪+" or len(words) >= 2 or text.lower() in ("reply", "report")


def _tail_stop(tail: list[str]) -> int:
    """Where the reaction / action bar starts in what follows the body."""
    for k in range(len(tail)):
        if cleaned(tail[k]) and _is_bar(tail[k]):
            return _before_icons(tail, k) if _REACTIONS.match(cleaned(tail[k])) else k
    return len(tail)


def _read_reactions(tail: list[str], k: int, post: ParsedPost) -> None:
    text = cleaned(tail[k])
    m = _REACTIONS.match(text)
    names = m.group("names") if m else (text if _OTHERS.search(text) else None)
    if names:
        post.reactions = [("total", count_reactors(names))]
