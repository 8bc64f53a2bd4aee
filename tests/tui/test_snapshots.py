"""SVG snapshots of the screens that matter, at 80x24 (review them when they change:
`pytest tests/tui/test_snapshots.py --snapshot-update`, then look at the SVGs)."""

from __future__ import annotations

from typing import Any

from tests.tui.conftest import SIZE, MakeApp


def test_annotate_screen(snap_compare: Any, app_for: MakeApp) -> None:
    assert snap_compare(app_for(), terminal_size=SIZE)


def test_annotate_screen_while_labelling(snap_compare: Any, app_for: MakeApp) -> None:
    """A value chosen, the focus on the topics with one ticked: UNSAVED until enter."""
    assert snap_compare(app_for(), terminal_size=SIZE, press=["f", "tab", "1", "3", "ctrl+o"])


def test_a_post_replying_to_another(snap_compare: Any, app_for: MakeApp) -> None:
    """The quoted parent set apart, and the stance toward it asked."""
    assert snap_compare(
        app_for(), terminal_size=SIZE, press=["ctrl+g", *"p84bcd2cd57c3e26a", "enter"]
    )


def test_help_screen(snap_compare: Any, app_for: MakeApp) -> None:
    assert snap_compare(app_for(), terminal_size=SIZE, press=["question_mark"])
