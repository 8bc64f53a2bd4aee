"""Page-level steps every engine shares: quoted posts, unsigned authors, double posts."""

from __future__ import annotations

from labeler.domain.post import Flag
from labeler.ingest.link import flag_duplicates, infer_authors, link_quotes
from labeler.ingest.model import PageKind, ParsedPage, ParsedPost, ParsedQuote

FIRST = "The ferry timetable changes in March and the early boat is cancelled for good."
SECOND = "I asked the harbour office and they said the winter service stays as it is."


def page(*posts: ParsedPost) -> ParsedPage:
    return ParsedPage("test", PageKind.FORUM, "Ferry thread", list(posts))


def test_a_quote_links_to_the_earlier_post_it_copies() -> None:
    p = page(
        ParsedPost(FIRST, author="ana"),
        ParsedPost(SECOND, author="ben"),
        ParsedPost("Good news.", quotes=[ParsedQuote("ben", SECOND)]),
    )
    link_quotes(p)
    assert p.posts[2].quotes[0].post_index == 1
    assert p.posts[2].parent_index == 1


def test_partial_and_edited_copies_still_link() -> None:
    partial = "they said the winter service stays"
    edited = "I asked the harbour office, and they said winter service stays as is."
    p = page(
        ParsedPost(FIRST),
        ParsedPost(SECOND),
        ParsedPost("Really?", quotes=[ParsedQuote(None, partial)]),
        ParsedPost("Sure.", quotes=[ParsedQuote(None, edited)]),
    )
    link_quotes(p)
    assert [post.parent_index for post in p.posts] == [None, None, 1, 1]


def test_a_quote_of_a_post_not_on_the_page_stays_unlinked() -> None:
    p = page(
        ParsedPost(FIRST),
        ParsedPost("No.", quotes=[ParsedQuote("cy", "Trams are quieter than any bus ever built.")]),
    )
    link_quotes(p)
    assert p.posts[1].quotes[0].post_index is None
    assert p.posts[1].parent_index is None


def test_a_structural_parent_is_kept_and_nested_quotes_link_too() -> None:
    inner = ParsedQuote(None, FIRST)
    p = page(
        ParsedPost(FIRST),
        ParsedPost(SECOND),
        ParsedPost("reply", parent_index=0, quotes=[ParsedQuote(None, SECOND, quotes=[inner])]),
    )
    link_quotes(p)
    assert p.posts[2].parent_index == 0
    assert p.posts[2].quotes[0].post_index == 1
    assert inner.post_index == 0


def test_the_author_named_in_the_quote_breaks_ties_between_copies() -> None:
    p = page(
        ParsedPost(FIRST, author="ana"),
        ParsedPost(FIRST, author="dan"),
        ParsedPost("So?", quotes=[ParsedQuote("ana", FIRST)]),
    )
    link_quotes(p)
    assert p.posts[2].parent_index == 0


def test_unsigned_authors_are_inferred_with_evidence() -> None:
    p = page(
        ParsedPost(FIRST, edited_by="ana", edited_text="Edited by ana"),
        ParsedPost(SECOND),
        ParsedPost("Hm.", quotes=[ParsedQuote("ben", SECOND, time_text="1 hour ago")]),
        ParsedPost("Nobody quotes me."),
    )
    link_quotes(p)
    infer_authors(p)
    assert p.posts[0].author_inferred == ("ana", '"Edited by ana"')
    assert p.posts[1].author_inferred is not None
    name, evidence = p.posts[1].author_inferred
    assert name == "ben"
    assert "1 hour ago, ben said:" in evidence
    assert "next post" in evidence
    assert p.posts[3].author_inferred is None


def test_a_quote_outweighs_an_edit_note_by_someone_else() -> None:
    p = page(
        ParsedPost(SECOND, edited_by="moderator"),
        ParsedPost("Yes.", quotes=[ParsedQuote("ben", SECOND)]),
    )
    link_quotes(p)
    infer_authors(p)
    assert p.posts[0].author_inferred is not None
    assert p.posts[0].author_inferred[0] == "ben"
    assert "moderator" in p.posts[0].author_inferred[1]


def test_printed_authors_are_never_overridden() -> None:
    p = page(ParsedPost(SECOND, author="cy"), ParsedPost("x", quotes=[ParsedQuote("ben", SECOND)]))
    link_quotes(p)
    infer_authors(p)
    assert p.posts[0].author == "cy"
    assert p.posts[0].author_inferred is None


def test_an_exact_double_post_is_two_posts_and_the_second_is_flagged() -> None:
    p = page(
        ParsedPost(FIRST, author="ana"),
        ParsedPost(FIRST, author="ana"),
        ParsedPost(FIRST, author="ben"),
        ParsedPost("+1"),
        ParsedPost("+1"),
    )
    flag_duplicates(p)
    assert [sorted(post.flags) for post in p.posts] == [[], [Flag.DUPLICATE], [], [], []]


def test_linking_is_fast_enough_for_huge_pages() -> None:
    # 5 000 posts each quoting its predecessor: the inverted index keeps this near-linear.
    posts = [
        ParsedPost(f"post {i} about topic{i} and detail{i * 7} with words", author=f"u{i}")
        for i in range(5_000)
    ]
    for i in range(1, len(posts)):
        posts[i].quotes = [ParsedQuote(f"u{i - 1}", posts[i - 1].body)]
    p = page(*posts)
    link_quotes(p)
    assert all(p.posts[i].parent_index == i - 1 for i in range(1, len(posts)))


def test_common_words_scattered_in_a_long_post_are_not_a_copy() -> None:
    long_post = (
        "No one thinks the council is the one to blame. They should not rebuild it twice, "
        "and the ferry company is not the one paying. It is the harbour board that will "
        "decide whether they rebuild, not us; the board should say so."
    )
    quote = ParsedQuote("cy", "No, the board is the one that should rebuild it, not us.")
    p = page(ParsedPost(long_post), ParsedPost("Off-page quote.", quotes=[quote]))
    link_quotes(p)
    assert quote.post_index is None
    # while a real partial copy of the same post still links
    copy = ParsedQuote(None, "They should not rebuild it twice, and the ferry company")
    p = page(ParsedPost(long_post), ParsedPost("On-page quote.", quotes=[copy]))
    link_quotes(p)
    assert copy.post_index == 0
