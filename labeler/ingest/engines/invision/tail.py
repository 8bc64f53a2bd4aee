"""The end of an IPS post in text: edit note, reaction bar, buttons, then a signature.

IPS prints them below the post's text with nothing to mark where the text ends, so the
lines at the end of a post are classified (`tail_kind`) and the bar is found around its
last sure mark (an edit line, a stock reaction, a button).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from labeler.ingest.engines.invision.lines import Lines, paragraphs
from labeler.ingest.engines.invision.shapes import (
    STOCK_REACTIONS,
    bulleted,
    debullet,
    edited_by,
    reaction,
)

_CONTROL = re.compile(
    r"(?:Quote|Multi-?Quote|Report(?: post)?|Reply|Share|Options|Edit|Top|Like this|Unlike)",
    re.I,
)
_BARE_CONTROL = re.compile(r"Quote|Multi-?Quote|Report post")  # buttons printed without a bullet
TAIL_LINES = 30  # the bar and a signature fit in this many lines at the end of a post
_STRONG = frozenset({"edit", "stock", "control"})  # kinds that mark the bar
_PLAIN: tuple[str | None, tuple[str, int] | None] = (None, None)  # kind of a line of text


@dataclass(slots=True)
class Tail:
    """What ends a post: its text ends at line body_hi."""

    body_hi: int
    reactions: list[tuple[str, int]] = field(default_factory=list)
    edited_by: str | None = None
    edited_text: str | None = None
    signature: str | None = None


def maybe_tail(line: str) -> bool:
    """Whether a non-blank line may be part of a tail (not a plain line of text)."""
    return len(line) < 160 and (
        len(line) <= 14
        or line[-1].isdigit()
        or "dited" in line
        or (not line[0].isalpha() and bulleted(line))
    )


def _tail_kinds(
    lines: Lines, rows: list[int], first: int, hi: int, found: dict[int, tuple[str, int]]
) -> list[str | None]:
    """Per non-blank line of rows: blank, edit, reason, reaction, stock, control, button or None.

    rows[:first] are known to be plain text (None); a line of plain text is None without a
    closer look. Reaction tallies go into `found`, by line.
    """
    text = lines.text
    kinds: list[str | None] = [None] * first
    base = -1
    edit_line = -2  # the last edit line: the line right under it is the edit reason
    for i in rows[first:]:
        kind, tally = tail_kind(text[i]) if maybe_tail(text[i]) else _PLAIN
        if tally:
            found[i] = tally
        elif kind == "bare":  # a button printed without a bullet, at the post's indentation
            if base < 0:
                base = lines.base(rows[0], hi)
            kind = "control" if lines.indent(i) <= base else None
        elif kind == "edit":
            edit_line = i
        elif kind == "empty":  # an empty list item: the buttons, unless a list nests in it
            nested = i + 1 < hi and lines.indent(i + 1) > lines.indent(i)
            kind = "blank" if nested else "control"
        if kind is None and i == edit_line + 1:
            kind = "reason"
        kinds.append(kind)
    return kinds


@lru_cache(maxsize=4096)  # bars and buttons repeat on every post of a page
def tail_kind(text: str) -> tuple[str | None, tuple[str, int] | None]:
    """The kind of a line that is not plain text ("bare": a control if not indented), and
    the tally of a reaction line."""
    bulleted, plain = debullet(text)
    kind: str | None = None
    tally = None
    if not plain:
        kind = "empty" if bulleted else "blank"
    elif "dited" in plain and edited_by(plain):
        kind = "edit"
    elif plain[-1].isdigit():
        tally = reaction(plain, bulleted=bulleted)
        if tally:
            kind = "stock" if tally[0].lower() in STOCK_REACTIONS else "reaction"
    elif len(plain) > 14:
        pass
    elif _CONTROL.fullmatch(plain) and (bulleted or _BARE_CONTROL.fullmatch(plain)):
        kind = "control" if bulleted else "bare"
    elif plain.lower() in STOCK_REACTIONS:
        kind = "button"  # the react button of a signed-in view ("Like")
    return kind, tally


def _tail_bounds(rows: list[int], kinds: list[str | None], lo: int, hi: int) -> tuple[int, int]:
    """[start, end) of the tail: from after the last line of text above the bar's last mark
    (edit line, stock reaction, button) to the first line of text after it."""
    end = hi
    for k in range(len(kinds) - 1, -1, -1):
        if kinds[k] in _STRONG:
            for after in range(k + 1, len(rows)):
                if kinds[after] is None:
                    end = rows[after]
                    break
            break
    for k in range(len(rows) - 1, -1, -1):
        if kinds[k] is None and rows[k] < end:
            return rows[k] + 1, end
    return lo, end


def post_tail(lines: Lines, lo: int, hi: int) -> Tail:
    """The edit note, reaction bar and buttons that end a post, and a signature below them.

    The last edit line, stock reaction or button marks the bar; text after it is the
    signature. Without such a mark only tail lines at the very end are taken.
    """
    lo = max(lo, hi - TAIL_LINES)
    rows = lines.nonblank_in(lo, hi)
    text = lines.text
    for first in range(len(rows)):
        line = text[rows[first]]
        if len(line) < 160 and (
            len(line) <= 14
            or line[-1].isdigit()
            or "dited" in line
            or (not line[0].isalpha() and bulleted(line))
        ):  # as maybe_tail(line), inline: most posts end with lines of text only
            break
    else:
        return Tail(body_hi=rows[-1] + 1 if rows else lo)
    found: dict[int, tuple[str, int]] = {}
    kinds = _tail_kinds(lines, rows, first, hi, found)
    start, end = _tail_bounds(rows, kinds, lo, hi)
    tail = Tail(body_hi=start)
    for i, kind in zip(rows[first:], kinds[first:], strict=True):  # rows above are text
        if not start <= i < end or kind in (None, "blank"):
            continue
        if kind == "reason" and i == start:
            tail.body_hi += 1  # a reason line with no edit line above it is text
        elif kind == "edit":
            tail.edited_text = debullet(text[i])[1]
            tail.edited_by = edited_by(tail.edited_text)
        elif kind == "reason" and tail.edited_text:
            tail.edited_text += " " + debullet(text[i])[1]
        elif i in found:
            tail.reactions.append(found[i])
    if end < hi:
        signature = [debullet(t)[1] for t in text[end:hi]]
        tail.signature = paragraphs(signature) or None
    return tail
