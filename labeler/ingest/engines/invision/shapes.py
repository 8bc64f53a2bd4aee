"""The shapes of IPS text lines: citations, edit notes, reactions, "Posted" dates, bullets."""

from __future__ import annotations

import re
from functools import lru_cache

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_CLOCK = r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?"
_DAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_DATE = (
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?(?:\s+\d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?(?:\s+\d{{4}})?"
    rf"|\d{{1,4}}[/.-]\d{{1,2}}[/.-]\d{{1,4}}|{_DAY}|Yesterday|Today)"
)
# The time shapes IPS prints in post headers and quote citations (absolute or relative).
TIME = re.compile(
    rf"(?:On\s+)?{_DATE}(?:(?:\s+at|,|\s+-)?\s+{_CLOCK})?"
    r"|(?:\d+|an?|one)\s+(?:second|minute|min|hour|day|week|month|year)s?\s+ago"
    r"|just now|a moment ago",
    re.I,
)
# The relative times of TIME on their own: the common case, tried first by is_time().
_RELATIVE = re.compile(
    r"(?:\d+|an?|one)\s+(?:second|minute|min|hour|day|week|month|year)s?\s+ago"
    r"|just now|a moment ago",
    re.I,
)
_SAID4 = re.compile(r"(?P<time>.{3,60}?),\s+(?P<author>[^,]{1,80}?)\s+said:")
_SAID3 = re.compile(r"(?P<author>[^,]{1,80}?),\s+on\s+(?P<time>.{3,60}?),\s+said:")
_SAID0 = re.compile(r"(?P<author>[^\s,:][^,:]{0,40}?)\s+said:")
_QUOTE2 = re.compile(r"QUOTE\s*\((?P<author>[^@)]+?)\s*@\s*(?P<time>[^)]+)\)", re.I)
_BULLET_CHARS = "•*·◦▪‣+#□■\u2013-"
_BULLET = re.compile(rf"^\s*(?:[{_BULLET_CHARS}]|\d{{1,2}}\.)(?:\s+|$)")
LINK_MARK = re.compile(r"^\[\d+\]")  # lynx's numbered links
SEPARATOR = re.compile(
    r"(?:Link to (?:comment|post)(?: Share on other sites)?|Share on other sites|Share this post"
    r"|Back to top)",
    re.I,
)
RECOMMENDED = re.compile(r"Recommended Posts", re.I)
GAP = re.compile(
    r"(?:\d+|an?|one)\s+(?:second|minute|hour|day|week|month|year)s?\s+later\s*(?:\.{2,3}|…)",
    re.I,
)
POSTED = re.compile(r"Posted\s+(?:on\s+)?(?P<rest>.+)", re.I)
_AFTER_POSTED_TIME = re.compile(r"\s*(?:[(·|•-].*)?")
_EDITED = re.compile(
    r"(?:Edited\b.*?\bby|This post has been edited by|Last edited by)\s+(?P<name>.+?)",
    re.I,
)
_EDITOR = re.compile(r"[^\s,;:!?][^,;:!?]{0,49}(?<!\.)")  # a member name, not a sentence
_EDIT_TAIL = re.compile(r"(?:[,:]\s+|\s+on\s+)(?=.*\d)|\s+\(|\s*:\s*$")
_REACTION = re.compile(
    r"(?P<name>[^\W\d_][\w'\u2019-]*(?:\s[\w'\u2019-]+){0,2}?)\s+(?P<count>\d{1,7})"
)
_BRACKETED = re.compile(r"\[(.+)\]")
# Reactions shipped with IPS, recognised without a bullet; bulleted ones may have any name.
STOCK_REACTIONS = frozenset(
    {"like", "thanks", "haha", "confused", "sad", "love", "wow", "angry", "upvote", "downvote"}
)
# How citation lines end ("X said:", "QUOTE (X @ date)", a bare "Quote").
HEADER_ENDS = ("said:", ")", "uote", "UOTE")


def debullet(text: str) -> tuple[bool, str]:
    """(had a bullet, the text without it and without lynx link marks)."""
    if text[:1].isalpha():
        return False, text.strip()
    if text[:1] == "[":
        text = LINK_MARK.sub("", text)
    m = _BULLET.match(text)
    if m:
        return True, text[m.end() :].strip()
    return False, text.strip()


def bulleted(line: str) -> bool:
    """Whether a stripped, non-blank line may start with a bullet or a lynx link mark.

    False means `debullet(line)` is `(False, line)`; a cheap test for the common case.
    """
    first = line[0]
    if first.isalpha():
        return False
    if first == "[" or first in _BULLET_CHARS:
        return True
    if first.isdecimal():  # "1." or "12."
        return line[1:2] == "." or (line[1:2].isdecimal() and line[2:3] == ".")
    return False


def may_be_gap(text: str) -> bool:
    """Whether a text starts and ends as a time gap does ("2 weeks later...", "a year later…")."""
    return (text[0] in "aAoO" or text[0].isdecimal()) and text[-1] in ".…"


def time_prefix(text: str) -> str | None:
    """The time a text starts with, if any."""
    m = TIME.match(text.strip())
    return m.group(0) if m else None


def is_time(text: str) -> bool:
    """Whether a text is one time, as IPS prints them."""
    text = text.strip()
    return _RELATIVE.fullmatch(text) is not None or TIME.fullmatch(text) is not None


@lru_cache(maxsize=4096)  # a page quotes the same post, with the same citation, many times
def quote_header(text: str) -> tuple[str | None, str | None] | None:
    """(author, time_text) when a line is an IPS quote citation, else None."""
    if not text.endswith(("said:", ")")):
        return None
    if text[:1] == "[":
        text = LINK_MARK.sub("", text).strip()
    m = _SAID3.fullmatch(text)
    if m and is_time(m["time"]):
        return m["author"].strip(), m["time"].strip()
    m = _SAID4.fullmatch(text)
    if m and is_time(m["time"]):
        return m["author"].strip(), m["time"].strip()
    m = _SAID0.fullmatch(text)
    if m and len(m["author"].split()) <= 3:
        return m["author"].strip(), None
    m = _QUOTE2.fullmatch(text)
    if m:
        return m["author"].strip(), m["time"].strip()
    return None


def edited_by(text: str) -> str | None:
    """The editor named by an edit note ("Edited August 4 by NAME", "Edited by NAME, date.")."""
    m = _EDITED.fullmatch(text.strip())
    if not m:
        return None
    name = m["name"]
    cut = _EDIT_TAIL.search(name)
    if cut:
        name = name[: cut.start()]
    name = name.strip()
    return name if _EDITOR.fullmatch(name) else None


def reaction(text: str, *, bulleted: bool) -> tuple[str, int] | None:
    """("Like", 2) for a reaction tally line; a time gap ("2 weeks later...") is not one."""
    m = _REACTION.fullmatch(text)
    if not m or ((text[0] in "aAoO" or text[0].isdecimal()) and GAP.fullmatch(text)):
        return None
    name = m["name"]
    if not bulleted and name.lower() not in STOCK_REACTIONS:
        return None
    return name, int(m["count"])


def posted_time(text: str) -> str | None:
    """The time of a post header's date line ("Posted August 4, 2018 (edited)")."""
    m = POSTED.fullmatch(debullet(text)[1]) if "osted" in text else None
    if not m:
        return None
    found = TIME.match(m["rest"])
    if not found or not _AFTER_POSTED_TIME.fullmatch(m["rest"][found.end() :]):
        return None
    return found.group(0)


def name_of(text: str) -> str:
    """A pane line as a name: no bullet, no lynx link mark, no [brackets] around image alts."""
    text = debullet(text)[1]
    m = _BRACKETED.fullmatch(text)
    return m[1].strip() if m else text
