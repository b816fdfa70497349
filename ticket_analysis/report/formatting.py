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
