"""Volume over time: monthly, weekly and per weekday (contract section 3, v1.1)."""

from __future__ import annotations

from datetime import date
from typing import Any

from factories import make_tickets

from ticket_analysis.metrics.trends import (
    monthly_volume,
    weekday_volume,
    weekly_volume,
)
from ticket_analysis.summary_trends import MonthVolume, WeekdayVolume, WeekVolume

#: The default SLA targets in priority order: Low, Medium, High, Critical.
TARGETS = (14, 7, 3, 1)


def _resolved(priority: str, created: str, resolved: str) -> dict[str, Any]:
    return {
        "priority": priority,
        "status": "Resolved",
        "created_date": created,
        "resolved_date": resolved,
    }


# --- monthly_volume ---------------------------------------------------------


def test_months_without_tickets_are_filled_with_zeros() -> None:
    """Nov 2023 and Jan 2024 have tickets; Dec 2023 appears with zeros.

    All three are open, so the backlog is 2 at the end of November and December
    and 3 at the end of January. as_of is Jan 31, the month's last day: nothing
    is partial.
    """
    tickets = make_tickets(
        [
            {"created_date": "2023-11-30"},
            {"created_date": "2023-11-01"},
            {"created_date": "2024-01-31"},
        ]
    )
    assert monthly_volume(tickets, date(2024, 1, 31), TARGETS) == [
        MonthVolume(
            month="2023-11",
            created=2,
            resolved=0,
            open_at_end=2,
            breach_rate=None,
            partial=False,
        ),
        MonthVolume(
            month="2023-12",
            created=0,
            resolved=0,
            open_at_end=2,
            breach_rate=None,
            partial=False,
        ),
        MonthVolume(
            month="2024-01",
            created=1,
            resolved=0,
            open_at_end=3,
            breach_rate=None,
            partial=False,
        ),
    ]


def test_resolved_counts_by_resolved_date_and_the_backlog_follows() -> None:
    """Resolutions count in their month; a dateless one never counts, nor is open.

    A (Medium, target 7): created Jan 15, resolved Mar 2 (47 days, breach).
    B: created and resolved Jan 20 (0 days, within).
    C: Closed without a usable date: created counts; never resolved nor open.
    Jan: created 3, resolved B -> breach 0/1 = 0.0; open at Jan 31: A only = 1.
    Feb: nothing; open at Feb 29: A = 1.
    Mar (as_of Mar 10, partial): resolved A -> breach 1/1 = 1.0; open at as_of 0.
    """
    tickets = make_tickets(
        [
            _resolved("Medium", "2024-01-15", "2024-03-02"),
            {
                "status": "Closed",
                "created_date": "2024-01-20",
                "resolved_date": "2024-01-20",
            },
            {"status": "Closed", "created_date": "2024-01-21"},
        ]
    )
    assert monthly_volume(tickets, date(2024, 3, 10), TARGETS) == [
        MonthVolume(
            month="2024-01",
            created=3,
            resolved=1,
            open_at_end=1,
            breach_rate=0.0,
            partial=False,
        ),
        MonthVolume(
            month="2024-02",
            created=0,
            resolved=0,
            open_at_end=1,
            breach_rate=None,
            partial=False,
        ),
        MonthVolume(
            month="2024-03",
            created=0,
            resolved=1,
            open_at_end=0,
            breach_rate=1.0,
            partial=True,
        ),
    ]


def test_months_run_to_the_month_of_as_of_even_without_tickets_in_it() -> None:
    """One open ticket in January, as_of in March: Feb and Mar are listed.

    as_of Mar 31 (the month's last day): March is complete; Mar 30: partial.
    The ticket stays open, so every month ends with a backlog of 1.
    """
    tickets = make_tickets([{"created_date": "2024-01-10"}])
    full = monthly_volume(tickets, date(2024, 3, 31), TARGETS)
    assert [(m.month, m.created, m.open_at_end, m.partial) for m in full] == [
        ("2024-01", 1, 1, False),
        ("2024-02", 0, 1, False),
        ("2024-03", 0, 1, False),
    ]
    cut = monthly_volume(tickets, date(2024, 3, 30), TARGETS)
    assert [(m.month, m.partial) for m in cut] == [
        ("2024-01", False),
        ("2024-02", False),
        ("2024-03", True),
    ]


def test_a_ticket_created_on_as_of_counts_and_is_open_at_the_end() -> None:
    """as_of Feb 15: an Open ticket created that day counts and is open at the end.

    A ticket created and resolved on as_of counts as created and resolved (0 days,
    within) and is not open at the end of the day. Feb: created 2, resolved 1,
    open 1, breach 0/1 = 0.0, partial (Feb 15 is not Feb 29).
    """
    tickets = make_tickets(
        [
            {"status": "Open", "created_date": "2024-02-15"},
            _resolved("Critical", "2024-02-15", "2024-02-15"),
        ]
    )
    assert monthly_volume(tickets, date(2024, 2, 15), TARGETS) == [
        MonthVolume(
            month="2024-02",
            created=2,
            resolved=1,
            open_at_end=1,
            breach_rate=0.0,
            partial=True,
        )
    ]


def test_breach_rate_mixes_priorities_each_against_its_own_target() -> None:
    """Resolutions in February, each against its priority's target.

    Critical 2 days (target 1): over.  High 3 days (target 3): within.
    Low Jan 20 -> Feb 3, 14 days (target 14): within, counted in February.
    The open ticket and the dateless Closed one are not resolutions.
    Feb: 1 over / 3 = 0.3333. With a Critical target of 2 (the last of the
    targets, priority order) the Critical one is within too: 0.0.
    """
    tickets = make_tickets(
        [
            _resolved("Critical", "2024-02-05", "2024-02-07"),
            _resolved("High", "2024-02-05", "2024-02-08"),
            _resolved("Low", "2024-01-20", "2024-02-03"),
            {"priority": "Critical", "status": "Open", "created_date": "2024-02-01"},
            {"priority": "Critical", "status": "Closed", "created_date": "2024-02-01"},
        ]
    )
    months = monthly_volume(tickets, date(2024, 2, 29), TARGETS)
    assert [(m.month, m.resolved, m.breach_rate) for m in months] == [
        ("2024-01", 0, None),
        ("2024-02", 3, 0.3333),
    ]
    lenient = monthly_volume(tickets, date(2024, 2, 29), (14, 7, 3, 2))
    assert lenient[1].breach_rate == 0.0


def test_dates_after_as_of_are_not_counted() -> None:
    """An unscoped frame cannot count what happened after as_of (scope drops it).

    as_of Jan 20. A: created Jan 5, resolved Feb 10 -> no resolution in range,
    open at as_of. B: created Jan 22, C: created Feb 2 -> left out (no February).
    January: created 1, resolved 0, open at as_of 1 (at Jan 31 it would be A and
    B, 2), partial.
    """
    tickets = make_tickets(
        [
            _resolved("Low", "2024-01-05", "2024-02-10"),
            {"created_date": "2024-01-22"},
            {"created_date": "2024-02-02"},
        ]
    )
    assert monthly_volume(tickets, date(2024, 1, 20), TARGETS) == [
        MonthVolume(
            month="2024-01",
            created=1,
            resolved=0,
            open_at_end=1,
            breach_rate=None,
            partial=True,
        )
    ]


def test_no_tickets_no_months() -> None:
    """An empty frame has no months."""
    assert monthly_volume(make_tickets([]), date(2024, 3, 10), TARGETS) == []


# --- weekly_volume ----------------------------------------------------------

#: The 12 ISO weeks ending with the week of 2024-03-11 (Mon) .. 2024-03-17 (Sun):
#: 2024-03-11 - 11 * 7 days = 2023-12-25, a Monday.
MONDAYS = [
    date(2023, 12, 25),
    date(2024, 1, 1),
    date(2024, 1, 8),
    date(2024, 1, 15),
    date(2024, 1, 22),
    date(2024, 1, 29),
    date(2024, 2, 5),
    date(2024, 2, 12),
    date(2024, 2, 19),
    date(2024, 2, 26),
    date(2024, 3, 4),
    date(2024, 3, 11),
]


def _weekly_rows(b_resolved: str | None) -> list[dict[str, Any]]:
    """A: Open, Wed Mar 13.  B: High, Mon Mar 4, resolved ``b_resolved``.

    C: Closed without a date, Tue Mar 5.  D: Open, Sun Dec 24 (before the first
    week).  E: In Progress, Mon Dec 25 (the first week's first day).
    """
    b = (
        _resolved("High", "2024-03-04", b_resolved)
        if b_resolved
        else {"priority": "High", "status": "In Progress", "created_date": "2024-03-04"}
    )
    return [
        {"status": "Open", "created_date": "2024-03-13"},
        b,
        {"status": "Closed", "created_date": "2024-03-05"},
        {"status": "Open", "created_date": "2023-12-24"},
        {"status": "In Progress", "created_date": "2023-12-25"},
    ]


def test_weeks_ending_on_a_sunday_as_of_are_complete() -> None:
    """as_of Sun Mar 17: 12 full weeks, none partial.

    created: week 0 E; week 10 (Mar 4) B and C; week 11 (Mar 11) A.
    resolved: B on Thu Mar 14, week 11.
    open_at_end: D and E at every Sunday (2); Sun Mar 10 adds B (resolved later)
    = 3; Sun Mar 17: D, E, A (B resolved) = 3. C, dateless, never.
    """
    tickets = make_tickets(_weekly_rows("2024-03-14"))
    weeks = weekly_volume(tickets, date(2024, 3, 17))
    assert [w.week_start for w in weeks] == MONDAYS
    assert [w.created for w in weeks] == [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1]
    assert [w.resolved for w in weeks] == [0] * 11 + [1]
    assert [w.open_at_end for w in weeks] == [2] * 10 + [3, 3]
    assert [w.partial for w in weeks] == [False] * 12


def test_the_week_of_a_wednesday_as_of_is_partial() -> None:
    """as_of Wed Mar 13: same weeks, the last one partial and counted at as_of.

    As scope leaves it, B (resolved after as_of) is In Progress without a date.
    A, created on as_of, counts in week 11 and is open at its end.
    open_at_end: 2 up to Sun Mar 3; Sun Mar 10: D, E, B = 3; Wed Mar 13: D, E,
    B, A = 4.
    """
    tickets = make_tickets(_weekly_rows(None))
    weeks = weekly_volume(tickets, date(2024, 3, 13))
    assert weeks[-1] == WeekVolume(
        week_start=date(2024, 3, 11),
        created=1,
        resolved=0,
        open_at_end=4,
        partial=True,
    )
    assert [w.week_start for w in weeks] == MONDAYS
    assert [w.created for w in weeks] == [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1]
    assert [w.resolved for w in weeks] == [0] * 12
    assert [w.open_at_end for w in weeks] == [2] * 10 + [3, 4]
    assert [w.partial for w in weeks] == [False] * 11 + [True]
    # Unscoped (B still resolved on Thu Mar 14; F, G created Fri Mar 15 and Sat
    # Mar 16: all after as_of): the same weeks, counted as things stood at as_of
    # (at Sun Mar 17 the backlog would be D, E, A, F, G = 5).
    unscoped = [
        *_weekly_rows("2024-03-14"),
        {"created_date": "2024-03-15"},
        {"created_date": "2024-03-16"},
    ]
    assert weekly_volume(make_tickets(unscoped), date(2024, 3, 13)) == weeks


def test_no_tickets_still_twelve_weeks_of_zeros() -> None:
    """An empty frame gives the 12 weeks, all zeros; as_of Wed: the last partial."""
    weeks = weekly_volume(make_tickets([]), date(2024, 3, 13))
    assert weeks == [
        WeekVolume(
            week_start=monday,
            created=0,
            resolved=0,
            open_at_end=0,
            partial=monday == date(2024, 3, 11),
        )
        for monday in MONDAYS
    ]


# --- weekday_volume ---------------------------------------------------------


def test_tickets_per_weekday_monday_first() -> None:
    """Mon Mar 11, Thu Mar 14, Sun Mar 17 twice, Wed 1969-12-31 (day -1).

    Monday 1, Tuesday 0, Wednesday 1, Thursday 1, Friday 0, Saturday 0, Sunday 2.
    """
    tickets = make_tickets(
        [
            {"created_date": "2024-03-11"},
            {"created_date": "2024-03-14"},
            {"created_date": "2024-03-17"},
            {"status": "Closed", "created_date": "2024-03-17"},
            {"created_date": "1969-12-31"},
        ]
    )
    assert weekday_volume(tickets) == [
        WeekdayVolume(weekday="Monday", created=1),
        WeekdayVolume(weekday="Tuesday", created=0),
        WeekdayVolume(weekday="Wednesday", created=1),
        WeekdayVolume(weekday="Thursday", created=1),
        WeekdayVolume(weekday="Friday", created=0),
        WeekdayVolume(weekday="Saturday", created=0),
        WeekdayVolume(weekday="Sunday", created=2),
    ]


def test_no_tickets_seven_zero_weekdays() -> None:
    """An empty frame still lists the seven weekdays, Monday first, at zero."""
    days = weekday_volume(make_tickets([]))
    assert [(d.weekday, d.created) for d in days] == [
        ("Monday", 0),
        ("Tuesday", 0),
        ("Wednesday", 0),
        ("Thursday", 0),
        ("Friday", 0),
        ("Saturday", 0),
        ("Sunday", 0),
    ]
