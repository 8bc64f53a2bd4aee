"""Old Reddit text pages: "[-]user 39 points 6 years ago" comment headers.

The submission is "submitted 6 years ago by user" under its title and score; comment
bodies end at their "permalink" button row.
"""

from __future__ import annotations

import re

from labeler.ingest.engines.base import clean_line
from labeler.ingest.engines.reddit.shapes import (
    COMMENT_COUNT,
    END,
    OLD_BUTTON,
    OLD_HEAD,
    OLD_SUBMITTED,
    parse_count,
    username,
)
from labeler.ingest.engines.reddit.text import body_and_quotes, end_of
from labeler.ingest.model import ParsedPost


def _old_comment(head: re.Match[str], lines: list[str]) -> ParsedPost:
    scores = re.findall(r"-?\d[\d,]*", head["scores"])
    score = parse_count(scores[len(scores) // 2]) if scores else None
    cut = next(
        (j for j, x in enumerate(lines) if "permalink" in x and OLD_BUTTON.match(x.strip())),
        len(lines),
    )
    body, quotes = body_and_quotes(lines[:cut])
    return ParsedPost(
        body=body,
        author=username(head["author"]),
        time_text=head["time"].strip(),
        quotes=quotes,
        reactions=[("points", score)] if score is not None else [],
        edited_text="*" if head["star"] else None,
    )


def _old_submission(lines: list[str], at: int, stop: int) -> ParsedPost:
    m = OLD_SUBMITTED.match(clean_line(lines[at]))
    assert m is not None
    above = [clean_line(x) for x in lines[max(0, at - 8) : at] if x.strip()]
    title = re.sub(r"\s*\([\w.\-/]+\)$", "", above[-1]) if above else None
    numbers = [n for n in (parse_count(x) for x in above[:-1][-3:]) if n is not None]
    score = numbers[len(numbers) // 2] if numbers else None
    region = [x for x in lines[at + 1 : stop] if not COMMENT_COUNT.match(x.strip())]
    body, quotes = body_and_quotes(region)
    return ParsedPost(
        body=body,
        author=username(m["author"]),
        time_text=m["time"].strip(),
        quotes=quotes,
        reactions=[("score", score)] if score is not None else [],
        subject=title,
        depth=0,
        is_submission=True,
    )


def _is_submitted(line: str) -> bool:
    return "submitted" in line and OLD_SUBMITTED.match(clean_line(line)) is not None


def old_heads(lines: list[str]) -> list[tuple[int, re.Match[str]]]:
    """Old Reddit's comment headers ("[-]user 39 points 6 years ago"): line and match."""
    return [
        (i, m)
        for i, x in enumerate(lines)
        if len(x) < 300 and x.lstrip()[:1] == "["
        if (m := OLD_HEAD.match(clean_line(x)))
    ]


def parse_old_text(lines: list[str], heads: list[tuple[int, re.Match[str]]]) -> list[ParsedPost]:
    """The submission and comments of an old Reddit page, given its comment headers."""
    posts: list[ParsedPost] = []
    first = heads[0][0] if heads else len(lines)
    submitted = next((i for i, x in enumerate(lines[:first]) if _is_submitted(x)), None)
    if submitted is not None:
        stop = min(first, end_of(lines, submitted + 1, re.compile(r"^(?:all \d|sorted by)", re.I)))
        posts.append(_old_submission(lines, submitted, stop))
    for k, (i, head) in enumerate(heads):
        stop = heads[k + 1][0] if k + 1 < len(heads) else end_of(lines, i + 1, END)
        posts.append(_old_comment(head, lines[i + 1 : stop]))
    return posts
