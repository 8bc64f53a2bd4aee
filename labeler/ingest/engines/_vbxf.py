"""Pieces the vBulletin and XenForo parsers share: line shapes, quotes, signatures, HTML text.

Both engines print a post as a header (author, date, "#N"), a body with quote blocks whose
end a text rendering may not mark, and a tail (edit note, signature, buttons). Text input
is read by line shape; HTML input by the engines' class names.
"""

from __future__ import annotations

import copy
import re
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import lxml.html
from lxml import etree

from labeler.ingest.engines.base import join_paragraphs
from labeler.ingest.model import ParsedPost, ParsedQuote

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# ---------------------------------------------------------------- line shapes
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATE = (
    r"(?:\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}"
    r"|today|yesterday|(?:mon|tues|wednes|thurs|fri|satur|sun)day)"
)
_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?"
_AGO = (
    r"(?:(?:a|an|one|\d+)\s+(?:second|minute|hour|day|week|month|year)s?\s+ago"
    r"|a moment ago|just now)"
)
DATE_START = re.compile(rf"(?i)(?:{_DATE}|{_AGO})")  # a time text that starts with its date
TIME_RE = re.compile(rf"(?i)(?:{_DATE})(?:,?\s*(?:at\s+)?{_CLOCK})?|{_AGO}|{_CLOCK}")
BULLETS = "•*+▪·◦○●■□‣\u2013-"  # as renderers print them
_BULLET_RE = re.compile(rf"^[{re.escape(BULLETS)}](?:\s+|$)")
_LIST_NUMBER_RE = re.compile(r"^\d{1,6}\.\s+")
_HR_CHARS = frozenset("━─—_=~-")
SIGNATURE_RULE = re.compile(r"^_{10,30}$")
NBSP = "\xa0"


def indent(line: str) -> int:
    """Leading spaces of a raw line (tabs count as one)."""
    return len(line) - len(line.lstrip(" \t"))


def is_blank(line: str) -> bool:
    """True for an empty line or one holding only spaces / no-break spaces."""
    return not line.strip(" \t\xa0\u200b")


def is_hr(line: str) -> bool:
    """A horizontal rule as a renderer draws it (a run of one rule glyph), not the vB
    signature separator (which has its own rule)."""
    text = line.strip()
    if len(text) < 3 or text[0] not in _HR_CHARS or text[-1] not in _HR_CHARS:
        return False
    return set(text) <= _HR_CHARS and not SIGNATURE_RULE.match(text)


def strip_bullet(text: str) -> str:
    """A cleaned line without a leading list bullet or list number."""
    if not text or (text[0] not in BULLETS and not text[0].isdigit()):
        return text
    text = _BULLET_RE.sub("", text)
    return _LIST_NUMBER_RE.sub("", text)


@lru_cache(maxsize=1 << 16)
def cleaned(raw: str) -> str:
    """A raw line cleaned and without its bullet (cached: parsers look at lines often)."""
    return strip_bullet(clean(raw))


def is_time_text(text: str) -> bool:
    """True when a (cleaned) line is only a date/time as forums print them."""
    return bool(text) and TIME_RE.fullmatch(text) is not None


_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


@lru_cache(maxsize=1 << 16)
def clean(line: str) -> str:
    """`base.clean_line`, faster: zero-width characters out, whitespace runs → one space."""
    if not line.isascii():
        line = line.translate(_ZERO_WIDTH)
    return " ".join(line.split())


def norm(text: str) -> str:
    """Whitespace-collapsed text for comparisons."""
    return clean(text)


# ---------------------------------------------------------------- earlier posts, for quotes
@dataclass(slots=True)
class _Source:
    lines: frozenset[str]
    text: str


@dataclass(slots=True)
class SourceIndex:
    """The last few posts of each author, to tell where an unmarked quote ends."""

    keep: int = 30
    by_author: dict[str, deque[_Source]] = field(default_factory=lambda: defaultdict(deque))
    recent: deque[_Source] = field(default_factory=deque)

    def add(self, author: str | None, text: str) -> None:
        """Remember a parsed post's text."""
        lines = [norm(x) for x in text.splitlines() if x.strip()]
        source = _Source(frozenset(lines), " ".join(lines))
        for bucket in (self.by_author[author or ""], self.recent):
            bucket.append(source)
            if len(bucket) > self.keep:
                bucket.popleft()

    def matches(self, author: str | None, line: str) -> bool:
        """True when `line` is (part of) a line of an earlier post by `author`."""
        text = norm(line)
        pool: Iterable[_Source] = self.by_author.get(author or "") or self.recent
        for source in pool:
            if text in source.lines or (len(text) >= 10 and text in source.text):
                return True
        return False


# ---------------------------------------------------------------- quotes in text
QuoteHead = Callable[[str], tuple[str | None, str | None] | None]


@dataclass(frozen=True, slots=True)
class QuoteStyle:
    """How an engine prints quotes in text: a header line and, maybe, an end marker."""

    head: QuoteHead
    end: re.Pattern[str] | None = None
    skip_after_end: re.Pattern[str] | None = None


def _base_indent(lines: list[str]) -> int:
    return min((indent(x) for x in lines if not is_blank(x)), default=0)


def _pair_markers(lines: list[str], style: QuoteStyle) -> dict[int, int]:
    """Header line → the end-marker line that closes it (nesting respected), in one pass."""
    pairs: dict[int, int] = {}
    if style.end is None:
        return pairs
    open_heads: list[int] = []
    for k, raw in enumerate(lines):
        if is_blank(raw):
            continue
        text = clean(raw)
        if style.end.match(text):
            if open_heads:
                pairs[open_heads.pop()] = k
        elif style.head(text) is not None:
            open_heads.append(k)
    return pairs


def _unmarked_stop(
    lines: list[str],
    span: tuple[int, int],
    base: int,
    style: QuoteStyle,
    sources: SourceIndex,
    who: str | None,
) -> int:
    """End (exclusive) of a quote with no end marker: indentation, then earlier posts."""
    start, limit = span
    first = next((k for k in range(start, limit) if not is_blank(lines[k])), limit)
    if first == limit:
        return first
    end = first
    while end < limit and not (not is_blank(lines[end]) and style.head(clean(lines[end]))):
        end += 1
    level = indent(lines[first])
    if level > base:
        stop = first
        for k in range(first, end):
            if not is_blank(lines[k]):
                if indent(lines[k]) < level:
                    break
                stop = k + 1
        return stop
    matched = first - 1
    for k in range(first, end):
        if is_blank(lines[k]):
            continue
        if not sources.matches(who, lines[k]):
            break
        matched = k
    if matched >= first:
        return matched + 1
    return _fallback_stop(lines, first, end)


def _fallback_stop(lines: list[str], first: int, end: int) -> int:
    """No clue where the quote ends: its first paragraph, or its first line, leaving a reply."""
    blank = next((k for k in range(first, end) if is_blank(lines[k])), end)
    if any(not is_blank(x) for x in lines[blank:end]):
        return blank
    nonblank = [k for k in range(first, end) if not is_blank(lines[k])]
    return nonblank[0] + 1 if len(nonblank) > 1 else end


def split_quotes(
    lines: list[str], style: QuoteStyle, sources: SourceIndex
) -> tuple[list[str], list[ParsedQuote]]:
    """(own lines, quotes) of a post's content lines; quote text comes without its header."""
    pairs = _pair_markers(lines, style)
    return _split(lines, 0, len(lines), style, sources, pairs, _base_indent(lines))


def _split(
    lines: list[str],
    start: int,
    stop: int,
    style: QuoteStyle,
    sources: SourceIndex,
    pairs: dict[int, int],
    base: int,
) -> tuple[list[str], list[ParsedQuote]]:
    own: list[str] = []
    quotes: list[ParsedQuote] = []
    i = start
    while i < stop:
        text = "" if is_blank(lines[i]) else clean(lines[i])
        head = style.head(text) if text else None
        if head is None:
            if not (text and style.end is not None and style.end.match(text)):
                own.append(lines[i])  # a stray end marker is dropped
            i += 1
            continue
        author, time_text = head
        end = pairs.get(i)
        if end is not None and end < stop:
            inner, nested = _split(lines, i + 1, end, style, sources, pairs, base)
            i = end + 1
            while i < stop and (is_blank(lines[i]) or _skips(style, lines[i])):
                i += 1
        else:
            end = _unmarked_stop(lines, (i + 1, stop), base, style, sources, author)
            inner, nested = lines[i + 1 : end], []
            i = end
        quotes.append(ParsedQuote(author, join_paragraphs(inner), time_text, nested))
        own.append("")
    return own, quotes


def _skips(style: QuoteStyle, raw: str) -> bool:
    return style.skip_after_end is not None and bool(style.skip_after_end.match(clean(raw)))


# ---------------------------------------------------------------- edit notes, signatures
_LEADING_ICONS = re.compile(r"^(?:\[[^\]]{0,40}\]\s*)+")


def take_edit_note(
    lines: list[str], pattern: re.Pattern[str]
) -> tuple[list[str], list[str], str | None, str | None]:
    """(lines before the edit note, lines after it, editor it names, the whole note)."""
    for k in range(len(lines) - 1, -1, -1):
        if "dited" not in lines[k]:  # "Last edited ..." (a cheap test before the pattern)
            continue
        text = _LEADING_ICONS.sub("", clean(lines[k]))
        m = pattern.match(text)
        if not m:
            continue
        note = [text]
        tail = lines[k + 1 :]
        if tail and clean(tail[0]).lower().startswith("reason:"):
            note.append(clean(tail[0]))
            tail = tail[1:]
        editor = m.groupdict().get("editor")
        if editor and editor.lower() in ("a moderator", "moderator", "an administrator"):
            editor = None
        return lines[:k], tail, editor or None, " ".join(note)
    return lines, [], None, None


def take_signature(lines: list[str]) -> tuple[list[str], str | None]:
    """Split at vBulletin's "__________________" signature rule, when there is one."""
    for k, line in enumerate(lines):
        if SIGNATURE_RULE.match(line.strip()):
            rest = [x for x in lines[k + 1 :] if not is_hr(x)]
            return lines[:k], join_paragraphs(rest) or None
    return lines, None


def repeated_signatures(posts: list[ParsedPost], longest: int = 8) -> None:
    """Move to `signature` the closing lines an author ends several different posts with.

    Text renderings often print a signature as just more lines; what repeats under one
    author's posts (with different text above it) is the signature. Exact double posts
    alone do not count.
    """
    seen: dict[tuple[str, str], set[int]] = defaultdict(set)
    splits: list[list[tuple[str, str]]] = []
    for post in posts:
        lines = post.body.split("\n") if post.author and post.signature is None else []
        options = [
            ("\n".join(lines[:-k]).strip(), "\n".join(lines[-k:]).strip())
            for k in range(1, min(longest, len(lines) - 1) + 1)
            if lines[-k].strip()
        ]
        options = [(head, tail) for head, tail in options if head]
        for head, tail in options:
            seen[(post.author or "", tail)].add(hash(head))
        splits.append(options)
    for post, options in zip(posts, splits, strict=True):
        for head, tail in reversed(options):
            if len(seen[(post.author or "", tail)]) >= 2:
                post.body, post.signature = head, tail
                break


def quoted_signatures(posts: list[ParsedPost]) -> None:
    """Split off the signature of a one-post author from what a later post quotes of it.

    Forums leave the signature out when a post is quoted, so when a later quote of that
    author is exactly the post's leading paragraphs, the unquoted closing paragraphs are
    the signature (when it is a block of three or more lines, as signatures are; a shorter
    rest is more likely a reply the quote left out). Authors with several posts are left
    to `repeated_signatures`.
    """
    count: dict[str, int] = defaultdict(int)
    where: dict[str, int] = {}
    for k, post in enumerate(posts):
        count[post.author or ""] += 1
        where[post.author or ""] = k
    for k, post in enumerate(posts):
        for quote in post.quotes:
            if not quote.author or count[quote.author] != 1 or where[quote.author] >= k:
                continue
            source = posts[where[quote.author]]
            if source.signature is None:
                _split_at_quote(source, norm(quote.text))


def _split_at_quote(post: ParsedPost, wanted: str) -> None:
    paras = post.body.split("\n\n")
    for m in range(1, len(paras)):
        head, tail = "\n\n".join(paras[:m]), "\n\n".join(paras[m:])
        if norm(head) == wanted:
            if len([x for x in tail.split("\n") if x.strip()]) >= 3:
                post.body, post.signature = head, tail
            return
        if len(norm(head)) > len(wanted):
            return


# ---------------------------------------------------------------- reactions
_OTHERS_RE = re.compile(r"(?i)\s*(?:,|\band\b)?\s*(\d[\d,.]*)\s+others?\b.*$")
_LIKE_TAIL_RE = re.compile(r"(?i)\s+(?:like|likes|liked)\s+this\.?$")


def count_reactors(names: str) -> int:
    """How many people a reactor list names: "A, B and 12 others" → 14."""
    text = _LIKE_TAIL_RE.sub("", clean(names))
    others = 0
    m = _OTHERS_RE.search(text)
    if m:
        others = int(re.sub(r"\D", "", m.group(1)) or 0)
        text = text[: m.start()]
    parts = [p for p in re.split(r",\s*|\s+and\s+", text) if p.strip()]
    return len(parts) + others


# ---------------------------------------------------------------- HTML
_BLOCK_TAGS = frozenset(
    (
        "p", "div", "li", "ul", "ol", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
        "table", "section", "article", "aside", "header", "footer", "dd", "dt", "dl", "hr",
        "figure", "figcaption",
    )
)  # fmt: skip


def by_class(root: HtmlElement, cls: str, tag: str = "*") -> list[HtmlElement]:
    """Descendants of `root` (or root itself) whose class list holds `cls`."""
    return [
        e
        for e in root.iter(tag if tag != "*" else etree.Element)
        if cls in (e.get("class") or "").split()
    ]


def first_class(root: HtmlElement, *classes: str) -> HtmlElement | None:
    """The first descendant carrying any of `classes` (earlier classes win)."""
    found: dict[str, HtmlElement] = {}
    wanted = set(classes)
    for e in root.iter(etree.Element):
        names = (e.get("class") or "").split()
        for name in names:
            if name in wanted and name not in found:
                found[name] = e
        if classes[0] in found:
            break
    return next((found[c] for c in classes if c in found), None)


def find(
    root: HtmlElement, classes: tuple[str, ...], ids: tuple[str, ...] = ()
) -> dict[str, list[HtmlElement]]:
    """Elements under root by class name (and "#prefix" for id prefixes), in one walk."""
    out: dict[str, list[HtmlElement]] = defaultdict(list)
    wanted = frozenset(classes)
    for e in root.iter(etree.Element):
        names = e.get("class")
        if names:
            for name in names.split():
                if name in wanted:
                    out[name].append(e)
        ident = e.get("id") if ids else None
        if ident:
            for prefix in ids:
                if ident.startswith(prefix):
                    out["#" + prefix].append(e)
    return out


def pick(found: dict[str, list[HtmlElement]], *keys: str) -> HtmlElement | None:
    """The first element found under the first of `keys` that has any."""
    for key in keys:
        if found.get(key):
            return found[key][0]
    return None


def text_or_none(element: HtmlElement | None) -> str | None:
    """`html_text` of an element, None for no element or no text."""
    return (html_text(element) or None) if element is not None else None


def has_class(element: HtmlElement, cls: str) -> bool:
    """True when the element's class list holds `cls`."""
    return cls in (element.get("class") or "").split()


def drop(element: HtmlElement) -> None:
    """Remove an element from a (copied) tree, keeping its tail text, leaving a paragraph break."""
    parent = element.getparent()
    if parent is None:
        return
    rule = lxml.html.Element("hr")
    rule.tail = element.tail
    parent.replace(element, rule)


def html_text(
    element: HtmlElement,
    *,
    without: Iterable[str] = (),
    drop_if: Callable[[HtmlElement], bool] | None = None,
) -> str:
    """Visible text of an element as a text browser prints it: <br> is a line break, blocks
    are paragraphs, images show their alt text; elements with a class in `without`, or for
    which `drop_if` holds, are left out."""
    root = copy.deepcopy(element)
    root.tail = None
    unwanted = set(without)
    doomed = [
        e
        for e in root.iterdescendants(etree.Element)
        if (unwanted and unwanted.intersection((e.get("class") or "").split()))
        or (drop_if is not None and drop_if(e))
    ]
    for found in doomed:
        drop(found)
    parts: list[str] = []
    _walk(root, parts)
    lines = [clean(x) for x in "".join(parts).split("\n")]
    return join_paragraphs(lines)


def _walk(node: HtmlElement, parts: list[str]) -> None:
    tag = node.tag if isinstance(node.tag, str) else ""
    if tag in ("script", "style", "noscript", "template", "svg", "button", "input", "select"):
        if node.tail:
            parts.append(node.tail.replace("\n", " "))
        return
    if tag == "br":
        parts.append("\n")
    elif tag == "img":
        parts.append(_image_text(node))
    elif tag == "hr":
        parts.append("\n\n")
    elif tag in _BLOCK_TAGS:
        parts.append("\n")
    if node.text and tag:
        parts.append(node.text.replace("\n", " ") if tag != "pre" else node.text)
    for child in node:
        _walk(child, parts)
    if tag in _BLOCK_TAGS:
        parts.append("\n")
    if node.tail:
        parts.append(node.tail.replace("\n", " "))


def _image_text(img: HtmlElement) -> str:
    alt = (img.get("alt") or "").strip()
    if alt:
        return alt
    src = (img.get("src") or "").split("?")[0]
    if not src or src.startswith("data:"):
        return ""
    stem = src.rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return f"[{stem}]" if stem else ""


def meta_url(tree: HtmlElement) -> str | None:
    """The page's own address (og:url, canonical link) when it is absolute."""
    for value in tree.xpath("//meta[@property='og:url']/@content | //link[@rel='canonical']/@href"):
        text = str(value).strip()
        if text.startswith(("http://", "https://")):
            return text
    return None


def post_number(text: str | None) -> int | None:
    """7 from "#7" (or "7")."""
    m = re.search(r"#?\s*(\d+)", text or "")
    return int(m.group(1)) if m else None


def fill_from_lines(
    post: ParsedPost,
    lines: list[str],
    style: QuoteStyle,
    edit_note: re.Pattern[str],
    sources: SourceIndex,
) -> None:
    """Set a post's body, quotes, edit note and signature (ruled off, or under the edit
    note) from its content lines."""
    own, quotes = split_quotes(lines, style, sources)
    own, after, editor, note = take_edit_note(own, edit_note)
    own, signature = take_signature(own)
    after_text = join_paragraphs([x for x in after if not is_hr(x)])
    if after_text and signature is None:
        signature = after_text  # vBulletin 4/5 print the signature under the edit note
    elif after_text:
        own += after
    post.body = join_paragraphs([x for x in own if not is_hr(x)])
    post.quotes = quotes
    if note is not None:
        post.edited_by, post.edited_text = editor, note
    if signature is not None:
        post.signature = signature
    sources.add(post.author, post.body)
