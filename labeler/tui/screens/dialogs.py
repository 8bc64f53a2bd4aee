"""Small modal dialogs: one line of input (a note, a post id) or one key among a few
options; Escape cancels."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class AskLine(ModalScreen[str | None]):
    """Ask for one line of text; dismissed with it (Enter) or with None (Escape)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel")
    ]

    def __init__(self, question: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.question = question
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.question, markup=False, id="question")
            yield Input(self.value, placeholder=self.placeholder, id="answer")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter: give back the text typed."""
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        """Escape: give back nothing."""
        self.dismiss(None)


class ChooseOne(ModalScreen[str | None]):
    """Pick one of a few options with a single key; Escape picks none."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel")
    ]

    def __init__(self, question: str, options: Sequence[tuple[str, str, str]]) -> None:
        """`options`: (key, value given back, what it means)."""
        super().__init__()
        self.question = question
        self.options = list(options)
        for key, value, _ in self.options:
            self._bindings.bind(key, f"choose({value!r})", show=False)

    def compose(self) -> ComposeResult:
        lines = "\n".join(f"  {key}  {words}" for key, _, words in self.options)
        with Vertical(id="dialog"):
            yield Static(self.question, markup=False, id="question")
            yield Static(lines + "\n\n  Escape  cancel", markup=False)

    def action_choose(self, value: str) -> None:
        """A key of an option: give back its value."""
        self.dismiss(value)

    def action_cancel(self) -> None:
        """Escape: give back nothing."""
        self.dismiss(None)
