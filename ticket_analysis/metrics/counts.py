"""Ticket counts: the summary block, by status, by priority and the 4x4 grid.

Every key of every enum is always present, with 0 when no ticket has it.
"""

from __future__ import annotations

from typing import TypedDict

import numpy as np

from ticket_analysis.domain import PRIORITIES, STATUSES
from ticket_analysis.metrics.columns import Tickets, derived
from ticket_analysis.metrics.resolution import describe_days


class Summary(TypedDict):
    """The ``summary`` block."""

    total_tickets: int
    open_tickets: int
    resolved_tickets: int
    unassigned_tickets: int
    avg_resolution_days: float | None
    median_resolution_days: float | None


def ticket_summary(tickets: Tickets) -> Summary:
    """Return the headline counts and resolution figures.

    Args:
        tickets: The validated tickets frame (or its ``TicketColumns``).

    Returns:
        Totals (open = Open/In Progress, resolved = Resolved/Closed, unassigned =
        no ``assigned_to``) and the mean and median resolution time over all
        tickets that have one (None when none has).
    """
    cols = derived(tickets)
    stats = describe_days(cols.resolution_days)
    return {
        "total_tickets": len(cols),
        "open_tickets": int(np.count_nonzero(cols.open)),
        "resolved_tickets": int(np.count_nonzero(cols.resolved)),
        "unassigned_tickets": int(np.count_nonzero(cols.unassigned)),
        "avg_resolution_days": stats["mean"],
        "median_resolution_days": stats["median"],
    }


def status_counts(tickets: Tickets) -> dict[str, int]:
    """Return the number of tickets per status.

    Args:
        tickets: The validated tickets frame (or its ``TicketColumns``).

    Returns:
        All four statuses in workflow order, zeros included.
    """
    counts = np.bincount(derived(tickets).status, minlength=len(STATUSES))
    return dict(zip(STATUSES, counts.tolist(), strict=True))


def priority_counts(tickets: Tickets) -> dict[str, int]:
    """Return the number of tickets per priority.

    Args:
        tickets: The validated tickets frame (or its ``TicketColumns``).

    Returns:
        All four priorities, lowest first, zeros included.
    """
    counts = np.bincount(derived(tickets).priority, minlength=len(PRIORITIES))
    return dict(zip(PRIORITIES, counts.tolist(), strict=True))


def status_by_priority(tickets: Tickets) -> dict[str, dict[str, int]]:
    """Return the number of tickets per priority and status.

    Args:
        tickets: The validated tickets frame (or its ``TicketColumns``).

    Returns:
        ``{priority: {status: n}}``: the full 4x4 grid, zeros included.
    """
    cols = derived(tickets)
    cells = cols.priority * len(STATUSES) + cols.status
    grid = np.bincount(cells, minlength=len(PRIORITIES) * len(STATUSES))
    rows = grid.reshape(len(PRIORITIES), len(STATUSES)).tolist()
    return {
        priority: dict(zip(STATUSES, row, strict=True))
        for priority, row in zip(PRIORITIES, rows, strict=True)
    }
