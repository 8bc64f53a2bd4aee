"""Off-topic suggestions for an article's paragraphs: lead-in cues and lexical distance.

A story spliced into another (aggregator spam, an inline teaser) shares almost no content
words with the article around it, while patchwork paragraphs of the same story do. We compare
each short run of consecutive paragraphs with the rest of the article and suggest the runs
that stand apart; the annotator confirms or overturns the suggestion.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

# "Related: ...", "Watch: ...", "READ MORE | ..." — a link to another story inside the flow.
LEAD_IN = re.compile(
    r"^\W{0,3}(?:related(?:\s+(?:stories|story|articles?|news|content|coverage|video))?"
    r"|watch(?:\s+now)?|video|read|read\s+more|read\s+also|also\s+read|see\s+also|more|"
    r"more\s+from\s+[\w ]{1,30}|recommended|listen|don'?t\s+miss|must\s+read|trending)"
    r"\s*[:|»>\u2014\u2013]",
    re.IGNORECASE,
)

# Share of a run's content words found elsewhere in the article under which it is suggested.
THRESHOLD = 0.05  # a paragraph without a headline: (almost) nothing in common at all
CUED_THRESHOLD = 0.25
CUED_RUN_THRESHOLD = 0.15
MIN_WORDS = 8  # fewer content words than this say too little to call a text distant
MIN_UNCUED_WORDS = 10
LONG_ARTICLE = 2_000  # texts; a longer page is left alone (and stays fast)

_WORD = re.compile(r"[^\W\d_]{3,}")
# Function words and common English words: sharing them says nothing about the topic.
_STOP_TEXT = """
    able about above according across act actually add added after again against ago agree
    ahead all allow almost alone along already also although always among amount and another
    answer any anyone anything anyway appear are area around ask away back bad base be bear
    beat because become been before begin behind being believe best better between big bit
    black body book both boy bring brought build business but buy call came can care carry
    case catch cause center central certain chance change check child choose city clear
    close cold come common complete consider continue control cost could country course
    cover create cut dark day deal decide deep deliver describe design detail develop did
    die different difficult direct do does doing don done door down draw drive drop during
    each early east easy eat else end enough enter entire even evening event ever every
    example expect experience explain face fact fail fall family far fast feel few field
    fight figure fill final find fine finish fire firm first five follow food foot for force
    form forward four free friday friend from front full fund further game general get give
    given go goes gone good great green ground group grow had half hand hang happen hard has
    have having head hear heart heavy help her here herself high him himself his hit hold
    home hope hot hour house how however huge idea important include increase indeed instead
    interest into issue item its itself job join just keep kept key kind knew know land
    large last late later lead learn least leave left less let level life light like likely
    line list little live local long look lose lost lot love low main major make man manage
    many mark matter may mean meet member might mind minute miss moment monday money month
    months more morning most move much must name near nearly need never new next night none
    nor not note nothing notice now number offer often old once one only onto open order
    other our out outside over own page paper part pass past pay people per percent perhaps
    pick piece place plan play point position possible power present pretty price probably
    problem provide public pull push put quite race raise range rate rather reach read ready
    real really reason receive recent record red remain remember report rest result return
    right rise road role room round run said same saturday save saw say says school score
    season second see seem send sense serve set several shall share she short should show
    side sign similar simple since single sit six size small social some sometimes soon sort
    sound south space speak special spend stand start state stay step still stop story
    street strong study subject such sunday sure table take talk tell term test than that
    the their them themselves then there these they thing think third this those though
    three through throughout thursday thus time today together told too top total toward
    town try tuesday turn twice two under until upon use usual value various very view visit
    wait walk wall want was watch water way wednesday week weeks well were west what when
    where whether which while who whole whom why wide will win with within without woman
    women word work world would write wrong year years yes yesterday yet you young your
"""
_STOP = frozenset(_STOP_TEXT.split())


def content_words(text: str) -> set[str]:
    """The distinct content words of a text, lower-cased and lightly stemmed."""
    stems = {_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP}
    return stems - _STOP_STEMS


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    # Crude but symmetric: "killings", "killed" -> "kill"; "homicides", "homicide" -> "homicid".
    if word.endswith("s") and not word.endswith("ss") and len(word) > 4:
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


_STOP_STEMS = frozenset(_stem(w) for w in _STOP)  # "generals" goes with "general"


def has_lead_in(text: str) -> bool:
    """True when a line opens with a cross-link cue such as "Related:" or "Watch:"."""
    return bool(LEAD_IN.match(text))


def distant_runs(
    texts: Sequence[str],
    *,
    context: str = "",
    cued: Sequence[bool] | None = None,
    eligible: Sequence[bool] | None = None,
    max_run: int = 3,
) -> list[tuple[int, int]]:
    """Runs [start, end) of consecutive texts that share (almost) no content words with the rest.

    `context` (the headline) counts as part of the rest. A text is suggested when under
    THRESHOLD of its distinct content words occur anywhere else; a run that opens with a cue
    (`cued`: a headline of its own) under CUED_THRESHOLD (one text) or CUED_RUN_THRESHOLD
    (several). It needs at least MIN_WORDS content words and must be a small part of the
    article; `eligible` false keeps a text (a list) out of every run. The lowest-scoring runs
    win; ties go to the longer run.
    """
    if len(texts) > LONG_ARTICLE:
        return []  # not an article any more: nothing to stand apart from
    bags = [content_words(t) for t in texts]
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag)
    df.update(content_words(context))
    chosen: list[tuple[int, int]] = []
    taken: set[int] = set()
    for _score, _longer, start, end in sorted(_candidates(bags, df, cued, eligible, max_run)):
        if taken.isdisjoint(range(start, end)):
            chosen.append((start, end))
            taken.update(range(start, end))
    return sorted(chosen)


def _candidates(
    bags: list[set[str]],
    df: Counter[str],
    cued: Sequence[bool] | None,
    eligible: Sequence[bool] | None,
    max_run: int,
) -> list[tuple[float, int, int, int]]:
    """(score, -length, start, end) of every run under its threshold."""
    n, total = len(bags), sum(len(b) for b in bags)
    found: list[tuple[float, int, int, int]] = []
    for start in range(n):
        run: Counter[str] = Counter()
        size = 0
        for end in range(start + 1, min(n, start + max_run) + 1):
            if eligible is not None and not eligible[end - 1]:
                break
            run.update(bags[end - 1])
            size += len(bags[end - 1])
            is_cued = cued is not None and cued[start]
            least = MIN_WORDS if is_cued else MIN_UNCUED_WORDS
            if len(run) < least or n - (end - start) < 3 or 2 * size > total - size:
                continue
            limit = _limit(is_cued, end - start)
            score = sum(1 for w, c in run.items() if df[w] > c) / len(run)
            if score < limit:
                found.append((score, start - end, start, end))
    return found


def _limit(cued: bool, length: int) -> float:
    """The share under which a run is distant. Several paragraphs are only suggested together
    under a headline of their own: a real article often has two in a row with new words."""
    if cued:
        return CUED_THRESHOLD if length == 1 else CUED_RUN_THRESHOLD
    return THRESHOLD if length == 1 else 0.0
