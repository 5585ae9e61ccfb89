"""PHP date formatting and date reading for the ``date`` filter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from asa2render.twig.errors import TwigRuntimeError
from asa2render.twig.phpdate import date_filter, format_date, to_datetime, zone

MOMENT = datetime(2010, 10, 4, 13, 45, 7, 123456, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("d D j l N S w z", "04 Mon 4 Monday 1 th 1 276"),
        ("W F m M n t L o Y y", "40 October 10 Oct 10 31 0 2010 2010 10"),
        ("a A g G h H i s u v", "pm PM 1 13 01 13 45 07 123456 123"),
        ("e I O P p T Z U", "Europe/Paris 1 +0200 +02:00 +02:00 CEST 7200 1286192707"),
        ("c", "2010-10-04T13:45:07+02:00"),
        ("r", "Mon, 04 Oct 2010 13:45:07 +0200"),
        ("\\Y\\-Y \\\\", "Y-2010 \\"),
        ("jS", "4th"),
    ],
)
def test_format_letters(fmt: str, expected: str) -> None:
    assert format_date(MOMENT, fmt) == expected


@pytest.mark.parametrize(
    ("day", "suffix"), [(1, "st"), (2, "nd"), (3, "rd"), (11, "th"), (12, "th"), (22, "nd"), (23, "rd")]
)
def test_ordinal_suffix(day: int, suffix: str) -> None:
    assert format_date(datetime(2020, 1, day, tzinfo=UTC), "S") == suffix


def test_reading_dates() -> None:
    paris = zone("Europe/Paris")
    assert to_datetime(0, paris) == datetime(1970, 1, 1, tzinfo=UTC)
    assert to_datetime("1286199900", paris).hour == 15
    assert to_datetime("2010-10-04 13:45", paris).utcoffset() is not None
    assert to_datetime(datetime(2010, 1, 1), paris).tzinfo is paris
    with pytest.raises(TwigRuntimeError, match="Failed to parse time string"):
        to_datetime("next tuesday-ish", paris)


def test_date_filter_zones() -> None:
    utc = zone("UTC")
    assert date_filter(0, None, None, utc) == "January 1, 1970 00:00"
    assert date_filter(0, "H:i", "Asia/Tokyo", utc) == "09:00"
    assert date_filter(MOMENT, "H:i", False, utc) == "13:45"
    with pytest.raises(TwigRuntimeError, match='Unknown time zone "Mars/Base"'):
        date_filter(0, "H", "Mars/Base", utc)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@86400", "1970-01-02 00:00"),
        ("04.10.2010", "2010-10-04 00:00"),
        ("10/04/2010 13:45", "2010-10-04 13:45"),
        ("4 October 2010", "2010-10-04 00:00"),
        ("October 4, 2010", "2010-10-04 00:00"),
        ("2010-10-04 +1 day", "2010-10-05 00:00"),
        ("2010-10-04 13:45 -2 hours +30 min", "2010-10-04 12:15"),
        ("2010-01-31 +1 month", "2010-03-03 00:00"),
    ],
)
def test_time_strings(text: str, expected: str) -> None:
    assert date_filter(text, "Y-m-d H:i", None, zone("UTC")) == expected


def test_keywords_are_relative_to_now() -> None:
    utc = zone("UTC")
    assert date_filter("today", "H:i:s", None, utc) == "00:00:00"
    assert date_filter("noon", "H:i", None, utc) == "12:00"
    today = datetime.now(UTC).date()
    assert date_filter("tomorrow", "Y-m-d", None, utc) == (today + timedelta(days=1)).isoformat()
    assert date_filter("yesterday +1 day", "Y-m-d", None, utc) == today.isoformat()
