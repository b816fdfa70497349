"""The open backlog: tickets open for too long, and how old the backlog is.

Ages are counted on the report's ``as_of`` date. A ticket created after ``as_of``
has a negative age: it is never over the threshold and falls in the youngest
aging bucket.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import numpy.typing as npt

from ticket_analysis.domain import PRIORITIES, STATUSES
from ticket_analysis.metrics.columns import (
    IntArray,
    TicketColumns,
    Tickets,
    day_dates,
    derived,
    ranked_indices,
    take_strings,
)
from ticket_analysis.summary_parts import (
    AgingBucket,
    AgingLabel,
    OpenOverThreshold,
    OverThresholdTicket,
    by_priority,
)

#: Aging buckets as (label, largest age in the bucket); the last is open-ended.
AGING_BUCKETS: tuple[tuple[AgingLabel, int | None], ...] = (
    ("0-1", 1),
    ("2-3", 3),
    ("4-7", 7),
    ("8-14", 14),
    ("15-30", 30),
    ("31+", None),
)
_PRIORITY_NAMES = np.array(PRIORITIES, dtype=object)
_STATUS_NAMES = np.array(STATUSES, dtype=object)


def open_over_threshold(
    tickets: Tickets, as_of: date, *, open_days: int = 7, list_limit: int = 100
) -> OpenOverThreshold:
    """Return the open tickets older than ``open_days`` (exactly that old is not).

    At most ``list_limit`` tickets are listed (0 = all), oldest first, then by
    ticket_id; ``count`` and ``by_priority`` (all four) cover every such ticket.
    """
    cols = derived(tickets)
    ages = cols.age_days(as_of)
    rows = np.flatnonzero(cols.open & (ages > open_days))
    counts = np.bincount(cols.priority[rows], minlength=len(PRIORITIES))
    ids = take_strings(cols.frame["ticket_id"], rows)
    chosen = rows[ranked_indices(ages[rows], ids, list_limit)]
    return OpenOverThreshold(
        threshold_days=open_days,
        count=int(rows.size),
        by_priority=by_priority(counts.tolist()),
        tickets=_listed_tickets(cols, chosen, ages),
    )


def _listed_tickets(
    cols: TicketColumns, rows: npt.NDArray[np.intp], ages: IntArray
) -> list[OverThresholdTicket]:
    """Build the entries of the tickets at positions ``rows``, in that order."""
    frame = cols.frame
    columns = zip(
        take_strings(frame["ticket_id"], rows).to_pylist(),
        take_strings(frame["customer_id"], rows).to_pylist(),
        _PRIORITY_NAMES[cols.priority[rows]].tolist(),
        _STATUS_NAMES[cols.status[rows]].tolist(),
        take_strings(frame["assigned_to"], rows).to_pylist(),
        day_dates(cols.created_day[rows]),
        ages[rows].tolist(),
        strict=True,
    )
    return [
        OverThresholdTicket(
            ticket_id=ticket_id,
            customer_id=customer_id,
            priority=priority,
            status=status,
            assigned_to=assigned,
            created_date=created,
            age_days=age,
        )
        for ticket_id, customer_id, priority, status, assigned, created, age in columns
    ]


def backlog_aging(tickets: Tickets, as_of: date) -> list[AgingBucket]:
    """Count open tickets per :data:`AGING_BUCKETS` bucket (all six; age < 0 as 0)."""
    cols = derived(tickets)
    ages = np.maximum(cols.age_days(as_of)[cols.open], 0)
    upper = np.array([top for _, top in AGING_BUCKETS if top is not None])
    counts = np.bincount(
        np.searchsorted(upper, ages, side="left"), minlength=len(AGING_BUCKETS)
    )
    return [
        AgingBucket(bucket=label, count=count)
        for (label, _), count in zip(AGING_BUCKETS, counts.tolist(), strict=True)
    ]
