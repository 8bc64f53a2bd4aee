"""LabellingSession on a real store and queue: decide, undo, redo, jump, resume, progress."""

from __future__ import annotations

import pytest

from labeler.domain.labels import LabelStatus
from labeler.errors import LabelValidationError, UsageError
from labeler.session import LabellingSession
from labeler.storage.dataset import Dataset
from labeler.storage.labelset import current_labels
from labeler.storage.queue import QueueOrder
from labeler.storage.selection import PostFilter
from tests.unit.storage.conftest import GOOD


class FakeClock:
    """Seconds that advance only when told."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_decisions_advance_the_queue_and_are_saved(ds: Dataset, ids: list[str]) -> None:
    with LabellingSession.open(ds, "alice") as session:
        assert session.post_id == ids[0]  # document order
        labelled = session.apply(GOOD, duration_ms=800)
        assert (labelled.post_id, session.post_id) == (ids[0], ids[1])
        session.skip()
        flagged = session.flag({**GOOD, "quality": 2})
        assert flagged.status is LabelStatus.FLAGGED
        assert _shown(session) is None
        with pytest.raises(UsageError, match="every post in the queue is decided"):
            session.apply(GOOD)
    current = current_labels(ds).collect()
    assert dict(zip(current["post_id"], current["status"], strict=True)) == {
        ids[0]: "labelled",
        ids[1]: "skipped",
        ids[2]: "flagged",
    }


def test_an_invalid_label_changes_nothing(ds: Dataset, ids: list[str]) -> None:
    with LabellingSession.open(ds, "alice") as session:
        with pytest.raises(LabelValidationError):
            session.apply({**GOOD, "quality": 9})
        assert session.post_id == ids[0]
        assert session.progress().done == 0


def test_undo_brings_the_post_back_and_redo_decides_it_again(ds: Dataset, ids: list[str]) -> None:
    with LabellingSession.open(ds, "alice") as session:
        first = session.apply(GOOD)
        session.apply({**GOOD, "quality": 1})
        retraction = session.undo()
        assert retraction is not None and session.post_id == ids[1]
        assert session.progress().done == 1
        again = session.redo()
        assert again is not None and again.values == {**GOOD, "quality": 1}
        assert session.post_id == ids[2] and session.progress().done == 2
        assert session.redo() is None
        session.undo()
        session.undo()
        assert session.post_id == ids[0] and session.current_label() is None
        session.apply(GOOD)  # a new decision ends the redo chain
        assert session.redo() is None
        assert session.store.history(ids[0])[0] == first


def test_a_session_resumes_at_the_first_undecided_post(ds: Dataset, ids: list[str]) -> None:
    with LabellingSession.open(ds, "alice") as session:
        session.apply(GOOD)
        session.go_to(ids[2])
        session.apply(GOOD)
    with LabellingSession.open(ds, "alice") as session:
        assert session.post_id == ids[1]
        assert session.progress().done == 2
    with LabellingSession.open(ds, "bob") as session:  # another annotator has their own queue
        assert session.post_id == ids[0]


def test_going_to_a_decided_post_shows_its_label_and_relabels_it(
    ds: Dataset, ids: list[str]
) -> None:
    with LabellingSession.open(ds, "alice") as session:
        first = session.apply(GOOD)
        session.go_to(ids[0])
        assert session.current_label() == first
        second = session.apply({**GOOD, "quality": 5})
        assert second.supersedes == first.label_id
        assert session.post_id == ids[1]
        with pytest.raises(UsageError, match="no post 'nope'"):
            session.go_to("nope")


def test_progress_reports_rate_and_time_left(ds: Dataset) -> None:
    clock = FakeClock()
    with LabellingSession.open(ds, "alice", clock=clock) as session:
        assert session.progress().rate_per_hour is None
        clock.now += 30
        session.apply(GOOD)
        clock.now += 30
        session.apply(GOOD)
        progress = session.progress()
        assert (progress.done, progress.total, progress.remaining) == (2, 3, 1)
        assert progress.rate_per_hour == pytest.approx(120.0)
        assert progress.eta_seconds == pytest.approx(30.0)


@pytest.mark.parametrize("order", list(QueueOrder))
def test_every_order_visits_every_post_once(ds: Dataset, ids: list[str], order: QueueOrder) -> None:
    seen = []
    with LabellingSession.open(ds, "alice", order=order, seed=3) as session:
        while session.post_id is not None:
            seen.append(session.post_id)
            session.skip()
    assert sorted(seen) == sorted(ids)


def _shown(session: LabellingSession) -> str | None:
    """The post shown (read through a call, so the type checker does not pin it)."""
    return session.post_id


def test_previous_and_next_retrace_the_posts_shown(ds: Dataset, ids: list[str]) -> None:
    with LabellingSession.open(ds, "alice") as session:
        assert session.previous() is None  # nothing shown before the first post
        session.apply(GOOD)
        assert session.next() == ids[2]  # moves on without deciding ids[1]
        assert session.previous() == ids[1]
        assert session.previous() == ids[0]
        assert session.current_label() is not None
        assert session.next() == ids[1]
        assert session.next() == ids[2]
        assert session.next() == ids[1]  # past the trail: the next undecided, wrapping
        assert session.progress().done == 1


def test_a_flag_keeps_its_reason_through_journal_and_label_file(
    ds: Dataset, ids: list[str]
) -> None:
    with LabellingSession.open(ds, "alice") as session:
        flagged = session.flag(reason="not in English")
        assert flagged.review == "not in English"
        assert session.store.unflushed()[0].review == "not in English"
        assert current_labels(ds).collect()["review"].to_list() == ["not in English"]
    with LabellingSession.open(ds, "alice") as session:  # read back from the label file
        assert session.store.current_of(ids[0]) == flagged


def test_filters_walk_flagged_mine_and_thread_posts(ds: Dataset, ids: list[str]) -> None:
    with LabellingSession.open(ds, "alice") as session:
        session.apply(GOOD)
        session.flag(reason="unclear")
        assert session.post_id == ids[2]
        assert session.select(PostFilter.FLAGGED) == 1
        assert session.post_id == ids[1]
        assert session.select(PostFilter.MINE) == 2
        assert session.post_id == ids[0]
        session.apply({**GOOD, "quality": 1})  # a relabel moves on inside the filter
        assert session.post_id == ids[1]
        assert session.next() == ids[0]  # wraps inside the filter
        assert session.select(PostFilter.THREAD) == 3  # make_posts: one thread
        assert [session.post_id, session.next(), session.next()] == ids
        assert session.select(PostFilter.UNDECIDED) == 1
        assert session.post_id == ids[2]
    with LabellingSession.open(ds, "alice") as session:  # flags read back from label files
        assert session.select(PostFilter.FLAGGED) == 1 and session.post_id == ids[1]
        session.apply(GOOD)  # the flag is replaced by a label
        assert session.select(PostFilter.FLAGGED) == 0
