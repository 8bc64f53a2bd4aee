"""The annotate screen: one post with its context, the label form, progress and saved state.

Every key is a binding (commands, the schema's x-keys, numbers), handled in the order
typed, and goes to the session or the form at once; the only slow work (reading a post's
text) is a lookup in the post reader's cache, warmed by a worker for the next posts.
"""

from __future__ import annotations

import gc
import time
from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from labeler.domain.labels import LabelStatus
from labeler.errors import LabelerError
from labeler.session import LabellingSession
from labeler.storage.postreader import PostReader, PostView
from labeler.storage.selection import PostFilter
from labeler.tui import render
from labeler.tui.form import LabelForm
from labeler.tui.keys import NUMBER_KEYS, KeyMap, default_bindings, key_name, shown_keys
from labeler.tui.screens.dialogs import AskLine, ChooseOne
from labeler.tui.screens.help import HelpScreen

PREFETCH = 5
FILTERS = (
    ("u", PostFilter.UNDECIDED.value, "posts I have not decided (the queue)"),
    ("f", PostFilter.FLAGGED.value, "posts I flagged"),
    ("m", PostFilter.MINE.value, "posts I have decided"),
    ("t", PostFilter.THREAD.value, "every post of this thread, in order"),
)


class AnnotateScreen(Screen[None]):
    """Label the session's posts one by one."""

    BINDINGS: ClassVar[list[BindingType]] = default_bindings()

    def __init__(self, session: LabellingSession, posts: PostReader, keymap: KeyMap) -> None:
        super().__init__()
        self.session = session
        self.posts = posts
        self.keymap = keymap
        self.form = LabelForm(session.store.schema)
        self.saved = "saved"
        self.guideline = False
        self.shown_at = time.monotonic()
        self._bind_form_keys()

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            with VerticalScroll(id="post"):
                yield Static(id="thread")
                yield Static(id="parent")
                yield Static(id="meta")
                yield Static(id="before")
                yield Static(id="body")
                yield Static(id="after")
            with Vertical(id="labels"):
                yield Static(id="fields")
                yield Static(id="choices")
        yield Static(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.show_post()
        # Everything loaded so far (libraries, the session's columns) lives as long as the
        # app: keep it out of the collector's full passes, which otherwise cost 50-80 ms
        # here and land on keystrokes.
        gc.freeze()

    # ------------------------------------------------------------------ showing
    def show_post(self) -> None:
        """Show the session's current post with its label, or the all-done message."""
        post_id = self.session.post_id
        self.guideline = False
        self.shown_at = time.monotonic()
        if post_id is None:
            self._show_done()
            return
        post = self.posts.get(post_id)
        parent = self.posts.parent(post)
        quoted = post.quotes[0] if post.quotes else None
        self.form = LabelForm(self.session.store.schema, _contexts(parent, quoted))
        current = self.session.current_label()
        if current is not None and current.status is LabelStatus.LABELLED:
            self.form.reset(current.values)
        self.query_one("#thread", Static).update(render.thread_header(post))
        box = render.parent_box(parent, quoted)
        self.query_one("#parent", Static).update(box or "")
        self.query_one("#parent", Static).display = box is not None
        self.query_one("#meta", Static).update(render.post_meta(post))
        self.query_one("#body", Static).update(render.post_body(post))
        self._show_context(post)
        self.query_one("#post", VerticalScroll).scroll_home(animate=False)
        self.refresh_form()
        self.prefetch()

    def _show_context(self, post: PostView) -> None:
        """A news paragraph is shown between its neighbours in the article."""
        before, after = self.posts.around(post) if post.kind == "paragraph" else (None, None)
        for name, view, where in (("#before", before, "before"), ("#after", after, "after")):
            shown = render.neighbour(view, where)
            widget = self.query_one(name, Static)
            widget.update(shown or "")
            widget.display = shown is not None

    def _show_done(self) -> None:
        for name in ("#before", "#after"):
            self.query_one(name, Static).display = False
        for name in ("#thread", "#parent", "#meta"):
            self.query_one(name, Static).update("")
        self.query_one("#body", Static).update(self._all_done())
        self.query_one("#fields", Static).update("")
        self.query_one("#choices", Static).update("")
        self.refresh_status()

    def _all_done(self) -> str:
        """What to say when every post of the queue or filter is decided (with the keys
        as this annotator has them)."""
        keys = {c: shown_keys(self.keymap.keys_of(c)) for c in ("session.undo", "nav.goto")}
        return (
            "Every post in the queue is decided.\n\n"
            f"{keys['session.undo']} undoes the last decision, {keys['nav.goto']} goes to a "
            "post by id, and the command palette (ctrl+p) has the rest."
        )

    def refresh_form(self) -> None:
        """Redraw the label panel and the status line."""
        if self.session.post_id is not None:
            fields = self.query_one("#fields", Static)
            fields.update(render.field_summary(self.form))
            choices = render.focused_choices(self.form, guideline=self.guideline)
            self.query_one("#choices", Static).update(choices)
        self.refresh_status()

    def refresh_status(self) -> None:
        """Redraw progress and the saved indicator."""
        schema = self.session.store.schema
        line = render.status_line(
            self.session.progress(),
            self.session.store.annotator,
            f"{schema.name} {schema.version}",
            self.saved,
            self.session.post_id,
            self._where(),
        )
        self.query_one("#status", Static).update(line)

    def _where(self) -> str | None:
        """The filter walked and the post's place in it ("flagged 2/7"), if one is on."""
        selection, post_id = self.session.selection, self.session.post_id
        if selection is None:
            return None
        place = selection.position(post_id) if post_id else None
        return f"{selection.kind} {place or '-'}/{len(selection):,}"

    @work(thread=True, exclusive=True, group="prefetch")
    def prefetch(self) -> None:
        """Warm the post reader for the next undecided posts (never touches widgets)."""
        self.posts.prefetch(self.session.queue.upcoming(PREFETCH))

    # ------------------------------------------------------------------ keys
    def _bind_form_keys(self) -> None:
        """The schema's x-keys and the number keys as bindings of this screen.

        They must be bindings like the commands, not a key handler: a key handler runs in
        the screen's message queue and bindings in the app's, so typing `tab 1` quickly
        could apply the 1 before the tab moved the focus.
        """
        self._schema_keys = list(self.form.schema.keys())
        for i, character in enumerate(self._schema_keys):
            self._bindings.bind(key_name(character), f"schema_key({i})", show=False)
        for number in NUMBER_KEYS:
            self._bindings.bind(number, f"number({number})", show=False)

    def action_schema_key(self, index: int) -> None:
        """An x-key of the schema: set its value (or toggle its flag)."""
        if self.session.post_id is not None and self.form.press(self._schema_keys[index]):
            self._edited()

    def action_number(self, number: int) -> None:
        """Choose the n-th value of the focused field."""
        if self.session.post_id is not None and self.form.number(number):
            self._edited()

    def _edited(self) -> None:
        self.saved = "unsaved"
        self.refresh_form()

    def _decided(self) -> None:
        self.saved = "saved"
        self.show_post()
        if self.session.store.flush_due:
            self.flush()

    @work(thread=True, exclusive=True, group="flush")
    def flush(self) -> None:
        """Write the decisions of the last batch to a label file (they are already safe in
        the journal); a failure is shown, and the next batch tries again."""
        try:
            self.session.store.flush()
        except LabelerError as exc:
            message = f"Labels stay in the journal for now: {exc.message}"
            self.app.call_from_thread(self.notify, message, severity="warning")

    def _elapsed_ms(self) -> int:
        return int((time.monotonic() - self.shown_at) * 1000)

    def _attempt(self, act: Any) -> bool:
        """Run a session call; a refused decision is shown, nothing is lost."""
        try:
            act()
        except LabelerError as exc:
            self.saved = "error" if self.saved == "unsaved" else self.saved
            self.notify(exc.message + (f". {exc.hint}" if exc.hint else ""), severity="error")
            self.refresh_status()
            return False
        return True

    # ------------------------------------------------------------------ actions
    def action_commit(self) -> None:
        """Save the form as this post's label and go to the next post."""
        if self.session.post_id is None:
            return
        missing = self.form.missing()
        if missing:
            names = ", ".join(spec.title for spec in missing)
            self.notify(f"Still to answer: {names}", severity="warning")
            return
        if self._attempt(lambda: self.session.apply(self.form.record(), self._elapsed_ms())):
            self._decided()

    def action_choose(self) -> None:
        """Choose (or toggle) the highlighted value of the focused field."""
        if self.session.post_id is not None and self.form.toggle():
            self._edited()

    def action_field(self, step: int) -> None:
        """Move the focus to another field."""
        if self.session.post_id is not None:
            self.form.move_field(step)
            self.refresh_form()

    def action_value(self, step: int) -> None:
        """Move the highlight within the focused field."""
        if self.session.post_id is not None:
            self.form.move_cursor(step)
            self.refresh_form()

    def action_guideline(self) -> None:
        """Show or hide the guideline of the highlighted value."""
        self.guideline = not self.guideline
        self.refresh_form()

    def action_note(self) -> None:
        """Edit the schema's free-text field (the note)."""
        spec = next((f for f in self.form.fields if f.kind.value == "text"), None)
        if self.session.post_id is None or spec is None:
            return

        def done(text: str | None) -> None:
            if text is not None:
                self.form.set_text(spec, text)
                self._edited()

        current = str(self.form.values.get(spec.name) or "")
        self.app.push_screen(AskLine(spec.title, current), done)

    def action_skip(self) -> None:
        """Skip this post (a decision: it leaves the queue)."""
        if self.session.post_id is not None and self._attempt(
            lambda: self.session.skip(self._elapsed_ms())
        ):
            self._decided()

    def action_flag(self) -> None:
        """Flag this post for review: ask why (Escape cancels), keep complete values."""
        if self.session.post_id is None:
            return
        values = self.form.record() if not self.form.missing() else {}
        elapsed = self._elapsed_ms()

        def done(reason: str | None) -> None:
            if reason is not None and self._attempt(
                lambda: self.session.flag(values, elapsed, reason.strip())
            ):
                self._decided()

        question = "Why flag this post? (Enter to flag, Escape to cancel)"
        self.app.push_screen(AskLine(question, placeholder="e.g. not in English"), done)

    def action_undo(self) -> None:
        """Retract the latest decision and show its post again."""
        if self._attempt(self.session.undo):
            self.saved = "saved"
            self.show_post()

    def action_redo(self) -> None:
        """Make the last undone decision again."""
        if self._attempt(self.session.redo):
            self._decided()

    def action_next_post(self) -> None:
        """Go to the next post without deciding this one."""
        self.session.next()
        self.saved = "saved"
        self.show_post()

    def action_previous_post(self) -> None:
        """Go back to the post shown before."""
        if self.session.previous() is not None:
            self.saved = "saved"
            self.show_post()

    def action_goto(self) -> None:
        """Jump to a post by its id."""

        def done(post_id: str | None) -> None:
            if post_id and self._attempt(lambda: self.session.go_to(post_id.strip())):
                self.saved = "saved"
                self.show_post()

        self.app.push_screen(AskLine("Go to post id", placeholder="p0123456789abcdef"), done)

    def action_filter(self) -> None:
        """Choose which posts to walk through: undecided, flagged, mine, this thread."""

        def done(kind: str | None) -> None:
            if kind is None:
                return
            count = self.session.select(PostFilter(kind))
            self.notify(f"{kind}: {count:,} post(s)")
            self.saved = "saved"
            self.show_post()

        self.app.push_screen(ChooseOne("Show which posts?", FILTERS), done)

    def request_quit(self) -> None:
        """Quit; a label chosen but not saved yet is only dropped once confirmed."""
        if self.saved != "unsaved":
            self.app.exit()
            return

        def done(answer: str | None) -> None:
            if answer == "yes":
                self.app.exit()

        options = [("y", "yes", "quit, dropping it"), ("n", "no", "go back to the post")]
        self.app.push_screen(ChooseOne("This post's label is not saved yet.", options), done)

    def action_help(self) -> None:
        """Show every key."""
        self.app.push_screen(HelpScreen(self.keymap))


def _contexts(parent: object | None, quoted: object | None) -> frozenset[str]:
    """The form contexts of a post: `quote` when it replies to another post."""
    return frozenset({"quote"}) if parent is not None or quoted is not None else frozenset()
