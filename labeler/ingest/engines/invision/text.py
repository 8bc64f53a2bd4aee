"""IPS topic pages from text (w3m, lynx, browser copy): posts are cut at their separators.

Posts end with "Link to comment / Share on other sites" (IPS 4) or "Back to top" (IPS 3);
pages without them are cut at the author panes above "Posted <date>" lines. Each post then
splits into a header (author, date, number), a body with quotes (`quotes.QuoteReader`) and a
tail (edit note, reaction bar, buttons, signature).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import partial

from labeler.ingest.engines.invision.lines import Lines
from labeler.ingest.engines.invision.quotes import QuoteReader
from labeler.ingest.engines.invision.shapes import (
    GAP,
    RECOMMENDED,
    bulleted,
    debullet,
    is_time,
    may_be_gap,
    name_of,
    posted_time,
)
from labeler.ingest.engines.invision.tail import TAIL_LINES, post_tail, tail_kind
from labeler.ingest.model import PageKind, ParsedPage, ParsedPost

# A separator line, cleaned (stripped, spaces collapsed), with the words IPS prints in it.
_SEPARATOR_LINE = re.compile(
    r"(?:\[\d+\])?(?:[•*·◦▪‣+#□■\u2013-] )?"
    r"(?:Link to (?:comment|post)(?: Share on other sites)?|Share on other sites"
    r"|Share this post|Back to top)",
    re.I,
)
_SEPARATOR_WORDS = ("Link to ", "Share on other sites", "Share this post", "Back to top")
_SEPARATOR_ENDS = frozenset("tspTSP")  # last letters of the separators: a cheap first test
_PLAIN_SEPARATORS = frozenset(
    {"Link to comment", "Link to post", "Share on other sites", "Share this post", "Back to top"}
)
_BYLINE = re.compile(r"(?:Started\s+)?By\s+(?P<name>[^,]+?)(?:,.*)?", re.I)
_UI_LINE = re.compile(r"(?:Followers?\s*\d*|Share|Reply to this topic|Start new topic|Page \d.*)")
_NAME_LIKE = re.compile(r"[^\s.!?]{1,40}(?:\s[^\s.!?]{1,20}){0,3}")
_PAGE_OF = re.compile(r"Page (\d+) of \d+", re.I)
# The pager above the posts ("Prev", "1", "2", "Next", "Page 2 of 3"): never the title.
_PAGINATION = re.compile(
    r"(?:prev(?:ious)?|next|first|last|page \d+ of \d+|\d{1,5}|[«»\u2039\u203a<>]{1,2})(?: page)?",
    re.I,
)
_POST_NUMBER = re.compile(r"(?:Post\s+)?#(\d+)")


def _is_separator(text: str) -> bool:
    if text in _PLAIN_SEPARATORS:
        return True
    return bool(_SEPARATOR_LINE.fullmatch(text)) and any(w in text for w in _SEPARATOR_WORDS)


def _separator_lines(lines: Lines) -> list[int]:
    """The separator lines, in order (their last letter is a cheap first test)."""
    text, ends = lines.text, _SEPARATOR_ENDS
    plain = _PLAIN_SEPARATORS
    return [
        i
        for i in lines.nonblank
        if text[i][-1] in ends and (text[i] in plain or _is_separator(text[i]))
    ]


def _separator_groups(lines: Lines) -> list[tuple[int, int]]:
    """(first, end) line ranges of the "Link to comment / Share on other sites" groups."""
    firsts: list[int] = []
    lasts: list[int] = []  # line after each group
    last = -10
    for line in _separator_lines(lines):
        if line == last or (line - last <= 4 and _only_filler(lines, last, line)):
            lasts[-1] = last = line + 1
        else:
            firsts.append(line)
            lasts.append(line + 1)
            last = line + 1
    return list(zip(firsts, map(partial(_skip_filler, lines), lasts), strict=True))


def _is_filler(text: str) -> bool:
    bulleted, text = debullet(text)
    return not text or text.startswith(("http://", "https://")) or (bulleted and len(text) <= 2)


def _only_filler(lines: Lines, lo: int, hi: int) -> bool:
    return hi - lo <= 4 and all(_is_filler(t) for t in lines.text[lo:hi])


def _is_bullet_only(line: str) -> bool:
    return not line[0].isalpha() and bulleted(line) and not debullet(line)[1]


def _skip_filler(lines: Lines, i: int) -> int:
    """The first line from i on with some text (not only a bullet)."""
    nonblank, text = lines.nonblank, lines.text
    k = lines.rank[i]
    while k < len(nonblank) and _is_bullet_only(text[nonblank[k]]):
        k += 1
    return nonblank[k] if k < len(nonblank) else len(text)


def _chunks(lines: Lines) -> list[tuple[int, int]]:
    """Line ranges holding one post each (the first may start with the page header)."""
    groups = _separator_groups(lines)
    if groups:
        firsts = [0] + [hi for _, hi in groups[:-1]]
        return [(s, lo) for s, (lo, _) in zip(firsts, groups, strict=True)]
    starts: list[int] = []
    last = -1
    dated = (i for i in lines.nonblank if "osted" in lines.text[i] and posted_time(lines.text[i]))
    for p in dated:
        if not starts or not _same_header(lines, starts[-1], last, p):
            starts.append(_author_line_before(lines, p))
        last = p
    if not starts:
        return []
    starts[0] = 0
    return list(zip(starts, [*starts[1:], len(lines)], strict=True))


def _same_header(lines: Lines, start: int, last: int, posted: int) -> bool:
    """Two date lines of one post header (IPS 4 prints a phone pane and a desktop pane)."""
    between = [t for t in lines.text[last + 1 : posted] if t]
    name = name_of(lines.text[start])
    return (
        posted - last <= 14 and all(len(t) <= 60 for t in between) and name in map(name_of, between)
    )


def _author_line_before(lines: Lines, posted: int) -> int:
    """Where the author pane above a "Posted" line starts (with a "#2" line above it)."""
    start = posted
    for i in range(posted - 1, max(-1, posted - 4), -1):
        bulleted, text = debullet(lines.text[i])
        if text and not bulleted:
            start = i
            break
    for i in range(start - 1, max(-1, start - 3), -1):
        if lines.text[i]:
            return i if _POST_NUMBER.fullmatch(lines.text[i]) else start
    return start


@dataclass
class _Header:
    title: str | None = None
    op_author: str | None = None
    start: int = 0  # where the first post's lines begin


def _page_header(lines: Lines, lo: int, hi: int) -> _Header:
    """Title, topic starter and where the first post starts, from the first chunk."""
    texts = lines.text
    mark = next((i for i in range(lo, hi) if RECOMMENDED.fullmatch(debullet(texts[i])[1])), None)
    posted = next((i for i in range(lo, hi) if posted_time(texts[i])), None)
    if mark is not None:
        start = mark + 1
    elif posted is not None:
        start = _author_line_before(lines, posted)
    else:
        return _Header(start=lo)
    above = [debullet(t)[1] for t in texts[lo : mark if mark is not None else start]]
    later_page = any(int(m[1]) > 1 for t in above if (m := _PAGE_OF.fullmatch(t)))
    above = [t for t in above if t and not _UI_LINE.fullmatch(t) and not _PAGINATION.fullmatch(t)]
    header = _Header(start=start)
    for k, text in enumerate(above):
        m = _BYLINE.fullmatch(text)
        if m and k > 0:
            header.title, header.op_author = above[k - 1], m["name"].strip()
            break
    else:
        name_like = bool(above) and _NAME_LIKE.fullmatch(above[-1]) and not is_time(above[-1])
        if mark is not None and len(above) >= 2 and name_like:
            header.title, header.op_author = above[-2], above[-1]
        elif mark is not None and above:
            header.title = above[-1]
    if later_page:  # the topic starter's name, but page 2 opens with someone else's post
        header.op_author = None
    return header


@dataclass(slots=True)
class _Meta:
    author: str | None = None
    time_text: str | None = None
    post_number: int | None = None
    body_lo: int = 0


def _post_head(lines: Lines, lo: int, hi: int) -> _Meta:
    """The post header of a chunk, after the time-gap markers that may open it."""
    text, nonblank = lines.text, lines.nonblank
    k = lines.rank[lo]
    if k < len(nonblank) and (first := nonblank[k]) < hi:
        line = text[first]
        if not (bulleted(line) or may_be_gap(line)):  # no gap marker to skip
            # Most posts have no header: no "Posted" line before their first long line.
            for j in range(k, min(k + 41, len(nonblank))):
                line = text[nonblank[j]]
                if nonblank[j] >= hi or len(line) > 80 or "osted" in line:
                    break
            if nonblank[j] >= hi or "osted" not in line:
                return _Meta(body_lo=first)
    return _post_meta(lines, _strip_gap(lines, lo, hi), hi)


def _post_meta(lines: Lines, lo: int, hi: int) -> _Meta:
    """Author and time from a post's own header (author pane + "Posted <time>"), if printed."""
    meta = _Meta(body_lo=lo)
    texts, nonblank = lines.text, lines.nonblank
    k = lines.rank[lo]
    seen = 0
    while k < len(nonblank) and nonblank[k] < hi:
        text = texts[nonblank[k]]
        seen += 1
        if "osted" in text and (time_text := posted_time(text)):
            meta.time_text, meta.body_lo = time_text, nonblank[k] + 1
        elif seen > 40 or len(text) > 80:
            break
        k += 1
    for i in range(lo, meta.body_lo):
        bulleted, text = debullet(texts[i])
        if number := _POST_NUMBER.fullmatch(text):
            meta.post_number = int(number[1])
        elif text and not bulleted and not posted_time(text) and not GAP.fullmatch(text):
            meta.author = meta.author or name_of(text)
    return meta


def _strip_gap(lines: Lines, lo: int, hi: int) -> int:
    """Skip the blank lines and time-gap markers ("2 weeks later...") that open a chunk."""
    nonblank, text = lines.nonblank, lines.text
    k = lines.rank[lo]
    while k < len(nonblank) and nonblank[k] < hi:
        line = text[nonblank[k]]
        plain = debullet(line)[1] if bulleted(line) else line
        if plain and not (may_be_gap(plain) and GAP.fullmatch(plain)):
            return nonblank[k]
        k += 1
    return hi


def parse_text(text: str) -> ParsedPage:
    """Posts and title of an IPS topic page from its text rendering."""
    return _parse_text(text)


def _parse_text(text: str) -> ParsedPage:
    lines = Lines(text)
    chunks = _chunks(lines)
    header = _page_header(lines, *chunks[0]) if chunks else _Header()
    reader = QuoteReader(lines)
    posts: list[ParsedPost] = []
    for n, (lo, hi) in enumerate(chunks):
        op_author = header.op_author if n == 0 else None
        post = _text_post(reader, header.start if n == 0 else lo, hi, len(posts), op_author)
        if post is not None:
            posts.append(post)
    return ParsedPage("invision", PageKind.FORUM, header.title, posts)


def _text_post(
    reader: QuoteReader, lo: int, hi: int, number: int, op_author: str | None
) -> ParsedPost | None:
    """One chunk as the page's post `number`; its lines then become quote sources."""
    lines = reader.lines
    rows = lines.nonblank_in(lo, hi)
    if body_rows := _simple_body(lines, rows, hi):  # the common post, in one step
        own_block = reader.next_block
        reader.next_block += 1
        reader.lines_of = {own_block: [lines.text[i] for i in rows[:body_rows]]}
        reader.keep(own_block, number, op_author)
        tally = tail_kind(lines.text[rows[-1]])[1] if body_rows < len(rows) else None
        return ParsedPost(
            body=lines.paragraphs(rows[:body_rows]),
            author=op_author,
            reactions=[tally] if tally else [],
        )
    meta = _post_head(lines, lo, hi)
    tail = post_tail(lines, meta.body_lo, hi)
    reader.lines_of = {}
    own_block = reader.next_block
    body, quotes = reader.read(meta.body_lo, tail.body_hi)
    if not body and not quotes:
        return None
    author = meta.author or op_author
    reader.keep(own_block, number, author)
    return ParsedPost(
        body=body,
        author=author,
        time_text=meta.time_text,
        quotes=quotes,
        reactions=tail.reactions,
        edited_by=tail.edited_by,
        edited_text=tail.edited_text,
        signature=tail.signature,
        post_number=meta.post_number,
    )


def _simple_body(lines: Lines, rows: list[int], hi: int) -> int:
    """How many of a chunk's lines are its body when the post is simple, else 0.

    Simple: lines of plain text (no post header, citation, edit note or signature), the last
    one maybe a reaction tally. What `_post_head`, `_post_tail` and `QuoteReader.read` find
    for such a post, found with less work.
    """
    if not rows:
        return 0
    text = lines.text
    first = text[rows[0]]
    if not first[0].isalpha() or len(first) <= 80 or "osted" in first or may_be_gap(first):
        return 0
    body = len(rows)
    for k, i in enumerate(rows):
        line = text[i]
        if len(line) < 160 and (
            len(line) <= 14
            or line[-1].isdigit()
            or "dited" in line
            or (not line[0].isalpha() and bulleted(line))
        ):  # as _maybe_tail(line): only a tally at the end keeps the post simple
            if k < len(rows) - 1 or i < hi - TAIL_LINES or tail_kind(line)[1] is None:
                return 0
            body = k
    headers = lines.headers
    k = bisect_left(headers, rows[0])
    return body if k == len(headers) or headers[k] >= hi else 0
