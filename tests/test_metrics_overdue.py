"""The action list: open tickets past their own priority's SLA target."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pandas as pd
import pytest
from factories import make_tickets

from ticket_analysis.metrics.overdue import (
    OVERDUE_COLUMNS,
    overdue_frame,
    overdue_open,
)
from ticket_analysis.outputs import csv_writer
from ticket_analysis.summary_parts import OverdueOpen, OverdueTicket

AS_OF = date(2024, 3, 20)
#: The default targets, lowest priority first: Low 14, Medium 7, High 3, Critical 1.
TARGETS = (14, 7, 3, 1)


def _open(ticket_id: str, priority: str, created: str, **fields: Any) -> dict[str, Any]:
    return {
        "ticket_id": ticket_id,
        "priority": priority,
        "status": "Open",
        "created_date": created,
        **fields,
    }


def _rows() -> list[dict[str, Any]]:
    """Ages on 2024-03-20 and verdicts against the default targets."""
    return [
        _open("L-1", "Low", "2024-02-01", status="In Progress"),  # 48 - 14 = 34
        _open("C-2", "Critical", "2024-03-10", assigned_to="ana"),  # 10 - 1 = 9
        _open("H-1", "High", "2024-03-01"),  # 19 - 3 = 16, unassigned
        _open("c-9", "Critical", "2024-03-10", assigned_to="cy"),  # 9
        _open("C-10", "Critical", "2024-03-10", status="In Progress"),  # 9
        _open("C-1", "Critical", "2024-03-18", assigned_to="ana"),  # 2 - 1 = 1
        _open("C-0", "Critical", "2024-03-19"),  # 1 == 1: not overdue
        _open("H-2", "High", "2024-03-17"),  # 3 == 3: not overdue
        _open("M-2", "Medium", "2024-03-13"),  # 7 == 7: not overdue
        _open("M-3", "Medium", "2024-03-12", assigned_to="bob"),  # 8 - 7 = 1
        {  # resolved: never overdue, however long it took
            "ticket_id": "M-1",
            "status": "Resolved",
            "created_date": "2024-01-01",
            "resolved_date": "2024-03-01",
        },
    ]


#: (ticket_id, priority, age_days, overdue_days, assigned_to) in list order:
#: Critical first; among Critical, 9 days before 1; the three 9-day ties by
#: ticket_id in code-point order: "C-10" < "C-2" ("1" < "2") < "c-9" ("C" < "c").
#: Then High (16), Medium (1), Low (34): priority beats overdue days.
EXPECTED = [
    ("C-10", "Critical", 10, 9, None),
    ("C-2", "Critical", 10, 9, "ana"),
    ("c-9", "Critical", 10, 9, "cy"),
    ("C-1", "Critical", 2, 1, "ana"),
    ("H-1", "High", 19, 16, None),
    ("M-3", "Medium", 8, 1, "bob"),
    ("L-1", "Low", 48, 34, None),
]


def _listed(result: OverdueOpen) -> list[tuple[Any, ...]]:
    return [
        (t.ticket_id, t.priority, t.age_days, t.overdue_days, t.assigned_to)
        for t in result.tickets
    ]


def test_order_counts_and_unassigned() -> None:
    """7 overdue; unassigned: C-10, H-1, L-1 = 3; exactly at target is not overdue."""
    result = overdue_open(make_tickets(_rows()), AS_OF, TARGETS, list_limit=0)
    assert _listed(result) == EXPECTED
    assert result.count == 7
    assert result.unassigned == 3
    assert result.by_priority == {"Low": 1, "Medium": 1, "High": 1, "Critical": 4}
    assert result.tickets[0] == OverdueTicket(
        ticket_id="C-10",
        customer_id="C1",
        priority="Critical",
        status="In Progress",
        assigned_to=None,
        created_date=date(2024, 3, 10),
        age_days=10,
        target_days=1,
        overdue_days=9,
    )
    assert [t.target_days for t in result.tickets] == [1, 1, 1, 1, 3, 7, 14]


def test_list_limit_caps_the_list_not_the_counts() -> None:
    """list_limit 2 lists the first two in order; the figures cover all seven."""
    result = overdue_open(make_tickets(_rows()), AS_OF, TARGETS, list_limit=2)
    assert _listed(result) == EXPECTED[:2]
    assert (result.count, result.unassigned) == (7, 3)
    assert result.by_priority == {"Low": 1, "Medium": 1, "High": 1, "Critical": 4}
    # A cap larger than the list lists everything; a negative one is refused.
    full = overdue_open(make_tickets(_rows()), AS_OF, TARGETS, list_limit=100)
    assert _listed(full) == EXPECTED
    with pytest.raises(ValueError, match="list_limit"):
        overdue_open(make_tickets(_rows()), AS_OF, TARGETS, list_limit=-1)


def test_targets_are_the_callers() -> None:
    """With High at 19 days H-1 (19 old) is no longer overdue; the rest stay."""
    result = overdue_open(make_tickets(_rows()), AS_OF, (14, 7, 19, 1), list_limit=0)
    assert [t.ticket_id for t in result.tickets] == [
        "C-10",
        "C-2",
        "c-9",
        "C-1",
        "M-3",
        "L-1",
    ]
    assert (result.count, result.unassigned) == (6, 2)
    with pytest.raises(ValueError, match="4 targets"):
        overdue_open(make_tickets(_rows()), AS_OF, (14, 7, 3), list_limit=0)


def test_frame_holds_every_overdue_ticket_in_list_order() -> None:
    """The nine columns, all seven rows uncapped, the same order as the list."""
    frame = overdue_frame(make_tickets(_rows()), AS_OF, TARGETS)
    assert (
        tuple(frame.columns)
        == OVERDUE_COLUMNS
        == (
            "ticket_id",
            "customer_id",
            "priority",
            "status",
            "assigned_to",
            "created_date",
            "age_days",
            "target_days",
            "overdue_days",
        )
    )
    got = list(
        zip(
            frame["ticket_id"],
            frame["priority"],
            frame["age_days"],
            frame["overdue_days"],
            frame["assigned_to"].fillna("(none)"),
            strict=True,
        )
    )
    assert got == [(*row[:4], row[4] or "(none)") for row in EXPECTED]
    assert frame["target_days"].tolist() == [1, 1, 1, 1, 3, 7, 14]
    assert frame["status"].tolist()[:2] == ["In Progress", "Open"]
    assert frame["created_date"].tolist()[-1] == date(2024, 2, 1)
    assert frame["assigned_to"].isna().tolist() == [
        True,
        False,
        False,
        False,
        True,
        False,
        True,
    ]
    listed = overdue_open(make_tickets(_rows()), AS_OF, TARGETS, list_limit=0)
    assert frame["ticket_id"].tolist() == [t.ticket_id for t in listed.tickets]


def test_frame_as_csv() -> None:
    """Written as overdue_tickets.csv: dates YYYY-MM-DD, unassigned empty."""
    frame = overdue_frame(make_tickets(_rows()), AS_OF, TARGETS)
    handle = io.StringIO()
    csv_writer(frame)(handle)
    lines = handle.getvalue().splitlines()
    assert lines[0] == ",".join(OVERDUE_COLUMNS)
    assert lines[1] == "C-10,C1,Critical,In Progress,,2024-03-10,10,1,9"
    assert lines[-1] == "L-1,C1,Low,In Progress,,2024-02-01,48,14,34"
    assert len(lines) == 8


def test_nothing_overdue() -> None:
    """No tickets, or none past target: empty list, zero counts, a header-only frame."""
    for rows in ([], [_open("C-0", "Critical", "2024-03-19")]):
        tickets = make_tickets(rows)
        assert overdue_open(tickets, AS_OF, TARGETS, list_limit=0) == OverdueOpen(
            count=0,
            unassigned=0,
            by_priority={"Low": 0, "Medium": 0, "High": 0, "Critical": 0},
            tickets=[],
        )
        frame = overdue_frame(tickets, AS_OF, TARGETS)
        assert isinstance(frame, pd.DataFrame)
        assert tuple(frame.columns) == OVERDUE_COLUMNS
        assert len(frame) == 0
