"""Monthly ticket volume: tickets created and resolved per calendar month."""

from __future__ import annotations

import numpy as np

from ticket_analysis.metrics.columns import IntArray, Tickets, derived
from ticket_analysis.summary_parts import MonthVolume


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


def monthly_volume(tickets: Tickets) -> list[MonthVolume]:
    """Return tickets created and resolved per month, gaps filled with zeros.

    ``created`` counts by created_date; ``resolved`` counts resolved tickets
    with a usable resolved_date, by that date. Months run from the first to the
    last with a creation or resolution, oldest first; empty without tickets.
    """
    cols = derived(tickets)
    created = _month_numbers(cols.created_day)
    resolved = _month_numbers(cols.resolved_day[cols.has_resolution_days])
    if created.size == 0:
        return []
    first = int(min(created.min(), resolved.min(initial=created.min())))
    last = int(max(created.max(), resolved.max(initial=created.max())))
    size = last - first + 1
    created_counts = np.bincount(created - first, minlength=size).tolist()
    resolved_counts = np.bincount(resolved - first, minlength=size).tolist()
    return [
        MonthVolume(
            month=f"{(first + i) // 12 + 1970:04d}-{(first + i) % 12 + 1:02d}",
            created=created_counts[i],
            resolved=resolved_counts[i],
        )
        for i in range(size)
    ]
