"""phpBB engine: header lines, glued cites, indented quotes, repeated signatures, styles.

Every input here is written for the test (fictional users and text) and reproduces one
structure of phpBB pages: prosilver 3.0 as w3m prints it (profile after the message),
3.1+ (profile before it, "Post by", dated cites), lynx and copy-paste (quotes not
indented), the subsilver2 and phpBB2 table styles, and the HTML of each.
"""

from __future__ import annotations

from labeler.ingest.engines.phpbb import ENGINE
from labeler.ingest.model import ParsedPage
from labeler.ingest.page import Page
from tests.ingest.helpers import (
    html_page,
    survives_lines,
    survives_markup,
    text_page,
)


def parse_text(text: str) -> ParsedPage:
    return ENGINE.parse(text_page(text))


def parse_html(html: str) -> ParsedPage:
    return ENGINE.parse(html_page(html))


def _profile(name: str, rank: str, posts: int) -> str:
    return f"""User avatar
{name}
    {rank}
    \u00a0
    Posts: {posts}
    Joined: Mon Jan 05, 2015 8:00 pm
    Location: Hilltop

Top

  • Reply with quote
"""


# prosilver 3.0 as w3m prints it: subject, "Postby" header, message, profile, Top, buttons.
THREAD_30 = f"""Board index :: Kitchen :: Kettles

Quiet kettles

42 posts • Page 1 of 3 • 1, 2, 3

  • Reply with quote

Re: Quiet kettles

Postby Wren Ashdown » Mon Mar 02, 2015 9:15 am

Mine whistles at dawn and wakes the whole street.

Any tips for a quieter one?
Image
Steam is just water with ambition

{_profile("Wren Ashdown", "Kettle Sage", 812)}
Re: Quiet kettles

Postby Otto Vell » Mon Mar 02, 2015 10:02 am

    Wren Ashdown wrote:Mine whistles at dawn and wakes the whole street.

    Any tips for a quieter one?


Take the whistle cap off.
Last edited by Otto Vell on Mon Mar 02, 2015 10:05 am, edited 2 times in total.

Otto Vell
    Newcomer
    \u00a0
    Posts: 3
    Joined: Sun Mar 01, 2015 7:00 pm

Top

  • Reply with quote

Re: Quiet kettles

Postby Wren Ashdown » Mon Mar 02, 2015 11:40 am

    Otto Vell wrote:

        Any tips for a quieter one?

    Take the whistle cap off.


That worked, thanks.

    whole street


Not anymore.
Image
Steam is just water with ambition

{_profile("Wren Ashdown", "Kettle Sage", 813)}
Display posts from previous: [All posts] Sort by [Post time] [Ascending ] [Go]
Post a reply
42 posts • Page 1 of 3 • 1, 2, 3

Powered by phpBB © 2000, 2002, 2005, 2007 phpBB Group
"""


# ---------------------------------------------------------------- text: prosilver 3.0
def test_postby_header_gives_author_and_time() -> None:
    posts = parse_text(THREAD_30).posts
    assert [(p.author, p.time_text) for p in posts] == [
        ("Wren Ashdown", "Mon Mar 02, 2015 9:15 am"),
        ("Otto Vell", "Mon Mar 02, 2015 10:02 am"),
        ("Wren Ashdown", "Mon Mar 02, 2015 11:40 am"),
    ]


def test_subject_line_is_read_and_kept_out_of_the_body() -> None:
    page = parse_text(THREAD_30)
    assert [p.subject for p in page.posts] == ["Re: Quiet kettles"] * 3
    assert all("Re: Quiet" not in p.body for p in page.posts)
    assert page.title == "Quiet kettles"


def test_cite_glued_to_the_first_quoted_line() -> None:
    second = parse_text(THREAD_30).posts[1]
    assert len(second.quotes) == 1
    quote = second.quotes[0]
    assert quote.author == "Wren Ashdown"
    assert quote.text == (
        "Mine whistles at dawn and wakes the whole street.\n\nAny tips for a quieter one?"
    )
    assert second.body == "Take the whistle cap off."


def test_nested_quote_is_indented_deeper() -> None:
    third = parse_text(THREAD_30).posts[2]
    outer = third.quotes[0]
    assert outer.author == "Otto Vell"
    assert outer.text == "Take the whistle cap off."
    assert [(q.author, q.text) for q in outer.quotes] == [(None, "Any tips for a quieter one?")]


def test_quote_without_cite_has_no_author_and_text_around_quotes_is_joined() -> None:
    third = parse_text(THREAD_30).posts[2]
    assert [(q.author, q.text) for q in third.quotes[1:]] == [(None, "whole street")]
    assert third.body == "That worked, thanks.\n\nNot anymore."


def test_signature_found_by_repetition_across_an_authors_posts() -> None:
    posts = parse_text(THREAD_30).posts
    assert posts[0].signature == "Image\nSteam is just water with ambition"
    assert posts[2].signature == "Image\nSteam is just water with ambition"
    assert posts[0].body == (
        "Mine whistles at dawn and wakes the whole street.\n\nAny tips for a quieter one?"
    )
    assert posts[1].signature is None


def test_single_post_keeps_its_last_lines() -> None:
    text = THREAD_30.replace("Postby Wren Ashdown » Mon Mar 02, 2015 11:40 am", "")
    first = parse_text(text).posts[0]
    assert first.signature is None
    assert first.body.endswith("Steam is just water with ambition")


def test_edit_note_gives_editor_and_whole_line() -> None:
    second = parse_text(THREAD_30).posts[1]
    assert second.edited_by == "Otto Vell"
    assert second.edited_text == (
        "Last edited by Otto Vell on Mon Mar 02, 2015 10:05 am, edited 2 times in total."
    )
    assert "Last edited" not in second.body


def test_lines_after_the_edit_note_are_the_signature() -> None:
    text = THREAD_30.replace(
        "edited 2 times in total.\n", "edited 2 times in total.\nKettles are forever\n"
    )
    second = parse_text(text).posts[1]
    assert second.signature == "Kettles are forever"
    assert second.body == "Take the whistle cap off."


def test_profile_block_and_buttons_are_not_text() -> None:
    for post in parse_text(THREAD_30).posts:
        everything = "\n".join([post.body, post.signature or "", *(q.text for q in post.quotes)])
        for junk in ("Posts:", "Joined:", "Location:", "User avatar", "Top", "Reply with quote"):
            assert junk not in everything
        assert "Kettle Sage" not in everything and "Newcomer" not in everything


# ---------------------------------------------------------------- text: 3.1+ and other renderers
THREAD_32 = """Bread :: Starters

User avatar
Hilde Brot
    Crumb Master
    Posts: 1208
    Joined: Wed Mar 11, 2015 8:02 pm

Sourdough starter keeps dying

  • Quote

#1 Post by Hilde Brot » Wed Feb 03, 2021 9:12 am

My starter goes flat after three days.
Top
━━━━━━━━━━━━━━━━━━━━

Oskar Malz
    Posts: 57
    Joined: Sat Jan 09, 2021 4:40 pm
    Contact:
    Contact Oskar Malz
    Website

Re: Sourdough starter keeps dying

  • Quote

#2 Post by Oskar Malz » Wed Feb 03, 2021 11:30 am

    Hilde Brot wrote: ↑
    Wed Feb 03, 2021 9:12 am
    My starter goes flat after three days.

Try a warmer spot.


Code: Select all

    feed 1:1:1
    wait 12h

That schedule works for me.
Top
━━━━━━━━━━━━━━━━━━━━
Post Reply
2 posts • Page 1 of 1
"""


def test_profile_printed_before_the_post_is_excluded() -> None:
    posts = parse_text(THREAD_32).posts
    assert [(p.author, p.post_number, p.subject) for p in posts] == [
        ("Hilde Brot", 1, "Sourdough starter keeps dying"),
        ("Oskar Malz", 2, "Re: Sourdough starter keeps dying"),
    ]
    assert posts[0].body == "My starter goes flat after three days."
    assert "Website" not in posts[0].body and "Contact" not in posts[0].body


def test_dated_cite_and_code_box() -> None:
    second = parse_text(THREAD_32).posts[1]
    quote = second.quotes[0]
    assert (quote.author, quote.time_text, quote.text) == (
        "Hilde Brot",
        "Wed Feb 03, 2021 9:12 am",
        "My starter goes flat after three days.",
    )
    assert len(second.quotes) == 1
    assert second.body == (
        "Try a warmer spot.\n\nfeed 1:1:1\nwait 12h\n\nThat schedule works for me."
    )


def test_attachment_list_is_neither_body_nor_quote() -> None:
    text = THREAD_30.replace(
        "Take the whistle cap off.\n",
        "Take the whistle cap off.\n\nAttachments\n    cap.jpg\n"
        "        cap.jpg (12.3 KiB) Viewed 301 times\n\n",
    )
    second = parse_text(text).posts[1]
    assert second.body == "Take the whistle cap off."
    assert len(second.quotes) == 1


def test_by_header_without_the_icon_text() -> None:
    text = THREAD_30.replace("Postby ", "by ")
    assert [p.author for p in parse_text(text).posts] == [
        "Wren Ashdown",
        "Otto Vell",
        "Wren Ashdown",
    ]


# lynx and copy-paste print quotes flush with the post: the cite opens a paragraph.
FLUSH = """   Re: Fences

   Post by Ida Koren » Tue Apr 07, 2020 8:00 am

   The old fence leans towards the road every winter.
   Should I replace the posts?

   Top

   Re: Fences

   Post by Bram Nool » Tue Apr 07, 2020 9:30 am

   Ida Koren wrote:The old fence leans towards the road every winter.
   Should I replace the posts?

   Concrete footings fixed mine.

   Top

   Re: Fences

   Post by Ida Koren » Tue Apr 07, 2020 9:45 am

   Concrete footings fixed mine.

   Which brand did you use?
   Top
"""


def test_flush_quote_ends_at_its_paragraph() -> None:
    second = parse_text(FLUSH).posts[1]
    assert [(q.author, q.text) for q in second.quotes] == [
        (
            "Ida Koren",
            "The old fence leans towards the road every winter.\nShould I replace the posts?",
        )
    ]
    assert second.body == "Concrete footings fixed mine."


def test_flush_paragraph_repeating_a_recent_post_is_an_uncited_quote() -> None:
    third = parse_text(FLUSH).posts[2]
    assert [(q.author, q.text) for q in third.quotes] == [(None, "Concrete footings fixed mine.")]
    assert third.body == "Which brand did you use?"


def test_indented_page_does_not_read_flush_cites_as_quotes() -> None:
    text = THREAD_30.replace("Take the whistle cap off.\nLast", "Otto Vell wrote: nothing.\nLast")
    second = parse_text(text).posts[1]
    assert len(second.quotes) == 1
    assert second.body == "Otto Vell wrote: nothing."


# subsilver2 as w3m prints its table: poster cell left, message right, side by side.
SUBSILVER2 = """       Author                  Message
     Mira Quell        Post subject: Kettle descaling
                      PostPosted: Mon Mar 02, 2015 9:15 am
Regular               Vinegar works fine for me.

Joined: Tue Jan 06,   _________________
2009 3:00 pm          Tea first, questions later
Posts: 412

Top                    Profile
                      Reply with quote
_
    Tobi Ray       Post subject: Re: Kettle descaling
                      PostPosted: Mon Mar 02, 2015 10:40 am
                      Mira Quell wrote:
                      Vinegar works fine for me.

Joined: Sat Feb 14,   Does it leave a smell?
2015 8:00 pm
Posts: 3
                      Last edited by Tobi Ray on Mon Mar 02, 2015 10:41 am, edited 1 time in total.

Top
Powered by phpBB © 2000, 2002, 2005, 2007 phpBB Group
"""


def test_subsilver2_side_by_side_table() -> None:
    posts = parse_text(SUBSILVER2).posts
    assert [(p.author, p.time_text, p.subject) for p in posts] == [
        ("Mira Quell", "Mon Mar 02, 2015 9:15 am", "Kettle descaling"),
        ("Tobi Ray", "Mon Mar 02, 2015 10:40 am", "Re: Kettle descaling"),
    ]
    assert (posts[0].body, posts[0].signature) == (
        "Vinegar works fine for me.",
        "Tea first, questions later",
    )
    assert [(q.author, q.text) for q in posts[1].quotes] == [
        ("Mira Quell", "Vinegar works fine for me.")
    ]
    assert posts[1].body == "Does it leave a smell?"
    assert posts[1].edited_by == "Tobi Ray"


PHPBB2 = """\
Greta Moos     PostPosted: Tue Jun 01, 2004 7:02 pm    Post subject: Slugs    Reply with quote
Seedling       ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━
               Every night they eat half a row.
Joined: 2004   _________________
Posts: 88      Grow your own

Back to top    View user's profile Send private message

Piet Kruid     PostPosted: Tue Jun 01, 2004 8:15 pm    Post subject:      Reply with quote
Guest          ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━
               Try copper tape around the bed.

               Last edited by Piet Kruid on Tue Jun 01, 2004 8:20 pm; edited 1 time in total
"""


def test_phpbb2_posted_header_and_semicolon_edit_note() -> None:
    posts = parse_text(PHPBB2).posts
    assert [(p.author, p.time_text, p.subject) for p in posts] == [
        ("Greta Moos", "Tue Jun 01, 2004 7:02 pm", "Slugs"),
        ("Piet Kruid", "Tue Jun 01, 2004 8:15 pm", None),
    ]
    assert (posts[0].body, posts[0].signature) == (
        "Every night they eat half a row.",
        "Grow your own",
    )
    assert posts[1].body == "Try copper tape around the bed."
    assert posts[1].edited_by == "Piet Kruid"


# phpBB2 as lynx prints it: the poster's cell (name, rank, fields) above the header row.
PHPBB2_LINEAR = """   Author Message
   Greta Moos
   Seedling
   Joined: 12 Apr 2004
   Posts: 88
   Post Posted: Tue Jun 01, 2004 7:02 pm    Post subject: Slugs Reply with quote
     ____________________________________

   Every night they eat half a row.
   Back to top
   View user's profile Send private message
   Piet Kruid
   Guest
   Post Posted: Tue Jun 01, 2004 8:15 pm    Post subject: Reply with quote
     ____________________________________

   Try copper tape around the bed.
   Back to top
"""


def test_phpbb2_linear_dump_finds_the_author_above_rank_and_fields() -> None:
    posts = parse_text(PHPBB2_LINEAR).posts
    assert [(p.author, p.subject, p.body) for p in posts] == [
        ("Greta Moos", "Slugs", "Every night they eat half a row."),
        ("Piet Kruid", None, "Try copper tape around the bed."),
    ]


# ---------------------------------------------------------------- HTML
def _post_30(pid: int, name: str, date: str, content: str, extra: str = "") -> str:
    return f"""<div id="p{pid}" class="post bg2"><div class="inner">
<div class="postbody">
<ul class="profile-icons"><li class="quote-icon"><a href="#"><span>Reply with quote</span></a>
</li></ul>
<h3><a href="#p{pid}">Re: Quiet kettles</a></h3>
<p class="author"><a href="#p{pid}"><img src="icon.gif" alt="Post" title="Post" /></a>by <strong><a
 href="./memberlist.php?mode=viewprofile&amp;u=1">{name}</a></strong> &raquo; {date} </p>
<div class="content">{content}</div>
{extra}
</div>
<dl class="postprofile" id="profile{pid}"><dt><a href="#">{name}</a></dt>
<dd>Kettle Sage</dd><dd>&nbsp;</dd><dd><strong>Posts:</strong> 812</dd>
<dd><strong>Joined:</strong> Mon Jan 05, 2015 8:00 pm</dd></dl>
<div class="back2top"><a href="#wrap" class="top" title="Top">Top</a></div>
</div></div><hr class="divider" />"""


HTML_30 = f"""<!DOCTYPE html><html><head><title>Kettle Club &bull; Quiet kettles</title>
<meta name="copyright" content="2000, 2002, 2005, 2007 phpBB Group" />
<link rel="alternate" type="application/atom+xml"
 href="http://kettles.example.com/feed.php?f=2&amp;t=77" />
</head><body id="phpbb">
<h2><a href="./viewtopic.php?f=2&amp;t=77">Quiet kettles</a></h2>
{
    _post_30(
        1,
        "Wren Ashdown",
        "Mon Mar 02, 2015 9:15 am",
        "Mine whistles at dawn.<br /><br />Any tips?",
        '<div class="signature"><img src="a.gif" alt="Image" /><br />Steam has ambition</div>',
    )
}
{
    _post_30(
        2,
        "Otto Vell",
        "Mon Mar 02, 2015 10:02 am",
        "<blockquote><div><cite>Wren Ashdown wrote:</cite>Mine whistles at dawn.<br /><br />"
        '<blockquote class="uncited"><div>older words</div></blockquote>Any tips?</div>'
        "</blockquote>Take the cap off.<br />"
        '<blockquote class="uncited"><div>at dawn</div></blockquote>Every morning.',
        '<div class="notice">Last edited by <a href="#">Otto Vell</a> on Mon Mar 02, 2015 '
        "10:05 am, edited 1 time in total.</div>",
    )
}
<div class="copyright">Powered by <a href="https://www.phpbb.com/">phpBB</a></div>
</body></html>"""


def test_html_prosilver_post_fields() -> None:
    page = parse_html(HTML_30)
    first = page.posts[0]
    assert (first.author, first.time_text, first.subject) == (
        "Wren Ashdown",
        "Mon Mar 02, 2015 9:15 am",
        "Re: Quiet kettles",
    )
    assert first.body == "Mine whistles at dawn.\n\nAny tips?"
    assert first.signature == "Image\nSteam has ambition"
    assert first.user_title == "Kettle Sage"
    assert (page.title, page.site, page.thread_key) == (
        "Quiet kettles",
        "kettles.example.com",
        "t=77",
    )


def test_html_cite_nested_and_uncited_quotes() -> None:
    second = parse_html(HTML_30).posts[1]
    assert second.body == "Take the cap off.\n\nEvery morning."
    outer, uncited = second.quotes
    assert (outer.author, outer.text) == ("Wren Ashdown", "Mine whistles at dawn.\n\nAny tips?")
    assert [(q.author, q.text) for q in outer.quotes] == [(None, "older words")]
    assert (uncited.author, uncited.text) == (None, "at dawn")


def test_html_edit_notice_and_no_profile_text() -> None:
    second = parse_html(HTML_30).posts[1]
    assert second.edited_by == "Otto Vell"
    assert second.edited_text == (
        "Last edited by Otto Vell on Mon Mar 02, 2015 10:05 am, edited 1 time in total."
    )
    for junk in ("Posts:", "Joined:", "Top", "Reply with quote", "Last edited"):
        assert junk not in second.body


HTML_33 = """<!DOCTYPE html><html><head><title>Bread</title>
<link rel="canonical" href="https://bakers.example.org/viewtopic.php?t=4242"></head><body>
<div id="p502" class="post has-profile bg1"><div class="inner">
<dl class="postprofile"><dt><a href="#" class="username-coloured">Oskar Malz</a></dt>
<dd class="profile-rank">Proofer</dd>
<dd class="profile-posts"><strong>Posts:</strong> <a href="#">57</a></dd></dl>
<div class="postbody"><div id="post_content502">
<h3><a href="#p502">Re: Starter</a></h3>
<ul class="post-buttons"><li><a href="#" class="button"><span class="sr-only">Quote</span></a>
</li></ul>
<p class="author"><span class="posti"><a href="#">#7</a></span>
<a class="unread" href="#" title="Post"><i class="icon"></i><span class="sr-only">Post</span></a>
<span class="responsive-hide">by <strong><a href="#" class="username-coloured">Oskar Malz</a>
</strong> &raquo; </span><time datetime="2021-02-03T11:30:00+00:00">Wed Feb 03, 2021 11:30 am
</time></p>
<div class="content"><blockquote><div><cite><a href="#">Hilde Brot</a> wrote: <a href="#"
 data-post-id="501">↑</a><div class="responsive-hide">Wed Feb 03, 2021 9:12 am</div></cite>
It goes flat.</div></blockquote>
Try a warmer spot.<br>
<div class="codebox"><p>Code: <a href="#">Select all</a></p><pre><code>feed 1:1:1
wait 12h</code></pre></div></div>
<div class="notice">Last edited by <a href="#">Oskar Malz</a> on Wed Feb 03, 2021 11:45 am,
 edited 1 time in total.<br /><strong>Reason:</strong> <em>typo</em></div>
</div></div>
<div class="back2top"><a href="#top" class="top" title="Top"><span class="sr-only">Top</span></a>
</div>
</div></div></body></html>"""


def test_html_31_plus_time_element_dated_cite_and_post_number() -> None:
    page = parse_html(HTML_33)
    (post,) = page.posts
    assert (post.author, post.time_text, post.post_number, post.user_title) == (
        "Oskar Malz",
        "Wed Feb 03, 2021 11:30 am",
        7,
        "Proofer",
    )
    quote = post.quotes[0]
    assert (quote.author, quote.time_text, quote.text) == (
        "Hilde Brot",
        "Wed Feb 03, 2021 9:12 am",
        "It goes flat.",
    )
    assert post.body == "Try a warmer spot.\n\nfeed 1:1:1\nwait 12h"
    assert post.edited_text == (
        "Last edited by Oskar Malz on Wed Feb 03, 2021 11:45 am, edited 1 time in total.\n"
        "Reason: typo"
    )
    assert (page.url, page.site, page.thread_key) == (
        "https://bakers.example.org/viewtopic.php?t=4242",
        "bakers.example.org",
        "t=4242",
    )


HTML_SUBSILVER2 = """<html><head><title>Demo &bull; View topic - Kettle descaling</title></head>
<body>
<table class="tablebg" width="100%"><tr class="row1">
<td><b class="postauthor">Tobi Ray</b></td>
<td><table><tr><td class="gensmall"><div><b>Post subject:</b>
<a href="#p12">Re: Kettle descaling</a>
</div><div><a href="#"><img src="x.gif" alt="Post" /></a><b>Posted:</b> Mon Mar 02, 2015 10:40 am
&nbsp;</div></td></tr></table></td></tr>
<tr><td class="profile"><span class="postdetails"><b>Joined:</b> Sat Feb 14, 2015</span></td>
<td><table><tr><td>
<div class="postbody"><div class="quotetitle">Mira Quell wrote:</div><div class="quotecontent">
Vinegar works.</div><br />Does it smell?</div>
<div class="postbody"><br />_________________<br />Tea first</div>
<br /><br /><span class="gensmall">Last edited by Tobi Ray on Mon Mar 02, 2015 10:41 am,
 edited 1 time in total.</span>
<table><tr><td class="gensmall"><a href="#"><img src="r.gif" alt="Report this post" /></a></td></tr>
</table></td></tr></table></td></tr></table></body></html>"""


def test_html_subsilver2_table_style() -> None:
    page = parse_html(HTML_SUBSILVER2)
    (post,) = page.posts
    assert (post.author, post.time_text, post.subject) == (
        "Tobi Ray",
        "Mon Mar 02, 2015 10:40 am",
        "Re: Kettle descaling",
    )
    assert [(q.author, q.text) for q in post.quotes] == [("Mira Quell", "Vinegar works.")]
    assert (post.body, post.signature, post.edited_by) == (
        "Does it smell?",
        "Tea first",
        "Tobi Ray",
    )
    assert page.title == "Kettle descaling"


HTML_PHPBB2 = """<html><head><title>Shed :: View topic - Slugs</title></head><body>
<a class="maintitle" href="viewtopic.php?t=9">Slugs</a>
<table class="forumline"><tr>
<td class="row2"><span class="name"><a name="302"></a><b>Piet Kruid</b></span><br />
<span class="postdetails">Guest<br /></span></td>
<td class="row2"><table><tr><td width="100%"><a href="#"><img src="m.gif" alt="Post" /></a>
<span class="postdetails">Posted: Tue Jun 01, 2004 8:15 pm<span class="gen">&nbsp;</span>
&nbsp; &nbsp;Post subject: Re: Slugs</span></td>
<td><a href="#"><img src="q.gif" alt="Reply with quote" /></a></td></tr>
<tr><td colspan="2"><hr /></td></tr>
<tr><td colspan="2"><span class="postbody"></span><table width="90%"><tr><td><span class="genmed">
<b>Greta Moos wrote:</b></span></td></tr><tr><td class="quote">Beer traps did nothing.</td></tr>
</table><span class="postbody"><br />Try copper tape.<br />_________________<br />Dig deep</span>
<span class="gensmall"><br /><br />Last edited by Piet Kruid on Tue Jun 01, 2004 8:20 pm; edited
 1 time in total</span></td></tr></table></td></tr></table></body></html>"""


def test_html_phpbb2_table_style() -> None:
    page = parse_html(HTML_PHPBB2)
    (post,) = page.posts
    assert (post.author, post.time_text, post.subject) == (
        "Piet Kruid",
        "Tue Jun 01, 2004 8:15 pm",
        "Re: Slugs",
    )
    assert [(q.author, q.text) for q in post.quotes] == [("Greta Moos", "Beer traps did nothing.")]
    assert (post.body, post.signature, post.edited_by) == (
        "Try copper tape.",
        "Dig deep",
        "Piet Kruid",
    )
    assert page.title == "Slugs"


# ---------------------------------------------------------------- detection and odd input
OTHER_FORUM_TEXT = """Kettle talk

Wren said:
Mine whistles.
Click to expand...

Quote Originally Posted by Otto
Take the cap off.

Join Date: Mar 2015
Posts: 12
"""


def test_detect_is_high_on_phpbb_pages() -> None:
    for text, path in (
        (THREAD_30, "x.txt"),
        (THREAD_32, "x.txt"),
        (FLUSH, "x.txt"),
        (SUBSILVER2, "x.txt"),
        (PHPBB2, "x.txt"),
        (HTML_30, "x.html"),
        (HTML_33, "x.html"),
        (HTML_SUBSILVER2, "x.html"),
        (HTML_PHPBB2, "x.html"),
    ):
        assert ENGINE.detect(Page.from_text(text, path=path)) >= 0.6, text[:40]
    assert ENGINE.detect(text_page(THREAD_30)) >= 0.8
    assert ENGINE.detect(html_page(HTML_30)) >= 0.8


def test_detect_is_low_elsewhere() -> None:
    other_html = "<html><body><div class='message'><p>Hello</p></div></body></html>"
    for text, path in ((OTHER_FORUM_TEXT, "x.txt"), ("", "x.txt"), (other_html, "x.html")):
        assert ENGINE.detect(Page.from_text(text, path=path)) <= 0.2


def test_nothing_recognisable_gives_no_posts() -> None:
    assert parse_text(OTHER_FORUM_TEXT).posts == []
    assert parse_html("<html><body><p>by nobody » never</p></body></html>").posts == []


test_arbitrary_text_never_breaks_detect_or_parse = survives_lines(
    ENGINE,
    [
        "Postby Ann » Sun May 26, 2019 4:34 pm",
        "by Bo » Today, 10:00",
        "    Ann wrote:hi",
        "        deeper",
        "Last edited by Bo on Mon, edited 1 time in total.",
        "Posts: 3",
        "Joined: never",
        "Top",
        "  • Quote",
        "Ann",
        "_________________",
        "Code: Select all",
        "PostPosted: Mon Mar 02, 2015 9:15 am    Post subject: x",
        "",
        "\u200b",
    ],
)


test_arbitrary_markup_never_breaks_detect_or_parse = survives_markup(
    ENGINE,
    [
        '<div class="post">',
        '<p class="author">by <strong>A</strong> » Mon</p>',
        '<div class="content">',
        "<blockquote><div><cite>A wrote:</cite>",
        "</div></blockquote>",
        "</div>",
        '<td class="quote">',
        '<b class="postauthor">B</b>',
        '<div class="postbody">x',
        "<br />",
        "text",
    ],
    max_size=40,
)
