"""The undecided-posts queue: orders, reproducibility, cursor, decisions and undo."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from labeler.domain.ids import post_id_for, thread_id_for
from labeler.storage.queue import Queue, QueueOrder, queue_order


def posts(threads: dict[str, int], *, interleave: bool = False) -> pl.LazyFrame:
    """Posts of threads (title -> size) as the dataset lists them (optionally interleaved)."""
    rows: list[dict[str, object]] = []
    for title, size in threads.items():
        tid = thread_id_for("example.org", title)
        rows.extend(
            {"post_id": post_id_for("s", tid, i, f"{title} {i}"), "thread_id": tid, "position": i}
            for i in range(1, size + 1)
        )
    if interleave:
        rows = rows[::2] + rows[1::2]
    return pl.LazyFrame(rows)


def test_document_order_keeps_threads_together_in_first_seen_order() -> None:
    frame = posts({"B": 3, "A": 2}, interleave=True)
    ordered = queue_order(frame, QueueOrder.DOCUMENT).to_list()
    table = frame.collect()
    threads = dict(zip(table["post_id"], table["thread_id"], strict=True))
    positions = dict(zip(table["post_id"], table["position"], strict=True))
    assert [threads[p] for p in ordered] == [thread_id_for("example.org", t) for t in "BBBAA"]
    assert [positions[p] for p in ordered] == [1, 2, 3, 1, 2]


def test_random_order_is_reproducible_and_depends_on_the_seed() -> None:
    frame = posts({"A": 30, "B": 30})
    first = queue_order(frame, QueueOrder.RANDOM, seed=1).to_list()
    assert first == queue_order(frame, QueueOrder.RANDOM, seed=1).to_list()
    assert first != queue_order(frame, QueueOrder.RANDOM, seed=2).to_list()
    assert sorted(first) == sorted(frame.collect()["post_id"].to_list())
    assert first != queue_order(frame, QueueOrder.DOCUMENT).to_list()


def test_random_order_does_not_move_when_posts_are_added() -> None:
    """A post's place comes from its own id, so adding page 2 keeps page 1's relative order."""
    small = queue_order(posts({"A": 10}), QueueOrder.RANDOM, seed=5).to_list()
    large = queue_order(posts({"A": 10, "B": 10}), QueueOrder.RANDOM, seed=5).to_list()
    assert [p for p in large if p in small] == small


def test_thread_order_shuffles_threads_and_keeps_positions() -> None:
    frame = posts({f"T{i}": 4 for i in range(8)})
    ordered = queue_order(frame, QueueOrder.THREAD, seed=3).to_list()
    table = frame.collect()
    threads = dict(zip(table["post_id"], table["thread_id"], strict=True))
    positions = dict(zip(table["post_id"], table["position"], strict=True))
    runs = [threads[p] for p in ordered[::4]]
    assert len(set(runs)) == 8, "each thread is one contiguous run"
    assert all(threads[p] == runs[i // 4] for i, p in enumerate(ordered))
    assert [positions[p] for p in ordered] == [1, 2, 3, 4] * 8
    document = queue_order(frame, QueueOrder.DOCUMENT).to_list()
    assert ordered != document


def test_ids_made_elsewhere_still_get_a_stable_random_place() -> None:
    frame = pl.LazyFrame(
        {"post_id": ["x1", "post-2", "ü3"], "thread_id": ["t"] * 3, "position": [1, 2, 3]}
    )
    assert sorted(queue_order(frame, QueueOrder.RANDOM).to_list()) == ["post-2", "x1", "ü3"]
    assert queue_order(frame, QueueOrder.THREAD).to_list() == ["x1", "post-2", "ü3"]


def test_queue_resumes_at_the_first_undecided_and_follows_decisions() -> None:
    queue = Queue(["a", "b", "c", "d"], decided=["a", "c", "zz"])
    assert queue.remaining == 2
    assert queue.next() == "b"
    queue.decide("b")
    assert queue.next() == "d"
    queue.decide("d")
    assert queue.next() is None and queue.remaining == 0
    queue.reopen("b")  # undo
    assert queue.next() == "b" and queue.remaining == 1


def test_next_wraps_to_posts_before_the_cursor() -> None:
    queue = Queue(["a", "b", "c"])
    queue.decide("a")
    assert queue.next() == "b"
    queue.reopen("a")
    queue.decide("b")
    queue.decide("c")
    queue.cursor = 2
    assert queue.next() == "a"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.text(min_size=1, max_size=6), unique=True, max_size=40),
    st.data(),
)
def test_every_undecided_post_comes_exactly_once(ids: list[str], data: st.DataObject) -> None:
    decided = data.draw(st.sets(st.sampled_from(ids))) if ids else set()
    queue = Queue(ids, decided)
    seen = []
    while (post := queue.next()) is not None:
        seen.append(post)
        queue.decide(post)
    assert seen == [p for p in ids if p not in decided]


@pytest.mark.parametrize("order", list(QueueOrder))
def test_every_order_lists_every_post_once(order: QueueOrder) -> None:
    frame = posts({"A": 5, "B": 7, "C": 1})
    ordered = queue_order(frame, order, seed=9).to_list()
    assert sorted(ordered) == sorted(frame.collect()["post_id"].to_list())


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("ABC"), st.integers(0, 4)), max_size=25))
def test_document_order_matches_the_definition(rows: list[tuple[str, int]]) -> None:
    """Threads by first appearance, then position, then file order; data already in that
    order (the fast path) and data that is not give the same answer as the definition."""
    frame = pl.DataFrame(
        {
            "post_id": [f"p{i}" for i in range(len(rows))],
            "thread_id": [thread for thread, _ in rows],
            "position": [position for _, position in rows],
        },
        schema={"post_id": pl.String, "thread_id": pl.String, "position": pl.Int64},
    )
    first = {thread: i for i, (thread, _) in reversed(list(enumerate(rows)))}
    expected = sorted(range(len(rows)), key=lambda i: (first[rows[i][0]], rows[i][1], i))
    got = queue_order(frame.lazy(), QueueOrder.DOCUMENT).to_list()
    assert got == [f"p{i}" for i in expected]
    ordered = frame[expected] if expected else frame
    again = queue_order(ordered.lazy(), QueueOrder.DOCUMENT).to_list()
    assert again == ordered["post_id"].to_list()


def test_after_and_upcoming_skip_decided_posts_and_wrap() -> None:
    queue = Queue(["a", "b", "c", "d"], decided=["c"])
    assert queue.upcoming(10) == ["a", "b", "d"]
    assert queue.after("b") == "d"
    assert queue.after("d") == "a"  # wraps around
    assert queue.upcoming(2) == ["a", "b"]
    for post in ("a", "b", "d"):
        queue.decide(post)
    assert queue.after("a") is None and queue.upcoming(3) == []
    assert queue.after("zz") is None  # not queued: the next undecided, none left
