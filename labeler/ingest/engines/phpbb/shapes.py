"""phpBB line shapes: the regexes every text rule uses, and cheap line helpers.

The helpers avoid a regex call where a string method answers the same question: the
text parser calls them on every line of pages of tens of megabytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from itertools import repeat

from labeler.ingest.engines.base import clean_line

# ---------------------------------------------------------------- dates
_DAY = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?"
DATE = (
    rf"(?:(?:{_DAY},?\s+)?(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}\.?\s+{_MONTH},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}})"
    rf"(?:,?\s*(?:at\s+)?{_CLOCK})?"
    rf"|(?:Today|Yesterday),?\s+(?:at\s+)?{_CLOCK}"
    r"|(?:less than a minute|\d{1,2} minutes?|\d{1,2} hours?) ago)"
)


# The date shapes are long to compile and needed on some pages only: compiled when used.
@cache
def date_line() -> re.Pattern[str]:
    """A line that is a date."""
    return re.compile(rf"^\s*{DATE}\s*$", re.I)


@cache
def date_start() -> re.Pattern[str]:
    """A date, then the rest of the text (`date`, `rest`)."""
    return re.compile(rf"^\s*(?P<date>{DATE})\s*(?P<rest>.*)$", re.I | re.S)


# ---------------------------------------------------------------- post headers
# "Postby NAME » DATE" (3.0 w3m), "Post by" (3.1+, lynx), "by" (browser copy), "#7 Post by".
# The word before the name follows the board's language ("by", "von", "par", ...).
BY = r"(?:Post|Beitrag|Message|Mensaje|Messaggio|Bericht)?\s*(?:by|von|par|por|door|da|av|af|przez)"
HEADER = re.compile(
    rf"^\s*(?:#(?P<num>\d{{1,7}})\s*)?{BY}\s+(?P<author>[^»\n]{{1,80}}?)\s*(?:»|>>)\s*"
    r"(?P<time>[^»\n]{1,80}?)\s*$"
)
_DIGIT = re.compile(r"\d")
_DAY_WORD = re.compile(r"today|yesterday|ago", re.I)


def header_time(text: str) -> bool:
    """Whether a header's time part looks like a time (a digit, "today", "ago", ...)."""
    return _DIGIT.search(text) is not None or _DAY_WORD.search(text) is not None


# HEADER's left of a line's only "»" (the time right of it is the rest, stripped).
HEADER_LEFT = re.compile(rf"^\s*(?:#(?P<num>\d{{1,7}})\s*)?{BY}\s+(?P<author>[^»\n]{{1,80}}?)\s*$")


@cache
def posted() -> re.Pattern[str]:
    """subsilver2 and phpBB2: "[NAME] PostPosted: DATE [Post subject: S]"."""
    return re.compile(
        rf"^(?P<left>.*?)(?:Post\s*)?Posted:\s*(?P<time>{DATE})\s*"
        r"(?:Post subject:\s*(?P<subject>.*?))?\s*$",
        re.I,
    )


SUBJECT_CELL = re.compile(r"^(?P<left>.*?)\s*Post subject:\s*(?P<subject>.*?)\s*$")

# ---------------------------------------------------------------- edit notes, cites
EDIT = re.compile(
    r"^\s*Last edited by (?P<who>.+?) on (?P<when>.+?)[,;] edited (?P<n>\d+) times? in total\.?\s*$"
)
REASON = re.compile(r"^\s*Reason:\s*\S")
_WROTE_WORDS = (
    r"wrote|schrieb|a écrit|escribió|ha scritto|schreef|escreveu|skrev|napisał|написал|kirjoitti"
)
CITE = re.compile(rf"^(?P<author>[^\n]{{1,60}}?)\s+(?:{_WROTE_WORDS})\s*:\s?(?P<rest>.*)$", re.S)
UNCITED_TITLE = re.compile(r"^\s*(?:Quote|Zitat|Citation|Cita)\s*:?\s*$", re.I)

# ---------------------------------------------------------------- furniture
FIELD = re.compile(
    r"^\s*(?:Posts|Joined|Location|Contact|Website|Occupation|Interests|Age|Gender|Sex|"
    r"Reputation|Has thanked|Been thanked|Likes?|Liked|Karma|Status|Real name|Medals|Warnings|"
    r"Country|Registered|Beiträge|Registriert|Wohnort|Messages|Inscription|Localisation)\s*:",
    re.I,
)
BUTTON = re.compile(
    r"^\s*(?:[•*·◦▪+-]\s*)?(?:Reply with quote|Quote|Multi-?quote|Quick quote|"
    r"Report(?: this post)?|Edit(?: post)?|Delete(?: post)?|Warn(?: user)?|(?:Post )?information|"
    r"Top|Back to top|"
    r"Profile|PM|Send private message|E-?mail|WWW|Website|Thanks?|Like|Unlike|Remove thanks|"
    r"Share|Share post|Link|Post|Online|Offline)\s*$",
    re.I,
)
CONTACT_ROW = re.compile(
    r"^\s*(?:(?:View user's profile|Send private message|Send e-?mail|Visit poster's website|"
    r"AIM Address|Yahoo Messenger|MSN Messenger|ICQ Number|Profile|PM|E-?mail|WWW)\s*)+$",
    re.I,
)
TABLE_HEAD = re.compile(r"^\s*Author\s+Message\s*$", re.I)
ATTACHMENT = re.compile(
    r"^\s*(?:Attachments?:?"
    r"|.*\(\s*[\d.,]+\s*[KMG]?i?B\s*\)\s*(?:Viewed|Downloaded) \d+ times?)\s*$",
    re.I,
)
TOP = re.compile(r"^\s*(?:Top|Back to top)\s*$", re.I)
SEPARATOR = re.compile(r"^\s*[_\-━─=~]{3,}\s*$")
SIG_RULE = re.compile(r"^\s*_{5,}\s*$")
AVATAR = re.compile(r"^\s*\[?(?:User avatar|Avatar|IMG)\]?\s*$", re.I)
CODE_HEAD = re.compile(r"^\s*Code:\s*(?:Select all|Expand view|Collapse view|\s)*$", re.I)
BULLET = re.compile(r"^\s*(?:[•◦▪‣*·+-]|\d{1,3}[.)])\s")
FOOTER = re.compile(
    r"^\s*(?:Display posts from previous|Display:|Sort by|Post a reply|Post Reply|Return to|"
    r"Jump to|Who is online|Users browsing this forum|Powered by phpBB|All times are|"
    r"\d+ posts? •|Page \d+ of \d+)",
    re.I,
)
# A button, a rule, an avatar or a contact row: one regex for the four (each is anchored).
CHROME = re.compile(
    "|".join(f"(?:{rule.pattern})" for rule in (BUTTON, SEPARATOR, AVATAR, CONTACT_ROW)), re.I
)

INDENT_STEP = 2
LEAD = " \t\xa0\u3000"  # what counts as indentation
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_VISIBLE = re.compile(rf"[^\s{ZERO_WIDTH}]")


_LEAD_PREFIXES = tuple(LEAD)


def flush(lines: Iterable[str]) -> bool:
    """Whether no line is indented at all (then every indentation question is answered)."""
    return not any(map(str.startswith, lines, repeat(_LEAD_PREFIXES)))


def clean(line: str) -> str:
    """`clean_line`, answered at once for a line that is clean already (printable ASCII
    with single spaces between words), as most lines are."""
    if (
        line.isascii()
        and line.isprintable()
        and "  " not in line
        and line[:1] != " "
        and line[-1:] != " "
    ):
        return line
    return clean_line(line)


def indent(line: str) -> int:
    """Width of the line's indentation (spaces, tabs, no-break and ideographic spaces)."""
    return len(line) - len(line.lstrip(LEAD))


def blank(line: str) -> bool:
    """Empty or only spaces and zero-width characters."""
    if not line or line.isspace():
        return True
    return not line.isascii() and _VISIBLE.search(line) is None


def visible(line: str) -> bool:
    """Not blank."""
    if not line or line.isspace():
        return False
    return line.isascii() or _VISIBLE.search(line) is not None


def hidden(line: str) -> bool:
    """Only spaces and zero-width characters (for a line already known not to be empty)."""
    return _VISIBLE.search(line) is None


_RULE_START = frozenset("_-━─=~")


def pad(line: str) -> bool:
    """A blank line or a rule (what may stand between a header and the message)."""
    if not line or line.isspace():
        return True
    if line.lstrip()[:1] in _RULE_START and SEPARATOR.match(line):
        return True
    return not line.isascii() and _VISIBLE.search(line) is None


# Buttons (but for spaces after a bullet) and avatars are short: longer furniture is a
# bulleted button, a rule or a row of contact links.
_SHORT_CHROME = 32
_RULE_OR_CONTACT = frozenset("_-━─=~•*·◦▪+vsaymipewVSAYMIPEW")  # and bullets


def avatar_pad(line: str) -> bool:
    """A blank line or an avatar's place ("User avatar", at most 13 characters)."""
    return blank(line) or (len(line.strip()) <= 13 and AVATAR.match(line) is not None)


def chrome(line: str) -> bool:
    """A button, "Top", a rule, an avatar or a blank line: furniture between posts."""
    if blank(line):
        return True
    if len(line) > _SHORT_CHROME:
        text = line.strip()
        if len(text) > _SHORT_CHROME and text[0] not in _RULE_OR_CONTACT:
            return False
    return CHROME.match(line) is not None


def key(line: str) -> str:
    """A line compared by its words (whitespace runs ignored), cheaply."""
    return " ".join(line.split())


def junk(line: str) -> bool:
    """A "Code:" title or an attachment line: neither body nor quote text."""
    if ":" in line and CODE_HEAD.match(line):
        return True
    return bool(
        ("(" in line or "ttachment" in line or "TTACHMENT" in line) and ATTACHMENT.match(line)
    )


_BLANK_RUN = re.compile(r"\n{3,}")


def paragraphs(lines: Sequence[str], *, drop_junk: bool = False) -> str:
    """Lines as text: lines stripped, blank runs as one blank line (`join_paragraphs`).

    With `drop_junk`, without `junk` lines (tested one by one only when the text holds
    a colon, a parenthesis or the word "attachment").
    """
    text = "\n".join(map(str.strip, lines))
    if drop_junk and (":" in text or "(" in text or "ttachment" in text or "TTACHMENT" in text):
        text = "\n".join([line.strip() for line in lines if not junk(line)])
    text = text.strip("\n")
    return _BLANK_RUN.sub("\n\n", text) if "\n\n\n" in text else text


# ---------------------------------------------------------------- lines
def base_indent(lines: Sequence[str]) -> int:
    """The indentation of a post's own lines (code printed flush left by lynx ignored)."""
    if flush(lines):
        return 0
    base = 1 << 30
    code = -1  # indentation of the "Code:" line whose box we are in
    code_head = CODE_HEAD.match
    for line in lines:
        width = len(line) - len(line.lstrip(LEAD))
        if code < 0 and width >= base and ":" not in line:
            continue  # cannot lower the base, open a code box or close one
        if width == len(line) or width < code or blank(line):
            continue
        code = width if ":" in line and code_head(line) else -1
        base = min(base, width)
    return 0 if base == 1 << 30 else base


def lines_holding(text: str, mark: str) -> list[int]:
    """Indices of the lines of `text` that hold `mark` (found by searching the text)."""
    found: list[int] = []
    line, counted = 0, 0
    at = text.find(mark)
    while at >= 0:
        line += text.count("\n", counted, at)
        counted = at
        found.append(line)
        end = text.find("\n", at)
        if end < 0:
            break
        at = text.find(mark, end)
    return found


# ---------------------------------------------------------------- quote heads
def quote_head(line: str) -> tuple[str | None, str] | None:
    """(author, glued text) when the line opens a quote ("X wrote:...", "Quote:")."""
    if line.find(":", 0, 120) < 0:
        return None
    text = clean(line)
    if UNCITED_TITLE.match(text):
        return None, ""
    m = CITE.match(text)
    if m and len(m["author"].split()) <= 6:
        return clean(m["author"]), m["rest"]
    return None


def cite_time(rest: str, following: str | None) -> tuple[str | None, str, bool]:
    """(time, remaining glued text, whether the next line was the time) of a 3.2+ cite."""
    rest = rest.strip()
    arrow = rest.startswith("↑")
    rest = rest.lstrip("↑ ").strip()
    m = date_start().match(rest)
    if m and (arrow or re.search(r"\d:\d\d", m["date"])):
        return clean_line(m["date"]), m["rest"], False
    if not rest and following is not None and date_line().match(following):
        return clean_line(following), "", True
    return None, rest, False
