"""XenForo engine: header block, "X said:" quotes, reactions, end marker, edit notes, XF1.

Every input here is written for the test (fictional users and text) and reproduces one
structure of XenForo pages: XenForo 2 as w3m prints it (the name twice, user title, date,
"• #N", a no-break-space line after the body, "Reactions: A, B and 12 others"), lynx and
copy-paste renderings, XenForo 1 (number and date under the body, "... like this."), and the
HTML of both versions.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from labeler.ingest.engines.xenforo import ENGINE
from labeler.ingest.model import ParsedPage
from tests.ingest.helpers import assert_survives, html_page, text_page


def parse_text(text: str) -> ParsedPage:
    return ENGINE.parse(text_page(text))


def parse_html(html: str) -> ParsedPage:
    return ENGINE.parse(html_page(html))


def _xf2_head(n: int, name: str, rank: str, when: str) -> str:
    return f"""{name}

{name}

{rank}

Joined
    Mar 3, 2012

Messages
    1,234

{when}

  •
  • #{n}

"""


NBSP_LINE = "\u00a0\n"

XF2_TEXT = (
    """Copper kettles

  • Thread starter Alice Brook
  • Start date Mar 2, 2019

"""
    + _xf2_head(1, "Alice Brook", "Well-known member", "Mar 2, 2019")
    + "Copper kettles boil faster.\n\nI have tested three of them.\n"
    + NBSP_LINE
    + "Tea is life.\n\n  • Like\n  • Love\n\nReactions: Bob Marsh, Carol Dune and 12 others\n"
    + _xf2_head(2, "Bob Marsh", "Member", "Mar 2, 2019")
    + """    Alice Brook said:
    Copper kettles boil faster.
    Click to expand...

I doubt that very much.
"""
    + NBSP_LINE
    + "Last edited: Mar 3, 2019\n\n  • Like\n\nReactions: Alice Brook\n"
    + _xf2_head(3, "Alice Brook", "Well-known member", "Yesterday at 9:15 AM")
    + """    Bob Marsh said:
        Alice Brook said:
        Copper kettles boil faster.
        Click to expand...
    I doubt that very much.
    Click to expand...

You will see soon enough.
"""
    + NBSP_LINE
    + "Tea is life.\n"
    + _xf2_head(4, "Carol Dune", "New member", "A moment ago")
    + "Both work for me.\n"
    + NBSP_LINE
    + """You must log in or register to reply here.
Share:
Facebook Twitter Reddit
"""
)


def test_detects_xenforo2_text() -> None:
    assert ENGINE.detect(text_page(XF2_TEXT)) >= 0.8


def test_detect_is_low_on_vbulletin_text() -> None:
    text = """ 1. 03-02-2019, 10:15 AM #1
    Alice Brook
    Alice Brook is offline
    Join Date
        Oct 2010
        Copper kettles boil faster.
    Reply With Quote
"""
    assert ENGINE.detect(text_page(text)) <= 0.2


def test_header_block_name_twice_title_date_and_number() -> None:
    page = parse_text(XF2_TEXT)
    assert page.title == "Copper kettles"
    first = page.posts[0]
    assert (first.author, first.user_title) == ("Alice Brook", "Well-known member")
    assert (first.time_text, first.post_number) == ("Mar 2, 2019", 1)
    assert [p.time_text for p in page.posts[2:]] == ["Yesterday at 9:15 AM", "A moment ago"]
    assert [p.author for p in page.posts] == [
        "Alice Brook",
        "Bob Marsh",
        "Alice Brook",
        "Carol Dune",
    ]
    assert "Joined" not in first.body and "1,234" not in first.body


def test_body_ends_at_the_no_break_space_line_and_signature_follows() -> None:
    first = parse_text(XF2_TEXT).posts[0]
    assert first.body == "Copper kettles boil faster.\n\nI have tested three of them."
    assert first.signature == "Tea is life."


def test_reactor_names_and_others_count_as_a_total() -> None:
    posts = parse_text(XF2_TEXT).posts
    assert posts[0].reactions == [("total", 14)]
    assert posts[1].reactions == [("total", 1)]
    assert posts[3].reactions == []
    assert "Like" not in posts[0].body + (posts[0].signature or "")


def test_said_quote_ends_at_click_to_expand() -> None:
    second = parse_text(XF2_TEXT).posts[1]
    assert [(q.author, q.text) for q in second.quotes] == [
        ("Alice Brook", "Copper kettles boil faster.")
    ]
    assert second.body == "I doubt that very much."


def test_nested_quotes() -> None:
    third = parse_text(XF2_TEXT).posts[2]
    (outer,) = third.quotes
    assert (outer.author, outer.text) == ("Bob Marsh", "I doubt that very much.")
    assert [(q.author, q.text) for q in outer.quotes] == [
        ("Alice Brook", "Copper kettles boil faster.")
    ]
    assert third.body == "You will see soon enough."


def test_last_edited_note_names_nobody() -> None:
    second = parse_text(XF2_TEXT).posts[1]
    assert second.edited_by is None
    assert second.edited_text == "Last edited: Mar 3, 2019"
    assert second.signature is None


def test_page_footer_stays_out_of_the_last_post() -> None:
    last = parse_text(XF2_TEXT).posts[-1]
    assert (last.body, last.signature) == ("Both work for me.", None)


def test_copy_paste_without_indentation_or_end_marker() -> None:
    flat = "\n".join(
        line.strip().removeprefix("• ") for line in XF2_TEXT.replace(NBSP_LINE, "\n").splitlines()
    )
    posts = parse_text(flat).posts
    assert [p.post_number for p in posts] == [1, 2, 3, 4]
    assert posts[0].reactions == [("total", 14)]
    assert posts[1].body == "I doubt that very much."
    assert posts[2].body == "You will see soon enough."
    assert posts[0].signature == posts[2].signature == "Tea is life."  # repeated closing line


XF1_TEXT = """Copper kettles

 1. Alice Brook

    Alice Brook Well-Known Member

    Messages:
        1,234

    Likes Received:
        56

        Copper kettles boil faster.
         \u0020

    Tea is life.
    Alice Brook, Mar 2, 2019 Report
    #1 Like Reply
    Bob Marsh, Carol Dune and 3 others like this.

 2. Bob Marsh

    Bob Marsh Member

    Messages:
        87

        Alice Brook said: ↑

            Copper kettles boil faster.
            Click to expand...

        I doubt that very much.
         \u0020

    Last edited: Mar 3, 2019
    Bob Marsh, Mar 2, 2019 at 11:40 AM Report
    #2 Like Reply
    Alice Brook likes this.

Forum software by XenForo™ ©2010-2017 XenForo Ltd.
"""


def test_xenforo1_text() -> None:
    page = text_page(XF1_TEXT)
    assert ENGINE.detect(page) >= 0.8
    first, second = ENGINE.parse(page).posts
    assert (first.author, first.user_title, first.post_number) == (
        "Alice Brook", "Well-Known Member", 1,
    )  # fmt: skip
    assert first.time_text == "Mar 2, 2019"
    assert (first.body, first.signature) == ("Copper kettles boil faster.", "Tea is life.")
    assert first.reactions == [("total", 5)]
    assert second.time_text == "Mar 2, 2019 at 11:40 AM"
    assert [(q.author, q.text) for q in second.quotes] == [
        ("Alice Brook", "Copper kettles boil faster.")
    ]
    assert second.body == "I doubt that very much."
    assert (second.edited_by, second.edited_text) == (None, "Last edited: Mar 3, 2019")
    assert second.reactions == [("total", 1)]


# ---------------------------------------------------------------- HTML
def _xf2_article(n: int, name: str, body: str, extra: str = "", react: str = "") -> str:
    return f"""
<article class="message message--post js-post" data-author="{name}" data-content="post-{n}">
 <div class="message-cell message-cell--user"><section class="message-user">
  <div class="message-avatar"><a class="avatar avatar--m"><img src="a.jpg" alt="{name}" /></a></div>
  <div class="message-userDetails"><h4 class="message-name"><a class="username">{name}</a></h4>
   <h5 class="userTitle message-userTitle">Member</h5></div>
  <div class="message-userExtras"><dl class="pairs"><dt>Joined</dt><dd>Mar 3, 2012</dd></dl></div>
 </section></div>
 <div class="message-cell message-cell--main"><header class="message-attribution">
  <div class="message-attribution-main"><a href="#"><time class="u-dt"
   datetime="2019-03-02">Mar {n}, 2019</time></a></div>
  <ul class="message-attribution-opposite"><li><a href="#"><i class="fa--xf"></i></a></li>
   <li><a href="#">#{n}</a></li></ul></header>
  <div class="message-content"><div class="message-userContent"><article class="message-body">
   <div class="bbWrapper">{body}</div><div class="js-selectToQuoteEnd">&nbsp;</div></article></div>
   {extra}</div>
  <footer class="message-footer">{react}</footer></div>
</article>"""


XF2_QUOTE = """<blockquote data-quote="Alice Brook"
 class="bbCodeBlock bbCodeBlock--expandable bbCodeBlock--quote">
 <div class="bbCodeBlock-title"><a class="bbCodeBlock-sourceJump">Alice Brook said:</a></div>
 <div class="bbCodeBlock-content"><div class="bbCodeBlock-expandContent">
  <blockquote data-quote="Dan Reed" class="bbCodeBlock bbCodeBlock--quote">
   <div class="bbCodeBlock-title">Dan Reed said:</div><div class="bbCodeBlock-content">
   <div class="bbCodeBlock-expandContent">Older words.</div></div></blockquote>
  Copper kettles boil faster.</div>
 <div class="bbCodeBlock-expandLink"><a>Click to expand...</a></div></div></blockquote>"""

XF2_HTML = f"""<!DOCTYPE html><html id="XF" data-template="thread_view"><head>
<meta property="og:url" content="https://forum.example/threads/copper-kettles.5/" /></head><body>
<h1 class="p-title-value">Copper kettles</h1><div class="block-body">
{
    _xf2_article(
        1,
        "Alice Brook",
        "Copper kettles boil faster.<br />I have tested three.",
        extra='<aside class="message-signature"><div class="bbWrapper">Tea is life.</div></aside>',
        react='<div class="reactionsBar"><ul class="reactionSummary"><li><img alt="Like" /></li></ul>'
        '<span class="u-srOnly">Reactions:</span> <a class="reactionsBar-link" href="#">'
        "<bdi>Bob Marsh</bdi>, <bdi>Carol Dune</bdi> and 12 others</a></div>",
    )
}
{
    _xf2_article(
        2,
        "Bob Marsh",
        XF2_QUOTE + "I doubt that very much.",
        extra='<div class="message-lastEdit">Last edited by a moderator: <time class="u-dt">Mar 3, 2019</time></div>',
        react='<div class="reactionsBar"><a class="reactionsBar-link" href="#"><bdi>Alice Brook</bdi></a></div>',
    )
}
</div></body></html>"""  # noqa: E501


def test_detects_xenforo2_html() -> None:
    assert ENGINE.detect(html_page(XF2_HTML)) >= 0.8


def test_xenforo2_html_fields() -> None:
    page = parse_html(XF2_HTML)
    assert (page.title, page.url) == (
        "Copper kettles",
        "https://forum.example/threads/copper-kettles.5/",
    )
    first, second = page.posts
    assert (first.author, first.user_title, first.post_number) == ("Alice Brook", "Member", 1)
    assert first.time_text == "Mar 1, 2019"
    assert first.body == "Copper kettles boil faster.\nI have tested three."
    assert (first.signature, first.reactions) == ("Tea is life.", [("total", 14)])
    (quote,) = second.quotes
    assert (quote.author, quote.text) == ("Alice Brook", "Copper kettles boil faster.")
    assert [(q.author, q.text) for q in quote.quotes] == [("Dan Reed", "Older words.")]
    assert second.body == "I doubt that very much."
    assert (second.edited_by, second.reactions) == (None, [("total", 1)])
    assert second.edited_text == "Last edited by a moderator: Mar 3, 2019"


XF1_HTML = """<!DOCTYPE html><html id="XenForo"><body>
<div class="titleBar"><h1>Copper kettles</h1></div>
<ol class="messageList"><li id="post-11" class="message" data-author="Bob Marsh">
 <div class="messageUserInfo"><div class="messageUserBlock">
  <h3 class="userText"><a class="username">Bob Marsh</a> <em class="userTitle">Member</em></h3>
 </div></div>
 <div class="messageInfo primaryContent"><div class="messageContent"><article>
  <blockquote class="messageText SelectQuoteContainer ugc baseHtml">
   <div class="bbCodeBlock bbCodeQuote" data-author="Alice Brook"><aside>
    <div class="attribution type">Alice Brook said: <a class="AttributionLink">&uarr;</a></div>
    <blockquote class="quoteContainer"><div class="quote">Copper kettles boil faster.</div>
    <div class="quoteExpand">Click to expand...</div></blockquote></aside></div>I doubt that
   very much.
   <div class="messageTextEndMarker">&nbsp;</div></blockquote></article></div>
  <div class="editDate">Last edited: <span class="DateTime">Mar 3, 2019</span></div>
  <div class="baseHtml signature messageText ugc"><aside>Steel forever.</aside></div>
  <div class="messageMeta"><div class="privateControls"><span class="item muted">
   <a class="username author">Bob Marsh</a>, <a class="datePermalink"><span
    class="DateTime">Mar 2, 2019</span></a>
   </span><a class="item control report">Report</a></div>
   <div class="publicControls"><a class="item muted postNumber hashPermalink">#2</a></div></div>
  <div class="likesSummary"><span class="LikeText"><a class="username">Alice Brook</a> and
   <a class="OverlayTrigger">3 others</a> like this.</span></div>
 </div></li></ol></body></html>"""


def test_xenforo1_html_fields() -> None:
    page = html_page(XF1_HTML)
    assert ENGINE.detect(page) >= 0.8
    (post,) = ENGINE.parse(page).posts
    assert (post.author, post.user_title, post.post_number) == ("Bob Marsh", "Member", 2)
    assert post.time_text == "Mar 2, 2019"
    assert [(q.author, q.text) for q in post.quotes] == [
        ("Alice Brook", "Copper kettles boil faster.")
    ]
    assert post.body == "I doubt that very much."
    assert (post.signature, post.edited_text) == ("Steel forever.", "Last edited: Mar 3, 2019")
    assert post.reactions == [("total", 4)]


# ---------------------------------------------------------------- robustness
def test_page_without_posts_gives_no_posts() -> None:
    assert parse_text("Nothing to see.\n#1\n").posts == []
    assert parse_html("<html><body><article>No message here</article></body></html>").posts == []


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=400))
def test_arbitrary_text_never_breaks_detect_or_parse(text: str) -> None:
    for body in (
        text,
        "Ann\n\nAnn\n\nMar 2, 2019\n  • #1\n" + text,
        "Ann, Mar 2, 2019\n#1\n" + text,
    ):
        assert_survives(ENGINE, text_page(body))
