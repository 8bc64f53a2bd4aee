"""An article's rows: every line from the title to the body end, kept or flagged.

Nothing between the title and the end of the article is dropped; what is not article text is
suggested for the annotator instead: boilerplate (widgets, share bars, in-article link boxes,
lines the extractor left out) or off-topic (a "Related:" link, a video teaser, a story spliced
in that shares no words with the rest).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from labeler.domain.post import Flag, PostKind
from labeler.ingest.engines.news import offtopic
from labeler.ingest.engines.news.header import Header
from labeler.ingest.engines.news.lines import (
    NUMBERED,
    TERMINATOR,
    VIDEO_CUE,
    WIDGET,
    Line,
    ends_sentence,
    headline_like,
    widget_sentence,
    words,
)
from labeler.ingest.model import ParsedPost


def teasers(lines: list[Line], lo: int, hi: int) -> tuple[set[int], set[int]]:
    """(teaser headline lines, video widget lines) in lines[lo:hi]: a headline next to a
    video widget line ("Replay", "Your video will play in 0:25")."""
    cues = {
        i
        for i in range(max(0, lo), min(hi, len(lines)))
        if lines[i].shape != "prose"
        and words(lines[i].text) <= 8
        and VIDEO_CUE.search(lines[i].text)
    }
    found: set[int] = set()
    for i in cues:
        for j in (i - 1, i + 1):
            near = 0 <= j < len(lines) and j not in cues and lines[j].shape == "short"
            if near and headline_like(lines[j].text, least=3):
                found.add(j)
    return found, cues


@dataclass(slots=True)
class Body:
    """Where the article sits among the lines, and what was found around it."""

    lines: list[Line]
    start: int
    end: int
    head: Header
    teasers: set[int]
    cues: set[int]
    html: bool


def _row(text: str, flag: Flag | None) -> ParsedPost:
    """One paragraph row, with its flag when it has one."""
    return ParsedPost(body=text, kind=PostKind.PARAGRAPH, flags={flag} if flag else set())


def _line_flag(body: Body, i: int, widget_blocks: set[int]) -> Flag | None:
    """The flag of one line (not a list item) between the title and the article end."""
    line = body.lines[i]
    text = line.text
    if offtopic.has_lead_in(text) or i in body.teasers:
        return Flag.OFFTOPIC
    if i < body.start or i in body.cues:
        return Flag.BOILERPLATE
    widget = widget_sentence(text, words(text))
    if body.html:
        return None if line.content and not widget else Flag.BOILERPLATE
    if line.shape == "prose":
        return Flag.BOILERPLATE if widget else None
    if widget or line.block in widget_blocks:
        return Flag.BOILERPLATE
    intro = text.endswith(":") and i + 1 < body.end and body.lines[i + 1].shape == "item"
    sentence = words(text) >= 3 and ends_sentence(text)  # a short paragraph ("He was 25.")
    heading = headline_like(text, least=3)
    return None if intro or sentence or heading else Flag.BOILERPLATE


def _item_run(body: Body, i: int, previous: str) -> tuple[ParsedPost, int]:
    """A run of list items from line i as one row (kept when it reads as part of the article)."""
    lines, j = body.lines, i
    while j < body.end and lines[j].shape == "item" and j not in body.head.lines:
        j += 1
    texts = [x.text for x in lines[i:j]]
    joined = "\n".join(texts)
    if body.html:
        keep = all(x.content for x in lines[i:j])
    else:
        numbered = all(NUMBERED.match(t) for t in texts)
        wordy = sum(words(t) for t in texts) >= 6 * len(texts)
        keep = numbered or previous.endswith(":") or wordy
    keep = keep and i >= body.start and not WIDGET.search(joined)
    return _row(joined, None if keep else Flag.BOILERPLATE), j


def rows(body: Body) -> list[ParsedPost]:
    """Rows from the title (exclusive) to the article end: kept paragraphs and flagged lines."""
    lines, head = body.lines, body.head
    zone = body.start
    if head.title_line is not None and head.title_line < body.start:
        zone = head.title_line + 1
    widget_blocks = _widget_blocks(lines[zone : body.end])
    found: list[ParsedPost] = []
    previous = ""
    boxed = False  # inside an in-article box ("Most read" and its links) until the next paragraph
    i = zone
    while i < body.end:
        line = lines[i]
        if line.shape == "noise" or i in head.lines:
            i += 1
            continue
        boxed = line.shape != "prose" and (boxed or bool(TERMINATOR.match(line.text)))
        if line.shape == "item" and i not in body.teasers:
            row, i = _item_run(body, i, previous)
        else:
            same = line.text == previous
            flag = Flag.BOILERPLATE if same else _line_flag(body, i, widget_blocks)
            row, i = _row(line.text, flag), i + 1
        if boxed and Flag.OFFTOPIC not in row.flags:
            row.flags = {Flag.BOILERPLATE}
        previous = row.body
        found.append(row)
    return found


def _widget_blocks(lines: list[Line]) -> set[int]:
    """Small blank-separated blocks that hold a widget line (their other lines go with it)."""
    sizes = Counter(x.block for x in lines)
    return {
        x.block
        for x in lines
        if x.shape != "prose" and WIDGET.search(x.text) and sizes[x.block] <= 4
    }


def flag_distant(found: list[ParsedPost], title: str | None) -> None:
    """Flag runs of kept paragraphs that share (almost) no content words with the rest."""
    units: list[list[int]] = []
    for k, row in enumerate(found):
        if row.flags:
            continue
        if units and len(units[-1]) == 1 and headline_like(found[units[-1][0]].body):
            units[-1].append(k)  # a heading goes with the paragraph under it
        else:
            units.append([k])
    texts = ["\n".join(found[k].body for k in unit) for unit in units]
    cued = [headline_like(found[unit[0]].body) for unit in units]
    eligible = [all("\n" not in found[k].body for k in unit) for unit in units]
    runs = offtopic.distant_runs(texts, context=title or "", cued=cued, eligible=eligible)
    for start, end in runs:
        for unit in units[start:end]:
            for k in unit:
                found[k].flags.add(Flag.OFFTOPIC)
