"""Post ids as numbers: exact for our ids (all 64 bits), stable digests for others."""

from __future__ import annotations

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from labeler.storage.idindex import IdIndex, id_number, id_numbers, numbered

OURS = ["p0000000000000000", "p85d542f12faf23a5", "tffffffffffffffff"]
FOREIGN = ["reddit:t3_abc", "P85D542F12FAF23A5", "p85d542f12faf23a", "é85d542f12faf23a5"]


def test_our_ids_are_their_own_digits_up_to_the_top_bit() -> None:
    numbers, exact = numbered(pl.Series("post_id", OURS))
    assert numbers.to_list() == [0, 0x85D542F12FAF23A5, (1 << 64) - 1]
    assert exact
    assert [id_number(text) for text in OURS] == numbers.to_list()


def test_other_ids_get_the_same_digest_one_by_one_and_in_bulk() -> None:
    numbers, exact = numbered(pl.Series("post_id", OURS + FOREIGN))
    assert not exact
    assert numbers.null_count() == 0
    assert numbers.to_list() == [id_number(text) for text in OURS + FOREIGN]


@given(st.lists(st.text(min_size=1, max_size=20), unique=True, max_size=30), st.text(max_size=20))
def test_index_finds_every_id_and_nothing_else(ids: list[str], other: str) -> None:
    index = IdIndex(pl.Series("post_id", ids + OURS if not set(OURS) & set(ids) else ids))
    for row, text in enumerate(index.ids):
        assert index.find(text) == row
    assert (other in index) == (other in index.ids.to_list())
    assert id_numbers(index.ids).len() == len(index)
