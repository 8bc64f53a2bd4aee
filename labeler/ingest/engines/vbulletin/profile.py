"""vBulletin author blocks in text: name, user title, menu and "Join Date / Posts" lines.

vB3/4 print the block under the post header (w3m draws vB3's table with the block in a
left column beside the post); vB5 prints it above the "#N" line.
"""

from __future__ import annotations

import re

from labeler.ingest.engines._vbxf.lines import (
    BULLETS,
    clean,
    cleaned,
    indent,
    is_blank,
    is_hr,
    strip_bullet,
)
from labeler.ingest.engines.vbulletin.anchors import Anchor
from labeler.ingest.engines.vbulletin.shapes import RE_PREFIX
from labeler.ingest.model import ParsedPost

_PROFILE_LABELS = frozenset(
    (
        "join date", "location", "posts", "mentioned", "tagged", "quoted", "rep power",
        "reputation", "thanks", "thanks (given)", "thanks (received)", "thanked", "likes", "liked",
        "likes (given)", "likes (received)", "blog entries", "age", "gender", "country",
        "real name", "occupation", "interests", "name", "rank", "member", "member since", "send pm",
        "groan", "groans",
    )
)  # fmt: skip
_STATUS_LINE = re.compile(r"(?i) is (?:offline|online)$")
_BRACKETED = re.compile(r"\[[^\]]*\]")
_LABEL_VALUE = re.compile(r"^(?P<label>[A-Za-z][\w ()]{1,30}):\s*\S")
_MENU = re.compile(
    r"(?i)^(?:view (?:public )?profile|view forum posts|private message|view blog entries|"
    r"visit homepage|view articles|send a private message to .+|find (?:more|all) posts by .+|"
    r"add .+ to your contacts|send email to .+|visit .+'s homepage!?|share|tweet)$"
)


def author_block(lines: list[str], anchor: Anchor) -> tuple[int, str | None, str | None]:
    """(first line, author, user title) of the block printed above a vB5 "#N" line."""
    top = min(anchor.line, anchor.time_line)
    cand: list[tuple[int, str]] = []
    k = top - 1
    while k >= 0 and len(cand) < 14:
        text = strip_bullet(clean(lines[k]))
        if text and not is_hr(lines[k]) and not _is_profile_line(text):
            cand.append((k, text))
        k -= 1
    for i in range(len(cand) - 1):
        if cand[i][1] == cand[i + 1][1]:
            user_title = cand[i - 1][1] if i >= 1 else None
            return cand[i + 1][0], cand[i][1], user_title
    if cand:
        return cand[0][0], cand[0][1], None
    return top, None, None


def _is_profile_line(text: str) -> bool:
    if _MENU.match(text) or _STATUS_LINE.search(text):
        return True
    m = _LABEL_VALUE.match(text)
    return bool(m and m.group("label").strip().lower() in _PROFILE_LABELS)


def column(region: list[str]) -> int | None:
    """Where the post column starts in vB3's table layout as w3m draws it (profile column
    left, post column right), or None when the region is one column."""
    counts: dict[int, int] = {}
    for line in region[:80]:
        if not line[:12].isspace() or is_blank(line):
            continue
        level = indent(line)
        counts[level] = counts.get(level, 0) + 1
    if not counts:
        return None
    col = max(counts, key=lambda c: (counts[c], -c))
    return col if splits_at(region[:80], col) else None


def splits_at(lines: list[str], col: int) -> bool:
    """True when some line has text on both sides of a two-space gap at `col`."""
    return any(
        len(line) > col and line[col] != " " and line[col - 2 : col] == "  " and line[:col].strip()
        for line in lines
    )


def read_profile(region: list[str], post: ParsedPost, title: str | None) -> int:
    """Read author, user title and profile block; return where the content starts."""
    k = next((i for i, x in enumerate(region) if not is_blank(x) and not is_hr(x)), None)
    if k is None:
        return len(region)
    post.author = strip_bullet(clean(region[k])) or None
    last, pair_level = k, None
    pending: list[str] = []
    i = k + 1
    while i < min(len(region), k + 80):
        raw = region[i]
        text = cleaned(raw)
        if not text or is_hr(raw):
            i += 1
            continue
        kind = _profile_kind(region, i, text, post.author, pair_level)
        if kind == "pair" and title and RE_PREFIX.sub("", text) == title:
            kind = None
        if kind is None:
            if pair_level is not None or len(pending) >= 3:
                break
            pending.append(text)
            i += 1
            continue
        if kind == "avatar":
            post.user_title = text.split(f"{post.author}'s Avatar")[0].strip() or post.user_title
        if pending and post.user_title is None:
            post.user_title = pending[0]
        pending = []
        if kind == "pair":
            pair_level = (indent(raw), indent(region[i + 1]))
            i += 1
        last = i
        i += 1
    if post.user_title is None and pending and last == k:
        return k + 1
    return last + 1


def _profile_kind(
    region: list[str], i: int, text: str, author: str | None, pair_level: tuple[int, int] | None
) -> str | None:
    """What a line of the profile block is: avatar/title, menu, inline or label/value pair."""
    raw = region[i]
    nxt = region[i + 1] if i + 1 < len(region) else ""
    if author and f"{author}'s Avatar" in text:
        return "avatar"
    bullet = raw.lstrip()[:1] in BULLETS and pair_level is None
    if _MENU.match(text) or bullet or _STATUS_LINE.search(text):
        return "menu"
    if _BRACKETED.fullmatch(text) or _is_profile_line(text):
        return "inline"
    if is_blank(nxt):
        return None
    levels = (indent(raw), indent(nxt))
    short = len(text) <= 30 and len(clean(nxt)) <= 40 and text[-1:] not in ".!?"
    labelled = text.lower().rstrip(":") in _PROFILE_LABELS
    same_shape = pair_level is not None and levels == pair_level and levels[0] < levels[1]
    return "pair" if labelled or (same_shape and short) else None
