"""Monthly created/resolved volume."""

from __future__ import annotations

from factories import make_tickets

from ticket_analysis.metrics import monthly_volume
from ticket_analysis.summary_parts import MonthVolume


def test_months_without_tickets_are_filled_with_zeros() -> None:
    """Nov 2023 and Jan 2024 have tickets; Dec 2023 appears with zeros."""
    tickets = make_tickets(
        [
            {"created_date": "2023-11-30"},
            {"created_date": "2023-11-01"},
            {"created_date": "2024-01-31"},
        ]
    )
    assert monthly_volume(tickets) == [
        MonthVolume(month="2023-11", created=2, resolved=0),
        MonthVolume(month="2023-12", created=0, resolved=0),
        MonthVolume(month="2024-01", created=1, resolved=0),
    ]


def test_resolved_counts_by_resolved_date_and_can_extend_the_range() -> None:
    """A resolution in a later month adds that month; dateless ones do not count."""
    tickets = make_tickets(
        [
            # created Jan, resolved Mar -> Jan created 1, Mar resolved 1
            {
                "status": "Resolved",
                "created_date": "2024-01-15",
                "resolved_date": "2024-03-02",
            },
            # same-month resolution
            {
                "status": "Closed",
                "created_date": "2024-01-20",
                "resolved_date": "2024-01-20",
            },
            # Closed without a usable date: created counts, resolved does not
            {"status": "Closed", "created_date": "2024-01-21"},
        ]
    )
    assert monthly_volume(tickets) == [
        MonthVolume(month="2024-01", created=3, resolved=1),
        MonthVolume(month="2024-02", created=0, resolved=0),
        MonthVolume(month="2024-03", created=0, resolved=1),
    ]


def test_no_tickets_no_months() -> None:
    """An empty frame has no months."""
    assert monthly_volume(make_tickets([])) == []
