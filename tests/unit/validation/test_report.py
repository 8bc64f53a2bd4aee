"""Reports: locations, exit-code precedence, renderers."""

from __future__ import annotations

import json

from labeler.errors import ExitCode
from labeler.validation.report import (
    Finding,
    Report,
    Severity,
    render_github,
    render_json,
    render_text,
)


def test_location_forms() -> None:
    assert Finding("f.parquet", "m", "c").location == "f.parquet"
    assert Finding("f.parquet", "m", "c", row=3).location == "f.parquet::3"
    assert (
        Finding("f.parquet", "m", "c", row=3, field="quality").location == "f.parquet::3::$.quality"
    )
    assert Finding("f.parquet", "m", "c", field="post_id").location == "f.parquet::$.post_id"


def test_exit_code_precedence() -> None:
    report = Report()
    seen = [report.exit_code]
    report.add(Finding("a", "odd", "c", severity=Severity.WARNING))
    seen.append(report.exit_code)
    report.add(Finding("a", "bad", "c"))
    seen.append(report.exit_code)
    report.add(Finding("b", "gone", "c", unreadable=True))
    seen.append(report.exit_code)
    assert seen == [ExitCode.OK, ExitCode.OK, ExitCode.DATA_ERRORS, ExitCode.UNREADABLE]


def test_text_lists_up_to_the_limit_then_counts() -> None:
    report = Report([Finding("f", f"problem {i}", "c", row=i) for i in range(5)], ["f"])
    lines = render_text(report, limit=2)
    assert lines == [
        "f::0: error: problem 0",
        "f::1: error: problem 1",
        "... and 3 more (use --format json to see all)",
        "failed: 5 error(s), 0 warning(s) in 1 checked path(s)",
    ]


def test_json_has_everything() -> None:
    report = Report([Finding("f", "bad", "null-value", row=1, field="body")], ["f"])
    payload = json.loads(render_json(report))
    assert payload["ok"] is False
    assert payload["exit_code"] == 1
    assert payload["findings"][0]["location"] == "f::1::$.body"


def test_github_annotations_escape_their_properties() -> None:
    report = Report([Finding("dir,a:b/f", "100% bad\nreally", "x", row=2)])
    assert render_github(report) == [
        "::error file=dir%2Ca%3Ab/f,title=x::dir,a:b/f::2: 100%25 bad%0Areally"
    ]
