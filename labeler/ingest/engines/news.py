"""News articles: one row per paragraph, with boilerplate and off-topic suggestions.

HTML: trafilatura finds the article text; we render the page's blocks as lines, mark the
lines trafilatura kept, and flag what sits between them (widgets, "Related:" links, video
teasers, a spliced story). Text (w3m, lynx, browser copy): the article is the longest run of
sentence-like lines, joined across in-article link boxes when the text after the box is on
the same subject; menus, short widget lines, comment forms and footers are page chrome.
Title, byline and date are read from the lines above the body (and the page's metadata) and
never become rows. Without trafilatura (not installed or failing) HTML falls back to the text
rules on the rendered page.
"""

from __future__ import annotations

import re
from collections import Counter
from copy import deepcopy
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING

from lxml import etree

from labeler.domain.post import Flag, PostKind
from labeler.errors import CorruptInputError
from labeler.ingest import offtopic
from labeler.ingest.engines.base import Engine, clean_line, element_text
from labeler.ingest.model import PageKind, ParsedPage, ParsedPost

if TYPE_CHECKING:
    from labeler.ingest.page import Page

# ---------------------------------------------------------------- line shapes
_BULLET = re.compile(
    "^(?:[\u2022\u25e6\u25aa\u25ab\u25a0\u25a1\u25cf\u25cb\u25c6\u25c7\u25ba\u25b8\u2023"
    "\u2043\u2219\u00b7*+\\-\u2013\u2014\u2606\u2605]|\\d{1,3}[.)]|\\(\\d{1,3}\\)|[a-z][.)])"
    "\\s+(?=\\S)"
)
_BULLET_CHARS = frozenset("\u2022\u25e6\u25aa\u25a1\u25cf\u25cb*+\u00b7\u2013\u2014-")
_NUMBERED = re.compile(r"^(?:\d{1,3}[.)]|\(\d{1,3}\))\s+\S")
_CLOSERS = "\"'\u201d\u2019\u00bb)]"
_LETTER = re.compile(r"[^\W\d_]")
_NOISE = re.compile(r"^(?:[\W_]*\[[^\]]*\][\W_]*)+$|^<[a-zA-Z!/][^>]*>")
_LYNX_REF = re.compile(r"\[\d{1,5}\]")
_TOKEN = re.compile(r"\w+")
# As in base.clean_line: inner whitespace runs (not line ends) and zero-width characters.
_SPACES = re.compile(" {2,}")
_ODD_SPACE = re.compile("[\t\xa0\u2000-\u200a\u202f\u205f\u3000\f\v]")
_ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
_WIDGET = re.compile(
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
# A heading after which the page leaves the article (comment form, link lists). Link-list
# headings ("Most read", "Related") also head boxes inside an article; the others do not.
_COMMENTS_HEADING = (
    r"(?:\d+\s+)?(?:comments?|leave\s+a\s+(?:comment|reply)|join\s+the\s+(?:conversation|"
    r"discussion)|\d+\s+(?:thoughts?|responses?|comments?|replies)\s+(?:on|to)\s.{1,200})"
)
_FINAL_HEADING = re.compile(
    rf"(?:{_COMMENTS_HEADING}|about\s+the\s+author|tags?|topics|"
    r"share\s+this(?:\s+(?:article|story))?)\s*:?$",
    re.IGNORECASE,
)
_COMMENTS = re.compile(_COMMENTS_HEADING + r"\s*:?$", re.IGNORECASE)
_TERMINATOR = re.compile(
    # an optional section name before a dash ("Social Surge - What's Trending"), then the heading
    r"^(?:[^\W\d_][^\n]{0,40}?\s[-\u2013\u2014|:]\s+)?(?:\d+\s+)?(?:what'?s\s+)?"
    rf"(?:{_COMMENTS_HEADING}|"
    r"comments?|recommended(?:\s+\w+)?|related(?:\s+\w+)?|more\s+(?:stories|news|articles|"
    r"from\b.{0,40}|on\s+this\s+(?:story|topic)|like\s+this|to\s+read)|"
    r"you\s+(?:may|might)\s+also\s+like|read\s+next|up\s+next|"
    r"trending(?:\s+now)?|most\s+(?:popular|read|viewed|shared)|leave\s+a\s+(?:comment|reply)|"
    r"join\s+the\s+(?:conversation|discussion)|about\s+the\s+author|tags?|topics|share\s+this"
    r"(?:\s+(?:article|story))?)\s*:?$",
    re.IGNORECASE,
)
_VIDEO_CUE = re.compile(
    r"\b(?:video|replay|autoplay|now\s+playing|up\s+next|watch|play(?:s|ing)?\s+in)\b", re.I
)
_BYLINE = re.compile(r"^(?:(?i:written|posted|words|story)\s+)?(?i:by)[:\s]\s*[A-Z\u00c0-\u024f@]")
_EMAIL = re.compile(r"^\S+@\S+\.\w+$")
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = re.compile(
    rf"(?:\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|(?<!\d)\d{{1,2}}(?:st|nd|rd|th)?\s+"
    rf"{_MONTH},?\s+\d{{4}}|\b\d{{4}}-\d{{2}}-\d{{2}}|\b\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}\b)"
    r"(?:[,:]?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+(?-i:[A-Z]{2,4})\b)?)?"
    r"|\b\d{1,3}\s+(?:minutes?|hours?|days?)\s+ago\b",
    re.IGNORECASE,
)
# Non-prose lines allowed between two paragraphs of one article (text input); a long article
# may carry a bigger widget (an embedded post, a gallery) than a short one.
_MAX_GAP = 5
_MAX_GAP_LONG = 10
_MAX_BOX = 14  # lines of an in-article box ("Most read" and its links) the article can span
_SAME_SUBJECT = 0.15  # share of content words a continuation has in common with the article
_MAX_MERGES = 20
_SAMPLE_LINES = 50_000  # lines sampled to find a fixed wrap width
_HEAD_WINDOW = 200  # lines above the body searched for the title, byline and date


@dataclass(slots=True)
class _Line:
    """One rendered line: cleaned text, its blank-separated block and its shape."""

    text: str
    block: int
    shape: str  # "prose" | "item" | "short" | "noise"
    content: bool = False  # HTML: the extractor kept this line


def _shape(text: str) -> str:
    first = text[0]
    if first.isalpha():  # the common case, without a regex: no noise; a bullet only as "a) "
        if text[1:2] in (".", ")") and first.islower() and text[2:3] == " ":
            return "item"
    elif first in _BULLET_CHARS and text[1:2] == " " and text[2:3].isalnum():
        return "item"
    elif not _LETTER.search(text) or _NOISE.match(text):
        return "noise"
    elif _BULLET.match(text):
        return "item"
    words = text.count(" ") + 1
    if (words >= 6 and _ends_sentence(text)) or words >= 30:
        # A one-line widget sentence ("Sign up for our newsletter.") is not article prose.
        return "short" if _widget_sentence(text, words) else "prose"
    return "short"


def _ends_sentence(text: str) -> bool:
    """Ends like a sentence (or a list intro): . ! ? … : ; before closing quotes/brackets."""
    core = text.rstrip(_CLOSERS)
    return bool(core) and core[-1] in ".!?\u2026:;"


def _widget_sentence(text: str, words: int) -> bool:
    if words < 12 and _WIDGET.search(text):
        return True
    return words < 60 and "ookie" in text and bool(_CONSENT.search(text))


def _words(text: str) -> int:
    """Words of a cleaned line (single spaces, stripped)."""
    return text.count(" ") + 1 if text else 0


def _headline_like(text: str) -> bool:
    """A title or subheading: a few words, not a sentence, not a widget, not lower-case alt text."""
    words = _words(text)
    if not 2 <= words <= 25 or text.endswith((".", ",", ";", ":")) or _BULLET.match(text):
        return False
    return not (_WIDGET.search(text) or _EMAIL.match(text)) and any(c.isupper() for c in text)


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
        if last and stripped and not fits and not _BULLET.match(stripped):
            out[-1] = out[-1].rstrip() + " " + stripped
            last = len(line.rstrip())
            continue
        out.append(line)
        last = len(line.rstrip())
    return out


def text_lines(raw: list[str], *, rendered: bool = True) -> list[_Line]:
    """Page lines → classified lines (blank lines only advance the block number).

    `rendered`: the lines come from a text browser or a copy (undo lynx wrapping and link
    numbers); false for lines we rendered from HTML ourselves.
    """
    if rendered:
        raw = _unwrap(raw)
        if any(x.strip() == "References" for x in raw[-5000:]):
            raw = [_LYNX_REF.sub("", x) for x in raw]
    # clean_line's work, done on the whole text where that is faster than line by line.
    whole = "\n".join(raw)
    for char in _ZERO_WIDTH:
        if char in whole:
            whole = whole.replace(char, "")
    if _ODD_SPACE.search(whole):
        whole = _ODD_SPACE.sub(" ", whole)
    lines: list[_Line] = []
    block = 0
    for line in whole.split("\n"):
        text = line.strip()
        if not text:
            block += 1
            continue
        if "  " in text:
            text = _SPACES.sub(" ", text)
        shape = _shape(text)
        if shape == "prose" and lines and lines[-1].text == text:
            shape = lines[-1].shape = "short"  # printed twice: a caption or a link teaser
        lines.append(_Line(text, block, shape))
    return lines


# ---------------------------------------------------------------- the article body
def _text_body(lines: list[_Line]) -> tuple[int, int] | None:
    """The run of prose lines with the most text, joined with the runs that continue it after
    an in-article box ("Most read" and its list): (first, last + 1), or None."""
    runs = _prose_runs(lines)
    if not runs:
        return None
    lo = hi = max(range(len(runs)), key=lambda k: runs[k][2])
    vocabulary: set[str] | None = None  # the article's words, read when first needed
    for _ in range(_MAX_MERGES):
        after = hi + 1 < len(runs) and not runs[hi][3]
        before = lo > 0 and not runs[lo - 1][3]
        near = after and _continuation(lines, runs[hi][1], runs[hi + 1])
        if not near and before:
            near = _continuation(lines, runs[lo][0], runs[lo - 1])
            after = False
        if not near:
            break
        if vocabulary is None:
            vocabulary = set().union(*(_vocabulary(lines, runs[k]) for k in range(lo, hi + 1)))
        own = offtopic.content_words(" ".join(lines[i].text for i in near))
        if not own or len(own & vocabulary) < _SAME_SUBJECT * len(own):
            break
        lo, hi = (lo, hi + 1) if after else (lo - 1, hi)
        vocabulary |= own
    return runs[lo][0], runs[hi][1]


def _vocabulary(lines: list[_Line], run: tuple[int, int, int, bool]) -> set[str]:
    """Content words of a run (of its two ends when it is long: they are what it borders)."""
    start, end = run[0], run[1]
    part = (
        lines[start:end]
        if end - start <= 600
        else lines[start : start + 300] + lines[end - 300 : end]
    )
    return offtopic.content_words(" ".join(x.text for x in part))


def _prose_runs(lines: list[_Line]) -> list[tuple[int, int, int, bool]]:
    """(first, last + 1, characters, ended by a final heading) of each run of prose lines that
    few other lines split."""
    runs: list[tuple[int, int, int, bool]] = []
    last = chars = gap = count = 0
    start = -1  # first prose line of the current run, -1 outside a run
    for i, line in enumerate(lines):
        if line.shape == "noise":
            continue
        if line.shape == "prose":
            if start >= 0 and gap > min(_MAX_GAP_LONG, max(_MAX_GAP, count // 3)):
                runs.append((start, last + 1, chars, False))
                start = -1
            if start < 0:
                start, chars, count = i, 0, 0
            count += 1
            last, gap = i, 0
            chars += len(line.text)
        elif start >= 0 and _TERMINATOR.match(line.text):
            runs.append((start, last + 1, chars, bool(_FINAL_HEADING.match(line.text))))
            start = -1
        elif not _list_continues(lines, i):
            gap += 1
    if start >= 0:
        runs.append((start, last + 1, chars, False))
    return runs


def _list_continues(lines: list[_Line], i: int) -> bool:
    """A numbered list item after another item: a list counts once in a gap."""
    line = lines[i]
    numbered = line.shape == "item" and bool(_NUMBERED.match(line.text))
    return numbered and i > 0 and lines[i - 1].shape == "item"


def _continuation(lines: list[_Line], edge: int, run: tuple[int, int, int, bool]) -> list[int]:
    """The prose lines of `run` when it may continue the article past its edge (its end or
    its start): close by, with at least two paragraphs in a row; else an empty list."""
    first, last = run[0], run[1]
    between = range(edge, first) if first >= edge else range(last, edge)
    if len(between) > 4 * _MAX_BOX:
        return []
    if sum(1 for i in between if lines[i].shape != "noise") > _MAX_BOX:
        return []
    prose = [i for i in range(first, last) if lines[i].shape == "prose"]
    return prose if any(b == a + 1 for a, b in pairwise(prose)) else []


def _html_body(lines: list[_Line]) -> tuple[int, int] | None:
    """From the first to the last line the extractor kept, cut at a link-list heading that
    follows the last paragraph it kept."""
    marked = [i for i, line in enumerate(lines) if line.content]
    if not marked:
        return None
    prose = [i for i in marked if lines[i].shape == "prose"] or marked
    for i in range(prose[-1] + 1, marked[-1] + 1):
        if _TERMINATOR.match(lines[i].text):
            return marked[0], max(j for j in marked if j < i) + 1
    return marked[0], marked[-1] + 1


# ---------------------------------------------------------------- title, byline, date
@dataclass(slots=True)
class _Header:
    title: str | None = None
    byline: str | None = None
    date_text: str | None = None
    lines: set[int] = field(default_factory=set)
    title_line: int | None = None


def _date_of(text: str) -> str | None:
    m = _DATE.search(text)
    if m is None:
        return None
    rest = text[: m.start()] + text[m.end() :]
    return text if _words(rest) <= 4 and not _BYLINE.match(text) else m.group(0).strip()


def _byline_end(lines: list[_Line], i: int, stop: int) -> int:
    """Index after a byline starting at i: up to two continuation lines (a role, an e-mail)."""
    j = i + 1
    while j < min(stop, i + 3):
        text = lines[j].text
        role = lines[j].shape == "short" and _words(text) <= 4 and not re.search(r"[\d:.!?]", text)
        if not (_EMAIL.match(text) or role) or _VIDEO_CUE.search(text) or _WIDGET.search(text):
            break
        j += 1
    return j


def _find_header(
    lines: list[_Line], start: int, end: int, titles: set[str], avoid: set[int]
) -> tuple[_Header, int]:
    """Title, byline and date around the body start; returns them and the (new) body start."""
    head = _Header()
    start = _peel(lines, start, end, titles, head)
    _scan_back(lines, start, titles, avoid, head)
    if head.date_text is None and head.byline is not None:
        head.date_text = _date_of(head.byline)
    return head, start


def _peel(lines: list[_Line], start: int, end: int, titles: set[str], head: _Header) -> int:
    """Take title, byline and date lines off the top of the body (an extractor often keeps
    them); returns where the body proper starts."""
    i = start
    while i < end and i - start < 8:
        text = lines[i].text
        if lines[i].shape == "noise":
            i += 1
        elif head.title is None and text.casefold() in titles:
            head.title, head.title_line = text, i
            head.lines.add(i)
            i += 1
        elif _BYLINE.match(text) and _words(text) <= 20 and head.byline is None:
            j = _byline_end(lines, i, end)
            head.byline = "\n".join(x.text for x in lines[i:j])
            head.lines.update(range(i, j))
            i = j
        elif head.date_text is None and _words(text) <= 12 and (date := _date_of(text)):
            head.date_text = date
            head.lines.add(i)
            i += 1
        else:
            break
    if head.title_line is not None:  # the body proper starts at the next paragraph kept
        while i < end and not (lines[i].content and lines[i].shape == "prose"):
            i += 1
    return i


def _scan_back(
    lines: list[_Line], start: int, titles: set[str], avoid: set[int], head: _Header
) -> None:
    """Byline, date and title in the lines above the body.

    `titles` (casefolded) are headlines the page's metadata announces: one printed near the
    body wins. Otherwise the title is the nearest headline-like line above the byline.
    """
    window = list(range(start - 1, max(-1, start - _HEAD_WINDOW), -1))
    window = [i for i in window if lines[i].shape != "noise"]
    window = [i for i in window if i not in head.lines][:40]
    near = window[:15]
    for i in window if titles else ():
        if lines[i].text.casefold() in titles:
            head.title, head.title_line = lines[i].text, i
            break
    for i in near if head.byline is None else ():
        text = lines[i].text
        if _BYLINE.match(text) and _words(text) <= 20 and i != head.title_line:
            j = _byline_end(lines, i, start)
            head.byline = "\n".join(x.text for x in lines[i:j])
            head.lines.update(range(i, j))
            break
    for i in near if head.date_text is None else ():
        text = lines[i].text
        if i not in head.lines and _words(text) <= 12 and (date := _date_of(text)):
            head.date_text = date
            head.lines.add(i)
            break
    top = min(head.lines, default=start)
    for i in near if head.title is None else ():
        text = lines[i].text
        if i < top and i not in avoid and _headline_like(text) and not _dup(lines, i):
            head.title, head.title_line = text, i
            break
    if head.title_line is not None:
        head.lines.add(head.title_line)


def _dup(lines: list[_Line], i: int) -> bool:
    """True when the line repeats its neighbour (a caption or tag strip printed twice)."""
    return any(0 <= j < len(lines) and lines[j].text == lines[i].text for j in (i - 1, i + 1))


def _teasers(lines: list[_Line], lo: int, hi: int) -> tuple[set[int], set[int]]:
    """(teaser headline lines, video widget lines) in lines[lo:hi]: a headline next to a
    video widget line ("Replay", "Your video will play in 0:25")."""
    cues = {
        i
        for i in range(max(0, lo), min(hi, len(lines)))
        if lines[i].shape != "prose"
        and _words(lines[i].text) <= 8
        and _VIDEO_CUE.search(lines[i].text)
    }
    teasers: set[int] = set()
    for i in cues:
        for j in (i - 1, i + 1):
            near = 0 <= j < len(lines) and j not in cues and lines[j].shape == "short"
            if near and _headline_like(lines[j].text) and _words(lines[j].text) >= 3:
                teasers.add(j)
    return teasers, cues


# ---------------------------------------------------------------- rows and flags
@dataclass(slots=True)
class _Body:
    """Where the article sits among the lines, and what was found around it."""

    lines: list[_Line]
    start: int
    end: int
    head: _Header
    teasers: set[int]
    cues: set[int]
    html: bool


def _row(text: str, flag: Flag | None) -> ParsedPost:
    return ParsedPost(body=text, kind=PostKind.PARAGRAPH, flags={flag} if flag else set())


def _line_flag(body: _Body, i: int, widget_blocks: set[int]) -> Flag | None:
    line = body.lines[i]
    text = line.text
    if offtopic.has_lead_in(text) or i in body.teasers:
        return Flag.OFFTOPIC
    if i < body.start or i in body.cues:
        return Flag.BOILERPLATE
    widget = _widget_sentence(text, _words(text))
    if body.html:
        return None if line.content and not widget else Flag.BOILERPLATE
    if line.shape == "prose":
        return Flag.BOILERPLATE if widget else None
    if widget or line.block in widget_blocks:
        return Flag.BOILERPLATE
    intro = text.endswith(":") and i + 1 < body.end and body.lines[i + 1].shape == "item"
    sentence = _words(text) >= 3 and _ends_sentence(text)  # a short paragraph ("He was 25.")
    heading = _words(text) >= 3 and _headline_like(text)
    return None if intro or sentence or heading else Flag.BOILERPLATE


def _item_run(body: _Body, i: int, previous: str) -> tuple[ParsedPost, int]:
    """A run of list items from line i as one row (kept when it reads as part of the article)."""
    lines, j = body.lines, i
    while j < body.end and lines[j].shape == "item" and j not in body.head.lines:
        j += 1
    texts = [x.text for x in lines[i:j]]
    joined = "\n".join(texts)
    if body.html:
        keep = all(x.content for x in lines[i:j])
    else:
        numbered = all(_NUMBERED.match(t) for t in texts)
        wordy = sum(_words(t) for t in texts) >= 6 * len(texts)
        keep = numbered or previous.endswith(":") or wordy
    keep = keep and i >= body.start and not _WIDGET.search(joined)
    return _row(joined, None if keep else Flag.BOILERPLATE), j


def _rows(body: _Body) -> list[ParsedPost]:
    """Rows from the title (exclusive) to the article end: kept paragraphs and flagged lines."""
    lines, head = body.lines, body.head
    zone = body.start
    if head.title_line is not None and head.title_line < body.start:
        zone = head.title_line + 1
    widget_blocks = _widget_blocks(lines[zone : body.end])
    rows: list[ParsedPost] = []
    previous = ""
    boxed = False  # inside an in-article box ("Most read" and its links) until the next paragraph
    i = zone
    while i < body.end:
        line = lines[i]
        if line.shape == "noise" or i in head.lines:
            i += 1
            continue
        boxed = line.shape != "prose" and (boxed or bool(_TERMINATOR.match(line.text)))
        if line.shape == "item" and i not in body.teasers:
            row, i = _item_run(body, i, previous)
        else:
            same = line.text == previous
            flag = Flag.BOILERPLATE if same else _line_flag(body, i, widget_blocks)
            row, i = _row(line.text, flag), i + 1
        if boxed and Flag.OFFTOPIC not in row.flags:
            row.flags = {Flag.BOILERPLATE}
        previous = row.body
        rows.append(row)
    return rows


def _widget_blocks(lines: list[_Line]) -> set[int]:
    """Small blank-separated blocks that hold a widget line (their other lines go with it)."""
    sizes = Counter(x.block for x in lines)
    return {
        x.block
        for x in lines
        if x.shape != "prose" and _WIDGET.search(x.text) and sizes[x.block] <= 4
    }


def _flag_distant(rows: list[ParsedPost], title: str | None) -> None:
    """Flag runs of kept paragraphs that share (almost) no content words with the rest."""
    units: list[list[int]] = []
    for k, row in enumerate(rows):
        if row.flags:
            continue
        if units and len(units[-1]) == 1 and _headline_like(rows[units[-1][0]].body):
            units[-1].append(k)  # a heading goes with the paragraph under it
        else:
            units.append([k])
    texts = ["\n".join(rows[k].body for k in unit) for unit in units]
    cued = [_headline_like(rows[unit[0]].body) for unit in units]
    eligible = [all("\n" not in rows[k].body for k in unit) for unit in units]
    runs = offtopic.distant_runs(texts, context=title or "", cued=cued, eligible=eligible)
    for start, end in runs:
        for unit in units[start:end]:
            for k in unit:
                rows[k].flags.add(Flag.OFFTOPIC)


# ---------------------------------------------------------------- HTML
_XML_BLOCKS = frozenset(
    {"p", "head", "item", "list", "quote", "row", "cell", "table", "code", "lb"}
)


@dataclass(slots=True)
class _Extract:
    """What trafilatura kept: its lines (normalised) and the page metadata."""

    lines: set[str] = field(default_factory=set)
    text: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    warning: str | None = None


def extract(html: str) -> _Extract:
    """Run trafilatura on an HTML string (no network); its kept lines and metadata."""
    try:
        # Imported on first use: it is slow to import and only HTML articles need it.
        import trafilatura  # noqa: PLC0415

        xml = trafilatura.extract(
            html,
            output_format="xml",
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            deduplicate=False,
        )
    except Exception as exc:  # a third-party extractor on untrusted markup: report, fall back
        return _Extract(warning=f"trafilatura failed ({type(exc).__name__}); text heuristics used")
    if not xml:
        return _Extract()
    doc = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(recover=True, huge_tree=True))
    if doc is None:
        return _Extract()
    parts: list[str] = []
    for main in doc.iter("main"):
        _xml_text(main, parts)
    lines = [clean_line(x) for x in "".join(parts).split("\n")]
    kept = [x for x in lines if x]
    meta = {str(k): clean_line(str(v)) for k, v in doc.attrib.items() if str(v).strip()}
    return _Extract(set(kept), " ".join(kept), meta)


def _xml_text(node: etree._Element, parts: list[str]) -> None:
    block = node.tag in _XML_BLOCKS
    if block:
        parts.append("\n")
    parts.append(node.text or "")
    for child in node:
        _xml_text(child, parts)
        parts.append(child.tail or "")
    if block:
        parts.append("\n")


def _html_lines(page: Page) -> tuple[list[_Line], _Extract]:
    """The page's blocks as lines, those trafilatura kept marked as content."""
    lines = text_lines(render(page).split("\n"), rendered=False)
    ext = extract(page.text)
    exact = [i for i, x in enumerate(lines) if _kept(x, ext.lines)]
    anchors = [i for i in exact if len(lines[i].text) >= 25] or exact
    if anchors:
        vocabulary = set(_TOKEN.findall(ext.text.casefold()))
        for i in range(anchors[0], anchors[-1] + 1):
            line = lines[i]
            line.content = _kept(line, ext.lines) or _contained(line, ext.text, vocabulary)
    return lines, ext


def render(page: Page) -> str:
    """The page body as text, one block per line, list items with a bullet (as w3m prints)."""
    root = page.tree
    body = root.find("body")
    copy = deepcopy(root if body is None else body)  # the page's tree is shared: never edit it
    for item in copy.iter("li"):
        item.text = "\u2022 " + (item.text or "")
    return element_text(copy)


def _kept(line: _Line, kept: set[str]) -> bool:
    """The line is one the extractor kept (list items: with or without our bullet)."""
    if line.text in kept:
        return True
    return line.shape == "item" and _BULLET.sub("", line.text, count=1) in kept


def _contained(line: _Line, text: str, vocabulary: set[str]) -> bool:
    """True when a rendered line is (nearly) text the extractor kept, spacing aside."""
    if len(line.text) < 25:
        return False
    if len(text) <= 1_000_000 and line.text in text:
        return True
    tokens = _TOKEN.findall(line.text.casefold())
    return line.shape == "prose" and sum(t in vocabulary for t in tokens) >= 0.9 * len(tokens)


def _meta(page: Page, ext: _Extract) -> dict[str, str]:
    """Title candidates, URL and site name from the extractor and the page's meta tags."""
    root = page.tree
    found = dict(ext.meta)
    for key, xpath in (
        ("og_title", "//meta[@property='og:title']/@content"),
        ("h1", "//h1"),
        ("url", "//link[@rel='canonical']/@href"),
        ("url", "//meta[@property='og:url']/@content"),
        ("sitename", "//meta[@property='og:site_name']/@content"),
    ):
        if found.get(key):
            continue
        values = root.xpath(xpath)
        if values:
            first = values[0]
            text = first if isinstance(first, str) else element_text(first)
            if text.strip():
                found[key] = clean_line(text)
    return found


# ---------------------------------------------------------------- the engine
class NewsEngine(Engine):
    """News articles, as HTML (trafilatura + flags) or as rendered text (line shapes)."""

    name = "news"
    title = "News article"
    kind = PageKind.NEWS

    def detect(self, page: Page) -> float:
        """Moderate-high on article-like pages, low where forum structure shows."""
        try:
            return _detect(page)
        except CorruptInputError:  # HTML that lxml cannot read at all
            return 0.0

    def parse(self, page: Page) -> ParsedPage:
        """The article's paragraphs in order, with boilerplate and off-topic suggestions."""
        try:
            lines, meta, warnings = _read(page)
        except CorruptInputError as exc:
            return ParsedPage(self.name, self.kind, None, [], warnings=[exc.args[0]])
        span = (_html_body(lines) if page.is_html else None) or _text_body(lines)
        titles = {meta[k].casefold() for k in ("title", "og_title", "h1") if meta.get(k)}
        page_title = meta.get("title") or meta.get("og_title")
        if span is None:
            return ParsedPage(self.name, self.kind, page_title, [], warnings=warnings)
        teasers, cues = _teasers(lines, span[0] - _HEAD_WINDOW, span[1])
        head, start = _find_header(lines, span[0], span[1], titles, teasers | cues)
        html = any(x.content for x in lines)
        rows = _rows(_Body(lines, start, span[1], head, teasers, cues, html))
        _flag_distant(rows, head.title or page_title)
        return ParsedPage(
            engine=self.name,
            kind=self.kind,
            title=head.title or page_title,
            posts=rows,
            url=meta.get("url"),
            site=meta.get("sitename"),
            byline=head.byline,
            date_text=head.date_text,
            warnings=warnings,
        )


def _read(page: Page) -> tuple[list[_Line], dict[str, str], list[str]]:
    """(classified lines, metadata, warnings) of a text or HTML page."""
    if not page.is_html:
        return text_lines(page.lines), {}, []
    lines, ext = _html_lines(page)
    return lines, _meta(page, ext), [ext.warning] if ext.warning else []


# ---------------------------------------------------------------- detection
# Lines that only forum-like pages print: quote headers, post counters, profile fields, votes.
_FORUM_LINE = re.compile(
    r"\b(?:said|wrote|writes):\s*$|^(?:quote|reply|report|multi-?quote|reply with quote|"
    r"permalink|top|link to (?:post|comment)|share this post|recommended posts)$|"
    r"^(?:posted|postby|joined|join date|posts|reputation|member since|likes received|"
    r"messages|reaction score|thread starter|start date)\b|\s#\d{1,6}$|^#\d{1,6}$|"
    r"^level \d+$|^\d[\d,.]*k?\s+(?:points?|likes?|votes?|replies)\b|"
    r"\bis (?:offline|online)$|^reactions:",
    re.IGNORECASE,
)
# Class names of forum engines' post containers (Invision, phpBB, XenForo, Discourse,
# vBulletin, Reddit): three of them on a page make it a thread, not an article.
_FORUM_CLASS_NAMES = (
    "ipsComment cPost postbody postprofile message--post js-post topic-post postbit "
    "postbitlegacy postbitim post_message bbWrapper messageText thing comment-tree Comment "
    "postcontainer b-post crawler-post topic-body post-stream"
)
_FORUM_CLASSES = frozenset(_FORUM_CLASS_NAMES.split())
_FORUM_GENERATOR = re.compile(
    r"vbulletin|xenforo|phpbb|discourse|invision|mybb|smf|simple machines|vanilla|nodebb|flarum",
    re.IGNORECASE,
)
_ARTICLE_HTML = (
    "//meta[@property='og:type'][@content='article']",
    "//meta[@property='article:published_time']",
    "//*[contains(@itemtype, 'NewsArticle') or contains(@itemtype, 'BlogPosting')]",
    "//article",
)
_DETECT_LINES = 50_000


def _detect(page: Page) -> float:
    """Article-like pages score 0.6-0.7 (forum engines win where they also match)."""
    if page.is_html:
        root = page.tree
        generator = " ".join(root.xpath("//meta[@name='generator']/@content"))
        classes = " ".join(root.xpath("//@class")[:20_000]).split()
        if _FORUM_GENERATOR.search(generator) or sum(c in _FORUM_CLASSES for c in classes) >= 3:
            return 0.05
        lines = text_lines(render(page).split("\n")[:_DETECT_LINES], rendered=False)
        bonus = 0.05 * sum(1 for xpath in _ARTICLE_HTML if root.xpath(xpath))
    else:
        lines = text_lines(page.lines[:_DETECT_LINES])
        bonus = 0.0
    return _detect_lines(lines, bonus)


def _detect_lines(lines: list[_Line], bonus: float) -> float:
    span = _text_body(lines)
    if span is None:
        return 0.05
    prose = [x for x in lines[span[0] : span[1]] if x.shape == "prose"]
    chars = sum(len(x.text) for x in prose)
    # Reader comments under a "Comments" heading after the article look like a forum: skip them.
    near = range(span[1], min(len(lines), span[1] + _MAX_BOX))
    heading = next((i for i in near if _COMMENTS.match(lines[i].text)), None)
    counted = lines if heading is None else lines[:heading]
    markers = sum(1 for x in counted if x.shape != "prose" and _FORUM_LINE.search(x.text))
    if markers >= 5 or (markers >= 3 and markers * 4 >= len(prose)):
        return 0.1
    if chars < 200 or len(prose) < 2:
        return 0.2
    head, _ = _find_header(lines, span[0], span[1], set(), set())
    score = 0.55 + (0.05 if head.title else 0) + (0.05 if head.byline or head.date_text else 0)
    return min(0.7, score + bonus) - min(0.3, 0.05 * markers)


ENGINE = NewsEngine()
