"""vBulletin engine: header lines, profile block, quotes, signatures, edit notes, variants.

Every input here is written for the test (fictional users and text) and reproduces one
structure of vBulletin pages: vB4 as w3m prints it (numbered "1. date #1" headers, profile
menu, "Join Date" block), lynx and copy-paste renderings, vB3's two-column table layout,
vB5 (author block above "#N"), and the HTML of vB3, vB4 and vB5.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from labeler.ingest.engines.vbulletin import ENGINE
from labeler.ingest.model import ParsedPage
from tests.ingest.helpers import assert_survives, html_page, text_page


def parse_text(text: str) -> ParsedPage:
    return ENGINE.parse(text_page(text))


def parse_html(html: str) -> ParsedPage:
    return ENGINE.parse(html_page(html))


def _vb4_head(n: int, when: str, name: str, rank: str) -> str:
    return f"""{n:>2}. {when} #{n}
    {name}
      ▪ View Profile
      ▪ View Forum Posts
      ▪ Private Message
    {name} is offline
    {rank} {name}'s Avatar
   \u0020
    Join Date
        Oct 2010
    Location
        Lakeside
    Posts
        1,234
   \u0020
"""


FOOT = "    [progress] Reply With Quote Reply With Quote\n"

VB4_TEXT = (
    "Thread: Copper kettles\n\n"
    + _vb4_head(1, "03-02-2019, 10:15 AM", "Alice Brook", "Senior Member")
    + """    Copper kettles

        Copper kettles boil faster than steel ones.

        I have tested three of them this winter.

        Tea is life.

"""
    + FOOT
    + _vb4_head(2, "03-02-2019, 11:40 AM", "Bob Marsh", "Junior Member")
    + """        Quote Originally Posted by Alice Brook View Post
        Copper kettles boil faster than steel ones.
        I doubt that very much.
        Steel is fine too.

        Last edited by Bob Marsh; 03-02-2019 at 11:45 AM.

"""
    + FOOT
    + _vb4_head(3, "03-02-2019, 12:05 PM", "Alice Brook", "Senior Member")
    + """        Quote Originally Posted by Bob Marsh View Post
        I doubt that very much.
        You will see soon enough.

        Tea is life.

"""
    + FOOT
    + _vb4_head(4, "Yesterday, 09:15 AM", "Carol Dune", "Member")
    + """        Quote Originally Posted by Dan Reed View Post
        Cast iron is the only honest kettle.
        Both work for me.

"""
    + FOOT
    + _vb4_head(5, "Yesterday, 09:15 AM", "Carol Dune", "Member")
    + """        Quote Originally Posted by Dan Reed View Post
        Cast iron is the only honest kettle.
        Both work for me.

"""
    + FOOT
    + """
Page 1 of 3 1 2 3 Next Last
Quick Navigation Kettles Top
  • Forum Rules
"""
)


def test_detects_vb4_text() -> None:
    assert ENGINE.detect(text_page(VB4_TEXT)) >= 0.8


def test_detect_is_low_on_xenforo_text() -> None:
    page = text_page(XF_LIKE)
    assert ENGINE.detect(page) <= 0.2


XF_LIKE = """Alice Brook

Alice Brook

Member

Mar 2, 2019

  •
  • #1

Copper kettles boil faster.
\u00a0
Reactions: Bob Marsh
"""


def test_numbered_header_line_gives_number_and_time() -> None:
    posts = parse_text(VB4_TEXT).posts
    assert [p.post_number for p in posts] == [1, 2, 3, 4, 5]
    assert posts[0].time_text == "03-02-2019, 10:15 AM"
    assert posts[3].time_text == "Yesterday, 09:15 AM"


def test_author_title_and_profile_block_stay_out_of_the_body() -> None:
    first = parse_text(VB4_TEXT).posts[0]
    assert first.author == "Alice Brook"
    assert first.user_title == "Senior Member"
    for word in ("View Profile", "Join Date", "Lakeside", "1,234", "offline", "Avatar"):
        assert word not in first.body


def test_subject_line_is_not_body() -> None:
    page = parse_text(VB4_TEXT)
    first = page.posts[0]
    assert page.title == "Copper kettles"
    assert first.subject == "Copper kettles"
    assert first.body.startswith("Copper kettles boil faster")


def test_quote_ends_where_the_quoted_post_text_ends() -> None:
    second = parse_text(VB4_TEXT).posts[1]
    assert [(q.author, q.text) for q in second.quotes] == [
        ("Alice Brook", "Copper kettles boil faster than steel ones.")
    ]
    assert second.body == "I doubt that very much.\nSteel is fine too."


def test_quote_of_a_post_not_on_the_page_keeps_its_first_line() -> None:
    fourth = parse_text(VB4_TEXT).posts[3]
    assert [(q.author, q.text) for q in fourth.quotes] == [
        ("Dan Reed", "Cast iron is the only honest kettle.")
    ]
    assert fourth.body == "Both work for me."


def test_closing_lines_repeated_under_an_author_are_the_signature() -> None:
    posts = parse_text(VB4_TEXT).posts
    assert posts[0].signature == posts[2].signature == "Tea is life."
    assert "Tea is life." not in posts[0].body + posts[2].body
    assert posts[2].body == "You will see soon enough."


def test_edit_note_names_the_editor() -> None:
    second = parse_text(VB4_TEXT).posts[1]
    assert second.edited_by == "Bob Marsh"
    assert second.edited_text == "Last edited by Bob Marsh; 03-02-2019 at 11:45 AM."
    assert "Last edited" not in second.body


def test_exact_double_post_stays_two_posts() -> None:
    posts = parse_text(VB4_TEXT).posts
    assert len(posts) == 5
    assert (posts[3].body, posts[3].time_text) == (posts[4].body, posts[4].time_text)
    assert posts[4].signature is None  # identical posts are not a repeated signature


def test_page_footer_stays_out_of_the_last_post() -> None:
    last = parse_text(VB4_TEXT).posts[-1]
    assert "Page 1 of 3" not in last.body and "Reply With Quote" not in last.body


def test_lynx_rendering_without_blank_lines_or_indentation() -> None:
    flat = "\n".join(line.strip().removeprefix("▪ ") for line in VB4_TEXT.splitlines())
    posts = parse_text(flat).posts
    assert [p.author for p in posts] == [
        "Alice Brook", "Bob Marsh", "Alice Brook", "Carol Dune", "Carol Dune",
    ]  # fmt: skip
    assert posts[0].subject == "Copper kettles"
    assert posts[1].body == "I doubt that very much.\nSteel is fine too."
    assert posts[2].signature == "Tea is life."


def test_single_post_signature_is_what_a_later_quote_leaves_out() -> None:
    text = (
        _vb4_head(1, "03-02-2019, 10:15 AM", "Erin Vale", "Member")
        + """        Steel kettles last longer.

        Erin Vale, kettle collector
        Member of the Lakeside tea club
        Brewing since 1999

"""
        + FOOT
        + _vb4_head(2, "03-02-2019, 10:30 AM", "Bob Marsh", "Member")
        + """        Quote Originally Posted by Erin Vale View Post
        Steel kettles last longer.
        Agreed.

"""
        + FOOT
    )
    first = parse_text(text).posts[0]
    assert first.body == "Steel kettles last longer."
    assert first.signature is not None and first.signature.startswith("Erin Vale, kettle")


VB3_TEXT = """Old 2016-02-01, 02:44                                  Link #7
Alice Brook                Default Copper kettles
Senior Member              ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━
                           Quote:
[a]
                           Originally Posted by Bob Marsh View Post
Join Date: Mar 2011        Steel is fine too.
Posts: 1,234
                           Not for tea it is not.
                           __________________
                           Tea is life.
                           ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━
                           Last edited by Alice Brook; 2016-02-01 at 03:31.
Alice Brook is offline                Reply With Quote Multi-Quote This Message
Report Post
Old 2016-02-01, 03:10                                  Link #8
Bob Marsh                  Fair enough.
Junior Member
\u0020
Join Date: Jan 2015
Bob Marsh is offline                Reply With Quote
"""


def test_vb3_two_column_table_layout() -> None:
    page = parse_text(VB3_TEXT)
    first, second = page.posts
    assert (first.post_number, first.time_text) == (7, "2016-02-01, 02:44")
    assert (first.author, first.user_title) == ("Alice Brook", "Senior Member")
    assert [(q.author, q.text) for q in first.quotes] == [("Bob Marsh", "Steel is fine too.")]
    assert first.body == "Not for tea it is not."
    assert first.signature == "Tea is life."
    assert first.edited_by == "Alice Brook"
    assert (second.author, second.body) == ("Bob Marsh", "Fair enough.")


VB5_TEXT = """  • Alice Brook
    Alice Brook
    Senior Member
      □ Join Date: May 2011
      □ Posts: 2875
      □ Share
      □ Tweet
    #1
    04-09-2019, 11:55 AM
    Copper kettles boil faster.
    Last edited by Alice Brook; 04-09-2019, 12:01 PM.
    Tea is life.
      □ Quote
  • Bob Marsh
    Bob Marsh
    Junior Member
      □ Join Date: Jan 2015
      □ Posts: 87
      □ Share
      □ Tweet
    #2
    04-09-2019, 01:40 PM
    Originally posted by Alice Brook View Post
    Copper kettles boil faster.
    I doubt that very much.
      □ Quote
"""


def test_vb5_author_block_above_the_number_line() -> None:
    page = text_page(VB5_TEXT)
    assert ENGINE.detect(page) >= 0.8
    first, second = ENGINE.parse(page).posts
    assert (first.author, first.user_title, first.post_number) == (
        "Alice Brook",
        "Senior Member",
        1,
    )
    assert first.time_text == "04-09-2019, 11:55 AM"
    assert first.body == "Copper kettles boil faster."
    assert (first.edited_by, first.signature) == ("Alice Brook", "Tea is life.")
    assert [(q.author, q.text) for q in second.quotes] == [
        ("Alice Brook", "Copper kettles boil faster.")
    ]
    assert second.body == "I doubt that very much."


# ---------------------------------------------------------------- HTML
def _vb4_post(n: int, name: str, quote: str = "", extra: str = "") -> str:
    return f"""
<li class="postbitlegacy postbitim postcontainer old" id="post_{100 + n}">
 <div class="posthead"><span class="postdate old"><span class="date">03-02-2019,&nbsp;<span
   class="time">10:1{n} AM</span></span></span>
  <span class="nodecontrols"><a name="post{100 + n}" href="#"
   class="postcounter">#{n}</a></span></div>
 <div class="postdetails"><div class="userinfo"><div class="username_container">
   <div class="popupmenu memberaction"><a class="username offline popupctrl"
    href="#"><strong>{name}</strong></a>
   <ul class="popupbody"><li><a href="#">View Profile</a></li></ul></div></div>
  <span class="usertitle">Senior Member</span>
  <dl class="userinfo_extra"><dt>Join Date</dt><dd>Oct 2010</dd></dl></div>
 <div class="postbody"><div class="postrow">
  {"<h2 class='title icon'>Copper kettles</h2>" if n == 1 else ""}
  <div class="content"><div id="post_message_{100 + n}"><blockquote class="postcontent restore">
   {quote}Reply number {n} text.<br /><br />Second paragraph <img src="s/smile.png" alt=""
    class="inlineimg" />
  </blockquote></div></div></div>
  <div class="after_content">{extra}</div></div></div>
 <div class="postfoot"><a class="newreply" href="#">Reply With Quote</a></div>
</li>"""


VB4_QUOTE = """<div class="bbcode_container"><div class="bbcode_quote"><div class="quote_container">
 <div class="bbcode_quote_container"></div>
 <div class="bbcode_postedby"><img src="q.png" alt="Quote" /> Originally Posted by
  <strong>Alice Brook</strong>
  <a href="#"><img class="inlineimg" src="v.png" alt="View Post" /></a></div>
 <div class="message">Reply number 1 text.<div class="bbcode_container"><div class="bbcode_quote">
  <div class="quote_container">
  <div class="bbcode_postedby">Originally Posted by <strong>Dan Reed</strong></div>
  <div class="message">Older words.</div></div></div></div></div>
</div></div></div>"""

VB4_HTML = f"""<!DOCTYPE html><html><head><meta name="generator" content="vBulletin 4.2.3" />
<title> Copper kettles</title></head><body>
<div>Thread: <span class="threadtitle"><a href="#">Copper kettles</a></span></div>
<ol id="posts" class="posts">
{_vb4_post(1, "Alice Brook", extra='<blockquote class="signature restore"><div class="signaturecontainer">Tea is life.</div></blockquote>')}
{_vb4_post(2, "Bob Marsh", quote=VB4_QUOTE, extra='<blockquote class="postcontent lastedited"><img src="e.png" alt="" /> Last edited by Bob Marsh; <span class="date">03-02-2019 at <span class="time">11:45 AM</span></span>.</blockquote>')}
</ol></body></html>"""  # noqa: E501


def test_detects_vb4_html() -> None:
    assert ENGINE.detect(html_page(VB4_HTML)) >= 0.8


def test_vb4_html_fields() -> None:
    page = parse_html(VB4_HTML)
    first, second = page.posts
    assert page.title == "Copper kettles"
    assert (first.author, first.user_title, first.subject) == (
        "Alice Brook", "Senior Member", "Copper kettles",
    )  # fmt: skip
    assert (first.post_number, first.time_text) == (1, "03-02-2019, 10:11 AM")
    assert first.body == "Reply number 1 text.\n\nSecond paragraph [smile]"
    assert first.signature == "Tea is life."
    assert second.body.startswith("Reply number 2 text.")
    assert "Older words" not in second.body and "Originally" not in second.body
    (quote,) = second.quotes
    assert (quote.author, quote.text) == ("Alice Brook", "Reply number 1 text.")
    assert [(q.author, q.text) for q in quote.quotes] == [("Dan Reed", "Older words.")]
    assert second.edited_by == "Bob Marsh"
    assert second.edited_text == "Last edited by Bob Marsh; 03-02-2019 at 11:45 AM."


VB3_HTML = """<html><head><meta name="generator" content="vBulletin 3.8.11" /></head><body>
<table id="post501" class="tborder"><tr>
 <td class="thead"><a name="post501"><img src="post_old.gif" alt="Old" /></a> 2016-02-01, 02:44</td>
 <td class="thead" align="right"><a href="#" id="postlink501">Link</a>
  #<a href="#" id="postcount501" name="7"><strong>7</strong></a></td></tr>
<tr><td class="alt2"><div id="postmenu_501"><a class="bigusername" href="#">Alice Brook</a>
  <script type="text/javascript"> vbmenu_register("postmenu_501", true); </script></div>
  <div class="smallfont">Senior Member</div>
  <div class="smallfont">&nbsp;<br /><div>Join Date: Mar 2011</div></div></td>
 <td class="alt1" id="td_post_501">
  <div class="smallfont"><img src="icon1.gif" alt="Default" /> <strong>Copper kettles</strong>
  </div><hr />
  <div id="post_message_501"><div style="margin:20px; margin-top:5px; ">
   <div class="smallfont" style="margin-bottom:2px">Quote:</div>
   <table><tr><td class="alt2"><div>Originally Posted by <strong>Bob Marsh</strong>
    <a href="#"><img src="viewpost.gif" alt="View Post" /></a></div>
    <div style="font-style:italic">Steel is fine too.</div></td></tr></table>
  </div>Not for tea it is not.</div>
  <div>__________________<br />Tea is life.</div>
  <div class="smallfont"><hr /><em>Last edited by Alice Brook; 2016-02-01 at
   <span class="time">03:31</span>.</em></div>
 </td></tr></table></body></html>"""


def test_vb3_html_fields() -> None:
    (post,) = parse_html(VB3_HTML).posts
    assert (post.author, post.user_title, post.subject) == (
        "Alice Brook", "Senior Member", "Copper kettles",
    )  # fmt: skip
    assert (post.post_number, post.time_text) == (7, "2016-02-01, 02:44")
    assert [(q.author, q.text) for q in post.quotes] == [("Bob Marsh", "Steel is fine too.")]
    assert post.body == "Not for tea it is not."
    assert post.signature == "Tea is life."
    assert post.edited_by == "Alice Brook"


VB5_HTML = """<!DOCTYPE html><html><head><meta name="generator" content="vBulletin 5.5.2" />
</head><body><ul class="conversation-list">
<li data-node-id="701" class="b-post js-post">
 <div class="b-userinfo"><a class="b-avatar"><img src="a.jpg" alt="Bob Marsh" /></a>
  <div class="author h-text-size--14"><strong><a href="#">Bob Marsh</a></strong></div>
  <div class="usertitle">Junior Member</div></div>
 <div class="b-post__content"><a class="b-post__count" href="#">#2</a>
  <div class="b-post__timestamp"><time itemprop="dateCreated">04-09-2019, 01:40 PM</time></div>
  <div class="js-post__content-text restore" itemprop="text"><div class="bbcode_container">
   <div class="bbcode_quote"><div class="quote_container">
    <div class="bbcode_postedby">Originally posted by <strong>Alice Brook</strong>
     <a href="#" title="View Post">View Post</a></div>
    <div class="message">Copper kettles boil faster.</div></div></div></div>I doubt that very
    much.</div>
 </div>
 <div class="post-signature restore">Steel forever.</div>
</li></ul></body></html>"""


def test_vb5_html_fields() -> None:
    (post,) = parse_html(VB5_HTML).posts
    assert (post.author, post.user_title, post.post_number) == ("Bob Marsh", "Junior Member", 2)
    assert post.time_text == "04-09-2019, 01:40 PM"
    assert [(q.author, q.text) for q in post.quotes] == [
        ("Alice Brook", "Copper kettles boil faster.")
    ]
    assert (post.body, post.signature) == ("I doubt that very much.", "Steel forever.")


# ---------------------------------------------------------------- robustness
def test_page_without_posts_gives_no_posts() -> None:
    assert parse_text("Just some words.\n#1 without a date\n").posts == []
    assert parse_html("<html><body><p>Nothing here</p></body></html>").posts == []


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=400))
def test_arbitrary_text_never_breaks_detect_or_parse(text: str) -> None:
    for body in (text, "1. 03-02-2019, 10:15 AM #1\n" + text, "#1\n03-02-2019, 10:15 AM\n" + text):
        assert_survives(ENGINE, text_page(body))
