"""Text pages: read each post's lines into a post (header, body, quotes, notes, tallies)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from labeler.ingest.engines.base import join_paragraphs
from labeler.ingest.engines.generic.drafts import Draft, set_parent, strip_signatures
from labeler.ingest.engines.generic.headers import header_shape, name_in_header
from labeler.ingest.engines.generic.lines import (
    LEVEL,
    PAGE_END,
    POSTNUM,
    SENTENCE_END,
    SIG_DASHES,
    SUBJECT,
    Line,
    find_time,
    is_user_title,
    name_of_line,
    unbullet,
)
from labeler.ingest.engines.generic.notes import Role, line_role, parse_edit_note, parse_reaction
from labeler.ingest.engines.generic.quotes import TextIndex, parse_quote_header, split_quotes
from labeler.ingest.engines.generic.spans import (
    Span,
    boilerplate_lines,
    find_headers,
    footer_spans,
    header_spans,
    read_lines,
)
from labeler.ingest.model import ParsedPost

_TITLE_PREFIX = re.compile(r"^(?:thread|topic|subject|title)\s*:\s*", re.I)
_POST_NO = re.compile(r"#\s?(\d+)\b")
_POINTS = re.compile(r"(?<![\w#])(-?\d+)\s+(points?|votes?)\b", re.I)
_META_SPLIT = re.compile(r"\s*[|·•]\s*")
_OP = re.compile(r"^original poster\s*", re.I)


class TextReader:
    """Reads the posts of a text page once its spans are known, in page order."""

    def __init__(self, lines: Sequence[Line], spans: Sequence[Span]) -> None:
        self.lines = lines
        self.spans = spans
        self.boiler = boilerplate_lines(lines, spans)
        self.index = TextIndex()
        first = spans[0].start if spans else 0
        self.preamble = {_title_key(x.text) for x in lines[:first] if x.text}
        indents = sorted({lines[s.header].indent for s in spans if s.header is not None})
        self.header_indents = indents if len(indents) > 1 else []

    def read(self) -> list[Draft]:
        """Every span as a draft post; spans with nothing left in them are dropped."""
        drafts: list[Draft] = []
        for k, span in enumerate(self.spans):
            end = self._page_end(span) if k == len(self.spans) - 1 else span.end
            draft = self._read_span(span, end)
            set_parent(draft, drafts)
            if draft.has_text():
                drafts.append(draft)
        strip_signatures(drafts)
        return drafts

    def _page_end(self, span: Span) -> int:
        for i in range((span.header or span.start) + 1, span.end):
            text = self.lines[i].text
            if text and len(text) <= 200 and PAGE_END.match(unbullet(text)):
                return i
        return span.end

    def _read_span(self, span: Span, end: int) -> Draft:
        draft = Draft()
        first = span.start
        if span.header is not None:
            self._read_header(span, draft)
            first = span.header + 1
        body = [self.lines[i] for i in range(first, end) if i != span.author_line]
        kept = clean_region(body, draft, self.boiler)
        kept = self._take_subject(kept, draft)
        kept = _take_dash_signature(kept, draft)
        draft.lines, draft.quotes = split_quotes(kept, self.index)
        self.index.add(draft.author, draft.lines)
        for quote in draft.quotes:
            self.index.add(quote.author, quote.text.split("\n"))
        return draft

    def _read_header(self, span: Span, draft: Draft) -> None:
        assert span.header is not None
        line = self.lines[span.header]
        if shape := header_shape(line.text):
            draft.time_text = shape.time_text
            header_extras(line.text, shape.start, shape.end, draft)
        if span.author_line == span.header:
            draft.author = name_in_header(line.text)
        elif span.author_line is not None:
            draft.author = name_of_line(self.lines[span.author_line].text)
        self._read_preheader(span, draft)
        if self.header_indents and draft.depth is None:
            draft.depth = self.header_indents.index(line.indent)

    def _read_preheader(self, span: Span, draft: Draft) -> None:
        """Rank, post number, subject and "level N" printed just above the header."""
        assert span.header is not None
        seen = 0
        for i in range(span.header - 1, max(0, span.header - 12) - 1, -1):
            if not self.lines[i].text:
                continue
            seen += 1
            kind, value = _preheader_line(self.lines[i].text)
            if kind == "level" and draft.depth is None:
                draft.depth = int(value)
            elif kind == "postnum" and draft.post_number is None:
                draft.post_number = int(value)
            elif kind == "title" and i > span.start and draft.user_title is None:
                draft.user_title = value
            elif kind == "subject" and i >= span.start and draft.subject is None:
                draft.subject = value
            if seen >= 3 and i <= span.start:
                break

    def _take_subject(self, kept: list[Line], draft: Draft) -> list[Line]:
        """A first line that is the thread title ("Re: X", or a title printed above the posts)."""
        texts = [i for i, x in enumerate(kept) if x.text]
        if len(texts) < 2:
            return kept
        first = kept[texts[0]].text
        titled = _title_key(first) in self.preamble and len(first) <= 120
        if SUBJECT.match(first) or (titled and parse_quote_header(first) is None):
            draft.subject = draft.subject or first
            return kept[texts[0] + 1 :]
        return kept


@lru_cache(maxsize=1 << 16)
def _preheader_line(text: str) -> tuple[str, str]:
    """What a line above a post header tells: ("level"|"postnum"|"title"|"subject", value)."""
    plain = unbullet(text)
    if m := LEVEL.match(plain):
        return "level", m.group(1)
    if m := POSTNUM.match(text):
        return "postnum", m.group(1)
    if is_user_title(plain):
        return "title", plain
    if SUBJECT.match(plain):
        return "subject", plain
    return "", ""


def _take_dash_signature(kept: list[Line], draft: Draft) -> list[Line]:
    """Everything after a "-- " line (the e-mail signature separator) is the signature."""
    for i, line in enumerate(kept):
        if SIG_DASHES.match(line.text) and any(x.text for x in kept[:i]):
            draft.signature = join_paragraphs([x.text for x in kept[i + 1 :]]) or None
            return kept[:i]
    return kept


def _title_key(text: str) -> str:
    """A line as a thread title may be printed before the posts ("Thread: X", "• X")."""
    return _TITLE_PREFIX.sub("", unbullet(text)).lower()


def header_extras(text: str, start: int, end: int, draft: Draft) -> None:
    """Post number, vote tally and edit note printed on the header line itself."""
    if m := _POST_NO.search(text):
        draft.post_number = int(m.group(1))
    if m := _POINTS.search(text):
        unit = "points" if m.group(2).lower().startswith("point") else "votes"
        draft.add_reaction((unit, int(m.group(1))))
    for piece in _META_SPLIT.split(text[:start] + " · " + text[end:]):
        part = _OP.sub("", piece.strip())
        if reaction := parse_reaction(part):
            draft.add_reaction(reaction)
        elif part.lower().startswith("edited") and find_time(part):
            draft.note_edit(None, part)
        elif edit := parse_edit_note(part.strip(" ()")):
            draft.note_edit(*edit)


def clean_region(
    lines: Sequence[Line], draft: Draft, boiler: set[str] | frozenset[str] = frozenset()
) -> list[Line]:
    """Drop buttons, profile blocks, status lines; move edit notes and tallies to the draft."""
    out: list[Line] = []
    value_next = False
    avatar: int | None = None  # where an avatar line was dropped: a profile block starts there
    for line in lines:
        text = line.text
        if not text:
            out.append(line)
            continue
        if value_next:
            value_next = False
            if len(text) <= 40:
                continue
        role = line_role(text)
        if role.kind == "profile":
            _drop_profile_above(out, line.indent, avatar)
            value_next = role.value_next
        elif (role.kind == "text" and text not in boiler) or (
            role.kind == "reason" and draft.edited_text is None
        ):
            out.append(line)
        else:
            if "avatar" in text.lower():
                avatar = len(out)
            _record(role, draft)
    return out


def _record(role: Role, draft: Draft) -> None:
    if role.kind == "postnum":
        draft.post_number = draft.post_number or role.number
    elif role.kind == "edit":
        draft.note_edit(role.editor, role.note)
    elif role.kind == "reaction" and role.reaction is not None:
        draft.add_reaction(role.reaction)
    elif role.kind == "subject":
        draft.subject = draft.subject or role.note


def _drop_profile_above(out: list[Line], indent: int, avatar: int | None) -> None:
    """A profile field ("Posts: 12") drops the name/rank lines just above it: back to a
    dropped avatar line when there was one close by, else a few short lines."""
    texts = [i for i, x in enumerate(out) if x.text]
    if avatar is not None and len([i for i in texts if i >= avatar]) <= 4:
        del out[avatar:]
        return
    dropped = 0
    while out and dropped < 4:
        line = out[-1]
        if not line.text:
            out.pop()
            continue
        same_block = 0 < indent <= line.indent and len(line.text) <= 80
        short = len(line.text) <= 32 and not SENTENCE_END.search(line.text)
        if not (same_block or (short and "," not in line.text)):
            return
        out.pop()
        dropped += 1


def parse_text(text: str) -> list[ParsedPost]:
    """The posts of a forum-like text page (none when it is not forum-like)."""
    lines = read_lines(text)
    headers = find_headers(lines)
    spans = header_spans(lines, headers) if len(headers) >= 2 else footer_spans(lines)
    if not spans:
        return []
    return [d.to_post() for d in TextReader(lines, spans).read()]
