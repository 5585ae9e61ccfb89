"""The ``date`` filter: PHP ``date()`` format letters, time zones through :mod:`zoneinfo`."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from asa2render.twig.errors import TwigRuntimeError
from asa2render.twig.runtime import is_numeric, str_to_number

DEFAULT_FORMAT = "F j, Y H:i"


def zone(name: str) -> tzinfo:
    """A time zone by IANA name (or "UTC")."""
    if name.upper() == "UTC":
        return ZoneInfo("UTC")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise TwigRuntimeError(f'Unknown time zone "{name}".') from exc


def to_datetime(value: Any, default_zone: tzinfo) -> datetime:
    """PHP's reading of a date value: timestamps, ``DateTime``-like objects, strings, null (now)."""
    if value is None:
        return datetime.now(default_zone)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=default_zone)
    if isinstance(value, date):
        return datetime.combine(value, time(), default_zone)
    if (isinstance(value, int | float) and not isinstance(value, bool)) or is_numeric(value):
        stamp = str_to_number(value) if isinstance(value, str) else value
        return datetime.fromtimestamp(stamp, UTC).astimezone(default_zone)
    if isinstance(value, str):
        parsed = parse_time_string(value.strip(), default_zone)
        if parsed is None:
            raise TwigRuntimeError(f'Failed to parse time string "{value}".')
        return parsed
    raise TwigRuntimeError(f"Cannot read {type(value).__name__} as a date.")


_RELATIVE = re.compile(
    r"([+-]?\d+)\s*(sec|second|min|minute|hour|day|week|fortnight|month|year)s?", re.IGNORECASE
)
_KEYWORDS = {"now": 0, "today": 0, "midnight": 0, "tomorrow": 1, "yesterday": -1, "noon": 0}
_FORMATS = (
    "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y",
    "%d %B %Y", "%B %d, %Y", "%d %b %Y", "%b %d, %Y", "%Y/%m/%d",
)  # fmt: skip


def parse_time_string(text: str, default_zone: tzinfo) -> datetime | None:
    """The subset of PHP's ``strtotime`` formats templates use: ISO 8601 and SQL dates, ``@timestamp``,
    European ``d.m.Y`` and US ``m/d/Y`` dates, month names, ``now``/``today``/``tomorrow``/``yesterday``/
    ``midnight``/``noon``, and relative offsets such as ``+1 day`` or ``-2 weeks`` (alone or after a keyword).
    """
    if text.startswith("@") and is_numeric(text[1:]):
        return datetime.fromtimestamp(str_to_number(text[1:]), UTC)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parsed = None
    for fmt in () if parsed is not None else _FORMATS:
        try:
            parsed = datetime.strptime(text, fmt)
            break
        except ValueError:
            continue
    if parsed is not None:
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=default_zone)
    return _relative(text.lower(), default_zone)


def _relative(text: str, default_zone: tzinfo) -> datetime | None:
    words = text.split(maxsplit=1)
    keyword = words[0] if words and words[0] in _KEYWORDS else None
    rest = words[1] if keyword and len(words) > 1 else ("" if keyword else text)
    moment = datetime.now(default_zone)
    first = _RELATIVE.search(rest)
    if keyword is None and first is not None and rest[: first.start()].strip():
        base = parse_time_string(rest[: first.start()].strip(), default_zone)  # "2010-10-04 +1 day"
        if base is None:
            return None
        moment, rest = base, rest[first.start() :]
    if keyword is not None:
        moment += timedelta(days=_KEYWORDS[keyword])
        if keyword not in ("now",):
            moment = moment.replace(hour=12 if keyword == "noon" else 0, minute=0, second=0, microsecond=0)
    position = 0
    for match in _RELATIVE.finditer(rest):
        if rest[position : match.start()].strip():
            return None
        position = match.end()
        moment = _shift(moment, int(match.group(1)), match.group(2).lower())
    if rest[position:].strip():
        return None
    return moment


def _shift(moment: datetime, amount: int, unit: str) -> datetime:
    if unit in ("month", "year"):
        months = moment.month - 1 + amount * (12 if unit == "year" else 1)
        year, month = moment.year + months // 12, months % 12 + 1
        # PHP lets the day overflow into the next month: Jan 31 + 1 month is Mar 3 (or 2 in leap years).
        return moment.replace(year=year, month=month, day=1) + timedelta(days=moment.day - 1)
    seconds = {"sec": 1, "second": 1, "min": 60, "minute": 60, "hour": 3600, "day": 86400, "week": 604800,
               "fortnight": 1209600}[unit]  # fmt: skip
    return moment + timedelta(seconds=amount * seconds)


def _suffix(day: int) -> str:
    if 10 <= day % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _offset(moment: datetime, colon: bool) -> str:
    delta = moment.utcoffset() or timedelta()
    minutes = int(delta.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}{':' if colon else ''}{mins:02d}"


def _zone_name(moment: datetime) -> str:
    tz = moment.tzinfo
    if isinstance(tz, ZoneInfo):
        return tz.key
    return _offset(moment, True)


def _iso(moment: datetime) -> tuple[int, int, int]:
    year, week, day = moment.isocalendar()
    return year, week, day


def _swatch(moment: datetime) -> str:
    utc = moment.astimezone(UTC)
    beats = int(((utc.hour * 3600 + utc.minute * 60 + utc.second + 3600) % 86400) / 86.4)
    return f"{beats:03d}"


_LETTERS: dict[str, Callable[[datetime], str]] = {
    "d": lambda m: f"{m.day:02d}",
    "D": lambda m: calendar.day_abbr[m.weekday()],
    "j": lambda m: str(m.day),
    "l": lambda m: calendar.day_name[m.weekday()],
    "N": lambda m: str(m.isoweekday()),
    "S": lambda m: _suffix(m.day),
    "w": lambda m: str(m.isoweekday() % 7),
    "z": lambda m: str(m.timetuple().tm_yday - 1),
    "W": lambda m: f"{_iso(m)[1]:02d}",
    "F": lambda m: calendar.month_name[m.month],
    "m": lambda m: f"{m.month:02d}",
    "M": lambda m: calendar.month_abbr[m.month],
    "n": lambda m: str(m.month),
    "t": lambda m: str(calendar.monthrange(m.year, m.month)[1]),
    "L": lambda m: "1" if calendar.isleap(m.year) else "0",
    "o": lambda m: str(_iso(m)[0]),
    "Y": lambda m: str(m.year),
    "y": lambda m: f"{m.year % 100:02d}",
    "a": lambda m: "am" if m.hour < 12 else "pm",
    "A": lambda m: "AM" if m.hour < 12 else "PM",
    "B": _swatch,
    "g": lambda m: str(m.hour % 12 or 12),
    "G": lambda m: str(m.hour),
    "h": lambda m: f"{m.hour % 12 or 12:02d}",
    "H": lambda m: f"{m.hour:02d}",
    "i": lambda m: f"{m.minute:02d}",
    "s": lambda m: f"{m.second:02d}",
    "u": lambda m: f"{m.microsecond:06d}",
    "v": lambda m: f"{m.microsecond // 1000:03d}",
    "e": _zone_name,
    "I": lambda m: "1" if (m.dst() or timedelta()) else "0",
    "O": lambda m: _offset(m, False),
    "P": lambda m: _offset(m, True),
    "p": lambda m: "Z" if (m.utcoffset() or timedelta()) == timedelta() else _offset(m, True),
    "T": lambda m: m.tzname() or _offset(m, True),
    "Z": lambda m: str(int((m.utcoffset() or timedelta()).total_seconds())),
    "U": lambda m: str(int(m.timestamp())),
    "c": lambda m: format_date(m, "Y-m-d\\TH:i:sP"),
    "r": lambda m: format_date(m, "D, d M Y H:i:s O"),
}


def format_date(moment: datetime, fmt: str) -> str:
    """PHP ``DateTime::format``; a backslash escapes the next character.

    Cached: a site shows the same few fetch times in the same format on many boxes. Aware datetimes
    compare equal across zones, so the zone is part of the cache key.
    """
    return _format_date(moment, moment.tzinfo, fmt)


@lru_cache(maxsize=1024)
def _format_date(moment: datetime, zone: tzinfo | None, fmt: str) -> str:
    out: list[str] = []
    chars = iter(fmt)
    for char in chars:
        if char == "\\":
            out.append(next(chars, ""))
        else:
            letter = _LETTERS.get(char)
            out.append(letter(moment) if letter is not None else char)
    return "".join(out)


def date_filter(value: Any, fmt: Any, timezone: Any, default_zone: tzinfo) -> str:
    """Twig's ``date`` filter: ``timezone`` None uses the configured zone, False keeps the value's own."""
    moment = to_datetime(value, default_zone)
    if timezone is None:
        moment = moment.astimezone(default_zone)
    elif timezone is not False:
        moment = moment.astimezone(zone(str(timezone)))
    return format_date(moment, DEFAULT_FORMAT if fmt is None else str(fmt))
