"""The annotate screen driven by keys (Pilot), asserting on the session and the journal."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest

from labeler.domain.labels import LabelStatus
from labeler.errors import UsageError
from labeler.storage.dataset import Dataset
from labeler.storage.labelset import current_labels
from labeler.storage.posts import posts_table, write_posts
from labeler.storage.store import LabelStore
from labeler.tui.app import LabelerApp, make_app
from labeler.tui.screens.dialogs import ChooseOne
from labeler.tui.screens.help import HelpScreen
from tests.conftest import make_posts
from tests.tui.conftest import SIZE, MakeApp, shown

# Keys that give a complete label: favor, topic 1 (politics), quality 4; sarcastic keeps
# its default (no). A post that quotes another also needs its stance toward it (g: agree),
# which sits between the two.
FULL = ("f", "tab", "1", "tab", "4", "enter")
FULL_QUOTING = ("f", "g", "tab", "1", "tab", "4", "enter")


def _quotes(app: LabelerApp) -> bool:
    """Whether the post shown asks for stance toward a quoted post."""
    return "quote" in app.screen.form.contexts  # type: ignore[attr-defined]


async def _label(app: LabelerApp, pilot: object) -> str:
    """Give the post shown a complete label with keys; its id."""
    post_id = app.session.post_id
    assert post_id is not None
    keys = FULL_QUOTING if _quotes(app) else FULL
    await pilot.press(*keys)  # type: ignore[attr-defined]
    return post_id


def _current(dataset: Dataset) -> dict[str, dict[str, object]]:
    rows = current_labels(dataset).collect().to_dicts()
    return {r["post_id"]: r for r in rows if r["annotator"] == "alice"}


async def test_three_posts_labelled_with_keys_are_saved(demo: Dataset, app_for: MakeApp) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        labelled = [await _label(app, pilot) for _ in range(3)]
        assert app.session.progress().done == 3
        assert "SAVED" in shown(app, "#status")
    labels = _current(demo)
    assert sorted(labels) == sorted(labelled)
    values = labels[labelled[0]]["values"]
    assert isinstance(values, dict)
    assert (values["stance_target"], values["topics"], values["quality"]) == (
        "favor",
        ["politics"],
        4,
    )
    assert values["sarcastic"] is False


async def test_an_incomplete_label_is_not_saved(demo: Dataset, app_for: MakeApp) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        first = app.session.post_id
        await pilot.press("f", "enter")
        assert app.session.post_id == first
        assert "UNSAVED" in shown(app, "#status")
        assert app.session.store.unflushed() == []
    assert _current(demo) == {}


async def test_undo_redo_skip_and_flag(demo: Dataset, app_for: MakeApp) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        first = await _label(app, pilot)
        await pilot.press("ctrl+z")
        assert app.session.post_id == first
        assert app.session.store.current_of(first) is None
        await pilot.press("ctrl+y")
        assert app.session.store.current_of(first) is not None
        skipped = app.session.post_id
        await pilot.press("ctrl+k")
        flagged = app.session.post_id
        await pilot.press("ctrl+f", "escape")  # cancelled: nothing recorded
        assert app.session.post_id == flagged
        await pilot.press("ctrl+f", *"spam", "enter")
        assert skipped and flagged and skipped != flagged
    labels = _current(demo)
    assert labels[skipped]["status"] == LabelStatus.SKIPPED
    assert labels[flagged]["status"] == LabelStatus.FLAGGED
    assert labels[flagged]["review"] == "spam"
    assert labels[first]["status"] == LabelStatus.LABELLED


async def test_going_back_shows_the_label_given(app_for: MakeApp) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        first = await _label(app, pilot)
        await pilot.press("left")
        assert app.session.post_id == first
        assert "Favor" in shown(app, "#fields")
        await pilot.press("right")
        assert app.session.post_id != first


async def test_a_new_session_resumes_at_the_first_undecided_post(app_for: MakeApp) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await _label(app, pilot)
        second = app.session.post_id
    again = app_for()
    async with again.run_test(size=SIZE) as pilot:
        assert again.session.post_id == second
        assert again.session.progress().done == 1


async def test_help_lists_commands_and_the_schema_keys(app_for: MakeApp) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        rows = {(keys, what) for _, keys, what in app.screen.rows}
        assert ("ctrl+k", "Skip") in rows and ("? / f1", "Help") in rows
        assert ("s", "Sarcastic: yes / no") in rows and (
            "f",
            "Stance toward the target: Favor",
        ) in rows
        await pilot.press("escape")
        assert app.screen.__class__.__name__ == "AnnotateScreen"


HOSTILE = "[bold]x[/bold] [link=http://evil]y[/link] \x1b[31mred\x1b[0m \x07 \x9b2J"


async def test_page_text_is_shown_literally(dataset: Dataset) -> None:
    """Markup and escape sequences from a page are neither parsed nor sent to the terminal."""
    first, second = make_posts(2, thread="[red]Thread[/red] \x1b]0;title\x07")
    posts = [replace(first, body=HOSTILE, author="[b]eve[/b]"), replace(second, body=HOSTILE)]
    write_posts(dataset.posts_dir / "posts.parquet", posts_table(posts))
    app = make_app(dataset.root, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        body, meta, thread = shown(app, "#body"), shown(app, "#meta"), shown(app, "#thread")
        assert "[bold]x[/bold] [link=http://evil]y[/link]" in body
        assert "␛[31mred␛[0m ␇ \\x9b2J" in body
        assert "[b]eve[/b]" in meta
        assert "[red]Thread[/red] ␛]0;title␇" in thread
        await pilot.press("right")  # the second post quotes the first: the parent box too
        assert "[bold]x[/bold]" in shown(app, "#parent")
        rendered = app.export_screenshot()
        assert "\x1b" not in rendered and "evil" in rendered


def test_a_key_file_that_clashes_with_the_schema_is_refused(
    tmp_path: Path, app_for: MakeApp
) -> None:
    keys = tmp_path / "keys.toml"
    keys.write_text('[keys]\n"session.skip" = "f"\n')
    with pytest.raises(UsageError, match=r"key conflict: f: session\.skip and schema x-key"):
        app_for(key_file=keys)


async def test_a_remapped_key_works(tmp_path: Path, demo: Dataset, app_for: MakeApp) -> None:
    keys = tmp_path / "keys.toml"
    keys.write_text('[keys]\n"session.skip" = "ctrl+s"\n')
    app = app_for(key_file=keys)
    async with app.run_test(size=SIZE) as pilot:
        first = app.session.post_id
        await pilot.press("ctrl+s")
        assert app.session.post_id != first
    assert _current(demo)[str(first)]["status"] == LabelStatus.SKIPPED


async def test_an_internal_error_is_logged_and_the_session_closed(
    demo: Dataset, app_for: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = app_for()

    def broken() -> None:
        raise RuntimeError("a bug in an action")

    async def run() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await _label(app, pilot)
            monkeypatch.setattr(app.screen, "action_skip", broken)
            await pilot.press("ctrl+k")

    with pytest.raises(RuntimeError, match="a bug in an action"):  # Pilot re-raises it
        await run()
    assert app.return_code == 1
    assert app.crash_log is not None
    assert "a bug in an action" in app.crash_log.read_text()
    assert len(_current(demo)) == 1  # flushed: the label is in a label file
    with LabelStore.open(demo, "alice"):  # the lock was released
        pass


async def test_the_command_palette_runs_our_commands(demo: Dataset, app_for: MakeApp) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        first = app.session.post_id
        await pilot.press("ctrl+p")
        await pilot.press(*"session: skip")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.post_id != first
    assert _current(demo)[str(first)]["status"] == LabelStatus.SKIPPED


async def test_filter_to_my_flagged_posts_and_back(demo: Dataset, app_for: MakeApp) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        flagged = app.session.post_id
        await pilot.press("ctrl+f", *"check", "enter")
        await _label(app, pilot)
        await pilot.press("ctrl+l", "f")
        assert app.session.post_id == flagged
        assert "flagged 1/1" in shown(app, "#status")
        await pilot.press("ctrl+l", "escape")  # cancelled: the filter stays
        assert "flagged 1/1" in shown(app, "#status")
        await pilot.press("ctrl+l", "u")
        assert "flagged" not in shown(app, "#status")
        assert app.session.post_id not in (flagged, None)


async def test_quitting_with_an_unsaved_label_asks_first(app_for: MakeApp) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f", "ctrl+q")
        assert isinstance(app.screen, ChooseOne)
        await pilot.press("n")
        assert app.is_running and "UNSAVED" in shown(app, "#status")
        await pilot.press("ctrl+q", "y")
        await pilot.pause()
        assert not app.is_running


async def test_quit_remapped_still_asks_about_an_unsaved_label(
    tmp_path: Path, app_for: MakeApp
) -> None:
    keys = tmp_path / "keys.toml"
    keys.write_text('[keys]\n"app.quit" = "ctrl+x"\n')
    app = app_for(key_file=keys)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f", "ctrl+x")
        assert isinstance(app.screen, ChooseOne)
        await pilot.press("y")
        await pilot.pause()
        assert not app.is_running


async def test_a_news_paragraph_is_shown_between_its_neighbours(
    demo: Dataset, app_for: MakeApp
) -> None:
    paragraphs = (
        demo.posts()
        .filter(pl.col("kind") == "paragraph")
        .sort("thread_id", "position")
        .select("post_id", "body")
        .collect()
    )
    (first, first_body), (second, _), (_, third_body) = paragraphs.head(3).rows()
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+g", *second, "enter")
        assert app.session.post_id == second
        assert first_body[:30] in shown(app, "#before")
        assert third_body[:30] in shown(app, "#after")
        await pilot.press("ctrl+g", *first, "enter")  # the first has nothing before it
        assert not app.screen.query_one("#before").display
        await pilot.press("ctrl+g", *forum_post(demo), "enter")
        assert not app.screen.query_one("#after").display  # a forum post: no neighbours


def forum_post(dataset: Dataset) -> str:
    """A forum post of the demo dataset (not a news paragraph)."""
    posts = dataset.posts().filter(pl.col("kind") == "post").select("post_id").collect()
    return str(posts["post_id"][0])
