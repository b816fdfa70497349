"""The open backlog: tickets open for too long, and how old the backlog is.

Ages are counted on the report's ``as_of`` date. A ticket created after ``as_of``
has a negative age: it is never over the threshold and falls in the youngest
aging bucket.
"""

from __future__ import annotations

from datetime import date
from typing import TypedDict

import numpy as np
import numpy.typing as npt

from ticket_analysis.domain import PRIORITIES, STATUSES
from ticket_analysis.metrics.columns import (
    IntArray,
    TicketColumns,
    Tickets,
    day_strings,
    derived,
    ranked_indices,
    take_strings,
)

#: Aging buckets as (label, largest age in the bucket); the last is open-ended.
AGING_BUCKETS: tuple[tuple[str, int | None], ...] = (
    ("0-1", 1),
    ("2-3", 3),
    ("4-7", 7),
    ("8-14", 14),
    ("15-30", 30),
    ("31+", None),
)
_PRIORITY_NAMES = np.array(PRIORITIES, dtype=object)
_STATUS_NAMES = np.array(STATUSES, dtype=object)


class OverdueTicket(TypedDict):
    """One ticket in ``open_over_threshold.tickets``."""

    ticket_id: str
    customer_id: str
    priority: str
    status: str
    assigned_to: str | None
    created_date: str
    age_days: int


class OpenOverThreshold(TypedDict):
    """The ``open_over_threshold`` block."""

    threshold_days: int
    count: int
    by_priority: dict[str, int]
    tickets: list[OverdueTicket]


class AgingBucket(TypedDict):
    """One entry of ``backlog_aging``."""

    bucket: str
    count: int


def open_over_threshold(
    tickets: Tickets, as_of: date, *, open_days: int = 7, list_limit: int = 100
) -> OpenOverThreshold:
    """Return the open tickets whose age exceeds ``open_days``.

    A ticket exactly ``open_days`` old is not over the threshold; one day older is.

    Args:
        tickets: The validated tickets frame (or its ``TicketColumns``).
        as_of: The report's reference date.
        open_days: The threshold in days.
        list_limit: At most this many tickets are listed (0 = all); ``count`` and
            ``by_priority`` always cover every such ticket.

    Returns:
        The threshold, the full count, the count per priority (all four) and the
        tickets, oldest first, then by ticket_id.
    """
    cols = derived(tickets)
    ages = cols.age_days(as_of)
    rows = np.flatnonzero(cols.open & (ages > open_days))
    by_priority = np.bincount(cols.priority[rows], minlength=len(PRIORITIES))
    ids = take_strings(cols.frame["ticket_id"], rows)
    chosen = rows[ranked_indices(ages[rows], ids, list_limit)]
    return {
        "threshold_days": open_days,
        "count": int(rows.size),
        "by_priority": dict(zip(PRIORITIES, by_priority.tolist(), strict=True)),
        "tickets": _ticket_records(cols, chosen, ages),
    }


def _ticket_records(
    cols: TicketColumns, rows: npt.NDArray[np.intp], ages: IntArray
) -> list[OverdueTicket]:
    """Build the JSON records of the tickets at positions ``rows``, in that order."""
    frame = cols.frame
    columns = zip(
        take_strings(frame["ticket_id"], rows).to_pylist(),
        take_strings(frame["customer_id"], rows).to_pylist(),
        _PRIORITY_NAMES[cols.priority[rows]].tolist(),
        _STATUS_NAMES[cols.status[rows]].tolist(),
        take_strings(frame["assigned_to"], rows).to_pylist(),
        day_strings(cols.created_day[rows]),
        ages[rows].tolist(),
        strict=True,
    )
    return [
        {
            "ticket_id": ticket_id,
            "customer_id": customer_id,
            "priority": priority,
            "status": status,
            "assigned_to": assigned,
            "created_date": created,
            "age_days": age,
        }
        for ticket_id, customer_id, priority, status, assigned, created, age in columns
    ]


def backlog_aging(tickets: Tickets, as_of: date) -> list[AgingBucket]:
    """Return how many open tickets fall in each age bucket.

    Args:
        tickets: The validated tickets frame (or its ``TicketColumns``).
        as_of: The report's reference date.

    Returns:
        All six buckets of :data:`AGING_BUCKETS` in order, zeros included; a
        negative age counts as 0.
    """
    cols = derived(tickets)
    ages = np.maximum(cols.age_days(as_of)[cols.open], 0)
    upper = np.array([top for _, top in AGING_BUCKETS if top is not None])
    counts = np.bincount(
        np.searchsorted(upper, ages, side="left"), minlength=len(AGING_BUCKETS)
    )
    return [
        {"bucket": label, "count": count}
        for (label, _), count in zip(AGING_BUCKETS, counts.tolist(), strict=True)
    ]
