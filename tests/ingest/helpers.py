"""What the engine tests share: pages made from strings, and what any input must survive."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from hypothesis import given, settings
from hypothesis import strategies as st

from labeler.ingest.engines.base import Engine
from labeler.ingest.model import ParsedPost
from labeler.ingest.page import Page


def text_page(text: str) -> Page:
    """A page from a .txt file (read as HTML only when the text is markup)."""
    return Page.from_text(text, path="x.txt")


def html_page(html: str) -> Page:
    """A page from an .html file."""
    return Page.from_text(html, path="x.html")


def markup_page(parts: Iterable[str]) -> Page:
    """An HTML page whose body is `parts`, joined (generated markup, often ill-formed)."""
    return html_page("<html><body>" + "".join(parts) + "</body></html>")


def assert_survives(engine: Engine, page: Page) -> list[ParsedPost]:
    """Detection gives a confidence in 0..1 and parsing gives posts and quotes with text."""
    assert 0.0 <= engine.detect(page) <= 1.0
    posts = engine.parse(page).posts
    for post in posts:
        assert isinstance(post.body, str)
        assert all(isinstance(quote.text, str) for quote in post.quotes)
    return posts


def assert_skips_unreadable_markup(engine: Engine) -> None:
    """HTML that lxml cannot read at all scores 0 and parses to no posts, with a warning."""
    page = Page.from_text("<!-- nothing -->", path="x.html", is_html=True)
    assert engine.detect(page) == 0.0
    parsed = engine.parse(page)
    assert parsed.posts == []
    assert parsed.warnings


# Property tests several engines share, made per engine (pytest collects them by the
# `test_` name a test module gives them).
def survives_any_text(engine: Engine) -> Callable[..., None]:
    """A test: any UTF-8 text, read as a text page, survives detection and parsing."""

    @settings(max_examples=200, deadline=None)
    @given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
    def test(text: str) -> None:
        assert_survives(engine, Page.from_text(text, path="x.txt", is_html=False))

    return test


def survives_markup(
    engine: Engine, pieces: list[str], *, max_size: int = 30, examples: int = 100
) -> Callable[..., None]:
    """A test: HTML bodies made of up to `max_size` of `pieces`, in any order, survive
    detection and parsing."""

    @settings(max_examples=examples, deadline=None)
    @given(st.lists(st.sampled_from(pieces), max_size=max_size))
    def test(parts: list[str]) -> None:
        assert_survives(engine, markup_page(parts))

    return test


def survives_lines(
    engine: Engine, pieces: list[str], *, line_size: int = 30, examples: int = 200
) -> Callable[..., None]:
    """A test: text pages of up to 60 lines, each one of `pieces` (an engine's line shapes)
    or any text of up to `line_size` characters, survive detection and parsing."""

    @settings(max_examples=examples, deadline=None)
    @given(st.lists(st.one_of(st.sampled_from(pieces), st.text(max_size=line_size)), max_size=60))
    def test(lines: list[str]) -> None:
        assert_survives(engine, text_page("\n".join(lines)))

    return test
