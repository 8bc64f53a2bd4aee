"""HTML pages: which repeating elements are the posts.

Candidates are grouped by microdata type (Comment, DiscussionForumPosting, ...), by class
tokens naming posts/messages/comments/replies/entries, by `article`, and by same-class
siblings (table rows of a comment tree). The group whose members mostly hold a time and
some text wins: the most members, then the outermost element (a post, not its body).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from labeler.ingest.engines.base import clean_line
from labeler.ingest.engines.generic.lines import find_time
from labeler.ingest.engines.html_tools import text_of

if TYPE_CHECKING:
    from lxml.html import HtmlElement

SKIP_TAGS = frozenset({"script", "style", "template", "head", "svg", "button", "select"})
_POSTISH = re.compile(r"post|message|comment|reply|replies|entry|answer|msg", re.I)
_ITEMTYPES = ("comment", "discussionforumposting", "socialmediaposting", "answer", "question")
_INLINE = frozenset({"p", "span", "a", "br", "b", "i", "em", "strong", "img", "font", "u"})
_QUOTE_CLASS = re.compile(
    r"^(?:bb_?code_?|mycode_)?quote(?:[-_]?(?:box|container|block|wrap(?:per)?|content|body))?$"
    r"|block--quote$|^blockquote$",
    re.I,
)

Score = tuple[int, int, int, int]


def classes(el: HtmlElement) -> list[str]:
    """The element's class tokens."""
    return (el.get("class") or "").split()


def tag(el: HtmlElement) -> str:
    """The element's tag ("" for comments and processing instructions)."""
    return el.tag if isinstance(el.tag, str) else ""


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str | None) -> str | None:
    """Text lxml accepts back into a tree (a page may hold control characters)."""
    return _NOT_XML.sub("", text) if text else text


def is_inside(el: HtmlElement, ancestor: HtmlElement) -> bool:
    """Whether `ancestor` is a proper ancestor of `el`."""
    return any(a is ancestor for a in el.iterancestors())


def is_quote(el: HtmlElement) -> bool:
    """A quote box: `blockquote` (not a post body or signature) or a quote-ish class."""
    if tag(el) == "blockquote":
        marks = el.get("class") or ""
        return "postcontent" not in marks and "signature" not in marks
    return any(_QUOTE_CLASS.search(c) for c in classes(el))


class Quoted:
    """The elements of a post that sit inside quote boxes (found once per post)."""

    def __init__(self, own: HtmlElement) -> None:
        self._alive = [node for box in outer_quotes(own) for node in box.iter()]
        self._ids = {id(node) for node in self._alive}

    def __contains__(self, el: object) -> bool:
        return id(el) in self._ids


def outer(el: HtmlElement, match: re.Pattern[str]) -> list[HtmlElement]:
    """Descendants of `el` with a class token matching `match`, outermost ones only."""
    return outer_many(el, {"": match})[""]


def outer_many(
    el: HtmlElement, patterns: dict[str, re.Pattern[str]]
) -> dict[str, list[HtmlElement]]:
    """For each named pattern, the outermost descendants with a class token matching it."""
    found: dict[str, list[HtmlElement]] = {name: [] for name in patterns}
    for node in el.iterdescendants():
        tokens = classes(node) if tag(node) else []
        if not tokens:
            continue
        for name, match in patterns.items():
            hits = found[name]
            if any(match.search(c) for c in tokens) and not (hits and is_inside(node, hits[-1])):
                hits.append(node)
    return found


def outer_quotes(el: HtmlElement) -> list[HtmlElement]:
    """The outermost quote boxes below `el`."""
    found: list[HtmlElement] = []
    for node in el.iterdescendants():
        if tag(node) and is_quote(node) and not any(is_inside(node, f) for f in found[-8:]):
            found.append(node)
    return found


def _group_keys(el: HtmlElement) -> list[tuple[str, ...]]:
    keys: list[tuple[str, ...]] = []
    itemtype = (el.get("itemtype") or "").rstrip("/").rsplit("/", 1)[-1].lower()
    if itemtype in _ITEMTYPES:
        keys.append(("itemtype", itemtype))
    name = tag(el)
    if name == "article":
        keys.append(("tag", "article"))
    tokens = sorted(c.lower() for c in classes(el) if _POSTISH.search(c))
    if tokens:
        keys.append(("class", name, *tokens))
    parent = el.getparent()
    if parent is not None and name not in _INLINE:
        keys.append(("sibling", str(id(parent)), name, el.get("class") or ""))
    return keys


def candidate_groups(root: HtmlElement) -> dict[tuple[str, ...], list[HtmlElement]]:
    """Elements that may be posts, grouped by microdata type, tag, post-ish class or siblings."""
    groups: dict[tuple[str, ...], list[HtmlElement]] = {}
    skip: HtmlElement | None = None
    elements = list(root.iter())  # alive while grouping, so parents' ids stay unique
    for el in elements:
        name = tag(el)
        if not name or (skip is not None and is_inside(el, skip)):
            continue
        if name in SKIP_TAGS:
            skip = el
            continue
        for key in _group_keys(el):
            groups.setdefault(key, []).append(el)
    return groups


def member_ok(el: HtmlElement) -> bool:
    """Whether an element holds a time and some text beyond it."""
    text = clean_line(" ".join(el.itertext()))
    if len(text) > 200_000:
        return False
    match = find_time(text[:4000])
    if match is None and not el.xpath(".//time"):
        return False
    time_len = len(match.group(0)) if match else 0
    return len(text) >= time_len + 15


def _group_score(key: tuple[str, ...], members: list[HtmlElement]) -> Score | None:
    if len(members) < (1 if key[0] == "itemtype" else 2):
        return None
    if key[0] == "sibling" and len(members) < 3:
        return None
    sample = members[:40]
    if key[0] == "sibling" and not any(member_ok(m) for m in sample[:3]):
        return None
    if sum(member_ok(m) for m in sample) < 0.6 * len(sample):
        return None
    depth = sum(1 for _ in members[0].iterancestors())
    tier = 0 if key[0] == "tag" else 1
    return tier, len(members), 1 if key[0] == "itemtype" else 0, -depth


def best_group(root: HtmlElement) -> list[HtmlElement]:
    """The repeating elements that look most like the page's posts (empty when none), led by
    the opening post when the page marks it up differently (a submission, a blog article)."""
    best: list[HtmlElement] = []
    best_score: Score | None = None
    groups = candidate_groups(root)
    for key, members in groups.items():
        score = _group_score(key, members)
        if score is not None and (best_score is None or score > best_score):
            best, best_score = members, score
    if not best:
        return best
    opener = _opening_post(groups, best)
    return [opener, *best] if opener is not None else best


def _opening_post(
    groups: dict[tuple[str, ...], list[HtmlElement]], members: list[HtmlElement]
) -> HtmlElement | None:
    """A lone post-like element before the first member that holds a time and text.

    Only a posting's microdata may enclose the replies (the replies are its comments).
    """
    first = members[0]
    elements = list(first.getroottree().getroot().iter())  # alive, so ids stay unique
    order = {id(el): i for i, el in enumerate(elements)}
    limit = order[id(first)]
    found: HtmlElement | None = None
    for key, group in groups.items():
        if key[0] == "sibling" or len(group) != 1:
            continue
        el = group[0]
        if order.get(id(el), limit) >= limit:
            continue
        if is_inside(first, el) and not (key[0] == "itemtype" and key[1] != "comment"):
            continue
        if len(text_of(el)) < 80 or not member_ok(el):
            continue
        if found is None or order[id(el)] > order[id(found)]:
            found = el
    return found
