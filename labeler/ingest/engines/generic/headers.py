"""Post-header lines: the shape a page repeats ("W»T" for "Postby X » date") and the name on it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from labeler.ingest.engines.generic.lines import (
    CACHE,
    NOT_HEADER,
    SENTENCE_END,
    TIME,
    find_time,
    is_name_like,
    unbullet,
)
from labeler.ingest.engines.generic.notes import parse_edit_note

# ---------------------------------------------------------------- header lines
_SHAPE_NOISE = re.compile(r"[#\d]+")
_SHAPE_WORDS = re.compile(r"[^\W\d_]+(?:[\s_'\u2019.-]*[^\W\d_]+)*")
_PARENS = re.compile(r"\([^)]*\)")
_WORD = re.compile(r"\w+")
_QUOTE_HINT = re.compile(
    r"\b(?:wrote|said|writes|says)\b\s*(?:\([^)]*\))?\s*(?::|\.\.\.|…)|^quote from:"
    r"|originally posted by|^quoting\s|^quote\s*\(",
    re.I,
)


@dataclass(frozen=True, slots=True)
class HeaderShape:
    """A post-header line's skeleton ("W»T" for "by X » date") and where its time is."""

    shape: str
    time_text: str
    start: int
    end: int


@lru_cache(maxsize=CACHE)
def header_shape(text: str) -> HeaderShape | None:
    """The skeleton of a post-header line, None for lines that cannot be post headers."""
    if not text or len(text) > 160 or text[0] in ">|":
        return None
    m = find_time(text)
    if m is None or _QUOTE_HINT.search(text) or NOT_HEADER.search(unbullet(text)):
        return None
    if parse_edit_note(text) is not None:
        return None
    rest = _PARENS.sub(" ", TIME.sub(" ", text[: m.start()] + " " + text[m.end() :]))
    words = _WORD.findall(rest)
    if len(words) > 12 or (len(words) > 3 and SENTENCE_END.search(text)):
        return None
    prefix = _SHAPE_WORDS.sub("W", _SHAPE_NOISE.sub("", text[: m.start()]))
    return HeaderShape("".join(prefix.split()) + "T", m.group(0), m.start(), m.end())


_HEADER_KEYWORDS = re.compile(
    r"\bpost(?:ed)?\s*by\b|\b(?:by|on|at|posted|reply|replied|permalink|link|flag|parent|next"
    r"|prev|context|edited|op|level|points?|votes?|score|comment|commented|date|sent|message"
    r"|post)\b|\boriginal poster|#\s?\d+|\(.*?\)|\[.*?\]|(?<!\w)\d+(?!\w)",
    re.I,
)
_HEADER_SPLIT = re.compile(r"\s*[|·•»«:,;\u2013\u2014]\s*|\s+-\s+|\s{2,}")
_HEADER_EDGE = " |·•»«:,;-\u2013\u2014▲▼^*[]()"


@lru_cache(maxsize=CACHE)
def name_in_header(text: str) -> str | None:
    """The user name a header line prints around its time ("alice 3 hours ago | parent")."""
    shape = header_shape(text)
    if shape is None:
        return None
    for side in (unbullet(text[: shape.start]), text[shape.end :]):
        part = _HEADER_KEYWORDS.sub(" ", TIME.sub(" ", side))
        for piece in _HEADER_SPLIT.split(part):
            chunk = piece.strip(" -▲▼^*")
            if chunk and is_name_like(chunk):
                return chunk
        if part.strip(_HEADER_EDGE):
            return None
    return None
