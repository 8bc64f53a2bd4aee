"""Fixtures of the core's unit tests: a dataset with three posts, and their ids."""

from __future__ import annotations

import pytest

from labeler.storage.dataset import Dataset
from labeler.storage.posts import posts_table, write_posts
from tests.conftest import make_posts


@pytest.fixture
def ds(dataset: Dataset) -> Dataset:
    """A dataset with three posts."""
    write_posts(dataset.posts_dir / "posts.parquet", posts_table(make_posts(3)))
    return dataset


@pytest.fixture
def ids(ds: Dataset) -> list[str]:
    """The post ids of `ds`, in order."""
    return list(ds.posts().select("post_id").collect()["post_id"])
