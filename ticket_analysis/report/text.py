"""The executive text report: a pure function from the summary to plain text.

:func:`render_text_report` reads only the :class:`~ticket_analysis.summary.Summary`,
including its ``findings`` and ``recommendations``, and returns the report as one
string. Same summary, same text: nothing here reads a clock, a file or the
environment. Every line is at most :data:`LINE_WIDTH` characters and
ticket-derived values are cleaned and cut (see :mod:`ticket_analysis.report.
text_layout`); a null number prints as ``n/a``, an empty list as ``none``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from pydantic_core import to_jsonable_python

from ticket_analysis.domain import ISSUE_CODES, PRIORITIES, REJECT_CODES
from ticket_analysis.report.findings import OLDEST_TO_TRIAGE
from ticket_analysis.report.formatting import format_percent, is_complete_month
from ticket_analysis.report.text_layout import (
    ELLIPSIS,
    LINE_WIDTH,
    NA,
    NONE,
    clean,
    count,
    cut,
    days,
    fixed,
    measure,
    pairs,
    percent,
    table,
    truncate,
    wrap,
)
from ticket_analysis.summary import Summary

TITLE: Final = "Support Ticket Analysis Report"
#: How many of the oldest open tickets the Backlog section lists.
OLDEST_SHOWN: Final = OLDEST_TO_TRIAGE
#: How many escalation candidates the Customers to Watch section lists.
CUSTOMERS_SHOWN: Final = 15

_ENUM_WIDTH: Final = len("In Progress")  # widest priority or status
_BAR_WIDTH: Final = 30  # longest '#' bar in the ageing table

Section = Callable[[Summary], list[str]]


def render_text_report(summary: Summary) -> str:
    """Render the report: a header, then one ``=== Section ===`` block per topic."""
    # summary.json's spelling of the time ("...Z"), not str(datetime)'s.
    generated = to_jsonable_python(summary.generated_at)
    lines = [
        TITLE,
        f"Generated: {clean(generated)}",
        f"Data as of: {summary.as_of.isoformat()}",
    ]
    sections: tuple[tuple[str, Section], ...] = (
        ("Summary Statistics", _summary_section),
        ("Performance Highlights", _performance_section),
        ("Data Quality", _data_quality_section),
        ("Resolution Time by Priority", _resolution_section),
        ("Backlog", _backlog_section),
        ("Trends", _trends_section),
        ("Customers to Watch", _customers_section),
        ("Common Subject Words", _words_section),
        ("Weather", _weather_section),
        ("Key Findings", _findings_section),
        ("Recommendations", _recommendations_section),
    )
    for title, section in sections:
        lines += ["", f"=== {title} ===", *section(summary)]
    return "\n".join(truncate(line.rstrip(), LINE_WIDTH) for line in lines) + "\n"


# --- sections: each takes the summary and returns its lines ---


def _summary_section(summary: Summary) -> list[str]:
    """Ticket counts and overall resolution time."""
    totals = summary.summary
    open_count = totals.open_tickets
    in_progress = summary.status_counts["In Progress"]
    open_text = count(open_count)
    if open_count:
        open_text += (
            f" ({count(in_progress)} In Progress, "
            f"{format_percent(in_progress / open_count)})"
        )
    return pairs(
        [
            ("Total tickets", count(totals.total_tickets)),
            ("Open tickets", open_text),
            ("Resolved tickets", count(totals.resolved_tickets)),
            ("Unassigned tickets", count(totals.unassigned_tickets)),
            ("Average resolution", days(totals.avg_resolution_days)),
            ("Median resolution", days(totals.median_resolution_days)),
        ]
    )


def _performance_section(summary: Summary) -> list[str]:
    """The top performer and the top three agents."""
    top = summary.top_agents
    if not top:
        return ["Top performer: none (no agent has resolved tickets)"]
    best = top[0]
    label = "Top performer: "
    details = f" ({best.resolved} resolved, avg {days(best.avg_resolution_days)})"
    name = cut(best.agent, LINE_WIDTH - len(label) - len(details))
    rows = [
        [
            str(rank),
            agent.agent,
            count(agent.resolved),
            fixed(agent.avg_resolution_days),
        ]
        for rank, agent in enumerate(top, start=1)
    ]
    lines = table(("#", "Agent", "Resolved", "Avg days"), rows, "llrr", (1,))
    return [label + name + details, "", *lines]


def _data_quality_section(summary: Summary) -> list[str]:
    """Row accounting, issue counts by code, and the rejected rows file."""
    quality = summary.data_quality
    read, rejected = quality.records_read, quality.rows_rejected
    rejected_text = count(rejected)
    if read:
        rejected_text += f" ({format_percent(rejected / read)})"
    label_width = len("Rejected rows file:") + 1
    file_text = clean(quality.rejected_rows_file) or NA
    if len(file_text) > LINE_WIDTH - label_width:  # keep the file name, cut the path
        keep = LINE_WIDTH - label_width - 1
        file_text = ELLIPSIS + file_text[len(file_text) - keep :]
    lines = pairs(
        [
            ("Records read", count(read)),
            ("Valid rows", count(quality.rows_valid)),
            ("Rejected rows", rejected_text),
            ("Rows with warnings", count(quality.rows_with_warnings)),
            ("Rejected rows file", file_text),
        ]
    )
    for label, names in (
        ("Ignored columns", quality.extra_columns),
        ("Missing optional columns (read as empty)", quality.missing_optional_columns),
    ):
        if names:
            cleaned = ", ".join(clean(name) for name in names)
            lines += wrap(f"{label}: {cleaned}", "", "  ")
    rows = [
        [code, "reject" if code in REJECT_CODES else "warning", count(number)]
        for code in ISSUE_CODES
        if (number := quality.issues[code]) != 0
    ]
    if not rows:
        return [*lines, "Issues by code: none"]
    return [*lines, "", *table(("Issue", "Kind", "Count"), rows, "llr", (0,))]


def _resolution_section(summary: Summary) -> list[str]:
    """Resolution time per priority against the SLA target."""
    stats = summary.resolution_time_days
    sla = summary.sla
    rows: list[list[object]] = []
    for priority in PRIORITIES:
        group = stats.by_priority[priority]
        entry = sla.by_priority[priority]
        rows.append(
            [
                priority,
                count(group.count),
                fixed(group.mean),
                fixed(group.median),
                fixed(group.p90),
                count(sla.targets_days[priority]),
                percent(entry.breach_rate),
                count(entry.open_breaching),
            ]
        )
    overall = stats.overall
    open_late = sum(entry.open_breaching for entry in sla.by_priority.values())
    rows.append(
        [
            "All",
            count(overall.count),
            fixed(overall.mean),
            fixed(overall.median),
            fixed(overall.p90),
            "-",
            "-",
            count(open_late),
        ]
    )
    headers = ("Priority", "Count", "Mean", "Median", "P90", "Target", "Breach")
    lines = table((*headers, "Open late"), rows, "lrrrrrrr")
    legend = (
        "Days from creation to resolution. Count: resolved tickets with a "
        "resolution time; Target: SLA target in days; Breach: share of them over "
        "the target; Open late: open tickets already older than the target."
    )
    return [*lines, "", *wrap(legend, "", "")]


def _backlog_section(summary: Summary) -> list[str]:
    """Open tickets over the age threshold, ageing buckets, the oldest tickets."""
    backlog = summary.open_over_threshold
    threshold = backlog.threshold_days
    split = ", ".join(
        f"{priority} {backlog.by_priority[priority]}" for priority in PRIORITIES
    )
    lines = pairs(
        [
            ("Open tickets", count(summary.summary.open_tickets)),
            (f"Open longer than {threshold} days", f"{backlog.count} ({split})"),
        ]
    )

    buckets = summary.backlog_aging  # always all six
    largest = max(bucket.count for bucket in buckets)
    rows = [
        [bucket.bucket, count(bucket.count), _bar(bucket.count, largest)]
        for bucket in buckets
    ]
    lines += ["", "Ageing of open tickets:"]
    lines += table(("Days open", "Tickets", ""), rows, "lrl", (0,))

    shown = backlog.tickets[:OLDEST_SHOWN]
    if not shown:
        return [
            *lines,
            "",
            f"Oldest open tickets: none open longer than {threshold} days",
        ]
    rows = [
        [
            ticket.ticket_id,
            ticket.customer_id,
            cut(ticket.priority, _ENUM_WIDTH),
            cut(ticket.status, _ENUM_WIDTH),
            ticket.assigned_to or "-",
            ticket.created_date.isoformat(),
            count(ticket.age_days),
        ]
        for ticket in shown
    ]
    headers = ("Ticket", "Customer", "Priority", "Status", "Assigned", "Created")
    return [
        *lines,
        "",
        f"Oldest open tickets (showing {len(shown)} of {backlog.count}):",
        *table((*headers, "Days open"), rows, "llllllr", (0, 1, 4)),
    ]


def _trends_section(summary: Summary) -> list[str]:
    """Tickets created and resolved per month."""
    if not summary.monthly_volume:
        return [NONE]
    rows = [
        [
            month.month,
            count(month.created),
            count(month.resolved),
            "" if is_complete_month(month.month, summary.as_of) else "partial",
        ]
        for month in summary.monthly_volume
    ]
    return table(("Month", "Created", "Resolved", "Note"), rows, "lrrl", (0,))


def _customers_section(summary: Summary) -> list[str]:
    """Customers over the escalation threshold."""
    escalation = summary.escalation_candidates
    heading = f"Customers with more than {escalation.threshold} tickets: "
    if not escalation.count and not escalation.customers:
        return [heading + NONE]
    lines = [heading + str(escalation.count)]
    if not escalation.customers:
        return lines
    shown = escalation.customers[:CUSTOMERS_SHOWN]
    if max(escalation.count, len(escalation.customers)) > len(shown):
        lines.append(f"(showing {len(shown)} of {escalation.count})")
    rows = [
        [
            customer.customer_id,
            count(customer.tickets),
            count(customer.open),
            count(customer.high_or_critical),
        ]
        for customer in shown
    ]
    headers = ("Customer", "Tickets", "Open", "High/Critical")
    return [*lines, "", *table(headers, rows, "lrrr", (0,))]


def _words_section(summary: Summary) -> list[str]:
    """The most common subject words."""
    words = summary.top_subject_words
    if not words:
        return [NONE]
    rows = [[word.word, count(word.count)] for word in words]
    return table(("Word", "Count"), rows, "lr", (0,))


def _weather_section(summary: Summary) -> list[str]:
    """Current weather at the team's location, or why there is none."""
    weather = summary.weather
    if weather.status == "disabled":
        return ["Weather disabled."]
    if weather.status == "unavailable":
        reason = clean(weather.reason) or "no reason given"
        return wrap(f"Weather unavailable: {reason}", "", "  ")

    location = weather.location
    place = clean(location.name) if location else ""
    if location and location.latitude is not None and location.longitude is not None:
        coordinates = f"({location.latitude:g}, {location.longitude:g})"
        place = f"{truncate(place, 40)} {coordinates}" if place else coordinates
    temperature = measure(weather.temperature_c, " °C")
    if weather.apparent_temperature_c is not None:
        temperature += f" (feels like {measure(weather.apparent_temperature_c, ' °C')})"
    provider = clean(weather.provider) or NA
    if weather.stale:
        provider += ", stale cached data"
    elif weather.from_cache:
        provider += ", from cache"
    items = [
        ("Location", place or NA),
        ("Observed at", clean(weather.observed_at) or NA),
        ("Temperature", temperature),
        ("Condition", clean(weather.condition) or NA),
        ("Humidity", measure(weather.humidity_pct, "%", "g")),
        ("Wind", measure(weather.wind_kmh, " km/h")),
        ("Source", provider),
    ]
    if weather.stale:
        items.append(("Refresh failed", clean(weather.reason) or "no reason given"))
    items.append(("Attribution", clean(weather.attribution) or NA))
    return pairs(items)


def _findings_section(summary: Summary) -> list[str]:
    """The findings as bullets."""
    lines: list[str] = []
    for finding in summary.findings:
        lines += wrap(finding, "- ", "  ")
    return lines or [NONE]


def _recommendations_section(summary: Summary) -> list[str]:
    """The recommendations, numbered."""
    lines: list[str] = []
    for number, recommendation in enumerate(summary.recommendations, 1):
        prefix = f"{number}. "
        lines += wrap(recommendation, prefix, " " * len(prefix))
    return lines or [NONE]


def _bar(tickets: int, largest: int) -> str:
    """Draw a bucket's count as '#' characters, the largest bucket full width."""
    if tickets <= 0 or largest <= 0:
        return ""
    return "#" * max(1, round(tickets / largest * _BAR_WIDTH))
