"""Quotes in text renderings, where nothing marks the end of a quote.

A quote header ("37 minutes ago, NAME said:") is followed by the quoted lines. When the
renderer indents quotes (w3m, lynx) the indentation ends them; otherwise the quoted lines are
matched against the posts above on the same page (`SourceIndex`), so a quote ends where the
copied text ends, and the post it was copied from is known.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import deque
from dataclasses import dataclass, field

from labeler.ingest.engines.invision.lines import Lines, paragraphs
from labeler.ingest.engines.invision.shapes import quote_header
from labeler.ingest.model import ParsedQuote


class SourceIndex:
    """Lines of the posts above, by block (a post's own text, or one quote's text).

    A line is found whole (any block on the page) or, for partial and edited copies, by its
    first or last words inside the text of a recent block. Lookups return block ids, so a
    quote can be required to come from one block.
    """

    _MAX_BLOCKS = 64  # per line: a line repeated on every post says nothing about its source
    _RECENT = 150  # blocks searched for partial copies (a thread page holds fewer)
    _PROBE = 8  # words

    def __init__(self) -> None:
        # Line hash → its block, or the set of its blocks once it is in more than one.
        self._lines: dict[int, int | set[int]] = {}
        self._recent: deque[int] = deque()
        # A recent block's lower-case lines, joined by spaces when first searched.
        self._text: dict[int, str | list[str]] = {}

    def add(self, block: int, lines: list[str]) -> None:
        """Remember the lines of one block."""
        lowered = list(map(str.lower, lines))
        known = self._lines
        for key in map(hash, lowered):
            found = known.setdefault(key, block)
            if found == block:
                continue  # a new line (or one repeated inside the block)
            if isinstance(found, int):
                known[key] = {found, block}
            elif len(found) < self._MAX_BLOCKS:
                found.add(block)
        self._text[block] = lowered
        self._recent.append(block)
        if len(self._recent) > self._RECENT:
            del self._text[self._recent.popleft()]

    def lookup(self, text: str, within: set[int] | None = None) -> set[int]:
        """Blocks (of `within`, if given) holding this line whole, or its first or last words."""
        lowered = text.lower()
        whole = self._lines.get(hash(lowered))
        if isinstance(whole, int):
            if within is None or whole in within:
                return {whole}
        elif whole is not None:
            found = whole if within is None else whole & within
            if found:
                return found
        if lowered.count(" ") < 3:  # fewer than four words
            return set()
        probe = self._PROBE
        head = " ".join(lowered.split(" ", probe)[:probe])
        end = " ".join(lowered.rsplit(" ", probe)[-probe:])
        texts = self._text
        found = set()
        for block in texts.keys() if within is None else within & texts.keys():
            words = texts[block]
            if not isinstance(words, str):
                words = texts[block] = " ".join(words)
            if head in words or end in words:
                found.add(block)
        return found


_MAX_DEPTH = 8  # quotes nested deeper than this are read as text


@dataclass
class QuoteReader:
    """Splits one post's lines into its own text and (nested) quotes.

    `owners` maps the block of each post's own text to the post's index on the page, so a
    quote matched to one block of one post gets that post as its `post_index`.
    """

    lines: Lines
    index: SourceIndex = field(default_factory=SourceIndex)
    next_block: int = 0
    lines_of: dict[int, list[str]] = field(default_factory=dict)  # block -> lines, to index
    owners: dict[int, int] = field(default_factory=dict)  # block -> post
    authors: list[str | None] = field(default_factory=list)  # per post
    _headers: set[int] = field(init=False)  # lines.headers, for membership tests

    def __post_init__(self) -> None:
        self._headers = set(self.lines.headers)

    def _next(self, i: int, hi: int) -> int:
        text = self.lines.text
        while i < hi and not text[i]:
            i += 1
        return i

    def keep(self, own_block: int, post: int, author: str | None) -> None:
        """Index the blocks read for the page's post `post` (its own text is `own_block`)."""
        self.owners[own_block] = post
        self.authors.append(author)
        for block, lines in self.lines_of.items():
            self.index.add(block, lines)

    def read(self, lo: int, hi: int, depth: int = 0) -> tuple[str, list[ParsedQuote]]:
        """(own text, quotes) of lines[lo:hi]; registers every line under its block."""
        block = self.next_block
        self.next_block += 1
        text, headers = self.lines.text, self.lines.headers
        k = bisect_left(headers, lo)
        if k == len(headers) or headers[k] >= hi:  # no citation: all the block's own text
            rows = self.lines.nonblank_in(lo, hi)
            self.lines_of[block] = [text[i] for i in rows]
            return self.lines.paragraphs(rows), []
        return self._read_quoting(block, lo, hi, k, depth)

    def _read_quoting(
        self, block: int, lo: int, hi: int, k: int, depth: int
    ) -> tuple[str, list[ParsedQuote]]:
        """read() of a block with possible citations (the first is headers[k])."""
        text, headers = self.lines.text, self.lines.headers
        base = -1  # the block's least indentation, computed at the first indented header
        own: list[str] = []
        quotes: list[ParsedQuote] = []
        mine = self.lines_of.setdefault(block, [])
        i = lo
        while i < hi:
            k = bisect_left(headers, i, k)
            nxt = headers[k] if k < len(headers) and headers[k] < hi else hi
            if nxt > i:  # plain lines up to the next possible header
                part = text[i:nxt]
                own += part
                mine += filter(None, part)
                i = nxt
                continue
            indent = self.lines.indent(i)
            if indent and base < 0:
                base = self.lines.base(lo, hi)
            deeper = indent > max(base, 0)  # indented under the block's text
            header = self._header(text[i], deeper) if depth < _MAX_DEPTH else None
            mine.append(text[i])
            if header is None:
                own.append(text[i])
                i += 1
                continue
            end, origin = self._quote_end(i, hi, indent if deeper else -1, depth)
            quoted, nested = self.read(i + 1, end, depth + 1)
            author, time_text = header
            quote = ParsedQuote(author, quoted, time_text, nested)
            quote.post_index = self._post_of(origin, author)
            quotes.append(quote)
            own.append("")
            i = end
        return paragraphs(own), quotes

    @staticmethod
    def _header(text: str, deeper: bool) -> tuple[str | None, str | None] | None:
        """A citation line; an indented bare "Quote" is the citation of an unattributed quote."""
        if deeper and text.lower() == "quote":
            return None, None
        return quote_header(text)

    def _quote_end(self, i: int, hi: int, deeper: int, depth: int) -> tuple[int, set[int] | None]:
        """End of the quote whose header is line i, and the blocks it was matched to.

        deeper: the header's indentation when it is indented under its block's text, else -1.
        """
        if deeper >= 0:
            return self._end_indented(i + 1, hi, deeper), None
        after = self._next(i + 1, hi)
        if after < hi and (indent := self.lines.indent(after)) > self.lines.indent(i):
            return self._end_indented(after, hi, indent), None
        return self._end_matched(i, hi, depth)

    def _post_of(self, sources: set[int] | None, author: str | None) -> int | None:
        """The post whose own text the quote was matched to, when there is exactly one.

        Copies inside other posts' quotes are not sources of their own. A post printed with
        another author's name than the citation's is left to the pipeline to weigh.
        """
        if not sources:
            return None
        posts = {self.owners[b] for b in sources if b in self.owners}
        if len(posts) != 1:
            return None
        (post,) = posts
        writer = self.authors[post]
        if author and writer and author.casefold() != writer.casefold():
            return None
        return post

    def _end_indented(self, i: int, hi: int, indent: int) -> int:
        """End of the lines from line i on that are indented at least `indent`."""
        end = i
        for j in range(i, hi):
            if self.lines.text[j]:
                if self.lines.indent(j) < indent:
                    break
                end = j + 1
        return end

    def _end_matched(self, i: int, hi: int, depth: int) -> tuple[int, set[int] | None]:
        """End of the quote whose header is line i: as far as the text matches one source."""
        sources: set[int] | None = None
        end, first, gap_used = i + 1, True, False
        j = self._next(i + 1, hi)
        while j < hi:
            text = self.lines.text[j]
            if sources is None and not first and text.count(" ") < 4:
                hits: set[int] = set()  # after an unknown first line only a long line will do
            else:
                hits = self.index.lookup(text, sources)
            if depth + 1 < _MAX_DEPTH and j in self._headers and quote_header(text) is not None:
                if not (first or hits):
                    break
                sources = hits or sources
                end = self._end_matched(j, hi, depth + 1)[0]
            elif hits:
                sources, end = hits, j + 1
            elif first:
                end = j + 1  # unknown source (another page): its first line at least
            elif sources and not gap_used and self._continues(j, hi, sources):
                gap_used, end = True, j + 1  # one edited line inside a matched quote
            else:
                break
            first = False
            j = self._next(end, hi)
        return end, sources

    def _continues(self, j: int, hi: int, sources: set[int]) -> bool:
        k = self._next(j + 1, hi)
        if k >= hi or (k in self._headers and quote_header(self.lines.text[k]) is not None):
            return False
        return bool(self.index.lookup(self.lines.text[k], sources))
