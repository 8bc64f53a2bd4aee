"""Quotes in text: "> " blocks, deeper-indented blocks and "X wrote:" headers.

A header with no end marker ("X said:" then the quoted paragraphs, then the reply) is closed
where the text stops repeating what earlier posts on the page said; failing that, after the
first paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from labeler.ingest.engines.base import join_paragraphs
from labeler.ingest.engines.generic.lines import (
    EXPAND_TEXTS,
    NOT_NAMES,
    Line,
    find_time,
    is_name_like,
    unbullet,
)
from labeler.ingest.model import ParsedQuote


@dataclass(frozen=True, slots=True)
class QuoteHeader:
    """A parsed quote header: who is quoted, when, and text glued after the header."""

    author: str | None
    time_text: str | None
    rest: str = ""


_QH_SMF = re.compile(r"^quote from:\s*(?P<a>.+?)(?:\s+on\s+(?P<t>.+?))?\s*$", re.I)
_QH_VB = re.compile(
    r"^(?:quote:?\s+)?originally posted by:?\s*(?P<a>.+?)(?:\s+view post)?\s*$", re.I
)
_QH_IPB = re.compile(r"^quote\s*\((?P<a>[^@)]+?)\s*(?:@\s*(?P<t>[^)]+))?\)\s*:?$", re.I)
_QH_QUOTING = re.compile(r"^quoting:?\s+(?P<a>.+?):?$", re.I)
_QH_BARE = re.compile(r"^(?:quote|zitat|citation|cita)\s*:$", re.I)
_QH_SAID = re.compile(
    r"^(?P<a>.{1,160}?)\s*\b(?:wrote|said|writes|says|posted)\b\s*(?P<t2>\([^)]{4,40}\))?\s*"
    r"(?::|\.\.\.|…)(?P<sp>\s*)(?P<rest>.*)$",
    re.I | re.S,
)
_GT = re.compile(r"^(?:>\s*)+")
_PAREN_STAMP = re.compile(r"\(([^()]{4,40})\)")
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]")
_LEAD = re.compile(r"^(?:on|at)\b\s*|^[,\s]+|[,\s]+$", re.I)
_TRAIL_EMAIL = re.compile(r"\s*(?:<[^>]*>|\(?\S+@\S+\)?|\S+ at \S+\.\w+)\s*$")
_TRAIL_ON = re.compile(r"\s+on\s*$", re.I)


def parse_quote_header(text: str, *, glued_ok: bool = False) -> QuoteHeader | None:
    """A quote header line ("X wrote:", "On DATE, X said:", "Quote from: X on DATE", ...).

    Text glued after the header ("X wrote:First quoted line") is accepted when there is no
    space after the colon or when `glued_ok` (the line is indented like a quote).
    """
    if len(text) <= 300:
        return _parse_short(text, glued_ok)
    return _parse_header(text, glued_ok)


def _hinted(text: str) -> bool:
    low = text[:250].lower()
    hinted = "wrote" in low or "said" in low or "posted" in low or "quot" in low
    return hinted or "writes" in low or "says" in low or "zitat" in low or "cita" in low


def _labelled_header(line: str) -> QuoteHeader | None:
    """Headers that name the quoted author after a label ("Quote from: X on DATE")."""
    for pattern in (_QH_SMF, _QH_VB, _QH_IPB, _QH_QUOTING):
        if m := pattern.match(line):
            return _header_from(m.group("a"), m.groupdict().get("t"))
    if _QH_BARE.match(line):
        return QuoteHeader(None, None)
    return None


def _parse_header(text: str, glued_ok: bool) -> QuoteHeader | None:
    if not _hinted(text):
        return None
    line = _GT.sub("", unbullet(text)).strip()
    if len(line) <= 300 and (labelled := _labelled_header(line)) is not None:
        return labelled
    m = _QH_SAID.match(line)
    if not m:
        return None
    rest = m.group("rest").strip()
    stamp = (m.group("t2") or "").strip("() ") or None
    if (paren := _PAREN_STAMP.fullmatch(rest)) and find_time(paren.group(1)):
        stamp, rest = paren.group(1), ""
    if rest and not (glued_ok or not m.group("sp")):
        return None
    head = _header_from(m.group("a"), stamp)
    if head is None or head.author is None:
        return None
    return QuoteHeader(head.author, head.time_text, rest)


_parse_short = lru_cache(maxsize=1 << 14)(_parse_header)


def _header_from(author_part: str, time_part: str | None) -> QuoteHeader | None:
    author = author_part.strip()
    time_text = None
    if t := find_time(author):
        time_text = t.group(0)
        author = (author[: t.start()] + " " + author[t.end() :]).strip()
    if time_part and (t := find_time(time_part)):
        time_text = t.group(0)
    author = _LEAD.sub("", _EMPTY_BRACKETS.sub(" ", author)).strip(" ,")
    author = _TRAIL_ON.sub("", _TRAIL_EMAIL.sub("", author).strip(" ,")).strip(" ,")
    if not author:
        return QuoteHeader(None, time_text)
    words = author.split()
    if len(words) > 5 or len(author) > 60 or words[0].lower() in NOT_NAMES:
        return None
    return QuoteHeader(author, time_text)


def quote_head_from_text(text: str) -> QuoteHeader:
    """Who and when from a quote box's header text ("X said:", "Originally Posted by X", "X:")."""
    head = parse_quote_header(text, glued_ok=True)
    if head is not None:
        return head
    time_text = None
    if m := find_time(text):
        time_text = m.group(0)
        text = text[: m.start()] + text[m.end() :]
    name = text.strip(" :,()-—")
    return QuoteHeader(name if is_name_like(name) else None, time_text)


# ---------------------------------------------------------------- earlier-text matching


class TextIndex:
    """What earlier posts on the page said, to find where an unmarked quote ends.

    Posts are queued as they are read and indexed only when a quote of their author needs
    matching, so pages without such quotes pay nothing. Lines are kept whole and cut into
    clauses (text between sentence punctuation); a line "matches" when most of its words sit
    in clauses seen before, so partial and cut-off quotes still match.
    """

    def __init__(self) -> None:
        self._keys: dict[str | None, set[str]] = {}
        self._pending: dict[str | None, list[list[str]]] = {}

    def add(self, author: str | None, lines: Iterable[str]) -> None:
        """Queue lines written (or quoted) by `author`."""
        self._pending.setdefault(author, []).append(list(lines))
        self._keys.setdefault(author, set())

    def _flush(self, authors: Iterable[str | None]) -> None:
        for author in authors:
            keys = self._keys[author]
            for lines in self._pending.pop(author, ()):
                for line in lines:
                    whole, clauses = _clauses(line)
                    keys.add(whole)
                    keys.update(key for key, _ in clauses)

    def matches(self, author: str | None, line: str) -> bool:
        """Whether `line` repeats text seen before (from `author` when they posted before)."""
        whole, clauses = _clauses(line)
        if not whole:
            return False
        authors = [author, None] if author in self._keys else list(self._keys)
        authors = [a for a in authors if a in self._keys]
        self._flush(authors)
        sets = [self._keys[a] for a in authors]
        if any(whole in keys for keys in sets):
            return True
        total = sum(size for _, size in clauses)
        seen = sum(size for key, size in clauses if any(key in keys for keys in sets))
        return total >= 4 and seen >= 0.6 * total


_CLAUSE_BREAK = re.compile(r"[.!?;:()\"“”\[\]]+")
_EDGE = " ,'\u2019\u2018-\u2013\u2014*_"


@lru_cache(maxsize=1 << 12)
def _clauses(line: str) -> tuple[str, tuple[tuple[str, int], ...]]:
    """The line as a key, and (key, word count) of each clause of two words or more."""
    low = " ".join(line.lower().split())
    out: list[tuple[str, int]] = []
    for clause in _CLAUSE_BREAK.split(low):
        key = clause.strip(_EDGE)
        if " " in key:
            out.append((key, key.count(" ") + 1))
    return low.strip(_EDGE + '.!?;:"“”'), tuple(out)


# ---------------------------------------------------------------- splitting a post
def _indent_of(lines: Sequence[Line]) -> int:
    indents = [x.indent for x in lines if x.text]
    return min(indents) if indents else 0


def split_quotes(lines: Sequence[Line], index: TextIndex) -> tuple[list[str], list[ParsedQuote]]:
    """Body lines ("" = paragraph break) and quotes of one post's cleaned lines."""
    base = _indent_of(lines)
    body: list[str] = []
    quotes: list[ParsedQuote] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.text:
            body.append("")
            i += 1
            continue
        deeper = line.indent >= base + 3
        head = parse_quote_header(line.text, glued_ok=deeper)
        if head is not None:
            i, quote = _quote_after(lines, i, head, base, index)
        elif line.text.startswith(">"):
            end = _gt_end(lines, i)
            quote = _gt_quote(lines[i:end], QuoteHeader(None, None), index)
            i = end
        elif deeper:
            end = _indented_end(lines, i, base)
            quote = _block_quote(lines[i:end], QuoteHeader(None, None), index)
            i = end
        else:
            body.append(line.text)
            i += 1
            continue
        quotes.append(quote)
        body.append("")
    return body, quotes


def _next_text(lines: Sequence[Line], i: int) -> int:
    while i < len(lines) and not lines[i].text:
        i += 1
    return i


def _gt_end(lines: Sequence[Line], i: int) -> int:
    end = i
    while i < len(lines) and (not lines[i].text or lines[i].text.startswith(">")):
        if lines[i].text:
            end = i + 1
        i += 1
    return end


def _gt_quote(lines: Sequence[Line], head: QuoteHeader, index: TextIndex) -> ParsedQuote:
    inner = [Line(re.sub(r"^>\s?", "", x.text), 0) for x in lines]
    return _block_quote(inner, head, index)


def _indented_end(lines: Sequence[Line], i: int, base: int) -> int:
    end = i
    while i < len(lines) and (not lines[i].text or lines[i].indent >= base + 3):
        if lines[i].text:
            end = i + 1
        i += 1
    return end


def _block_quote(block: Sequence[Line], head: QuoteHeader, index: TextIndex) -> ParsedQuote:
    kept = [x for x in block if x.text.lower() not in EXPAND_TEXTS]
    text, nested = split_quotes(kept, index)
    return ParsedQuote(head.author, join_paragraphs(text), head.time_text, nested)


def _quote_after(
    lines: Sequence[Line], i: int, head: QuoteHeader, base: int, index: TextIndex
) -> tuple[int, ParsedQuote]:
    """The quote a header line opens, and where the post's own text resumes."""
    glued = [Line(head.rest, lines[i].indent)] if head.rest else []
    k = _next_text(lines, i + 1)
    if not glued and k < len(lines) and lines[k].text.startswith(">"):
        end = _gt_end(lines, k)
        return end, _gt_quote(lines[k:end], head, index)
    deeper = lines[i].indent >= base + 3 or (k < len(lines) and lines[k].indent >= base + 3)
    if deeper:
        end = _indented_end(lines, i + 1, base)
        return end, _block_quote(glued + list(lines[i + 1 : end]), head, index)
    expand = _expand_end(lines, i + 1)
    if expand is not None:
        return expand + 1, _block_quote(glued + list(lines[i + 1 : expand]), head, index)
    end = _matched_end(lines, i + 1, head.author, index)
    if end == i + 1 and not glued:
        end = _first_paragraph_end(lines, i + 1)
    return end, _block_quote(glued + list(lines[i + 1 : end]), head, index)


def _expand_end(lines: Sequence[Line], i: int) -> int | None:
    """The "Click to expand..." line that closes a quote box, if one comes first."""
    for k in range(i, min(len(lines), i + 400)):
        text = lines[k].text
        if text.lower() in EXPAND_TEXTS[:2]:
            return k
        if text and parse_quote_header(text) is not None:
            return None
    return None


def _matched_end(lines: Sequence[Line], i: int, author: str | None, index: TextIndex) -> int:
    end = i
    while i < len(lines):
        text = lines[i].text
        if text:
            if not index.matches(author, text):
                break
            end = i + 1
        i += 1
    return end


def _first_paragraph_end(lines: Sequence[Line], i: int) -> int:
    """After the first paragraph, or after the first line when no blank line follows it."""
    k = _next_text(lines, i)
    last = max((j for j in range(k, len(lines)) if lines[j].text), default=k)
    if all(x.text for x in lines[k:last]):
        return min(k + 1, len(lines))
    while k < len(lines) and lines[k].text:
        k += 1
    return k
