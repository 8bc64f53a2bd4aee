"""News articles: one row per paragraph, with boilerplate and off-topic suggestions.

A page becomes classified lines (`lines`). HTML: trafilatura finds the article text and we
mark the rendered lines it kept (`html`). Text (w3m, lynx, browser copy): the article is the
longest run of sentence-like lines, joined across in-article link boxes when the text after
the box is on the same subject (`text`). Title, byline and date are read from the lines above
the body and the page's metadata (`header`) and never become rows; what lies between them and
the article end is kept or flagged (`flags`, `offtopic`). Without trafilatura (not installed
or failing) HTML falls back to the text rules on the rendered page.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from labeler.errors import CorruptInputError
from labeler.ingest.engines.base import Engine
from labeler.ingest.engines.news.flags import Body, flag_distant, rows, teasers
from labeler.ingest.engines.news.header import HEAD_WINDOW, find_header
from labeler.ingest.engines.news.html import html_body, html_lines, meta, rendered_lines
from labeler.ingest.engines.news.lines import COMMENTS, Line, text_lines
from labeler.ingest.engines.news.text import MAX_BOX, text_body
from labeler.ingest.model import PageKind, ParsedPage

if TYPE_CHECKING:
    from labeler.ingest.page import Page

__all__ = ["ENGINE", "NewsEngine"]


class NewsEngine(Engine):
    """News articles, as HTML (trafilatura + flags) or as rendered text (line shapes)."""

    name = "news"
    title = "News article"
    kind = PageKind.NEWS

    def detect(self, page: Page) -> float:
        """Moderate-high on article-like pages, low where forum structure shows."""
        try:
            return _detect(page)
        except CorruptInputError:  # HTML that lxml cannot read at all
            return 0.0

    def parse(self, page: Page) -> ParsedPage:
        """The article's paragraphs in order, with boilerplate and off-topic suggestions."""
        try:
            lines, found, warnings = _read(page)
        except CorruptInputError as exc:
            return ParsedPage(self.name, self.kind, None, [], warnings=[exc.args[0]])
        span = (html_body(lines) if page.is_html else None) or text_body(lines)
        titles = {found[k].casefold() for k in ("title", "og_title", "h1") if found.get(k)}
        page_title = found.get("title") or found.get("og_title")
        if span is None:
            return ParsedPage(self.name, self.kind, page_title, [], warnings=warnings)
        near_teasers, cues = teasers(lines, span[0] - HEAD_WINDOW, span[1])
        head, start = find_header(lines, span[0], span[1], titles, near_teasers | cues)
        html = any(x.content for x in lines)
        posts = rows(Body(lines, start, span[1], head, near_teasers, cues, html))
        flag_distant(posts, head.title or page_title)
        return ParsedPage(
            engine=self.name,
            kind=self.kind,
            title=head.title or page_title,
            posts=posts,
            url=found.get("url"),
            site=found.get("sitename"),
            byline=head.byline,
            date_text=head.date_text,
            warnings=warnings,
        )


def _read(page: Page) -> tuple[list[Line], dict[str, str], list[str]]:
    """(classified lines, metadata, warnings) of a text or HTML page."""
    if not page.is_html:
        return text_lines(page.lines), {}, []
    lines, ext = html_lines(page)
    return lines, meta(page, ext), [ext.warning] if ext.warning else []


# ---------------------------------------------------------------- detection
# Lines that only forum-like pages print: quote headers, post counters, profile fields, votes.
_FORUM_LINE = re.compile(
    r"\b(?:said|wrote|writes):\s*$|^(?:quote|reply|report|multi-?quote|reply with quote|"
    r"permalink|top|link to (?:post|comment)|share this post|recommended posts)$|"
    r"^(?:posted|postby|joined|join date|posts|reputation|member since|likes received|"
    r"messages|reaction score|thread starter|start date)\b|\s#\d{1,6}$|^#\d{1,6}$|"
    r"^level \d+$|^\d[\d,.]*k?\s+(?:points?|likes?|votes?|replies)\b|"
    r"\bis (?:offline|online)$|^reactions:",
    re.IGNORECASE,
)
# Class names of forum engines' post containers (Invision, phpBB, XenForo, Discourse,
# vBulletin, Reddit): three of them on a page make it a thread, not an article.
_FORUM_CLASS_NAMES = (
    "ipsComment cPost postbody postprofile message--post js-post topic-post postbit "
    "postbitlegacy postbitim post_message bbWrapper messageText thing comment-tree Comment "
    "postcontainer b-post crawler-post topic-body post-stream"
)
_FORUM_CLASSES = frozenset(_FORUM_CLASS_NAMES.split())
_FORUM_GENERATOR = re.compile(
    r"vbulletin|xenforo|phpbb|discourse|invision|mybb|smf|simple machines|vanilla|nodebb|flarum",
    re.IGNORECASE,
)
_ARTICLE_HTML = (
    "//meta[@property='og:type'][@content='article']",
    "//meta[@property='article:published_time']",
    "//*[contains(@itemtype, 'NewsArticle') or contains(@itemtype, 'BlogPosting')]",
    "//article",
)
_DETECT_LINES = 50_000


def _detect(page: Page) -> float:
    """Article-like pages score 0.6-0.7 (forum engines win where they also match)."""
    if page.is_html:
        root = page.tree
        generator = " ".join(root.xpath("//meta[@name='generator']/@content"))
        classes = " ".join(root.xpath("//@class")[:20_000]).split()
        if _FORUM_GENERATOR.search(generator) or sum(c in _FORUM_CLASSES for c in classes) >= 3:
            return 0.05
        lines = rendered_lines(page, _DETECT_LINES)
        bonus = 0.05 * sum(1 for xpath in _ARTICLE_HTML if root.xpath(xpath))
    else:
        lines = text_lines(page.lines[:_DETECT_LINES])
        bonus = 0.0
    return _detect_lines(lines, bonus)


def _detect_lines(lines: list[Line], bonus: float) -> float:
    """The score of a page's classified lines: an article body, few forum marks."""
    span = text_body(lines)
    if span is None:
        return 0.05
    prose = [x for x in lines[span[0] : span[1]] if x.shape == "prose"]
    chars = sum(len(x.text) for x in prose)
    # Reader comments under a "Comments" heading after the article look like a forum: skip them.
    near = range(span[1], min(len(lines), span[1] + MAX_BOX))
    heading = next((i for i in near if COMMENTS.match(lines[i].text)), None)
    counted = lines if heading is None else lines[:heading]
    markers = sum(1 for x in counted if x.shape != "prose" and _FORUM_LINE.search(x.text))
    if markers >= 5 or (markers >= 3 and markers * 4 >= len(prose)):
        return 0.1
    if chars < 200 or len(prose) < 2:
        return 0.2
    head, _ = find_header(lines, span[0], span[1], set(), set())
    score = 0.55 + (0.05 if head.title else 0) + (0.05 if head.byline or head.date_text else 0)
    return min(0.7, score + bonus) - min(0.3, 0.05 * markers)


ENGINE = NewsEngine()
