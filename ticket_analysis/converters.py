"""Converters from settings text (``.env``, environment, flags) to typed values.

Each ``_name`` converter raises ValueError saying what was expected; each
``parse_name`` is the same for a CLI flag or notebook parameter, raising one
:class:`UsageError` line that names the flag and its value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import TypeVar

from ticket_analysis.dates import RANGE_TEXT, in_range
from ticket_analysis.domain import DEFAULT_SLA_TARGETS_DAYS, PRIORITIES
from ticket_analysis.exceptions import UsageError

T = TypeVar("T")

#: Upper bounds: past them a value means nothing (dates span 1970-2099), and an
#: unbounded one overflowed in C code (``--top-words 99999999999999999999``).
MAX_DAYS = 36_500  # 100 years
MAX_COUNT = 1_000_000_000  # a number of tickets, records or customers
MAX_LIST = 100_000  # entries listed in a report
MAX_TTL_SECONDS = 31_536_000  # a year
MAX_TIMEOUT_SECONDS = 600.0

# --- converters: text -> value; a ValueError says what was expected ---


def read_whole(text: str, minimum: int = 0, maximum: int = MAX_COUNT) -> int:
    """Read a whole number between ``minimum`` and ``maximum``."""
    text = text.strip()
    # At most 20 digits: int() of a huge string is slow and means nothing here.
    if not re.fullmatch(r"[+-]?\d{1,20}", text) or not minimum <= int(text) <= maximum:
        raise ValueError(f"expected a whole number from {minimum} to {maximum}")
    return int(text)


def read_checked(
    ok: Callable[[float], bool], expected: str, percent: bool = False
) -> Callable[[str], float]:
    """Return a converter of a number ``ok`` accepts (``25%`` is 0.25 if percent)."""

    def convert(text: str) -> float:
        text = text.strip()
        scale = 100.0 if percent and text.endswith("%") else 1.0
        try:
            number = float(text.removesuffix("%") if percent else text) / scale
        except ValueError:
            number = float("nan")  # which ``ok`` never accepts
        if not ok(number):
            raise ValueError(f"expected {expected}")
        return number

    return convert


read_seconds = read_checked(
    lambda x: 0 < x <= MAX_TIMEOUT_SECONDS,
    f"seconds above 0 and at most {MAX_TIMEOUT_SECONDS:g}",
)
read_share = read_checked(
    lambda x: 0 <= x <= 1, "a share between 0 and 1 (for example 0.05 or 5%)", True
)
read_change = read_checked(
    lambda x: 0 <= x < float("inf"), "a change >= 0 (for example 0.25 or 25%)", True
)
read_latitude = read_checked(lambda x: -90 <= x <= 90, "degrees between -90 and 90")
read_longitude = read_checked(
    lambda x: -180 <= x <= 180, "degrees between -180 and 180"
)
read_days = partial(read_whole, maximum=MAX_DAYS)
read_list_size = partial(read_whole, maximum=MAX_LIST)
read_ttl = partial(read_whole, maximum=MAX_TTL_SECONDS)


def read_date(text: str) -> date:
    """Read a strict ``YYYY-MM-DD`` date in the supported range (``dates.py``)."""
    text = text.strip()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        # A year Python's date cannot hold (0000) is out of range, not unreal.
        day = date.fromisoformat(text) if int(text[:4]) else None
    except ValueError:
        raise ValueError("expected a real date as YYYY-MM-DD") from None
    if day is None or not in_range(day):
        raise ValueError(f"expected a date in the supported range {RANGE_TEXT}")
    return day


def read_bool(text: str) -> bool:
    """Read a yes/no switch (true/false, yes/no, on/off, 1/0)."""
    word = text.strip().lower()
    if word not in {"1", "true", "yes", "on", "0", "false", "no", "off"}:
        raise ValueError("expected true or false")
    return word in {"1", "true", "yes", "on"}


def read_sla_targets(text: str) -> dict[str, int]:
    """Read ``Critical=1,High=3`` pairs; priorities not named keep their default."""
    targets = dict(DEFAULT_SLA_TARGETS_DAYS)
    by_lower = {p.lower(): p for p in PRIORITIES}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, days = part.partition("=")
        priority = by_lower.get(key.strip().lower())
        if not sep or priority is None:
            raise ValueError(
                "expected pairs like 'Critical=1,High=3,Medium=7,Low=14' "
                f"(priorities: {', '.join(PRIORITIES)})"
            )
        targets[priority] = read_days(days)
    return targets


def read_priority(text: str) -> str:
    """Read a priority like the loader does (``high``, ``HIGH`` -> ``High``)."""
    key = re.sub(r"[\s_\-]+", " ", text.strip().lower())
    for priority in PRIORITIES:
        if priority.lower() == key:
            return priority
    raise ValueError(f"expected one of {', '.join(PRIORITIES)}")


def read_text(text: str) -> str:
    """Read a non-empty value, trimmed (an agent or customer name)."""
    if not text.strip():
        raise ValueError("expected a non-empty value")
    return text.strip()


def read_words(text: str) -> tuple[str, ...]:
    """Read a comma-separated word list as lower-case words."""
    return tuple(w.strip().lower() for w in text.split(",") if w.strip())


def read_log_level(text: str) -> str:
    """Read a logging level name."""
    level = text.strip().upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise ValueError("expected DEBUG, INFO, WARNING, ERROR or CRITICAL")
    return level


def read_url(text: str) -> str:
    """Read a base URL (http or https), without its trailing slash."""
    text = text.strip().rstrip("/")
    if not re.match(r"https?://[^/\s]+", text):
        raise ValueError("expected a base URL such as https://api.open-meteo.com")
    return text


def read_path(text: str) -> Path:
    """Read a path, expanding ``~``; refuse an empty one, NUL, or bytes not UTF-8."""
    text = text.strip()
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = "\0"
    if not text or "\0" in text:
        raise ValueError("expected a path in UTF-8 text")
    return Path(text).expanduser()


# --- the same converters for CLI flags: (value, flag name) -> value, UsageError ---


def _named(convert: Callable[[str], T]) -> Callable[[str, str], T]:
    """Return ``convert`` taking the flag or variable name for its UsageError."""

    def parse(value: str, name: str) -> T:
        try:
            return convert(value)
        except ValueError as exc:
            raise UsageError(f"{name}={value!r} is not valid: {exc}") from None

    parse.__doc__ = convert.__doc__
    return parse


def parse_int(
    value: str, name: str, *, minimum: int = 0, maximum: int = MAX_COUNT
) -> int:
    """Parse a whole number between ``minimum`` and ``maximum`` (UsageError if not)."""
    return _named(partial(read_whole, minimum=minimum, maximum=maximum))(value, name)


parse_days = _named(read_days)
parse_list_size = _named(read_list_size)
parse_timeout = _named(read_seconds)
parse_rate = _named(read_share)
parse_change = _named(read_change)
parse_date = _named(read_date)
parse_bool = _named(read_bool)
parse_latitude = _named(read_latitude)
parse_longitude = _named(read_longitude)
parse_sla_targets = _named(read_sla_targets)
parse_priority = _named(read_priority)
parse_text = _named(read_text)
read_period = partial(read_whole, minimum=1, maximum=MAX_DAYS)
parse_period = _named(read_period)
parse_words = _named(read_words)
parse_log_level = _named(read_log_level)
parse_path = _named(read_path)
