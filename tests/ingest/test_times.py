"""Printed times → timestamps: absolute forms parse, relative ones stay unparsed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from labeler.ingest.times import date_order, parse_time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("06-15-2016, 03:03 PM", datetime(2016, 6, 15, 15, 3, tzinfo=UTC)),
        ("June 19, 2015, 6:45am", datetime(2015, 6, 19, 6, 45, tzinfo=UTC)),
        ("On 8/4/2018 at 8:07 AM", datetime(2018, 8, 4, 8, 7, tzinfo=UTC)),
        ("Sat Aug 04, 2018 1:21 pm", datetime(2018, 8, 4, 13, 21, tzinfo=UTC)),
        ("Mon Jan 05, 2009 12:00 am", datetime(2009, 1, 5, 0, 0, tzinfo=UTC)),
        ("4th August 2018 13:21", datetime(2018, 8, 4, 13, 21, tzinfo=UTC)),
        ("2018-08-04T13:21:00+02:00", datetime(2018, 8, 4, 11, 21, tzinfo=UTC)),
        ("2018-08-04T13:21:00Z", datetime(2018, 8, 4, 13, 21, tzinfo=UTC)),
        ("Dec 3, 2019", datetime(2019, 12, 3, tzinfo=UTC)),
    ],
)
def test_absolute_times_parse(text: str, expected: datetime) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    "text",
    ["37 minutes ago", "Yesterday at 9:12 PM", "Today, 10:00", "just now", "6 years ago", "", None],
)
def test_relative_or_missing_times_stay_unparsed(text: str | None) -> None:
    assert parse_time(text) is None


def test_impossible_dates_are_not_parsed() -> None:
    assert parse_time("31/02/2020 10:00") is None
    assert parse_time("no time here") is None


def test_date_order_follows_the_pages_unambiguous_dates() -> None:
    assert date_order(["3/4/2020", "25/4/2020"]) == "dmy"
    assert date_order(["3/4/2020", "4/25/2020"]) == "mdy"
    assert date_order(["3/4/2020", None]) == "mdy"  # undecided: month first
    assert parse_time("3/4/2020", "dmy") == datetime(2020, 4, 3, tzinfo=UTC)
    assert parse_time("3/4/2020", "mdy") == datetime(2020, 3, 4, tzinfo=UTC)
