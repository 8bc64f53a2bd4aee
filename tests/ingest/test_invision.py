"""Invision Community engine: every text shape and hard case, HTML (IPS 4 and 3), detection.

All pages here are written for these tests (fictional people and text); they reproduce the
structures of IPS pages: unsigned replies, quote headers with no end marker, "Edited by"
lines, reaction bars, time-gap markers, indented (w3m) and flat (browser copy) quotes.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from labeler.ingest.engines.invision import ENGINE, edited_by, quote_header, reaction
from labeler.ingest.link import link_quotes
from labeler.ingest.model import ParsedPage, ParsedPost
from labeler.ingest.page import Page
from tests.ingest.helpers import assert_survives, html_page, survives_lines

SEP = ["Link to comment", "Share on other sites", ""]


def text_page(lines: list[str]) -> Page:
    return Page.from_text("\n".join(lines), path="x.txt")


def parse_text(lines: list[str]) -> ParsedPage:
    return ENGINE.parse(text_page(lines))


def bodies(page: ParsedPage) -> list[str]:
    return [post.body for post in page.posts]


# A thread as a browser copy (or w3m) prints it: the topic starter's name above
# "Recommended Posts", replies without names, quote headers with no end marker.
FERRY = [
    "Jump to content",
    "",
    "Ferry timetable for the summer",
    "",
    "marshwren",
    "",
    "Recommended Posts",
    "",
    "The summer ferry timetable starts on the first of June.",
    "",
    "Boats leave the north pier every forty minutes from seven until dusk.",
    "",
    *SEP,
    "Forty minutes is too long between boats when the market is on.",
    "",
    "The council should add a second boat on Saturdays, at least in July and August.",
    "",
    "Edited by Reed Cutter",
    "  • Like 2",
    *SEP,
    "12 minutes ago, Reed Cutter said:",
    "",
    "Forty minutes is too long between boats when the market is on.",
    "",
    "The council should add a second boat on Saturdays, at least in July and August.",
    "",
    "A second boat needs a second crew, and nobody has applied.",
    "",
    *SEP,
    "On 5/2/2019 at 9:15 AM, Tern Keeper said:",
    "",
    "The old timetable had boats every half hour before the pier was rebuilt.",
    "",
    "That was before the pier was rebuilt, the new landing takes longer.",
    "",
    "  • Thanks 1",
    *SEP,
    "  • 2 weeks later...",
    "8 minutes ago, Moss Gatherer said:",
    "",
    "A second boat needs a second crew",
    "",
    "I would volunteer for Saturday mornings if they train people.",
    "",
    *SEP,
    "On 5/2/2019 at 10:15 AM, Tern Keeper said:",
    "",
    "The old timetable had boats every half hour before the pier was rebuilt.",
    "",
    "Half hour boats would need the new engine too.",
    "",
    *SEP,
    "Create an account or sign in to comment",
    "",
    "Sign In Now",
]


def test_posts_are_separated_by_link_to_comment_lines() -> None:
    page = parse_text(FERRY)
    assert page.engine == "invision"
    assert len(page.posts) == 6
    assert page.posts[0].body.startswith("The summer ferry timetable")
    assert not any("Sign In" in body or "Link to comment" in body for body in bodies(page))


def test_title_and_topic_starter_come_from_above_recommended_posts() -> None:
    page = parse_text(FERRY)
    assert page.title == "Ferry timetable for the summer"
    assert page.posts[0].author == "marshwren"


def test_on_a_later_page_the_topic_starter_is_not_the_first_posts_author() -> None:
    lines = list(FERRY)
    lines.insert(lines.index("Recommended Posts"), "Page 2 of 3")
    page = parse_text(lines)
    assert page.title == "Ferry timetable for the summer"
    assert page.posts[0].author is None


def test_replies_print_no_author() -> None:
    page = parse_text(FERRY)
    assert [post.author for post in page.posts[1:]] == [None] * 5


def test_quote_ends_where_the_copied_post_ends() -> None:
    post = parse_text(FERRY).posts[2]
    [quote] = post.quotes
    assert (quote.author, quote.time_text) == ("Reed Cutter", "12 minutes ago")
    assert quote.text == (
        "Forty minutes is too long between boats when the market is on.\n\n"
        "The council should add a second boat on Saturdays, at least in July and August."
    )
    assert post.body == "A second boat needs a second crew, and nobody has applied."


def test_quote_of_a_post_on_another_page_keeps_its_first_paragraph() -> None:
    post = parse_text(FERRY).posts[3]
    [quote] = post.quotes
    assert quote.text.startswith("The old timetable had boats")
    assert post.body == "That was before the pier was rebuilt, the new landing takes longer."


def test_partial_quote_matches_the_start_of_an_earlier_sentence() -> None:
    post = parse_text(FERRY).posts[4]
    [quote] = post.quotes
    assert (quote.author, quote.text) == ("Moss Gatherer", "A second boat needs a second crew")
    assert post.body == "I would volunteer for Saturday mornings if they train people."


def test_same_post_quoted_with_another_time_is_matched_through_the_earlier_quote() -> None:
    post = parse_text(FERRY).posts[5]
    [quote] = post.quotes
    assert quote.time_text == "On 5/2/2019 at 10:15 AM"
    assert quote.text == "The old timetable had boats every half hour before the pier was rebuilt."
    assert post.body == "Half hour boats would need the new engine too."


def test_a_matched_quote_names_the_post_it_was_copied_from() -> None:
    page = parse_text(FERRY)
    indexes = [[quote.post_index for quote in post.quotes] for post in page.posts]
    # 2 copies post 1; 4 copies the start of post 2's own text; 3 quotes another page, and 5
    # matches only the copy of that quote inside post 3, which is not where it was written.
    assert indexes == [[], [], [1], [None], [2], [None]]
    link_quotes(page)  # the pipeline keeps what the engine found and derives the parents
    assert [post.parent_index for post in page.posts] == [None, None, 1, None, 2, None]


def test_a_quote_matching_two_posts_gets_no_post_index() -> None:
    lines = [
        "Recommended Posts",
        "The north pier lights are out again tonight.",
        *SEP,
        "The north pier lights are out again tonight.",  # a double post
        *SEP,
        "4 minutes ago, Fen Warden said:",
        "",
        "The north pier lights are out again tonight.",
        "",
        "They were fixed on Monday.",
        *SEP,
    ]
    [quote] = parse_text(lines).posts[2].quotes
    assert quote.text == "The north pier lights are out again tonight."
    assert quote.post_index is None


def test_a_quote_naming_another_writer_than_the_matched_post_gets_no_post_index() -> None:
    def quoting(name: str) -> list[str]:
        return [
            "Ferry timetable for the summer",
            "marshwren",
            "Recommended Posts",
            "The summer ferry timetable starts on the first of June.",
            *SEP,
            f"12 minutes ago, {name} said:",
            "",
            "The summer ferry timetable starts on the first of June.",
            "",
            "Good, the spring one was a mess.",
            *SEP,
        ]

    assert parse_text(quoting("marshwren")).posts[1].quotes[0].post_index == 0
    assert parse_text(quoting("Reed Cutter")).posts[1].quotes[0].post_index is None


def test_separators_with_odd_spaces_still_end_posts() -> None:
    lines = [
        "Recommended Posts",
        "The tide tables for May are up.",
        "Link\xa0to comment",
        "Share on\u200b other sites",
        "Thanks, the April ones were wrong.",
        "Link to comment",
    ]
    assert bodies(parse_text(lines)) == [
        "The tide tables for May are up.",
        "Thanks, the April ones were wrong.",
    ]


def test_edited_by_line_names_the_editor_and_leaves_the_body() -> None:
    post = parse_text(FERRY).posts[1]
    assert post.edited_by == "Reed Cutter"
    assert post.edited_text == "Edited by Reed Cutter"
    assert post.author is None  # the pipeline infers it from edited_by
    assert "Edited" not in post.body


def test_reaction_bar_is_counted_and_left_out_of_the_body() -> None:
    page = parse_text(FERRY)
    assert page.posts[1].reactions == [("Like", 2)]
    assert page.posts[3].reactions == [("Thanks", 1)]
    assert "Like" not in page.posts[1].body


def test_time_gap_marker_is_neither_a_reaction_nor_text() -> None:
    page = parse_text(FERRY)
    assert page.posts[4].reactions == []
    assert page.posts[3].reactions == [("Thanks", 1)]
    assert not any("later" in body for body in bodies(page))
    assert reaction("2 weeks later...", bulleted=True) is None


def _restyled(bullet: str | None, indent: str) -> list[str]:
    out = []
    for line in FERRY:
        styled = line
        if line.startswith("  • "):
            styled = line[4:] if bullet is None else bullet + line[4:]
        out.append(indent + styled if styled else styled)
    return out


def test_star_bullets_and_indented_lines_read_the_same() -> None:
    page = parse_text(_restyled("   * ", "   "))
    expected = parse_text(FERRY)
    assert bodies(page) == bodies(expected)
    assert [p.reactions for p in page.posts] == [p.reactions for p in expected.posts]
    assert [p.quotes for p in page.posts] == [p.quotes for p in expected.posts]


def test_reactions_and_time_gap_without_bullets() -> None:
    page = parse_text(_restyled(None, ""))
    assert page.posts[1].reactions == [("Like", 2)]
    assert page.posts[4].reactions == []
    assert bodies(page) == bodies(parse_text(FERRY))


def test_edited_copy_in_a_quote_still_ends_at_the_copy() -> None:
    lines = [
        "Recommended Posts",
        "The bridge deck needs new planks.",
        "",
        "The railings were painted in 2015 and are peeling badly now.",
        "",
        "The footings look fine from the bank.",
        *SEP,
        "3 hours ago, Fen Warden said:",
        "",
        "The bridge deck needs new planks.",
        "",
        "The railings were painted years ago and are peeling.",
        "",
        "The footings look fine from the bank.",
        "",
        "I can ask the boatyard for offcuts.",
        *SEP,
    ]
    post = parse_text(lines).posts[1]
    assert post.quotes[0].text.endswith("The footings look fine from the bank.")
    assert post.body == "I can ask the boatyard for offcuts."


NESTED = [
    "Recommended Posts",
    "The ferry bell is broken again.",
    *SEP,
    "5 minutes ago, Tern Keeper said:",
    "The ferry bell is broken again.",
    "It has been broken since Easter.",
    *SEP,
    "1 minute ago, Reed Cutter said:",
    "5 minutes ago, Tern Keeper said:",
    "The ferry bell is broken again.",
    "It has been broken since Easter.",
    "Then someone should ring the harbour office.",
    *SEP,
]


def _check_nested(post: ParsedPost) -> None:
    [outer] = post.quotes
    assert (outer.author, outer.text) == ("Reed Cutter", "It has been broken since Easter.")
    [inner] = outer.quotes
    assert (inner.author, inner.text) == ("Tern Keeper", "The ferry bell is broken again.")
    assert post.body == "Then someone should ring the harbour office."


def test_nested_quotes_without_indentation() -> None:
    _check_nested(parse_text(NESTED).posts[2])


def test_nested_quotes_name_the_posts_they_were_copied_from() -> None:
    [outer] = parse_text(NESTED).posts[2].quotes
    assert outer.post_index == 1
    assert outer.quotes[0].post_index == 0


def _nested_reply(reply: list[str]) -> list[str]:
    return [*NESTED[: NESTED.index("1 minute ago, Reed Cutter said:")], *reply, *SEP]


def test_nested_quotes_by_indentation() -> None:
    lines = _nested_reply(
        [
            "    1 minute ago, Reed Cutter said:",
            "        5 minutes ago, Tern Keeper said:",
            "        The ferry bell is broken again.",
            "    It has been broken since Easter.",
            "Then someone should ring the harbour office.",
        ]
    )
    _check_nested(parse_text(lines).posts[2])


def test_quote_header_over_deeper_indented_lines() -> None:
    lines = _nested_reply(
        [
            "1 minute ago, Reed Cutter said:",
            "    5 minutes ago, Tern Keeper said:",
            "        The ferry bell is broken again.",
            "    It has been broken since Easter.",
            "Then someone should ring the harbour office.",
        ]
    )
    _check_nested(parse_text(lines).posts[2])


def test_indented_quote_ends_where_the_indentation_ends_even_when_unmatched() -> None:
    lines = [
        "Recommended Posts",
        "Opening post about the lock gates.",
        *SEP,
        "    On 1/3/2020 at 8:00 PM, Lock Keeper said:",
        "",
        "    First line of a post from another page.",
        "",
        "    Second line of that post.",
        "",
        "My answer to both lines.",
        *SEP,
    ]
    post = parse_text(lines).posts[1]
    assert (
        post.quotes[0].text
        == "First line of a post from another page.\n\nSecond line of that post."
    )
    assert post.body == "My answer to both lines."


# The same kind of thread as w3m renders a stock IPS 4 page: a phone and a desktop author
# pane, "Posted <date>" lines, an edit reason, a signature, the share menu's URL.
W3M = [
    "Jump to content",
    "Rebuilding the old mill bridge",
    "",
    "By Harbour Owl,",
    "March 1, 2021 in Village Matters",
    "",
    "Harbour Owl",
    "Harbour Owl",
    "Posted March 1, 2021",
    "Harbour Owl",
    "",
    "  • Harbour Owl",
    "  • Parish Regulars",
    "  •",
    "      ◦ 412",
    "",
    "  •",
    "      ◦ Report",
    "      ◦ Share",
    "Posted March 1, 2021 (edited)",
    "",
    "The council has published the survey of the mill bridge.",
    "",
    "They want volunteers for a working party in April. Who is in?",
    "",
    "Edited March 1, 2021 by Harbour Owl",
    "added the month",
    "  • Like 3",
    "  • Thanks 1",
    "  •",
    "",
    "Tide tables are not optional.",
    "",
    "Link to comment",
    "https://forum.example/topic/55-x/?do=findComment&comment=101",
    "",
    "Share on other sites",
    "",
    "  •",
    "",
    "Quiet Lark",
    "  • Members",
    "Posted March 1, 2021",
    "",
    "    3 hours ago, Harbour Owl said:",
    "",
    "    They want volunteers for a working party in April. Who is in?",
    "",
    "Count me in, I can bring a saw.",
    "",
    "    Quote",
    "",
    "    Volunteers must wear boots on site.",
    "",
    "Noted, boots it is.",
    "",
    "  •",
    "",
    "Sawdust is a condiment.",
    "",
    "Link to comment",
    "https://forum.example/topic/55-x/?do=findComment&comment=102",
    "",
    "Share on other sites",
    "",
]


def test_w3m_page_with_author_panes_and_posted_lines() -> None:
    page = parse_text(W3M)
    first, second = page.posts
    assert page.title == "Rebuilding the old mill bridge"
    assert (first.author, first.time_text) == ("Harbour Owl", "March 1, 2021")
    assert first.body == (
        "The council has published the survey of the mill bridge.\n\n"
        "They want volunteers for a working party in April. Who is in?"
    )
    assert first.edited_by == "Harbour Owl"
    assert first.edited_text == "Edited March 1, 2021 by Harbour Owl added the month"
    assert first.reactions == [("Like", 3), ("Thanks", 1)]
    assert first.signature == "Tide tables are not optional."
    assert (second.author, second.time_text) == ("Quiet Lark", "March 1, 2021")
    assert [(q.author, q.text) for q in second.quotes] == [
        ("Harbour Owl", "They want volunteers for a working party in April. Who is in?"),
        (None, "Volunteers must wear boots on site."),
    ]
    assert second.body == "Count me in, I can bring a saw.\n\nNoted, boots it is."
    assert second.signature == "Sawdust is a condiment."


IPS3_TEXT = [
    "Ferry timetable",
    "Started by Reed Cutter, 12 October 2012 - 09:00 AM",
    "",
    "#1",
    "Reed Cutter",
    "  • Members",
    "  • 310 posts",
    "Posted 12 October 2012 - 09:00 AM",
    "",
    "Is the ferry running this weekend?",
    "",
    "  • Back to top",
    "",
    "#2",
    "Moss Gatherer",
    "  • Members",
    "Posted 12 October 2012 - 10:00 AM",
    "",
    "    Reed Cutter, on 12 October 2012 - 09:00 AM, said:",
    "",
    "    Is the ferry running this weekend?",
    "",
    "Only on Saturday, the pier is closed on Sunday.",
    "",
    "Edited by Moss Gatherer, 12 October 2012 - 10:05 AM.",
    "",
    "  • Back to top",
]


def test_ip_board_3_text() -> None:
    page = parse_text(IPS3_TEXT)
    first, second = page.posts
    assert (first.author, first.post_number) == ("Reed Cutter", 1)
    assert first.time_text == "12 October 2012 - 09:00 AM"
    assert first.body == "Is the ferry running this weekend?"
    assert (second.author, second.post_number) == ("Moss Gatherer", 2)
    [quote] = second.quotes
    assert (quote.author, quote.time_text) == ("Reed Cutter", "12 October 2012 - 09:00 AM")
    assert second.body == "Only on Saturday, the pier is closed on Sunday."
    assert second.edited_by == "Moss Gatherer"


def test_line_shapes() -> None:
    assert quote_header("37 minutes ago, Somebody Else said:") == (
        "Somebody Else",
        "37 minutes ago",
    )
    assert quote_header("On 8/4/2018 at 8:07 AM, x_y said:") == ("x_y", "On 8/4/2018 at 8:07 AM")
    assert quote_header("Yesterday at 10:02 PM, Ann said:") == ("Ann", "Yesterday at 10:02 PM")
    assert quote_header("Ann, on 3 May 2011 - 10:00 AM, said:") == ("Ann", "3 May 2011 - 10:00 AM")
    assert quote_header("and then the man in the long grey coat said:") is None
    assert quote_header("The deck is rotten, the survey said:") is None
    assert edited_by("Edited 5 hours ago by Ann Lee") == "Ann Lee"
    assert edited_by("Edited by Ann, 3 May 2011 - 10:00 AM.") == "Ann"
    assert reaction("Like 12", bulleted=False) == ("Like", 12)
    assert reaction("Chapter 12", bulleted=False) is None
    assert reaction("Chapter 12", bulleted=True) == ("Chapter", 12)


def test_body_lines_that_look_like_tail_lines_stay_in_the_middle_of_a_body() -> None:
    lines = [
        "Recommended Posts",
        "Things to bring:",
        "  • Gloves 2",
        "",
        "Edited by the committee, this list is final.",
        "",
        "See you at the bridge.",
        *SEP,
    ]
    post = parse_text(lines).posts[0]
    assert post.body.endswith("See you at the bridge.")
    assert "Gloves 2" in post.body
    assert post.reactions == [] and post.edited_by is None


def test_signed_in_copy_with_react_button_quote_button_and_signature() -> None:
    lines = [
        "Recommended Posts",
        "Opening post about the lock gates.",
        *SEP,
        "The gates were oiled on Tuesday.",
        "",
        "Like 2",
        "Like",
        "Quote",
        "",
        "Lock keeper since the flood",
        *SEP,
    ]
    post = parse_text(lines).posts[1]
    assert post.body == "The gates were oiled on Tuesday."
    assert post.reactions == [("Like", 2)]
    assert post.signature == "Lock keeper since the flood"


def test_a_nested_list_at_the_end_of_a_body_is_not_the_button_bar() -> None:
    lines = [
        "Recommended Posts",
        "What to bring on Saturday:",
        "  •",
        "      ◦ gloves",
        "      ◦ a flask of tea",
        "",
        "Thanks all.",
        *SEP,
    ]
    post = parse_text(lines).posts[0]
    assert post.body.endswith("Thanks all.") and "gloves" in post.body
    assert post.signature is None


# ---------------------------------------------------------------- HTML
def _article(number: int, author: str, content: str, extra: str = "") -> str:
    return f"""
<article id="elComment_{number}" class="cPost ipsBox ipsComment ipsComment_parent ipsClearfix">
  <aside class="ipsComment_author cAuthorPane ipsColumn ipsColumn_medium">
    <h3 class="ipsType_sectionHead cAuthorPane_author ipsType_blendLinks"><strong>
      <a href="https://forum.example/profile/{number}-x/">{author}</a></strong></h3>
    <ul class="cAuthorPane_info ipsList_reset"><li data-role="group">Members</li></ul>
  </aside>
  <div class="ipsColumn ipsColumn_fluid">
    <div id="comment-{number}_wrap" data-commentid="{number}" class="ipsComment_content">
      <div class="ipsComment_meta ipsType_light"><div class="ipsType_reset">
        <a href="#">Posted <time datetime="2021-03-01T09:00:00Z">March 1, 2021</time></a>
      </div></div>
      <div class="cPost_contentWrap">
        <div data-role="commentContent" class="ipsType_normal ipsType_richText ipsContained">
          {content}
        </div>
        {extra}
      </div>
      <div class="ipsPadding ipsHide cPostShareMenu">
        <h5>Link to comment</h5><h5>Share on other sites</h5>
      </div>
    </div>
  </div>
</article>"""


IPS4_HTML = f"""<!DOCTYPE html>
<html><head><title>Mill bridge - Village Matters - Example Forum</title>
<link rel="canonical" href="https://forum.example/topic/55-mill-bridge/"></head>
<body class="ipsApp ipsApp_front">
<h1 class="ipsType_pageTitle"><span>Rebuilding the old mill bridge</span></h1>
<div id="elPostFeed" data-role="commentFeed">
{
    _article(
        101,
        "Harbour Owl",
        '''
  <p>The deck timbers are rotten through.</p>
  <p>Who is in for April?</p>
  <span class="ipsType_reset ipsType_medium ipsType_light" data-excludequote>
    <strong>Edited <time datetime="2021-03-01T10:00:00Z">March 1, 2021</time>
      by Harbour Owl</strong>
    <br>added the month
  </span>''',
        '''
  <div class="ipsItemControls"><div class="ipsReact ipsPos_right">
    <div class="ipsReact_blurb" data-role="reactionBlurb"><ul class="ipsReact_reactions">
      <li class="ipsReact_reactCount"><span title="Like"><span><img src="l.png" alt="Like"></span>
        <span>3</span></span></li>
      <li class="ipsReact_reactCount"><span title="Thanks"><span><img src="t.png" alt="Thanks">
        </span><span>1</span></span></li>
    </ul></div></div></div>
  <div data-role="memberSignature" class="ipsBorder_top">
    <div class="ipsPos_right"><a href="#">Options</a></div>
    <div class="ipsType_richText"><p>Tide tables are not optional.</p></div>
  </div>''',
    )
}
<ul class="ipsTopicMeta"><li class="ipsTopicMeta__item--time">2 weeks later...</li></ul>
{
    _article(
        102,
        "Quiet Lark",
        '''
  <blockquote class="ipsQuote" data-ipsquote="" data-ipsquote-username="Fen Warden"
      data-ipsquote-timestamp="1614600000">
    <div class="ipsQuote_citation">On 3/1/2021 at 12:00 PM, Fen Warden said:</div>
    <div class="ipsQuote_contents">
      <blockquote class="ipsQuote" data-ipsquote="" data-ipsquote-username="Harbour Owl">
        <div class="ipsQuote_citation">3 hours ago, Harbour Owl said:</div>
        <div class="ipsQuote_contents"><p>Who is in for April?</p></div>
      </blockquote>
      <p>Count me in, I can bring a saw.</p>
    </div>
  </blockquote>
  <p>Two saws then.</p>
  <blockquote class="ipsQuote" data-ipsquote="">
    <div class="ipsQuote_citation">Quote</div>
    <div class="ipsQuote_contents"><p>Boots must be worn on site.</p></div>
  </blockquote>
  <p>Boots it is.</p>''',
    )
}
</div></body></html>"""


def test_ips4_html_posts() -> None:
    page = ENGINE.parse(html_page(IPS4_HTML))
    assert page.title == "Rebuilding the old mill bridge"
    assert page.url == "https://forum.example/topic/55-mill-bridge/"
    first = page.posts[0]
    assert len(page.posts) == 2
    assert (first.author, first.time_text, first.user_title) == (
        "Harbour Owl",
        "March 1, 2021",
        "Members",
    )
    assert first.body == "The deck timbers are rotten through.\n\nWho is in for April?"
    assert first.edited_by == "Harbour Owl"
    assert first.edited_text == "Edited March 1, 2021 by Harbour Owl added the month"
    assert first.reactions == [("Like", 3), ("Thanks", 1)]
    assert first.signature == "Tide tables are not optional."


def test_ips4_html_quotes_nested_and_unattributed() -> None:
    second = ENGINE.parse(html_page(IPS4_HTML)).posts[1]
    outer, plain = second.quotes
    assert (outer.author, outer.time_text) == ("Fen Warden", "On 3/1/2021 at 12:00 PM")
    assert outer.text == "Count me in, I can bring a saw."
    [inner] = outer.quotes
    assert (inner.author, inner.time_text, inner.text) == (
        "Harbour Owl",
        "3 hours ago",
        "Who is in for April?",
    )
    assert (plain.author, plain.text) == (None, "Boots must be worn on site.")
    assert second.body == "Two saws then.\n\nBoots it is."


IPS3_HTML = """<!DOCTYPE html>
<html><head><title>Ferry timetable - Harbour - Old Board</title></head>
<body id="ipboard_body">
<h1 class="ipsType_pagetitle">Ferry timetable</h1>
<div class="post_block hentry clear clearfix" id="post_id_2002">
  <div class="post_wrap">
    <h3 class="row2">
      <span class="post_id right ipsType_small desctext">Post <a href="#">#2</a></span>
      <span class="author vcard"><a class="url fn name" href="#"><span itemprop="name">Moss
        Gatherer</span></a></span>
    </h3>
    <div class="author_info"><ul class="basic_info"><li class="group_title">Members</li></ul></div>
    <div class="post_body">
      <p class="posted_info desctext">Posted <abbr class="published"
        title="2012-10-12T10:00:00+00:00">12 October 2012 - 10:00 AM</abbr></p>
      <div itemprop="commentText" class="post entry-content ">
        <blockquote class="ipsBlockquote" data-author="Reed Cutter" data-cid="2001"
            data-time="1350032400"><p class="citation">Reed Cutter, on 12 October 2012 - 09:00 AM,
            said:</p><div class="blockquote"><div class="quote"><p>Is the ferry running?</p>
        </div></div></blockquote>
        <p>Only on Saturday.</p>
      </div>
      <p class="edit">Edited by Moss Gatherer, 12 October 2012 - 10:05 AM.</p>
      <div class="signature" data-memberid="33">Rowing since 1987</div>
    </div>
    <div class="rep_bar right"><ul class="ipsList_inline"><li>
      <span class="reputation positive rep_show" title="Reputation">+2</span></li></ul></div>
  </div>
</div>
</body></html>"""


def test_ip_board_3_html() -> None:
    page = ENGINE.parse(html_page(IPS3_HTML))
    assert page.title == "Ferry timetable"
    [post] = page.posts
    assert (post.author, post.time_text, post.post_number) == (
        "Moss Gatherer",
        "12 October 2012 - 10:00 AM",
        2,
    )
    [quote] = post.quotes
    assert (quote.author, quote.time_text, quote.text) == (
        "Reed Cutter",
        "12 October 2012 - 09:00 AM",
        "Is the ferry running?",
    )
    assert post.body == "Only on Saturday."
    assert post.edited_by == "Moss Gatherer"
    assert post.signature == "Rowing since 1987"
    assert post.reactions == [("points", 2)]


def test_html_reaction_shapes_without_reaction_types() -> None:
    count_only = _article(
        7,
        "Ann",
        "<p>Hi.</p>",
        '<div class="ipsReact_reactCountOnly" data-role="reactCount">'
        '<span data-role="reactCountText">14</span></div>',
    )
    like_mode = _article(
        8,
        "Bo",
        "<p>Hello.</p>",
        '<div data-role="reactionBlurb"><ul class="ipsReact_reactions">'
        '<li class="ipsReact_overview">Ann, Cy and 3 others like this</li></ul></div>',
    )
    html = f"<html><body class='ipsApp'>{count_only}{like_mode}</body></html>"
    first, second = ENGINE.parse(html_page(html)).posts
    assert first.reactions == [("points", 14)]
    assert second.reactions == [("total", 5)]


# ---------------------------------------------------------------- detection
def test_detects_invision_text_and_html() -> None:
    assert ENGINE.detect(text_page(FERRY)) >= 0.8
    assert ENGINE.detect(text_page(W3M)) >= 0.8
    assert ENGINE.detect(html_page(IPS4_HTML)) >= 0.8
    assert ENGINE.detect(html_page(IPS3_HTML)) >= 0.8


def test_other_engines_pages_are_not_invision() -> None:
    xenforo = [
        "Reed Cutter said:",
        "Is the ferry running?",
        "Click to expand...",
        "Only on Saturday.",
        "Like Reply",
    ] * 5
    phpbb = [
        "Re: Ferry",
        "Postby Reed Cutter » Sun May 26, 2019 4:34 pm",
        "Only Saturday.",
        "Top",
    ] * 5
    plain = "<html><body><article><p>News of the ferry.</p></article></body></html>"
    assert ENGINE.detect(text_page(xenforo)) <= 0.2
    assert ENGINE.detect(text_page(phpbb)) <= 0.2
    assert ENGINE.detect(html_page(plain)) <= 0.2


# ---------------------------------------------------------------- robustness
test_arbitrary_text_never_breaks_detect_or_parse = survives_lines(
    ENGINE,
    [
        "",
        "Link to comment",
        "Share on other sites",
        "Recommended Posts",
        "  • Like 2",
        "  • 3 days later...",
        "Edited by A",
        "1 hour ago, A said:",
        "    On 1/2/2020 at 3:04 PM, B said:",
        "Posted March 1, 2021",
        "    Quote",
        "Some text.",
        "  • ",
        "#3",
    ],
    line_size=40,
)


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_html_never_breaks_parse(text: str) -> None:
    assert_survives(ENGINE, html_page("<html><body>" + text))


def test_deeply_nested_headers_do_not_recurse_without_end() -> None:
    lines = ["Recommended Posts", "Opening post.", *SEP] + ["1 hour ago, A said:"] * 3000
    assert isinstance(parse_text([*lines, "reply", *SEP]).posts, list)


def test_large_page_parses_in_linear_time() -> None:
    post = [
        "4 minutes ago, Reed Cutter said:",
        "",
        "The old timetable had boats every half hour before the pier was rebuilt.",
        "",
        "A reply of a few words about the ferry and the pier.",
        "",
        "  • Like 1",
        *SEP,
    ]
    # Speed is measured in `make bench` (ingest.invision); here: a long page parses whole.
    assert len(parse_text(post * 5000).posts) == 5000


def test_the_pager_above_a_later_page_is_not_the_title() -> None:
    text = (
        "Ferry fares to rise in spring\n\n\nboatman\n\n"
        "  • Prev\n  • 1\n  • 2\n  • Next\n  • Page 2 of 2  \n\nRecommended Posts\n\n"
        "The new fares start in April, two pounds more for a return.\n\n"
        "Link to comment\nShare on other sites\n\n"
        "Still cheaper than the bridge toll.\n\n"
        "Link to comment\nShare on other sites\n"
    )
    parsed = ENGINE.parse(Page.from_text(text, path="ferry-p2.txt"))
    assert parsed.title == "Ferry fares to rise in spring"
    assert [p.author for p in parsed.posts] == [None, None]  # page 2 does not open with the OP
