"""Post ids as 64-bit numbers, and a sorted index over them for lookups by id.

Sorting or hashing a million string ids costs hundreds of milliseconds here; the same on
64-bit integers costs a few. Our ids are one letter and 16 hex digits ("p"/"t"), so their
number is their own digits; an id made elsewhere gets a stable 64-bit digest (computed only
for those), and an index lookup still compares the id itself, so a digest collision cannot
give a wrong row.
"""

from __future__ import annotations

import bisect
from typing import Literal

import polars as pl

from labeler.domain.ids import stable_digest

_HEX = frozenset("0123456789abcdef")


def id_number(text: str) -> int:
    """The 64-bit number of one id (see `id_numbers`)."""
    if len(text.encode()) == 17 and _HEX.issuperset(text[1:]):
        return int(text[1:], 16)
    return int(stable_digest(text), 16)


def id_numbers(ids: pl.Series) -> pl.Series:
    """A UInt64 per id, equal to `id_number` of it."""
    return numbered(ids)[0]


def numbered(ids: pl.Series) -> tuple[pl.Series, bool]:
    """`id_numbers`, and whether they are exact (every id is ours, so no digest was used:
    grouping by the numbers is then grouping by the ids)."""
    ours = (ids.str.len_bytes() == 17) & ids.str.slice(1).str.contains("^[0-9a-f]{16}$")
    numbers = ids.str.slice(1).str.to_integer(base=16, dtype=pl.UInt64, strict=False)
    numbers = pl.select(pl.when(ours).then(numbers)).to_series().alias(f"_{ids.name}_number")
    if not numbers.null_count():
        return numbers, True
    others = {text: id_number(text) for text in ids.filter(~ours).unique()}
    digests = ids.replace_strict(others, default=None, return_dtype=pl.UInt64)
    return numbers.fill_null(digests), False


class IdIndex:
    """Find the row of an id in a column of unique ids, by binary search on their numbers.

    The sorted numbers and their rows are read through memoryviews of their Arrow buffers,
    so a lookup is a few microseconds of `bisect` (polars' own search_sorted on one value
    builds a query and costs about half a millisecond).
    """

    def __init__(self, ids: pl.Series, numbers: pl.Series | None = None) -> None:
        """Index `ids`; pass their `id_numbers` when already computed."""
        self.ids = ids
        numbers = id_numbers(ids) if numbers is None else numbers
        rows = numbers.arg_sort()
        self._sorted = _words(numbers.gather(rows), "Q")
        self._rows = _words(rows, "I")
        self._texts = ids.to_arrow()

    def __len__(self) -> int:
        return len(self.ids)

    def find(self, text: str) -> int | None:
        """The row of `text` in `ids`, or None when it is not there."""
        number = id_number(text)
        i = bisect.bisect_left(self._sorted, number)
        while i < len(self._sorted) and self._sorted[i] == number:
            row = self._rows[i]
            if self._texts[row].as_py() == text:
                return row
            i += 1
        return None

    def __contains__(self, text: object) -> bool:
        return isinstance(text, str) and self.find(text) is not None


def _words(column: pl.Series, code: Literal["Q", "I"]) -> memoryview[int]:
    """An integer column without nulls as a memoryview of machine words (`code`: Q or I)."""
    array = column.rechunk().to_arrow()
    data = array.buffers()[1]
    if data is None:  # no rows
        return memoryview(b"").cast(code)
    return memoryview(data).cast(code)[array.offset : array.offset + len(array)]
