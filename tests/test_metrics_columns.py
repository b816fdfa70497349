"""Derived per-ticket columns, ``default_as_of`` and the test factory itself."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from factories import check_tickets_frame, make_tickets

from ticket_analysis.metrics import default_as_of
from ticket_analysis.metrics.columns import TicketColumns, ranked_indices


def test_factory_builds_the_documented_frame() -> None:
    """The factory returns exactly the dtypes and missing values of the docs."""
    tickets = make_tickets(
        [
            {
                "status": "Resolved",
                "resolved_date": "2024-01-03",
                "assigned_to": " ana ",
            },
            {"subject": "  Printer  "},
        ]
    )
    check_tickets_frame(tickets)  # raises on any broken guarantee
    assert tickets["ticket_id"].tolist() == ["T001", "T002"]
    assert tickets["line_number"].tolist() == [2, 3]
    assert tickets["assigned_to"].iloc[0] == "ana"
    assert pd.isna(tickets["assigned_to"].iloc[1])
    assert tickets["subject"].tolist() == ["", "Printer"]
    assert tickets["resolved_date"].iloc[0] == pd.Timestamp("2024-01-03")
    assert pd.isna(tickets["resolved_date"].iloc[1])


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"priority": "Urgent"}, "priority"),
        ({"status": "Open", "resolved_date": "2024-01-02"}, "resolved_date"),
        ({"status": "Resolved", "resolved_date": "2023-12-31"}, "before"),
        ({"customer_id": " "}, "customer_id"),
    ],
)
def test_factory_refuses_frames_the_loader_never_returns(
    row: dict[str, str], message: str
) -> None:
    """Rows that break a loader guarantee are refused, naming the field."""
    with pytest.raises(ValueError, match=message):
        make_tickets([row])


def test_factory_refuses_duplicate_ids() -> None:
    """Two rows with one ticket_id are refused."""
    with pytest.raises(ValueError, match="unique"):
        make_tickets([{"ticket_id": "A"}, {"ticket_id": "A"}])


def test_resolution_days_are_whole_calendar_days() -> None:
    """Same day = 0; a resolved ticket without a usable date has none."""
    tickets = make_tickets(
        [
            {
                "status": "Resolved",
                "created_date": "2024-03-01",
                "resolved_date": "2024-03-01",
            },
            {
                "status": "Closed",
                "created_date": "2024-02-28",
                "resolved_date": "2024-03-01",
            },
            # The loader blanks a resolution before creation: NaT on a Resolved row.
            {"status": "Resolved", "created_date": "2024-03-05", "resolved_date": None},
            {"status": "Open", "created_date": "2024-03-01"},
        ]
    )
    cols = TicketColumns(tickets)
    # 2024 is a leap year: Feb 28 -> Mar 1 is 2 days.
    np.testing.assert_array_equal(cols.resolution_days, [0.0, 2.0, np.nan, np.nan])
    assert cols.has_resolution_days.tolist() == [True, True, False, False]


def test_a_hand_built_frame_cannot_slip_in_a_negative_duration() -> None:
    """A date before creation is ignored even if the loader did not blank it."""
    tickets = make_tickets([{"status": "Resolved", "created_date": "2024-03-05"}])
    tickets.loc[0, "resolved_date"] = pd.Timestamp("2024-03-01")
    assert TicketColumns(tickets).has_resolution_days.tolist() == [False]
    assert default_as_of(tickets) == date(2024, 3, 5)


def test_age_days_counts_from_as_of() -> None:
    """Age is as_of - created_date; a ticket created later is negative."""
    tickets = make_tickets(
        [{"created_date": "2024-01-01"}, {"created_date": "2024-01-12"}]
    )
    ages = TicketColumns(tickets).age_days(date(2024, 1, 10))
    assert ages.tolist() == [9, -2]


def test_codes_follow_domain_order() -> None:
    """Priority and status codes are positions in PRIORITIES and STATUSES."""
    tickets = make_tickets(
        [
            {"priority": "Critical", "status": "Closed", "resolved_date": "2024-01-02"},
            {"priority": "Low", "status": "In Progress"},
        ]
    )
    cols = TicketColumns(tickets)
    assert cols.priority.tolist() == [3, 0]
    assert cols.status.tolist() == [3, 1]
    assert cols.open.tolist() == [False, True]
    assert cols.resolved.tolist() == [True, False]
    assert cols.high_or_critical.tolist() == [True, False]


def test_plain_string_columns_are_accepted_and_unknown_values_refused() -> None:
    """A frame with object columns works; a value outside the enum is an error."""
    tickets = make_tickets([{"priority": "High"}, {"priority": "Low"}])
    tickets["priority"] = tickets["priority"].astype(str)
    assert TicketColumns(tickets).priority.tolist() == [2, 0]
    tickets.loc[1, "priority"] = "Urgent"
    with pytest.raises(ValueError, match="Urgent"):
        _ = TicketColumns(tickets).priority


def test_default_as_of_is_the_newest_used_date() -> None:
    """The newest created or used resolved date; None for no tickets."""
    tickets = make_tickets(
        [
            {"created_date": "2024-05-01"},
            {
                "status": "Resolved",
                "created_date": "2024-04-01",
                "resolved_date": "2024-05-20",
            },
            {"status": "Closed", "created_date": "2024-05-10"},
        ]
    )
    assert default_as_of(tickets) == date(2024, 5, 20)
    only_created = make_tickets([{"created_date": "2023-12-31"}])
    assert default_as_of(only_created) == date(2023, 12, 31)
    assert default_as_of(make_tickets([])) is None


def test_ranked_indices_orders_by_count_then_name() -> None:
    """Count descending, then name ascending by code point; a limit cuts the list."""
    counts = np.array([2, 5, 2, 5, 1])
    names = pa.array(["b", "z", "a", "Z", "c"], pa.large_string())
    # 5: "Z" < "z" (upper case sorts first by code point); 2: "a" < "b"; then 1.
    assert ranked_indices(counts, names).tolist() == [3, 1, 2, 0, 4]
    assert ranked_indices(counts, names, limit=3).tolist() == [3, 1, 2]
    assert ranked_indices(counts, names, limit=10).tolist() == [3, 1, 2, 0, 4]
