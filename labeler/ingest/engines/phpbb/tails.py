"""Text pages: a post's edit note and signature.

The edit note ("Last edited by X on DATE, edited N times in total.") and a signature
after a "_____" rule or after the note are cut off; prosilver prints no separator before
a signature, so signatures are also the trailing lines an author repeats in two or more
posts.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence

from labeler.ingest.engines.base import clean_line
from labeler.ingest.engines.phpbb import shapes as s
from labeler.ingest.engines.phpbb.shapes import base_indent
from labeler.ingest.engines.phpbb.skeleton import Raw

_MAX_SIGNATURE_LINES = 30


def split_tails(raws: Sequence[Raw], text: str) -> None:
    """`split_tail` of each post; `text` is the page (its lines hold the posts' lines).

    Edit notes and signature rules are looked for on the lines that hold "edited by" or
    "_____", found by searching the page.
    """
    notes, rules = s.lines_holding(text, "edited by"), s.lines_holding(text, "_____")
    for raw in raws:
        raw.flush = s.flush(raw.lines)
        raw.base = 0 if raw.flush else base_indent(raw.lines)
        if raw.start < 0:
            split_tail(raw)
        elif notes or rules:
            end = raw.start + len(raw.lines)
            edited, ruled = _within(notes, raw.start, end), _within(rules, raw.start, end)
            split_tail(raw, edited=edited, ruled=ruled)


def _within(found: list[int], start: int, end: int) -> bool:
    """Whether a line in `found` (sorted) lies in [start, end)."""
    if not found:
        return False
    at = bisect_left(found, start)
    return at < len(found) and found[at] < end


def split_tail(raw: Raw, *, edited: bool = True, ruled: bool = True) -> None:
    """Take the edit note and a separated signature ("_____" rule, or after the note) off.

    `edited` and `ruled` false say the lines hold no "edited by" / no "_____" at all;
    `raw.base` is the lines' indentation already.
    """
    lines, base = raw.lines, raw.base
    after: list[str] = []
    if edited and "edited by" in "\n".join(lines):
        for i in range(len(lines) - 1, -1, -1):
            if "edited by" not in lines[i] or s.indent(lines[i]) > base + 1:
                continue
            note = [clean_line(lines[i])]
            rest = i + 1
            if not s.EDIT.match(note[0]) and rest < len(lines):  # wrapped by a narrow renderer
                note = [f"{note[0]} {clean_line(lines[rest])}"]
                rest += 1
            if s.EDIT.match(note[0]):
                if rest < len(lines) and s.REASON.match(lines[rest]):
                    note.append(clean_line(lines[rest]))
                    rest += 1
                raw.edit = "\n".join(note)
                after = lines[rest:]
                lines = lines[:i]
                break
    if ruled and "_____" in "\n".join(lines):
        for i in range(len(lines) - 1, -1, -1):
            if s.SIG_RULE.match(lines[i]) and s.indent(lines[i]) <= base + 1:
                after = lines[i + 1 :] + after
                lines = lines[:i]
                break
    if after and any(s.visible(line) for line in after):
        raw.signature = after
    raw.lines = lines


def _suffixes(lines: Sequence[str], base: int) -> list[tuple[int, int, int, int]]:
    """(length, key, preceding line's hash, start) of each trailing run of top-level lines.

    Runs of up to `_MAX_SIGNATURE_LINES` non-blank lines, each with a line before it, that
    stop at the first line indented deeper than the post's own lines.
    """
    found: list[tuple[int, int, int, int]] = []
    key, start = 0, -1  # the current run and its first line
    lead, hidden = s.LEAD, s.hidden
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        if not line or line.isspace() or (not line.isascii() and hidden(line)):
            continue
        text = line.strip()
        if start >= 0:
            found.append((len(found) + 1, key, hash(text), start))
            if len(found) >= _MAX_SIGNATURE_LINES:
                break
        if len(line) - len(line.lstrip(lead)) > base + 1:
            break
        key, start = hash((key, text)), i
    return found


def _last_key(lines: Sequence[str], base: int) -> int:
    """The key of the shortest run `_suffixes` gives (the last line), 0 when it gives none."""
    found = []
    for i in range(len(lines) - 1, -1, -1):
        if s.visible(lines[i]):
            found.append(lines[i])
            if len(found) == 2:
                last = found[0]
                if len(last) - len(last.lstrip(s.LEAD)) > base + 1:
                    return 0
                return hash((0, last.strip())) or 1
    return 0


def _signature_key(lines: Sequence[str]) -> int:
    key = 0
    for line in reversed([line for line in lines if s.visible(line)]):
        key = hash((key, line.strip()))
    return key


def repeated_signatures(raws: Sequence[Raw]) -> None:
    """Signatures printed without a separator: trailing lines an author repeats in ≥2 posts."""
    known: dict[str, set[int]] = defaultdict(set)
    groups: dict[str, list[Raw]] = defaultdict(list)
    for raw in raws:
        if raw.author is None:
            continue
        if raw.signature is not None:
            known[raw.author].add(_signature_key(raw.signature))
        else:
            groups[raw.author].append(raw)
    for author, posts in groups.items():
        signed = known.get(author, set())
        group = posts if signed else _same_last_line(posts)
        if len(group) >= 2 or signed:
            _cut_signatures(group, signed)


def _same_last_line(group: list[Raw]) -> list[Raw]:
    """The posts whose last line another post of the group ends with too.

    A run of lines two posts share includes their last line, so the others cannot have
    a signature (unless the author printed it separated elsewhere).
    """
    lasts = [_last_key(raw.lines, raw.base) for raw in group]
    ends: dict[int, int] = {}
    for key in lasts:
        ends[key] = ends.get(key, 0) + 1
    return [raw for raw, key in zip(group, lasts, strict=True) if key and ends[key] > 1]


def _cut_signatures(group: list[Raw], signed: set[int]) -> None:
    """Cut each post's best repeated (or known) trailing run off as its signature."""
    tails = [_suffixes(raw.lines, raw.base) for raw in group]
    counts: dict[int, int] = {}
    preceding: dict[int, set[int]] = {}
    for tail in tails:
        for _, key, before, _ in tail:
            counts[key] = counts.get(key, 0) + 1
            if key in preceding:
                preceding[key].add(before)
            else:
                preceding[key] = {before}
    for raw, tail in zip(group, tails, strict=True):
        best: tuple[int, int, int] | None = None  # (count, length, start)
        for k, key, _, start in tail:
            if key in signed or (counts[key] >= 2 and len(preceding[key]) >= 2):
                score = (counts[key] + (len(group) if key in signed else 0), k, start)
                best = max(best, score) if best else score
        if best is not None:
            raw.signature = raw.lines[best[2] :]
            raw.lines = raw.lines[: best[2]]
