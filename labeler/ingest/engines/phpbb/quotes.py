"""Text pages: a post's lines split into its own text and its quotes.

Quotes are indented blocks in w3m dumps, headed by "X wrote:" with the first quoted line
glued on. Renderers that print quotes flush with the post (lynx, browser copy-paste)
leave only the cite line; there a quote runs to the end of its paragraph, and on over
paragraphs and lines that repeat the text of a recent post (`recent.Recent`).
"""

from __future__ import annotations

from collections.abc import Sequence

from labeler.ingest.engines.phpbb import shapes as s
from labeler.ingest.engines.phpbb.recent import Recent
from labeler.ingest.engines.phpbb.shapes import base_indent, cite_time, quote_head
from labeler.ingest.model import ParsedQuote


def has_indented_cite(lines: Sequence[str], base: int) -> bool:
    """Whether a cite line is indented (then the page indents its quotes)."""
    if ":" not in "\n".join(lines) or s.flush(lines):
        return False
    return any(
        ":" in line[:120] and s.indent(line) >= base + s.INDENT_STEP and quote_head(line)
        for line in lines
        if ":" in line
    )


def join(lines: Sequence[str]) -> str:
    """Lines as text (paragraphs kept) without "Code:" titles and attachment lines."""
    return s.paragraphs(lines, drop_junk=True)


# ---------------------------------------------------------------- blocks and paragraphs
def _first_text(lines: Sequence[str]) -> int:
    return next((i for i, line in enumerate(lines) if s.visible(line)), len(lines))


def _block_end(lines: Sequence[str], i: int, depth: int) -> int:
    """Last line of the indented block starting at i (blank lines inside it included)."""
    last = i
    lead, visible = s.LEAD, s.visible
    for j in range(i + 1, len(lines)):
        line = lines[j]
        if len(line) - len(line.lstrip(lead)) >= depth:
            if visible(line):
                last = j
        elif visible(line):
            break
    return last


def _inline_quote_end(lines: Sequence[str], i: int, rest: str, known: Recent) -> int:
    """Where an unindented quote (lynx, copy-paste) ends: its paragraph, then known text.

    `lines` are the post begun in `known` (its `parts` tell the blank lines).
    """
    parts, count = known.parts, len(lines)
    end = i + 1
    while end < count and parts[end]:
        end += 1
    # the last line of the cite's paragraph that repeats a recent post
    last = i
    for k in range(end - 1, i, -1):
        if known.quoted_line(lines[k]):
            last = k
            break
    if i < last < end - 1 and (
        last == i + 1 or known.quoted_line(rest) or known.quoted_line(lines[i + 1])
    ):
        return last + 1  # the reply follows the quoted lines without a blank line
    must_take = end == i + 1 and not rest.strip()  # "X wrote:" alone, then the quoted text
    while end < count:
        k = end
        while k < count and not parts[k]:
            k += 1
        if k >= count or k in known.heads:
            break
        stop = k + 1
        while stop < count and parts[stop]:
            stop += 1
        if not (must_take or known.quoted(k, stop)):
            break
        end, must_take = stop, False
    return end


def _quote_from_lines(lines: Sequence[str]) -> ParsedQuote:
    """One quote block (already dedented): cite, time, own text, nested quotes."""
    first = _first_text(lines)
    head = quote_head(lines[first]) if first < len(lines) else None
    if head is None or (head[0] is None and head[1] == "" and first + 1 >= len(lines)):
        own, nested = _split_block(lines)
        return ParsedQuote(author=None, text=join(own), quotes=nested)
    author, rest = head
    following = next((x for x in lines[first + 1 :] if s.visible(x)), None)
    time_text, rest, skip = cite_time(rest, following)
    inner = list(lines[first + 1 :])
    if skip:
        inner = inner[_first_text(inner) + 1 :]
    own, nested = _split_block([rest, *inner])
    return ParsedQuote(author=author, text=join(own), time_text=time_text, quotes=nested)


def _quotes_from_block(block: Sequence[str]) -> list[ParsedQuote]:
    """An indented block: one quote, or several when cites start at its own indentation."""
    width = base_indent(block)
    lines = [line[min(width, s.indent(line)) :] for line in block]
    starts = [0] + [
        i for i in range(1, len(lines)) if s.indent(lines[i]) == 0 and quote_head(lines[i])
    ]
    bounds = zip(starts, [*starts[1:], len(lines)], strict=True)
    return [_quote_from_lines(lines[a:b]) for a, b in bounds]


def _inline_quote(
    line: str, head: tuple[str | None, str], rest: Sequence[str], parts: Sequence[str]
) -> ParsedQuote:
    """A quote that renderers printed flush with the post ("X wrote:" and its paragraph).

    `parts` are the `rest` lines stripped ("" for a blank line).
    """
    shown = next((k for k, part in enumerate(parts) if part), -1)
    time_text, glued, skip = cite_time(head[1], rest[shown] if shown >= 0 else None)
    inner = rest[shown + 1 :] if skip else rest
    own, nested = _split_block([" " * s.indent(line) + glued, *inner])
    return ParsedQuote(author=head[0], text=join(own), time_text=time_text, quotes=nested)


class _Split:
    """A text being split: own lines (a blank where each quote was) and the quotes."""

    __slots__ = ("mark", "own", "quotes")

    def __init__(self) -> None:
        self.own: list[str] = []
        self.quotes: list[ParsedQuote] = []
        self.mark = -1  # index in `own` of the last quote's place

    def quote(self, quote: ParsedQuote, *, nest_into_empty: bool = False) -> None:
        last = self.quotes[-1] if self.quotes else None
        if (
            nest_into_empty
            and last is not None
            and not (last.text or last.quotes)
            and all(s.blank(x) for x in self.own[self.mark :])
        ):
            last.quotes.append(quote)  # lynx prints a quote that opens with a quote this way
            return
        self.quotes.append(quote)
        self.mark = len(self.own)
        self.own.append("")

    def block(self, lines: Sequence[str], i: int, deep: int) -> int:
        """Take the indented block at line i (a quote, or a list or code box); its end."""
        last = _block_end(lines, i, deep)
        block = lines[i : last + 1]
        previous = next((x for x in reversed(self.own) if s.visible(x)), "")
        if s.ATTACHMENT.match(previous):
            pass  # the attachment list (file names, sizes) is not text
        elif s.BULLET.match(lines[i]) or s.CODE_HEAD.match(previous):
            self.own.extend(block)  # a nested list or a code box, not a quote
        else:
            for quote in _quotes_from_block(block):
                self.quote(quote)
        return last + 1


def _indented(lines: Sequence[str], deep: int) -> list[int]:
    """Indices of the non-blank lines indented at least `deep`."""
    if s.flush(lines):
        return []
    lead, visible = s.LEAD, s.visible
    return [
        i
        for i, line in enumerate(lines)
        if len(line) - len(line.lstrip(lead)) >= deep and visible(line)
    ]


def _split_block(lines: Sequence[str]) -> tuple[list[str], list[ParsedQuote]]:
    """(own lines, quotes) of a quote's text: only indented blocks are quotes in it."""
    out = _Split()
    deep = base_indent(lines) + s.INDENT_STEP
    i = 0
    for event in _indented(lines, deep):
        if event < i:
            continue
        out.own.extend(lines[i:event])
        i = out.block(lines, event, deep)
    out.own.extend(lines[i:])
    return out.own, out.quotes


def split_quotes(
    lines: list[str], *, inline: bool, known: Recent, base: int, flush: bool = False
) -> tuple[list[str], list[ParsedQuote]]:
    """(own lines with a blank where each quote was, quotes) of a post.

    Quotes are indented blocks (w3m); with `inline` (renderings that do not indent them)
    also "X wrote:" paragraphs and paragraphs that repeat a recent post. `flush` true
    says no line is indented.
    """
    deep = base + s.INDENT_STEP
    if not inline:
        out = _Split()
        i = 0
        for event in _indented(lines, deep):
            if event >= i:
                out.own.extend(lines[i:event])
                i = out.block(lines, event, deep)
        out.own.extend(lines[i:])
        return out.own, out.quotes
    return _split_flush(lines, known, deep, flush)


def _split_flush(
    lines: list[str], known: Recent, deep: int, flush: bool
) -> tuple[list[str], list[ParsedQuote]]:
    """`split_quotes` for renderings that print quotes flush with the post.

    `lines` are the post begun in `known`. Only some lines can change anything: cites
    (they hold a colon), indented blocks and, when the post may repeat a recent one, the
    first lines of paragraphs; the lines between are the post's own.
    """
    heads, hinted = known.heads, known.hinted
    if not heads and not hinted and flush:
        return lines, []  # the post's own lines, as they are
    parts = known.parts
    indented = set(_indented(lines, deep))
    events = indented.union(heads)
    first = final = 0
    if hinted:  # a paragraph may be a copy: paragraph starts are events too
        texts = [i for i, part in enumerate(parts) if part]
        if texts:
            first, final = texts[0], texts[-1]
            events.update(i for i in texts if i == 0 or not parts[i - 1])
    out = _Split()
    own = out.own
    i, count = 0, len(lines)
    for event in sorted(events):
        if event < i:
            continue
        own.extend(lines[i:event])
        i = event
        line = lines[i]
        if i in indented:
            i = out.block(lines, i, deep)
            continue
        head = heads.get(i)
        if head is not None:
            end = _inline_quote_end(lines, i, head[1], known)
            quote = _inline_quote(line, head, lines[i + 1 : end], parts[i + 1 : end])
            out.quote(quote, nest_into_empty=True)
            i = end
            continue
        if hinted and parts[i] and (i == 0 or not parts[i - 1]):
            end = i + 1
            while end < count and parts[end]:
                end += 1
            alone = first >= i and final < end  # a post that is only this paragraph
            if not alone and known.quoted(i, end):
                out.quote(ParsedQuote(author=None, text=join(lines[i:end])))
                i = end
                continue
        own.append(line)
        i += 1
    own.extend(lines[i:])
    return own, out.quotes
