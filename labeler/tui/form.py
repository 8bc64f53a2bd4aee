"""The label form of one post: what the annotator has chosen so far, built from the schema.

Pure state, no widgets: the screen renders it and sends it keys. Fields are the schema's,
in its order; a field with a context (`x-context: quote`) is only asked when the post has
that context. One field has the focus and, inside it, one value is highlighted, so number
keys, space and the arrows act on the focused field while the schema's own `x-key`s set
their value wherever the focus is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from labeler.domain.schema import Choice, FieldKind, FieldSpec, LabelSchema

_ANSWERS = (FieldKind.SINGLE, FieldKind.ORDINAL, FieldKind.MULTI, FieldKind.BOOLEAN)
YES_NO = (Choice(True, "yes", "", None), Choice(False, "no", "", None))


@dataclass
class LabelForm:
    """The values being chosen for one post, the focused field and highlighted value."""

    schema: LabelSchema
    contexts: frozenset[str] = frozenset()  # e.g. {"quote"} when the post quotes another
    values: dict[str, Any] = field(default_factory=dict)
    focus: int = 0
    cursor: int = 0

    def __post_init__(self) -> None:
        self.reset()

    # ------------------------------------------------------------------ what is shown
    @property
    def fields(self) -> list[FieldSpec]:
        """The fields asked for this post, in schema order."""
        return [f for f in self.schema.fields if f.context is None or f.context in self.contexts]

    @property
    def focused(self) -> FieldSpec:
        """The field number keys and space act on."""
        return self.fields[self.focus]

    def options(self, spec: FieldSpec) -> tuple[Choice, ...]:
        """The values a field offers (yes/no for a flag; none for free text)."""
        return YES_NO if spec.kind is FieldKind.BOOLEAN else spec.choices

    def is_chosen(self, spec: FieldSpec, choice: Choice) -> bool:
        """Whether `choice` is (one of) the field's current value(s)."""
        value = self.values.get(spec.name)
        if spec.kind is FieldKind.MULTI:
            return isinstance(value, list) and choice.value in value
        return value is not None and value == choice.value and type(value) is type(choice.value)

    def missing(self) -> list[FieldSpec]:
        """Fields still to answer: required ones, and those asked because of a context
        (stance toward the quoted post is asked only when there is one, and then needed)."""
        needed = [f for f in self.fields if f.required or f.context is not None]
        return [f for f in needed if self.values.get(f.name) in (None, [])]

    def record(self) -> dict[str, Any]:
        """The label record to save: the values of the fields asked, empty ones left out."""
        names = {f.name for f in self.fields}
        return {k: v for k, v in self.values.items() if k in names and v not in (None, [], "")}

    # ------------------------------------------------------------------ changing
    def reset(self, values: Mapping[str, Any] | None = None) -> None:
        """Start over from the schema's defaults, or from a label given before."""
        self.values = dict(self.schema.defaults() if values is None else values)
        for spec in self.fields:
            if spec.kind is FieldKind.MULTI:
                self.values[spec.name] = list(self.values.get(spec.name) or [])
        self.focus = next((i for i, f in enumerate(self.fields) if f.kind in _ANSWERS), 0)
        self.cursor = 0

    def press(self, key: str) -> bool:
        """Apply a schema `x-key`; False if the key is not one of this post's fields."""
        found = self.schema.keys().get(key)
        if found is None or found[0] not in self.fields:
            return False
        spec, choice = found
        self.focus = self.fields.index(spec)
        if choice is None:  # a boolean field's own key toggles it
            self.values[spec.name] = not self.values.get(spec.name, False)
        else:
            self._choose(spec, choice)
        return True

    def number(self, n: int) -> bool:
        """Choose the n-th value (1-based) of the focused field; False if it has none."""
        options = self.options(self.focused)
        if not 1 <= n <= len(options):
            return False
        self.cursor = n - 1
        self._choose(self.focused, options[n - 1])
        return True

    def toggle(self) -> bool:
        """Choose (or, in a multi-select, toggle) the highlighted value of the focused field."""
        options = self.options(self.focused)
        if not options:
            return False
        self._choose(self.focused, options[min(self.cursor, len(options) - 1)])
        return True

    def move_field(self, step: int) -> None:
        """Focus the next (step 1) or previous (step -1) field, wrapping around."""
        self.focus = (self.focus + step) % len(self.fields)
        self.cursor = 0

    def move_cursor(self, step: int) -> None:
        """Highlight the next or previous value of the focused field."""
        options = self.options(self.focused)
        if options:
            self.cursor = (self.cursor + step) % len(options)

    def set_text(self, spec: FieldSpec, text: str) -> None:
        """Set a free-text field (an empty text clears it)."""
        self.values[spec.name] = text or None

    def _choose(self, spec: FieldSpec, choice: Choice) -> None:
        if spec.kind is FieldKind.MULTI:
            chosen = set(self.values.get(spec.name) or []) ^ {choice.value}
            self.values[spec.name] = [c.value for c in spec.choices if c.value in chosen]
        else:
            self.values[spec.name] = choice.value
        self.cursor = list(self.options(spec)).index(choice)
