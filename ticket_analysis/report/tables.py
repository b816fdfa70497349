"""The report's tables as DataFrames, read from the summary (one function a table)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import pandas as pd

from ticket_analysis.domain import ISSUE_CODES, PRIORITIES, REJECT_CODES
from ticket_analysis.report.briefing import PERIOD_COLUMNS, filter_names, period_rows
from ticket_analysis.report.formatting import (
    UNASSIGNED_FLAG,
    format_number,
    format_percent,
    marked,
)
from ticket_analysis.report.html import DASH, counted, iso_utc, source_name

if TYPE_CHECKING:
    from ticket_analysis.summary import SlaFigures, Stats, Summary

#: How many of the oldest open tickets the report lists.
OLDEST_SHOWN: Final = 10
#: How many tickets of the action list (past their SLA target) the report lists.
OVERDUE_SHOWN: Final = 20
#: How many of the last months the monthly table shows (summary.json has all).
MONTHS_SHOWN: Final = 24
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


def overdue_table(summary: Summary, limit: int = OVERDUE_SHOWN) -> pd.DataFrame:
    """List the open tickets past their SLA target: Critical first, most overdue."""
    rows = [
        (
            t.ticket_id,
            t.priority,
            t.overdue_days,
            t.age_days,
            t.target_days,
            t.assigned_to or UNASSIGNED_FLAG,
            t.customer_id,
            t.status,
            t.created_date,
        )
        for t in summary.overdue_open.tickets[: max(limit, 0)]
    ]
    columns = ["Ticket", "Priority", "Days over target", "Days open", "Target (days)"]
    return pd.DataFrame(
        rows, columns=[*columns, "Assigned to", "Customer", "Status", "Created"]
    )


def period_table(summary: Summary) -> pd.DataFrame:
    """Compare the last period with the one before, and the change between them."""
    rows = [(row.label, *row.figures()) for row in period_rows(summary)]
    return pd.DataFrame(rows, columns=["Period", *PERIOD_COLUMNS])


def agents_table(summary: Summary) -> pd.DataFrame:
    """List every agent's workload, speed and SLA attainment."""
    rows = [
        (
            a.agent,
            a.resolved,
            a.within_target,
            DASH if a.breach_rate is None else format_percent(a.breach_rate),
            _days(a.avg_resolution_days),
            _days(a.median_resolution_days),
            a.open,
            a.open_breaching,
            a.total,
        )
        for a in summary.agents
    ]
    columns = ["Agent", "Resolved", "Within target", "Breach rate", "Avg days"]
    return pd.DataFrame(
        rows,
        columns=[*columns, "Median days", "Open", "Open past target", "Total"],
    )


def sla_table(summary: Summary) -> pd.DataFrame:
    """Summarise resolution times against the SLA targets, Low to Critical, then all.

    The priorities run in the charts' order (Low first).
    """
    sla = summary.sla
    stats = summary.resolution_time_days
    groups: list[tuple[str, object, SlaFigures, Stats]] = [
        (
            priority,
            sla.targets_days[priority],
            sla.by_priority[priority],
            stats.by_priority[priority],
        )
        for priority in PRIORITIES
    ]
    groups.append(("All priorities", DASH, sla.overall, stats.overall))
    rows = [
        {
            "Priority": label,
            "Target (days)": target,
            "Resolved": entry.resolved_with_duration,
            "Median days": _days(group.median),
            "90th pct days": _days(group.p90),
            "Within target": entry.within_target,
            "Breach rate": DASH
            if entry.breach_rate is None
            else format_percent(entry.breach_rate),
            "Open past target": entry.open_breaching,
        }
        for label, target, entry, group in groups
    ]
    return pd.DataFrame(rows)


def monthly_table(summary: Summary, limit: int = MONTHS_SHOWN) -> pd.DataFrame:
    """List the last months: created, resolved, backlog at the end, breach rate."""
    rows = [
        (
            marked(m.month, m.partial),
            m.created,
            m.resolved,
            m.open_at_end,
            DASH if m.breach_rate is None else format_percent(m.breach_rate),
        )
        for m in summary.monthly_volume[-max(limit, 1) :]
    ]
    columns = ["Month", "Created", "Resolved", "Open at end", "Breach rate"]
    return pd.DataFrame(rows, columns=columns)


def weekly_table(summary: Summary) -> pd.DataFrame:
    """List the last 12 ISO weeks (the week's Monday), the partial one marked."""
    rows = [
        (
            marked(w.week_start.isoformat(), w.partial),
            w.created,
            w.resolved,
            w.open_at_end,
        )
        for w in summary.weekly_volume
    ]
    columns = ["Week starting", "Created", "Resolved", "Open at end"]
    return pd.DataFrame(rows, columns=columns)


def weekday_table(summary: Summary) -> pd.DataFrame:
    """List the tickets created on each weekday, Monday first."""
    rows = [(d.weekday, d.created) for d in summary.weekday_volume]
    return pd.DataFrame(rows, columns=["Weekday", "Created"])


def subjects_table(summary: Summary) -> pd.DataFrame:
    """List the whole subjects that occur at least twice, most frequent first."""
    rows = [(s.subject, s.count) for s in summary.top_subjects]
    return pd.DataFrame(rows, columns=["Subject (lower-cased)", "Tickets"])


def parameters_table(summary: Summary) -> pd.DataFrame:
    """List the parameters and the source of the run, for the report's appendix."""
    params = summary.parameters
    source = summary.source
    targets = params.sla_targets_days
    limit = params.list_limit
    rows = [
        ("Report date (as of)", summary.as_of),
        ("Compared periods", counted(params.period_days, "day", "days") + " each"),
        ("Filters", _filters(summary)),
        ("Open-ticket age threshold", counted(params.open_days, "day", "days")),
        (
            "Escalation threshold",
            "more than " + counted(params.escalation_threshold, "ticket", "tickets"),
        ),
        ("Subject words listed", params.top_words),
        ("List limit in summary.json", "none" if limit == 0 else limit),
        ("SLA targets (days)", ", ".join(f"{p} {targets[p]}" for p in PRIORITIES)),
        ("Source file", source_name(summary)),
        ("Source size", f"{source.bytes:,} bytes"),
        ("Source encoding", source.encoding),
        ("Import profile", source.profile),
        ("Source SHA-256", source.sha256),
        ("Schema version", summary.schema_version),
        ("Generated (UTC)", iso_utc(summary.generated_at)),
    ]
    return pd.DataFrame(
        [(name, str(value)) for name, value in rows], columns=["Setting", "Value"]
    )


def _filters(summary: Summary) -> str:
    """Name the filters the report was narrowed with (``"none"`` without any)."""
    named = filter_names(summary.parameters.filters)
    return ", ".join(named) or "none"


def _days(value: float | None) -> str:
    """Return a number of days with at most one decimal, or a dash."""
    return DASH if value is None else format_number(value)
