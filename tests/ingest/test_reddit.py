"""Reddit-like engine: submission, comments, "level N" threading, points, old and new markup.

Every input here is written for the test (fictional users and text) and reproduces one
structure of Reddit pages: new Reddit as a text browser prints it, old Reddit, shreddit.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from labeler.ingest.engines.reddit import ENGINE
from labeler.ingest.model import ParsedPage
from tests.ingest.helpers import (
    assert_skips_unreadable_markup,
    assert_survives,
    html_page,
    survives_any_text,
    survives_markup,
    text_page,
)


def parse_text(text: str) -> ParsedPage:
    return ENGINE.parse(text_page(text))


def parse_html(html: str) -> ParsedPage:
    return ENGINE.parse(html_page(html))


# New Reddit (2018-2020) as w3m prints it: no author names, threading only through "level N".
NEW_TEXT = """r/teaSubreddit icon
log insign up
57

Best tea for cold mornings?

[renderTimi]
Close
57
Posted by5 years ago
Archived

Best tea for cold mornings?

[renderTimi]

I drink green tea but want something stronger.

Any tips welcome.

12 comments
share
savehidereport
94% Upvoted
Sort by
best
level 1
12 points · 5 years ago

Try assam.

level 2
3 points · 5 years ago · edited 5 years ago

Assam is great with milk.

    something stronger

Indeed.

Continue this thread\u00a0
level 2
Original Poster1 point · 5 years ago

Thanks, I will.

level 1
-2 points · 4 years ago

Coffee.

View entire discussion (12 comments)
More posts from the tea community
"""


def test_submission_fields() -> None:
    sub = parse_text(NEW_TEXT).posts[0]
    assert sub.is_submission and sub.depth == 0
    assert sub.reactions == [("score", 57)]
    assert sub.time_text == "5 years ago"
    assert sub.subject == "Best tea for cold mornings?"
    assert sub.body == "I drink green tea but want something stronger.\n\nAny tips welcome."


def test_comments_print_no_author() -> None:
    page = parse_text(NEW_TEXT)
    assert [p.author for p in page.posts] == [None] * 5


def test_points_are_reactions() -> None:
    posts = parse_text(NEW_TEXT).posts
    assert [p.reactions for p in posts[1:]] == [
        [("points", 12)],
        [("points", 3)],
        [("points", 1)],
        [("points", -2)],
    ]


def test_level_lines_give_depth_and_parents() -> None:
    posts = parse_text(NEW_TEXT).posts
    assert [p.depth for p in posts] == [0, 1, 2, 2, 1]
    assert [p.parent_index for p in posts] == [None, 0, 1, 1, 0]


def test_meta_line_gives_time_and_edit_note() -> None:
    edited = parse_text(NEW_TEXT).posts[2]
    assert edited.time_text == "5 years ago"
    assert edited.edited_text == "edited 5 years ago"
    assert edited.edited_by is None


def test_thread_links_and_level_lines_are_not_body() -> None:
    posts = parse_text(NEW_TEXT).posts
    assert posts[1].body == "Try assam."
    assert posts[2].body == "Assam is great with milk.\n\nIndeed."
    assert posts[3].body == "Thanks, I will."
    assert posts[4].body == "Coffee."


def test_indented_paragraph_is_an_unattributed_quote() -> None:
    quotes = parse_text(NEW_TEXT).posts[2].quotes
    assert [(q.author, q.text) for q in quotes] == [(None, "something stronger")]


def test_original_poster_badge_is_not_an_author() -> None:
    assert parse_text(NEW_TEXT).posts[3].author is None


# Later new Reddit copied from a browser: user and time on their own lines, votes below.
NEW_WITH_NAMES = """Posted by u/leafy_pat 5 yr. ago

Best tea?

Green or black.

3 comments
level 1
brew_master
·
5 yr. ago

Black.

12
Reply
Share
level 2
leafy_pat
·
5 yr. ago
· edited 5 yr. ago

Thanks.

Vote
Reply
level 1
kettle_kid · 4 yr. ago

Coffee.
"""


def test_authors_on_their_own_lines() -> None:
    posts = parse_text(NEW_WITH_NAMES).posts
    assert [p.author for p in posts] == ["leafy_pat", "brew_master", "leafy_pat", "kettle_kid"]
    assert [p.time_text for p in posts] == ["5 yr. ago"] * 3 + ["4 yr. ago"]
    assert posts[2].edited_text == "edited 5 yr. ago"


def test_vote_count_among_buttons() -> None:
    posts = parse_text(NEW_WITH_NAMES).posts
    assert posts[1].reactions == [("points", 12)]
    assert posts[1].body == "Black."
    assert posts[2].reactions == []
    assert posts[2].body == "Thanks."


# 2021-2023 new Reddit as a text browser prints it: avatar alt text, flair, vote count and
# buttons glued together below the comment, "Posted by" with the user on the next line.
NEW_2023_TEXT = """2.4k

Posted by
u/leafy_pat
5 hr. ago

Best tea?

Green or black?

User avatar

level 1

brew_master

 Avid Voter+1 · 3 hr. ago

Black.

64

ReplyGive Award
Share
ReportSaveFollow

level 2

leafy_pat

 OP · 2 hr. ago

Thanks!

Vote

ReplyGive Award
"""


def test_posted_by_with_user_and_time_on_following_lines() -> None:
    sub = parse_text(NEW_2023_TEXT).posts[0]
    assert (sub.author, sub.time_text, sub.reactions) == (
        "leafy_pat",
        "5 hr. ago",
        [("score", 2400)],
    )
    assert (sub.subject, sub.body) == ("Best tea?", "Green or black?")


def test_flair_line_glued_buttons_and_avatar_text_are_not_body() -> None:
    _, first, second = parse_text(NEW_2023_TEXT).posts
    assert (first.author, first.time_text, first.body) == ("brew_master", "3 hr. ago", "Black.")
    assert first.reactions == [("points", 64)]
    assert (second.author, second.time_text, second.body) == ("leafy_pat", "2 hr. ago", "Thanks!")
    assert second.reactions == []
    assert (second.depth, second.parent_index) == (2, 1)


# Old Reddit as a text browser prints it.
OLD_TEXT = """56
57
58
Best tea for mornings? (self.tea)

submitted 5 years ago by leafy_pat

  • 12 comments
  • share

I drink green tea.

all 3 comments

sorted by: best

[\u2013]brew_master 11 points12 points13 points 5 years ago* (1 child)

Try assam.

  • permalink
  • reply

[\u2013][deleted] 3 points 5 years ago

Assam is great.

  • permalink

[\u2013]kettle_kid [score hidden] 4 years ago

Coffee.

  • permalink

about help apps & tools
"""


def test_old_reddit_text() -> None:
    page = parse_text(OLD_TEXT)
    sub, first, deleted, hidden = page.posts
    assert (sub.author, sub.subject, sub.reactions) == (
        "leafy_pat",
        "Best tea for mornings?",
        [("score", 57)],
    )
    assert sub.body == "I drink green tea."
    assert (first.author, first.time_text, first.reactions) == (
        "brew_master",
        "5 years ago",
        [("points", 12)],
    )
    assert first.body == "Try assam."
    assert deleted.author is None
    assert hidden.reactions == []
    assert hidden.body == "Coffee."


# ---------------------------------------------------------------- HTML
NEW_HTML = """<html><head><link rel="canonical" href="https://www.reddit.com/r/tea/comments/x1/">
</head><body><div id="t3_x1" class="_1a Post t3_x1"><div data-test-id="post-content">
 <div class="_2b"><button aria-label="upvote" data-click-id="upvote"></button>
  <div class="_3c">57</div><button aria-label="downvote" data-click-id="downvote"></button></div>
 <div class="_4d"><span>Posted by</span>
  <a data-click-id="timestamp" href="/r/tea/">5 years ago</a></div>
 <h1 class="_5e">Best tea?</h1>
 <div data-click-id="text"><div class="_6f RichTextJSON-root"><p>Green or black.</p>
  <ol><li>green</li><li>black</li></ol></div></div>
</div></div>
<div id="t1_c1" class="_7g"><div class="_8h"><i class="threadline"></i></div>
 <div class="Comment t1_c1"><div class="_9i"><span class="_aa">level 1</span>
  <div class="_bb"><span class="_cc">12 points</span><span> · </span>
  <a id="CommentTopMeta--Created--t1_c1" href="/c1/"><span>5 years ago</span></a></div>
 <div data-test-id="comment"><div class="RichTextJSON-root"><blockquote><p>Green</p></blockquote>
  <p>Black.</p></div></div></div></div></div>
<div id="t1_c2" class="_7g"><div class="Comment t1_c2"><div class="_9i">
 <span class="_aa">level 2</span><div class="_bb">
 <a data-testid="comment_author_link" href="/user/leafy_pat/">leafy_pat</a>
 <span class="_cc">1 point</span><span> · </span>
 <a id="CommentTopMeta--Created--t1_c2"><span>5 years ago</span></a><span> · </span>
 <span class="_dd">edited 5 years ago</span></div>
 <div data-test-id="comment"><p>Thanks.</p></div></div></div></div>
<div id="continueThread-t1_c2"><a href="/c2"><span>Continue this thread</span></a></div>
</body></html>"""


def test_new_reddit_html() -> None:
    page = parse_html(NEW_HTML)
    sub, first, second = page.posts
    assert (sub.is_submission, sub.reactions, sub.time_text) == (
        True,
        [("score", 57)],
        "5 years ago",
    )
    assert page.title == "Best tea?"
    assert page.url == "https://www.reddit.com/r/tea/comments/x1/"
    assert sub.body == "Green or black.\n\n1. green\n\n2. black"
    assert (first.author, first.depth, first.parent_index) == (None, 1, 0)
    assert (first.reactions, first.body) == ([("points", 12)], "Black.")
    assert [(q.author, q.text) for q in first.quotes] == [(None, "Green")]
    assert (second.author, second.depth, second.parent_index) == ("leafy_pat", 2, 1)
    assert (second.time_text, second.edited_text) == ("5 years ago", "edited 5 years ago")


NEW_2023_HTML = """<html><body>
<div id="t3_x9" class="Post" data-testid="post-container">
 <div id="vote-arrows-t3_x9"><button aria-label="upvote" data-click-id="upvote"></button>
  <div>2.4k</div><button aria-label="downvote" data-click-id="downvote"></button></div>
 <span>Posted by</span><a data-testid="post_author_link" href="/user/leafy_pat/">u/leafy_pat</a>
 <span data-testid="post_timestamp">5 hr. ago</span><h1>Best tea?</h1>
 <div data-click-id="text"><p>Green or black, ask <a href="/user/kettle_kid/">u/kettle_kid</a>.</p>
 </div></div>
<div id="t1_a1"><div class="Comment t1_a1">
 <a data-testid="comment_author_icon" href="/user/brew_master/">
  <img alt="User avatar" src="a.png"></a>
 <span>level 1</span><div data-testid="post-comment-header">
  <a data-testid="comment_author_link" href="/user/brew_master/">brew_master</a>
  <span><img alt="Avid Voter" src="f.png"><span>+1</span></span><span> · </span>
  <a data-testid="comment_timestamp" id="CommentTopMeta--Created--t1_a1">3 hr. ago</a></div>
 <div data-testid="comment"><p>Black, says <a href="/user/other_one/">u/other_one</a>.</p></div>
 <div id="vote-arrows-t1_a1"><button aria-label="upvote" data-click-id="upvote"></button>
  <div>64</div><button aria-label="downvote" data-click-id="downvote"></button></div>
 <button>Reply</button><button>Share</button></div></div>
</body></html>"""


def test_new_reddit_2023_html() -> None:
    sub, first = parse_html(NEW_2023_HTML).posts
    assert (sub.author, sub.time_text, sub.reactions) == (
        "leafy_pat",
        "5 hr. ago",
        [("score", 2400)],
    )
    assert (first.author, first.time_text, first.reactions) == (
        "brew_master",
        "3 hr. ago",
        [("points", 64)],
    )
    assert first.body == "Black, says u/other_one."
    assert (first.depth, first.parent_index) == (1, 0)


OLD_HTML = """<html><body>
<div class="thing link self" data-fullname="t3_x1" data-type="link" data-author="leafy_pat">
 <div class="midcol unvoted"><div class="score dislikes">56</div><div class="score unvoted">57</div>
  <div class="score likes">58</div></div>
 <div class="entry unvoted"><p class="title"><a class="title" href="/r/tea/x1">Best tea?</a></p>
  <p class="tagline">submitted <time class="live-timestamp">5 years ago</time> by
   <a class="author">leafy_pat</a></p>
  <div class="expando"><div class="usertext-body">
   <div class="md"><p>Green or black.</p></div></div></div>
 </div></div>
<div class="sitetable nestedlisting">
 <div class="thing comment" data-fullname="t1_c1" data-type="comment" data-author="brew_master">
  <div class="entry unvoted"><p class="tagline"><a class="expand">[\u2013]</a>
   <a class="author">brew_master</a><span class="score dislikes" title="11">11 points</span>
   <span class="score unvoted" title="12">12 points</span><span class="score likes" title="13">13
   points</span> <time class="live-timestamp">5 years ago</time>
   <time class="edited-timestamp" title="last edited 5 years ago">*</time></p>
   <div class="usertext-body"><div class="md"><p>Black.</p></div></div>
   <ul class="flat-list buttons"><li><a>permalink</a></li></ul></div>
  <div class="child"><div class="sitetable listing">
   <div class="thing comment" data-fullname="t1_c2" data-type="comment" data-author="[deleted]">
    <div class="entry"><p class="tagline"><span class="score unvoted" title="3">3 points</span>
     <time class="live-timestamp">5 years ago</time></p>
     <div class="usertext-body"><div class="md"><p>Milk too.</p></div></div></div>
   </div></div></div>
 </div>
 <div class="thing comment" data-fullname="t1_c3" data-type="comment" data-author="kettle_kid">
  <div class="entry"><p class="tagline"><span class="score-hidden">[score hidden]</span>
   <time class="live-timestamp">4 years ago</time></p>
   <div class="usertext-body"><div class="md"><p>Coffee.</p></div></div></div>
 </div>
</div></body></html>"""


def test_old_reddit_html() -> None:
    sub, first, reply, other = parse_html(OLD_HTML).posts
    assert (sub.author, sub.subject, sub.reactions, sub.body) == (
        "leafy_pat",
        "Best tea?",
        [("score", 57)],
        "Green or black.",
    )
    assert (first.author, first.reactions, first.time_text) == (
        "brew_master",
        [("points", 12)],
        "5 years ago",
    )
    assert first.edited_text == "last edited 5 years ago"
    assert (reply.author, reply.depth, reply.parent_index, reply.body) == (None, 2, 1, "Milk too.")
    assert (other.depth, other.parent_index, other.reactions) == (1, 0, [])


SHREDDIT = """<html><body><shreddit-app>
<shreddit-post author="leafy_pat" score="1200" post-title="Best tea?" id="t3_x1">
 <faceplate-timeago ts="2019"><time datetime="2019">5y ago</time></faceplate-timeago>
 <div slot="text-body"><div class="md"><p>Green or black.</p></div></div>
</shreddit-post>
<shreddit-comment author="brew_master" depth="0" score="12">
 <div slot="commentMeta"><faceplate-timeago><time>5y ago</time></faceplate-timeago></div>
 <div slot="comment"><p>Black.</p></div>
 <shreddit-comment author="[deleted]" depth="1" score="3">
  <div slot="commentMeta"><faceplate-timeago><time>5y ago</time></faceplate-timeago></div>
  <div slot="comment"><p>Milk too.</p></div>
 </shreddit-comment>
</shreddit-comment>
<shreddit-comment author="kettle_kid" depth="0" score="-2">
 <div slot="comment"><p>Coffee.</p></div>
</shreddit-comment>
</shreddit-app></body></html>"""


def test_shreddit_html() -> None:
    sub, first, reply, other = parse_html(SHREDDIT).posts
    assert (sub.author, sub.reactions, sub.subject, sub.time_text) == (
        "leafy_pat",
        [("score", 1200)],
        "Best tea?",
        "5y ago",
    )
    assert (first.author, first.body, first.depth, first.parent_index) == (
        "brew_master",
        "Black.",
        1,
        0,
    )
    assert (reply.author, reply.body, reply.depth, reply.parent_index) == (None, "Milk too.", 2, 1)
    assert (other.reactions, other.depth, other.parent_index) == ([("points", -2)], 1, 0)


# ---------------------------------------------------------------- detection
def test_detects_reddit_text_and_html() -> None:
    for text in (NEW_TEXT, NEW_WITH_NAMES, NEW_2023_TEXT, OLD_TEXT):
        assert ENGINE.detect(text_page(text)) >= 0.8
    for html in (NEW_HTML, NEW_2023_HTML, OLD_HTML, SHREDDIT):
        assert ENGINE.detect(html_page(html)) >= 0.8


def test_other_pages_are_not_reddit() -> None:
    discourse = "maple_fox (Maple) March 3, 2021, 5:27pm #1\n\nHello.\n\n8 Likes\n"
    news = "Prices rose 5 points in a year.\n\nThe index fell 3 points · analysts said.\n"
    html = "<html><body><div class='comment'><p>Hello 3 points</p></div></body></html>"
    assert ENGINE.detect(text_page(discourse)) <= 0.2
    assert ENGINE.detect(text_page(news)) <= 0.2
    assert ENGINE.detect(html_page(html)) <= 0.2


def test_no_posts_on_unrelated_text() -> None:
    assert parse_text("Just a paragraph.\n\nAnother one.\n").posts == []


def test_unreadable_markup_is_no_page() -> None:
    assert_skips_unreadable_markup(ENGINE)


test_arbitrary_text_never_breaks_detect_or_parse = survives_any_text(ENGINE)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "level 1",
                "level 3",
                "4 points · 2 years ago",
                "Posted by3 years ago",
                "[\u2013]x 2 points 1 day ago",
                "submitted 2 days ago by x",
                "Continue this thread",
                "12",
                "Reply",
                "",
                "    quoted",
                "text",
            ]
        ),
        max_size=40,
    )
)
def test_arbitrary_reddit_like_lines_never_break_parse(lines: list[str]) -> None:
    posts = assert_survives(ENGINE, text_page("\n".join(lines)))
    assert all(p.parent_index is None or 0 <= p.parent_index < i for i, p in enumerate(posts))


test_arbitrary_markup_never_breaks_parse = survives_markup(
    ENGINE,
    [
        "<shreddit-comment depth='x' score='1.5k'>",
        "</shreddit-comment>",
        "<div class='thing comment'>",
        "<div class='entry'>",
        "</div>",
        "<div id='t1_a'><div data-test-id='comment'>",
        "<span>level 2</span>",
        "<blockquote>",
        "<ol><li>",
        "<p>x</p>",
    ],
)
