"""News line shapes: a page read as classified lines, and the regexes the other modules use.

Text pages (w3m, lynx, a browser copy) and HTML pages (rendered by `html`) both become a list
of `Line`s: cleaned text, the blank-separated block it sits in, and a shape (prose, list
item, short line, noise). Every later rule reads these shapes, so they are computed once,
with string methods ahead of regexes on the common path: pages run to tens of megabytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# ---------------------------------------------------------------- shapes
BULLET = re.compile(
    "^(?:[\u2022\u25e6\u25aa\u25ab\u25a0\u25a1\u25cf\u25cb\u25c6\u25c7\u25ba\u25b8\u2023"
    "\u2043\u2219\u00b7*+\\-\u2013\u2014\u2606\u2605]|\\d{1,3}[.)]|\\(\\d{1,3}\\)|[a-z][.)])"
    "\\s+(?=\\S)"
)
_BULLET_CHARS = frozenset("\u2022\u25e6\u25aa\u25a1\u25cf\u25cb*+\u00b7\u2013\u2014-")
NUMBERED = re.compile(r"^(?:\d{1,3}[.)]|\(\d{1,3}\))\s+\S")
_CLOSERS = "\"'\u201d\u2019\u00bb)]"
_LETTER = re.compile(r"[^\W\d_]")
_NOISE = re.compile(r"^(?:[\W_]*\[[^\]]*\][\W_]*)+$|^<[a-zA-Z!/][^>]*>")
_LYNX_REF = re.compile(r"\[\d{1,5}\]")
# As in base.clean_line: inner whitespace runs (not line ends) and zero-width characters.
_SPACES = re.compile(" {2,}")
_ODD_SPACE = re.compile("[\t\xa0\u2000-\u200a\u202f\u205f\u3000\f\v]")
_ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
WIDGET = re.compile(
    r"\b(?:advertis\w*|sponsor\w*|promoted|paid\s+(?:content|partner|post)|powered\s+by|"
    r"disclosures?|newsletters?|subscri\w+|sign\s+(?:in|up)|log\s*(?:in|out)|register|share|"
    r"tweet|print|e-?mail|comments?|follow\s+us|cookies?|privacy|terms\s+(?:of|and)|"
    r"rights\s+reserved|copyright|read\s+more|click\s+here|skip\s+to|jump\s+to|upvote|"
    r"favou?rite|bookmark|photo\s+credit|image\s+(?:credit|source)|getty|shutterstock|skip|"
    r"accept|allow|twitter|facebook|instagram|youtube|tiktok|whatsapp|linkedin|pinterest|"
    r"continu\w*\s+(?:reading|below)|listen\s+to\s+(?:this\s+)?(?:article|story))\b|©",
    re.IGNORECASE,
)
# Cookie and embed consent text ("We use cookies ... accept"): a widget even when it is long.
_CONSENT = re.compile(
    r"\bcookies?\b.{0,200}\b(?:consent|permission|accept|agree|settings|preferences)\b|"
    r"\b(?:consent|permission|accept|agree)\b.{0,200}\bcookies?\b",
    re.IGNORECASE,
)
EMAIL = re.compile(r"^\S+@\S+\.\w+$")
VIDEO_CUE = re.compile(
    r"\b(?:video|replay|autoplay|now\s+playing|up\s+next|watch|play(?:s|ing)?\s+in)\b", re.I
)

# ---------------------------------------------------------------- headings
# A heading after which the page leaves the article (comment form, link lists). Link-list
# headings ("Most read", "Related") also head boxes inside an article; the others do not.
_COMMENTS_HEADING = (
    r"(?:\d+\s+)?(?:comments?|leave\s+a\s+(?:comment|reply)|join\s+the\s+(?:conversation|"
    r"discussion)|\d+\s+(?:thoughts?|responses?|comments?|replies)\s+(?:on|to)\s.{1,200})"
)
# Headings the article never continues after: the comments, the author box, tags, sharing.
_FINAL = (
    rf"{_COMMENTS_HEADING}|"
    r"about\s+the\s+author|tags?|topics|share\s+this(?:\s+(?:article|story))?"
)
FINAL_HEADING = re.compile(rf"(?:{_FINAL})\s*:?$", re.IGNORECASE)
COMMENTS = re.compile(_COMMENTS_HEADING + r"\s*:?$", re.IGNORECASE)
TERMINATOR = re.compile(
    # an optional section name before a dash ("Social Surge - What's Trending"), then the heading
    r"^(?:[^\W\d_][^\n]{0,40}?\s[-\u2013\u2014|:]\s+)?(?:\d+\s+)?(?:what'?s\s+)?"
    rf"(?:{_FINAL}|"
    r"recommended(?:\s+\w+)?|related(?:\s+\w+)?|more\s+(?:stories|news|articles|"
    r"from\b.{0,40}|on\s+this\s+(?:story|topic)|like\s+this|to\s+read)|"
    r"you\s+(?:may|might)\s+also\s+like|read\s+next|up\s+next|"
    r"trending(?:\s+now)?|most\s+(?:popular|read|viewed|shared))\s*:?$",
    re.IGNORECASE,
)

_SAMPLE_LINES = 50_000  # lines sampled to find a fixed wrap width


@dataclass(slots=True)
class Line:
    """One rendered line: cleaned text, its blank-separated block and its shape."""

    text: str
    block: int
    shape: str  # "prose" | "item" | "short" | "noise"
    content: bool = False  # HTML: the extractor kept this line


def words(text: str) -> int:
    """Words of a cleaned line (single spaces, stripped)."""
    return text.count(" ") + 1 if text else 0


def _shape(text: str) -> str:
    """A cleaned, non-empty line's shape: "prose", "item", "short" or "noise"."""
    first = text[0]
    if first.isalpha():  # the common case, without a regex: no noise; a bullet only as "a) "
        if text[1:2] in (".", ")") and first.islower() and text[2:3] == " ":
            return "item"
    elif first in _BULLET_CHARS and text[1:2] == " " and text[2:3].isalnum():
        return "item"
    elif not _LETTER.search(text) or _NOISE.match(text):
        return "noise"
    elif BULLET.match(text):
        return "item"
    count = words(text)
    if (count >= 6 and ends_sentence(text)) or count >= 30:
        # A one-line widget sentence ("Sign up for our newsletter.") is not article prose.
        return "short" if widget_sentence(text, count) else "prose"
    return "short"


def ends_sentence(text: str) -> bool:
    """Ends like a sentence (or a list intro): . ! ? … : ; before closing quotes/brackets."""
    core = text.rstrip(_CLOSERS)
    return bool(core) and core[-1] in ".!?\u2026:;"


def widget_sentence(text: str, count: int) -> bool:
    """A widget's text (share, subscribe, consent) even though it reads as a sentence."""
    if count < 12 and WIDGET.search(text):
        return True
    return count < 60 and "ookie" in text and bool(_CONSENT.search(text))


def headline_like(text: str, least: int = 2) -> bool:
    """A title or subheading: `least` to 25 words, not a sentence, not a widget, not
    lower-case alt text."""
    count = words(text)
    if not least <= count <= 25 or text.endswith((".", ",", ";", ":")) or BULLET.match(text):
        return False
    return not (WIDGET.search(text) or EMAIL.match(text)) and any(c.isupper() for c in text)


# ---------------------------------------------------------------- reading lines
def _unwrap(raw: list[str]) -> list[str]:
    """Join lines that a fixed-width renderer (lynx, w3m -cols 80) wrapped.

    The wrap width is what nearly all wordy lines stay under; a line was wrapped when the
    next line's first word would not have fitted after it.
    """
    wordy = sorted(len(x.rstrip()) for x in raw[:_SAMPLE_LINES] if x.strip().count(" ") >= 3)
    if len(wordy) < 10:
        return raw
    width = wordy[min(len(wordy) - 1, len(wordy) * 98 // 100)]
    near = sum(1 for n in wordy if width - 12 <= n <= width)
    if not 40 <= width <= 100 or near < 5 or near * 5 < sum(1 for n in wordy if n >= 40):
        return raw
    out: list[str] = []
    last = 0  # length of the previous physical line (0 after a blank line)
    for line in raw:
        stripped = line.strip()
        fits = last + 1 + len(stripped.split(maxsplit=1)[0] if stripped else "") <= width
        if last and stripped and not fits and not BULLET.match(stripped):
            out[-1] = out[-1].rstrip() + " " + stripped
            last = len(line.rstrip())
            continue
        out.append(line)
        last = len(line.rstrip())
    return out


def _clean(raw: list[str]) -> str:
    """The lines joined, without zero-width characters and with odd spaces made plain:
    clean_line's work, done on the whole text where that is faster than line by line."""
    whole = "\n".join(raw)
    for char in _ZERO_WIDTH:
        if char in whole:
            whole = whole.replace(char, "")
    if _ODD_SPACE.search(whole):
        whole = _ODD_SPACE.sub(" ", whole)
    return whole


def text_lines(raw: list[str], *, rendered: bool = True) -> list[Line]:
    """Page lines → classified lines (blank lines only advance the block number).

    `rendered`: the lines come from a text browser or a copy (undo lynx wrapping and link
    numbers); false for lines we rendered from HTML ourselves.
    """
    if rendered:
        raw = _unwrap(raw)
        if any(x.strip() == "References" for x in raw[-5000:]):
            raw = [_LYNX_REF.sub("", x) for x in raw]
    lines: list[Line] = []
    block = 0
    for line in _clean(raw).split("\n"):
        text = line.strip()
        if not text:
            block += 1
            continue
        if "  " in text:
            text = _SPACES.sub(" ", text)
        shape = _shape(text)
        if shape == "prose" and lines and lines[-1].text == text:
            shape = lines[-1].shape = "short"  # printed twice: a caption or a link teaser
        lines.append(Line(text, block, shape))
    return lines
