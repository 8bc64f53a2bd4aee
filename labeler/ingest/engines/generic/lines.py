"""Line shapes shared by the generic parser: times, bullets, buttons, names, profile fields.

Every classifier is a pure function of one line's text and is cached, because forum pages
repeat the same short lines (buttons, ranks, profile fields) in every post.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from labeler.ingest.engines.base import clean_line

CACHE = 1 << 16

# ---------------------------------------------------------------- time expressions
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\b\.?)?"
_TZ = r"(?:\s*(?:utc|gmt|[ecmp][sd]t|bst|cet|cest|[+-]\d{2}:?\d{2})\b)?"
_AT_CLOCK = rf"(?:,?\s*(?:at\s+|@\s*|-\s+)?{_CLOCK}{_TZ})?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATES = (
    rf"{_MONTH}\s+{_DAY},?\s+{_CLOCK}{_TZ}\s+\d{{4}}",  # Jan 5 10:00:00 EST 2015 (mail archives)
    rf"{_MONTH}\s+{_DAY},?\s+\d{{4}}{_AT_CLOCK}",  # May 26, 2019 4:34 pm
    rf"{_DAY}\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}{_AT_CLOCK}",  # 26 May 2019, 10:00
    rf"\d{{4}}-\d{{2}}-\d{{2}}(?:[T ]{_CLOCK}(?:\.\d+)?(?:z|[+-]\d{{2}}:?\d{{2}})?)?",  # ISO
    rf"\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}}){_AT_CLOCK}",  # 06-15-2016, 03:03 PM
    rf"{_MONTH}\s+{_DAY}(?:,?\s*(?:at\s+|@\s*)?{_CLOCK})?",  # Jan 5 / Nov 21 at 10:00
    r"(?:\d+|an?|one)\s+(?:sec(?:ond)?s?|min(?:ute)?s?|hours?|hrs?|days?|weeks?|months?"
    r"|years?|yrs?)\.?\s+ago",  # 3 hours ago
    rf"(?:yesterday|today)(?:,?\s*(?:at\s+)?{_CLOCK})?",  # Yesterday at 10:00 PM
    r"just now",
)
# A time starts at a word boundary, or right after letters when it starts with a digit
# ("Posted by6 years ago" as text renderers glue it).
TIME = re.compile(
    rf"(?:(?<![\w/.:-])|(?<=[^\W\d_])(?=\d))(?:{_WEEKDAY}(?:{'|'.join(_DATES)}))(?![\w/:])",
    re.I,
)
_DIGIT_PAIR = re.compile(r"[0-9][:/.-][0-9]")
_TIME_WORDS = (
    "ago", "yesterday", "today", "just now", "jan", "feb", "mar", "apr", "may", "jun", "jul",
    "aug", "sep", "oct", "nov", "dec",
)  # fmt: skip


def find_time(text: str) -> re.Match[str] | None:
    """The first date/time expression in `text` (absolute, relative or "Yesterday at")."""
    if _DIGIT_PAIR.search(text) is None:
        low = text.lower()
        if not any(word in low for word in _TIME_WORDS):
            return None
    return TIME.search(text)


# ---------------------------------------------------------------- line vocabulary
_BULLET = re.compile(r"^(?:[•*·◦▪‣□☆○●■\u2013\u2014-]|\d{1,3}\.)\s+|^[•·◦▪□☆○●■]$")
_BUTTON_PHRASES = (
    "reply with quote", "reply with quotation", "link to comment", "share on other sites",
    "multi-quote", "multiquote", "multi quote", "quick reply", "quote selected", "report post",
    "report to moderator", "back to top", "go to top", "top", "reply", "quote", "report",
    "share", "like", "unlike", "love", "haha", "wow", "sad", "angry", "thanks", "thank you",
    "agree", "disagree", "permalink", "link", "flag", "parent", "next", "prev", "context",
    "edit", "delete", "save", "hide", "give award", "continue this thread", "load more replies",
    "view profile", "view forum posts", "view blog entries", "visit homepage", "private message",
    "send pm", "send private message", "find", "find posts", "website", "email", "pm", "logged",
    "ip logged", "offline", "online", "vote", "upvote", "downvote", "reply to this",
    "add to ignore list", "find all posts by", "find latest posts", "post", "quote post",
    "bookmark", "follow", "unfollow", "mark as solution", "solution", "award", "options", "copy",
    "posts", "more", "remove", "embed", "save edit", "collapse", "expand", "view post", "ignore",
    "send message", "message", "profile", "notify", "watch",
)  # fmt: skip
_BUTTON_ROW = re.compile(
    r"^(?:(?:"
    + "|".join(sorted(map(re.escape, _BUTTON_PHRASES), key=len, reverse=True))
    + r")\s*)+$"
)
_TITLE_WORDS = re.compile(
    r"\b(?:member|members|moderator|mod|administrator|admin|staff|newbie|newcomer|guest|legend"
    r"|veteran|contributor|rookie|banned|supporter|lurker|participant|enthusiast|regular"
    r"|premium|subscriber|donor|vip|founder|guru|expert|leader|elder|cadet)\b",
    re.I,
)
_PROFILE_LABEL = (
    r"posts|joined|join date|location|mentioned|tagged|messages|reaction score|points"
    r"|reputation|rep power|threads|karma|age|gender|registered|member since|last seen"
    r"|last active|last visit|trophy points|likes received|solutions|country|from"
    r"|total posts|post count|group|rank|credits|thanked|been thanked|thanks given|referrals"
)
PROFILE = re.compile(rf"^(?:{_PROFILE_LABEL})\s*:(?:\s*\S.*)?$|^(?:{_PROFILE_LABEL})$", re.I)
PROFILE_VALUE_NEXT = re.compile(
    r"^(?:posts|join date|location|mentioned|tagged|messages|reaction score|reputation"
    r"|rep power|threads|age|gender|joined|points)$",
    re.I,
)
NOT_HEADER = re.compile(
    rf"^(?:{_PROFILE_LABEL}|last (?:edited|edit|modified|updated)|edited|modified|updated"
    r"|created|reason|posted on|this post was|re:)\b|©|copyright",
    re.I,
)
STATUS = re.compile(
    r"^(?:.{1,40}\s+is\s+(?:offline|online)|(?:user\s+)?avatar|.{0,40}'s avatar|[*★☆✩•]+"
    r"|user is (?:offline|online)|status:.*|\(?(?:offline|online)\)?)$",
    re.I,
)
MAIL_HEADER = re.compile(
    r"^(?:to|cc|bcc|reply-to|message-id|in-reply-to|references|sender|list-id|x-[\w-]+)\s*:",
    re.I,
)
MAIL_FROM = re.compile(r"^from:\s*(.+)$", re.I)
_EMAIL = re.compile(r"\s*(?:<[^>]*>|\(?[\w.+-]+@[\w.-]+\)?|\b[\w.+-]+ at [\w-]+(?:\.[\w-]+)+)\s*")
_MAIL_NAME = re.compile(r"\(([^()@]+)\)\s*$")
POSTNUM = re.compile(r"^(?:[•·]\s*)?(?:post:?\s*)?#\s?(\d+)$", re.I)
LEVEL = re.compile(r"^level (\d+)$", re.I)
GAP = re.compile(r"^\d+\s+\w+\s+later\W*$", re.I)
SUBJECT = re.compile(r"^(?:re|aw|sv|fwd?)\s*:\s*\S.*$", re.I)
SUBJECT_LINE = re.compile(r"^subject:\s*(.+)$", re.I)
SIG_DASHES = re.compile(r"^-- ?$|^_{5,}$")
PAGE_END = re.compile(
    r"^(?:powered by\b|view entire discussion|more posts from|create an account|sign in\b"
    r"|log ?in\b|you need to be a member|you must (?:log ?in|be logged in|register)"
    r"|similar (?:threads|topics)|related (?:threads|topics)|users? browsing"
    r"|recently browsing|forum jump|jump to\b|quick reply|post reply|post a reply"
    r"|reply to (?:this )?(?:topic|thread)|share this page|« previous|previous next"
    r"|«? ?next oldest|next thread|previous topic|next topic|return to\b|all times are"
    r"|bookmarks$|posting permissions|tags for this thread|currently active users"
    r"|who is online|home\s+categories|copyright\b|©|all rights reserved"
    r"|(?:previous\s*next\s*)?display posts from|go to page|pages?:\s*\[?\d|page \d+ of \d+"
    r"|go (?:up|down)$|new comments cannot be posted|leave a (?:reply|comment)|add a comment"
    r"|there are \d+ (?:users|guests)|board footer|(?:[^|]{1,24}\|){4,}[^|]{1,24}$"
    r"|(?:facebook|twitter|reddit|email|share)(?: (?:facebook|twitter|reddit|pinterest|tumblr"
    r"|whatsapp|email|link|linkedin))+$)",
    re.I,
)
SENTENCE_END = re.compile(r"[.!?]['\"\u201d\u2019)]?$")
EXPAND_TEXTS = ("click to expand...", "click to expand…", "expand", "collapse")
_NAME = re.compile(r"^[\w.'\u2019@~^+-]+(?: [\w.'\u2019@~^+-]+){0,3}$")
NOT_NAMES = frozenset((
    "i", "you", "he", "she", "we", "they", "it", "this", "that", "there", "here", "and", "or",
    "but", "so", "yes", "no", "ok", "okay", "thanks", "lol", "anonymous", "guest", "deleted",
    "unknown", "user", "image", "quote", "attachment", "attachments", "code", "spoiler", "more",
    "less", "show", "hide", "original", "poster", "op", "the", "a", "an", "someone", "everyone",
    "nobody", "who",
))  # fmt: skip
_SQUARE = re.compile(r"\[[^\]]{0,40}\]")
_SEPARATORS = re.compile(r"[|·•»«/,:()\[\]]+")
_ODD_SPACE = re.compile("[\t\xa0\u2000-\u200d\u202f\u205f\u3000\u2060\ufeff]")


def fast_clean(text: str) -> str:
    """What `clean_line` gives, doing only the work a line needs."""
    if "  " not in text and _ODD_SPACE.search(text) is None:
        return text.strip()
    return clean_line(text)


_BULLET_STARTS = frozenset("•*·◦▪‣□☆○●■\u2013\u2014-0123456789")


def unbullet(text: str) -> str:
    """A line without its list bullet ("• ", "* ", "1. ")."""
    text = text.strip()
    if not text or text[0] not in _BULLET_STARTS:
        return text
    return _BULLET.sub("", text).strip()


_BUTTON_FIRST_WORDS = frozenset(p.split()[0] for p in _BUTTON_PHRASES)


@lru_cache(maxsize=CACHE)
def is_button_row(text: str) -> bool:
    """A row of post controls ("Reply", "Quote", "Report", "Link to comment", "• Like")."""
    if len(text) > 120:
        return False
    if len(text) > 30:
        first = button_key(text[:30]).split(" ", 1)[0]
        if first not in _BUTTON_FIRST_WORDS:
            return False
    plain = button_key(text)
    return bool(plain) and _BUTTON_ROW.match(plain) is not None


@lru_cache(maxsize=CACHE)
def button_key(text: str) -> str:
    """A line stripped of bullets, bracketed alt texts and separators, lower-cased."""
    text = _SEPARATORS.sub(" ", _SQUARE.sub(" ", unbullet(text)).lower())
    return " ".join(text.split())


@lru_cache(maxsize=CACHE)
def is_name_like(text: str) -> bool:
    """A short token that can be a user name (not a button, title, date or sentence)."""
    if not text or len(text) > 32 or not _NAME.match(text):
        return False
    if not any(c.isalpha() for c in text) or text[-1] in "!?":
        return False
    if text.endswith(".") and " " in text:
        return False
    low = text.lower()
    if low in NOT_NAMES or _TITLE_WORDS.search(low) or is_button_row(text):
        return False
    if LEVEL.match(text) or POSTNUM.match(text) or STATUS.match(text) or PROFILE.match(text):
        return False
    return find_time(text) is None


@lru_cache(maxsize=CACHE)
def name_of_line(text: str) -> str | None:
    """The user name a line prints alone ("alice", "From: Alice <a@x.org>", "Al a at x.org")."""
    line = unbullet(text)
    if m := MAIL_FROM.match(line):
        line = m.group(1)
        if inner := _MAIL_NAME.search(line):
            line = inner.group(1)
    if "@" in line or " at " in line:
        line = _EMAIL.sub(" ", line).strip(" ,\"'")
    return line if is_name_like(line) else None


def is_user_title(text: str) -> bool:
    """A rank line under a user name ("Senior Member", "Well-known member")."""
    return len(text) <= 40 and _TITLE_WORDS.search(text) is not None


@dataclass(slots=True)
class Line:
    """One line of a text page: cleaned text and its indentation (columns of leading space)."""

    text: str
    indent: int
