"""Escalation candidates: customers with many tickets."""

from __future__ import annotations

from typing import Any

from factories import make_tickets

from ticket_analysis.metrics import escalation_candidates
from ticket_analysis.summary_parts import Escalation, EscalationCustomer


def _tickets_of(customer: str, n: int, **fields: Any) -> list[dict[str, Any]]:
    return [
        {"ticket_id": f"{customer}-{i}", "customer_id": customer, **fields}
        for i in range(n)
    ]


def test_five_tickets_are_not_flagged_six_are() -> None:
    """The threshold is exclusive: more than 5 tickets."""
    rows = _tickets_of("FIVE", 5) + _tickets_of("SIX", 6)
    result = escalation_candidates(make_tickets(rows))
    assert result == Escalation(
        threshold=5,
        count=1,
        customers=[
            EscalationCustomer(customer_id="SIX", tickets=6, open=6, high_or_critical=0)
        ],
    )


def test_open_and_high_or_critical_counts() -> None:
    """The open count covers Open/In Progress; high_or_critical High and Critical."""
    rows = [
        {"ticket_id": "X1", "priority": "Critical"},
        {"ticket_id": "X2", "priority": "Critical"},
        {"ticket_id": "X3", "priority": "High", "status": "In Progress"},
        {"ticket_id": "X4", "priority": "Low", "status": "Closed"},
        {"ticket_id": "X5", "priority": "Low", "status": "Closed"},
        {"ticket_id": "X6", "priority": "High", "status": "Resolved"},
    ]
    tickets = make_tickets([{**row, "customer_id": "X"} for row in rows])
    result = escalation_candidates(tickets, threshold=2)
    # X: 6 tickets; open: 2 Open + 1 In Progress = 3; High/Critical: 2 + 2 = 4.
    assert result.customers == [
        EscalationCustomer(customer_id="X", tickets=6, open=3, high_or_critical=4)
    ]


def test_sorted_by_tickets_then_id_and_capped() -> None:
    """Tickets desc, then customer_id asc; list_limit keeps the full count."""
    rows = (
        _tickets_of("B", 3)
        + _tickets_of("A", 3)
        + _tickets_of("Z", 4, status="Closed")
        + _tickets_of("C", 2)
        + _tickets_of("D", 1)
    )
    result = escalation_candidates(make_tickets(rows), threshold=1, list_limit=3)
    assert result.count == 4  # Z 4, A 3, B 3, C 2 (D has 1: not more than 1)
    assert result.customers == [
        EscalationCustomer(customer_id="Z", tickets=4, open=0, high_or_critical=0),
        EscalationCustomer(customer_id="A", tickets=3, open=3, high_or_critical=0),
        EscalationCustomer(customer_id="B", tickets=3, open=3, high_or_critical=0),
    ]
    everyone = escalation_candidates(make_tickets(rows), threshold=1, list_limit=0)
    assert [c.customer_id for c in everyone.customers] == ["Z", "A", "B", "C"]


def test_no_candidates() -> None:
    """Nobody over the threshold, or no tickets: count 0 and an empty list."""
    assert escalation_candidates(make_tickets(_tickets_of("A", 2))) == Escalation(
        threshold=5, count=0, customers=[]
    )
    assert escalation_candidates(make_tickets([])).customers == []
