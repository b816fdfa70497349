"""Open tickets over the age threshold and the backlog aging buckets."""

from __future__ import annotations

from datetime import date

from factories import make_tickets

from ticket_analysis.metrics import backlog_aging, open_over_threshold
from ticket_analysis.summary_parts import (
    AgingBucket,
    OpenOverThreshold,
    OverThresholdTicket,
)

AS_OF = date(2024, 3, 20)


def _open(ticket_id: str, created: str, **fields: str) -> dict[str, str]:
    return {"ticket_id": ticket_id, "status": "Open", "created_date": created, **fields}


def test_seven_days_is_not_over_eight_is() -> None:
    """Age == open_days is not over the threshold; one day more is."""
    tickets = make_tickets(
        [
            _open("A", "2024-03-13"),  # 2024-03-20 - 03-13 = 7 days: not over
            _open("B", "2024-03-12", priority="High", assigned_to="ana"),  # 8: over
        ]
    )
    result = open_over_threshold(tickets, AS_OF)
    assert result == OpenOverThreshold(
        threshold_days=7,
        count=1,
        by_priority={"Low": 0, "Medium": 0, "High": 1, "Critical": 0},
        tickets=[
            OverThresholdTicket(
                ticket_id="B",
                customer_id="C1",
                priority="High",
                status="Open",
                assigned_to="ana",
                created_date=date(2024, 3, 12),
                age_days=8,
            )
        ],
    )


def test_only_open_tickets_are_flagged_and_sorted_oldest_first_then_id() -> None:
    """Oldest first; equal ages by ticket_id; resolved tickets never appear."""
    tickets = make_tickets(
        [
            _open("T-9", "2024-03-01"),  # 19 days
            _open("T-10", "2024-03-01", status="In Progress"),  # 19 days
            _open("T-2", "2024-02-01", priority="Critical"),  # 48 days
            _open("T-1", "2024-03-10"),  # 10 days
            {
                "ticket_id": "T-0",
                "status": "Closed",
                "created_date": "2024-01-01",
                "resolved_date": "2024-03-19",
            },
        ]
    )
    result = open_over_threshold(tickets, AS_OF)
    # 19-day tie: "T-10" < "T-9" as strings ("1" < "9").
    assert [(t.ticket_id, t.age_days) for t in result.tickets] == [
        ("T-2", 48),
        ("T-10", 19),
        ("T-9", 19),
        ("T-1", 10),
    ]
    assert result.tickets[1].status == "In Progress"
    assert result.tickets[1].assigned_to is None
    assert result.by_priority == {"Low": 0, "Medium": 3, "High": 0, "Critical": 1}


def test_list_limit_caps_the_list_but_not_the_count() -> None:
    """At most list_limit tickets are listed; count and by_priority cover all."""
    tickets = make_tickets(
        [_open(f"T{i}", f"2024-02-{10 + i:02d}") for i in range(5)]  # ages 39..35
    )
    result = open_over_threshold(tickets, AS_OF, list_limit=2)
    assert result.count == 5
    assert result.by_priority["Medium"] == 5
    assert [t.ticket_id for t in result.tickets] == ["T0", "T1"]
    unlimited = open_over_threshold(tickets, AS_OF, list_limit=0)
    assert [t.ticket_id for t in unlimited.tickets] == [
        "T0",
        "T1",
        "T2",
        "T3",
        "T4",
    ]


def test_threshold_is_a_parameter() -> None:
    """open_days=0 flags a ticket opened yesterday but not one opened today."""
    tickets = make_tickets([_open("A", "2024-03-19"), _open("B", "2024-03-20")])
    result = open_over_threshold(tickets, AS_OF, open_days=0)
    assert result.threshold_days == 0
    assert [t.ticket_id for t in result.tickets] == ["A"]


def test_no_open_tickets_gives_an_empty_block() -> None:
    """Nothing open: count 0, all priorities 0, no tickets."""
    result = open_over_threshold(make_tickets([]), AS_OF)
    assert result == OpenOverThreshold(
        threshold_days=7,
        count=0,
        by_priority={"Low": 0, "Medium": 0, "High": 0, "Critical": 0},
        tickets=[],
    )


def test_aging_bucket_edges() -> None:
    """Each edge falls in the right bucket; negative ages count as 0."""
    # Ages on 2024-03-20: -3 (created later), 0, 1 | 2, 3 | 4, 7 | 8, 14 | 15, 30 |
    # 31, 400. A resolved ticket is not in the backlog.
    ages = [-3, 0, 1, 2, 3, 4, 7, 8, 14, 15, 30, 31, 400]
    rows = [
        {"ticket_id": f"T{i}", "status": "In Progress", "created_date": str(created)}
        for i, created in enumerate(
            date.fromordinal(AS_OF.toordinal() - a) for a in ages
        )
    ]
    rows.append(
        {
            "ticket_id": "R",
            "status": "Resolved",
            "created_date": "2020-01-01",
            "resolved_date": "2020-01-02",
        }
    )
    assert backlog_aging(make_tickets(rows), AS_OF) == [
        AgingBucket(bucket="0-1", count=3),
        AgingBucket(bucket="2-3", count=2),
        AgingBucket(bucket="4-7", count=2),
        AgingBucket(bucket="8-14", count=2),
        AgingBucket(bucket="15-30", count=2),
        AgingBucket(bucket="31+", count=2),
    ]


def test_aging_always_lists_six_buckets() -> None:
    """No open tickets: all six buckets with zero."""
    assert backlog_aging(make_tickets([]), AS_OF) == [
        AgingBucket(bucket=b, count=0)
        for b in ("0-1", "2-3", "4-7", "8-14", "15-30", "31+")
    ]
