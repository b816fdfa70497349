"""The time-based parts of the summary model: months, weeks, weekdays, periods.

Every figure describes the tickets in scope at the end of the report's as_of day
(contract section 3); a month or week that as_of cuts short is ``partial``.
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import Field

from ticket_analysis.summary_parts import Count, Day, Days, Part, Rate

Weekday = Literal[
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"
]
#: The weekdays, Monday first (``date.weekday()`` order).
WEEKDAYS: tuple[str, ...] = get_args(Weekday)
#: How many weeks ``weekly_volume`` holds.
WEEKS = 12


class MonthVolume(Part):
    """Tickets created and resolved in one month, and the backlog at its end."""

    month: Annotated[str, Field(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$")]
    created: Count
    resolved: Count
    open_at_end: Count = Field(
        description="Open at the end of the month's last day (of as_of for its month)."
    )
    breach_rate: Rate | None = Field(
        description="Of the tickets resolved in the month with a resolution time, "
        "the share over their priority's target; null when none."
    )
    partial: bool = Field(description="True for the month of as_of unless it ends it.")


class WeekVolume(Part):
    """Tickets created and resolved in one ISO week (Monday to Sunday)."""

    week_start: Day = Field(description="The week's Monday.")
    created: Count
    resolved: Count
    open_at_end: Count = Field(description="At the Sunday (at as_of for its week).")
    partial: bool = Field(description="True for the week of as_of unless it ends it.")


WeeklyVolume = Annotated[
    list[WeekVolume],
    Field(
        description=f"The {WEEKS} weeks ending with the week of as_of, oldest first.",
        min_length=WEEKS,
        max_length=WEEKS,
    ),
]


class WeekdayVolume(Part):
    """Tickets created on one weekday."""

    weekday: Weekday
    created: Count


WeekdayVolumes = Annotated[
    list[WeekdayVolume],
    Field(description="All seven weekdays, Monday first.", min_length=7, max_length=7),
]


class Period(Part):
    """The figures of one period of ``period_days`` days, both ends included."""

    start: Day
    end: Day
    created: Count
    resolved: Count = Field(description="Tickets with a usable resolved_date in it.")
    median_resolution_days: Days | None
    breach_rate: Rate | None
    open_at_end: Count = Field(description="Open at the end of the period's last day.")


class PeriodComparison(Part):
    """The last ``period_days`` days up to as_of against the ones just before."""

    period_days: Annotated[int, Field(strict=True, ge=1)]
    current: Period
    previous: Period
