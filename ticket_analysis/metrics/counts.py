"""Ticket counts: the summary block, by status, by priority and the 4x4 grid.

Every key of every enum is always present, with 0 when no ticket has it.
"""

from __future__ import annotations

import numpy as np

from ticket_analysis.domain import PRIORITIES, STATUSES
from ticket_analysis.metrics.columns import Tickets, derived
from ticket_analysis.metrics.resolution import describe_days
from ticket_analysis.summary_parts import (
    Priority,
    Status,
    TicketTotals,
    by_priority,
    by_status,
)


def ticket_summary(tickets: Tickets) -> TicketTotals:
    """Return the headline counts and resolution figures.

    Open = Open/In Progress, resolved = Resolved/Closed, unassigned = no
    ``assigned_to``; mean and median cover every ticket with a resolution time
    (None when none has).
    """
    cols = derived(tickets)
    stats = describe_days(cols.resolution_days)
    return TicketTotals(
        total_tickets=len(cols),
        open_tickets=int(np.count_nonzero(cols.open)),
        resolved_tickets=int(np.count_nonzero(cols.resolved)),
        unassigned_tickets=int(np.count_nonzero(cols.unassigned)),
        avg_resolution_days=stats.mean,
        median_resolution_days=stats.median,
    )


def status_counts(tickets: Tickets) -> dict[Status, int]:
    """Return the number of tickets per status, all four in workflow order."""
    counts = np.bincount(derived(tickets).status, minlength=len(STATUSES))
    return by_status(counts.tolist())


def priority_counts(tickets: Tickets) -> dict[Priority, int]:
    """Return the number of tickets per priority, all four, lowest first."""
    counts = np.bincount(derived(tickets).priority, minlength=len(PRIORITIES))
    return by_priority(counts.tolist())


def status_by_priority(tickets: Tickets) -> dict[Priority, dict[Status, int]]:
    """Return the number of tickets per priority and status: the full 4x4 grid."""
    cols = derived(tickets)
    cells = cols.priority * len(STATUSES) + cols.status
    grid = np.bincount(cells, minlength=len(PRIORITIES) * len(STATUSES))
    rows = grid.reshape(len(PRIORITIES), len(STATUSES)).tolist()
    return by_priority(by_status(row) for row in rows)
