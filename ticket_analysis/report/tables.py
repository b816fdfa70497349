"""The report's tables as DataFrames, read from the summary (one function a table)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import pandas as pd

from ticket_analysis.domain import ISSUE_CODES, PRIORITIES, REJECT_CODES
from ticket_analysis.report.formatting import format_number, format_percent
from ticket_analysis.report.html import DASH, counted, iso_utc

if TYPE_CHECKING:
    from ticket_analysis.summary import Summary

#: How many of the oldest open tickets the report lists.
OLDEST_SHOWN: Final = 10
#: How many escalation candidates the report lists.
CUSTOMERS_SHOWN: Final = 15

#: Plain-English meaning of each issue code, for the data-quality table.
ISSUE_LABELS: Final = {
    "malformed_record": "Malformed record (wrong number of fields)",
    "missing_required_field": "Required field empty",
    "invalid_created_date": "Created date not a real YYYY-MM-DD date",
    "invalid_priority": "Priority not Low, Medium, High or Critical",
    "invalid_status": "Status not Open, In Progress, Resolved or Closed",
    "duplicate_ticket_id": "Ticket id already used by an earlier row",
    "normalized_value": "Priority or status spelling normalised",
    "invalid_resolved_date": "Resolved date not a real date (ignored)",
    "resolved_before_created": "Resolved before created (no duration)",
    "missing_resolved_date": "Resolved or closed without a date",
    "resolved_date_on_open_ticket": "Open ticket with a resolved date (ignored)",
    "missing_subject": "Subject empty",
    "created_after_as_of": "Created after the report date",
}


def issues_table(summary: Summary) -> pd.DataFrame:
    """List the issues that occurred: rejections first, then by count, then code."""
    occurred = sorted(
        (item for item in summary.data_quality.issues.items() if item[1]),
        key=lambda item: (
            item[0] not in REJECT_CODES,
            -item[1],
            ISSUE_CODES.index(item[0]) if item[0] in ISSUE_CODES else len(ISSUE_CODES),
        ),
    )
    rows = [
        (
            ISSUE_LABELS.get(code, code),
            "row rejected" if code in REJECT_CODES else "warning, row kept",
            count,
            code,
        )
        for code, count in occurred
    ]
    return pd.DataFrame(rows, columns=["Issue", "Effect", "Rows", "Code"])


def oldest_open_tickets(summary: Summary, limit: int = OLDEST_SHOWN) -> pd.DataFrame:
    """List the oldest open tickets over the age threshold (oldest first)."""
    rows = [
        (
            t.ticket_id,
            t.customer_id,
            t.priority,
            t.status,
            t.assigned_to or "Unassigned",
            t.created_date,
            t.age_days,
        )
        for t in summary.open_over_threshold.tickets[: max(limit, 0)]
    ]
    columns = ["Ticket", "Customer", "Priority", "Status", "Assigned to", "Created"]
    return pd.DataFrame(rows, columns=[*columns, "Days open"])


def escalation_table(summary: Summary, limit: int = CUSTOMERS_SHOWN) -> pd.DataFrame:
    """List the customers over the escalation threshold (most tickets first)."""
    rows = [
        (c.customer_id, c.tickets, c.open, c.high_or_critical)
        for c in summary.escalation_candidates.customers[: max(limit, 0)]
    ]
    return pd.DataFrame(
        rows, columns=["Customer", "Tickets", "Still open", "High or Critical"]
    )


def agents_table(summary: Summary) -> pd.DataFrame:
    """List every agent's workload and speed."""
    rows = [
        (
            a.agent,
            a.resolved,
            _days(a.avg_resolution_days),
            _days(a.median_resolution_days),
            a.open,
            a.total,
        )
        for a in summary.agents
    ]
    return pd.DataFrame(
        rows, columns=["Agent", "Resolved", "Avg days", "Median days", "Open", "Total"]
    )


def sla_table(summary: Summary) -> pd.DataFrame:
    """Summarise resolution times against the SLA targets, Critical first."""
    rows = []
    for priority in reversed(PRIORITIES):
        entry = summary.sla.by_priority[priority]
        group = summary.resolution_time_days.by_priority[priority]
        rate = entry.breach_rate
        rows.append(
            {
                "Priority": priority,
                "Target (days)": summary.sla.targets_days[priority],
                "Resolved": entry.resolved_with_duration,
                "Median days": _days(group.median),
                "90th pct days": _days(group.p90),
                "Within target": entry.within_target,
                "Breach rate": DASH if rate is None else format_percent(rate),
                "Open past target": entry.open_breaching,
            }
        )
    return pd.DataFrame(rows)


def parameters_table(summary: Summary) -> pd.DataFrame:
    """List the parameters and the source of the run, for the report's appendix."""
    params = summary.parameters
    source = summary.source
    targets = params.sla_targets_days
    limit = params.list_limit
    rows = [
        ("Report date (as of)", summary.as_of),
        ("Open-ticket age threshold", counted(params.open_days, "day", "days")),
        (
            "Escalation threshold",
            "more than " + counted(params.escalation_threshold, "ticket", "tickets"),
        ),
        ("Subject words listed", params.top_words),
        ("List limit in summary.json", "none" if limit == 0 else limit),
        ("SLA targets (days)", ", ".join(f"{p} {targets[p]}" for p in PRIORITIES)),
        ("Source file", source.path),
        ("Source size", f"{source.bytes:,} bytes"),
        ("Source encoding", source.encoding),
        ("Source SHA-256", source.sha256),
        ("Schema version", summary.schema_version),
        ("Generated (UTC)", iso_utc(summary.generated_at)),
    ]
    return pd.DataFrame(
        [(name, str(value)) for name, value in rows], columns=["Setting", "Value"]
    )


def _days(value: float | None) -> str:
    """Return a number of days with at most one decimal, or a dash."""
    return DASH if value is None else format_number(value)
