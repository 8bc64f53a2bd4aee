"""News engine: paragraphs, header, boilerplate and off-topic suggestions, text and HTML.

Every input here is written for the test (a fictional town's news) and reproduces one
structure of article pages: w3m text (bullets as "•", blank lines between blocks), lynx text
(wrapped, link numbers), a browser copy (no blank lines, "*" bullets), and HTML.
"""

from __future__ import annotations

import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from labeler.domain.post import Flag, PostKind
from labeler.ingest.engines.news import ENGINE, offtopic
from labeler.ingest.model import ParsedPage, ParsedPost
from labeler.ingest.page import Page


def parse_text(text: str) -> ParsedPage:
    return ENGINE.parse(Page.from_text(text, path="x.txt"))


def parse_html(html: str) -> ParsedPage:
    return ENGINE.parse(Page.from_text(html, path="x.html"))


def kept(page: ParsedPage) -> list[str]:
    return [p.body for p in page.posts if not p.flags]


def flagged(page: ParsedPage, flag: Flag) -> list[str]:
    return [p.body for p in page.posts if flag in p.flags]


def row(page: ParsedPage, start: str) -> ParsedPost:
    return next(p for p in page.posts if p.body.startswith(start))


PARAGRAPHS = [
    "The harbour council voted on Tuesday to add two evening crossings to the ferry timetable "
    "between the north pier and Gull Island.",
    "Councillors approved the plan by seven votes to two after a long debate about the cost of "
    "crews and fuel for the ferry.",
    '"People who work late have been stranded on the island for far too long," said councillor '
    "Edwin Marsh.",
    "The ferry operator said the evening crossings would start in May and cost the same as "
    "daytime fares.",
]

ARTICLE = f"""Valley Gazette

  • News
  • Sport
  • Weather
      □ Forecast
      □ Warnings

[search] [Go]
Local News

Harbour council approves new ferry timetable

By Nora Whitfield March 3, 2021: 9:15 AM ET

[]
Replay
Baker wins national bread prize with rye loaf
Your video will play in 00:25

{PARAGRAPHS[0]}

{PARAGRAPHS[1]}

Advertisement
Sponsored by Example Ads

Related: Lighthouse museum to reopen after winter repairs

{PARAGRAPHS[2]}

The new timetable adds these crossings:
1. North pier at 19:30
2. Gull Island at 20:15

{PARAGRAPHS[3]}

Comments

Use the form below to start a discussion about this story.

  • About
  • Contact
"""


# ---------------------------------------------------------------- text: w3m
def test_text_article_paragraphs_and_header() -> None:
    page = parse_text(ARTICLE)
    assert page.kind == "news" and page.engine == "news"
    assert page.title == "Harbour council approves new ferry timetable"
    assert page.byline == "By Nora Whitfield March 3, 2021: 9:15 AM ET"
    assert page.date_text == "March 3, 2021: 9:15 AM ET"
    assert kept(page) == [
        *PARAGRAPHS[:3],
        "The new timetable adds these crossings:",
        "1. North pier at 19:30\n2. Gull Island at 20:15",
        PARAGRAPHS[3],
    ]
    assert all(p.kind is PostKind.PARAGRAPH and p.author is None for p in page.posts)


def test_title_byline_and_date_are_not_rows() -> None:
    bodies = [p.body for p in parse_text(ARTICLE).posts]
    assert not any("Harbour council approves" in b or "Nora Whitfield" in b for b in bodies)


def test_inline_related_link_is_offtopic() -> None:
    page = parse_text(ARTICLE)
    assert "Related: Lighthouse museum to reopen after winter repairs" in flagged(
        page, Flag.OFFTOPIC
    )


def test_widget_lines_between_paragraphs_are_flagged_boilerplate() -> None:
    page = parse_text(ARTICLE)
    assert row(page, "Advertisement").flags == {Flag.BOILERPLATE}
    assert row(page, "Sponsored by").flags == {Flag.BOILERPLATE}


def test_video_teaser_above_the_article_is_offtopic() -> None:
    page = parse_text(ARTICLE)
    assert row(page, "Baker wins").flags == {Flag.OFFTOPIC}
    assert row(page, "Replay").flags == {Flag.BOILERPLATE}
    assert row(page, "Your video will play").flags == {Flag.BOILERPLATE}


def test_numbered_list_is_one_article_paragraph() -> None:
    page = parse_text(ARTICLE)
    assert row(page, "1. North pier").body == "1. North pier at 19:30\n2. Gull Island at 20:15"
    assert not row(page, "1. North pier").flags


def test_menus_and_comment_form_are_dropped() -> None:
    bodies = " ".join(p.body for p in parse_text(ARTICLE).posts)
    for chrome in ("Forecast", "Valley Gazette", "Use the form below", "Contact", "Local News"):
        assert chrome not in bodies


# ---------------------------------------------------------------- text: captions, byline
TRIBUNE_LIKE = """The Weekly Lantern

  • Home
  • News

Upvote 0
Storm Closes Island Airport

Passengers wait in the terminal on Friday. Photo: Lantern Staff

Passengers wait in the terminal on Friday. Photo: Lantern Staff

As of Friday, April 22, 2022

  • Share this Email, Facebook

By ROSA QUILL

Lantern Staff Reporter

rquill@lantern.example

THE island airport closed on Friday as a storm brought winds of more than ninety miles an hour.

Airport staff said all flights to the mainland were cancelled and passengers were sent home.

The airport manager said the runway would be checked for damage before it reopened.

Comments

Sign in to comment
"""


def test_caption_printed_twice_is_not_kept_twice() -> None:
    page = parse_text(TRIBUNE_LIKE)
    captions = [p for p in page.posts if p.body.startswith("Passengers wait")]
    assert len(captions) == 2 and all(Flag.BOILERPLATE in p.flags for p in captions)
    assert page.title == "Storm Closes Island Airport"


def test_three_line_byline_and_printed_date() -> None:
    page = parse_text(TRIBUNE_LIKE)
    assert page.byline == "By ROSA QUILL\nLantern Staff Reporter\nrquill@lantern.example"
    assert page.date_text == "As of Friday, April 22, 2022"
    assert len(kept(page)) == 3 and kept(page)[0].startswith("THE island airport")


# ---------------------------------------------------------------- text: a spliced story
FLOOD = [
    "Floodwater from the River Alder reached the market square in Brackenford on Sunday, "
    "forcing shops to close.",
    "The town council opened an emergency shelter in the school hall for families whose homes "
    "were flooded.",
    "River levels peaked at four metres above normal after three days of heavy rain across the "
    "Alder valley.",
    "Council engineers said the flood barriers along the river had held, but water came up "
    "through the drains.",
    "Volunteers filled sandbags outside the market hall while the fire brigade pumped water from "
    "flooded cellars.",
    "The council said families in the emergency shelter could return home once the river level "
    "falls, a spokesman told the Brackenford Echo. Shops in the market square hope to reopen.",
]
SPLICED = (
    "Rovers 2-1 Athletic: Kowalski praises 'brilliant' second-half display\n"
    '"The lads were brilliant after the break," the manager told reporters. "We kept the ball '
    'and the goals came."'
)
FLOOD_PAGE = "\n\n".join(
    ["River Alder floods Brackenford market square"]
    + ["Flood Alder Brackenford River Weather"] * 2  # a keyword strip, printed twice
    + FLOOD[:4]
    + [SPLICED, *FLOOD[4:], "Recommended News", "Thank you for reading our comment policy."]
)


def test_spliced_story_is_flagged_offtopic() -> None:
    page = parse_text(FLOOD_PAGE)
    assert flagged(page, Flag.OFFTOPIC) == SPLICED.split("\n")


def test_patchwork_paragraphs_stay_article_paragraphs() -> None:
    page = parse_text(FLOOD_PAGE)
    assert kept(page) == FLOOD
    assert page.title == "River Alder floods Brackenford market square"


# ---------------------------------------------------------------- text: boxes and comments
SEA_WALL = [
    "The county will spend twelve million pounds rebuilding the sea wall at Saltmarsh Bay, "
    "councillors agreed on Thursday.",
    "The wall was breached twice last winter, flooding the promenade and the seafront cafes.",
    "Engineers said patching the old sea wall was no longer possible after the storms.",
    "The new sea wall will be two metres higher, with a wider promenade above the bay.",
    "Cafe owners on the promenade said the floods had cost them weeks of winter trade.",
    "Work on the sea wall starts in September and the promenade will stay open.",
]
BOXED = "\n\n".join(
    [
        "Sea wall rebuild approved",
        *SEA_WALL[:3],
        "Most Read",
        "1. Pier theatre to close\n2. Man rescued from cliff path\n3. Beach huts go on sale",
        *SEA_WALL[3:],
        "Comments",
        "Jo Finch says:\nThe sea wall work is long overdue for the bay and its promenade cafes.",
        "The promenade was flooded twice last winter and the sea wall must be rebuilt now.",
    ]
)


def test_in_article_link_box_does_not_cut_the_article() -> None:
    page = parse_text(BOXED)
    assert kept(page) == SEA_WALL
    assert row(page, "Most Read").flags == {Flag.BOILERPLATE}
    assert row(page, "1. Pier theatre").flags == {Flag.BOILERPLATE}


def test_comments_after_the_article_are_not_article_text() -> None:
    bodies = [p.body for p in parse_text(BOXED).posts]
    assert not any("overdue" in b or "must be rebuilt now" in b for b in bodies)


# ---------------------------------------------------------------- text: other renderings
def lynx(text: str) -> str:
    """The article as lynx prints it: 3-space indent, wrapped at 79, link numbers, references."""
    out = []
    for block in text.split("\n\n"):
        linked = block.replace("Related: ", "Related: [12]", 1)
        out.append(textwrap.fill(linked, width=79, initial_indent="   ", subsequent_indent="   "))
    out.append("References\n\n   1. https://gazette.example/\n  12. https://gazette.example/x")
    return "\n\n".join(out)


def test_lynx_wrapped_text_is_joined_back_into_paragraphs() -> None:
    body = "\n\n".join(
        [
            "Harbour council approves new ferry timetable",
            *PARAGRAPHS[:2],
            "Related: Lighthouse museum to reopen after winter repairs",
            *PARAGRAPHS[2:],
        ]
    )
    page = parse_text(lynx(body))
    assert kept(page) == PARAGRAPHS
    assert flagged(page, Flag.OFFTOPIC) == [
        "Related: Lighthouse museum to reopen after winter repairs"
    ]


def test_browser_copy_without_blank_lines() -> None:
    copy = "\n".join(
        line.strip().replace("•", "*").replace("□", "*")
        for line in ARTICLE.splitlines()
        if line.strip()
    )
    page = parse_text(copy)
    assert page.title == "Harbour council approves new ferry timetable"
    assert PARAGRAPHS[0] in kept(page) and PARAGRAPHS[3] in kept(page)
    assert "Related: Lighthouse museum to reopen after winter repairs" in flagged(
        page, Flag.OFFTOPIC
    )
    assert "Advertisement" not in kept(page)


def test_one_sentence_paragraph_stays_in_the_article() -> None:
    text = ARTICLE.replace(PARAGRAPHS[1], PARAGRAPHS[1] + "\n\nNobody voted against it.")
    assert "Nobody voted against it." in kept(parse_text(text))


def test_page_without_article_text_has_no_rows() -> None:
    assert parse_text("Home\nNews\nSport\n").posts == []
    assert parse_text("").posts == []
    unreadable = Page.from_text("<!-- nothing -->", path="x.html", is_html=True)
    assert ENGINE.parse(unreadable).posts == []
    assert ENGINE.detect(unreadable) == 0.0


# ---------------------------------------------------------------- HTML
HTML = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Ferry timetable - Valley Gazette</title>
<meta property="og:type" content="article">
<meta property="og:title" content="Harbour council approves new ferry timetable">
<meta property="og:site_name" content="Valley Gazette">
<meta property="og:url" content="https://gazette.example/news/ferry">
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li></ul></nav></header>
<main><article>
<h1>Harbour council approves new ferry timetable</h1>
<div class="byline">By <a href="/a/nora">Nora Whitfield</a> | March 3, 2021</div>
<ul class="share"><li><a>Share on Facebook</a></li><li><a>Tweet</a></li><li><a>Email</a></li></ul>
<div class="body">
<p>{PARAGRAPHS[0]}</p>
<p>{PARAGRAPHS[1]}</p>
<div class="ad"><span>Advertisement</span></div>
<p>RELATED: Lighthouse museum to reopen after winter repairs</p>
<p>{PARAGRAPHS[2]}</p>
<p>{PARAGRAPHS[3]}</p>
</div></article>
<section class="related"><h3>Related Posts</h3><p>The fishing fleet landed more cod this week
than in any week of the last decade, harbour officials said.</p></section>
</main><footer><p>Copyright 2021 Valley Gazette. All rights reserved.</p></footer>
</body></html>"""


def test_html_article_paragraphs_and_metadata() -> None:
    page = parse_html(HTML)
    assert kept(page) == PARAGRAPHS
    assert page.title == "Harbour council approves new ferry timetable"
    assert page.byline == "By Nora Whitfield | March 3, 2021"
    assert page.date_text == "March 3, 2021"
    assert page.url == "https://gazette.example/news/ferry"
    assert page.site == "Valley Gazette"


def test_html_related_link_is_offtopic_and_ad_is_not_kept() -> None:
    page = parse_html(HTML)
    assert flagged(page, Flag.OFFTOPIC) == [
        "RELATED: Lighthouse museum to reopen after winter repairs"
    ]
    assert "Advertisement" not in kept(page)
    assert not any("fishing fleet" in b for b in kept(page))


# ---------------------------------------------------------------- detection
FORUM_TEXT = """Board index > Gardening

Re: Which tomato grows best in shade?
Postby maple_fox » Sun May 26, 2019 4:34 pm
I grew three kinds last year and the cherry ones did far better than the big ones did.
maple_fox
    Posts: 120
    Joined: Sun Sep 03, 2006 9:23 pm
Top
Re: Which tomato grows best in shade?
Postby birch_owl » Sun May 26, 2019 5:02 pm
Mine never ripened at all in the shade, so I moved the pots to the front of the house.
birch_owl
    Posts: 45
    Joined: Mon Jan 31, 2019 7:10 pm
Top
"""

FORUM_HTML = """<html><body><div class="post"><div class="postbody"><p>First post text here,
long enough to look like a paragraph of prose about tomatoes.</p></div>
<dl class="postprofile">maple_fox</dl></div><div class="post"><div class="postbody"><p>A
second post about tomatoes in the shade of the house.</p></div>
<dl class="postprofile">birch_owl</dl></div><div class="postbody">third</div></body></html>"""


def test_detect_is_moderate_high_on_articles() -> None:
    for page in (
        Page.from_text(ARTICLE, path="x.txt"),
        Page.from_text(TRIBUNE_LIKE, path="x.txt"),
        Page.from_text(HTML, path="x.html"),
    ):
        assert 0.5 <= ENGINE.detect(page) <= 0.75


def test_detect_ignores_reader_comments_under_the_article() -> None:
    comments = "".join(
        f"Reader{n} said:\nI agree with the council about the ferry, number {n}.\nReply\n\n"
        for n in range(6)
    )
    text = ARTICLE.replace("Comments\n", "Comments\n\n" + comments)
    assert ENGINE.detect(Page.from_text(text, path="x.txt")) >= 0.5
    assert not any("I agree" in b for b in kept(parse_text(text)))


def test_detect_is_low_on_forum_threads() -> None:
    assert ENGINE.detect(Page.from_text(FORUM_TEXT, path="x.txt")) <= 0.2
    assert ENGINE.detect(Page.from_text(FORUM_HTML, path="x.html")) <= 0.2
    assert ENGINE.detect(Page.from_text("Home\nNews\n", path="x.txt")) <= 0.2


# ---------------------------------------------------------------- off-topic helpers
def test_lead_in_cues() -> None:
    assert offtopic.has_lead_in("Related: Another story")
    assert offtopic.has_lead_in("WATCH: A video")
    assert offtopic.has_lead_in("Read more | Elsewhere")
    assert not offtopic.has_lead_in("Relatedness matters: a study of twins.")


def test_distant_runs_needs_a_distant_run() -> None:
    texts = [*FLOOD[:3], *SPLICED.split("\n"), *FLOOD[3:]]
    cued = [False, False, False, True, False, False, False, False]
    assert offtopic.distant_runs(texts, context="River floods", cued=cued) == [(3, 5)]
    assert offtopic.distant_runs(FLOOD, context="River floods") == []


# ---------------------------------------------------------------- robustness
@settings(max_examples=150, deadline=None)
@given(st.text(max_size=600))
def test_arbitrary_text_never_raises(text: str) -> None:
    page = Page.from_text(text, path="x.txt")
    assert 0.0 <= ENGINE.detect(page) <= 1.0
    posts = ENGINE.parse(page).posts
    assert all(isinstance(p.body, str) for p in posts)
    assert all(p.body.strip() for p in posts)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["<p>", "</p>", "<div>", "<h1>", "x y.", "\n", "*"]), max_size=40))
def test_arbitrary_html_never_raises(parts: list[str]) -> None:
    page = Page.from_text("<html><body>" + "".join(parts) + "</body></html>", path="x.html")
    assert 0.0 <= ENGINE.detect(page) <= 1.0
    assert all(isinstance(p.body, str) for p in ENGINE.parse(page).posts)
