"""Discourse engine: header lines, likes, quotes, the crawler view and the JavaScript app.

Every input here is written for the test (fictional users and text) and reproduces one
structure of Discourse pages: text as a text browser prints the crawler view, and HTML.
"""

from __future__ import annotations

from labeler.ingest.engines.discourse import ENGINE
from labeler.ingest.model import ParsedPage
from tests.ingest.helpers import (
    assert_skips_unreadable_markup,
    html_page,
    survives_any_text,
    survives_markup,
    text_page,
)


def parse_text(text: str) -> ParsedPage:
    return ENGINE.parse(text_page(text))


def parse_html(html: str) -> ParsedPage:
    return ENGINE.parse(html_page(html))


TOPIC = """Garden Talk

Which kettle is quietest?

Kitchen
maple_fox (Maple Fox) March 3, 2021, 5:27pm #1

My kettle screams every morning.

Any quiet ones?

8 Likes
birch.owl March 4, 2021, 9:02am #2

A stovetop one hums instead.

1 Like
Home Categories FAQ/Guidelines Terms of Service Privacy Policy

Powered by Discourse, best viewed with JavaScript enabled
"""


# ---------------------------------------------------------------- text
def test_header_line_gives_username_time_and_number() -> None:
    first = parse_text(TOPIC).posts[0]
    assert first.author == "maple_fox"
    assert first.time_text == "March 3, 2021, 5:27pm"
    assert first.post_number == 1


def test_header_without_display_name() -> None:
    second = parse_text(TOPIC).posts[1]
    assert (second.author, second.time_text, second.post_number) == (
        "birch.owl",
        "March 4, 2021, 9:02am",
        2,
    )


def test_position_printed_without_hash_sign() -> None:
    page = parse_text("oak_tree (Oak) May 2, 2023, 1:05pm 1\n\nHello there.\n\n2 Likes\n")
    assert [(p.author, p.time_text, p.post_number) for p in page.posts] == [
        ("oak_tree", "May 2, 2023, 1:05pm", 1)
    ]


def test_likes_line_is_a_reaction_not_body() -> None:
    posts = parse_text(TOPIC).posts
    assert posts[0].reactions == [("Like", 8)]
    assert posts[1].reactions == [("Like", 1)]
    assert "Like" not in posts[0].body


def test_body_keeps_paragraphs_and_drops_footer() -> None:
    posts = parse_text(TOPIC).posts
    assert posts[0].body == "My kettle screams every morning.\n\nAny quiet ones?"
    assert posts[1].body == "A stovetop one hums instead."


def test_last_post_without_likes_stops_at_footer() -> None:
    text = TOPIC.replace("1 Like\n", "")
    assert parse_text(text).posts[1].body == "A stovetop one hums instead."


def test_first_post_may_show_a_later_edit_date() -> None:
    # The first post's visible date is its last edit, later than the reply: kept as printed.
    text = TOPIC.replace("March 3, 2021, 5:27pm #1", "June 9, 2022, 8:00am #1")
    posts = parse_text(text).posts
    assert posts[0].time_text == "June 9, 2022, 8:00am"
    assert posts[1].time_text == "March 4, 2021, 9:02am"
    assert posts[0].edited_by is None


def test_indented_quote_with_user_header() -> None:
    text = TOPIC.replace(
        "A stovetop one hums instead.",
        "maple_fox:\n\n    My kettle screams every morning.\n\nA stovetop one hums instead.",
    )
    reply = parse_text(text).posts[1]
    assert [(q.author, q.text) for q in reply.quotes] == [
        ("maple_fox", "My kettle screams every morning.")
    ]
    assert reply.body == "A stovetop one hums instead."


def test_nested_indented_quotes() -> None:
    text = TOPIC.replace(
        "A stovetop one hums instead.",
        "maple_fox:\n\n    elm_leaf:\n\n        Older words.\n\n    Newer words.\n\nMy answer.",
    )
    quote = parse_text(text).posts[1].quotes[0]
    assert (quote.author, quote.text) == ("maple_fox", "Newer words.")
    assert [(q.author, q.text) for q in quote.quotes] == [("elm_leaf", "Older words.")]


def test_unindented_quote_ends_where_the_earlier_post_stops_matching() -> None:
    text = TOPIC.replace(
        "A stovetop one hums instead.",
        "maple_fox:\nAny quiet ones?\nA stovetop one hums instead.",
    )
    reply = parse_text(text).posts[1]
    assert [(q.author, q.text) for q in reply.quotes] == [("maple_fox", "Any quiet ones?")]
    assert reply.body == "A stovetop one hums instead."


def test_label_line_before_a_list_is_not_a_quote() -> None:
    text = TOPIC.replace("A stovetop one hums instead.", "Options:\n  • stovetop\n  • electric")
    reply = parse_text(text).posts[1]
    assert reply.quotes == []
    assert "stovetop" in reply.body


def test_lynx_link_numbers_before_the_username() -> None:
    page = parse_text("[12]maple_fox (Maple Fox) March 3, 2021, 5:27pm #1\n\nHi.\n")
    assert page.posts[0].author == "maple_fox"


def test_older_crawler_headers() -> None:
    iso = parse_text("maple_fox (Maple Fox) 2014-02-06 04:55:19 UTC #1\n\nHello.\n")
    assert [(p.author, p.time_text, p.post_number) for p in iso.posts] == [
        ("maple_fox", "2014-02-06 04:55:19 UTC", 1)
    ]
    by = parse_text("#2 By: Birch Owl, February 7th, 2014 10:00\n\nHi.\n")
    assert [(p.author, p.time_text, p.post_number) for p in by.posts] == [
        ("Birch Owl", "February 7th, 2014 10:00", 2)
    ]


def test_lynx_dump_link_numbers_are_removed() -> None:
    text = (
        "   [1]maple_fox (Maple Fox) March 3, 2021, 5:27pm #1\n\n"
        "   See [2]the manual for details.\n\n   2 Likes\n\n"
        "References\n\n   1. https://talk.example.org/u/maple_fox\n"
        "   2. https://example.org/manual\n"
    )
    [post] = parse_text(text).posts
    assert (post.author, post.body, post.reactions) == (
        "maple_fox",
        "See the manual for details.",
        [("Like", 2)],
    )


def test_vbulletin_style_numbered_dates_are_not_headers() -> None:
    page = parse_text(
        " 1. 06-15-2016, 03:03 PM #1\nOld 06-15-2016, 03:03 PM #2\n"
        "Old 06-15-2016, 03:03 PM      Link #3\nText\n"
    )
    assert page.posts == []


# ---------------------------------------------------------------- HTML
CRAWLER = """<html><head><title>Which kettle? - Garden Talk</title>
<link rel="canonical" href="https://talk.example.org/t/which-kettle/42"></head><body><noscript>
<h1 class="crawler-topic-title"><a href="/t/which-kettle/42">Which kettle?</a></h1>
<div itemscope itemtype="http://schema.org/DiscussionForumPosting" class="topic-body crawler-post">
 <div class="crawler-post-meta">
  <span class="creator" itemprop="author" itemscope itemtype="http://schema.org/Person">
   <a itemprop="url" href="/u/maple_fox"><span itemprop="name">maple_fox</span></a> (Maple Fox)
  </span>
  <span class="crawler-post-infos">
   <meta itemprop="datePublished" content="2021-03-03T17:27:00Z">
   <time itemprop="dateModified" datetime="2022-06-09T08:00:00Z" class="post-time">
     June 9, 2022,  8:00am</time>
   <span itemprop="position">#1</span>
  </span>
 </div>
 <div class="post" itemprop="articleBody">
  <p>My kettle screams <img src="/e/tea.png" class="emoji" alt=":tea:"></p>
  <p><img src="https://cdn.example.org/up/kettle_photo_690x362.png" width="690"></p>
  <ol><li>loud</li><li>slow</li></ol>
 </div>
 <div itemprop="interactionStatistic"><span class="post-likes">8 Likes</span></div>
</div>
<div itemscope itemtype="http://schema.org/DiscussionForumPosting" class="topic-body crawler-post">
 <div class="crawler-post-meta">
  <span class="creator"><a href="/u/birch.owl"><span itemprop="name">birch.owl</span></a></span>
  <span class="crawler-post-infos"><time class="post-time">March 4, 2021,  9:02am</time>
   <span itemprop="position">#2</span></span>
 </div>
 <div class="post" itemprop="articleBody">
  <aside class="quote no-group" data-username="maple_fox" data-post="1" data-topic="42">
   <div class="title"><div class="quote-controls"></div><img alt="" src="/a.png"> maple_fox:</div>
   <blockquote><p>My kettle screams</p>
    <aside class="quote" data-username="elm_leaf"><div class="title">elm_leaf:</div>
     <blockquote><p>Older words.</p></blockquote></aside>
   </blockquote>
  </aside>
  <p>A stovetop one hums.</p>
 </div>
</div>
</noscript></body></html>"""


def test_crawler_view_fields() -> None:
    page = parse_html(CRAWLER)
    assert page.title == "Which kettle?"
    assert page.url == "https://talk.example.org/t/which-kettle/42"
    first, second = page.posts
    assert (first.author, first.time_text, first.post_number) == (
        "maple_fox",
        "June 9, 2022, 8:00am",
        1,
    )
    assert first.reactions == [("Like", 8)]
    assert (second.author, second.time_text, second.reactions) == (
        "birch.owl",
        "March 4, 2021, 9:02am",
        [],
    )


def test_crawler_body_renders_images_and_lists_as_text_browsers_do() -> None:
    body = parse_html(CRAWLER).posts[0].body
    assert body.split("\n\n")[0] == "My kettle screams :tea:"
    assert "[kettle_photo_690x362]" in body
    assert "1. loud" in body and "2. slow" in body


def test_crawler_quote_aside_with_nested_quote() -> None:
    second = parse_html(CRAWLER).posts[1]
    assert second.body == "A stovetop one hums."
    [quote] = second.quotes
    assert (quote.author, quote.text) == ("maple_fox", "My kettle screams")
    assert [(q.author, q.text) for q in quote.quotes] == [("elm_leaf", "Older words.")]


APP = """<html><head><meta name="generator" content="Discourse 3.1"></head><body>
<article id="post_1" data-post-id="11" class="boxed onscreen-post"><div class="topic-body">
 <div class="topic-meta-data"><div class="names"><span class="first username">
  <a href="/u/maple_fox" data-user-card="maple_fox">maple_fox</a></span>
  <span class="user-title">Gardener</span></div>
  <div class="post-info post-date"><a class="post-date" data-post-number="1">
   <span class="relative-date">Mar '21</span></a></div></div>
 <div class="regular contents"><div class="cooked"><p>Kettles are loud.</p></div>
 <nav class="post-controls"><button class="widget-button like-count">4</button></nav></div>
</div></article>
<article id="post_2" data-post-id="12"><div class="topic-body">
 <div class="topic-meta-data"><div class="names"><span class="first username">
  <a data-user-card="birch.owl">birch.owl</a></span></div>
  <a class="reply-to-tab" href=""><img alt="" src="/a.png"><span>maple_fox</span></a>
  <div class="post-info post-date">
   <a class="post-date"><span class="relative-date">2d</span></a></div>
 </div>
 <div class="regular contents"><div class="cooked"><p>Not mine.</p></div></div>
</div></article></body></html>"""


def test_app_markup_posts() -> None:
    page = parse_html(APP)
    first, second = page.posts
    assert (first.author, first.time_text, first.post_number) == ("maple_fox", "Mar '21", 1)
    assert first.reactions == [("Like", 4)]
    assert first.user_title == "Gardener"
    assert (second.author, second.body, second.time_text) == ("birch.owl", "Not mine.", "2d")


def test_app_reply_to_marker_sets_the_parent() -> None:
    page = parse_html(APP)
    assert page.posts[1].parent_index == 0
    assert page.posts[0].parent_index is None


# ---------------------------------------------------------------- detection
def test_detects_discourse_text_and_html() -> None:
    assert ENGINE.detect(text_page(TOPIC)) >= 0.8
    assert ENGINE.detect(html_page(CRAWLER)) >= 0.8
    assert ENGINE.detect(html_page(APP)) >= 0.8


def test_other_pages_are_not_discourse() -> None:
    phpbb = "Postby maple_fox » Sun May 26, 2019 5:32 pm\n\nHello.\n\nTop\n"
    reddit = "level 1\n12 points · 3 years ago\n\nHello.\n"
    html = "<html><body><div class='post'><p>Hello</p></div></body></html>"
    assert ENGINE.detect(text_page(phpbb)) <= 0.2
    assert ENGINE.detect(text_page(reddit)) <= 0.2
    assert ENGINE.detect(html_page(html)) <= 0.2


def test_no_posts_on_unrelated_text() -> None:
    assert parse_text("Just a paragraph.\n\nAnother one.\n").posts == []


def test_unreadable_markup_is_no_page() -> None:
    assert_skips_unreadable_markup(ENGINE)


test_arbitrary_text_never_breaks_detect_or_parse = survives_any_text(ENGINE)


test_arbitrary_markup_never_breaks_parse = survives_markup(
    ENGINE,
    [
        "<div class='topic-body crawler-post'>",
        "<div class='post'>",
        "</div>",
        "<p>x</p>",
        "<aside class='quote'>",
        "<blockquote>",
        "</aside>",
        "<img>",
        "<article data-post-id='1'>",
        "<span class='post-likes'>",
        "3 Likes",
        "</span>",
        "<div class='cooked'>",
        "<ol><li>",
    ],
)
