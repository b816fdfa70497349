"""Hand-built ``summary.json`` dicts (contract section 4) for the narrative tests.

:func:`full_summary` is the summary of the 16 valid tickets below, computed by hand
(as of 2024-03-20, open_days 7, escalation_threshold 3, top_words 5, default SLA
targets Low 14 / Medium 7 / High 3 / Critical 1 days). The export had 20 records:
4 rejected (2 invalid_created_date, 1 invalid_priority, 1 missing_required_field)
and 3 valid rows with warnings (2 normalized_value, T012 missing_resolved_date).

====  ====  ========  ===========  ==========  ==========  ===========
id    cust  priority  status       created     resolved    assigned_to
====  ====  ========  ===========  ==========  ==========  ===========
T001  C100  High      Closed       2024-01-03  2024-01-05  Agent_Sarah
T002  C200  Medium    Resolved     2024-01-08  2024-01-12  Agent_Mike
T003  C100  Critical  Resolved     2024-01-15  2024-01-18  Agent_Sarah
T004  C300  Low       Closed       2024-01-22  2024-02-02  Agent_Lee
T005  C400  High      Resolved     2024-01-29  2024-01-30  Agent_Mike
T006  C100  Critical  Resolved     2024-02-02  2024-02-02  Agent_Sarah
T007  C200  Medium    Closed       2024-02-05  2024-02-14  Agent_Lee
T008  C500  Low       Open         2024-02-09              Agent_Sarah
T009  C100  Critical  Resolved     2024-02-12  2024-02-16  Agent_Mike
T010  C300  High      In Progress  2024-02-20              Agent_Sarah
T011  C600  Medium    Resolved     2024-02-22  2024-03-01
T012  C400  Medium    Closed       2024-02-26  (missing)   Agent_Lee
T013  C100  Critical  Open         2024-02-28
T014  C700  Medium    In Progress  2024-03-11              Agent_Lee
T015  C200  Critical  Open         2024-03-18              Agent_Sarah
T016  C500  Medium    Open         2024-03-20              Agent_Mike
====  ====  ========  ===========  ==========  ==========  ===========

Subjects: T001 "Login fails after password reset", T002 "Invoice shows wrong
amount", T003 "Login page timeout", T004 "Export to CSV broken", T005 "Password
reset email missing", T006 "Login loop on mobile", T007 "Invoice PDF missing",
T008 "Upload attachment fails", T009 "Login error 500", T010 "Export times out",
T011 "Billing address update", T012 "Password reset link expired", T013 "Login
slow", T014 "Dashboard chart blank", T015 "Invoice duplicate charge", T016
"Attachment size limit".

Derived by hand:

- resolution_days: T001 2, T002 4, T003 3, T004 11, T005 1, T006 0, T007 9, T009 4,
  T011 8 (T012 has no date). Overall sorted 0 1 2 3 4 4 8 9 11: mean 42/9 = 4.67,
  median 4, p90 = 9 + 0.2 * (11 - 9) = 9.4. Low [11]; Medium [4, 8, 9]: mean 7,
  p90 8.8; High [1, 2]: mean 1.5, p90 1.9; Critical [0, 3, 4]: mean 2.33, p90 3.8.
- age_days of open tickets: T008 40, T010 29, T013 21, T014 9, T015 2, T016 0.
- SLA: Medium 1 of 3 within 7 days, Critical 1 of 3 within 1 day (breach 0.6667);
  open past target: T008 (>14), T014 (>7), T010 (>3), T013 and T015 (>1).
- Agents all resolved 3, so ordered by average days: Sarah 1.67 (2, 3, 0), Mike 3
  (4, 1, 4), Lee 10 (11, 9). Sarah holds 3 of the 6 open tickets.
- Words (stop words after/to/on/out dropped, "500" dropped): login 5; invoice,
  password, reset 3; attachment, export, fails, missing 2.
- Months: created Jan 5, Feb 8, Mar 3; resolved Jan 4, Feb 4 (T004, T006, T007,
  T009), Mar 1 (T011).

v1.1 fields, by hand (a ticket is open at the end of day D when created on or
before D and still open, or resolved after D; T012 has no resolved date, so it
is never counted open):

- sla.overall: 9 resolved with a time, 5 within (T001, T002, T004, T005, T006),
  breach 1 - 5/9 = 0.4444; open past target T008, T010, T013, T014, T015 = 5.
- Agents: Sarah within 2 of 3 (T003 late), breach 0.3333, open past target 3
  (T008, T010, T015); Mike within 2 of 3 (T009 late), breach 0.3333, 0 (T016 is
  0 days old); Lee within 1 of 2 (T007 late, T012 no time), breach 0.5, 1 (T014).
- overdue_open (age - target): Critical T013 21-1 = 20 (unassigned), T015 2-1 = 1;
  High T010 29-3 = 26; Medium T014 9-7 = 2; Low T008 40-14 = 26. Count 5, 1
  unassigned.
- Months: open_at_end Jan 31 = 1 (T004, resolved 02-02), Feb 29 = 4 (T008, T010,
  T013, T011 resolved 03-01), Mar (at as_of) = 6; breach_rate Jan 1/4 = 0.25
  (T003), Feb 2/4 = 0.5 (T007, T009), Mar 1/1 = 1.0 (T011); March is partial.
- Weeks: the 12 ISO weeks from Monday 2024-01-01 to the week of as_of (Monday
  2024-03-18, partial: as_of is a Wednesday). Created 1 1 1 1 2 2 1 2 2 0 1 2,
  resolved 1 1 1 0 3 0 2 0 1 0 0 0, open at the Sundays 0 0 0 1 (T004) 0 2 (T007,
  T008) 1 3 (T008, T010, T011) 3 (T008, T010, T013) 3 4 (+T014), 6 at as_of.
- Weekdays created: Monday 9 (T002 T003 T004 T005 T007 T009 T012 T014 T015),
  Tuesday 1 (T010), Wednesday 3 (T001 T013 T016), Thursday 1 (T011), Friday 2
  (T006 T008).
- period_comparison (28 days): current 2024-02-22..2024-03-20, created 6
  (T011-T016), resolved 1 (T011, 8 days, late): median 8, breach 1.0, open at end
  6; previous 2024-01-25..2024-02-21, created 6 (T005-T010), resolved 5 (T005 1,
  T004 11, T006 0, T007 9 late, T009 4 late): median 4, breach 2/5 = 0.4, open at
  end 2 (T008, T010).
- top_subjects: every subject is different, so none.

With default thresholds: Critical misses (2 late + 2 open past target = 4 of 5),
High (1 open past target of 3), Medium (2 + 1 = 3 of 4); Low has 2 known outcomes,
too few. Agent_Sarah holds 3 of 6 open tickets (50%) but fewer than 5: silent.

``findings`` and ``recommendations`` hold what ``build_findings`` must produce for
this summary with default thresholds (written out by hand, tested; the
rejected rows' recommendation would be the sixth: the limit of five cuts it). ``issues``
lists every code, zeros included, as the loader writes it.
"""

from __future__ import annotations

from typing import Any

from ticket_analysis.domain import ISSUE_CODES
from ticket_analysis.summary_trends import WEEKDAYS


def _stats(
    count: int, mean: float, median: float, p90: float, low: int, high: int
) -> dict[str, Any]:
    """Return one STATS block."""
    return {
        "count": count,
        "mean": mean,
        "median": median,
        "p90": p90,
        "min": low,
        "max": high,
    }


def _null_stats() -> dict[str, Any]:
    """Return the STATS block of a group without resolution times."""
    return {
        "count": 0,
        "mean": None,
        "median": None,
        "p90": None,
        "min": None,
        "max": None,
    }


def _open_ticket(
    ticket_id: str,
    customer_id: str,
    priority: str,
    status: str,
    assigned_to: str | None,
    created_date: str,
    age_days: int,
) -> dict[str, Any]:
    """Return one entry of ``open_over_threshold.tickets``."""
    return {
        "ticket_id": ticket_id,
        "customer_id": customer_id,
        "priority": priority,
        "status": status,
        "assigned_to": assigned_to,
        "created_date": created_date,
        "age_days": age_days,
    }


def _agent(
    name: str,
    figures: tuple[int, float | None, float | None, int, int],
    sla: tuple[int, float | None, int],
) -> dict[str, Any]:
    """Return one entry of ``agents``: (resolved, avg, median, open, total), SLA."""
    resolved, avg, median, open_, total = figures
    within, breach_rate, open_breaching = sla
    return {
        "agent": name,
        "resolved": resolved,
        "avg_resolution_days": avg,
        "median_resolution_days": median,
        "open": open_,
        "total": total,
        "within_target": within,
        "breach_rate": breach_rate,
        "open_breaching": open_breaching,
    }


def _overdue(
    ticket_id: str,
    customer_id: str,
    priority: str,
    status: str,
    assigned_to: str | None,
    created: tuple[str, int],
    target_days: int,
) -> dict[str, Any]:
    """Return one entry of ``overdue_open.tickets``; ``created`` is (date, age)."""
    created_date, age_days = created
    return {
        "ticket_id": ticket_id,
        "customer_id": customer_id,
        "priority": priority,
        "status": status,
        "assigned_to": assigned_to,
        "created_date": created_date,
        "age_days": age_days,
        "target_days": target_days,
        "overdue_days": age_days - target_days,
    }


def _month(
    month: str,
    flow: tuple[int, int],
    open_at_end: int,
    breach_rate: float | None,
    partial: bool = False,
) -> dict[str, Any]:
    """Return one entry of ``monthly_volume``; ``flow`` is (created, resolved)."""
    return {
        "month": month,
        "created": flow[0],
        "resolved": flow[1],
        "open_at_end": open_at_end,
        "breach_rate": breach_rate,
        "partial": partial,
    }


def _week(
    start: str, created: int, resolved: int, open_at_end: int, partial: bool = False
) -> dict[str, Any]:
    """Return one entry of ``weekly_volume``."""
    return {
        "week_start": start,
        "created": created,
        "resolved": resolved,
        "open_at_end": open_at_end,
        "partial": partial,
    }


def _period(
    start: str,
    end: str,
    flow: tuple[int, int],
    median: float | None,
    breach_rate: float | None,
    open_at_end: int,
) -> dict[str, Any]:
    """Return one PERIOD block; ``flow`` is (created, resolved)."""
    return {
        "start": start,
        "end": end,
        "created": flow[0],
        "resolved": flow[1],
        "median_resolution_days": median,
        "breach_rate": breach_rate,
        "open_at_end": open_at_end,
    }


#: The Mondays of the 12 weeks ending with the week of 2024-03-20.
WEEK_STARTS = tuple(
    f"2024-{month:02d}-{day:02d}"
    for month, day in (
        (1, 1), (1, 8), (1, 15), (1, 22), (1, 29), (2, 5),
        (2, 12), (2, 19), (2, 26), (3, 4), (3, 11), (3, 18),
    )
)  # fmt: skip
NO_FILTERS = {"agent": None, "customer": None, "priority": None}


FULL_FINDINGS = [
    "2 open Critical tickets are past the 1-day target: T013 (20 days past target, "
    "unassigned) and T015 (1 day past target, Agent_Sarah).",
    "1 open High ticket is past the 3-day target: T010 (26 days past target, "
    "Agent_Sarah).",
    "1 open High or Critical ticket is unassigned: T013 (Critical, open 21 days).",
    "Critical SLA is failing: 4 of 5 Critical tickets (80%) missed the 1-day target "
    "(2 of 3 resolved late, 2 still open past it); median resolution 3 days.",
    "High-priority SLA is under strain: 1 of 3 High tickets (33%) missed the 3-day "
    "target (the 2 resolved on time, 1 still open past it); median resolution 1.5 "
    "days.",
    "Medium tickets run late: 3 of 4 Medium tickets (75%) missed the 7-day target "
    "(2 of 3 resolved late, 1 still open past it); median resolution 8 days; the "
    "most overdue is T014 (2 days past target).",
    "The backlog is growing: 6 tickets created and 1 resolved in the last 28 days "
    "(2024-02-22 to 2024-03-20), against 6 created and 5 resolved in the 28 days "
    "before; open tickets rose from 2 to 6. Of the tickets resolved, 100% missed "
    "their target (40% before); median resolution 8 days (4 days before).",
    "Customer C100 opened 5 tickets (more than 3): 1 still open, 5 High or Critical.",
    "20% of rows were rejected (4 of 20); reasons: an invalid created date (2), a "
    "missing required field (1) and an invalid priority (1).",
]

FULL_RECOMMENDATIONS = [
    "Clear the 2 overdue Critical tickets today, most overdue first: T013 and T015 "
    "(20 and 1 days past target); then the overdue High ticket T010 (26 days past "
    "target). overdue_tickets.csv lists every overdue ticket.",
    "Assign an agent today to T013 (Critical, open 21 days).",
    "Add capacity or defer non-urgent work until more tickets close than open: open "
    "tickets rose from 2 to 6 in the last 28 days (6 created, 1 resolved).",
    "Contact C100 (5 tickets, 1 open) before they escalate.",
    "Review triage and staffing for the priorities missing their SLA target (share "
    "of tickets that missed it): Critical 80%, High 33% and Medium 75%.",
]

EMPTY_FINDINGS = ["No tickets to analyse: the input had no data records."]
EMPTY_RECOMMENDATIONS = [
    "Check the export: it should hold the tickets of the period to analyse."
]


def full_summary() -> dict[str, Any]:
    """Return a fresh copy of the 16-ticket summary described in the module doc.

    Returns:
        A complete summary dict, safe to modify.
    """
    return {
        "schema_version": "1.1",
        "generated_at": "2024-03-21T09:30:00Z",
        "as_of": "2024-03-20",
        "parameters": {
            "open_days": 7,
            "escalation_threshold": 3,
            "top_words": 5,
            "list_limit": 100,
            "sla_targets_days": {"Low": 14, "Medium": 7, "High": 3, "Critical": 1},
            "period_days": 28,
            "filters": dict(NO_FILTERS),
        },
        "source": {
            "path": "data/tickets_sample.csv",
            "sha256": "3f7a9c2e4b1d8f6a0c5e7b9d2f4a6c8e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a",
            "bytes": 1834,
            "encoding": "utf-8",
            "profile": "canonical",
        },
        "data_quality": {
            "records_read": 20,
            "rows_valid": 16,
            "rows_rejected": 4,
            "rows_with_warnings": 3,
            "issues": {
                "malformed_record": 0,
                "missing_required_field": 1,
                "invalid_created_date": 2,
                "invalid_priority": 1,
                "invalid_status": 0,
                "duplicate_ticket_id": 0,
                "normalized_value": 2,
                "invalid_resolved_date": 0,
                "resolved_before_created": 0,
                "missing_resolved_date": 1,
                "resolved_date_on_open_ticket": 0,
                "missing_subject": 0,
                "created_after_as_of": 0,
            },
            "rejected_rows_file": "rejected_rows.csv",
            "extra_columns": [],
            "missing_optional_columns": [],
        },
        "scope": {
            "filters": dict(NO_FILTERS),
            "tickets_in_scope": 16,
            "created_after_as_of": 0,
            "filtered_out": 0,
        },
        "summary": {
            "total_tickets": 16,
            "open_tickets": 6,
            "resolved_tickets": 10,
            "unassigned_tickets": 2,
            "avg_resolution_days": 4.67,
            "median_resolution_days": 4.0,
        },
        "status_counts": {"Open": 4, "In Progress": 2, "Resolved": 6, "Closed": 4},
        "priority_counts": {"Low": 2, "Medium": 6, "High": 3, "Critical": 5},
        "status_by_priority": {
            "Low": {"Open": 1, "In Progress": 0, "Resolved": 0, "Closed": 1},
            "Medium": {"Open": 1, "In Progress": 1, "Resolved": 2, "Closed": 2},
            "High": {"Open": 0, "In Progress": 1, "Resolved": 1, "Closed": 1},
            "Critical": {"Open": 2, "In Progress": 0, "Resolved": 3, "Closed": 0},
        },
        "resolution_time_days": {
            "overall": _stats(9, 4.67, 4.0, 9.4, 0, 11),
            "by_priority": {
                "Low": _stats(1, 11.0, 11.0, 11.0, 11, 11),
                "Medium": _stats(3, 7.0, 8.0, 8.8, 4, 9),
                "High": _stats(2, 1.5, 1.5, 1.9, 1, 2),
                "Critical": _stats(3, 2.33, 3.0, 3.8, 0, 4),
            },
        },
        "open_over_threshold": {
            "threshold_days": 7,
            "count": 4,
            "by_priority": {"Low": 1, "Medium": 1, "High": 1, "Critical": 1},
            "tickets": [
                _open_ticket(
                    "T008", "C500", "Low", "Open", "Agent_Sarah", "2024-02-09", 40
                ),
                _open_ticket(
                    "T010",
                    "C300",
                    "High",
                    "In Progress",
                    "Agent_Sarah",
                    "2024-02-20",
                    29,
                ),
                _open_ticket(
                    "T013", "C100", "Critical", "Open", None, "2024-02-28", 21
                ),
                _open_ticket(
                    "T014",
                    "C700",
                    "Medium",
                    "In Progress",
                    "Agent_Lee",
                    "2024-03-11",
                    9,
                ),
            ],
        },
        "backlog_aging": [
            {"bucket": "0-1", "count": 1},
            {"bucket": "2-3", "count": 1},
            {"bucket": "4-7", "count": 0},
            {"bucket": "8-14", "count": 1},
            {"bucket": "15-30", "count": 2},
            {"bucket": "31+", "count": 1},
        ],
        "agents": [
            _agent("Agent_Sarah", (3, 1.67, 2.0, 3, 6), (2, 0.3333, 3)),
            _agent("Agent_Mike", (3, 3.0, 4.0, 1, 4), (2, 0.3333, 0)),
            _agent("Agent_Lee", (3, 10.0, 10.0, 1, 4), (1, 0.5, 1)),
        ],
        "top_agents": [
            _agent("Agent_Sarah", (3, 1.67, 2.0, 3, 6), (2, 0.3333, 3)),
            _agent("Agent_Mike", (3, 3.0, 4.0, 1, 4), (2, 0.3333, 0)),
            _agent("Agent_Lee", (3, 10.0, 10.0, 1, 4), (1, 0.5, 1)),
        ],
        "monthly_volume": [
            _month("2024-01", (5, 4), 1, 0.25),
            _month("2024-02", (8, 4), 4, 0.5),
            _month("2024-03", (3, 1), 6, 1.0, partial=True),
        ],
        "weekly_volume": [
            _week(start, created, resolved, open_at_end)
            for start, created, resolved, open_at_end in zip(
                WEEK_STARTS[:-1],
                (1, 1, 1, 1, 2, 2, 1, 2, 2, 0, 1),
                (1, 1, 1, 0, 3, 0, 2, 0, 1, 0, 0),
                (0, 0, 0, 1, 0, 2, 1, 3, 3, 3, 4),
                strict=True,
            )
        ]
        + [_week(WEEK_STARTS[-1], 2, 0, 6, partial=True)],
        "weekday_volume": [
            {"weekday": day, "created": created}
            for day, created in zip(WEEKDAYS, (9, 1, 3, 1, 2, 0, 0), strict=True)
        ],
        "period_comparison": {
            "period_days": 28,
            "current": _period("2024-02-22", "2024-03-20", (6, 1), 8.0, 1.0, 6),
            "previous": _period("2024-01-25", "2024-02-21", (6, 5), 4.0, 0.4, 2),
        },
        "overdue_open": {
            "count": 5,
            "unassigned": 1,
            "by_priority": {"Low": 1, "Medium": 1, "High": 1, "Critical": 2},
            "tickets": [
                _overdue(
                    "T013", "C100", "Critical", "Open", None, ("2024-02-28", 21), 1
                ),
                _overdue(
                    "T015",
                    "C200",
                    "Critical",
                    "Open",
                    "Agent_Sarah",
                    ("2024-03-18", 2),
                    1,
                ),
                _overdue(
                    "T010",
                    "C300",
                    "High",
                    "In Progress",
                    "Agent_Sarah",
                    ("2024-02-20", 29),
                    3,
                ),
                _overdue(
                    "T014",
                    "C700",
                    "Medium",
                    "In Progress",
                    "Agent_Lee",
                    ("2024-03-11", 9),
                    7,
                ),
                _overdue(
                    "T008", "C500", "Low", "Open", "Agent_Sarah", ("2024-02-09", 40), 14
                ),
            ],
        },
        "top_subjects": [],
        "top_subject_words": [
            {"word": "login", "count": 5},
            {"word": "invoice", "count": 3},
            {"word": "password", "count": 3},
            {"word": "reset", "count": 3},
            {"word": "attachment", "count": 2},
        ],
        "escalation_candidates": {
            "threshold": 3,
            "count": 1,
            "customers": [
                {"customer_id": "C100", "tickets": 5, "open": 1, "high_or_critical": 5}
            ],
        },
        "sla": {
            "targets_days": {"Low": 14, "Medium": 7, "High": 3, "Critical": 1},
            "overall": {
                "resolved_with_duration": 9,
                "within_target": 5,
                "breach_rate": 0.4444,
                "open_breaching": 5,
            },
            "by_priority": {
                "Low": {
                    "resolved_with_duration": 1,
                    "within_target": 1,
                    "breach_rate": 0.0,
                    "open_breaching": 1,
                },
                "Medium": {
                    "resolved_with_duration": 3,
                    "within_target": 1,
                    "breach_rate": 0.6667,
                    "open_breaching": 1,
                },
                "High": {
                    "resolved_with_duration": 2,
                    "within_target": 2,
                    "breach_rate": 0.0,
                    "open_breaching": 1,
                },
                "Critical": {
                    "resolved_with_duration": 3,
                    "within_target": 1,
                    "breach_rate": 0.6667,
                    "open_breaching": 2,
                },
            },
        },
        "weather": {
            "status": "ok",
            "provider": "open-meteo",
            "location": {"name": "Berlin", "latitude": 52.52, "longitude": 13.41},
            "observed_at": "2024-03-21T10:15:00+01:00",
            "temperature_c": 7.5,
            "apparent_temperature_c": 4.9,
            "humidity_pct": 81,
            "wind_kmh": 14.2,
            "condition": "Partly cloudy",
            "weather_code": 2,
            "from_cache": True,
            "stale": False,
            "reason": None,
            "attribution": "Weather data by Open-Meteo.com (CC BY 4.0)",
        },
        "findings": list(FULL_FINDINGS),
        "recommendations": list(FULL_RECOMMENDATIONS),
    }


def empty_summary() -> dict[str, Any]:
    """Return a fresh summary of an export without a single data record.

    Every count is zero, every statistic null, all fixed keys present (the 12
    weeks and the two periods up to as_of 2024-03-20, as for the full summary);
    weather is disabled.

    Returns:
        A complete summary dict, safe to modify.
    """
    priorities = ("Low", "Medium", "High", "Critical")
    statuses = ("Open", "In Progress", "Resolved", "Closed")
    return {
        "schema_version": "1.1",
        "generated_at": "2024-03-21T09:30:00Z",
        "as_of": "2024-03-20",
        "parameters": {
            "open_days": 7,
            "escalation_threshold": 5,
            "top_words": 10,
            "list_limit": 100,
            "sla_targets_days": {"Low": 14, "Medium": 7, "High": 3, "Critical": 1},
            "period_days": 28,
            "filters": dict(NO_FILTERS),
        },
        "source": {
            "path": "data/empty.csv",
            "sha256": "0" * 64,
            "bytes": 120,
            "encoding": "utf-8",
            "profile": "canonical",
        },
        "data_quality": {
            "records_read": 0,
            "rows_valid": 0,
            "rows_rejected": 0,
            "rows_with_warnings": 0,
            "issues": dict.fromkeys(ISSUE_CODES, 0),
            "rejected_rows_file": "rejected_rows.csv",
            "extra_columns": [],
            "missing_optional_columns": [],
        },
        "scope": {
            "filters": dict(NO_FILTERS),
            "tickets_in_scope": 0,
            "created_after_as_of": 0,
            "filtered_out": 0,
        },
        "summary": {
            "total_tickets": 0,
            "open_tickets": 0,
            "resolved_tickets": 0,
            "unassigned_tickets": 0,
            "avg_resolution_days": None,
            "median_resolution_days": None,
        },
        "status_counts": dict.fromkeys(statuses, 0),
        "priority_counts": dict.fromkeys(priorities, 0),
        "status_by_priority": {p: dict.fromkeys(statuses, 0) for p in priorities},
        "resolution_time_days": {
            "overall": _null_stats(),
            "by_priority": {p: _null_stats() for p in priorities},
        },
        "open_over_threshold": {
            "threshold_days": 7,
            "count": 0,
            "by_priority": dict.fromkeys(priorities, 0),
            "tickets": [],
        },
        "backlog_aging": [
            {"bucket": bucket, "count": 0}
            for bucket in ("0-1", "2-3", "4-7", "8-14", "15-30", "31+")
        ],
        "agents": [],
        "top_agents": [],
        "monthly_volume": [],
        "weekly_volume": [
            _week(start, 0, 0, 0, partial=start == WEEK_STARTS[-1])
            for start in WEEK_STARTS
        ],
        "weekday_volume": [{"weekday": day, "created": 0} for day in WEEKDAYS],
        "period_comparison": {
            "period_days": 28,
            "current": _period("2024-02-22", "2024-03-20", (0, 0), None, None, 0),
            "previous": _period("2024-01-25", "2024-02-21", (0, 0), None, None, 0),
        },
        "overdue_open": {
            "count": 0,
            "unassigned": 0,
            "by_priority": dict.fromkeys(priorities, 0),
            "tickets": [],
        },
        "top_subjects": [],
        "top_subject_words": [],
        "escalation_candidates": {"threshold": 5, "count": 0, "customers": []},
        "sla": {
            "targets_days": {"Low": 14, "Medium": 7, "High": 3, "Critical": 1},
            "overall": {
                "resolved_with_duration": 0,
                "within_target": 0,
                "breach_rate": None,
                "open_breaching": 0,
            },
            "by_priority": {
                p: {
                    "resolved_with_duration": 0,
                    "within_target": 0,
                    "breach_rate": None,
                    "open_breaching": 0,
                }
                for p in priorities
            },
        },
        "weather": {
            "status": "disabled",
            "provider": None,
            "location": None,
            "observed_at": None,
            "temperature_c": None,
            "apparent_temperature_c": None,
            "humidity_pct": None,
            "wind_kmh": None,
            "condition": None,
            "weather_code": None,
            "from_cache": False,
            "stale": False,
            "reason": None,
            "attribution": None,
        },
        "findings": list(EMPTY_FINDINGS),
        "recommendations": list(EMPTY_RECOMMENDATIONS),
    }
