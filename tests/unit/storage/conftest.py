"""Shared by the label-store tests: a valid label, and events written without a store."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from labeler.domain.labels import LabelEvent, LabelStatus
from labeler.domain.schema import LabelSchema

# A complete, valid post-labels 2.0.0 record.
GOOD: dict[str, Any] = {
    "stance_target": "favor",
    "topics": ["politics"],
    "quality": 4,
    "sarcastic": False,
}


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
