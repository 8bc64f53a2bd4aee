"""Text pages: where each post is (its header, subject and content lines).

A post starts at its header line ("Postby NAME » DATE" and the other renderers' shapes,
"Posted: DATE" in the table styles) and runs until the trailer that follows it (buttons,
"Top", the poster's profile block, which 3.1+ prints before the next post instead).

Pages run to tens of megabytes, so the scans here touch few lines: header candidates
are found by searching the page text, and the lines around a header or a trailer
(buttons, profile fields, names), which repeat from post to post, are classified once
per distinct line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from labeler.ingest.engines.base import clean_line
from labeler.ingest.engines.phpbb import shapes as s

_PROFILE_REACH = 24  # lines between a profile block's name line and its last line
_SHORT = 64  # lines this long are a post's own text rather than buttons or avatars


class Raw:
    """One post found in a text page, before its content is split."""

    __slots__ = (
        "author",
        "base",
        "block",
        "column",
        "edit",
        "flush",
        "header",
        "lines",
        "number",
        "signature",
        "start",
        "subject",
        "table",
        "time_text",
    )  # fmt: skip

    def __init__(
        self,
        header: int,
        author: str | None,
        time_text: str | None,
        number: int | None = None,
        block: int = 0,
    ) -> None:
        self.header = header
        self.author = author
        self.time_text = time_text
        self.subject: str | None = None
        self.number = number
        self.block = block  # first line of the header block (subject, buttons, header)
        self.column = 0  # message column of side-by-side table dumps (w3m), else 0
        self.table = False  # subsilver2 / phpBB2 layout
        self.lines: list[str] = []
        self.base = 0  # indentation of the post's own lines
        self.flush = False  # whether no line is indented (no line of the first lines was)
        self.start = -1  # page line of lines[0] (-1: the lines are cut from the page's)
        self.edit: str | None = None
        self.signature: list[str] | None = None


class _Memo(dict[str, bool]):
    """A line test remembered per distinct line (trailers repeat the same lines)."""

    def __init__(self, test: Callable[[str], object]) -> None:
        super().__init__()
        self.test = test

    def __missing__(self, line: str) -> bool:
        value = self[line] = bool(self.test(line))
        return value


class _Keys(dict[str, str]):
    """Lines compared by their words (`shapes.key`), remembered per distinct line."""

    def __missing__(self, line: str) -> str:
        value = self[line] = s.key(line)
        return value


class _Subjects(dict[str, str]):
    """A line as a subject ("" when it cannot be one), remembered per distinct line."""

    def __missing__(self, line: str) -> str:
        text = s.clean(line)
        if s.chrome(line) or s.FIELD.match(text) or s.FOOTER.match(text):
            text = ""
        self[line] = text
        return text


class _Tests:
    """The line tests the skeleton needs, remembered for one page."""

    def __init__(self) -> None:
        self.key = _Keys()
        self.chrome = _Memo(s.chrome)
        self.field = _Memo(s.FIELD.match)
        self.skip_up = _Memo(lambda line: s.blank(line) or s.BUTTON.match(line))
        self.subject = _Subjects()
        self.avatar_pad = _Memo(s.avatar_pad)


# ---------------------------------------------------------------- headers
def header_at(lines: Sequence[str], i: int) -> Raw | None:
    """The post header on line i, if it is one."""
    line = lines[i]
    if "»" in line or ">>" in line:
        return _by_header(line, i)
    if "osted:" in line:
        m = s.posted().match(line)
        if m:
            return _table_header(lines, i, m)
    return None


def _by_header(line: str, i: int) -> Raw | None:
    """A "[#N] Post by NAME » DATE" header (`shapes.HEADER`)."""
    if ">>" not in line and line.count("»") == 1:  # HEADER, cut at its only "»"
        left, right = line.split("»")
        when = right.strip()
        if not (when and len(when) <= 80 and s.header_time(when)):
            return None
        author = left[7:].strip() if left.startswith("Postby ") else ""
        if author and len(author) <= 80:  # the 3.0 shape, read without the regex
            return Raw(i, clean_line(author), clean_line(when), block=i)
        m = s.HEADER_LEFT.match(left)
    else:
        m = s.HEADER.match(line)
        when = m["time"] if m else ""
        if not s.header_time(when):
            return None
    if not m:
        return None
    number = int(m["num"]) if m["num"] else None
    return Raw(i, clean_line(m["author"]), clean_line(when), number=number, block=i)


def header_candidates(lines: Sequence[str], text: str) -> list[int]:
    """Lines that may be headers (hold "»", ">>" or "osted:").

    `lines` are `text` split at newlines: the text is searched, not each line.
    """
    marks = ("»", ">>", "osted:") if ">" in text else ("»", "osted:")  # ">" is found fast
    found = [indices for mark in marks if (indices := s.lines_holding(text, mark))]
    if len(found) <= 1:
        return found[0] if found else []
    return sorted({i for indices in found for i in indices})


def _table_header(lines: Sequence[str], i: int, m: re.Match[str]) -> Raw:
    """A subsilver2 / phpBB2 header: the author is left of it or on the lines above."""
    subject = _cell_subject(m["subject"]) if m["subject"] is not None else None
    raw = Raw(i, None, clean_line(m["time"]), block=i)
    raw.subject, raw.table = subject, True
    left = clean_line(m["left"])
    if left and left.lower() != "post":  # phpBB2 dumped side by side: author | header
        raw.author = left
        raw.column = len(m["left"])
    elif m["subject"] is not None:  # phpBB2 dumped linearly: author, rank, fields, header
        raw.block = _author_above(lines, i)
        raw.author = clean_line(lines[raw.block]) if raw.block < i else None
    else:  # subsilver2: a "Post subject:" line above, the author left of it or above it
        for j in range(i - 1, max(-1, i - 4), -1):
            cell = s.SUBJECT_CELL.match(lines[j])
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
        if s.TOP.match(line) or s.TABLE_HEAD.match(line) or s.SEPARATOR.match(line):
            break
        if s.FIELD.match(line) or s.chrome(line):
            continue
        found = j
    return found


def _line_above(lines: Sequence[str], i: int) -> str | None:
    for j in range(i - 1, max(-1, i - 3), -1):
        text = clean_line(lines[j])
        if text:
            return text
    return None


# ---------------------------------------------------------------- trailers
def _trailer_start(
    lines: Sequence[str], start: int, end: int, names: set[str], tests: _Tests
) -> int:
    """Scan lines[start:end] up from the end over buttons, "Top", rules and profile blocks:
    where the post ends.

    A profile block ends at line i when a name line lies at most `_PROFILE_REACH` lines
    above it with a field ("Posts:", "Joined:", ...) after it, up to line i; it starts at
    the name line (with the blank lines and avatar above it).
    """
    chrome, keys, field, avatar_pad = tests.chrome, tests.key, tests.field, tests.avatar_pad
    i = end - 1
    bare_name_ok = True
    while i >= start:
        line = lines[i]
        # (a long line, a post's own most likely, is tested without being remembered)
        if not line or (chrome[line] if len(line) < _SHORT else s.chrome(line)):
            i -= 1
            continue
        low = max(start, i - _PROFILE_REACH)
        j = i - 1  # the nearest name line above
        while j >= low and not (lines[j] and len(lines[j]) < 100 and keys[lines[j]] in names):
            j -= 1
        if j >= low and any(map(field.__getitem__, lines[j + 1 : i + 1])):
            i = j - 1
            while i >= start and (
                not lines[i]
                or (avatar_pad[lines[i]] if len(lines[i]) < _SHORT else s.avatar_pad(lines[i]))
            ):
                i -= 1
            bare_name_ok = False
            continue
        if bare_name_ok and len(line) < 100 and keys[line] in names:
            i -= 1  # a guest's profile: the name only
            bare_name_ok = False
            continue
        break
    return i + 1


def _last_post_end(lines: Sequence[str], start: int) -> int:
    """The end of the last post: its "Top" line or the page footer after it."""
    for i in range(start, len(lines)):
        if s.TOP.match(lines[i]) or s.FOOTER.match(lines[i]):
            return i
    return len(lines)


def skeletons(lines: list[str], text: str) -> list[Raw]:
    """Posts of a text page with their content lines (trailers and profiles removed)."""
    raws = [raw for i in header_candidates(lines, text) if (raw := header_at(lines, i)) is not None]
    tests = _Tests()
    skip_up, subject = tests.skip_up, tests.subject
    floor = -1
    for raw in raws:
        if not raw.table:  # the subject line above a prosilver header opens the block
            i = raw.header - 1
            while i > floor and (not lines[i] or skip_up[lines[i]]):
                i -= 1
            raw.block = i + 1
            if i > floor and (text := subject[lines[i]]):
                raw.subject = text
                raw.block = i
        floor = raw.header
    pad = s.pad
    count = len(raws)
    for k, raw in enumerate(raws):
        nxt = raws[k + 1] if k + 1 < count else None
        top = max(raw.header + 1, nxt.block) if nxt else _last_post_end(lines, raw.header + 1)
        # 3.0 prints the poster's profile after the post, 3.1+ the next poster's before it
        names = {raw.author, nxt.author} if nxt else {raw.author}
        names.discard(None)
        if raw.table:
            content = _content_column(lines[raw.header + 1 : top], raw.column)
            end = _trailer_start(content, 0, len(content), names, tests)  # type: ignore[arg-type]
            content = _drop_leading_profile(content[:end])
            first = 0
            while first < len(content) and (not content[first] or pad(content[first])):
                first += 1
            raw.lines = content[first:]
            continue
        end = _trailer_start(lines, raw.header + 1, top, names, tests)  # type: ignore[arg-type]
        first = raw.header + 1  # blank lines and rules before the message
        while first < end and (not lines[first] or pad(lines[first])):
            first += 1
        raw.lines = lines[first:end]
        raw.start = first
    return raws


def _content_column(lines: list[str], column: int) -> list[str]:
    """Lines of a post; in side-by-side table dumps only the message column."""
    if not column:
        return lines
    return [line[column:] if len(line) > column else "" for line in lines]


def _drop_leading_profile(lines: list[str]) -> list[str]:
    """Table styles rendered linearly print the poster's rank and fields before the message."""
    last = -1
    for i, line in enumerate(lines[:12]):
        if s.FIELD.match(line):
            last = i
    return lines[last + 1 :] if last >= 0 else lines
