"""Fixtures shared by the label-store tests: a dataset with posts, their ids, a valid label."""

from __future__ import annotations

from typing import Any

import pytest

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
