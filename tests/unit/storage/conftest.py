"""Fixtures shared by the label-store tests: a dataset with posts, their ids, a valid label."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from labeler.domain.labels import LabelEvent, LabelStatus
from labeler.domain.schema import LabelSchema
from labeler.storage.dataset import Dataset
from labeler.storage.posts import posts_table, write_posts
from tests.conftest import make_posts

# A complete, valid post-labels 2.0.0 record.
GOOD: dict[str, Any] = {
    "stance_target": "favor",
    "topics": ["politics"],
    "quality": 4,
    "sarcastic": False,
}


@pytest.fixture
def ds(dataset: Dataset) -> Dataset:
    """A dataset with three posts."""
    write_posts(dataset.posts_dir / "posts.parquet", posts_table(make_posts(3)))
    return dataset


@pytest.fixture
def ids(ds: Dataset) -> list[str]:
    """The post ids of `ds`, in order."""
    return list(ds.posts().select("post_id").collect()["post_id"])


def event(label_id: str, post_id: str, schema: LabelSchema, minute: int = 0) -> LabelEvent:
    """A labelled event by alice, written directly (not through a store)."""
    return LabelEvent(
        label_id,
        post_id,
        "alice",
        schema.schema_id,
        schema.version,
        {"stance_target": "favor", "topics": ["politics"], "quality": 3},
        LabelStatus.LABELLED,
        datetime(2026, 1, 1, 12, minute, tzinfo=UTC),
    )
