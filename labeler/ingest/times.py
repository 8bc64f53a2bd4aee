"""Time strings as printed on pages → timestamps, when the text pins one down.

Relative times ("37 minutes ago", "Yesterday at 9:12") depend on when the page was saved,
which the page does not say, so they stay unparsed (`posted_at` null, `time_text` kept).
Numeric dates are read month-first or day-first as the page's own unambiguous dates show
(`date_order`), month-first when nothing on the page decides (the default of most forum
software). Times carry no zone on most pages; they are stored as printed, tagged UTC.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone

_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        )
    )
    for name in names
}
_MONTH = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)

_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:[T ](?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?"
    r"(?:\.\d+)?(?P<tz>Z|[+-]\d{2}:?\d{2})?)?"
)
_NUMERIC = re.compile(r"(?<!\d)(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<y>\d{4}|\d{2})(?!\d)")
_MONTH_FIRST = re.compile(
    _MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})(?!\d)", re.I
)
_DAY_FIRST = re.compile(
    r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?" + _MONTH + r",?\s+(?P<y>\d{4})(?!\d)",
    re.I,
)
_CLOCK = re.compile(
    r"(?<![\d:])(?P<H>\d{1,2})[:.](?P<M>\d{2})(?::(?P<S>\d{2}))?\s*(?P<ampm>[ap])?\.?(?:m\.?)?(?![\d])",
    re.I,
)
_RELATIVE = re.compile(r"\b(ago|yesterday|today|just now)\b", re.I)


def date_order(texts: Iterable[str | None]) -> str:
    """'mdy' or 'dmy' for a page's numeric dates, from the ones that only read one way."""
    for text in texts:
        if not text:
            continue
        for m in _NUMERIC.finditer(text):
            a, b = int(m["a"]), int(m["b"])
            if a > 12 >= b:
                return "dmy"
            if b > 12 >= a:
                return "mdy"
    return "mdy"


def _year(text: str) -> int:
    year = int(text)
    return year + (2000 if year < 70 else 1900) if len(text) == 2 else year


def parse_time(text: str | None, order: str = "mdy") -> datetime | None:
    """The moment `text` names, or None when it is relative, partial or not a time."""
    if not text or _RELATIVE.search(text):
        return None
    try:
        return _parse(text, order)
    except ValueError:  # 31 February and the like
        return None


def _parse(text: str, order: str) -> datetime | None:
    iso = _ISO.search(text)
    if iso:
        moment = datetime(int(iso["y"]), int(iso["m"]), int(iso["d"]))
        if iso["H"]:
            moment = moment.replace(
                hour=int(iso["H"]), minute=int(iso["M"]), second=int(iso["S"] or 0)
            )
        tz = iso["tz"]
        if tz and tz != "Z":
            sign = 1 if tz[0] == "+" else -1
            digits = tz[1:].replace(":", "")
            offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            return moment.replace(tzinfo=timezone(sign * offset)).astimezone(UTC)
        return moment.replace(tzinfo=UTC)
    rest = text
    year = month = day = None
    for pattern in (_MONTH_FIRST, _DAY_FIRST):
        m = pattern.search(text)
        if m:
            year, month, day = _year(m["y"]), _MONTHS[m["mon"].lower().rstrip(".")], int(m["d"])
            rest = text[: m.start()] + " " + text[m.end() :]
            break
    else:
        n = _NUMERIC.search(text)
        if n is None:
            return None
        a, b = int(n["a"]), int(n["b"])
        month, day = (a, b) if order == "mdy" else (b, a)
        if month > 12:
            month, day = day, month
        year = _year(n["y"])
        rest = text[: n.start()] + " " + text[n.end() :]
    moment = datetime(year, month, day, tzinfo=UTC)
    clock = _CLOCK.search(rest)
    if clock:
        hour, minute = int(clock["H"]), int(clock["M"])
        ampm = (clock["ampm"] or "").lower()
        if ampm == "p" and hour < 12:
            hour += 12
        elif ampm == "a" and hour == 12:
            hour = 0
        moment = moment.replace(hour=hour, minute=minute, second=int(clock["S"] or 0))
    return moment
