"""Text pages: the last posts read, to recognise quoted copies in flush text.

Renderers that print quotes flush with the post (lynx, browser copy-paste) leave only the
cite line; a quote then runs on over paragraphs and lines that repeat a recent post. A
copy counts when most of its word trigrams occur in the last posts; the trigrams are only
computed when cheap hints (sentence starts and ends) say a copy is likely.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Sequence
from operator import itemgetter

from labeler.ingest.engines.phpbb import shapes as s

_MIN_QUOTED_WORDS = 4
_RECENT_POSTS = 60
_RECENT_CHARS = 4_000_000  # the recent text searched for single lines, at most
_QUOTED_SHARE = 0.8
_WORD = re.compile(r"\w+")
# A sentence's first and last characters are remembered as hints (of sentences this long).
_HINT = 24
_MIN_HINT = 16
_HEAD = itemgetter(slice(None, _HINT))
_TAIL = itemgetter(slice(-_HINT, None))
_HYPHEN_BREAK = re.compile(r"(?<=\w-)\n")
# What `str.strip` removes, and zero-width characters: lines of only these are blank.
_SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000" + s.ZERO_WIDTH
)

Gram = tuple[str, str, str]


def _paragraphs(parts: Sequence[str]) -> list[str]:
    """Stripped lines ("" when blank) as paragraphs, each on one line."""
    paragraphs: list[str] = []
    run: list[str] = []
    for part in [*parts, ""]:
        if part:
            run.append(part)
        elif run:
            paragraphs.append(_run_text(run))
            run = []
    return paragraphs


def _wrapped(parts: Sequence[str]) -> bool:
    """Whether a paragraph has several lines (two text lines follow each other)."""
    return b"\x01\x01" in bytes(map(bool, parts))


def _text(parts: Sequence[str]) -> str:
    """The text of stripped lines with each paragraph on one line (however it was wrapped)."""
    if _wrapped(parts):
        return "\n".join(_paragraphs(parts))
    return "\n".join(filter(None, parts))


def _sentences(parts: Sequence[str]) -> list[str]:
    """The sentences (of at least `_MIN_HINT` characters) of stripped lines.

    Sentences are cut at ". ", at colons (a cite glued to the quote) and at paragraph
    ends; for wrapped paragraphs, also each line on its own (a quote may take some lines).
    """
    if _wrapped(parts):
        pieces = ". ".join([part.rstrip(".") for part in _paragraphs(parts) + list(parts)])
    else:
        pieces = ". ".join([part.rstrip(".") for part in parts])
    if ":" in pieces:
        pieces = pieces.replace(": ", ". ").replace(":", ". ")
    return [unit for unit in pieces.split(". ") if len(unit) >= _MIN_HINT]


def _keys(units: Sequence[str]) -> list[str]:
    """Each sentence's start, then each sentence's end."""
    return [*map(_HEAD, units), *map(_TAIL, units)]


def _run_text(parts: Sequence[str]) -> str:
    """The stripped lines of one paragraph as one line (a word broken at a line end joined)."""
    if len(parts) == 1:
        return parts[0]
    joined = "\n".join(parts)
    if "-\n" in joined:
        joined = _HYPHEN_BREAK.sub("", joined)  # a word the renderer broke
    return joined.replace("\n", " ")


class Recent:
    """The last posts read, to recognise quoted copies in flush text.

    A copy counts when most of its word trigrams occur in the last `_RECENT_POSTS` posts.
    Trigrams are only computed when a cheap hint says a copy is likely: a sentence of the
    text starts or ends like a sentence of a recent post (or, for a single line, the line
    occurs in their text). Posts are indexed lazily, so pages with few copies never pay
    for trigrams.
    """

    def __init__(self) -> None:
        self._hints: set[str] = set()  # sentence starts and ends: this generation of posts
        self._older_hints: set[str] = set()  # and the one before
        self._texts: deque[tuple[int, list[str]]] = deque()  # (number, stripped lines)
        self._joined: str | None = None
        self._posts = 0
        self._grams: dict[Gram, int] = {}  # trigram -> last post with it: this generation
        self._older_grams: dict[Gram, int] = {}
        self._gram_generation = -1
        self._indexed = 0  # posts up to this number are in the trigram index
        self._hinted = False
        self._hits: list[str] = []  # sentences of the post begun that recent posts hint at
        self._lines: Sequence[str] = []
        self.parts: list[str] = []  # the lines of the post begun, stripped ("" when blank)
        self.heads: dict[int, tuple[str | None, str]] = {}  # its cites, by line
        self._pending: list[str] = []

    def begin(self, lines: Sequence[str]) -> None:
        """Read the post whose paragraphs are checked next (`add` then remembers it).

        Also finds its cites (`heads`). A paragraph a cite opens is the quote's, never a
        candidate copy; when no sentence of the other paragraphs starts or ends like one
        of a recent post, none of them can be a copy and `quoted` answers at once.
        """
        parts = [line.strip() if line.isascii() else line.strip(_SPACES) for line in lines]
        heads: dict[int, tuple[str | None, str]] = {}
        if ":" in "\n".join(lines):
            for i, line in enumerate(lines):
                if ":" in line and (head := s.quote_head(line)) is not None:
                    heads[i] = head
        opening = [i for i in heads if i == 0 or not parts[i - 1]]
        if opening:  # the cited paragraphs apart
            rest, cited = list(parts), [""] * len(parts)
            for start in opening:
                end = start
                while end < len(parts) and parts[end]:
                    cited[end], rest[end] = parts[end], ""
                    end += 1
            units = _sentences(rest)
            keys = _keys(units)
            self._pending = keys + _keys(_sentences(cited))
        else:
            units = _sentences(parts)
            keys = self._pending = _keys(units)
        hints, older = self._hints, self._older_hints
        self._hinted = not (hints.isdisjoint(keys) and older.isdisjoint(keys))
        self._hits = []
        if self._hinted:
            count = len(units)
            self._hits = [
                unit
                for k, unit in enumerate(units)
                if keys[k] in hints
                or keys[k] in older
                or keys[count + k] in hints
                or keys[count + k] in older
            ]
        self._lines, self.parts, self.heads = lines, parts, heads

    def add(self) -> None:
        """Remember the post read by `begin`."""
        self._posts += 1
        self._hints.update(self._pending)
        self._texts.append((self._posts, self.parts))
        if len(self._texts) > _RECENT_POSTS:
            self._texts.popleft()
        self._joined = None
        if self._posts % _RECENT_POSTS == 0:
            self._older_hints, self._hints = self._hints, set()

    @property
    def hinted(self) -> bool:
        """Whether a paragraph of the post read by `begin` may be a copy."""
        return self._hinted

    def _hinted_any(self, units: list[str]) -> bool:
        """Whether a sentence starts or ends like a sentence of a recent post."""
        hints, older = self._hints, self._older_hints
        for unit in units:
            if len(unit) >= _MIN_HINT:
                head, tail = unit[:_HINT], unit[-_HINT:]
                if head in hints or tail in hints or head in older or tail in older:
                    return True
        return False

    def _recent_text(self) -> str:
        """The text of the last posts (the newest `_RECENT_CHARS` characters of it)."""
        if self._joined is None:
            texts: list[str] = []
            chars = 0
            for _, parts in reversed(self._texts):
                texts.append(_text(parts))
                chars += len(texts[-1]) + 1
                if chars > _RECENT_CHARS:
                    break
            self._joined = "\n".join(reversed(texts))
        return self._joined

    def _index(self) -> None:
        """Put the trigrams of the posts in the window that are not indexed yet in."""
        floor = max(self._indexed, self._posts - _RECENT_POSTS)
        for number, parts in self._texts:
            if number <= floor:
                continue
            text = _text(parts)
            generation = (number - 1) // _RECENT_POSTS
            if generation != self._gram_generation:
                recent = generation == self._gram_generation + 1
                self._older_grams = self._grams if recent else {}
                self._grams = {}
                self._gram_generation = generation
            words = _WORD.findall(text.casefold())
            grams = zip(words, words[1:], words[2:], strict=False)
            self._grams.update(dict.fromkeys(grams, number))
        self._indexed = self._posts

    def _mostly_known(self, lines: Sequence[str]) -> bool:
        """Whether most word trigrams of the lines occur in the last posts."""
        words = _WORD.findall(" ".join(lines).casefold())
        if len(words) < _MIN_QUOTED_WORDS:
            return False
        self._index()
        grams = set(zip(words, words[1:], words[2:], strict=False))
        floor = self._posts - _RECENT_POSTS
        new, old = self._grams, self._older_grams
        hits = sum(1 for gram in grams if (new.get(gram) or old.get(gram, floor)) > floor)
        return hits >= _QUOTED_SHARE * len(grams)

    def quoted(self, start: int, end: int) -> bool:
        """Whether lines[start:end] (a paragraph of the post begun) mostly repeat a recent post."""
        if not self._hinted:
            return False
        text = _run_text(self.parts[start:end])
        return any(map(text.__contains__, self._hits)) and self._mostly_known(
            self._lines[start:end]
        )

    def quoted_line(self, line: str) -> bool:
        """Whether one line mostly repeats text of a recent post."""
        if not self._posts:
            return False
        text = line.strip(_SPACES)
        hinted = self._hinted_any(_sentences([text])) or (
            len(text) >= _MIN_HINT and text in self._recent_text()
        )
        return hinted and self._mostly_known([line])
