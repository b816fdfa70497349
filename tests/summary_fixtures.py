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

``findings`` and ``recommendations`` hold what ``build_findings`` must produce for
this summary with default thresholds (written out by hand, tested). ``issues``
lists every code, zeros included, as the loader writes it.
"""

from __future__ import annotations

from typing import Any

from ticket_analysis.domain import ISSUE_CODES


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
    resolved: int,
    avg: float | None,
    median: float | None,
    open_: int,
    total: int,
) -> dict[str, Any]:
    """Return one entry of ``agents``."""
    return {
        "agent": name,
        "resolved": resolved,
        "avg_resolution_days": avg,
        "median_resolution_days": median,
        "open": open_,
        "total": total,
    }


FULL_FINDINGS = [
    "Critical tickets take 3 days at the median against a 1-day target; 2 of 3 "
    "resolved (67%) breached it, and 2 open Critical tickets are already past it.",
    "Medium tickets take 8 days at the median against a 7-day target; 2 of 3 "
    "resolved (67%) breached it, and 1 open Medium ticket is already past it.",
    "4 tickets have been open longer than 7 days (2 High or Critical); the oldest, "
    "T008, has been open 40 days.",
    "Agent_Sarah holds 50% of open work (3 of 6 open tickets).",
    "Customer C100 opened 5 tickets (more than 3), 1 still open, 5 High or Critical.",
    "Ticket volume rose 60% month over month: 8 created in February 2024 against 5 "
    "in January 2024.",
    "20% of rows were rejected (4 of 20); the most common reason is an invalid "
    "created date (2).",
]

FULL_RECOMMENDATIONS = [
    "Review Critical triage and staffing: 2 of 3 resolved Critical tickets missed "
    "the 1-day target.",
    "Review Medium triage and staffing: 2 of 3 resolved Medium tickets missed the "
    "7-day target.",
    "Run an age-based triage of the 4 oldest open tickets (listed under Backlog), "
    "starting with T008 at 40 days.",
    "Rebalance open work: share Agent_Sarah's 3 open tickets with agents who have "
    "capacity.",
    "Contact C100 proactively before they escalate.",
    "Plan staffing for the higher volume: February 2024 was up 60% on January 2024.",
    "Fix the export at its source: rejected_rows.csv lists each rejected line with "
    "its reasons.",
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
        "schema_version": "1.0",
        "generated_at": "2024-03-21T09:30:00Z",
        "as_of": "2024-03-20",
        "parameters": {
            "open_days": 7,
            "escalation_threshold": 3,
            "top_words": 5,
            "list_limit": 100,
            "sla_targets_days": {"Low": 14, "Medium": 7, "High": 3, "Critical": 1},
        },
        "source": {
            "path": "data/tickets_sample.csv",
            "sha256": "3f7a9c2e4b1d8f6a0c5e7b9d2f4a6c8e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a",
            "bytes": 1834,
            "encoding": "utf-8",
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
            _agent("Agent_Sarah", 3, 1.67, 2.0, 3, 6),
            _agent("Agent_Mike", 3, 3.0, 4.0, 1, 4),
            _agent("Agent_Lee", 3, 10.0, 10.0, 1, 4),
        ],
        "top_agents": [
            _agent("Agent_Sarah", 3, 1.67, 2.0, 3, 6),
            _agent("Agent_Mike", 3, 3.0, 4.0, 1, 4),
            _agent("Agent_Lee", 3, 10.0, 10.0, 1, 4),
        ],
        "monthly_volume": [
            {"month": "2024-01", "created": 5, "resolved": 4},
            {"month": "2024-02", "created": 8, "resolved": 4},
            {"month": "2024-03", "created": 3, "resolved": 1},
        ],
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

    Every count is zero, every statistic null, ``as_of`` null (no date to derive
    it from), all fixed keys present; weather is disabled.

    Returns:
        A complete summary dict, safe to modify.
    """
    priorities = ("Low", "Medium", "High", "Critical")
    statuses = ("Open", "In Progress", "Resolved", "Closed")
    return {
        "schema_version": "1.0",
        "generated_at": "2024-03-21T09:30:00Z",
        "as_of": "2024-03-20",
        "parameters": {
            "open_days": 7,
            "escalation_threshold": 5,
            "top_words": 10,
            "list_limit": 100,
            "sla_targets_days": {"Low": 14, "Medium": 7, "High": 3, "Critical": 1},
        },
        "source": {
            "path": "data/empty.csv",
            "sha256": "0" * 64,
            "bytes": 120,
            "encoding": "utf-8",
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
        "top_subject_words": [],
        "escalation_candidates": {"threshold": 5, "count": 0, "customers": []},
        "sla": {
            "targets_days": {"Low": 14, "Medium": 7, "High": 3, "Critical": 1},
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
