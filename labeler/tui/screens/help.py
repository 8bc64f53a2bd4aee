"""The help screen, generated from the key registry (commands, number keys, schema keys)."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from labeler.tui.keys import KeyMap, help_rows


class HelpScreen(ModalScreen[None]):
    """Every key and what it does; Escape, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "close", "Close", id="help.close"),
    ]

    def __init__(self, keymap: KeyMap) -> None:
        super().__init__()
        self.rows = list(help_rows(keymap))  # (group, keys, what), as shown

    def compose(self) -> ComposeResult:
        table = Table("", "keys", "what", box=None, pad_edge=False, expand=True)
        for group, keys, what in self.rows:
            table.add_row(Text(group), Text(keys), Text(what))
        with VerticalScroll(id="help"):
            yield Static("Keys  (Escape closes)", id="help-title")
            yield Static(table)

    def action_close(self) -> None:
        """Back to labelling."""
        self.dismiss(None)
