"""Lines a post records rather than shows: edit notes, reaction tallies, and each line's role.

Pure functions of one line's text, cached (pages repeat these lines in every post).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from labeler.ingest.engines.generic.lines import (
    CACHE,
    EXPAND_TEXTS,
    GAP,
    LEVEL,
    MAIL_FROM,
    MAIL_HEADER,
    POSTNUM,
    PROFILE,
    PROFILE_VALUE_NEXT,
    STATUS,
    SUBJECT_LINE,
    is_button_row,
    unbullet,
)

# ---------------------------------------------------------------- edits and reactions
_EDIT_PATTERNS = (
    re.compile(
        r"^(?:last\s+)?edited\s+by\s*:?\s+(?P<n>.+?)(?:\s*[;,(]|\s+(?:on|at|-|\u2013)\s|\.?$)", re.I
    ),
    re.compile(
        r"^edited\s+\d+\s+times?.*?\blast\s+(?:edit\s+)?by\s+(?P<n>.+?)(?:\s+(?:on|at)\s|\.?$)",
        re.I,
    ),
    re.compile(r"^[«(]?\s*last edit:.*?\bby\s+(?P<n>.+?)\s*[»)]?\s*$", re.I),
    re.compile(r"^\(?this post was last modified:.*?\bby\s+(?P<n>.+?)\.?\)?$", re.I),
    re.compile(r"^(?:modified|updated)\s+by\s+(?P<n>.+?)(?:\s+(?:on|at)\s|\.?$)", re.I),
    re.compile(r"^(?:last\s+)?(?:edited|modified|updated)\s*(?::|on\b|at\b)\s*.+$", re.I),
    re.compile(r"^[«(]?\s*last edit:.*$", re.I),
)
_EDIT_HINTS = ("edit", "modified", "updated")


@lru_cache(maxsize=CACHE)
def parse_edit_note(text: str) -> tuple[str | None, str] | None:
    """(editor or None, the note) when the line is an edit note ("Edited by X", ...)."""
    line = unbullet(text)
    if len(line) > 200:
        return None
    low = line[:40].lower()
    if not any(hint in low for hint in _EDIT_HINTS):
        return None
    for pattern in _EDIT_PATTERNS:
        if m := pattern.match(line):
            name = m.groupdict().get("n")
            name = name.strip(" .»)") if name else None
            return (name or None), line
    return None


_REACTION_NAMES = {
    "like": "Like", "likes": "Like", "thanks": "Thanks", "thank": "Thanks", "haha": "Haha",
    "love": "Love", "wow": "Wow", "sad": "Sad", "angry": "Angry", "confused": "Confused",
    "agree": "Agree", "disagree": "Disagree", "funny": "Funny", "helpful": "Helpful",
    "informative": "Informative", "useful": "Useful", "winner": "Winner", "upvote": "Upvote",
    "upvotes": "Upvote", "downvote": "Downvote", "downvotes": "Downvote", "heart": "Heart",
    "hearts": "Heart", "kudos": "Kudos", "cheers": "Cheers", "insightful": "Insightful",
    "sleepy": "Sleepy", "yay": "Yay", "care": "Care", "laugh": "Laugh", "laughs": "Laugh",
}  # fmt: skip
_RNAMES = "|".join(sorted(_REACTION_NAMES, key=len, reverse=True))
_REACT_NAME_COUNT = re.compile(rf"^({_RNAMES})\s*[x\u00d7:]?\s*\(?(\d+)\)?$", re.I)
_REACT_COUNT_NAME = re.compile(rf"^(\d+)\s+({_RNAMES})$", re.I)
_REACT_POINTS = re.compile(r"^(?:score:?\s*)?(-?\d+)\s+(points?|votes?)$|^score:?\s*(-?\d+)$", re.I)
_REACT_LIST = re.compile(r"^(?:reactions|liked by|likes|thanked by)\s*:\s*(.+)$", re.I)
_REACT_PEOPLE = re.compile(r"^(\d+)\s+(?:people|users|members|others)\s+(?:like|liked)\b", re.I)
_OTHERS = re.compile(r"\s+and\s+(\d+)\s+others?$|\s+and\s+(\d+)\s+more$", re.I)
_NAME_SPLIT = re.compile(r",\s*|\s+and\s+")


def _name_count(m: re.Match[str]) -> tuple[str, int]:
    return _REACTION_NAMES[m.group(1).lower()], int(m.group(2))


def _count_name(m: re.Match[str]) -> tuple[str, int]:
    return _REACTION_NAMES[m.group(2).lower()], int(m.group(1))


def _points(m: re.Match[str]) -> tuple[str, int]:
    if m.group(3) is not None:
        return "score", int(m.group(3))
    return ("points" if m.group(2).lower().startswith("point") else "votes"), int(m.group(1))


_REACTION_SHAPES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], tuple[str, int]]], ...] = (
    (_REACT_NAME_COUNT, _name_count),
    (_REACT_COUNT_NAME, _count_name),
    (_REACT_POINTS, _points),
    (_REACT_PEOPLE, lambda m: ("Like", int(m.group(1)))),
    (_REACT_LIST, lambda m: ("total", _count_names(m.group(1)))),
)


@lru_cache(maxsize=CACHE)
def parse_reaction(text: str) -> tuple[str, int] | None:
    """A reaction tally line: "Like 2", "8 Likes", "39 points", "Reactions: A, B and 3 others"."""
    line = unbullet(text)
    if len(line) > 300 or (len(line) > 40 and ":" not in line[:20]):
        return None
    for pattern, read in _REACTION_SHAPES:
        if m := pattern.match(line):
            return read(m)
    return None


def _count_names(names: str) -> int:
    more = 0
    if m := _OTHERS.search(names):
        more = int(m.group(1) or m.group(2))
        names = names[: m.start()]
    return len([p for p in _NAME_SPLIT.split(names) if p.strip()]) + more


# ---------------------------------------------------------------- one line's role in a post
@dataclass(frozen=True, slots=True)
class Role:
    """What a line is inside a post: text, or something the post records or drops."""

    kind: str  # text | drop | postnum | profile | edit | reason | reaction | subject
    number: int = 0
    value_next: bool = False
    editor: str | None = None
    note: str = ""
    reaction: tuple[str, int] | None = None


_TEXT = Role("text")
_DROP = Role("drop")


def _marker_role(text: str, plain: str) -> Role | None:
    """Roles of structural lines: profile fields, buttons, status, post numbers."""
    if PROFILE.match(plain):
        return Role("profile", value_next=PROFILE_VALUE_NEXT.match(plain) is not None)
    if is_button_row(text) or STATUS.match(plain) or GAP.match(plain) or LEVEL.match(plain):
        return _DROP
    if plain.lower() in EXPAND_TEXTS or MAIL_HEADER.match(plain) or MAIL_FROM.match(plain):
        return _DROP
    if m := POSTNUM.match(text):
        return Role("postnum", number=int(m.group(1)))
    return None


def _note_role(text: str, plain: str) -> Role | None:
    """Roles of lines the post records: edit notes, tallies, a subject line."""
    if edit := parse_edit_note(text):
        return Role("edit", editor=edit[0], note=edit[1])
    if plain.lower().startswith("reason:"):
        return Role("reason")
    if reaction := parse_reaction(text):
        return Role("reaction", reaction=reaction)
    if m := SUBJECT_LINE.match(plain):
        return Role("subject", note=m.group(1))
    return None


@lru_cache(maxsize=CACHE)
def line_role(text: str) -> Role:
    """The role of one (cleaned, non-empty) line inside a post's text."""
    if len(text) > 200:
        return _TEXT
    plain = unbullet(text)
    if not plain:
        return _DROP
    if len(plain) > 60 and ":" not in plain[:25] and not is_button_row(text):
        head = plain[:40].lower()
        if "edit" not in head and "modified" not in head and "updated" not in head:
            return _TEXT
    return _marker_role(text, plain) or _note_role(text, plain) or _TEXT
