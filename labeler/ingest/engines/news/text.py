"""Where the article sits on a text page: the longest run of prose lines, and what continues it.

An article printed by a text browser is interrupted by in-article boxes ("Most read" and its
links, an embedded post, a gallery). The run of prose lines with the most text is taken as
the article's core; a run next to it joins when few lines separate them and its words are on
the same subject. HTML pages use the same rule when the extractor kept nothing.
"""

from __future__ import annotations

from itertools import pairwise

from labeler.ingest.engines.news import offtopic
from labeler.ingest.engines.news.lines import FINAL_HEADING, NUMBERED, TERMINATOR, Line

# Non-prose lines allowed between two paragraphs of one article (text input); a long article
# may carry a bigger widget (an embedded post, a gallery) than a short one.
_MAX_GAP = 5
_MAX_GAP_LONG = 10
MAX_BOX = 14  # lines of an in-article box ("Most read" and its links) the article can span
_SAME_SUBJECT = 0.15  # share of content words a continuation has in common with the article
_MAX_MERGES = 20

# (first, last + 1, characters, ended by a final heading) of a run of prose lines
Run = tuple[int, int, int, bool]


def text_body(lines: list[Line]) -> tuple[int, int] | None:
    """The run of prose lines with the most text, joined with the runs that continue it after
    an in-article box ("Most read" and its list): (first, last + 1), or None."""
    runs = _prose_runs(lines)
    if not runs:
        return None
    lo = hi = max(range(len(runs)), key=lambda k: runs[k][2])
    vocabulary: set[str] | None = None  # the article's words, read when first needed
    for _ in range(_MAX_MERGES):
        after = hi + 1 < len(runs) and not runs[hi][3]
        before = lo > 0 and not runs[lo - 1][3]
        near = after and _continuation(lines, runs[hi][1], runs[hi + 1])
        if not near and before:
            near = _continuation(lines, runs[lo][0], runs[lo - 1])
            after = False
        if not near:
            break
        if vocabulary is None:
            vocabulary = set().union(*(_vocabulary(lines, runs[k]) for k in range(lo, hi + 1)))
        own = offtopic.content_words(" ".join(lines[i].text for i in near))
        if not own or len(own & vocabulary) < _SAME_SUBJECT * len(own):
            break
        lo, hi = (lo, hi + 1) if after else (lo - 1, hi)
        vocabulary |= own
    return runs[lo][0], runs[hi][1]


def _vocabulary(lines: list[Line], run: Run) -> set[str]:
    """Content words of a run (of its two ends when it is long: they are what it borders)."""
    start, end = run[0], run[1]
    part = (
        lines[start:end]
        if end - start <= 600
        else lines[start : start + 300] + lines[end - 300 : end]
    )
    return offtopic.content_words(" ".join(x.text for x in part))


def _prose_runs(lines: list[Line]) -> list[Run]:
    """Each run of prose lines that few other lines split."""
    runs: list[Run] = []
    last = chars = gap = count = 0
    start = -1  # first prose line of the current run, -1 outside a run
    for i, line in enumerate(lines):
        if line.shape == "noise":
            continue
        if line.shape == "prose":
            if start >= 0 and gap > min(_MAX_GAP_LONG, max(_MAX_GAP, count // 3)):
                runs.append((start, last + 1, chars, False))
                start = -1
            if start < 0:
                start, chars, count = i, 0, 0
            count += 1
            last, gap = i, 0
            chars += len(line.text)
        elif start >= 0 and TERMINATOR.match(line.text):
            runs.append((start, last + 1, chars, bool(FINAL_HEADING.match(line.text))))
            start = -1
        elif not _list_continues(lines, i):
            gap += 1
    if start >= 0:
        runs.append((start, last + 1, chars, False))
    return runs


def _list_continues(lines: list[Line], i: int) -> bool:
    """A numbered list item after another item: a list counts once in a gap."""
    line = lines[i]
    numbered = line.shape == "item" and bool(NUMBERED.match(line.text))
    return numbered and i > 0 and lines[i - 1].shape == "item"


def _continuation(lines: list[Line], edge: int, run: Run) -> list[int]:
    """The prose lines of `run` when it may continue the article past its edge (its end or
    its start): close by, with at least two paragraphs in a row; else an empty list."""
    first, last = run[0], run[1]
    between = range(edge, first) if first >= edge else range(last, edge)
    if len(between) > 4 * MAX_BOX:
        return []
    if sum(1 for i in between if lines[i].shape != "noise") > MAX_BOX:
        return []
    prose = [i for i in range(first, last) if lines[i].shape == "prose"]
    return prose if any(b == a + 1 for a, b in pairwise(prose)) else []
