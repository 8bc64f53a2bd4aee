"""Every key of the labelling screen in one registry: bindings, help and conflicts.

App commands have stable ids (`session.undo`, `nav.next`) and default keys; a user file
remaps them by id. The schema's own `x-key`s (one character each, set a value or toggle a
flag) and the number keys of the focused field come on top. The registry refuses, with the
keys named, any key that would mean two things, so a keystroke never does a surprise.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from textual.binding import Binding, BindingType
from textual.keys import _character_to_key, key_to_character

from labeler.domain.schema import LabelSchema
from labeler.errors import UsageError


@dataclass(frozen=True, slots=True)
class Command:
    """One remappable command of the labelling screen."""

    id: str
    keys: tuple[str, ...]
    action: str
    description: str
    group: str
    show: bool = True


COMMANDS: tuple[Command, ...] = (
    Command("label.commit", ("enter",), "commit", "Save & next", "label"),
    Command("label.choose", ("space",), "choose", "Choose value", "label", show=False),
    Command("label.next_field", ("tab",), "field(1)", "Next field", "label", show=False),
    Command(
        "label.previous_field", ("shift+tab",), "field(-1)", "Previous field", "label", show=False
    ),
    Command("label.value_down", ("down",), "value(1)", "Next value", "label", show=False),
    Command("label.value_up", ("up",), "value(-1)", "Previous value", "label", show=False),
    Command("label.note", ("ctrl+e",), "note", "Note", "label"),
    Command("label.guideline", ("ctrl+o",), "guideline", "Guideline", "label", show=False),
    Command("session.skip", ("ctrl+k",), "skip", "Skip", "session"),
    Command("session.flag", ("ctrl+f",), "flag", "Flag", "session"),
    Command("session.undo", ("ctrl+z",), "undo", "Undo", "session"),
    Command("session.redo", ("ctrl+y",), "redo", "Redo", "session", show=False),
    Command("nav.next", ("right", "pagedown"), "next_post", "Next", "navigate", show=False),
    Command(
        "nav.previous", ("left", "pageup"), "previous_post", "Previous", "navigate", show=False
    ),
    Command("nav.goto", ("ctrl+g",), "goto", "Go to post", "navigate", show=False),
    Command("nav.filter", ("ctrl+l",), "filter", "Filter posts", "navigate", show=False),
    Command("app.help", ("question_mark", "f1"), "help", "Help", "app"),
    Command("app.quit", ("ctrl+q",), "app.quit", "Quit", "app"),
)
NUMBER_KEYS = tuple(str(n) for n in range(1, 10))


def key_name(character: str) -> str:
    """Textual's name of the key that types `character` ("?" -> "question_mark")."""
    return _character_to_key(character)


@dataclass(frozen=True)
class KeyMap:
    """The commands with their keys (defaults, then the user's), checked for conflicts."""

    commands: tuple[Command, ...]
    schema: LabelSchema

    @classmethod
    def build(cls, schema: LabelSchema, user: Mapping[str, str] | None = None) -> KeyMap:
        """Apply the user's remapping (id -> "key,key") and check every key means one thing."""
        known = {c.id: c for c in COMMANDS}
        unknown = sorted(set(user or {}) - set(known))
        if unknown:
            raise UsageError(
                f"unknown command id(s) in the key file: {', '.join(unknown)}",
                hint=f"Known ids: {', '.join(known)}",
            )
        commands = tuple(
            replace(c, keys=_split(user[c.id])) if user and c.id in user else c for c in COMMANDS
        )
        keymap = cls(commands, schema)
        keymap.check()
        return keymap

    def owners(self) -> dict[str, list[str]]:
        """Each key with everything it is bound to (more than one is a conflict)."""
        owners: dict[str, list[str]] = {}
        for command in self.commands:
            for key in command.keys:
                owners.setdefault(key, []).append(command.id)
        for character, (spec, choice) in self.schema.keys().items():
            what = f"{spec.name}={choice.value}" if choice else f"{spec.name} (toggle)"
            owners.setdefault(key_name(character), []).append(f"schema x-key {what}")
        for number in NUMBER_KEYS:
            owners.setdefault(number, []).append("number keys (value of the focused field)")
        return owners

    def check(self) -> None:
        """Raise UsageError naming every key bound to two things."""
        clashes = {k: v for k, v in self.owners().items() if len(v) > 1}
        if clashes:
            listed = "; ".join(f"{k}: {' and '.join(v)}" for k, v in sorted(clashes.items()))
            raise UsageError(
                f"key conflict: {listed}",
                hint="Remap the command in your key file, or change the schema's x-key",
            )

    def textual_keymap(self) -> dict[str, str]:
        """The commands' keys by binding id, for `App.set_keymap`."""
        return {c.id: ",".join(c.keys) for c in self.commands}

    def keys_of(self, command_id: str) -> tuple[str, ...]:
        """The keys of one command."""
        return next(c.keys for c in self.commands if c.id == command_id)


def default_bindings() -> list[BindingType]:
    """The commands' bindings with their default keys (a screen's BINDINGS; the user's
    remapping is applied by id through `App.set_keymap`)."""
    return [
        Binding(",".join(c.keys), c.action, c.description, show=c.show, id=c.id) for c in COMMANDS
    ]


def _split(keys: str) -> tuple[str, ...]:
    found = tuple(k.strip() for k in keys.split(",") if k.strip())
    if not found:
        raise UsageError("a command in the key file has no key", hint='Write e.g. "ctrl+s"')
    return found


def user_key_file() -> Path:
    """Where the user's key remapping lives: $XDG_CONFIG_HOME/labeler/keys.toml."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "labeler" / "keys.toml"


def read_key_file(path: Path) -> dict[str, str]:
    """The `[keys]` table of a key file (`"session.skip" = "ctrl+s"`); {} if absent."""
    if not path.is_file():
        return {}
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"{path}: cannot read the key file: {exc}") from exc
    table = document.get("keys", {})
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise UsageError(
            f"{path}: [keys] must map command ids to key names",
            hint='Write e.g. [keys] then "session.skip" = "ctrl+s"',
        )
    return {str(k): str(v) for k, v in table.items()}


def _shown(key: str) -> str:
    """A key as people write it: "?" rather than "question_mark"."""
    character = key_to_character(key)
    shown = character is not None and character.isprintable() and not character.isspace()
    return character if shown and character is not None else key


def shown_keys(keys: Iterable[str]) -> str:
    """Keys as people write them, joined: "? / f1"."""
    return " / ".join(map(_shown, keys))


def help_rows(keymap: KeyMap) -> Iterable[tuple[str, str, str]]:
    """(group, keys, what) rows for the help screen, commands first, then the schema's."""
    for command in keymap.commands:
        yield command.group, shown_keys(command.keys), command.description
    yield "label", "1-9", "Choose the n-th value of the focused field"
    for character, (spec, choice) in keymap.schema.keys().items():
        what = f"{spec.title}: {choice.title}" if choice else f"{spec.title}: yes / no"
        yield "schema", character, what
