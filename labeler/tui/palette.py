"""Our commands in the command palette (ctrl+p), read "area: verb", from the key registry."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from labeler.tui.keys import COMMANDS, Command, shown_keys

# Commands a palette is for: not the ones that only move inside the form.
_IN_PALETTE = frozenset(
    {
        "label.commit",
        "label.note",
        "label.guideline",
        "session.skip",
        "session.flag",
        "session.undo",
        "session.redo",
        "nav.next",
        "nav.previous",
        "nav.goto",
        "nav.filter",
        "app.help",
    }
)


def palette_title(command: Command) -> str:
    """How a command reads in the palette: "session: undo"."""
    return f"{command.group}: {command.description.lower()}"


class LabelerCommands(Provider):
    """The labelling commands, runnable from the palette on the screen it was opened on."""

    def _entries(self) -> list[tuple[str, Callable[[], object], str]]:
        keymap = getattr(self.app, "keymap", None)
        entries: list[tuple[str, Callable[[], object], str]] = []
        for command in COMMANDS:
            if command.id not in _IN_PALETTE:
                continue
            keys = keymap.keys_of(command.id) if keymap else command.keys
            run = partial(self.screen.run_action, command.action)
            entries.append((palette_title(command), run, f"keys: {shown_keys(keys)}"))
        return entries

    async def discover(self) -> Hits:
        """Every command, when nothing is typed yet."""
        for title, run, help_text in self._entries():
            yield DiscoveryHit(title, run, help=help_text)

    async def search(self, query: str) -> Hits:
        """The commands matching what is typed, best first."""
        matcher = self.matcher(query)
        for title, run, help_text in self._entries():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), run, help=help_text)
