"""Label decisions as immutable events; the current label is derived, never overwritten."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class LabelStatus(StrEnum):
    """What an event records about a (post, annotator) pair."""

    LABELLED = "labelled"
    SKIPPED = "skipped"
    FLAGGED = "flagged"
    RETRACTED = "retracted"  # undo: cancels the event named in `supersedes`


@dataclass(frozen=True, slots=True)
class LabelEvent:
    """One decision by one annotator on one post (DESIGN.md "Label storage")."""

    label_id: str
    post_id: str
    annotator: str
    schema_id: str
    schema_version: str
    values: Mapping[str, Any]
    status: LabelStatus
    created_at: datetime
    supersedes: str | None = None
    duration_ms: int | None = None
    review: str | None = None  # why it needs a second look: a flag's reason, a migration's
