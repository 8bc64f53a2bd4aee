"""A text page as cleaned lines, with the indexes the parser walks instead of every line.

Blank lines are most of a rendered page (w3m and browsers print one or more between
paragraphs), so the parser steps through `nonblank` (found from any line through `rank`) and
the few possible quote citations (`headers`). Cleaning and indexing are a few passes over the
lines, each a C-level map or one simple test per line.
"""

from __future__ import annotations

import re
from itertools import accumulate, compress

from labeler.ingest.engines.invision.shapes import HEADER_ENDS

# Odd spaces become plain spaces and zero-width characters go: page-wide replaces for the
# common ones, line by line (in the lines that are not ASCII) for the rare ones.
_PAGE_REPLACES = (("\t", " "), ("\xa0", " "), ("\u200b", ""), ("\u2009", " "), ("\u202f", " "))
_RARE_SPACES = "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u200a\u205f\u3000"
_RARE_INVISIBLE = "\u200c\u200d\u2060\ufeff"
_RARE = re.compile(f"[{_RARE_SPACES}{_RARE_INVISIBLE}]")
_RARE_CLEAN = str.maketrans(dict.fromkeys(_RARE_SPACES, " ") | dict.fromkeys(_RARE_INVISIBLE))
_RUNS = re.compile(r" {2,}")


class Lines:
    """The page's lines: cleaned text ("" when blank); indentation is read on demand."""

    __slots__ = ("_raw", "headers", "nonblank", "rank", "text")

    def __init__(self, page_text: str) -> None:
        for char, replacement in _PAGE_REPLACES:
            if char in page_text:
                page_text = page_text.replace(char, replacement)
        self._raw = raw = page_text.split("\n")
        self.text = text = list(map(str.strip, raw))
        nonblank = list(compress(range(len(text)), text))
        if not page_text.isascii() and self._clean(nonblank):
            nonblank = [i for i in nonblank if text[i]]
        for i in [i for i in nonblank if "  " in text[i]]:
            text[i] = _RUNS.sub(" ", text[i])
        self.nonblank = nonblank
        # rank[i]: how many non-blank lines come before line i (where i would go in nonblank).
        self.rank = [0, *accumulate(map(bool, text))]
        # Lines that may be a quote citation (checked in full where they matter).
        self.headers = [
            i for i in nonblank if text[i][-1] in ":)eE" and text[i].endswith(HEADER_ENDS)
        ]

    def _clean(self, nonblank: list[int]) -> bool:
        """Clean the lines holding rare odd spaces or invisible characters; True if any."""
        text, raw = self.text, self._raw
        odd = [i for i in nonblank if not text[i].isascii() and _RARE.search(text[i])]
        for i in odd:
            raw[i] = raw[i].translate(_RARE_CLEAN)
            text[i] = raw[i].strip()
        return bool(odd)

    def __len__(self) -> int:
        return len(self.text)

    def nonblank_in(self, lo: int, hi: int) -> list[int]:
        """Numbers of the non-blank lines in [lo, hi)."""
        return self.nonblank[self.rank[lo] : self.rank[hi]]

    def paragraphs(self, rows: list[int]) -> str:
        """The text of these non-blank lines: a blank line between lines that are not adjacent.

        What `paragraphs` makes of all the lines from rows[0] to rows[-1].
        """
        text = self.text
        out: list[str] = []
        after = rows[0] if rows else 0  # the line after the last one taken
        for i in rows:
            if i > after:
                out.append("")
            out.append(text[i])
            after = i + 1
        return "\n".join(out)

    def indent(self, i: int) -> int:
        """Leading spaces of line i (0 for a blank line)."""
        if not self.text[i]:
            return 0
        raw = self._raw[i]
        return len(raw) - len(raw.lstrip())

    def base(self, lo: int, hi: int) -> int:
        """The least indentation of the non-blank lines in [lo, hi)."""
        raw = self._raw
        return min(
            (len(raw[i]) - len(raw[i].lstrip()) for i in self.nonblank_in(lo, hi)), default=0
        )


def paragraphs(lines: list[str]) -> str:
    """Stripped lines → text: lines joined by newlines, each blank run → one blank line.

    `base.join_paragraphs` for lines that are already stripped (it strips each line again).
    """
    out: list[str] = []
    blank = False
    for line in lines:
        if not line:
            blank = bool(out)
        elif blank:
            out += ("", line)
            blank = False
        else:
            out.append(line)
    return "\n".join(out)
