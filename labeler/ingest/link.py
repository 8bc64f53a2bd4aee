"""Page-level inference shared by every engine: quoted posts, unsigned authors, double posts.

All three work on a parsed page, in page order, in time close to linear in its size: quoted
text is matched through an inverted index of earlier posts' words (rarest words first), so a
page of 100 000 posts does not compare every quote with every post.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from labeler.domain.ids import normalise_text
from labeler.domain.post import Flag
from labeler.ingest.model import ParsedPage, ParsedPost, ParsedQuote

_WORD = re.compile(r"\w+")
# A quote matches an earlier post when this share of its distinct words is in that post.
MIN_COVERAGE = 0.6
# Quotes shorter than this (in distinct words) match only an identical post text.
MIN_WORDS = 3
# Candidate posts are gathered from this many of the quote's rarest words.
_PROBE_WORDS = 8
# Words in more earlier posts than this are too common to find candidates with.
_MAX_POSTINGS = 500
# Candidates compared word by word with a quote (the rest share fewer of its rare words).
_FULL_COMPARISONS = 24
# Unsigned double posts must be at least this long to be called duplicates.
_MIN_DUPLICATE_CHARS = 20


def words(text: str) -> set[str]:
    """Distinct lower-case word tokens."""
    return set(_WORD.findall(text.lower()))


class _Index:
    """Words of the posts seen so far → which posts hold them."""

    def __init__(self) -> None:
        self.postings: dict[str, list[int]] = defaultdict(list)
        self.words: list[set[str]] = []
        self.bodies: list[str] = []

    def add(self, body: str) -> None:
        index = len(self.words)
        found = words(body)
        self.words.append(found)
        self.bodies.append(normalise_text(body).lower())
        for word in found:
            self.postings[word].append(index)

    def best(self, quote: ParsedQuote, authors: list[str | None]) -> int | None:
        qwords = words(quote.text)
        if not qwords:
            return None
        probes = sorted(
            (w for w in qwords if w in self.postings), key=lambda w: len(self.postings[w])
        )[:_PROBE_WORDS]
        hits: Counter[int] = Counter()
        for word in probes:
            posting = self.postings[word]
            hits.update(posting if len(posting) <= _MAX_POSTINGS else posting[-_MAX_POSTINGS:])
        if not hits:
            return None
        # Only the posts that hold the most of the quote's rare words are compared in full.
        candidates = [index for index, _ in hits.most_common(_FULL_COMPARISONS)]
        want = (quote.author or "").casefold()
        short = normalise_text(quote.text).lower()
        best: tuple[float, int, int] | None = None
        for index in candidates:
            if len(qwords) < MIN_WORDS:
                coverage = 1.0 if short and short in self.bodies[index] else 0.0
            else:
                coverage = len(qwords & self.words[index]) / len(qwords)
            if coverage < MIN_COVERAGE:
                continue
            author = (authors[index] or "").casefold()
            same_author = 1 if want and author == want else 0
            if want and author and author != want:
                coverage -= 0.25  # the page names someone else as that post's author
                if coverage < MIN_COVERAGE:
                    continue
            key = (round(coverage, 3), same_author, index)  # later posts win exact ties
            if best is None or key > best:
                best = key
        return None if best is None else best[2]


def link_quotes(page: ParsedPage) -> None:
    """Set each quote's `post_index` and each post's `parent_index` where the page allows.

    A post's parent is the post its first matched quote comes from, unless the engine has
    already set it from the page's structure (threaded replies).
    """
    index = _Index()
    authors: list[str | None] = []
    for i, post in enumerate(page.posts):
        for quote in _all_quotes(post.quotes):
            if quote.post_index is None:
                quote.post_index = index.best(quote, authors)
        if post.parent_index is None:
            post.parent_index = next(
                (q.post_index for q in post.quotes if q.post_index is not None), None
            )
        if post.parent_index is not None and not 0 <= post.parent_index < i:
            post.parent_index = None
        index.add(post.body)
        authors.append(post.author or (post.author_inferred[0] if post.author_inferred else None))


def _all_quotes(quotes: list[ParsedQuote]) -> list[ParsedQuote]:
    out: list[ParsedQuote] = []
    for quote in quotes:
        out.append(quote)
        out.extend(_all_quotes(quote.quotes))
    return out


def _quote_header(quote: ParsedQuote) -> str:
    when = f"{quote.time_text}, " if quote.time_text else ""
    return f"{when}{quote.author} said:"


def infer_authors(page: ParsedPage) -> None:
    """Name the writer of unsigned posts from their edit note and from later quotes of them.

    Evidence is kept verbatim-ish so an annotator can check it; a quote names the quoted
    post's writer directly, so it wins over an edit note (a moderator may have edited).
    """
    named_by_quotes: dict[int, list[tuple[int, ParsedQuote]]] = defaultdict(list)
    for i, post in enumerate(page.posts):
        for quote in _all_quotes(post.quotes):
            if quote.author and quote.post_index is not None:
                named_by_quotes[quote.post_index].append((i, quote))
    for i, post in enumerate(page.posts):
        if post.author or post.author_inferred:
            continue
        evidence: list[str] = []
        name: str | None = None
        if post.edited_by:
            name = post.edited_by
            evidence.append(f'"{post.edited_text or "Edited by " + post.edited_by}"')
        quoted = named_by_quotes.get(i, [])
        if quoted:
            votes: dict[str, int] = defaultdict(int)
            for _, quote in quoted:
                votes[quote.author or ""] += 1
            top = max(votes.items(), key=lambda kv: kv[1])[0]
            headers = [f'"{_quote_header(q)}"' for j, q in quoted if q.author == top]
            where = "the next post" if all(j == i + 1 for j, _ in quoted) else "later posts"
            evidence.append(f"quoted by {where} as {' and '.join(dict.fromkeys(headers))}")
            if name and name != top:
                evidence.append(f"(edit note names {name})")
            name = top
        if name:
            post.author_inferred = (name, "; ".join(evidence))


def flag_duplicates(page: ParsedPage) -> None:
    """Flag a post that repeats the previous post exactly (same writer, text and quotes).

    Both stay in the dataset (a double post is two posts); the flag lets annotators skip it.
    """
    previous: tuple[str, str, tuple[str, ...]] | None = None
    for post in page.posts:
        key = _content_key(post)
        long_enough = bool(post.author) or len(key[1]) >= _MIN_DUPLICATE_CHARS
        if key == previous and key[1] and long_enough:
            post.flags.add(Flag.DUPLICATE)
        previous = key


def _content_key(post: ParsedPost) -> tuple[str, str, tuple[str, ...]]:
    return (
        post.author or "",
        normalise_text(post.body),
        tuple(normalise_text(q.text) for q in post.quotes),
    )
