"""Ticket volume over time: per calendar month, per ISO week and per weekday.

Every figure describes the tickets in scope at the end of the report's as_of day
(contract section 3). The scope module already leaves out rows created after as_of
and reopens tickets resolved after it; the functions here still count only dates on
or before as_of, so a frame that was not scoped cannot put a ticket in a month or
week that has not happened yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np

from ticket_analysis.metrics.columns import (
    BoolArray,
    IntArray,
    TicketColumns,
    Tickets,
    date_day_number,
    day_dates,
    derived,
)
from ticket_analysis.summary_trends import (
    WEEKDAYS,
    WEEKS,
    MonthVolume,
    WeekdayVolume,
    WeekVolume,
)

#: Day number 0 (1970-01-01) was a Thursday: ``(day + _THURSDAY) % 7`` is Monday = 0.
_THURSDAY = 3
_SUNDAY = 6


def _month_numbers(days: IntArray) -> IntArray:
    """Return months since 1970-01 for day numbers.

    Converting every value to ``datetime64[M]`` is slow at a million rows; the
    distinct days of a ticket export span a few thousand values at most, so only
    the range ``min..max`` is converted and looked up.
    """
    if days.size == 0:
        return np.zeros(0, dtype=np.int64)
    first = int(days.min())
    span = np.arange(first, int(days.max()) + 1).astype("datetime64[D]")
    months = span.astype("datetime64[M]").view(np.int64)
    picked: IntArray = months[days - first]
    return picked


def _month_of(day: int) -> int:
    """Return the month (since 1970-01) that holds a day number."""
    return int(np.datetime64(day, "D").astype("datetime64[M]").view(np.int64))


def _resolved_by(cols: TicketColumns, last_day: int) -> BoolArray:
    """Whether each ticket has a usable resolved date on or before ``last_day``."""
    usable: BoolArray = cols.has_resolution_days & (cols.resolved_day <= last_day)
    return usable


def _rates(over: list[int], timed: list[int]) -> list[float | None]:
    """Return ``over / timed`` per entry, 4 decimals, None where ``timed`` is 0."""
    return [round(o / t, 4) if t else None for o, t in zip(over, timed, strict=True)]


def monthly_volume(
    tickets: Tickets, as_of: date, targets: Sequence[int]
) -> list[MonthVolume]:
    """Return the tickets created, resolved and open per month up to as_of.

    ``created`` counts by created_date; ``resolved`` counts usable resolved dates
    (contract section 3). Months run from the first with a creation or resolution
    to the month of as_of, oldest first, gaps filled with zeros; empty without
    tickets. ``open_at_end`` is taken at the month's last day (at as_of for its
    month); ``breach_rate`` is the share of the month's resolutions with a
    resolution time that exceeded their priority's target.

    Args:
        tickets: The tickets in scope (or their ``TicketColumns``).
        as_of: The report's reference date.
        targets: SLA target days in priority order (Low, Medium, High, Critical).
    """
    cols = derived(tickets)
    as_of_day = date_day_number(as_of)
    made = cols.created_day <= as_of_day
    if not made.any():
        return []
    done = _resolved_by(cols, as_of_day)
    created = _month_numbers(cols.created_day[made])
    resolved = _month_numbers(cols.resolved_day[done])
    over = cols.over_target(targets)[done]
    last = _month_of(as_of_day)
    first = int(min(created.min(), resolved.min(initial=last)))
    size = last - first + 1
    created_counts = np.bincount(created - first, minlength=size).tolist()
    resolved_counts = np.bincount(resolved - first, minlength=size).tolist()
    over_counts = np.bincount(resolved[over] - first, minlength=size).tolist()
    # The last day of each month is the day before the next month's first day.
    next_firsts = np.arange(first + 1, last + 2).astype("datetime64[M]")
    ends = next_firsts.astype("datetime64[D]").view(np.int64) - 1
    partial = int(ends[-1]) != as_of_day
    ends[-1] = as_of_day
    open_counts = cols.open_at_end(ends).tolist()
    rates = _rates(over_counts, resolved_counts)
    return [
        MonthVolume(
            month=f"{(first + i) // 12 + 1970:04d}-{(first + i) % 12 + 1:02d}",
            created=created_counts[i],
            resolved=resolved_counts[i],
            open_at_end=open_counts[i],
            breach_rate=rates[i],
            partial=partial and i == size - 1,
        )
        for i in range(size)
    ]


def _week_counts(days: IntArray, start: int, last_day: int) -> list[int]:
    """Return how many of ``days`` fall in each of the weeks from ``start``."""
    inside = days[(days >= start) & (days <= last_day)]
    counts: list[int] = np.bincount((inside - start) // 7, minlength=WEEKS).tolist()
    return counts


def weekly_volume(tickets: Tickets, as_of: date) -> list[WeekVolume]:
    """Return the 12 ISO weeks (Monday to Sunday) ending with the week of as_of.

    Oldest first, always 12 entries (zeros without tickets): tickets created and
    resolved (usable resolved dates) in each week, and open at the end of its
    Sunday (of as_of for its week). The week of as_of is ``partial`` unless as_of
    is its Sunday.
    """
    cols = derived(tickets)
    as_of_day = date_day_number(as_of)
    weekday = (as_of_day + _THURSDAY) % 7
    start = as_of_day - weekday - 7 * (WEEKS - 1)
    mondays = start + 7 * np.arange(WEEKS, dtype=np.int64)
    sundays = mondays + _SUNDAY
    sundays[-1] = as_of_day
    created = _week_counts(cols.created_day, start, as_of_day)
    done = _resolved_by(cols, as_of_day)
    resolved = _week_counts(cols.resolved_day[done], start, as_of_day)
    open_counts = cols.open_at_end(sundays).tolist()
    return [
        WeekVolume(
            week_start=monday,
            created=created[i],
            resolved=resolved[i],
            open_at_end=open_counts[i],
            partial=i == WEEKS - 1 and weekday != _SUNDAY,
        )
        for i, monday in enumerate(day_dates(mondays))
    ]


def weekday_volume(tickets: Tickets) -> list[WeekdayVolume]:
    """Return how many tickets were created on each weekday, Monday first."""
    cols = derived(tickets)
    weekdays = (cols.created_day + _THURSDAY) % 7
    counts = np.bincount(weekdays, minlength=7).tolist()
    return [
        WeekdayVolume(weekday=name, created=count)  # type: ignore[arg-type]
        for name, count in zip(WEEKDAYS, counts, strict=True)
    ]
