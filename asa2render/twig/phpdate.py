"""The ``date`` filter: PHP ``date()`` format letters, time zones through :mod:`zoneinfo`."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta, tzinfo
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
    if value is None or value == "now":
        return datetime.now(default_zone)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=default_zone)
    if isinstance(value, date):
        return datetime.combine(value, time(), default_zone)
    if (isinstance(value, int | float) and not isinstance(value, bool)) or is_numeric(value):
        stamp = str_to_number(value) if isinstance(value, str) else value
        return datetime.fromtimestamp(stamp, UTC).astimezone(default_zone)
    if isinstance(value, str):
        text = value.strip()
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError as exc:
            raise TwigRuntimeError(f'Failed to parse time string "{value}".') from exc
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=default_zone)
    raise TwigRuntimeError(f"Cannot read {type(value).__name__} as a date.")


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


def _letter(moment: datetime, letter: str) -> str:
    hour12 = moment.hour % 12 or 12
    iso = moment.isocalendar()
    table = {
        "d": f"{moment.day:02d}",
        "D": calendar.day_abbr[moment.weekday()],
        "j": str(moment.day),
        "l": calendar.day_name[moment.weekday()],
        "N": str(iso[2]),
        "S": _suffix(moment.day),
        "w": str(moment.isoweekday() % 7),
        "z": str(moment.timetuple().tm_yday - 1),
        "W": f"{iso[1]:02d}",
        "F": calendar.month_name[moment.month],
        "m": f"{moment.month:02d}",
        "M": calendar.month_abbr[moment.month],
        "n": str(moment.month),
        "t": str(calendar.monthrange(moment.year, moment.month)[1]),
        "L": "1" if calendar.isleap(moment.year) else "0",
        "o": str(iso[0]),
        "Y": str(moment.year),
        "y": f"{moment.year % 100:02d}",
        "a": "am" if moment.hour < 12 else "pm",
        "A": "AM" if moment.hour < 12 else "PM",
        "g": str(hour12),
        "G": str(moment.hour),
        "h": f"{hour12:02d}",
        "H": f"{moment.hour:02d}",
        "i": f"{moment.minute:02d}",
        "s": f"{moment.second:02d}",
        "u": f"{moment.microsecond:06d}",
        "v": f"{moment.microsecond // 1000:03d}",
        "e": _zone_name(moment),
        "I": "1" if (moment.dst() or timedelta()) else "0",
        "O": _offset(moment, False),
        "P": _offset(moment, True),
        "p": "Z" if (moment.utcoffset() or timedelta()) == timedelta() else _offset(moment, True),
        "T": moment.tzname() or _offset(moment, True),
        "Z": str(int((moment.utcoffset() or timedelta()).total_seconds())),
        "U": str(int(moment.timestamp())),
    }
    if letter == "c":
        return format_date(moment, "Y-m-d\\TH:i:sP")
    if letter == "r":
        return format_date(moment, "D, d M Y H:i:s O")
    if letter == "B":
        utc = moment.astimezone(UTC)
        beats = int(((utc.hour * 3600 + utc.minute * 60 + utc.second + 3600) % 86400) / 86.4)
        return f"{beats:03d}"
    return table.get(letter, letter)


def format_date(moment: datetime, fmt: str) -> str:
    """PHP ``DateTime::format``; a backslash escapes the next character."""
    out: list[str] = []
    chars = iter(fmt)
    for char in chars:
        if char == "\\":
            out.append(next(chars, ""))
        elif char.isalpha():
            out.append(_letter(moment, char))
        else:
            out.append(char)
    return "".join(out)


def date_filter(value: Any, fmt: Any, timezone: Any, default_zone: tzinfo) -> str:
    """Twig's ``date`` filter: ``timezone`` None uses the configured zone, False keeps the value's own."""
    moment = to_datetime(value, default_zone)
    if timezone is None:
        moment = moment.astimezone(default_zone)
    elif timezone is not False:
        moment = moment.astimezone(zone(str(timezone)))
    return format_date(moment, DEFAULT_FORMAT if fmt is None else str(fmt))
