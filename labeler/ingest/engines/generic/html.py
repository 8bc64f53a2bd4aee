"""HTML pages: read each post element of the best repeating group into a post."""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING

from labeler.ingest.engines.base import clean_line, element_text
from labeler.ingest.engines.generic.drafts import Draft, set_parent, strip_signatures
from labeler.ingest.engines.generic.html_groups import SKIP_TAGS, Quoted, best_group, xml_safe
from labeler.ingest.engines.generic.html_parts import (
    html_author,
    html_body,
    html_extras,
    html_quotes,
    html_time,
    inline_alts,
    name_near,
    remove,
)
from labeler.ingest.engines.generic.lines import Line
from labeler.ingest.engines.generic.notes import parse_edit_note, parse_reaction
from labeler.ingest.engines.generic.text import clean_region
from labeler.ingest.model import ParsedPost

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_MEMBER = "data-generic-member"
_META_SPLIT = re.compile(r"\s*[|·•]\s*")
_OP = re.compile(r"^original poster\s*", re.I)
_TRAILING_NUMBER = re.compile(r"(?:^|\s)#\s?(\d+)$")


def _meta_lines(meta: HtmlElement, draft: Draft) -> None:
    """Tallies, edit notes and post numbers printed outside the body ("10 points · 2 days ago")."""
    for line in element_text(meta).split("\n"):
        for piece in _META_SPLIT.split(line):
            part = _OP.sub("", piece)
            if (reaction := parse_reaction(part)) and not draft.reactions:
                draft.add_reaction(reaction)
            elif (edit := parse_edit_note(part)) and draft.edited_text is None:
                draft.note_edit(*edit)
        if (m := _TRAILING_NUMBER.search(line)) and draft.post_number is None:
            draft.post_number = int(m.group(1))


def html_post(member: HtmlElement) -> Draft:
    """One post element (posts nested in it left out) as a draft."""
    own: HtmlElement = copy.deepcopy(member)
    for node in list(own.iterdescendants()):
        if node.get(_MEMBER) is not None or (isinstance(node.tag, str) and node.tag in SKIP_TAGS):
            remove(node)
    _collapse_source_newlines(own)
    quoted = Quoted(own)
    draft = Draft()
    html_extras(own, draft, quoted)
    time_el, draft.time_text = html_time(own, quoted)
    author_el, draft.author = html_author(own, quoted)
    if draft.author is None and time_el is not None and (near := name_near(time_el, own)):
        author_el, draft.author = near
    avoid = [x for x in (time_el, author_el) if x is not None]
    body = html_body(own, avoid, quoted)
    if body is None:
        for el in avoid:
            if el.getparent() is not None:
                _meta_lines(el, draft)
                remove(el)
    target = body if body is not None else own
    inline_alts(target)
    draft.quotes = html_quotes(target)
    lines = [Line(x, 0) for x in element_text(target).split("\n")]
    drop = {draft.author, draft.time_text, draft.subject, draft.user_title}
    draft.lines = [x.text for x in clean_region(lines, draft) if x.text not in drop]
    if body is not None:
        remove(body, keep_break=True)
        _meta_lines(own, draft)
    return draft


def _collapse_source_newlines(own: HtmlElement) -> None:
    """Line breaks in the markup's text are spaces (outside `pre`), as browsers show them."""
    inside_pre = [node for pre in own.iter("pre") for node in pre.iter()]  # alive: ids stay
    kept = {id(node) for node in inside_pre}
    for node in own.iter():
        if node.text and id(node) not in kept:
            node.text = xml_safe(node.text.replace("\n", " "))
        parent = node.getparent()
        if node.tail and (parent is None or id(parent) not in kept):
            node.tail = xml_safe(node.tail.replace("\n", " "))


def _depth(member: HtmlElement, marked: dict[int, int]) -> tuple[int | None, int | None]:
    """(depth, index of the enclosing post) from nesting, or depth from an `indent` attribute."""
    for anc in member.iterancestors():
        if id(anc) in marked:
            return None, marked[id(anc)]
    indents = member.xpath(".//*[@indent]/@indent")
    if indents and str(indents[0]).isdigit():
        return int(str(indents[0])), None
    return None, None


def _read_members(members: list[HtmlElement]) -> list[ParsedPost]:
    drafts: list[Draft] = []
    marked: dict[int, int] = {}
    for el in members:
        draft = html_post(el)
        depth, parent = _depth(el, marked)
        if parent is not None:
            draft.parent_index = parent
            draft.depth = (drafts[parent].depth or 0) + 1
        elif depth is not None:
            draft.depth = depth
            set_parent(draft, drafts)
        if draft.has_text():
            marked[id(el)] = len(drafts)
            drafts.append(draft)
    strip_signatures(drafts)
    return [d.to_post() for d in drafts]


def parse_html(root: HtmlElement) -> list[ParsedPost]:
    """The posts of a forum-like HTML page (none when no repeating post element is found)."""
    members = best_group(root)
    if not members:
        return []
    for el in members:
        el.set(_MEMBER, "1")
    try:
        return _read_members(members)
    finally:
        for el in members:
            el.attrib.pop(_MEMBER, None)


def html_meta(root: HtmlElement) -> tuple[str | None, str | None]:
    """(title, canonical URL) of an HTML page."""
    title = None
    for xpath in ("//meta[@property='og:title']/@content", "//title//text()", "//h1//text()"):
        found = [clean_line(str(x)) for x in root.xpath(xpath)]
        if any(found):
            title = " ".join(x for x in found if x)
            break
    urls = root.xpath("//link[@rel='canonical']/@href | //meta[@property='og:url']/@content")
    url = str(urls[0]).strip() if urls else ""
    return title, url or None
