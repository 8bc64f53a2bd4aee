"""phpBB thread pages (prosilver 3.0-3.3, subsilver2, phpBB2 subSilver), as text or HTML.

Text pages are read by line shape: a post starts at its "Postby NAME » DATE" line ("Post
by", "by" or "#N Post by" in later styles and other renderers; "Posted: DATE" in the
table styles), runs until the trailer that follows it (buttons, "Top", the poster's
profile block) and is split into body, quotes (indented blocks in w3m dumps, headed by
"X wrote:" with the first quoted line glued on), edit note and signature. prosilver prints
no separator before a signature, so signatures are the trailing lines an author repeats in
two or more posts. HTML pages are read by the styles' class names (div.post, p.author,
div.content, blockquote/cite, div.notice, div.signature, dl.postprofile; b.postauthor and
div.quotecontent in subsilver2; span.name and td.quote in phpBB2).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, ClassVar
from urllib.parse import parse_qs, urlsplit

from lxml import etree

from labeler.errors import FormatError
from labeler.ingest.engines.base import Engine, clean_line, join_paragraphs
from labeler.ingest.model import PageKind, ParsedPage, ParsedPost, ParsedQuote
from labeler.ingest.page import Page

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# ---------------------------------------------------------------- line shapes
_DAY = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?"
_DATE = (
    rf"(?:(?:{_DAY},?\s+)?(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}\.?\s+{_MONTH},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}})"
    rf"(?:,?\s*(?:at\s+)?{_CLOCK})?"
    rf"|(?:Today|Yesterday),?\s+(?:at\s+)?{_CLOCK}"
    r"|(?:less than a minute|\d{1,2} minutes?|\d{1,2} hours?) ago)"
)
_DATE_LINE = re.compile(rf"^\s*{_DATE}\s*$", re.I)
_DATE_START = re.compile(rf"^\s*(?P<date>{_DATE})\s*(?P<rest>.*)$", re.I | re.S)
# "Postby NAME » DATE" (3.0 w3m), "Post by" (3.1+, lynx), "by" (browser copy), "#7 Post by".
# The word before the name follows the board's language ("by", "von", "par", ...).
_BY = (
    r"(?:Post|Beitrag|Message|Mensaje|Messaggio|Bericht)?\s*(?:by|von|par|por|door|da|av|af|przez)"
)
_HEADER = re.compile(
    rf"^\s*(?:#(?P<num>\d{{1,7}})\s*)?{_BY}\s+(?P<author>[^»\n]{{1,80}}?)\s*(?:»|>>)\s*"
    r"(?P<time>[^»\n]{1,80}?)\s*$"
)
# subsilver2 and phpBB2: "[NAME] PostPosted: DATE [Post subject: S]".
_POSTED = re.compile(
    rf"^(?P<left>.*?)(?:Post\s*)?Posted:\s*(?P<time>{_DATE})\s*"
    r"(?:Post subject:\s*(?P<subject>.*?))?\s*$",
    re.I,
)
_SUBJECT_CELL = re.compile(r"^(?P<left>.*?)\s*Post subject:\s*(?P<subject>.*?)\s*$")
_EDIT = re.compile(
    r"^\s*Last edited by (?P<who>.+?) on (?P<when>.+?)[,;] edited (?P<n>\d+) times? in total\.?\s*$"
)
_REASON = re.compile(r"^\s*Reason:\s*\S")
_WROTE_WORDS = (
    r"wrote|schrieb|a écrit|escribió|ha scritto|schreef|escreveu|skrev|napisał|написал|kirjoitti"
)
_CITE = re.compile(rf"^(?P<author>[^\n]{{1,60}}?)\s+(?:{_WROTE_WORDS})\s*:\s?(?P<rest>.*)$", re.S)
_UNCITED_TITLE = re.compile(r"^\s*(?:Quote|Zitat|Citation|Cita)\s*:?\s*$", re.I)
_FIELD = re.compile(
    r"^\s*(?:Posts|Joined|Location|Contact|Website|Occupation|Interests|Age|Gender|Sex|"
    r"Reputation|Has thanked|Been thanked|Likes?|Liked|Karma|Status|Real name|Medals|Warnings|"
    r"Country|Registered|Beiträge|Registriert|Wohnort|Messages|Inscription|Localisation)\s*:",
    re.I,
)
_BUTTON = re.compile(
    r"^\s*(?:[•*·◦▪+-]\s*)?(?:Reply with quote|Quote|Multi-?quote|Quick quote|"
    r"Report(?: this post)?|Edit(?: post)?|Delete(?: post)?|Warn(?: user)?|(?:Post )?information|"
    r"Top|Back to top|"
    r"Profile|PM|Send private message|E-?mail|WWW|Website|Thanks?|Like|Unlike|Remove thanks|"
    r"Share|Share post|Link|Post|Online|Offline)\s*$",
    re.I,
)
_CONTACT_ROW = re.compile(
    r"^\s*(?:(?:View user's profile|Send private message|Send e-?mail|Visit poster's website|"
    r"AIM Address|Yahoo Messenger|MSN Messenger|ICQ Number|Profile|PM|E-?mail|WWW)\s*)+$",
    re.I,
)
_TABLE_HEAD = re.compile(r"^\s*Author\s+Message\s*$", re.I)
_ATTACHMENT = re.compile(
    r"^\s*(?:Attachments?:?"
    r"|.*\(\s*[\d.,]+\s*[KMG]?i?B\s*\)\s*(?:Viewed|Downloaded) \d+ times?)\s*$",
    re.I,
)
_TOP = re.compile(r"^\s*(?:Top|Back to top)\s*$", re.I)
_SEPARATOR = re.compile(r"^\s*[_\-━─=~]{3,}\s*$")
_SIG_RULE = re.compile(r"^\s*_{5,}\s*$")
_AVATAR = re.compile(r"^\s*\[?(?:User avatar|Avatar|IMG)\]?\s*$", re.I)
_CODE_HEAD = re.compile(r"^\s*Code:\s*(?:Select all|Expand view|Collapse view|\s)*$", re.I)
_BULLET = re.compile(r"^\s*(?:[•◦▪‣*·+-]|\d{1,3}[.)])\s")
_FOOTER = re.compile(
    r"^\s*(?:Display posts from previous|Display:|Sort by|Post a reply|Post Reply|Return to|"
    r"Jump to|Who is online|Users browsing this forum|Powered by phpBB|All times are|"
    r"\d+ posts? •|Page \d+ of \d+)",
    re.I,
)
_MAX_SIGNATURE_LINES = 30
_PROFILE_REACH = 24  # lines between a profile block's name line and its last line
_INDENT_STEP = 2


_LEAD = re.compile(r"[ \t\xa0\u3000]*")
_VISIBLE = re.compile(r"[^\s\u200b\u200c\u200d\u2060\ufeff]")


def _indent(line: str) -> int:
    match = _LEAD.match(line)
    return match.end() if match else 0


def _blank(line: str) -> bool:
    """Empty or only spaces and zero-width characters (checked without copying the line)."""
    return _VISIBLE.search(line) is None


def _key(line: str) -> str:
    """A line compared by its words (whitespace runs ignored), cheaply."""
    return " ".join(line.split())


# ---------------------------------------------------------------- text: post skeletons
@dataclass
class _Raw:
    """One post found in a text page, before its content is split."""

    header: int
    author: str | None
    time_text: str | None
    subject: str | None = None
    number: int | None = None
    block: int = 0  # first line of the header block (subject, buttons, header)
    column: int = 0  # message column of side-by-side table dumps (w3m), else 0
    table: bool = False  # subsilver2 / phpBB2 layout
    lines: list[str] = field(default_factory=list)
    base: int = 0  # indentation of the post's own lines
    edit: str | None = None
    signature: list[str] | None = None


def _header_at(lines: Sequence[str], i: int) -> _Raw | None:
    """The post header on line i, if it is one."""
    line = lines[i]
    if "»" in line or ">>" in line:
        m = _HEADER.match(line)
        if m and re.search(r"\d|today|yesterday|ago", m["time"], re.I):
            number = int(m["num"]) if m["num"] else None
            return _Raw(i, clean_line(m["author"]), clean_line(m["time"]), number=number, block=i)
        return None
    if "osted:" in line:
        m = _POSTED.match(line)
        if m:
            return _table_header(lines, i, m)
    return None


def _table_header(lines: Sequence[str], i: int, m: re.Match[str]) -> _Raw:
    """A subsilver2 / phpBB2 header: the author is left of it or on the lines above."""
    subject = _cell_subject(m["subject"]) if m["subject"] is not None else None
    raw = _Raw(i, None, clean_line(m["time"]), subject=subject, block=i, table=True)
    left = clean_line(m["left"])
    if left and left.lower() != "post":  # phpBB2 dumped side by side: author | header
        raw.author = left
        raw.column = len(m["left"])
    elif m["subject"] is not None:  # phpBB2 dumped linearly: author, rank, fields, header
        raw.block = _author_above(lines, i)
        raw.author = clean_line(lines[raw.block]) if raw.block < i else None
    else:  # subsilver2: a "Post subject:" line above, the author left of it or above it
        for j in range(i - 1, max(-1, i - 4), -1):
            cell = _SUBJECT_CELL.match(lines[j])
            if cell:
                raw.subject = _cell_subject(cell["subject"])
                raw.author = clean_line(cell["left"]) or _line_above(lines, j)
                raw.block = j if clean_line(cell["left"]) else max(0, j - 1)
                raw.column = len(m["left"]) if clean_line(cell["left"]) else 0
                break
        else:
            raw.author = _line_above(lines, i)
            raw.block = max(0, i - 1)
    return raw


def _cell_subject(text: str) -> str | None:
    """A subject cell's text without the buttons printed after it on the same row."""
    text = re.split(r"\s{3,}", text.strip())[0]
    text = re.sub(r"\s*Reply with quote$", "", text, flags=re.I)
    return clean_line(text) or None


def _author_above(lines: Sequence[str], i: int) -> int:
    """Index of the author line of a linearly dumped phpBB2 post (above rank and fields)."""
    found = i
    for j in range(i - 1, max(-1, i - 12), -1):
        line = lines[j]
        if _TOP.match(line) or _TABLE_HEAD.match(line) or _SEPARATOR.match(line):
            break
        if _blank(line) or _FIELD.match(line) or _is_chrome(line):
            continue
        found = j
    return found


def _line_above(lines: Sequence[str], i: int) -> str | None:
    for j in range(i - 1, max(-1, i - 3), -1):
        text = clean_line(lines[j])
        if text:
            return text
    return None


def _is_chrome(line: str) -> bool:
    """A button, "Top", a rule, an avatar or a blank line: furniture between posts."""
    return bool(
        _blank(line)
        or _BUTTON.match(line)
        or _SEPARATOR.match(line)
        or _AVATAR.match(line)
        or _CONTACT_ROW.match(line)
    )


def _find_subject(lines: Sequence[str], raw: _Raw, floor: int) -> None:
    """Read the subject line above a prosilver header and move the block start onto it."""
    i = raw.header - 1
    while i > floor and (_blank(lines[i]) or _BUTTON.match(lines[i])):
        i -= 1
    raw.block = i + 1
    if i <= floor:
        return
    text = clean_line(lines[i])
    if not (_is_chrome(lines[i]) or _FIELD.match(text) or _FOOTER.match(text)):
        raw.subject = text
        raw.block = i


def _is_name(line: str, names: set[str]) -> bool:
    return len(line) < 100 and _key(line) in names


def _profile_start(lines: Sequence[str], i: int, names: set[str]) -> int | None:
    """If line i ends a profile block (name line, rank, "Posts:", ...), where the block starts."""
    seen_field = bool(_FIELD.match(lines[i]))
    for j in range(i - 1, max(-1, i - _PROFILE_REACH - 1), -1):
        if _is_name(lines[j], names):
            if not seen_field:
                return None
            k = j - 1
            while k >= 0 and (_blank(lines[k]) or _AVATAR.match(lines[k])):
                k -= 1
            return k + 1
        if _FIELD.match(lines[j]):
            seen_field = True
    return None


def _trailer_start(lines: Sequence[str], names: set[str]) -> int:
    """Scan up from the end over buttons, "Top", rules and profile blocks: where the post ends."""
    i = len(lines) - 1
    bare_name_ok = True
    while i >= 0:
        if _is_chrome(lines[i]):
            i -= 1
            continue
        start = _profile_start(lines, i, names)
        if start is not None:
            i = start - 1
            bare_name_ok = False
            continue
        if bare_name_ok and _is_name(lines[i], names):  # a guest's profile: the name only
            i -= 1
            bare_name_ok = False
            continue
        break
    return i + 1


def _last_post_end(lines: Sequence[str], start: int) -> int:
    """The end of the last post: its "Top" line or the page footer after it."""
    for i in range(start, len(lines)):
        if _TOP.match(lines[i]) or _FOOTER.match(lines[i]):
            return i
    return len(lines)


def _skeletons(lines: Sequence[str]) -> list[_Raw]:
    """Posts of a text page with their content lines (trailers and profiles removed)."""
    raws = [raw for i in range(len(lines)) if (raw := _header_at(lines, i)) is not None]
    floor = -1
    for raw in raws:
        if not raw.table:
            _find_subject(lines, raw, floor)
        floor = raw.header
    for k, raw in enumerate(raws):
        nxt = raws[k + 1] if k + 1 < len(raws) else None
        top = max(raw.header + 1, nxt.block) if nxt else _last_post_end(lines, raw.header + 1)
        content = _content_column(lines[raw.header + 1 : top], raw.column)
        # 3.0 prints the poster's profile after the post, 3.1+ the next poster's before it
        names = {name for name in (raw.author, nxt.author if nxt else None) if name}
        content = content[: _trailer_start(content, names)]
        if raw.table:
            content = _drop_leading_profile(content)
        first = next(
            (i for i, x in enumerate(content) if not (_blank(x) or _SEPARATOR.match(x))),
            len(content),
        )
        raw.lines = content[first:]
    return raws


def _content_column(lines: Sequence[str], column: int) -> list[str]:
    """Lines of a post; in side-by-side table dumps only the message column."""
    if not column:
        return list(lines)
    return [line[column:] if len(line) > column else "" for line in lines]


def _drop_leading_profile(lines: list[str]) -> list[str]:
    """Table styles rendered linearly print the poster's rank and fields before the message."""
    last = -1
    for i, line in enumerate(lines[:12]):
        if _FIELD.match(line):
            last = i
    return lines[last + 1 :] if last >= 0 else lines


# ---------------------------------------------------------------- text: edit note, signature
def _base_indent(lines: Sequence[str]) -> int:
    """The indentation of a post's own lines (code printed flush left by lynx ignored)."""
    base = 1 << 30
    code = -1  # indentation of the "Code:" line whose box we are in
    lead, code_head = _LEAD.match, _CODE_HEAD.match
    for line in lines:
        match = lead(line)
        width = match.end() if match else 0
        if width == len(line) or (width < code) or _blank(line):
            continue
        code = width if code_head(line) else -1
        base = min(base, width)
    return 0 if base == 1 << 30 else base


def _split_tail(raw: _Raw) -> None:
    """Take the edit note and a separated signature ("_____" rule, or after the note) off."""
    lines = raw.lines
    base = raw.base = _base_indent(lines)
    after: list[str] = []
    for i in range(len(lines) - 1, -1, -1):
        if "edited by" not in lines[i] or _indent(lines[i]) > base + 1:
            continue
        note = [clean_line(lines[i])]
        rest = i + 1
        if not _EDIT.match(note[0]) and rest < len(lines):  # wrapped by a narrow renderer
            note = [f"{note[0]} {clean_line(lines[rest])}"]
            rest += 1
        if _EDIT.match(note[0]):
            if rest < len(lines) and _REASON.match(lines[rest]):
                note.append(clean_line(lines[rest]))
                rest += 1
            raw.edit = "\n".join(note)
            after = lines[rest:]
            lines = lines[:i]
            break
    for i in range(len(lines) - 1, -1, -1):
        if _SIG_RULE.match(lines[i]) and _indent(lines[i]) <= base + 1:
            after = lines[i + 1 :] + after
            lines = lines[:i]
            break
    if any(not _blank(line) for line in after):
        raw.signature = after
    raw.lines = lines


def _suffixes(lines: Sequence[str], base: int) -> Iterator[tuple[int, int, int, int]]:
    """(length, key, preceding line's hash, start) of each trailing run of top-level lines."""
    idx: list[int] = []  # the last non-blank lines, in page order
    for i in range(len(lines) - 1, -1, -1):
        if not _blank(lines[i]):
            idx.insert(0, i)
            if len(idx) > _MAX_SIGNATURE_LINES:
                break
    key = 0
    for k in range(1, len(idx)):
        line = lines[idx[-k]]
        if _indent(line) > base + 1:
            return
        key = hash((key, line.strip()))
        yield k, key, hash(lines[idx[-k - 1]].strip()), idx[-k]


def _signature_key(lines: Sequence[str]) -> int:
    key = 0
    for line in reversed([line for line in lines if not _blank(line)]):
        key = hash((key, line.strip()))
    return key


def _repeated_signatures(raws: Sequence[_Raw]) -> None:
    """Signatures printed without a separator: trailing lines an author repeats in ≥2 posts."""
    known: dict[str, set[int]] = defaultdict(set)
    groups: dict[str, list[_Raw]] = defaultdict(list)
    for raw in raws:
        if raw.author is None:
            continue
        if raw.signature is not None:
            known[raw.author].add(_signature_key(raw.signature))
        else:
            groups[raw.author].append(raw)
    for author, group in groups.items():
        tails = [list(_suffixes(raw.lines, raw.base)) for raw in group]
        counts: Counter[int] = Counter()
        preceding: dict[int, set[int]] = defaultdict(set)
        for tail in tails:
            for _, key, before, _ in tail:
                counts[key] += 1
                preceding[key].add(before)
        for raw, tail in zip(group, tails, strict=True):
            best: tuple[int, int, int] | None = None  # (count, length, start)
            for k, key, _, start in tail:
                if key in known[author] or (counts[key] >= 2 and len(preceding[key]) >= 2):
                    score = (counts[key] + (len(group) if key in known[author] else 0), k, start)
                    best = max(best, score) if best else score
            if best is not None:
                raw.signature = raw.lines[best[2] :]
                raw.lines = raw.lines[: best[2]]


# ---------------------------------------------------------------- text: quoted copies
_MIN_QUOTED_WORDS = 4
_RECENT_POSTS = 60
_WORD = re.compile(r"\w+")


class _Recent:
    """Word trigrams of the last posts read, to recognise quoted copies in unindented text."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, ...], int] = {}  # trigram -> number of the post it was in
        self._posts = 0

    @staticmethod
    def _words(lines: Sequence[str]) -> list[str]:
        return _WORD.findall(" ".join(lines).casefold())

    def add(self, lines: Sequence[str]) -> None:
        """Remember one post's text (forgetting posts beyond the window now and then)."""
        self._posts += 1
        words = self._words(lines)
        self._seen.update(
            dict.fromkeys(zip(words, words[1:], words[2:], strict=False), self._posts)
        )
        if self._posts % _RECENT_POSTS == 0:
            floor = self._posts - _RECENT_POSTS
            self._seen = {gram: n for gram, n in self._seen.items() if n > floor}

    def quoted(self, lines: Sequence[str]) -> bool:
        """Whether these lines (mostly) repeat text of a recent post."""
        if not self._seen:
            return False
        words = self._words(lines)
        if len(words) < _MIN_QUOTED_WORDS:
            return False
        grams = set(zip(words, words[1:], words[2:], strict=False))
        floor = self._posts - _RECENT_POSTS
        hits = sum(1 for gram in grams if self._seen.get(gram, floor) > floor)
        return hits >= 0.8 * len(grams)


# ---------------------------------------------------------------- text: quotes
def _dedent(lines: Sequence[str], width: int) -> list[str]:
    return [line[min(width, _indent(line)) :] for line in lines]


def _block_end(lines: Sequence[str], i: int, depth: int) -> int:
    """Last line of the indented block starting at i (blank lines inside it included)."""
    last = i
    for j in range(i + 1, len(lines)):
        if _blank(lines[j]):
            continue
        if _indent(lines[j]) < depth:
            break
        last = j
    return last


def _paragraph_end(lines: Sequence[str], i: int) -> int:
    while i < len(lines) and not _blank(lines[i]):
        i += 1
    return i


def _inline_quote_end(lines: Sequence[str], i: int, rest: str, known: _Recent) -> int:
    """Where an unindented quote (lynx, copy-paste) ends: its paragraph, then known text."""
    end = _paragraph_end(lines, i + 1)
    seen = [k for k in range(i + 1, end) if known.quoted([lines[k]])]
    if seen and seen[-1] + 1 < end and (known.quoted([rest]) or seen[0] == i + 1):
        return seen[-1] + 1  # the reply follows the quoted lines without a blank line
    must_take = end == i + 1 and not rest.strip()  # "X wrote:" alone, then the quoted text
    while end < len(lines):
        k = end
        while k < len(lines) and _blank(lines[k]):
            k += 1
        if k >= len(lines) or _quote_head(lines[k]) is not None:
            break
        stop = _paragraph_end(lines, k)
        if not (must_take or known.quoted(lines[k:stop])):
            break
        end, must_take = stop, False
    return end


def _quote_head(line: str) -> tuple[str | None, str] | None:
    """(author, glued text) when the line opens a quote ("X wrote:...", "Quote:")."""
    if ":" not in line[:120]:
        return None
    text = clean_line(line)
    if _UNCITED_TITLE.match(text):
        return None, ""
    m = _CITE.match(text)
    if m and len(m["author"].split()) <= 6:
        return clean_line(m["author"]), m["rest"]
    return None


def _cite_time(rest: str, following: str | None) -> tuple[str | None, str, bool]:
    """(time, remaining glued text, whether the next line was the time) of a 3.2+ cite."""
    rest = rest.strip()
    arrow = rest.startswith("↑")
    rest = rest.lstrip("↑ ").strip()
    m = _DATE_START.match(rest)
    if m and (arrow or re.search(r"\d:\d\d", m["date"])):
        return clean_line(m["date"]), m["rest"], False
    if not rest and following is not None and _DATE_LINE.match(following):
        return clean_line(following), "", True
    return None, rest, False


def _quote_from_lines(lines: Sequence[str], known: _Recent) -> ParsedQuote:
    """One quote block (already dedented): cite, time, own text, nested quotes."""
    first = next((i for i, line in enumerate(lines) if not _blank(line)), len(lines))
    head = _quote_head(lines[first]) if first < len(lines) else None
    if head is None or (head[0] is None and head[1] == "" and first + 1 >= len(lines)):
        own, nested = _split_quotes(lines, inline=False, known=known)
        return ParsedQuote(author=None, text=_join(own), quotes=nested)
    author, rest = head
    following = next((x for x in lines[first + 1 :] if not _blank(x)), None)
    time_text, rest, skip = _cite_time(rest, following)
    inner = list(lines[first + 1 :])
    if skip:
        inner = inner[next(i for i, x in enumerate(inner) if not _blank(x)) + 1 :]
    own, nested = _split_quotes([rest, *inner], inline=False, known=known)
    return ParsedQuote(author=author, text=_join(own), time_text=time_text, quotes=nested)


def _quotes_from_block(block: Sequence[str], known: _Recent) -> list[ParsedQuote]:
    """An indented block: one quote, or several when cites start at its own indentation."""
    lines = _dedent(block, _base_indent(block))
    starts = [0] + [
        i for i in range(1, len(lines)) if _indent(lines[i]) == 0 and _quote_head(lines[i])
    ]
    bounds = zip(starts, [*starts[1:], len(lines)], strict=True)
    return [_quote_from_lines(lines[a:b], known) for a, b in bounds]


@dataclass
class _Split:
    """A text being split: own lines (a blank where each quote was) and the quotes."""

    own: list[str] = field(default_factory=list)
    quotes: list[ParsedQuote] = field(default_factory=list)
    mark: int = -1  # index in `own` of the last quote's place

    def quote(self, quote: ParsedQuote, *, nest_into_empty: bool = False) -> None:
        last = self.quotes[-1] if self.quotes else None
        if (
            nest_into_empty
            and last is not None
            and not (last.text or last.quotes)
            and all(_blank(x) for x in self.own[self.mark :])
        ):
            last.quotes.append(quote)  # lynx prints a quote that opens with a quote this way
            return
        self.quotes.append(quote)
        self.mark = len(self.own)
        self.own.append("")


def _split_quotes(
    lines: Sequence[str], *, inline: bool, known: _Recent, base: int | None = None
) -> tuple[list[str], list[ParsedQuote]]:
    """(own lines with a blank where each quote was, quotes) of a post or a quote's text.

    Quotes are indented blocks (w3m); with `inline` (renderings that do not indent them)
    also "X wrote:" paragraphs and paragraphs that repeat a recent post.
    """
    base = _base_indent(lines) if base is None else base
    out = _Split()
    texts = [i for i, line in enumerate(lines) if not _blank(line)] if inline else [0]
    i = 0
    while i < len(lines):
        line = lines[i]
        if not _blank(line) and _indent(line) >= base + _INDENT_STEP:
            last = _block_end(lines, i, base + _INDENT_STEP)
            block = lines[i : last + 1]
            previous = next((x for x in reversed(out.own) if not _blank(x)), "")
            if _ATTACHMENT.match(previous):
                pass  # the attachment list (file names, sizes) is not text
            elif _BULLET.match(line) or _CODE_HEAD.match(previous):
                out.own.extend(block)  # a nested list or a code box, not a quote
            else:
                for quote in _quotes_from_block(block, known):
                    out.quote(quote)
            i = last + 1
            continue
        head = _quote_head(line) if inline else None
        if head is not None:
            end = _inline_quote_end(lines, i, head[1], known)
            out.quote(_inline_quote(line, head, lines[i + 1 : end], known), nest_into_empty=True)
            i = end
            continue
        if inline and (i == 0 or _blank(lines[i - 1])) and not _blank(line):
            end = _paragraph_end(lines, i)
            alone = texts[0] >= i and texts[-1] < end  # a post that is only this paragraph
            if not alone and known.quoted(lines[i:end]):
                out.quote(ParsedQuote(author=None, text=_join(lines[i:end])))
                i = end
                continue
        out.own.append(line)
        i += 1
    return out.own, out.quotes


def _inline_quote(
    line: str, head: tuple[str | None, str], rest: Sequence[str], known: _Recent
) -> ParsedQuote:
    """A quote that renderers printed flush with the post ("X wrote:" and its paragraph)."""
    following = next((x for x in rest if not _blank(x)), None)
    time_text, glued, skip = _cite_time(head[1], following)
    inner = list(rest)
    if skip:
        inner = inner[next(i for i, x in enumerate(inner) if not _blank(x)) + 1 :]
    own, nested = _split_quotes([" " * _indent(line) + glued, *inner], inline=False, known=known)
    return ParsedQuote(author=head[0], text=_join(own), time_text=time_text, quotes=nested)


def _join(lines: Sequence[str]) -> str:
    return join_paragraphs(
        [line for line in lines if not (_CODE_HEAD.match(line) or _ATTACHMENT.match(line))]
    )


def _has_indented_cite(lines: Sequence[str], base: int) -> bool:
    return any(
        ":" in line[:120] and _indent(line) >= base + _INDENT_STEP and _quote_head(line)
        for line in lines
    )


# ---------------------------------------------------------------- text: the page
def _parse_text(page: Page) -> tuple[str | None, list[ParsedPost]]:
    """(title, posts) of a text page."""
    raws = _skeletons(page.lines)
    for raw in raws:
        _split_tail(raw)
    _repeated_signatures(raws)
    inline = not any(_has_indented_cite(raw.lines, raw.base) for raw in raws)
    known = _Recent()
    posts: list[ParsedPost] = []
    for raw in raws:
        own, quotes = _split_quotes(raw.lines, inline=inline, known=known, base=raw.base)
        if inline:
            known.add(raw.lines)
        post = ParsedPost(
            body=_join(own),
            author=raw.author,
            time_text=raw.time_text,
            quotes=quotes,
            subject=raw.subject,
            post_number=raw.number,
            signature=join_paragraphs(raw.signature) or None if raw.signature else None,
        )
        _set_edit(post, raw.edit)
        posts.append(post)
    return _title_from_subjects(posts), posts


def _set_edit(post: ParsedPost, note: str | None) -> None:
    if not note:
        return
    post.edited_text = note
    m = _EDIT.match(note.split("\n", 1)[0])
    post.edited_by = clean_line(m["who"]) if m else None


def _title_from_subjects(posts: Sequence[ParsedPost]) -> str | None:
    """The thread title: the subjects' common stem ("Re: X" → "X")."""
    stems = Counter(
        re.sub(r"^(?:(?:Re|AW|Sv|Odp|Ynt)\s*(?:\[\d+\])?:\s*)+", "", p.subject, flags=re.I)
        for p in posts
        if p.subject
    )
    return stems.most_common(1)[0][0] if stems else None


# ---------------------------------------------------------------- HTML: rendering helpers
_MARK = "\ue000"  # stands where a quote was, so text around it splits into paragraphs


def _cls(name: str) -> str:
    """XPath test for one CSS class."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


@cache
def _xpath(expr: str) -> etree.XPath:
    """A compiled XPath (compiling is most of the cost of a small query)."""
    return etree.XPath(expr)


def _all(node: HtmlElement, expr: str) -> list[HtmlElement]:
    found = _xpath(expr)(node)
    assert isinstance(found, list)
    return found


def _first(node: HtmlElement, expr: str) -> HtmlElement | None:
    found = _all(node, expr)
    return found[0] if found else None


def _classes(node: HtmlElement) -> set[str]:
    return set((node.get("class") or "").split())


# Text renderers print <br> as a line break, block boundaries as one (<div>) or a blank
# line (<p>), and an image as its alt text. Rendering never changes the tree: elements in
# `skip` are left out and elements in `marks` (quotes) print as a paragraph of their own.
_SOFT, _HARD = "\x01", "\x02"
_BLOCKS = frozenset({"div", "li", "dd", "dt", "tr", "cite", "center", "section", "article"})
_PARAGRAPHS = frozenset(
    {"p", "blockquote", "pre", "ul", "ol", "dl", "table", "h1", "h2", "h3", "h4", "h5", "h6", "hr"}
)
_SKIP = frozenset({"script", "style", "noscript", "template", "head"})
_SKIP_CLASSES = frozenset({"attachbox", "codetitle", "profile-icons", "post-buttons"})
_BREAK_RUN = re.compile(r"[\x01\x02\n](?:[ \t\xa0]*[\x01\x02\n])*")
_SPACES = re.compile(r"[ \t\xa0\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


@dataclass
class _Render:
    """One rendering: what to leave out, what stands for a quote, and the output."""

    skip: set[HtmlElement] = field(default_factory=set)
    marks: set[HtmlElement] = field(default_factory=set)
    out: list[str] = field(default_factory=list)

    def walk(self, node: HtmlElement, depth: int = 0, pre: bool = False) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if not tag or tag in _SKIP or node in self.skip or _furniture(node, tag):
            return
        if tag == "br":
            self.out.append("\n")
            return
        if node in self.marks:
            self.out.append(_HARD + _MARK + _HARD)
            return
        if depth > 150:
            self.out.append(_flow(node.text_content(), pre))
            return
        pre = pre or tag in ("pre", "code")
        edge = _HARD if tag in _PARAGRAPHS else _SOFT if tag in _BLOCKS else ""
        self.out.append(edge)
        if tag == "img":
            self.out.append(node.get("alt") or "")
        self.out.append(_flow(node.text, pre))
        for child in node:
            self.walk(child, depth + 1, pre)
            self.out.append(_flow(child.tail, pre))
        self.out.append(edge)


def _furniture(node: HtmlElement, tag: str) -> bool:
    """Boxes that are nobody's text: "Code: Select all" over a code box, attachment lists."""
    if tag in ("div", "dl", "ul"):
        return not _SKIP_CLASSES.isdisjoint(_classes(node))
    if tag not in ("dt", "p"):
        return False
    parent = node.getparent()
    return parent is not None and "codebox" in _classes(parent)


def _flow(text: str | None, pre: bool) -> str:
    """Source line breaks are spaces in HTML, except in preformatted text."""
    if not text:
        return ""
    return text if pre else text.replace("\n", " ")


def _breaks(run: re.Match[str]) -> str:
    text = run.group()
    return "\n" * max(text.count("\n"), 2 if _HARD in text else 1)


def _text(
    node: HtmlElement,
    skip: set[HtmlElement] | None = None,
    marks: set[HtmlElement] | None = None,
) -> str:
    """Visible text of a message part as a text renderer prints it."""
    render = _Render(skip or set(), marks or set())
    render.walk(node)
    text = _SPACES.sub(" ", _ZERO_WIDTH.sub("", _BREAK_RUN.sub(_breaks, "".join(render.out))))
    return join_paragraphs([("" if line.strip() == _MARK else line) for line in text.split("\n")])


def _is_quote(node: HtmlElement) -> bool:
    tag = node.tag if isinstance(node.tag, str) else ""
    if tag == "blockquote":
        return True
    classes = _classes(node)
    return (tag == "div" and "quotecontent" in classes) or (tag == "td" and "quote" in classes)


def _outer_quotes(root: HtmlElement) -> list[HtmlElement]:
    """Quote elements under root that are not inside another quote under root."""
    found: list[HtmlElement] = []
    for quote in root.iter("blockquote", "div", "td"):
        if quote is root or not _is_quote(quote):
            continue
        parent = quote.getparent()
        while parent is not None and parent is not root and not _is_quote(parent):
            parent = parent.getparent()
        if parent is None or parent is root:
            found.append(quote)
    return found


def _cite(quote: HtmlElement) -> HtmlElement | None:
    """A blockquote's cite: its child, or the child of its inner div (prosilver)."""
    for child in quote:
        if child.tag == "cite":
            return child
        if child.tag == "div":
            return next(child.iterchildren("cite"), None)
    return None


def _quote_title(quote: HtmlElement) -> tuple[HtmlElement | None, HtmlElement]:
    """(title element, element that stands for the whole quote) in any style."""
    if quote.tag == "blockquote":
        return _cite(quote), quote
    if quote.tag == "div":
        previous = quote.getprevious()
        if previous is not None and "quotetitle" in _classes(previous):
            return previous, quote
        return None, quote
    table = next(quote.iterancestors("table"), None)
    if table is None:
        return None, quote
    return next((td for td in table.iter("td") if "quote" not in _classes(td)), None), table


def _html_quote(quote: HtmlElement, title: HtmlElement | None) -> ParsedQuote:
    """A quote element as a ParsedQuote (cite/title parsed, nested quotes kept apart)."""
    author: str | None = None
    time_text: str | None = None
    if title is not None:
        for hidden in title.iter():
            if hidden.tag == "time" or "responsive-hide" in _classes(hidden):
                time_text = clean_line(hidden.text_content()) or None
        head = _quote_head(_text(title).replace("\n", " "))
        if head is not None:
            author = head[0]
            if time_text is None:
                time_text = _cite_time(head[1], None)[0]
    text, nested = _content(quote, {title} if title is not None else set())
    return ParsedQuote(author=author, text=text, time_text=time_text, quotes=nested)


def _content(
    node: HtmlElement, skip: set[HtmlElement] | None = None
) -> tuple[str, list[ParsedQuote]]:
    """(own text, quotes) of a message element; each quote leaves a paragraph break."""
    skip = set(skip or ())
    marks: set[HtmlElement] = set()
    quotes: list[ParsedQuote] = []
    for quote in _outer_quotes(node):
        title, whole = _quote_title(quote)
        quotes.append(_html_quote(quote, title))
        marks.add(whole)
        if title is not None and quote.tag == "div":
            skip.add(title)  # subsilver2: the title sits before its quote box
    return _text(node, skip, marks), quotes


# ---------------------------------------------------------------- HTML: the styles
def _index(node: HtmlElement) -> dict[str, list[HtmlElement]]:
    """The elements under node by "tag" and "tag.class", in page order (one pass)."""
    found: dict[str, list[HtmlElement]] = defaultdict(list)
    for element in node.iter():
        tag = element.tag
        if not isinstance(tag, str):
            continue
        found[tag].append(element)
        for name in (element.get("class") or "").split():
            found[f"{tag}.{name}"].append(element)
    return found


def _username(link: HtmlElement) -> bool:
    return any(name.startswith("username") for name in _classes(link))


def _prosilver_post(found: dict[str, list[HtmlElement]]) -> ParsedPost:
    """One prosilver div.post (3.0: profile after the message; 3.1+: before it)."""
    author_line, content = found["p.author"][0], found["div.content"][0]
    line = clean_line(author_line.text_content())
    name = next(
        (e for e in author_line.iter("strong", "a") if e.tag == "strong" or _username(e)), None
    )
    author = clean_line(name.text_content()) if name is not None else None
    m = re.match(rf"^(?:#(?P<num>\d+)\s*)?(?:{_BY}\s+(?P<by>.+?)\s*)?»\s*(?P<time>.+)$", line)
    stamp = next(author_line.iter("time"), None)
    time_text = clean_line(stamp.text_content()) if stamp is not None else None
    if m:
        author = author or (clean_line(m["by"]) if m["by"] else None)
        time_text = time_text or clean_line(m["time"])
    quoting = any(key in found for key in ("blockquote", "div.quotecontent", "td.quote"))
    body, quotes = _content(content) if quoting else (_text(content), [])
    subject = clean_line(found["h3"][0].text_content()) if found.get("h3") else ""
    post = ParsedPost(
        body=body,
        author=author or None,
        time_text=time_text or None,
        quotes=quotes,
        subject=subject or None,
        post_number=int(m["num"]) if m and m["num"] else None,
        user_title=_prosilver_rank(found),
    )
    if found.get("div.signature"):
        post.signature = _text(found["div.signature"][0]) or None
    for notice in found.get("div.notice", []):
        note = _text(notice)
        if _EDIT.match(note.split("\n", 1)[0]):
            _set_edit(post, note)
    return post


def _prosilver_rank(found: dict[str, list[HtmlElement]]) -> str | None:
    ranks = (
        found.get("dd.profile-rank")
        or [dd for dl in found.get("dl.postprofile", [])[:1] for dd in dl.iterchildren("dd")][:1]
    )
    text = clean_line(ranks[0].text_content()) if ranks else ""
    return text if text and not _FIELD.match(text) else None


def _prosilver_posts(tree: HtmlElement) -> list[ParsedPost]:
    posts: list[ParsedPost] = []
    for node in tree.iter("div"):
        if "post" not in _classes(node) or _inside_post(node):
            continue
        found = _index(node)
        if found.get("p.author") and found.get("div.content"):
            posts.append(_prosilver_post(found))
    return posts


def _table_message(cell: HtmlElement) -> tuple[str, str | None, list[ParsedQuote], str | None]:
    """(body, signature, quotes, edit note) of a subsilver2 / phpBB2 message cell."""
    note: str | None = None
    skip: set[HtmlElement] = set()
    for small in _all(cell, f".//*[{_cls('gensmall')}][not(.//*[{_cls('postbody')}])]"):
        text = _key(small.text_content())
        if _EDIT.match(text):
            note = text
        skip.add(small)  # edit notes, buttons
    for table in _all(cell, ".//table"):
        if not _all(table, f".//td[{_cls('quote')} or {_cls('code')}]"):
            skip.add(table)  # button rows
    text, quotes = _content(cell, skip)
    lines = text.split("\n")
    rule = next((i for i, line in enumerate(lines) if _SIG_RULE.match(line)), None)
    if rule is None:
        return text, None, quotes, note
    return join_paragraphs(lines[:rule]), join_paragraphs(lines[rule + 1 :]) or None, quotes, note


def _subsilver2_posts(tree: HtmlElement) -> list[ParsedPost]:
    posts: list[ParsedPost] = []
    for name in _all(tree, f"//*[{_cls('postauthor')}]"):
        table = _first(name, f"ancestor::table[{_cls('tablebg')}][1]")
        body = None if table is None else _first(table, f".//div[{_cls('postbody')}]")
        if table is None or body is None:
            continue
        header = clean_line(" ".join(map(str, _all(table, f".//td[{_cls('gensmall')}]//text()"))))
        cell = body.getparent() if body.getparent() is not None else body
        posts.append(_table_post(clean_line(name.text_content()), header, cell))
    return posts


def _phpbb2_posts(tree: HtmlElement) -> list[ParsedPost]:
    posts: list[ParsedPost] = []
    for name in _all(tree, f"//span[{_cls('name')}]"):
        row = _first(name, "ancestor::tr[1]")
        body = None if row is None else _first(row, f".//span[{_cls('postbody')}]")
        if row is None or body is None:
            continue
        header = clean_line(
            " ".join(map(str, _all(row, f".//span[{_cls('postdetails')}]//text()")))
        )
        cell = _first(body, "ancestor::td[1]")
        posts.append(
            _table_post(clean_line(name.text_content()), header, body if cell is None else cell)
        )
    return posts


def _table_post(author: str, header: str, cell: HtmlElement) -> ParsedPost:
    """A post of the table styles from its author, its header text and its message cell."""
    posted = re.search(rf"Posted:\s*(?P<time>{_DATE})", header, re.I)
    subject = re.search(r"Post subject:\s*(?P<s>.+?)(?:\s+Posted:|$)", header)
    body, signature, quotes, note = _table_message(cell)
    post = ParsedPost(
        body=body,
        author=author or None,
        time_text=clean_line(posted["time"]) if posted else None,
        quotes=quotes,
        subject=clean_line(subject["s"]) if subject else None,
        signature=signature,
    )
    _set_edit(post, note)
    return post


# ---------------------------------------------------------------- HTML: the page
_TITLE_TAIL = re.compile(r"^.*?\s+(?:•|-|\u2013|\||::)\s+(?:View topic\s+-\s+)?")


def _html_title(tree: HtmlElement) -> str | None:
    """The topic title: prosilver's h2, the table styles' title link, else <title>."""
    for h2 in tree.iter("h2"):
        links = [a.get("href") or "" for a in h2.iter("a")]
        if "topic-title" in _classes(h2) or any("viewtopic" in href for href in links):
            return clean_line(h2.text_content()) or None
    for link in tree.iter("a"):
        if _classes(link) & {"titles", "maintitle"}:
            return clean_line(link.text_content()) or None
    title = next(tree.iter("title"), None)
    text = clean_line(title.text_content()) if title is not None else ""
    return _TITLE_TAIL.sub("", text) or None


def _html_identity(tree: HtmlElement) -> tuple[str | None, str | None, str | None]:
    """(url, site, thread key "t=N") from the canonical link or the topic's own links."""
    head = next(tree.iter("head"), None)
    heads = list(head.iter("link", "meta")) if head is not None else []
    url = next(
        (
            href
            for e in heads
            if (e.get("rel") == "canonical" or e.get("property") == "og:url")
            and (href := e.get("href") or e.get("content") or "").startswith(
                ("http://", "https://")
            )
        ),
        None,
    )
    hrefs = [url] if url else []
    hrefs += [e.get("href") or "" for e in heads if e.get("rel") == "alternate"]
    hrefs += [a.get("href") or "" for h2 in tree.iter("h2") for a in h2.iter("a")]
    site = urlsplit(url).netloc if url else None
    topic: str | None = None
    for href in hrefs:
        parts = urlsplit(href)
        site = site or (parts.netloc or None)
        values = parse_qs(parts.query).get("t")
        topic = topic or (values[0] if values else None)
    if url and not topic:
        return url, None, None
    return url, site, (f"t={topic}" if topic and site else None)


def _parse_html(page: Page) -> ParsedPage:
    tree = page.tree
    posts = _prosilver_posts(tree) or _subsilver2_posts(tree) or _phpbb2_posts(tree)
    url, site, key = _html_identity(tree)
    return ParsedPage(
        engine=PhpbbEngine.name,
        kind=PageKind.FORUM,
        title=_html_title(tree) or _title_from_subjects(posts),
        posts=posts,
        url=url,
        site=site,
        thread_key=key,
    )


# ---------------------------------------------------------------- detection
_DETECT_CHARS = 2_000_000
_HTML_MARK = re.compile(r"phpBB (?:Group|Limited)|phpBB style name|Powered by.{0,80}phpBB", re.S)


def _detect_text(lines: Sequence[str]) -> float:
    headers = edits = profile = marks = 0
    budget = _DETECT_CHARS
    for i, line in enumerate(lines):
        budget -= len(line) + 1
        if budget < 0:
            break
        if _header_at(lines, i) is not None:
            headers += 1
        elif "edited" in line and _EDIT.match(line):
            edits += 1
        elif "Joined:" in line:
            profile += 1
        elif "phpBB" in line and "Powered by" in line:
            marks += 1
    if headers == 0:
        return 0.3 if marks else 0.0
    score = 0.8 if headers >= 2 else 0.7
    score += 0.1 * bool(marks) + 0.05 * bool(edits) + 0.05 * bool(profile)
    return min(1.0, score)


def _inside_post(element: HtmlElement) -> bool:
    return any("post" in _classes(div) for div in element.iterancestors("div"))


def _html_post_count(tree: HtmlElement, enough: int = 2) -> int:
    """How many posts of any phpBB style the page shows (counting stops at `enough`)."""
    found = 0
    for line in tree.iter("p"):
        if "author" in _classes(line) and _inside_post(line):
            found += 1
            if found >= enough:
                return found
    if found:
        return found
    for name in tree.iter("b"):  # subsilver2
        if "postauthor" in _classes(name):
            found += 1
            if found >= enough:
                return found
    if found:
        return found
    spans = Counter(c for span in tree.iter("span") for c in _classes(span) & _PHPBB2_SPANS)
    return min(spans["name"], enough) if spans["postbody"] and spans["postdetails"] else 0


_PHPBB2_SPANS = frozenset({"name", "postbody", "postdetails"})


def _detect_html(page: Page) -> float:
    posts = _html_post_count(page.tree)
    text = page.text
    marked = bool(
        _HTML_MARK.search(text, 0, 20_000)
        or _HTML_MARK.search(text, max(0, len(text) - 30_000))
        or 'id="phpbb"' in text[:50_000]
    )
    if posts == 0:
        return 0.3 if marked else 0.0
    score = 0.85 if posts >= 2 else 0.75
    return min(1.0, score + (0.15 if marked else 0.0))


# ---------------------------------------------------------------- the engine
class PhpbbEngine(Engine):
    """phpBB 2 and 3 thread pages (prosilver, subsilver2, subSilver), text or HTML."""

    name: ClassVar[str] = "phpbb"
    title: ClassVar[str] = "phpBB"

    def detect(self, page: Page) -> float:
        """Confidence from post header shapes (text) or the styles' class names (HTML)."""
        if not page.is_html:
            return _detect_text(page.lines)
        try:
            return _detect_html(page)
        except FormatError:  # markup lxml cannot read at all
            return 0.0

    def parse(self, page: Page) -> ParsedPage:
        """The thread's posts in page order (empty when none are recognisable)."""
        if page.is_html:
            try:
                return _parse_html(page)
            except FormatError as exc:  # markup lxml cannot read at all
                return ParsedPage(self.name, PageKind.FORUM, None, [], warnings=[str(exc)])
        title, posts = _parse_text(page)
        return ParsedPage(engine=self.name, kind=PageKind.FORUM, title=title, posts=posts)


ENGINE = PhpbbEngine()
