"""The shapes of Reddit text lines: meta and header lines, buttons, badges, counts, names."""

from __future__ import annotations

import re

_AGO = (
    r"(?:(?:\d+|\b(?:an?|one))\s*(?:years?|yrs?|months?|mos?|weeks?|wks?|days?|hours?|hrs?"
    r"|minutes?|mins?|seconds?|secs?|[ymwdhs])\.?\s+ago|\bjust now)"
)
LEVEL = re.compile(r"^level\s+(\d{1,3})$", re.I)
META = re.compile(
    r"^(?P<pre>.{0,80}?)(?:(?P<score>-?\d[\d,.]*[kKmM]?)\s*points?|(?P<hidden>[Ss]core hidden))"
    rf"\s*[·•|]\s*(?P<time>{_AGO}|[^·•|]{{0,30}}\d[^·•|]{{0,30}}?)"
    r"(?:\s*[·•|]\s*(?P<edit>edited\b[^·•|]{0,40}))?$",
    re.I,
)
POSTED = re.compile(r"^(?P<pre>.{0,40}?)Posted by\s*(?P<rest>.{0,120})$")
TIME_AT_END = re.compile(rf"{_AGO}\s*$", re.I)
TIME_LINE = re.compile(
    rf"^(?P<pre>.{{0,60}}?)\s*(?P<time>{_AGO})(?:\s*[·•|]\s*(?P<edit>edited\b.{{0,40}}))?$", re.I
)
OLD_HEAD = re.compile(
    r"^\[[\u2013\u2014+-]\]\s*(?P<author>\S{1,40}?)(?P<mid>\s.{0,80}?)?\s*"
    r"(?P<scores>(?:-?\d[\d,]*\s*points?\s*){1,3}|\[score hidden\]\s*)"
    r"(?P<time>.{1,40}?(?:\bago|\bjust now))(?P<star>\*?)(?:\s*\(\d+ child(?:ren)?\))?$"
)
OLD_SUBMITTED = re.compile(
    rf"^submitted\s+(?P<time>.{{0,40}}?{_AGO})\s*\*?\s*by\s+(?P<author>[\w-]{{1,40}})", re.I
)
EDITED = re.compile(rf"^[·•|]?\s*(edited\b.{{0,30}}?{_AGO})$", re.I)
SCORE_LINE = re.compile(r"^(?:-?\d[\d,.]*[kKmM]?|Vote|•)$")
COMMENT_COUNT = re.compile(r"^(?:[•*]\s*)?(?:all\s+)?\d[\d,.]*[kK]?\s+comments?$", re.I)
SUBMISSION_END = re.compile(
    r"^(?:\d{1,3}% Upvoted|Sort by\b|sorted by:|Log in or sign up to leave a comment"
    r"|Comment as\b|This thread is archived)",
    re.I,
)
END = re.compile(
    r"^(?:View entire discussion|More posts from the\b|Continue browsing in\b|View all comments"
    r"|Back to Top$|about help\b|Use of this site constitutes|More posts you may like"
    r"|Top (?:posts|comments) of\b)",
    re.I,
)
# Buttons and thread links printed around comments (never body).
_CONTROL_WORDS = frozenset(
    {
        "continue this thread", "more replies", "reply", "share", "report", "save", "unsave",
        "give award", "award", "follow", "vote", "upvote", "downvote", "permalink", "embed",
        "parent", "source", "hide child comments", "show parent comments", "view more comments",
        "user avatar",
    }
)  # fmt: skip
# Buttons printed side by side with no space between them ("ReplyGive AwardShare").
_CONTROL_RUN = re.compile(
    r"^(?:reply|giveaward|award|share|report|save|unsave|hide|follow|permalink|embed|parent"
    r"|source|crosspost|vote|upvote|downvote)+$"
)
_CONTROL_COUNTED = re.compile(r"^(?:\d+ more repl(?:y|ies)|load more comments.*|level \d+)$")
OLD_BUTTON = re.compile(r"^(?:[•*·]\s*)?permalink$", re.I)
BADGE = re.compile(
    r"^(?:Archived|Locked|Pinned|Stickied|NSFW|Spoiler|OC|Original Content|Quarantined"
    r"|Crosspost|Promoted|Pinned by moderators|\[[^\]]{0,60}\])$",
    re.I,
)
OP_BADGES = re.compile(r"\b(?:Original Poster|OP|Moderator|Admin|Stickied comment)\b")
_USERNAME = re.compile(r"^(?:/?u/)?(?P<name>[\w-]{2,30})$")


def parse_count(text: str) -> int | None:
    """A printed count as a number ("124", "1,234", "1.2k"); None for anything else."""
    m = re.fullmatch(r"(-?\d[\d,]*(?:\.\d+)?)\s*([kKmM]?)", text.strip())
    if not m:
        return None
    value = float(m[1].replace(",", ""))
    scale = {"k": 1_000, "m": 1_000_000}.get(m[2].lower(), 1)
    return round(value * scale)


def username(text: str | None) -> str | None:
    """A username as printed (without "u/"), or None for no name / deleted accounts."""
    m = _USERNAME.match((text or "").strip())
    if not m or m["name"].lower() in {"deleted", "removed"}:
        return None
    return m["name"]


def is_control(line: str) -> bool:
    """A button or thread link ("Reply", "Continue this thread", "3 more replies")."""
    if not line or len(line) > 60:
        return False
    low = line.strip().lstrip("•*· ").lower()
    if low in _CONTROL_WORDS or (low[:1].isalpha() and _CONTROL_RUN.match(low.replace(" ", ""))):
        return True
    counted = low[:1].isdigit() or low.startswith(("load", "level"))
    return counted and _CONTROL_COUNTED.match(low) is not None
