"""Reddit text pages, old and new: comment bodies with their quotes, and where a thread ends."""

from __future__ import annotations

import re

from labeler.ingest.engines.base import indent_width, join_paragraphs
from labeler.ingest.engines.reddit.shapes import is_control
from labeler.ingest.model import ParsedQuote

_QUOTE_INDENT = 4


def body_and_quotes(lines: list[str]) -> tuple[str, list[ParsedQuote]]:
    """Own text and blockquotes: paragraphs indented as a whole (as text browsers print them)."""
    kept: list[str] = []
    indented = False
    for line in lines:
        if not is_control(line):
            kept.append(line)
            indented = indented or (line[:1] in (" ", "\t", "\xa0") and bool(line.strip()))
    if not indented:
        return join_paragraphs(kept), []
    filled = [indent_width(x) for x in kept if x.strip()]
    base = min(filled) if filled else 0
    own: list[str] = []
    quotes: list[ParsedQuote] = []
    block: list[str] = []
    for line in [*kept, ""]:
        if line.strip():
            block.append(line)
            continue
        if block and all(indent_width(x) >= base + _QUOTE_INDENT for x in block):
            quotes.append(ParsedQuote(None, join_paragraphs(block)))
        else:
            own.extend(block)
        own.append("")
        block = []
    return join_paragraphs(own), quotes


def end_of(lines: list[str], start: int, pattern: re.Pattern[str]) -> int:
    """The first line from `start` on that `pattern` matches (stripped); the end if none."""
    for j in range(start, len(lines)):
        if pattern.match(lines[j].strip()):
            return j
    return len(lines)
