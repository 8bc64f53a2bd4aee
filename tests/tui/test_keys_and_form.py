"""The key registry (conflicts, remapping, key files) and the label form's state."""

from __future__ import annotations

from pathlib import Path

import pytest

from labeler.domain.schema import LabelSchema
from labeler.errors import UsageError
from labeler.storage.dataset import default_schema
from labeler.tui.form import LabelForm
from labeler.tui.keys import COMMANDS, KeyMap, help_rows, read_key_file


@pytest.fixture
def labels() -> LabelSchema:
    return default_schema()


def test_default_keys_do_not_clash_with_the_shipped_schema(labels: LabelSchema) -> None:
    keymap = KeyMap.build(labels)
    owners = keymap.owners()
    assert owners["f"] == ["schema x-key stance_target=favor"]
    assert owners["ctrl+z"] == ["session.undo"]
    assert len({c.id for c in COMMANDS}) == len(COMMANDS)


def test_remapping_by_id_and_its_mistakes(labels: LabelSchema) -> None:
    keymap = KeyMap.build(labels, {"session.skip": "ctrl+s, f5"})
    assert keymap.keys_of("session.skip") == ("ctrl+s", "f5")
    assert keymap.textual_keymap()["session.skip"] == "ctrl+s,f5"
    with pytest.raises(UsageError, match=r"unknown command id\(s\) in the key file: nav\.jump"):
        KeyMap.build(labels, {"nav.jump": "j"})
    with pytest.raises(UsageError, match="has no key"):
        KeyMap.build(labels, {"session.skip": " , "})
    with pytest.raises(UsageError, match=r"key conflict: ctrl\+z: session\.skip and session\.undo"):
        KeyMap.build(labels, {"session.skip": "ctrl+z"})
    with pytest.raises(UsageError, match=r"3: session\.flag and number keys"):
        KeyMap.build(labels, {"session.flag": "3"})


def test_key_files(tmp_path: Path) -> None:
    assert read_key_file(tmp_path / "absent.toml") == {}
    good = tmp_path / "keys.toml"
    good.write_text('[keys]\n"nav.next" = "n"\n')
    assert read_key_file(good) == {"nav.next": "n"}
    bad = tmp_path / "bad.toml"
    bad.write_text("[keys\n")
    with pytest.raises(UsageError, match="cannot read the key file"):
        read_key_file(bad)
    wrong = tmp_path / "wrong.toml"
    wrong.write_text('[keys]\n"nav.next" = 3\n')
    with pytest.raises(UsageError, match=r"\[keys\] must map command ids to key names"):
        read_key_file(wrong)


def test_help_covers_every_command_and_schema_key(labels: LabelSchema) -> None:
    rows = list(help_rows(KeyMap.build(labels)))
    described = {what for _, _, what in rows}
    assert {c.description for c in COMMANDS} <= described
    assert sum(1 for group, _, _ in rows if group == "schema") == len(labels.keys())


def test_form_keys_numbers_and_context(labels: LabelSchema) -> None:
    form = LabelForm(labels)
    assert [f.name for f in form.fields if f.context] == []  # no quote: not asked
    assert form.values["sarcastic"] is False  # the schema default
    assert not form.press("g")  # stance toward the parent: not asked here
    assert form.press("a") and form.values["stance_target"] == "against"
    form.move_field(1)
    assert form.focused.name == "topics"
    form.number(3)
    form.number(1)
    form.number(3)
    assert form.values["topics"] == ["politics"]  # toggled in a multi-select, schema order
    form.number(2)
    assert form.values["topics"] == ["politics", "world"]
    assert [f.name for f in form.missing()] == ["quality"]
    assert not form.number(12)
    form.move_field(1)
    form.move_cursor(-1)
    assert form.toggle() and form.values["quality"] == 5
    assert form.press("s")
    assert form.values.get("sarcastic") is True
    assert form.missing() == []
    assert form.record() == {
        "stance_target": "against",
        "topics": ["politics", "world"],
        "quality": 5,
        "sarcastic": True,
        "unsure": False,  # a default is a value
    }


def test_a_quoting_post_asks_and_needs_the_stance_toward_the_parent(labels: LabelSchema) -> None:
    form = LabelForm(labels, frozenset({"quote"}))
    assert "stance_parent" in [f.name for f in form.fields]
    assert "stance_parent" in [f.name for f in form.missing()]
    assert form.press("d") and form.values["stance_parent"] == "disagree"
    form.reset({"stance_target": "none", "quality": 2})
    assert form.values["topics"] == [] and "stance_parent" not in form.values
