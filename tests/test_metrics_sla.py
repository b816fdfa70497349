"""SLA targets, breach rates and open tickets past their target."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from factories import make_tickets

from ticket_analysis.metrics import sla_compliance
from ticket_analysis.metrics.sla import sla_targets
from ticket_analysis.summary_parts import Sla, SlaFigures

AS_OF = date(2024, 3, 20)


def _took(priority: str, days: int) -> dict[str, Any]:
    return {
        "priority": priority,
        "status": "Resolved",
        "created_date": "2024-03-01",
        "resolved_date": f"2024-03-{1 + days:02d}",
    }


def test_default_targets_and_breach_rates() -> None:
    """Resolution <= target is within; breach rate has 4 decimals."""
    tickets = make_tickets(
        [
            # Critical (target 1): 0 and 1 within, 2 breached -> 1/3 = 0.3333
            _took("Critical", 0),
            _took("Critical", 1),
            _took("Critical", 2),
            # High (target 3): 3 within -> 0.0
            _took("High", 3),
            # Critical opened 2 days ago: past the 1-day target
            {"priority": "Critical", "status": "Open", "created_date": "2024-03-18"},
            # Low opened exactly 14 days ago: not past the 14-day target
            {"priority": "Low", "status": "Open", "created_date": "2024-03-06"},
            # Low opened 15 days ago: past it
            {"priority": "Low", "status": "In Progress", "created_date": "2024-03-05"},
            # Closed without a usable date: no duration, not open
            {"priority": "Medium", "status": "Closed"},
        ]
    )
    assert sla_compliance(tickets, AS_OF) == Sla(
        targets_days={"Low": 14, "Medium": 7, "High": 3, "Critical": 1},
        # 3 Critical + 1 High timed, 2 + 1 within: 1/4; open: Critical and Low.
        overall=SlaFigures(
            resolved_with_duration=4,
            within_target=3,
            breach_rate=0.25,
            open_breaching=2,
        ),
        by_priority={
            "Low": SlaFigures(
                resolved_with_duration=0,
                within_target=0,
                breach_rate=None,
                open_breaching=1,
            ),
            "Medium": SlaFigures(
                resolved_with_duration=0,
                within_target=0,
                breach_rate=None,
                open_breaching=0,
            ),
            "High": SlaFigures(
                resolved_with_duration=1,
                within_target=1,
                breach_rate=0.0,
                open_breaching=0,
            ),
            "Critical": SlaFigures(
                resolved_with_duration=3,
                within_target=2,
                breach_rate=0.3333,
                open_breaching=1,
            ),
        },
    )


def _mixed() -> list[dict[str, Any]]:
    """Tickets whose verdict depends on their own priority's target."""
    return [
        _took("Low", 10),  # 10 <= 14: within (would breach High's 3)
        _took("Medium", 7),  # 7 <= 7: within (the boundary)
        _took("Medium", 8),  # 8 > 7: breached
        _took("High", 4),  # 4 > 3: breached (within Low's 14)
        _took("Critical", 1),  # 1 <= 1: within
        {"priority": "High", "status": "Closed"},  # no usable date: not timed
        # Open on 2024-03-20:
        {"priority": "High", "created_date": "2024-03-17"},  # 3 == 3: not past
        {"priority": "High", "created_date": "2024-03-16"},  # 4 > 3: past
        {"priority": "Low", "created_date": "2024-03-10"},  # 10 <= 14: not past
        {"priority": "Critical", "status": "In Progress", "created_date": "2024-03-18"},
    ]


def test_overall_holds_each_ticket_against_its_own_target() -> None:
    """Overall: 5 timed, 3 within (Low 10, Medium 7, Critical 1) -> 2/5 = 0.4.

    Open past target: High aged 4 and Critical aged 2 -> 2 (the Low aged 10 and
    the High aged exactly 3 are not). The overall figures add up the priorities'.
    """
    result = sla_compliance(make_tickets(_mixed()), AS_OF)
    assert result.overall == SlaFigures(
        resolved_with_duration=5, within_target=3, breach_rate=0.4, open_breaching=2
    )
    figures = result.by_priority.values()
    assert result.overall.resolved_with_duration == sum(
        f.resolved_with_duration for f in figures
    )
    assert result.overall.within_target == sum(f.within_target for f in figures)
    assert result.overall.open_breaching == sum(f.open_breaching for f in figures)


def test_overall_uses_overridden_targets() -> None:
    """Overall follows overridden targets.

    High at 4 days: its 4-day resolution is within and the 4-day-old open
    ticket is not past -> 4 of 5 within (0.2), only the Critical open breaches.
    """
    result = sla_compliance(make_tickets(_mixed()), AS_OF, {"High": 4})
    assert result.overall == SlaFigures(
        resolved_with_duration=5, within_target=4, breach_rate=0.2, open_breaching=1
    )


def test_overall_without_any_tickets() -> None:
    """No tickets: zero counts and no breach rate."""
    assert sla_compliance(make_tickets([]), AS_OF).overall == SlaFigures(
        resolved_with_duration=0, within_target=0, breach_rate=None, open_breaching=0
    )


def test_targets_can_be_overridden_per_priority() -> None:
    """Overrides replace some targets; the others keep the defaults."""
    tickets = make_tickets([_took("High", 3), _took("High", 5), _took("High", 6)])
    result = sla_compliance(tickets, AS_OF, {"High": 5})
    assert result.targets_days == {"Low": 14, "Medium": 7, "High": 5, "Critical": 1}
    # 3 and 5 within 5 days, 6 breached: 1/3
    assert result.by_priority["High"].within_target == 2
    assert result.by_priority["High"].breach_rate == 0.3333


def test_breach_rate_of_two_thirds_rounds_up() -> None:
    """2/3 -> 0.6667."""
    tickets = make_tickets([_took("Medium", 8), _took("Medium", 9), _took("Medium", 7)])
    assert sla_compliance(tickets, AS_OF).by_priority["Medium"].breach_rate == 0.6667


@pytest.mark.parametrize(
    ("targets", "message"),
    [({"Urgent": 1}, "Urgent"), ({"Low": -1}, ">= 0")],
)
def test_invalid_targets_are_refused(targets: dict[str, int], message: str) -> None:
    """Unknown priorities and negative days are errors."""
    with pytest.raises(ValueError, match=message):
        sla_targets(targets)
