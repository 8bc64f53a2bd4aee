"""Per-record validation: every keyword of post-labels 1.0.0, valid and violated, exact messages."""

from __future__ import annotations

from typing import Any

import pytest

from labeler.errors import ExitCode, LabelValidationError
from labeler.validation.records import RecordError, RecordValidator, present, record_validator
from tests.unit.validation.records_data import KEYWORDS, builtin

V1 = builtin("1.0.0")
VALID: dict[str, Any] = {
    "stance_target": "favor",
    "stance_parent": "agree",
    "topics": ["politics", "economy"],
    "quality": 4,
    "unsure": False,
    "note": "sarcasm?",
}


@pytest.fixture(scope="module")
def v1() -> RecordValidator:
    return RecordValidator(V1)


def with_(**changes: Any) -> dict[str, Any]:
    """VALID with some fields replaced (a value of `...` removes the field)."""
    record = {**VALID, **changes}
    return {k: v for k, v in record.items() if v is not ...}


def test_a_full_record_is_valid(v1: RecordValidator) -> None:
    assert v1.errors(VALID) == []
    assert v1.is_valid(VALID)
    v1.check(VALID)


def test_only_the_required_fields_are_needed(v1: RecordValidator) -> None:
    assert v1.errors({"stance_target": "none", "topics": ["other"], "quality": 1}) == []


def test_none_means_absent(v1: RecordValidator) -> None:
    assert v1.errors(with_(note=None, stance_parent=None)) == []
    assert v1.errors(with_(quality=None)) == [RecordError("$", "'quality' is a required property")]
    assert present({"a": None, "b": 0, "c": False}) == {"b": 0, "c": False}


def test_an_integral_float_is_an_integer(v1: RecordValidator) -> None:
    # JSON Schema: 3.0 is the integer 3, and equals the const 3.
    assert v1.errors(with_(quality=3.0)) == []


LONG = "x" * 2001
VIOLATIONS: list[tuple[dict[str, Any], list[tuple[str, str]]]] = [
    (
        with_(stance_target="maybe"),
        [("$.stance_target", "'maybe' is not valid under any of the given schemas")],
    ),
    (
        with_(stance_target=3),
        [
            ("$.stance_target", "3 is not of type 'string'"),
            ("$.stance_target", "3 is not valid under any of the given schemas"),
        ],
    ),
    (
        with_(stance_parent="favor"),
        [("$.stance_parent", "'favor' is not valid under any of the given schemas")],
    ),
    (with_(topics=[]), [("$.topics", "[] should be non-empty")]),
    (
        with_(topics=["sport", "sport"]),
        [("$.topics", "['sport', 'sport'] has non-unique elements")],
    ),
    (
        with_(topics=["sport", "golf"]),
        [("$.topics[1]", "'golf' is not valid under any of the given schemas")],
    ),
    (
        with_(topics=["sport", None]),
        [
            ("$.topics[1]", "None is not of type 'string'"),
            ("$.topics[1]", "None is not valid under any of the given schemas"),
        ],
    ),
    (with_(topics="sport"), [("$.topics", "'sport' is not of type 'array'")]),
    (with_(quality=6), [("$.quality", "6 is not valid under any of the given schemas")]),
    (with_(quality=0), [("$.quality", "0 is not valid under any of the given schemas")]),
    (
        with_(quality=2.5),
        [
            ("$.quality", "2.5 is not of type 'integer'"),
            ("$.quality", "2.5 is not valid under any of the given schemas"),
        ],
    ),
    (
        with_(quality=True),
        [
            ("$.quality", "True is not of type 'integer'"),
            ("$.quality", "True is not valid under any of the given schemas"),
        ],
    ),
    (with_(unsure="yes"), [("$.unsure", "'yes' is not of type 'boolean'")]),
    (with_(unsure=0), [("$.unsure", "0 is not of type 'boolean'")]),
    (with_(note=LONG), [("$.note", f"{LONG!r} is too long")]),
    (with_(note=12), [("$.note", "12 is not of type 'string'")]),
    (with_(topics=...), [("$", "'topics' is a required property")]),
    (with_(mood="happy"), [("$", "Additional properties are not allowed ('mood' was unexpected)")]),
]


@pytest.mark.parametrize(("record", "expected"), VIOLATIONS)
def test_each_violation_has_jsonschemas_message(
    v1: RecordValidator, record: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    errors = v1.errors(record)
    assert [(e.path, e.message) for e in errors] == expected
    assert not v1.is_valid(record)


def test_errors_name_their_top_level_field(v1: RecordValidator) -> None:
    errors = v1.errors(with_(topics=["golf"], mood=1))
    assert [(e.path, e.field) for e in errors] == [("$", None), ("$.topics[0]", "topics")]


def test_every_violation_is_collected(v1: RecordValidator) -> None:
    record = {"stance_target": "x", "topics": [], "quality": 9, "unsure": 1, "extra": 1}
    fields = [e.field for e in v1.errors(record)]
    assert fields == [None, "stance_target", "topics", "quality", "unsure"]


def test_check_names_fields_schema_version_and_what_to_do(v1: RecordValidator) -> None:
    with pytest.raises(LabelValidationError) as caught:
        v1.check(with_(stance_target="maybe", quality=9))
    error = caught.value
    assert error.exit_code is ExitCode.DATA_ERRORS
    assert error.message == (
        "label values do not satisfy schema post-labels 1.0.0: "
        "$.stance_target: 'maybe' is not valid under any of the given schemas; "
        "$.quality: 9 is not valid under any of the given schemas"
    )
    assert error.hint == (
        "Nothing was saved; correct the values and save again "
        "(stance_target: one of favor, against, neutral, none; quality: one of 1, 2, 3, 4, 5)"
    )


def test_check_explains_record_level_errors(v1: RecordValidator) -> None:
    with pytest.raises(LabelValidationError) as caught:
        v1.check({"topics": ["sport"], "quality": 2, "mood": "ok"})
    assert caught.value.hint is not None
    assert caught.value.hint.endswith(
        "(its fields are stance_target, stance_parent, topics, quality, unsure, note; "
        "required: stance_target, topics, quality)"
    )


def test_check_describes_multi_select_and_text_fields(v1: RecordValidator) -> None:
    with pytest.raises(LabelValidationError) as caught:
        v1.check(with_(topics=["sport", "sport"], note=LONG))
    hint = caught.value.hint or ""
    assert "topics: one or more of politics, international," in hint
    assert "each once" in hint
    assert "note: text of at most 2000 characters" in hint


def test_check_shows_five_errors_and_counts_the_rest(v1: RecordValidator) -> None:
    record = {f"extra{i}": i for i in range(3)} | {"topics": ["a", "b", "c", "d", "e"]}
    with pytest.raises(LabelValidationError) as caught:
        v1.check(record)
    # 1 for the extras, 2 missing required fields, 5 bad topics: 8, of which 5 shown.
    assert caught.value.message.endswith("; and 3 more")


def test_formats_are_checked() -> None:
    validator = RecordValidator(KEYWORDS)
    assert validator.errors({"score": 1, "tags": ["a"], "day": "2024-02-29"}) == []
    errors = validator.errors({"score": 1, "tags": ["a"], "day": "2023-02-29"})
    assert errors == [RecordError("$.day", "'2023-02-29' is not a 'date'", "day")]


def test_keywords_beyond_post_labels() -> None:
    validator = RecordValidator(KEYWORDS)
    record = {
        "score": 11,
        "ratio": 1.5,
        "tags": ["a", "b", "c", "d"],
        "counts": [-6, 100],
        "code": "x",
        "slug": "A1",
    }
    assert [(e.path, e.message) for e in validator.errors(record)] == [
        ("$.score", "11 is greater than the maximum of 10"),
        ("$.ratio", "1.5 is greater than or equal to the maximum of 1.5"),
        ("$.tags", "['a', 'b', 'c', 'd'] is too long"),
        ("$.counts[0]", "-6 is less than the minimum of -5"),
        ("$.counts[1]", "100 is greater than or equal to the maximum of 100"),
        ("$.code", "'x' is too short"),
        ("$.slug", "'A1' does not match '^[a-z]+$'"),
    ]


def test_validators_are_compiled_once_per_schema() -> None:
    assert record_validator(V1) is record_validator(builtin("1.0.0"))
    assert record_validator(V1) is not record_validator(builtin("2.0.0"))
