"""Number, percent, day and month formatting shared by the three reports."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

# English on purpose: calendar.month_name follows the process locale.
_MONTH_NAMES: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def format_percent(fraction: float) -> str:
    """Format a fraction as a percentage for prose and tables (``0.6667`` -> ``"67%"``).

    Whole percent from 10% up, one decimal below (``0.025`` -> ``"2.5%"``),
    rounding halves up; a trailing ``.0`` is dropped.
    """
    percent = Decimal(repr(float(fraction))) * 100
    step = Decimal("1") if abs(percent) >= 10 else Decimal("0.1")
    text = str(percent.quantize(step, rounding=ROUND_HALF_UP))
    if text.endswith(".0"):
        text = text[:-2]
    return f"{text}%"


def format_number(value: float) -> str:
    """Format a number for prose: one decimal, halves up, no ``.0`` (2.33 -> "2.3")."""
    text = str(Decimal(repr(float(value))).quantize(Decimal("0.1"), ROUND_HALF_UP))
    return text[:-2] if text.endswith(".0") else text


def month_name(month: str) -> str:
    """Spell a ``YYYY-MM`` month out in English (``"February 2024"``)."""
    first = date.fromisoformat(f"{month}-01")
    return f"{_MONTH_NAMES[first.month - 1]} {first.year}"


def is_complete_month(month: str, as_of: date) -> bool:
    """Tell whether a ``YYYY-MM`` month ends on or before the report's as-of date."""
    first = date.fromisoformat(f"{month}-01")
    last_day = calendar.monthrange(first.year, first.month)[1]
    return first.replace(day=last_day) <= as_of


def format_days(value: float) -> str:
    """Format a number of days with its unit (``"1 day"``, ``"2.5 days"``)."""
    text = format_number(value)
    return f"{text} {'day' if text == '1' else 'days'}"


# --- shared by the text report, the HTML blocks and the charts (one vocabulary) ---

#: The marker of a month or week that the report date cuts short.
PARTIAL: Final = "partial"
#: How the action list flags a ticket that no agent holds.
UNASSIGNED_FLAG: Final = "UNASSIGNED"
#: What a null figure prints as in the text report and the HTML tables.
NOT_AVAILABLE: Final = "n/a"
#: The one line the reports show when the weather has no location to look up.
WEATHER_NO_LOCATION: Final = "Weather: no location configured (see README)"


def format_count(value: int) -> str:
    """Format a count with thousands separators (``12345`` -> ``"12,345"``)."""
    return f"{value:,}"


def format_rate(value: float | None) -> str:
    """Format a share as a percentage, or ``n/a`` when null."""
    return NOT_AVAILABLE if value is None else format_percent(value)


def format_day_figure(value: float | None) -> str:
    """Format a number of days without unit, one decimal as in prose, or ``n/a``."""
    return NOT_AVAILABLE if value is None else format_number(value)


def format_change(current: float | None, previous: float | None) -> str:
    """Format the change of a count or number of days: ``+5``, ``-1.5``, ``0``."""
    if current is None or previous is None:
        return NOT_AVAILABLE
    text = format_number(current - previous)
    if text in ("0", "-0"):
        return "0"
    return text if text.startswith("-") else f"+{text}"


def format_rate_change(current: float | None, previous: float | None) -> str:
    """Format the change of a share in percentage points: ``+15 pts``, ``-2.5 pts``.

    The difference of the two percentages as printed (``33%`` to ``38%`` is
    ``+5 pts``), so the change always agrees with the figures beside it.
    """
    if current is None or previous is None:
        return NOT_AVAILABLE
    points = Decimal(format_percent(current)[:-1]) - Decimal(
        format_percent(previous)[:-1]
    )
    if not points:
        return "0 pts"
    return f"{'+' if points > 0 else ''}{points} pts"


def format_period(start: date, end: date) -> str:
    """Format a period of days, both ends included (``"2024-02-22 to 2024-03-20"``)."""
    return f"{start.isoformat()} to {end.isoformat()}"


def marked(label: str, partial: bool) -> str:
    """Add the partial marker to a month's or week's label when as_of cuts it short."""
    return f"{label} ({PARTIAL})" if partial else label


def weather_is_unconfigured(status: str, reason: str | None) -> bool:
    """Tell whether the weather is off only because no location is configured."""
    return status == "disabled" and (reason or "").startswith("no location configured")
