"""The current-label rule of labelset.current_of against a plain reading of DESIGN.md."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from labeler.storage.labelset import current_of

_START = datetime(2026, 1, 1, tzinfo=UTC)
_STATUSES = ["labelled", "skipped", "flagged", "retracted"]


@st.composite
def event_logs(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Events on few posts, annotators and minutes, so re-labels, undos and ties are common."""
    rows: list[dict[str, Any]] = []
    for i in range(draw(st.integers(0, 30))):
        status = draw(st.sampled_from(_STATUSES))
        earlier = [r["label_id"] for r in rows]
        pick = bool(earlier) and draw(st.booleans())
        target = draw(st.sampled_from(earlier)) if pick else None
        rows.append(
            {
                "label_id": f"l{draw(st.integers(0, 99)):02d}-{i:02d}",
                "post_id": draw(st.sampled_from(["p1", "p2", "p3"])),
                "annotator": draw(st.sampled_from(["ann", "bob"])),
                "status": status,
                "supersedes": target,
                "created_at": _START + timedelta(minutes=draw(st.integers(0, 5))),
            }
        )
    return rows


def _expected(rows: list[dict[str, Any]]) -> dict[tuple[str, str], str]:
    """Latest event per (post, annotator), by (time, label_id), neither a retraction nor
    retracted by one."""
    undone = {r["supersedes"] for r in rows if r["status"] == "retracted"}
    live = [r for r in rows if r["status"] != "retracted" and r["label_id"] not in undone]
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for row in sorted(live, key=lambda r: (r["created_at"], r["label_id"])):
        found[row["post_id"], row["annotator"]] = row
    return {key: row["label_id"] for key, row in found.items()}


@settings(max_examples=300, deadline=None)
@given(event_logs())
def test_current_of_follows_the_rule(rows: list[dict[str, Any]]) -> None:
    schema: dict[str, pl.DataType] = {
        "label_id": pl.String(),
        "post_id": pl.String(),
        "annotator": pl.String(),
        "status": pl.String(),
        "supersedes": pl.String(),
        "created_at": pl.Datetime("us", "UTC"),
    }
    frame = pl.DataFrame(rows, schema=schema)
    current = current_of(frame.lazy()).collect()
    got = {(r["post_id"], r["annotator"]): r["label_id"] for r in current.iter_rows(named=True)}
    assert got == _expected(rows)
    assert current.columns == list(schema)
    keys = current.select("post_id", "annotator").rows()
    assert keys == sorted(keys)
