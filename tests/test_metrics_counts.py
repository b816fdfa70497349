"""The summary block and the status/priority counts."""

from __future__ import annotations

import pandas as pd
from factories import make_tickets

from ticket_analysis.metrics import (
    priority_counts,
    status_by_priority,
    status_counts,
    ticket_summary,
)
from ticket_analysis.summary_parts import TicketTotals


def _tickets() -> pd.DataFrame:
    # 6 tickets: 3 open (2 Open, 1 In Progress), 3 resolved (2 Resolved, 1 Closed),
    # 2 unassigned. Durations: T004 0 days, T005 4 days; T006 is Closed without a
    # usable date (counted as resolved, no duration).
    return make_tickets(
        [
            {"priority": "High", "status": "Open", "assigned_to": "ana"},
            {"priority": "High", "status": "Open"},
            {"priority": "Low", "status": "In Progress", "assigned_to": "bo"},
            {
                "priority": "Critical",
                "status": "Resolved",
                "created_date": "2024-01-10",
                "resolved_date": "2024-01-10",
                "assigned_to": "ana",
            },
            {
                "priority": "High",
                "status": "Resolved",
                "created_date": "2024-01-10",
                "resolved_date": "2024-01-14",
                "assigned_to": "bo",
            },
            {"priority": "Critical", "status": "Closed"},
        ]
    )


def test_summary_counts_and_resolution_figures() -> None:
    """Open = Open + In Progress, resolved = Resolved + Closed; mean over durations."""
    assert ticket_summary(_tickets()) == TicketTotals(
        total_tickets=6,
        open_tickets=3,
        resolved_tickets=3,
        unassigned_tickets=2,
        # durations 0 and 4: mean 2, median (0 + 4) / 2 = 2
        avg_resolution_days=2.0,
        median_resolution_days=2.0,
    )


def test_status_counts_keep_every_status_in_workflow_order() -> None:
    """All four statuses are present, zeros included, in workflow order."""
    tickets = make_tickets([{"status": "Open"}, {"status": "Open"}])
    counts = status_counts(tickets)
    assert counts == {"Open": 2, "In Progress": 0, "Resolved": 0, "Closed": 0}
    assert list(counts) == ["Open", "In Progress", "Resolved", "Closed"]
    assert status_counts(_tickets()) == {
        "Open": 2,
        "In Progress": 1,
        "Resolved": 2,
        "Closed": 1,
    }


def test_priority_counts_keep_every_priority_lowest_first() -> None:
    """All four priorities are present, zeros included, Low first."""
    counts = priority_counts(_tickets())
    assert counts == {"Low": 1, "Medium": 0, "High": 3, "Critical": 2}
    assert list(counts) == ["Low", "Medium", "High", "Critical"]


def test_status_by_priority_is_the_full_grid() -> None:
    """Every priority has every status, zeros included."""
    grid = status_by_priority(_tickets())
    zero = {"Open": 0, "In Progress": 0, "Resolved": 0, "Closed": 0}
    assert grid == {
        "Low": {**zero, "In Progress": 1},
        "Medium": zero,
        "High": {**zero, "Open": 2, "Resolved": 1},
        "Critical": {**zero, "Resolved": 1, "Closed": 1},
    }
    assert list(grid) == ["Low", "Medium", "High", "Critical"]
    assert all(list(row) == list(zero) for row in grid.values())


def test_empty_frame_counts_are_zero_and_figures_null() -> None:
    """No tickets: zeros everywhere and null resolution figures."""
    empty = make_tickets([])
    assert ticket_summary(empty) == TicketTotals(
        total_tickets=0,
        open_tickets=0,
        resolved_tickets=0,
        unassigned_tickets=0,
        avg_resolution_days=None,
        median_resolution_days=None,
    )
    assert set(status_counts(empty).values()) == {0}
    assert set(priority_counts(empty).values()) == {0}
