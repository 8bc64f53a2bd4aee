"""Synthetic raw pages in the shapes real engines print (our own words, any size).

Used by the ingestion benchmark and the large-page tests: a phpBB-style thread, an
Invision-style thread (unsigned replies, quotes with no end marker) and a news article.
"""

from __future__ import annotations

import random

WORDS = [
    "bridge",
    "tram",
    "harbour",
    "council",
    "street",
    "parking",
    "bus",
    "ferry",
    "station",
    "market",
    "plan",
    "vote",
    "cost",
    "budget",
    "traffic",
    "cycle",
    "lane",
    "shop",
    "trader",
    "resident",
    "meeting",
    "survey",
    "route",
    "stop",
    "timetable",
    "fare",
    "winter",
    "flood",
    "repair",
    "road",
    "school",
    "noise",
    "evening",
    "morning",
    "week",
    "year",
    "people",
    "town",
    "think",
    "agree",
    "doubt",
    "maybe",
    "really",
    "because",
    "although",
    "whether",
    "figure",
    "report",
    "officer",
]
NAMES = ["linesider", "Greta_K", "harbourwatch", "eastbank_tom", "Mira", "old_ferryman"]


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    words.append(f"n{rng.randrange(10**9)}")  # every post distinct
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng, rng.randint(6, 18)) for _ in range(rng.randint(1, 4)))


def phpbb_page(size: int, seed: int = 7) -> str:
    """A phpBB 3 (prosilver, w3m-rendered) thread of about `size` characters."""
    rng = random.Random(seed)
    title = "Extending the tram to the harbour"
    out = [f"{title}\n\nPost a reply\n\n"]
    bodies: list[str] = []
    authors: list[str] = []
    total = 0
    n = 0
    while total < size:
        n += 1
        author = rng.choice(NAMES)
        body = "\n\n".join(_paragraph(rng) for _ in range(rng.randint(1, 3)))
        quote = ""
        if bodies and rng.random() < 0.3:
            k = rng.randrange(max(0, len(bodies) - 20), len(bodies))
            quoted = bodies[k].split("\n")[0]
            quote = f"{authors[k]} wrote:{quoted}\n\n"
        block = (
            f"  • Reply with quote\n\nRe: {title}\n\n"
            f"Postby {author} » Mon Feb 09, 2026 {rng.randint(1, 12)}:{rng.randint(10, 59)} pm\n\n"
            f"{quote}{body}\n\n{author}\n    Member\n     \n    Posts: {rng.randint(1, 900)}\n"
            f"    Joined: Sat Mar 14, 2015 8:02 pm\n\nTop\n\n"
        )
        bodies.append(body)
        authors.append(author)
        out.append(block)
        total += len(block)
    out.append("Display posts from previous: All posts\n")
    return "".join(out)


def invision_page(size: int, seed: int = 7) -> str:
    """An Invision Community thread (w3m-rendered): unsigned replies, unmarked quote ends."""
    rng = random.Random(seed)
    title = "Council to vote on closing Bridge Street to cars"
    out = [f"{title}\n\n\nharbourwatch\n\nRecommended Posts\n\n"]
    bodies: list[str] = []
    total = 0
    while total < size:
        body = "\n\n \n\n".join(_paragraph(rng) for _ in range(rng.randint(1, 3)))
        quote = ""
        if bodies and rng.random() < 0.3:
            quote = f"{rng.randint(2, 50)} minutes ago, {rng.choice(NAMES)} said:\n\n"
            quote += rng.choice(bodies[-20:]) + "\n\n"
        react = f"  • Like {rng.randint(1, 9)}\n\n" if rng.random() < 0.4 else ""
        block = f"{quote}{body}\n\n{react}Link to comment\nShare on other sites\n\n"
        bodies.append(body)
        out.append(block)
        total += len(block)
    return "".join(out)


def news_page(size: int, seed: int = 7) -> str:
    """A news article of about `size` characters (w3m-rendered)."""
    rng = random.Random(seed)
    out = ["Bridge Street closure approved after heated meeting\n\nBy a reporter\n\n"]
    total = 0
    while total < size:
        paragraph = _paragraph(rng) + "\n\n"
        out.append(paragraph)
        total += len(paragraph)
    return "".join(out)
