"""Period over period: the last ``period_days`` days against the ones before.

Both periods hold ``period_days`` whole days, both ends included: the current one
is ``as_of - period_days + 1 .. as_of``, the previous one the ``period_days`` days
just before it (contract section 3).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import numpy as np

from ticket_analysis.metrics.columns import (
    BoolArray,
    TicketColumns,
    Tickets,
    date_day_number,
    derived,
)
from ticket_analysis.summary_trends import Period, PeriodComparison


def period_comparison(
    tickets: Tickets, as_of: date, period_days: int, targets: Sequence[int]
) -> PeriodComparison:
    """Return the figures of the current period and of the previous one.

    Args:
        tickets: The tickets in scope (or their ``TicketColumns``).
        as_of: The report's reference date: the current period's last day.
        period_days: The length of each period in days.
        targets: SLA target days in priority order (Low, Medium, High, Critical).

    Raises:
        ValueError: If ``period_days`` is below 1.
    """
    if period_days < 1:
        raise ValueError(f"period_days must be >= 1, got {period_days}")
    cols = derived(tickets)
    current_start = as_of - timedelta(days=period_days - 1)
    previous_end = current_start - timedelta(days=1)
    previous_start = previous_end - timedelta(days=period_days - 1)
    bounds = [(previous_start, previous_end), (current_start, as_of)]
    ends = np.array([date_day_number(end) for _, end in bounds], dtype=np.int64)
    open_counts = cols.open_at_end(ends).tolist()
    over = cols.over_target(targets)
    previous, current = (
        _period(cols, start, end, over, open_count)
        for (start, end), open_count in zip(bounds, open_counts, strict=True)
    )
    return PeriodComparison(period_days=period_days, current=current, previous=previous)


def _period(
    cols: TicketColumns, start: date, end: date, over: BoolArray, open_count: int
) -> Period:
    """Return the figures of the days ``start .. end``, both included.

    ``over`` flags the resolution times over their target; ``open_count`` is the
    backlog at the end of ``end``.
    """
    first, last = date_day_number(start), date_day_number(end)
    created = cols.created_day
    resolved_day = cols.resolved_day
    made = (created >= first) & (created <= last)
    # has_resolution_days: resolved with a usable date (present, on or after
    # created_date); the period's bounds keep it on or before as_of.
    done = cols.has_resolution_days & (resolved_day >= first) & (resolved_day <= last)
    count = int(np.count_nonzero(done))
    median: float | None = None
    rate: float | None = None
    if count:
        median = round(float(np.median(cols.resolution_days[done])), 2)
        rate = round(int(np.count_nonzero(over[done])) / count, 4)
    return Period(
        start=start,
        end=end,
        created=int(np.count_nonzero(made)),
        resolved=count,
        median_resolution_days=median,
        breach_rate=rate,
        open_at_end=open_count,
    )
