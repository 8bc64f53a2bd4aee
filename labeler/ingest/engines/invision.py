"""Invision Community (IPS 4, IPS 3 / IP.Board) threads, from HTML or from text.

HTML carries the structure (`article.cPost`, `blockquote.ipsQuote`, `[data-excludequote]`).
Text does not: a quote header ("37 minutes ago, NAME said:") is followed by the quoted
lines with no end marker. When the renderer indents quotes (w3m, lynx) the indentation ends
them; otherwise the quoted lines are matched against the posts above on the same page
(`_SourceIndex`), so a quote ends where the copied text ends.
"""

from __future__ import annotations

import copy
import json
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from labeler.errors import FormatError
from labeler.ingest.engines.base import Engine, clean_line, element_text, join_paragraphs
from labeler.ingest.model import PageKind, ParsedPage, ParsedPost, ParsedQuote
from labeler.ingest.page import Page

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# ---------------------------------------------------------------- line shapes (text input)
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_CLOCK = r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?"
_DAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_DATE = (
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?(?:\s+\d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?(?:\s+\d{{4}})?"
    rf"|\d{{1,4}}[/.-]\d{{1,2}}[/.-]\d{{1,4}}|{_DAY}|Yesterday|Today)"
)
# The time shapes IPS prints in post headers and quote citations (absolute or relative).
_TIME = re.compile(
    rf"(?:On\s+)?{_DATE}(?:(?:\s+at|,|\s+-)?\s+{_CLOCK})?"
    r"|(?:\d+|an?|one)\s+(?:second|minute|min|hour|day|week|month|year)s?\s+ago"
    r"|just now|a moment ago",
    re.I,
)
_SAID4 = re.compile(r"(?P<time>.{3,60}?),\s+(?P<author>[^,]{1,80}?)\s+said:")
_SAID3 = re.compile(r"(?P<author>[^,]{1,80}?),\s+on\s+(?P<time>.{3,60}?),\s+said:")
_SAID0 = re.compile(r"(?P<author>[^\s,:][^,:]{0,40}?)\s+said:")
_QUOTE2 = re.compile(r"QUOTE\s*\((?P<author>[^@)]+?)\s*@\s*(?P<time>[^)]+)\)", re.I)
_BULLET = re.compile(r"^\s*(?:[•*·◦▪‣+#□■\u2013-]|\d{1,2}\.)(?:\s+|$)")
_LINK_MARK = re.compile(r"^\[\d+\]")  # lynx's numbered links
_SEPARATOR = re.compile(
    r"(?:Link to (?:comment|post)(?: Share on other sites)?|Share on other sites|Share this post"
    r"|Back to top)",
    re.I,
)
_RECOMMENDED = re.compile(r"Recommended Posts", re.I)
_GAP = re.compile(
    r"(?:\d+|an?|one)\s+(?:second|minute|hour|day|week|month|year)s?\s+later\s*(?:\.{2,3}|…)",
    re.I,
)
_POSTED = re.compile(r"Posted\s+(?:on\s+)?(?P<rest>.+)", re.I)
_EDITED = re.compile(
    r"(?:Edited\b.*?\bby|This post has been edited by|Last edited by)\s+(?P<name>.+?)",
    re.I,
)
_EDITOR = re.compile(r"[^\s,;:!?][^,;:!?]{0,49}(?<!\.)")  # a member name, not a sentence
_EDIT_TAIL = re.compile(r"(?:[,:]\s+|\s+on\s+)(?=.*\d)|\s+\(|\s*:\s*$")
_REACTION = re.compile(
    r"(?P<name>[^\W\d_][\w'\u2019-]*(?:\s[\w'\u2019-]+){0,2}?)\s+(?P<count>\d{1,7})"
)
# Reactions shipped with IPS, recognised without a bullet; bulleted ones may have any name.
_STOCK_REACTIONS = frozenset(
    {"like", "thanks", "haha", "confused", "sad", "love", "wow", "angry", "upvote", "downvote"}
)
_CONTROL = re.compile(
    r"(?:Quote|Multi-?Quote|Report(?: post)?|Reply|Share|Options|Edit|Top|Like this|Unlike)",
    re.I,
)
_BARE_CONTROL = re.compile(r"Quote|Multi-?Quote|Report post")  # buttons printed without a bullet
_BYLINE = re.compile(r"(?:Started\s+)?By\s+(?P<name>[^,]+?)(?:,.*)?", re.I)
_UI_LINE = re.compile(r"(?:Followers?\s*\d*|Share|Reply to this topic|Start new topic|Page \d.*)")
_NAME_LIKE = re.compile(r"[^\s.!?]{1,40}(?:\s[^\s.!?]{1,20}){0,3}")
_PAGE_OF = re.compile(r"Page (\d+) of \d+", re.I)
_POST_NUMBER = re.compile(r"(?:Post\s+)?#(\d+)")


@dataclass(slots=True)
class _Unit:
    """One text line: its indentation and cleaned text ("" for a blank line)."""

    indent: int
    text: str


# Odd spaces become plain spaces and zero-width characters go, in one pass over the page each.
_ODD_SPACES = (
    "\t\xa0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
)
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_RUNS = re.compile(r" {2,}")


_BLANK = _Unit(0, "")


def _units(text: str) -> list[_Unit]:
    """The page's lines as units (whole-page replaces; per line only strips)."""
    for char in _ODD_SPACES:
        if char in text:
            text = text.replace(char, " ")
    for char in _ZERO_WIDTH:
        if char in text:
            text = text.replace(char, "")
    return [
        _Unit(len(raw) - len(raw.lstrip()), _RUNS.sub(" ", line) if "  " in line else line)
        if (line := raw.strip())
        else _BLANK
        for raw in text.split("\n")
    ]


def _debullet(text: str) -> tuple[bool, str]:
    """(had a bullet, the text without it and without lynx link marks)."""
    if text[:1].isalpha():
        return False, text.strip()
    if text[:1] == "[":
        text = _LINK_MARK.sub("", text)
    m = _BULLET.match(text)
    if m:
        return True, text[m.end() :].strip()
    return False, text.strip()


def _time_prefix(text: str) -> str | None:
    m = _TIME.match(text.strip())
    return m.group(0) if m else None


def _is_time(text: str) -> bool:
    return _TIME.fullmatch(text.strip()) is not None


def quote_header(text: str) -> tuple[str | None, str | None] | None:
    """(author, time_text) when a line is an IPS quote citation, else None."""
    if not text.endswith(("said:", ")")):
        return None
    if text[:1] == "[":
        text = _LINK_MARK.sub("", text).strip()
    m = _SAID3.fullmatch(text)
    if m and _is_time(m["time"]):
        return m["author"].strip(), m["time"].strip()
    m = _SAID4.fullmatch(text)
    if m and _is_time(m["time"]):
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
    if not m or _GAP.fullmatch(text):
        return None
    name = m["name"]
    if not bulleted and name.lower() not in _STOCK_REACTIONS:
        return None
    return name, int(m["count"])


# ---------------------------------------------------------------- quote sources (text input)
class _SourceIndex:
    """Lines of the posts above, by block (a post's own text, or one quote's text).

    A line is found whole (any block on the page) or, for partial and edited copies, by its
    first or last words inside the text of a recent block. Lookups return block ids, so a
    quote can be required to come from one block.
    """

    _MAX_BLOCKS = 64  # per line: a line repeated on every post says nothing about its source
    _RECENT = 150  # blocks searched for partial copies (a thread page holds fewer)
    _PROBE = 8  # words

    def __init__(self) -> None:
        self._lines: dict[int, set[int]] = {}
        self._recent: deque[int] = deque()
        self._text: dict[int, str] = {}

    def add(self, block: int, lines: list[str]) -> None:
        """Remember the lines of one block."""
        for line in lines:
            found = self._lines.setdefault(hash(line.lower()), set())
            if len(found) < self._MAX_BLOCKS:
                found.add(block)
        self._recent.append(block)
        self._text[block] = " ".join(lines).lower()
        if len(self._recent) > self._RECENT:
            del self._text[self._recent.popleft()]

    def lookup(self, text: str, within: set[int] | None = None) -> set[int]:
        """Blocks (of `within`, if given) holding this line whole, or its first or last words."""
        lowered = text.lower()
        found = self._lines.get(hash(lowered), set())
        if within is not None:
            found = found & within
        if found:
            return found
        words = lowered.split(" ")
        if len(words) < 4:
            return set()
        head, end = " ".join(words[: self._PROBE]), " ".join(words[-self._PROBE :])
        blocks = self._text.keys() if within is None else within & self._text.keys()
        return {b for b in blocks if head in self._text[b] or end in self._text[b]}


_MAX_DEPTH = 8  # quotes nested deeper than this are read as text
_HEADER_ENDS = ("said:", ")", "uote", "UOTE")  # how citation lines end


@dataclass
class _QuoteReader:
    """Splits one post's lines into its own text and (nested) quotes."""

    units: list[_Unit]
    index: _SourceIndex
    next_block: int
    lines_of: dict[int, list[str]] = field(default_factory=dict)  # block -> lines, to index

    def _next(self, i: int, hi: int) -> int:
        while i < hi and not self.units[i].text:
            i += 1
        return i

    def read(self, lo: int, hi: int, depth: int = 0) -> tuple[list[str], list[ParsedQuote]]:
        """(own lines, quotes) of units[lo:hi]; registers every line under its block."""
        block = self.next_block
        self.next_block += 1
        base = -1  # the block's indentation, computed at its first quote header
        own: list[str] = []
        quotes: list[ParsedQuote] = []
        mine = self.lines_of.setdefault(block, [])
        i = lo
        while i < hi:
            unit = self.units[i]
            if base < 0 and unit.text.endswith(_HEADER_ENDS):
                base = min((u.indent for u in self.units[lo:hi] if u.text), default=0)
            header = self._header(unit, base) if depth < _MAX_DEPTH else None
            if header is None:
                own.append(unit.text)
                if unit.text:
                    mine.append(unit.text)
                i += 1
                continue
            mine.append(unit.text)
            after = self._next(i + 1, hi)
            if unit.indent > base:
                end = self._end_indented(i + 1, hi, unit.indent)
            elif after < hi and self.units[after].indent > unit.indent:
                end = self._end_indented(after, hi, self.units[after].indent)
            else:
                end = self._end_matched(i, hi, depth)
            text_lines, nested = self.read(i + 1, end, depth + 1)
            author, time_text = header
            quotes.append(ParsedQuote(author, join_paragraphs(text_lines), time_text, nested))
            own.append("")
            i = end
        return own, quotes

    @staticmethod
    def _header(unit: _Unit, base: int) -> tuple[str | None, str | None] | None:
        """A citation line; an indented bare "Quote" is the citation of an unattributed quote."""
        if not unit.text.endswith(_HEADER_ENDS):
            return None
        if unit.indent > base and unit.text.lower() == "quote":
            return None, None
        return quote_header(unit.text)

    def _end_indented(self, i: int, hi: int, indent: int) -> int:
        """End of the lines from units[i] on that are indented at least `indent`."""
        end = i
        for j in range(i, hi):
            unit = self.units[j]
            if unit.text:
                if unit.indent < indent:
                    break
                end = j + 1
        return end

    def _end_matched(self, i: int, hi: int, depth: int) -> int:
        """End of the quote whose header is units[i]: as far as the text matches one source."""
        sources: set[int] | None = None
        end, first, gap_used = i + 1, True, False
        j = self._next(i + 1, hi)
        while j < hi:
            text = self.units[j].text
            if sources is None and not first and text.count(" ") < 4:
                hits: set[int] = set()  # after an unknown first line only a long line will do
            else:
                hits = self.index.lookup(text, sources)
            if depth + 1 < _MAX_DEPTH and quote_header(text) is not None:
                if not (first or hits):
                    break
                sources = hits or sources
                end = self._end_matched(j, hi, depth + 1)
            elif hits:
                sources, end = hits, j + 1
            elif first:
                end = j + 1  # unknown source (another page): its first line at least
            elif sources and not gap_used and self._continues(j, hi, sources):
                gap_used, end = True, j + 1  # one edited line inside a matched quote
            else:
                break
            first = False
            j = self._next(end, hi)
        return end

    def _continues(self, j: int, hi: int, sources: set[int]) -> bool:
        k = self._next(j + 1, hi)
        if k >= hi or quote_header(self.units[k].text) is not None:
            return False
        return bool(self.index.lookup(self.units[k].text, sources))


# ---------------------------------------------------------------- text pages
_SEPARATOR_LINE = re.compile(
    r"[ \t]*(?:\[\d+\])?(?:[•*·◦▪‣+#□■\u2013-][ \t]+)?"
    r"(?:Link to (?:comment|post)(?:[ \t]+Share on other sites)?|Share on other sites"
    r"|Share this post|Back to top)[ \t]*",
    re.I,
)
_SEPARATOR_WORDS = ("Link to ", "Share on other sites", "Share this post", "Back to top")


def _separator_lines(text: str) -> list[int]:
    """Numbers of the lines that are a separator (found with str.find, checked by regex)."""
    starts = set()
    for word in _SEPARATOR_WORDS:
        pos = text.find(word)
        while pos >= 0:
            starts.add(text.rfind("\n", 0, pos) + 1)
            pos = text.find(word, pos + 1)
    found, line, previous = [], 0, 0
    for start in sorted(starts):
        end = text.find("\n", start)
        if _SEPARATOR_LINE.fullmatch(text, start, len(text) if end < 0 else end):
            line += text.count("\n", previous, start)
            previous = start
            found.append(line)
    return found


def _separator_groups(text: str, units: list[_Unit]) -> list[tuple[int, int]]:
    """(first, end) line ranges of the "Link to comment / Share on other sites" groups."""
    groups: list[tuple[int, int]] = []
    for line in _separator_lines(text):
        if groups and _only_filler(units, groups[-1][1], line):
            groups[-1] = (groups[-1][0], line + 1)
        else:
            groups.append((line, line + 1))
    return [(lo, _skip_filler(units, hi)) for lo, hi in groups]


def _is_filler(unit: _Unit) -> bool:
    bulleted, text = _debullet(unit.text)
    return not text or text.startswith(("http://", "https://")) or (bulleted and len(text) <= 2)


def _only_filler(units: list[_Unit], lo: int, hi: int) -> bool:
    return hi - lo <= 4 and all(_is_filler(u) for u in units[lo:hi])


def _skip_filler(units: list[_Unit], i: int) -> int:
    while i < len(units) and (not units[i].text or not _debullet(units[i].text)[1]):
        i += 1
    return i


def _posted_time(text: str) -> str | None:
    """The time of a post header's date line ("Posted August 4, 2018 (edited)")."""
    m = _POSTED.fullmatch(_debullet(text)[1]) if "osted" in text else None
    if not m:
        return None
    found = _TIME.match(m["rest"])
    if not found or not re.fullmatch(r"\s*(?:[(·|•-].*)?", m["rest"][found.end() :]):
        return None
    return found.group(0)


def _name_of(text: str) -> str:
    """A pane line as a name: no bullet, no lynx link mark, no [brackets] around image alts."""
    text = _debullet(text)[1]
    m = re.fullmatch(r"\[(.+)\]", text)
    return m[1].strip() if m else text


def _chunks(text: str, units: list[_Unit]) -> list[tuple[int, int]]:
    """Line ranges holding one post each (the first may start with the page header)."""
    groups = _separator_groups(text, units)
    if groups:
        firsts = [0] + [hi for _, hi in groups[:-1]]
        return [(s, lo) for s, (lo, _) in zip(firsts, groups, strict=True)]
    starts: list[int] = []
    last = -1
    for p in (i for i, u in enumerate(units) if _posted_time(u.text)):
        if not starts or not _same_header(units, starts[-1], last, p):
            starts.append(_author_line_before(units, p))
        last = p
    if not starts:
        return []
    starts[0] = 0
    return list(zip(starts, [*starts[1:], len(units)], strict=True))


def _same_header(units: list[_Unit], start: int, last: int, posted: int) -> bool:
    """Two date lines of one post header (IPS 4 prints a phone pane and a desktop pane)."""
    between = [u.text for u in units[last + 1 : posted] if u.text]
    name = _name_of(units[start].text)
    return (
        posted - last <= 14
        and all(len(t) <= 60 for t in between)
        and name in map(_name_of, between)
    )


def _author_line_before(units: list[_Unit], posted: int) -> int:
    """Where the author pane above a "Posted" line starts (with a "#2" line above it)."""
    start = posted
    for i in range(posted - 1, max(-1, posted - 4), -1):
        bulleted, text = _debullet(units[i].text)
        if text and not bulleted:
            start = i
            break
    for i in range(start - 1, max(-1, start - 3), -1):
        if units[i].text:
            return i if _POST_NUMBER.fullmatch(units[i].text) else start
    return start


@dataclass
class _Header:
    title: str | None = None
    op_author: str | None = None
    start: int = 0  # where the first post's lines begin


def _page_header(units: list[_Unit], lo: int, hi: int) -> _Header:
    """Title, topic starter and where the first post starts, from the first chunk."""
    mark = next(
        (i for i in range(lo, hi) if _RECOMMENDED.fullmatch(_debullet(units[i].text)[1])), None
    )
    posted = next((i for i in range(lo, hi) if _posted_time(units[i].text)), None)
    if mark is not None:
        start = mark + 1
    elif posted is not None:
        start = _author_line_before(units, posted)
    else:
        return _Header(start=lo)
    above = [_debullet(u.text)[1] for u in units[lo : mark if mark is not None else start]]
    later_page = any(int(m[1]) > 1 for t in above if (m := _PAGE_OF.fullmatch(t)))
    above = [t for t in above if t and not _UI_LINE.fullmatch(t)]
    header = _Header(start=start)
    for k, text in enumerate(above):
        m = _BYLINE.fullmatch(text)
        if m and k > 0:
            header.title, header.op_author = above[k - 1], m["name"].strip()
            break
    else:
        name_like = bool(above) and _NAME_LIKE.fullmatch(above[-1]) and not _is_time(above[-1])
        if mark is not None and len(above) >= 2 and name_like:
            header.title, header.op_author = above[-2], above[-1]
        elif mark is not None and above:
            header.title = above[-1]
    if later_page:  # the topic starter's name, but page 2 opens with someone else's post
        header.op_author = None
    return header


@dataclass
class _Meta:
    author: str | None = None
    time_text: str | None = None
    post_number: int | None = None
    body_lo: int = 0


def _post_meta(units: list[_Unit], lo: int, hi: int) -> _Meta:
    """Author and time from a post's own header (author pane + "Posted <time>"), if printed."""
    meta = _Meta(body_lo=lo)
    seen = 0
    for i in range(lo, hi):
        if not units[i].text:
            continue
        seen += 1
        if time_text := _posted_time(units[i].text):
            meta.time_text, meta.body_lo = time_text, i + 1
        elif seen > 40 or len(units[i].text) > 80:
            break
    for i in range(lo, meta.body_lo):
        bulleted, text = _debullet(units[i].text)
        if number := _POST_NUMBER.fullmatch(text):
            meta.post_number = int(number[1])
        elif text and not bulleted and not _posted_time(text) and not _GAP.fullmatch(text):
            meta.author = meta.author or _name_of(text)
    return meta


@dataclass
class _Tail:
    body_hi: int
    reactions: list[tuple[str, int]] = field(default_factory=list)
    edited_by: str | None = None
    edited_text: str | None = None
    signature: str | None = None


def _tail_kinds(units: list[_Unit]) -> list[str | None]:
    """Per line: blank, edit, reason, reaction, stock (reaction), control, button or None."""
    kinds: list[str | None] = []
    base = -1
    previous: str | None = None
    for unit in units:
        text = unit.text
        kind: str | None = None
        if not text:
            kind = "blank"
        elif len(text) < 160:
            if base < 0:
                base = min((u.indent for u in units if u.text), default=0)
            kind = _tail_kind(unit, base)
        if kind is None and previous == "edit":
            kind = "reason"  # the edit reason, printed right under the edit line
        kinds.append(kind)
        previous = kind
    for k, kind in enumerate(kinds):
        if kind == "empty":  # an empty list item: the buttons list, unless a list nests in it
            nested = k + 1 < len(units) and units[k + 1].indent > units[k].indent
            kinds[k] = "blank" if nested else "control"
    return kinds


def _tail_kind(unit: _Unit, base: int) -> str | None:
    bulleted, plain = _debullet(unit.text)
    kind: str | None = None
    if not plain:
        kind = "empty" if bulleted else "blank"
    elif "dited" in plain and edited_by(plain):
        kind = "edit"
    elif plain[-1].isdigit():
        found = reaction(plain, bulleted=bulleted)
        if found:
            kind = "stock" if found[0].lower() in _STOCK_REACTIONS else "reaction"
    elif len(plain) > 14:
        pass
    elif _CONTROL.fullmatch(plain) and (
        bulleted or (unit.indent <= base and _BARE_CONTROL.fullmatch(plain))
    ):
        kind = "control"
    elif plain.lower() in _STOCK_REACTIONS:
        kind = "button"  # the react button of a signed-in view ("Like")
    return kind


_TAIL_LINES = 30  # the bar and a signature fit in this many lines at the end of a post


def _post_tail(units: list[_Unit], lo: int, hi: int) -> _Tail:
    """The edit note, reaction bar and buttons that end a post, and a signature below them.

    The last edit line, stock reaction or button marks the bar; text after it is the
    signature. Without such a mark only tail lines at the very end are taken.
    """
    lo = max(lo, hi - _TAIL_LINES)
    kinds = _tail_kinds(units[lo:hi])
    strong = [k for k, kind in enumerate(kinds) if kind in ("edit", "stock", "control")]
    end = len(kinds)
    if strong:
        end = strong[-1] + 1
        while end < len(kinds) and kinds[end] is not None:
            end += 1
    start = end
    while start > 0 and kinds[start - 1] is not None:
        start -= 1
    if start < end and kinds[start] == "reason":
        start += 1  # a reason line with no edit line above it is text
    tail = _Tail(body_hi=lo + start)
    for unit, kind in zip(units[lo + start : lo + end], kinds[start:end], strict=True):
        bulleted, plain = _debullet(unit.text)
        if kind == "edit":
            tail.edited_by, tail.edited_text = edited_by(plain), plain
        elif kind == "reason" and tail.edited_text:
            tail.edited_text += " " + plain
        elif kind in ("stock", "reaction") and (found := reaction(plain, bulleted=bulleted)):
            tail.reactions.append(found)
    signature = [_debullet(u.text)[1] for u in units[lo + end : hi]]
    tail.signature = join_paragraphs(signature) or None
    return tail


def _strip_gap(units: list[_Unit], lo: int, hi: int) -> int:
    """Skip the blank lines and time-gap markers ("2 weeks later...") that open a chunk."""
    while lo < hi:
        text = _debullet(units[lo].text)[1]
        if text and not _GAP.fullmatch(text):
            break
        lo += 1
    return lo


def _parse_text(page: Page) -> ParsedPage:
    units = _units(page.text)
    chunks = _chunks(page.text, units)
    header = _page_header(units, *chunks[0]) if chunks else _Header()
    reader = _QuoteReader(units, _SourceIndex(), 0)
    posts: list[ParsedPost] = []
    for n, (lo, hi) in enumerate(chunks):
        post = _text_post(reader, _strip_gap(units, header.start if n == 0 else lo, hi), hi)
        if post is not None:
            post.author = post.author or (header.op_author if n == 0 else None)
            posts.append(post)
    return ParsedPage("invision", PageKind.FORUM, header.title, posts)


def _text_post(reader: _QuoteReader, lo: int, hi: int) -> ParsedPost | None:
    """One chunk as a post; its lines then become quote sources for the posts below."""
    meta = _post_meta(reader.units, lo, hi)
    tail = _post_tail(reader.units, meta.body_lo, hi)
    reader.lines_of = {}
    own, quotes = reader.read(meta.body_lo, tail.body_hi)
    body = join_paragraphs(own)
    if not body and not quotes:
        return None
    for block, lines in reader.lines_of.items():
        reader.index.add(block, lines)
    return ParsedPost(
        body=body,
        author=meta.author,
        time_text=meta.time_text,
        quotes=quotes,
        reactions=tail.reactions,
        edited_by=tail.edited_by,
        edited_text=tail.edited_text,
        signature=tail.signature,
        post_number=meta.post_number,
    )


# ---------------------------------------------------------------- HTML pages
def _cls(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _first(element: HtmlElement, xpath: str) -> HtmlElement | None:
    found = element.xpath(xpath)
    return found[0] if found else None


def _text(element: HtmlElement | None) -> str:
    """An element's text on one line."""
    return " ".join(clean_line(element.text_content()).split()) if element is not None else ""


def _drop(element: HtmlElement) -> None:
    """Remove an element but keep the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


_POST_XPATH = (
    f"//article[{_cls('cPost')} or {_cls('ipsComment')} or {_cls('ipsEntry')}]"
    "[.//*[@data-role='commentContent']]"
    f" | //div[{_cls('post_block')}][.//div[{_cls('post_body')}]]"
)
_QUOTE_XPATH = (
    f".//blockquote[{_cls('ipsQuote')} or {_cls('ipsBlockquote')} or @data-ipsquote]"
    f"[not(ancestor::blockquote[{_cls('ipsQuote')} or {_cls('ipsBlockquote')} or @data-ipsquote]"
    "[ancestor::*[@data-iq-root]])]"
)


def _top_quotes(content: HtmlElement) -> list[HtmlElement]:
    """The quotes directly in `content` (not nested in another quote of it)."""
    content.set("data-iq-root", "1")
    try:
        return list(content.xpath(_QUOTE_XPATH))
    finally:
        del content.attrib["data-iq-root"]


def _html_quote(element: HtmlElement) -> ParsedQuote:
    citation = _first(element, f"./*[{_cls('ipsQuote_citation')} or {_cls('citation')}] | ./cite")
    header = quote_header(_text(citation)) if citation is not None else None
    author = element.get("data-ipsquote-username") or element.get("data-author")
    author = author or element.get("data-cite") or (header[0] if header else None)
    time_text = header[1] if header else None
    if citation is not None:
        _drop(citation)
    nested = [_html_quote(q) for q in _top_quotes(element)]
    for q in _top_quotes(element):
        _drop(q)
    return ParsedQuote((author or "").strip() or None, element_text(element), time_text, nested)


def _reactions(post: HtmlElement) -> list[tuple[str, int]]:
    out = []
    for item in post.xpath(f".//li[{_cls('ipsReact_reactCount')}]"):
        name = item.xpath("string(.//img/@alt)") or item.xpath("string(.//*[@title][1]/@title)")
        count = re.findall(r"\d+", item.text_content().replace(",", ""))
        if name and count:
            out.append((clean_line(name), int(count[-1])))
    if out:
        return out
    count_only = _first(post, ".//*[@data-role='reactCountText']")
    points = _first(post, f".//*[{_cls('rep_show')} or {_cls('ipsReputation_count')}]")
    for element in (count_only, points):
        value = re.fullmatch(r"[+-]?\d+", _text(element).replace(",", ""))
        if value and element is not None:
            return [("points", int(value[0]))]
    likes = _first(post, f".//*[{_cls('ipsLikeBar_info')} or {_cls('ipsReact_overview')}]")
    total = _count_names(_text(likes))
    return [("total", total)] if total else []


def _count_names(text: str) -> int:
    """People named in "A, B and 3 others like this" (3 + 2 = 5)."""
    m = re.fullmatch(r"(?P<names>.+?)\s+(?:likes?|reacted to) this\.?", text)
    if not m:
        return 0
    names = m["names"]
    others = re.search(r"(\d[\d,]*)\s+others?", names)
    extra = int(others[1].replace(",", "")) if others else 0
    if others:
        names = names[: others.start()]
    named = [n for n in re.split(r",\s*|\s+and\s+", names) if n.strip()]
    return len(named) + extra


_EDIT_XPATH = f".//*[@data-excludequote] | .//p[{_cls('edit')} or {_cls('ipsEdited')}]"


def _edit_note(content: HtmlElement, post: HtmlElement) -> tuple[str | None, str | None]:
    """(editor, whole note) from the edit line (IPS 4: in the content, removed; IPS 3: below)."""
    inside = content.xpath(_EDIT_XPATH)
    for note in inside or post.xpath(f".//p[{_cls('edit')}]"):
        text = element_text(note)
        first = _text(_first(note, ".//strong")) or (text.splitlines()[0] if text else "")
        if inside:
            _drop(note)  # content is a copy; the page's tree stays as it was
        name = edited_by(first)
        if name:
            return name, " ".join(text.split())
    return None, None


def _html_author(post: HtmlElement) -> str | None:
    for xpath in (
        f".//aside//*[{_cls('cAuthorPane_author')}]",
        f".//*[{_cls('cAuthorPane_author')}]",
        f".//*[{_cls('author')} and {_cls('vcard')}]",
        ".//*[@itemprop='author']//*[@itemprop='name']",
        f".//*[{_cls('ipsEntry__username')} or {_cls('ipsEntry__author-name')}]",
    ):
        name = _text(_first(post, xpath))
        if name:
            return name
    data = _first(post, ".//*[@data-quotedata]")
    if data is not None:
        try:
            quoted = json.loads(data.get("data-quotedata") or "{}")
        except ValueError:
            return None
        username = quoted.get("username") if isinstance(quoted, dict) else None
        return str(username) if username else None
    return None


def _html_time(post: HtmlElement) -> str | None:
    for xpath in (
        f".//*[{_cls('ipsComment_meta')}]//time",
        ".//time[not(ancestor::*[@data-role='commentContent'])]",
        f".//abbr[{_cls('published')}]",
    ):
        text = _text(_first(post, xpath))
        if text:
            return text
    posted = _text(_first(post, f".//*[{_cls('posted_info')}]"))
    m = _POSTED.match(posted)
    return (_time_prefix(m["rest"]) or m["rest"]) if m else None


_CONTENT_XPATH = (
    f".//*[@data-role='commentContent'] | .//*[{_cls('post')} and {_cls('entry-content')}]"
)


def _html_post(post: HtmlElement) -> ParsedPost | None:
    content = _first(post, _CONTENT_XPATH)
    if content is None:
        return None
    content = copy.deepcopy(content)
    editor, note = _edit_note(content, post)
    quotes = [_html_quote(q) for q in _top_quotes(content)]
    for q in _top_quotes(content):
        _drop(q)
    signature = _first(post, f".//*[@data-role='memberSignature'] | .//*[{_cls('signature')}]")
    sig_text = None
    if signature is not None:
        signature = copy.deepcopy(signature)
        for menu in signature.xpath(f".//*[{_cls('ipsPos_right')}]"):
            _drop(menu)
        sig_text = element_text(signature) or None
    number = re.search(r"#(\d+)", _text(_first(post, f".//*[{_cls('post_id')}]")))
    return ParsedPost(
        body=element_text(content),
        author=_html_author(post),
        time_text=_html_time(post),
        quotes=quotes,
        reactions=_reactions(post),
        edited_by=editor,
        edited_text=note,
        signature=sig_text,
        post_number=int(number[1]) if number else None,
        user_title=_text(_first(post, f".//li[@data-role='group'] | .//*[{_cls('group_title')}]"))
        or None,
    )


def _html_title(tree: HtmlElement) -> str | None:
    for xpath in (
        f"//h1[{_cls('ipsType_pageTitle')} or {_cls('ipsType_pagetitle')}]",
        "//meta[@property='og:title']/@content",
        "//title",
    ):
        found = tree.xpath(xpath)
        if found:
            value = found[0] if isinstance(found[0], str) else found[0].text_content()
            if clean_line(value):
                return clean_line(value)
    return None


def _parse_html(page: Page) -> ParsedPage:
    tree = page.tree
    posts = [p for p in map(_html_post, tree.xpath(_POST_XPATH)) if p is not None]
    url = tree.xpath("string(//link[@rel='canonical']/@href)") or tree.xpath(
        "string(//meta[@property='og:url']/@content)"
    )
    return ParsedPage("invision", PageKind.FORUM, _html_title(tree), posts, url=url or None)


# ---------------------------------------------------------------- detection
_HTML_MARKS = (
    ("ipsComment", 0.3),
    ("cAuthorPane", 0.2),
    ("commentContent", 0.2),
    ("ipsQuote", 0.1),
    ("ipsType_richText", 0.1),
    ("ipsApp", 0.1),
    ("ipboard_body", 0.4),
    ("post_block", 0.1),
    ("ipsBlockquote", 0.2),
    ("posted_info", 0.1),
    ("post_body", 0.1),
    ("ipb.vars", 0.3),
    ("Invision Power", 0.2),
    ("invisioncommunity", 0.1),
)


def _text_evidence(lines: Iterator[str]) -> Iterator[float]:
    for line in lines:
        text = line.strip()
        if not text or len(text) > 120:
            continue
        text = _debullet(clean_line(text))[1]
        if _SEPARATOR.fullmatch(text) and not text.lower().startswith("back"):
            yield 0.2
        elif _RECOMMENDED.fullmatch(text):
            yield 0.3
        elif (header := quote_header(text)) and header[1] is not None:
            yield 0.15
        elif _GAP.fullmatch(text) or text.startswith("Edited by ") or _posted_time(text):
            yield 0.05


_DETECT_LINES = 20_000  # detection reads the top of a page


class InvisionEngine(Engine):
    """Invision Community / IP.Board topic pages."""

    name: ClassVar[str] = "invision"
    title: ClassVar[str] = "Invision Community"
    kind: ClassVar[PageKind] = PageKind.FORUM

    def detect(self, page: Page) -> float:
        """High on IPS class names (HTML) or IPS post separators and citations (text)."""
        if page.is_html:
            head = page.text[:2_000_000]
            score = sum(w for mark, w in _HTML_MARKS if mark in head)
            return min(1.0, score)
        score = 0.0
        lines = iter(page.text.split("\n", _DETECT_LINES)[:_DETECT_LINES])
        for weight in _text_evidence(lines):
            score += weight
            if score >= 1.0:
                return 1.0
        return score

    def parse(self, page: Page) -> ParsedPage:
        """Posts of an IPS topic page, HTML or text."""
        if not page.is_html:
            return _parse_text(page)
        try:
            return _parse_html(page)
        except FormatError as exc:  # markup lxml cannot read at all
            return ParsedPage(self.name, PageKind.FORUM, None, [], warnings=[exc.message])


ENGINE = InvisionEngine()
