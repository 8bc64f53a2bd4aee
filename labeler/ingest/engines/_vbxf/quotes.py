"""Quotes in vBulletin and XenForo text: a header line, then the quoted lines.

XenForo closes a quote with "Click to expand..."; vBulletin prints no end, so a quote ends
where its indentation does or where it stops repeating an earlier post on the page.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from labeler.ingest.engines._vbxf.lines import clean, indent, is_blank, norm
from labeler.ingest.engines.base import join_paragraphs
from labeler.ingest.model import ParsedQuote


@dataclass(slots=True)
class _Source:
    lines: frozenset[str]
    text: str


@dataclass(slots=True)
class SourceIndex:
    """The last few posts of each author, to tell where an unmarked quote ends."""

    keep: int = 30
    by_author: dict[str, deque[_Source]] = field(default_factory=lambda: defaultdict(deque))
    recent: deque[_Source] = field(default_factory=deque)

    def add(self, author: str | None, text: str) -> None:
        """Remember a parsed post's text."""
        lines = [norm(x) for x in text.splitlines() if x.strip()]
        source = _Source(frozenset(lines), " ".join(lines))
        for bucket in (self.by_author[author or ""], self.recent):
            bucket.append(source)
            if len(bucket) > self.keep:
                bucket.popleft()

    def matches(self, author: str | None, line: str) -> bool:
        """True when `line` is (part of) a line of an earlier post by `author`."""
        text = norm(line)
        pool: Iterable[_Source] = self.by_author.get(author or "") or self.recent
        for source in pool:
            if text in source.lines or (len(text) >= 10 and text in source.text):
                return True
        return False


# ---------------------------------------------------------------- quotes in text
QuoteHead = Callable[[str], tuple[str | None, str | None] | None]


@dataclass(frozen=True, slots=True)
class QuoteStyle:
    """How an engine prints quotes in text: a header line and, maybe, an end marker."""

    head: QuoteHead
    end: re.Pattern[str] | None = None
    skip_after_end: re.Pattern[str] | None = None


def _base_indent(lines: list[str]) -> int:
    return min((indent(x) for x in lines if not is_blank(x)), default=0)


def _pair_markers(lines: list[str], style: QuoteStyle) -> dict[int, int]:
    """Header line → the end-marker line that closes it (nesting respected), in one pass."""
    pairs: dict[int, int] = {}
    if style.end is None:
        return pairs
    open_heads: list[int] = []
    for k, raw in enumerate(lines):
        if is_blank(raw):
            continue
        text = clean(raw)
        if style.end.match(text):
            if open_heads:
                pairs[open_heads.pop()] = k
        elif style.head(text) is not None:
            open_heads.append(k)
    return pairs


def _unmarked_stop(
    lines: list[str],
    span: tuple[int, int],
    base: int,
    style: QuoteStyle,
    sources: SourceIndex,
    who: str | None,
) -> int:
    """End (exclusive) of a quote with no end marker: indentation, then earlier posts."""
    start, limit = span
    first = next((k for k in range(start, limit) if not is_blank(lines[k])), limit)
    if first == limit:
        return first
    end = first
    while end < limit and not (not is_blank(lines[end]) and style.head(clean(lines[end]))):
        end += 1
    level = indent(lines[first])
    if level > base:
        stop = first
        for k in range(first, end):
            if not is_blank(lines[k]):
                if indent(lines[k]) < level:
                    break
                stop = k + 1
        return stop
    matched = first - 1
    for k in range(first, end):
        if is_blank(lines[k]):
            continue
        if not sources.matches(who, lines[k]):
            break
        matched = k
    if matched >= first:
        return matched + 1
    return _fallback_stop(lines, first, end)


def _fallback_stop(lines: list[str], first: int, end: int) -> int:
    """No clue where the quote ends: its first paragraph, or its first line, leaving a reply."""
    blank = next((k for k in range(first, end) if is_blank(lines[k])), end)
    if any(not is_blank(x) for x in lines[blank:end]):
        return blank
    nonblank = [k for k in range(first, end) if not is_blank(lines[k])]
    return nonblank[0] + 1 if len(nonblank) > 1 else end


def split_quotes(
    lines: list[str], style: QuoteStyle, sources: SourceIndex
) -> tuple[list[str], list[ParsedQuote]]:
    """(own lines, quotes) of a post's content lines; quote text comes without its header."""
    pairs = _pair_markers(lines, style)
    return _split(lines, 0, len(lines), style, sources, pairs, _base_indent(lines))


def _split(
    lines: list[str],
    start: int,
    stop: int,
    style: QuoteStyle,
    sources: SourceIndex,
    pairs: dict[int, int],
    base: int,
) -> tuple[list[str], list[ParsedQuote]]:
    own: list[str] = []
    quotes: list[ParsedQuote] = []
    i = start
    while i < stop:
        text = "" if is_blank(lines[i]) else clean(lines[i])
        head = style.head(text) if text else None
        if head is None:
            if not (text and style.end is not None and style.end.match(text)):
                own.append(lines[i])  # a stray end marker is dropped
            i += 1
            continue
        author, time_text = head
        end = pairs.get(i)
        if end is not None and end < stop:
            inner, nested = _split(lines, i + 1, end, style, sources, pairs, base)
            i = end + 1
            while i < stop and (is_blank(lines[i]) or _skips(style, lines[i])):
                i += 1
        else:
            end = _unmarked_stop(lines, (i + 1, stop), base, style, sources, author)
            inner, nested = lines[i + 1 : end], []
            i = end
        quotes.append(ParsedQuote(author, join_paragraphs(inner), time_text, nested))
        own.append("")
    return own, quotes


def _skips(style: QuoteStyle, raw: str) -> bool:
    return style.skip_after_end is not None and bool(style.skip_after_end.match(clean(raw)))
