"""Quotes in Discourse text: a "user:" title, then the quoted lines.

Text browsers indent the quoted block; a browser copy does not, so there the quote is the
run of lines that repeat an earlier post on the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from labeler.ingest.engines.base import indent_width, join_paragraphs
from labeler.ingest.model import ParsedQuote

_QUOTE_HEAD = re.compile(r"^(?P<who>[^\s:][^:]{0,59}?):(?:\s+(?P<topic>.{1,200}))?$")
_PLACEHOLDER = re.compile(r"^(?:\[[^\]]{0,60}\]\s*)+")
_BULLET = re.compile(r"^(?:[•*·◦▪‣\u2013-]|\d{1,3}[.)])\s")
_INDENT_STEP = 2


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(slots=True)
class Seen:
    """Earlier posts on the page, to find where an unindented quote ends (indexed lazily)."""

    authors: set[str] = field(default_factory=set)
    bodies: list[str] = field(default_factory=list)
    indexed: int = 0
    lines: set[str] = field(default_factory=set)

    def add(self, author: str | None, body: str) -> None:
        if author:
            self.authors.add(author.casefold())
        self.bodies.append(body)

    def has(self, line: str) -> bool:
        for body in self.bodies[self.indexed :]:
            self.lines.update(_norm(p) for p in body.split("\n") if p.strip())
        self.indexed = len(self.bodies)
        return _norm(line) in self.lines


def split_quotes(lines: list[str], seen: Seen) -> tuple[list[str], list[ParsedQuote]]:
    """Own lines and quotes: a "who:" line then an indented block, or known repeated lines."""
    own: list[str] = []
    quotes: list[ParsedQuote] = []
    i = 0
    while i < len(lines):
        end = _quote_end(lines, i, seen)
        if end is None:
            own.append(lines[i])
            i += 1
            continue
        who = _quote_head(lines[i])
        assert who is not None
        inner = _dedent(lines[i + 1 : end])
        inner_own, nested = split_quotes(inner, seen)
        quotes.append(ParsedQuote(who["who"].strip(), join_paragraphs(inner_own), quotes=nested))
        own.append("")
        i = end
    return own, quotes


def _next_filled(lines: list[str], start: int) -> int | None:
    for j in range(start, min(len(lines), start + 4)):
        if lines[j].strip():
            return j
    return None


def _quote_head(line: str) -> re.Match[str] | None:
    """A quote title: "user:" (after an avatar placeholder), maybe with the quoted topic."""
    if ":" not in line or len(line) > 300:
        return None
    head = _PLACEHOLDER.sub("", line.strip())
    m = _QUOTE_HEAD.match(head) if head.endswith(":") or ": " in head else None
    if m is None or len(m["who"].split()) > 3 or (m["topic"] and " " in m["who"].strip()):
        return None
    return m


def _quote_end(lines: list[str], i: int, seen: Seen) -> int | None:
    """Index after the quote that starts at line i, or None when line i heads no quote."""
    m = _quote_head(lines[i])
    if m is None:
        return None
    first = _next_filled(lines, i + 1)
    if first is None:
        return None
    base = indent_width(lines[i])
    if indent_width(lines[first]) >= base + _INDENT_STEP and not _BULLET.match(
        lines[first].strip()
    ):
        end = first
        while end < len(lines) and (not lines[end].strip() or indent_width(lines[end]) > base):
            end += 1
        return end
    if m["who"].strip().casefold() not in seen.authors or m["topic"]:
        return None
    return _repeated_end(lines, first, seen)


def _repeated_end(lines: list[str], first: int, seen: Seen) -> int:
    """An unindented quote: the lines that repeat earlier posts (at least the first one)."""
    end = first + 1
    while end < len(lines):
        if lines[end].strip() and not seen.has(lines[end]):
            break
        end += 1
    while end > first + 1 and not lines[end - 1].strip():
        end -= 1
    return end


def _dedent(lines: list[str]) -> list[str]:
    filled = [indent_width(x) for x in lines if x.strip()]
    cut = min(filled) if filled else 0
    return [x[cut:] if x.strip() else "" for x in lines]
