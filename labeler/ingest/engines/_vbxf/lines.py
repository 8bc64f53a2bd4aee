"""Line shapes vBulletin and XenForo text pages share: dates, bullets, rules, blank lines.

`clean` and `cleaned` are cached: the parsers look at the same lines many times.
"""

from __future__ import annotations

import re
from functools import lru_cache

from labeler.ingest.engines.base import clean_line

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATE = (
    r"(?:\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}"
    r"|today|yesterday|(?:mon|tues|wednes|thurs|fri|satur|sun)day)"
)
_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?"
_AGO = (
    r"(?:(?:a|an|one|\d+)\s+(?:second|minute|hour|day|week|month|year)s?\s+ago"
    r"|a moment ago|just now)"
)
DATE_START = re.compile(rf"(?i)(?:{_DATE}|{_AGO})")  # a time text that starts with its date
TIME_RE = re.compile(rf"(?i)(?:{_DATE})(?:,?\s*(?:at\s+)?{_CLOCK})?|{_AGO}|{_CLOCK}")
BULLETS = "•*+▪·◦○●■□‣\u2013-"  # as renderers print them
_BULLET_RE = re.compile(rf"^[{re.escape(BULLETS)}](?:\s+|$)")
_LIST_NUMBER_RE = re.compile(r"^\d{1,6}\.\s+")
_HR_CHARS = frozenset("━─—_=~-")
SIGNATURE_RULE = re.compile(r"^_{10,30}$")


def indent(line: str) -> int:
    """Leading spaces of a raw line (tabs count as one)."""
    return len(line) - len(line.lstrip(" \t"))


def is_blank(line: str) -> bool:
    """True for an empty line or one holding only spaces / no-break spaces."""
    return not line.strip(" \t\xa0\u200b")


def is_hr(line: str) -> bool:
    """A horizontal rule as a renderer draws it (a run of one rule glyph), not the vB
    signature separator (which has its own rule)."""
    text = line.strip()
    if len(text) < 3 or text[0] not in _HR_CHARS or text[-1] not in _HR_CHARS:
        return False
    return set(text) <= _HR_CHARS and not SIGNATURE_RULE.match(text)


def strip_bullet(text: str) -> str:
    """A cleaned line without a leading list bullet or list number."""
    if not text or (text[0] not in BULLETS and not text[0].isdigit()):
        return text
    text = _BULLET_RE.sub("", text)
    return _LIST_NUMBER_RE.sub("", text)


@lru_cache(maxsize=1 << 16)
def cleaned(raw: str) -> str:
    """A raw line cleaned and without its bullet (cached: parsers look at lines often)."""
    return strip_bullet(clean(raw))


def is_time_text(text: str) -> bool:
    """True when a (cleaned) line is only a date/time as forums print them."""
    return bool(text) and TIME_RE.fullmatch(text) is not None


# `base.clean_line`, cached: the parsers clean the same lines many times over.
clean = lru_cache(maxsize=1 << 16)(clean_line)


def norm(text: str) -> str:
    """Whitespace-collapsed text for comparisons."""
    return clean(text)
