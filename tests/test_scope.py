"""The tickets a report covers at its as_of (contract section 3, v1.1).

Five tickets, as_of 2024-03-10::

    T001 Ana  C1 High   Resolved 2024-03-01 -> 2024-03-05   in scope, resolved
    T002 Ana  C2 Low    Closed   2024-03-02 -> 2024-03-11   resolved the day after
                                                           as_of: In Progress
    T003 Bo   C1 High   Open     2024-03-10                 created on as_of: in scope
    T004 Bo   C1 High   Open     2024-03-11                 created after as_of
    T005 --   C2 Medium Resolved 2024-03-04 -> 2024-03-10   resolved on as_of: resolved
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from factories import make_tickets

from ticket_analysis.scope import as_at, select_scope
from ticket_analysis.summary import Filters

AS_OF = date(2024, 3, 10)


def _tickets() -> pd.DataFrame:
    return make_tickets(
        [
            {"assigned_to": "Ana", "customer_id": "C1", "priority": "High",
             "status": "Resolved", "created_date": "2024-03-01",
             "resolved_date": "2024-03-05"},
            {"assigned_to": "Ana", "customer_id": "C2", "priority": "Low",
             "status": "Closed", "created_date": "2024-03-02",
             "resolved_date": "2024-03-11"},
            {"assigned_to": "Bo", "customer_id": "C1", "priority": "High",
             "status": "Open", "created_date": "2024-03-10"},
            {"assigned_to": "Bo", "customer_id": "C1", "priority": "High",
             "status": "Open", "created_date": "2024-03-11"},
            {"customer_id": "C2", "priority": "Medium", "status": "Resolved",
             "created_date": "2024-03-04", "resolved_date": "2024-03-10"},
        ]
    )  # fmt: skip


def _ids(frame: pd.DataFrame) -> list[str]:
    return frame["ticket_id"].tolist()


def test_no_filter_drops_only_rows_created_after_as_of() -> None:
    tickets, scope = select_scope(_tickets(), AS_OF, Filters())
    assert _ids(tickets) == ["T001", "T002", "T003", "T005"]
    assert (scope.tickets_in_scope, scope.created_after_as_of, scope.filtered_out) == (
        4,
        1,
        0,
    )


def test_a_ticket_resolved_after_as_of_was_still_in_progress() -> None:
    tickets, _ = select_scope(_tickets(), AS_OF, Filters())
    by_id = tickets.set_index("ticket_id")
    assert by_id.loc["T002", "status"] == "In Progress"
    assert pd.isna(by_id.loc["T002", "resolved_date"])
    # Resolved on as_of itself: still resolved, with its date.
    assert by_id.loc["T005", "status"] == "Resolved"
    assert by_id.loc["T005", "resolved_date"] == pd.Timestamp("2024-03-10")


def test_filters_combine_with_and_and_rows_after_as_of_count_as_such() -> None:
    # Agent Bo: T003 matches; T004 matches too but was created after as_of.
    tickets, scope = select_scope(_tickets(), AS_OF, Filters(agent="Bo"))
    assert _ids(tickets) == ["T003"]
    assert (scope.tickets_in_scope, scope.created_after_as_of, scope.filtered_out) == (
        1,
        1,
        3,
    )
    tickets, scope = select_scope(
        _tickets(), AS_OF, Filters(customer="C1", priority="High")
    )
    assert _ids(tickets) == ["T001", "T003"]
    assert scope.filtered_out == 2  # T002 (C2, Low) and T005 (C2, Medium)


def test_unassigned_tickets_never_match_an_agent_filter() -> None:
    _, scope = select_scope(_tickets(), AS_OF, Filters(agent="Ana"))
    assert scope.tickets_in_scope == 2  # T001, T002; not the unassigned T005


def test_a_filter_matching_nothing_gives_an_empty_frame() -> None:
    tickets, scope = select_scope(_tickets(), AS_OF, Filters(agent="Nobody"))
    assert tickets.empty and list(tickets.columns) == list(_tickets().columns)
    assert (scope.tickets_in_scope, scope.created_after_as_of, scope.filtered_out) == (
        0,
        1,
        4,
    )


def test_as_at_returns_the_frame_itself_when_nothing_changes() -> None:
    tickets = _tickets()
    assert as_at(tickets, date(2024, 3, 11)) is tickets
    tickets_after, _ = select_scope(tickets, date(2024, 3, 11), Filters())
    assert tickets_after is tickets  # default as_of, no filter: no copy
