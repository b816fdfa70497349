"""Period over period: the last period_days days against the ones before."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from factories import make_tickets

from ticket_analysis.metrics.periods import period_comparison
from ticket_analysis.summary_trends import Period, PeriodComparison

#: The default SLA targets in priority order: Low, Medium, High, Critical.
TARGETS = (14, 7, 3, 1)


def _resolved(priority: str, created: str, resolved: str) -> dict[str, Any]:
    return {
        "priority": priority,
        "status": "Resolved",
        "created_date": created,
        "resolved_date": resolved,
    }


def test_two_periods_of_28_days_the_current_starting_on_a_month_first_day() -> None:
    """as_of Mar 28 2024, 28 days: current Mar 1..Mar 28, previous Feb 2..Feb 29.

    P1 High, Feb 2 -> Feb 6 (4 days > 3: over): previous created and resolved.
    P2 Critical, Feb 29 -> Mar 1 (1 day, within): created previous, resolved
       current; open at the end of Feb 29.
    P3 Medium Open, Feb 1 (before both): open at both ends, created in neither.
    P4 Low, Mar 1 -> Mar 28 (27 days > 14: over): resolved on as_of, not open.
    P5 Medium, Mar 10 -> Mar 12 (2 days, within).
    P6 Closed without a date, Mar 5: created current, never resolved nor open.
    P7 Open, created on as_of: created current, open at the end.
    P8 Low, Feb 10 -> Feb 11 (1 day, within).

    current: created P4 P5 P6 P7 = 4; resolved P2 P4 P5 = 3, days [1, 27, 2]
      -> median 2.0, breach 1/3 = 0.3333; open at Mar 28: P3 P7 = 2.
    previous: created P1 P2 P8 = 3; resolved P1 P8 = 2, days [4, 1] -> median
      2.5, breach 1/2 = 0.5; open at Feb 29: P2 P3 = 2.
    """
    tickets = make_tickets(
        [
            _resolved("High", "2024-02-02", "2024-02-06"),
            {
                "priority": "Critical",
                "status": "Closed",
                "created_date": "2024-02-29",
                "resolved_date": "2024-03-01",
            },
            {"priority": "Medium", "status": "Open", "created_date": "2024-02-01"},
            _resolved("Low", "2024-03-01", "2024-03-28"),
            _resolved("Medium", "2024-03-10", "2024-03-12"),
            {"status": "Closed", "created_date": "2024-03-05"},
            {"status": "Open", "created_date": "2024-03-28"},
            _resolved("Low", "2024-02-10", "2024-02-11"),
        ]
    )
    assert period_comparison(tickets, date(2024, 3, 28), 28, TARGETS) == (
        PeriodComparison(
            period_days=28,
            current=Period(
                start=date(2024, 3, 1),
                end=date(2024, 3, 28),
                created=4,
                resolved=3,
                median_resolution_days=2.0,
                breach_rate=0.3333,
                open_at_end=2,
            ),
            previous=Period(
                start=date(2024, 2, 2),
                end=date(2024, 2, 29),
                created=3,
                resolved=2,
                median_resolution_days=2.5,
                breach_rate=0.5,
                open_at_end=2,
            ),
        )
    )


def test_one_day_periods_and_targets_in_priority_order() -> None:
    """period_days 1, as_of Mar 28: current Mar 28, previous Mar 27.

    A Critical Mar 25 -> Mar 27 (2 days): the previous day's one resolution.
    Over the default Critical target 1 (breach 1.0); within a target of 2 (0.0).
    B Open, created Mar 28: current created 1, resolved 0, open at Mar 28: 1.
    previous: created 0, resolved 1 (A), median 2.0, open at Mar 27: 0 (A was
    resolved that day).
    """
    tickets = make_tickets(
        [
            _resolved("Critical", "2024-03-25", "2024-03-27"),
            {"status": "Open", "created_date": "2024-03-28"},
        ]
    )
    strict = period_comparison(tickets, date(2024, 3, 28), 1, TARGETS)
    assert strict.current == Period(
        start=date(2024, 3, 28),
        end=date(2024, 3, 28),
        created=1,
        resolved=0,
        median_resolution_days=None,
        breach_rate=None,
        open_at_end=1,
    )
    assert strict.previous == Period(
        start=date(2024, 3, 27),
        end=date(2024, 3, 27),
        created=0,
        resolved=1,
        median_resolution_days=2.0,
        breach_rate=1.0,
        open_at_end=0,
    )
    lenient = period_comparison(tickets, date(2024, 3, 28), 1, (14, 7, 3, 2))
    assert lenient.previous.breach_rate == 0.0


def test_no_tickets_zeros_and_nulls() -> None:
    """An empty frame: both periods with their dates, zeros and None."""
    comparison = period_comparison(make_tickets([]), date(2024, 3, 28), 7, TARGETS)
    assert comparison == PeriodComparison(
        period_days=7,
        current=Period(
            start=date(2024, 3, 22),
            end=date(2024, 3, 28),
            created=0,
            resolved=0,
            median_resolution_days=None,
            breach_rate=None,
            open_at_end=0,
        ),
        previous=Period(
            start=date(2024, 3, 15),
            end=date(2024, 3, 21),
            created=0,
            resolved=0,
            median_resolution_days=None,
            breach_rate=None,
            open_at_end=0,
        ),
    )


def test_period_days_below_one_is_refused() -> None:
    """A period of 0 days has no meaning."""
    with pytest.raises(ValueError, match="period_days must be >= 1"):
        period_comparison(make_tickets([]), date(2024, 3, 28), 0, TARGETS)
