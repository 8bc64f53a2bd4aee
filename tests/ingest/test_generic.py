"""Generic fallback engine: forum-like pages of engines without their own parser.

Every input here is written for the test (fictional users and text). The text pages imitate
Simple Machines Forum, MyBB, a mailing-list archive, Hacker-News-like and Reddit-like
comment trees, and the hard cases of the corpus engines (unmarked quote ends, glued and
indented cites, repeated signatures, double posts, reactor names, time-gap markers); the
HTML pages imitate SMF, MyBB, a Hacker News comment table, WordPress comments and
schema.org microdata.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from labeler.ingest.engines.generic import ENGINE
from labeler.ingest.engines.generic.headers import header_shape
from labeler.ingest.engines.generic.lines import find_time
from labeler.ingest.engines.generic.notes import parse_reaction
from labeler.ingest.model import ParsedPage, ParsedPost
from labeler.ingest.page import Page
from tests.ingest.helpers import assert_survives, html_page, text_page


def parse_text(text: str) -> ParsedPage:
    return ENGINE.parse(text_page(text))


def parse_html(html: str) -> ParsedPage:
    return ENGINE.parse(html_page(html))


def authors(posts: list[ParsedPost]) -> list[str | None]:
    return [p.author for p in posts]


# ---------------------------------------------------------------- detection
def test_detect_is_a_constant_low_floor() -> None:
    for page in (
        text_page(SMF_TEXT),
        html_page(HN_HTML),
        Page.from_text("", path="x.txt"),
    ):
        assert ENGINE.detect(page) == 0.1


# ---------------------------------------------------------------- time expressions
def test_time_expressions_of_many_engines() -> None:
    cases = {
        "Postby Wren » Sun Mar 01, 2015 4:34 pm": "Sun Mar 01, 2015 4:34 pm",
        "« Reply #3 on: March 03, 2021, 10:02:10 AM »": "March 03, 2021, 10:02:10 AM",
        "orrin_b 4 hours ago | parent | next [\u2013]": "4 hours ago",
        "Posted by7 years ago": "7 years ago",
        "Yesterday at 06:40 PM": "Yesterday at 06:40 PM",
        "Today, 10:02 AM": "Today, 10:02 AM",
        "Date: Tue, 9 Mar 2021 14:02:11 +0100": "Tue, 9 Mar 2021 14:02:11 +0100",
        "Ada Example ada at example.org Tue Mar 9 14:02:11 CET 2021": "Tue Mar 9 14:02:11 CET 2021",
        "1. 03-15-2019, 11:04 PM #7": "03-15-2019, 11:04 PM",
        "noor (Noor Haddad) March 2, 2021, 6:45am #2": "March 2, 2021, 6:45am",
        "2021-03-02T11:30:00Z": "2021-03-02T11:30:00Z",
    }
    for line, expected in cases.items():
        found = find_time(line)
        assert found is not None and found.group(0) == expected, line
    for line in ("Posts: 1,204", "version 2.4.1 is out", "Room 12 on floor 3"):
        assert find_time(line) is None, line


def test_header_shapes_ignore_profile_quote_and_edit_lines() -> None:
    assert header_shape("Postby Wren » Sun Mar 01, 2015 4:34 pm") is not None
    for line in (
        "Joined: Sun Mar 01, 2015 4:34 pm",
        "Wren wrote: on Sun Mar 01, 2015 4:34 pm",
        "Last edited by Wren on Sun Mar 01, 2015 4:40 pm, edited 1 time in total.",
        "On 3/1/2015 at 4:34 PM, Wren said:",
        "I moved in on Sun Mar 01, 2015 4:34 pm and it rained every day since then.",
    ):
        assert header_shape(line) is None, line


def test_reaction_lines() -> None:
    assert parse_reaction("  • Like 2") == ("Like", 2)
    assert parse_reaction("8 Likes") == ("Like", 8)
    assert parse_reaction("39 points") == ("points", 39)
    assert parse_reaction("Reactions: Ada, Bo, Cy and 12 others") == ("total", 15)
    assert parse_reaction("Reactions: Ada") == ("total", 1)
    assert parse_reaction("  • 2 weeks later...") is None


# ---------------------------------------------------------------- Simple Machines Forum
SMF_TEXT = """Example Forum
Home Help Search Login Register

Example Forum » General » Chat » Bike lights that last

« previous next »
Pages: [1]   Go Down
Author	Topic: Bike lights that last  (Read 312 times)
0 Members and 1 Guest are viewing this topic.
Offline
mara_k

    Newbie
    *
    Posts: 12

Bike lights that last
« on: March 03, 2021, 09:15:22 AM »

    Quote

My rear light died after two weeks of rain. Which ones survive a wet winter?

Logged
Offline
tobiasw

    Full Member
    ***
    Posts: 240

Re: Bike lights that last
« Reply #1 on: March 03, 2021, 10:02:10 AM »

    Quote

Quote from: mara_k on March 03, 2021, 09:15:22 AM
My rear light died after two weeks of rain. Which ones survive a wet winter?

Anything with a rubber cover over the charging port. Mine has lasted three winters.
« Last Edit: March 03, 2021, 10:05:00 AM by tobiasw »

Logged
Offline
mara_k

    Newbie
    *
    Posts: 12

Re: Bike lights that last
« Reply #2 on: Yesterday at 06:40:00 PM »

    Quote

Thanks, ordered one with a cover.

Logged
Pages: [1]   Go Up
« previous next »
Example Forum » General » Chat » Bike lights that last
"""


def test_smf_text_posts_authors_times() -> None:
    page = parse_text(SMF_TEXT)
    assert authors(page.posts) == ["mara_k", "tobiasw", "mara_k"]
    assert [p.time_text for p in page.posts] == [
        "March 03, 2021, 09:15:22 AM",
        "March 03, 2021, 10:02:10 AM",
        "Yesterday at 06:40:00 PM",
    ]
    assert page.posts[2].body == "Thanks, ordered one with a cover."
    assert page.title == "Bike lights that last"


def test_smf_text_quote_from_and_last_edit() -> None:
    reply = parse_text(SMF_TEXT).posts[1]
    assert reply.body == (
        "Anything with a rubber cover over the charging port. Mine has lasted three winters."
    )
    [quote] = reply.quotes
    assert quote.author == "mara_k"
    assert quote.time_text == "March 03, 2021, 09:15:22 AM"
    assert quote.text.startswith("My rear light died")
    assert reply.edited_by == "tobiasw"
    assert reply.edited_text is not None and "Last Edit" in reply.edited_text
    assert reply.post_number == 1


SMF_HTML = """<!DOCTYPE html>
<html><head><title>Bike lights that last</title>
<link rel="canonical" href="https://forum.example.org/index.php?topic=42.0"></head><body>
<div id="forumposts">
<div class="windowbg"><div class="post_wrapper">
  <div class="poster"><h4><a href="#">mara_k</a></h4><ul><li class="membergroup">Newbie</li>
    <li class="postcount">Posts: 12</li></ul></div>
  <div class="postarea"><div class="keyinfo"><h5 id="subject_1"><a href="#">Bike lights</a></h5>
    <div class="smalltext">&#171; <strong>on:</strong> March 03, 2021, 09:15:22 AM &#187;</div>
  </div>
    <div class="post"><div class="inner" id="msg_1">Which lights survive a wet winter?</div></div>
  </div></div></div>
<div class="windowbg2"><div class="post_wrapper">
  <div class="poster"><h4><a href="#">tobiasw</a></h4><ul><li class="membergroup">Full Member</li>
    </ul></div>
  <div class="postarea"><div class="keyinfo"><h5 id="subject_2"><a href="#">Re: Bike lights</a></h5>
    <div class="smalltext">&#171; <strong>Reply #1 on:</strong> March 03, 2021, 10:02:10 AM &#187;
    </div></div>
    <div class="post"><div class="inner" id="msg_2">
      <div class="quoteheader"><div class="topslice_quote"><a href="#">Quote from: mara_k on
        March 03, 2021, 09:15:22 AM</a></div></div>
      <blockquote class="bbc_standard_quote">Which lights survive a wet winter?</blockquote>
      <div class="quotefooter"><div class="botslice_quote"></div></div>
      Anything with a rubber cover over the charging port.</div></div>
  </div>
  <div class="moderatorbar"><div class="smalltext modified" id="modified_2">&#171;
    <em>Last Edit: March 03, 2021, 10:05:00 AM by tobiasw</em> &#187;</div>
    <div class="signature">Ride every day.</div></div>
</div></div>
</div></body></html>"""


def test_smf_html_quoteheader_sibling_edit_and_signature() -> None:
    page = parse_html(SMF_HTML)
    assert page.url == "https://forum.example.org/index.php?topic=42.0"
    assert authors(page.posts) == ["mara_k", "tobiasw"]
    first, reply = page.posts
    assert first.time_text == "March 03, 2021, 09:15:22 AM"
    assert first.body == "Which lights survive a wet winter?"
    assert reply.body == "Anything with a rubber cover over the charging port."
    [quote] = reply.quotes
    assert (quote.author, quote.text) == ("mara_k", "Which lights survive a wet winter?")
    assert reply.edited_by == "tobiasw"
    assert reply.signature == "Ride every day."
    assert reply.subject == "Re: Bike lights"


# ---------------------------------------------------------------- MyBB
def _mybb_profile(name: str, rank: str) -> str:
    return f"{name}\n{rank}\n**\n\nPosts: 14\nThreads: 3\nJoined: Dec 2020\nReputation: 0\n"


MYBB_TEXT = (
    "Trail Talk \u203a General \u203a Favourite trail snacks\nThreaded Mode | Linear Mode\n"
    "Favourite trail snacks\n"
    + _mybb_profile("jonas_p", "Junior Member")
    + "#1\n01-05-2021, 08:12 AM\n"
    "What do you pack for a long day hike? I always end up with too much chocolate.\n"
    "Find\nReply\n"
    + _mybb_profile("rikke", "Member")
    + "#2\n01-05-2021, 09:40 AM (This post was last modified: 01-05-2021, 09:45 AM by rikke.)\n"
    "jonas_p Wrote: (01-05-2021, 08:12 AM)\n"
    "What do you pack for a long day hike? I always end up with too much chocolate.\n\n"
    "Dried mango and salted nuts. Chocolate melts in my bag anyway.\nFind\nReply\n"
    + _mybb_profile("jonas_p", "Junior Member")
    + "#3\nToday, 10:02 AM\nMango it is, thanks!\nFind\nReply\n"
    "« Next Oldest | Next Newest »\nUsers browsing this thread: 1 Guest(s)\n"
)


def test_mybb_text_name_block_above_the_date() -> None:
    page = parse_text(MYBB_TEXT)
    assert authors(page.posts) == ["jonas_p", "rikke", "jonas_p"]
    assert [p.post_number for p in page.posts] == [1, 2, 3]
    assert page.posts[0].user_title == "Junior Member"
    assert page.posts[2].time_text == "Today, 10:02 AM"
    assert page.posts[2].body == "Mango it is, thanks!"  # buttons and page footer dropped


def test_mybb_text_wrote_quote_and_modified_note() -> None:
    reply = parse_text(MYBB_TEXT).posts[1]
    assert reply.time_text == "01-05-2021, 09:40 AM"
    assert reply.edited_by == "rikke"
    [quote] = reply.quotes
    assert (quote.author, quote.time_text) == ("jonas_p", "01-05-2021, 08:12 AM")
    assert reply.body == "Dried mango and salted nuts. Chocolate melts in my bag anyway."


MYBB_HTML = """<!DOCTYPE html><html><head><title>Favourite trail snacks</title></head><body>
<div id="posts">
<div class="post" id="post_1">
 <div class="post_author"><div class="author_information"><strong><span class="largetext">
   <a href="#">jonas_p</a></span></strong><br><span class="smalltext">Junior Member</span></div>
  <div class="author_statistics">Posts: 14<br>Joined: Dec 2020</div></div>
 <div class="post_content">
  <div class="post_head"><div class="float_right"><strong><a href="#">#1</a></strong></div>
   <span class="post_date">01-05-2021, 08:12 AM <span class="post_edit"></span></span></div>
  <div class="post_body scaleimages" id="pid_1">What do you pack for a long day hike?</div></div>
 <div class="post_controls"><div class="postbit_buttons"><a href="#"><span>Find</span></a>
  <a href="#"><span>Reply</span></a></div></div>
</div>
<div class="post" id="post_2">
 <div class="post_author"><div class="author_information"><strong><span class="largetext">
   <a href="#">rikke</a></span></strong><br><span class="smalltext">Member</span></div></div>
 <div class="post_content">
  <div class="post_head"><div class="float_right"><strong><a href="#">#2</a></strong></div>
   <span class="post_date">01-05-2021, 09:40 AM <span class="post_edit"><span
   class="edited_post">(This post was last modified: 01-05-2021, 09:45 AM by
   <a href="#">rikke</a>.)</span></span></span></div>
  <div class="post_body scaleimages" id="pid_2"><blockquote class="mycode_quote"><cite><span>
   (01-05-2021, 08:12 AM)</span>jonas_p Wrote: <a class="quick_jump" href="#"></a></cite>
   What do you pack for a long day hike?</blockquote><br>Dried mango and salted nuts.</div>
 </div>
</div>
</div></body></html>"""


def test_mybb_html_cite_with_time_and_edit_span() -> None:
    page = parse_html(MYBB_HTML)
    assert authors(page.posts) == ["jonas_p", "rikke"]
    assert [p.time_text for p in page.posts] == ["01-05-2021, 08:12 AM", "01-05-2021, 09:40 AM"]
    reply = page.posts[1]
    assert reply.body == "Dried mango and salted nuts."
    [quote] = reply.quotes
    assert (quote.author, quote.time_text) == ("jonas_p", "01-05-2021, 08:12 AM")
    assert quote.text == "What do you pack for a long day hike?"
    assert reply.edited_by == "rikke"
    assert page.posts[0].body == "What do you pack for a long day hike?"  # no Find/Reply


# ---------------------------------------------------------------- mailing-list archives
MAIL_TEXT = """[dev] Release schedule for 2.4

From: Pella Ostrova <pella@example.org>
Date: Tue, 9 Mar 2021 14:02:11 +0100
Subject: [dev] Release schedule for 2.4

Hi all,

I suggest we freeze on the 20th and tag the release a week later.

Pella
--
Pella Ostrova, release team

From: Jun Okafor <jun@example.net>
Date: Tue, 9 Mar 2021 15:40:03 +0100
Subject: Re: [dev] Release schedule for 2.4

On Tue, Mar 9, 2021 at 2:02 PM Pella Ostrova <pella@example.org> wrote:
> Hi all,
>
> I suggest we freeze on the 20th and tag the release a week later.

The 20th works for me, as long as the docs land first.

From: Pella Ostrova <pella@example.org>
Date: Wed, 10 Mar 2021 09:12:45 +0100
Subject: Re: [dev] Release schedule for 2.4

On Tue, Mar 9, 2021 at 3:40 PM Jun Okafor <jun@example.net> wrote:
> On Tue, Mar 9, 2021 at 2:02 PM Pella Ostrova <pella@example.org> wrote:
>> I suggest we freeze on the 20th and tag the release a week later.
>
> The 20th works for me, as long as the docs land first.

Agreed, docs first.
"""


def test_mail_archive_from_date_subject_and_signature() -> None:
    page = parse_text(MAIL_TEXT)
    assert authors(page.posts) == ["Pella Ostrova", "Jun Okafor", "Pella Ostrova"]
    first = page.posts[0]
    assert first.time_text == "Tue, 9 Mar 2021 14:02:11 +0100"
    assert first.subject == "[dev] Release schedule for 2.4"
    assert first.signature == "Pella Ostrova, release team"
    assert first.body.endswith("Pella")
    assert "From:" not in first.body and "Subject" not in first.body


def test_mail_archive_nested_angle_quotes() -> None:
    posts = parse_text(MAIL_TEXT).posts
    [quote] = posts[1].quotes
    assert (quote.author, quote.time_text) == ("Pella Ostrova", "Tue, Mar 9, 2021 at 2:02 PM")
    assert (
        quote.text == "Hi all,\n\nI suggest we freeze on the 20th and tag the release a week later."
    )
    [outer] = posts[2].quotes
    assert outer.author == "Jun Okafor"
    assert outer.text == "The 20th works for me, as long as the docs land first."
    [inner] = outer.quotes
    assert inner.author == "Pella Ostrova"
    assert posts[2].body == "Agreed, docs first."


HYPERKITTY_TEXT = """Thread: Mirror sync is late

Ada Lindqvist
9 Mar 2021 2:02 p.m.
The mirror has not synced since Monday.
Reply
Bram Oduya
9 Mar 2021 3:15 p.m.
Fixed, a disk was full. It should catch up tonight.
Reply
Ada Lindqvist
10 Mar 2021 8:40 a.m.
Confirmed, all caught up.
Reply
"""


def test_mail_archive_thread_view_name_line_then_date() -> None:
    page = parse_text(HYPERKITTY_TEXT)
    assert authors(page.posts) == ["Ada Lindqvist", "Bram Oduya", "Ada Lindqvist"]
    assert page.posts[1].time_text == "9 Mar 2021 3:15 p.m."
    assert page.posts[1].body == "Fixed, a disk was full. It should catch up tonight."


# ---------------------------------------------------------------- comment trees
HN_TEXT = """Hacker News new | past | comments | ask | show | jobs | submit login

Show HN: A tiny static site generator (example.com)
120 points by kiva_t 5 hours ago | hide | past | favorite | 48 comments

orrin_b 4 hours ago | next [\u2013]

I like that it has no plugins. Less to break.

reply

  kiva_t 4 hours ago | parent | next [\u2013]

  That was the point: one binary, no config.

  reply

lumen_q 3 hours ago | prev | next [\u2013]

How does it handle drafts? I keep half-written posts in the same folder.

reply

Guidelines | FAQ | Lists | API | Security | Legal | Apply to YC | Contact
"""


def test_hacker_news_text_headers_depth_and_reply_links() -> None:
    page = parse_text(HN_TEXT)
    assert authors(page.posts) == ["orrin_b", "kiva_t", "lumen_q"]
    assert [p.time_text for p in page.posts] == ["4 hours ago", "4 hours ago", "3 hours ago"]
    assert [p.depth for p in page.posts] == [0, 1, 0]
    assert page.posts[1].parent_index == 0
    assert page.posts[0].body == "I like that it has no plugins. Less to break."
    assert page.posts[2].body.endswith("same folder.")  # footer links are not the body


HN_HTML = """<html><head><title>Show HN: A tiny static site generator</title></head><body>
<table class="fatitem"><tr class="athing submission" id="100"><td class="title">
<a href="https://example.com">Show HN: A tiny static site generator</a></td></tr></table>
<table class="comment-tree">
<tr class="athing comtr" id="101"><td><table><tr><td class="ind" indent="0"></td>
<td class="default"><div><span class="comhead"><a href="#" class="hnuser">orrin_b</a>
<span class="age" title="2024-03-09T09:00:00"><a href="#">4 hours ago</a></span>
<span class="navs"> | <a href="#102">next</a> [\u2013]</span></span></div><br>
<div class="comment"><div class="commtext c00">I like that it has no plugins.</div>
<div class="reply"><p><a href="#">reply</a></p></div></div></td></tr></table></td></tr>
<tr class="athing comtr" id="102"><td><table><tr><td class="ind" indent="1"></td>
<td class="default"><div><span class="comhead"><a href="#" class="hnuser">kiva_t</a>
<span class="age" title="2024-03-09T09:10:00"><a href="#">4 hours ago</a></span>
<span class="navs"> | <a href="#101">parent</a> [\u2013]</span></span></div><br>
<div class="comment"><div class="commtext c00">One binary, no config.<p>Plugins can come
later.</p></div><div class="reply"><p><a href="#">reply</a></p></div></div></td></tr></table>
</td></tr>
<tr class="athing comtr" id="103"><td><table><tr><td class="ind" indent="0"></td>
<td class="default"><div><span class="comhead"><a href="#" class="hnuser">lumen_q</a>
<span class="age" title="2024-03-09T10:00:00"><a href="#">3 hours ago</a></span></span></div>
<br><div class="comment"><div class="commtext c00">How does it handle drafts?</div></div>
</td></tr></table></td></tr>
</table></body></html>"""


def test_hacker_news_html_rows_with_indent_attribute() -> None:
    page = parse_html(HN_HTML)
    assert authors(page.posts) == ["orrin_b", "kiva_t", "lumen_q"]
    assert [p.depth for p in page.posts] == [0, 1, 0]
    assert page.posts[1].parent_index == 0
    assert page.posts[1].body == "One binary, no config.\nPlugins can come later."
    assert all("reply" not in p.body for p in page.posts)


REDDIT_LIKE_TEXT = """r/Gardening

Posted by8 years ago

Do tomatoes need full sun?

I have a balcony that faces east. Is morning sun enough for tomatoes?

12 comments
level 1
31 points · 8 years ago

Morning sun is fine for cherry tomatoes. Big ones want more.

level 2
4 points · 8 years ago · edited 8 years ago

Agreed, mine did well on an east balcony.

Continue this thread
level 1
2 points · 8 years ago

Try a reflective wall behind them.
"""


def test_reddit_like_tree_without_authors() -> None:
    page = parse_text(REDDIT_LIKE_TEXT)
    bodies = [p.body for p in page.posts]
    assert bodies[0].startswith("Do tomatoes need full sun?")
    assert bodies[1:] == [
        "Morning sun is fine for cherry tomatoes. Big ones want more.",
        "Agreed, mine did well on an east balcony.",
        "Try a reflective wall behind them.",
    ]
    assert authors(page.posts) == [None, None, None, None]
    assert [p.reactions for p in page.posts[1:]] == [
        [("points", 31)],
        [("points", 4)],
        [("points", 2)],
    ]
    assert [p.depth for p in page.posts[1:]] == [1, 2, 1]
    assert page.posts[2].parent_index == 1
    assert page.posts[2].edited_text == "edited 8 years ago"


WORDPRESS_HTML = """<!DOCTYPE html><html><head><title>Fixing a squeaky door</title>
<meta property="og:url" content="https://blog.example.com/squeaky-door/"></head><body>
<article class="post-7 post type-post"><header class="entry-header">
<h1 class="entry-title">Fixing a squeaky door</h1>
<div class="entry-meta">Posted on
<time class="entry-date" datetime="2021-03-01">March 1, 2021</time> by
<span class="author vcard"><a href="#">Noor</a></span></div></header>
<div class="entry-content"><p>A drop of oil on the hinge pin is usually enough. Lift the pin,
oil it, and tap it back in.</p></div></article>
<div id="comments" class="comments-area"><ol class="comment-list">
<li id="comment-11" class="comment even depth-1"><article id="div-comment-11" class="comment-body">
  <footer class="comment-meta"><div class="comment-author vcard"><img alt="" class="avatar">
  <b class="fn">Hedda</b> <span class="says">says:</span></div>
  <div class="comment-metadata"><a href="#"><time datetime="2021-03-02T10:00:00">March 2, 2021
  at 10:00 am</time></a></div></footer>
  <div class="comment-content"><p>Graphite powder works too and does not attract dust.</p></div>
  <div class="reply"><a class="comment-reply-link" href="#">Reply</a></div></article>
 <ol class="children"><li id="comment-12" class="comment odd depth-2">
  <article id="div-comment-12" class="comment-body"><footer class="comment-meta">
  <div class="comment-author vcard"><b class="fn">Noor</b> <span class="says">says:</span></div>
  <div class="comment-metadata"><a href="#"><time datetime="2021-03-02T11:30:00">March 2, 2021
  at 11:30 am</time></a></div></footer>
  <div class="comment-content"><blockquote><p>Graphite powder works too</p></blockquote>
  <p>Good tip, I will try that next time.</p></div></article></li></ol>
</li>
<li id="comment-13" class="comment even depth-1"><article id="div-comment-13" class="comment-body">
  <footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Piet</b></div>
  <div class="comment-metadata"><a href="#"><time datetime="2021-03-03T08:15:00">March 3, 2021
  at 8:15 am</time></a></div></footer>
  <div class="comment-content"><p>Soap works in a pinch.</p></div></article></li>
</ol></div></body></html>"""


def test_blog_comments_article_first_then_nested_comments() -> None:
    page = parse_html(WORDPRESS_HTML)
    assert page.url == "https://blog.example.com/squeaky-door/"
    assert authors(page.posts) == ["Noor", "Hedda", "Noor", "Piet"]
    assert page.posts[0].body.startswith("A drop of oil on the hinge pin")
    assert page.posts[1].time_text == "March 2, 2021 at 10:00 am"
    reply = page.posts[2]
    assert (reply.depth, reply.parent_index) == (1, 1)
    assert reply.body == "Good tip, I will try that next time."
    [quote] = reply.quotes
    assert (quote.author, quote.text) == (None, "Graphite powder works too")
    assert all("Reply" not in p.body for p in page.posts)


MICRODATA_HTML = """<html><head><title>Which tent for a windy coast?</title></head><body><main>
<div itemscope itemtype="https://schema.org/DiscussionForumPosting">
  <h1 itemprop="headline">Which tent for a windy coast?</h1>
  <div itemprop="author" itemscope itemtype="https://schema.org/Person">
    <span itemprop="name">gale_w</span></div>
  <span itemprop="dateCreated">12 Apr 2022, 19:05</span>
  <div itemprop="text"><p>Planning two weeks on an exposed coast. Tunnel or dome?</p></div>
  <div itemprop="comment" itemscope itemtype="https://schema.org/Comment">
    <div itemprop="author" itemscope itemtype="https://schema.org/Person">
      <span itemprop="name">ferro</span></div>
    <span itemprop="dateCreated">12 Apr 2022, 20:11</span>
    <div itemprop="text"><p>Dome, pitched tail to the wind.</p></div>
    <div class="votes">7 votes</div></div>
  <div itemprop="comment" itemscope itemtype="https://schema.org/Comment">
    <div itemprop="author" itemscope itemtype="https://schema.org/Person">
      <span itemprop="name">ines_b</span></div>
    <span itemprop="dateCreated">13 Apr 2022, 07:40</span>
    <div itemprop="text"><p>Whatever you pick, bring extra pegs.</p></div></div>
</div></main></body></html>"""


def test_microdata_posting_with_comments() -> None:
    page = parse_html(MICRODATA_HTML)
    assert authors(page.posts) == ["gale_w", "ferro", "ines_b"]
    assert [p.time_text for p in page.posts] == [
        "12 Apr 2022, 19:05",
        "12 Apr 2022, 20:11",
        "13 Apr 2022, 07:40",
    ]
    assert page.posts[0].body == "Planning two weeks on an exposed coast. Tunnel or dome?"
    assert page.posts[1].reactions == [("votes", 7)]
    assert [p.parent_index for p in page.posts] == [None, 0, 0]


# ---------------------------------------------------------------- hard cases of known engines
def _ips_post(body: str, footer: str = "") -> str:
    return f"{body}\n\n{footer}Link to comment\nShare on other sites\n\n"


IPS_TEXT = (
    "Jump to content\n\nThe ferry timetable\n\n\nharbourwatch\n\nRecommended Posts\n\n"
    + _ips_post("The winter timetable drops the last evening ferry.\n\n \n\nThat hurts commuters.")
    + _ips_post(
        "I would rather keep the evening boat and drop the early one.",
        "Edited by Greta_K\n  • Like 2\n",
    )
    + _ips_post(
        "12 minutes ago, Greta_K said:\n\n"
        "I would rather keep the evening boat and drop the early one.\n\n"
        "The early one is full of school kids though.",
        "  • Thanks 1\n",
    )
    + "  • 2 weeks later...\n"
    + _ips_post(
        "On 3/1/2021 at 8:07 AM, somebody_else said:\n\n"
        "A post that is not on this page at all.\n\n"
        "Quoting a post from page one here."
    )
    + "Create an account or sign in to comment\n"
)


def test_unmarked_quote_end_found_by_matching_earlier_posts() -> None:
    posts = parse_text(IPS_TEXT).posts
    assert len(posts) == 4
    reply = posts[2]
    [quote] = reply.quotes
    assert quote.author == "Greta_K" and quote.time_text == "12 minutes ago"
    assert quote.text == "I would rather keep the evening boat and drop the early one."
    assert reply.body == "The early one is full of school kids though."
    assert reply.reactions == [("Thanks", 1)]


def test_quote_of_an_off_page_post_ends_after_its_first_paragraph() -> None:
    last = parse_text(IPS_TEXT).posts[3]
    [quote] = last.quotes
    assert (quote.author, quote.text) == (
        "somebody_else",
        "A post that is not on this page at all.",
    )
    assert last.body == "Quoting a post from page one here."


def test_footer_split_edit_notes_reactions_and_gap_marker() -> None:
    posts = parse_text(IPS_TEXT).posts
    assert posts[0].body.endswith("That hurts commuters.")
    assert posts[1].edited_by == "Greta_K"
    assert posts[1].reactions == [("Like", 2)]
    assert posts[1].body == "I would rather keep the evening boat and drop the early one."
    assert all("later" not in p.body for p in posts)  # "• 2 weeks later..." is no post text
    assert all(("Later", 2) not in p.reactions for p in posts)


def _prosilver(author: str, stamp: str, body: str, sig: str | None, rank: str) -> str:
    signature = f"{sig}\n" if sig else ""
    return (
        f"  • Reply with quote\n\nRe: Kettles\n\nPostby {author} » {stamp}\n\n{body}\n"
        f"{signature}\nUser avatar\n{author}\n    {rank}\n     \n    Posts: 120\n"
        "    Joined: Mon Jan 05, 2015 8:00 pm\n\nTop\n\n"
    )


PHPBB_LIKE_TEXT = (
    "Kettles\n\n"
    + _prosilver(
        "Wren", "Mon Mar 02, 2015 9:15 am", "Mine whistles at dawn.", "Steam is ambition", "Regular"
    )
    + _prosilver(
        "Tobit",
        "Mon Mar 02, 2015 9:40 am",
        "    Wren wrote:Mine whistles at dawn.\n\n"
        "        Corvid wrote:An older remark.\n\nTake the whistle cap off.\n"
        "Last edited by Tobit on Mon Mar 02, 2015 9:45 am, edited 2 times in total.",
        None,
        "Kettle Sage of the Upper Valley and keeper of lids",
    )
    + _prosilver(
        "Wren",
        "Mon Mar 02, 2015 10:02 am",
        "    Take the whistle cap off.\n\nIt worked, thank you.",
        "Steam is ambition",
        "Regular",
    )
)


def test_postby_header_glued_cites_nested_and_bare_indented_quotes() -> None:
    posts = parse_text(PHPBB_LIKE_TEXT).posts
    assert authors(posts) == ["Wren", "Tobit", "Wren"]
    assert posts[0].time_text == "Mon Mar 02, 2015 9:15 am"
    [quote] = posts[1].quotes
    assert (quote.author, quote.text) == ("Wren", "Mine whistles at dawn.")
    [nested] = quote.quotes
    assert (nested.author, nested.text) == ("Corvid", "An older remark.")
    assert posts[1].body == "Take the whistle cap off."
    assert posts[1].edited_by == "Tobit"
    [bare] = posts[2].quotes
    assert (bare.author, bare.text) == (None, "Take the whistle cap off.")


def test_signature_found_by_repetition_and_profile_block_dropped() -> None:
    posts = parse_text(PHPBB_LIKE_TEXT).posts
    assert posts[0].body == "Mine whistles at dawn."
    assert posts[0].signature == "Steam is ambition"
    assert posts[2].body == "It worked, thank you."
    assert all("Posts:" not in p.body and "Sage" not in p.body for p in posts)


def _vb_post(n: int, stamp: str, author: str, body: str) -> str:
    return (
        f" {n}. {stamp} #{n}\n    {author}\n      □ View Profile\n      □ Private Message\n"
        f"    {author} is offline\n    Member {author}'s Avatar\n   \n    Join Date\n"
        "        Oct 2010\n    Posts\n        3,882\n   \n"
        f"{body}\n\n    [progress] Reply With Quote Reply With Quote\n"
    )


VB_TEXT = (
    "Page 1 of 1\n\n"
    + _vb_post(1, "06-15-2016, 03:03 PM", "Holm", "        The pier is closed again. Any news?")
    + _vb_post(
        2,
        "06-15-2016, 05:21 PM",
        "Vetra",
        "        Quote Originally Posted by Holm View Post\n"
        "        The pier is closed again. Any news?\n"
        "        Storm damage, it reopens Friday.",
    )
    + _vb_post(
        3,
        "06-15-2016, 05:30 PM",
        "Holm",
        "        Quote Originally Posted by Vetra View Post\n"
        "        Storm damage, it reopens Friday.\n        Good to know.",
    )
    + _vb_post(
        4,
        "06-15-2016, 05:30 PM",
        "Holm",
        "        Quote Originally Posted by Vetra View Post\n"
        "        Storm damage, it reopens Friday.\n        Good to know.",
    )
)


def test_originally_posted_by_quote_and_exact_double_post() -> None:
    posts = parse_text(VB_TEXT).posts
    assert authors(posts) == ["Holm", "Vetra", "Holm", "Holm"]
    assert [p.post_number for p in posts] == [1, 2, 3, 4]
    assert posts[1].body == "Storm damage, it reopens Friday."
    assert [(q.author, q.text) for q in posts[1].quotes] == [
        ("Holm", "The pier is closed again. Any news?")
    ]
    assert posts[2].body == posts[3].body == "Good to know."  # two posts, not one
    assert posts[3].quotes[0].author == "Vetra"
    assert all("View Profile" not in p.body and "3,882" not in p.body for p in posts)


XF_TEXT = """A dark mode

hollis

hollis

Well-known member

Nov 21, 2010

  •
  • #1

Dark mode would be kind to night owls.


  • Like

Reactions: Ada, Bo, Cy and 12 others
pim

pim

Member

Nov 22, 2010

  •
  • #2

hollis said:
    Dark mode would be kind to night owls.
Click to expand...

Seconded, my eyes agree.

  • Like

Reactions: hollis
"""


def test_name_lines_above_a_bare_date_reactor_names_and_click_to_expand() -> None:
    posts = parse_text(XF_TEXT).posts
    assert authors(posts) == ["hollis", "pim"]
    assert [p.user_title for p in posts] == ["Well-known member", "Member"]
    assert [p.post_number for p in posts] == [1, 2]
    assert [p.reactions for p in posts] == [[("total", 15)], [("total", 1)]]
    [quote] = posts[1].quotes
    assert (quote.author, quote.text) == ("hollis", "Dark mode would be kind to night owls.")
    assert posts[1].body == "Seconded, my eyes agree."


DISCOURSE_LIKE_TEXT = """Forum Meta

Lamps for the reading room

noor_h (Noor Haddad) June 19, 2015, 6:45am #1

The reading room needs brighter lamps.

8 Likes
bram (Bram Oduya) February 6, 2014, 5:27am #2

Ordered two today.

1 Like
Home Categories FAQ/Guidelines Terms of Service Privacy Policy
"""


def test_username_with_display_name_header_and_like_counts() -> None:
    posts = parse_text(DISCOURSE_LIKE_TEXT).posts
    assert authors(posts) == ["noor_h", "bram"]
    assert [p.time_text for p in posts] == ["June 19, 2015, 6:45am", "February 6, 2014, 5:27am"]
    assert [p.reactions for p in posts] == [[("Like", 8)], [("Like", 1)]]
    assert posts[1].body == "Ordered two today."


FLUX_TEXT = """Board index » Workshop » Sharpening chisels

#1 2021-03-03 09:15:22
mara_k
Member
Registered: 2020-01-01
Posts: 12

What grit do you finish on? I stop at 1000 and it feels rough.

Offline

#2 2021-03-03 10:02:10
tobiasw
Member
Registered: 2019-05-11
Posts: 240

mara_k wrote:

    What grit do you finish on? I stop at 1000 and it feels rough.

Go to 6000 and strop on leather afterwards.

Last edited by tobiasw (2021-03-03 10:05:00)

Offline

Board footer
Powered by FluxBB
"""


def test_name_line_below_the_header_and_indented_quote_after_cite() -> None:
    posts = parse_text(FLUX_TEXT).posts
    assert authors(posts) == ["mara_k", "tobiasw"]
    assert [p.time_text for p in posts] == ["2021-03-03 09:15:22", "2021-03-03 10:02:10"]
    assert posts[0].body == "What grit do you finish on? I stop at 1000 and it feels rough."
    [quote] = posts[1].quotes
    assert quote.author == "mara_k" and quote.text.startswith("What grit")
    assert posts[1].body == "Go to 6000 and strop on leather afterwards."
    assert posts[1].edited_by == "tobiasw"


# ---------------------------------------------------------------- other renderings
def test_copy_paste_and_lynx_renderings_still_split() -> None:
    flat = "\n".join(line.strip() for line in PHPBB_LIKE_TEXT.split("\n"))
    starred = PHPBB_LIKE_TEXT.replace("•", "*")
    for text in (flat, starred):
        posts = parse_text(text).posts
        assert authors(posts) == ["Wren", "Tobit", "Wren"]
        assert posts[1].body.endswith("Take the whistle cap off.")


# ---------------------------------------------------------------- not forum-like
ARTICLE_TEXT = """City news

Harbour bridge to reopen in spring

By a staff writer
March 3, 2021

The harbour bridge will reopen in spring after repairs, the council said on Tuesday.

Work on the deck began last year and has run over budget.

Share this article
"""

ARTICLE_HTML = """<html><head><title>Harbour bridge to reopen</title></head><body>
<article><h1>Harbour bridge to reopen in spring</h1><time datetime="2021-03-03">March 3, 2021</time>
<p>The harbour bridge will reopen in spring after repairs, the council said on Tuesday.</p>
<p>Work on the deck began last year and has run over budget.</p></article></body></html>"""


def test_prose_pages_give_no_posts() -> None:
    assert parse_text(ARTICLE_TEXT).posts == []
    assert parse_text("just some words\nand more words\n").posts == []
    assert parse_text("").posts == []
    assert parse_html(ARTICLE_HTML).posts == []
    assert parse_html("<html><body><p>Hello</p></body></html>").posts == []


def test_parsing_leaves_the_tree_as_it_was() -> None:
    page = html_page(HN_HTML)
    before = len(list(page.tree.iter()))
    ENGINE.parse(page)
    assert len(list(page.tree.iter())) == before
    assert not page.tree.xpath("//*[@data-generic-member]")


# ---------------------------------------------------------------- robustness
def test_pathological_lines_parse() -> None:
    # Catastrophic regex backtracking would hang here; speed itself is for `make bench`.
    pages = [
        "x wrote:" + "a" * 200_000,
        ("Quote from: " + "b " * 300 + "\n") * 200,
        ("Mon Mar 02, 2015 9:15 am\n" + "word " * 50 + "\n") * 2_000,
        "1" * 100_000 + "\n" + ":" * 100_000,
        "<p>" + "<div class='post'>3 hours ago " * 2_000 + "</p>",
    ]
    for text in pages:
        parsed = ENGINE.parse(
            Page.from_text(text, path="x.html" if text.startswith("<") else "x.txt")
        )
        assert all(isinstance(post.body, str) for post in parsed.posts)


def test_control_characters_in_html_text_do_not_break_parsing() -> None:
    html = HN_HTML.replace("Less to break", "Less \x01to\x0b break").replace(
        "I like that", "I\nlike\x02 that"
    )
    page = parse_html(html)
    assert authors(page.posts) == ["orrin_b", "kiva_t", "lumen_q"]
    assert "like" in page.posts[0].body


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_cut_html_pages_never_raise(data: st.DataObject) -> None:
    html = data.draw(st.sampled_from([SMF_HTML, MYBB_HTML, HN_HTML, WORDPRESS_HTML]))
    start = data.draw(st.integers(0, len(html)))
    end = data.draw(st.integers(start, len(html)))
    for post in parse_html(html[:start] + html[end:]).posts:
        assert isinstance(post.body, str)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=600))
def test_arbitrary_text_never_raises(text: str) -> None:
    for path in ("x.txt", "x.html"):
        assert_survives(ENGINE, Page.from_text(text, path=path))


_LINES = st.sampled_from(
    [
        "alice 3 hours ago | parent | next [\u2013]",
        "Postby bob » Mon Mar 02, 2015 9:15 am",
        "carol wrote:",
        "> quoted words here",
        "    indented words",
        "Edited by dave",
        "  • Like 2",
        "Link to comment",
        "Posts: 12",
        "Reactions: Ada and 3 others",
        "level 2",
        "A plain sentence of body text.",
        "",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_LINES, max_size=60))
def test_forum_shaped_noise_never_raises(lines: list[str]) -> None:
    for post in parse_text("\n".join(lines)).posts:
        assert isinstance(post.body, str)
        assert all(isinstance(q.text, str) for q in post.quotes)
