"""The executive text report: a pure function from the summary to plain text.

:func:`render_text_report` reads only the :class:`~ticket_analysis.summary.Summary`,
including its ``findings`` and ``recommendations``, and returns the report as one
string. Same summary, same text: nothing here reads a clock, a file or the
environment. Every line is at most :data:`LINE_WIDTH` characters and
ticket-derived values are cleaned and cut (see :mod:`ticket_analysis.report.
text_layout`); a null number prints as ``n/a``, an empty list as ``none``.

The first section is the director's briefing: the headline figures, the tickets
to act on today (past their SLA target), this period against the last one and
the agents with the most open work; the findings and recommendations follow it,
then the detail sections (:mod:`~ticket_analysis.report.text_sections`,
:mod:`~ticket_analysis.report.text_trends`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from pydantic_core import to_jsonable_python

from ticket_analysis.report.briefing import (
    action_headline,
    action_tickets,
    agent_load_text,
    loaded_agents,
    period_heading,
    period_rows,
    scope_line,
)
from ticket_analysis.report.formatting import (
    UNASSIGNED_FLAG,
    WEATHER_NO_LOCATION,
    format_percent,
    weather_is_unconfigured,
)
from ticket_analysis.report.text_layout import (
    LINE_WIDTH,
    NONE,
    clean,
    count,
    cut,
    days,
    pairs,
    percent,
    table,
    truncate,
    wrap,
)
from ticket_analysis.report.text_sections import (
    agents_section,
    backlog_section,
    customers_section,
    data_quality_section,
    overdue_section,
    resolution_section,
    subjects_section,
    weather_section,
)
from ticket_analysis.report.text_trends import trends_section
from ticket_analysis.summary import Summary

TITLE: Final = "Support Ticket Analysis Report"
#: The period comparison's column titles (narrower than the HTML's).
PERIOD_HEADERS: Final = ("Created", "Resolved", "Open at end", "Median", "Breach")

_NAME_WIDTH: Final = 32  # longest agent name in the "Most open work" line

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
    scope = scope_line(summary)
    if scope is not None:
        lines += wrap(scope, "", "  ")
    sections: list[tuple[str, Section]] = [
        ("Summary Statistics", summary_section),
        ("Key Findings", _findings_section),
        ("Recommendations", _recommendations_section),
        ("Overdue Open Tickets", overdue_section),
        ("SLA and Resolution Time", resolution_section),
        ("Agents", agents_section),
        ("Backlog", backlog_section),
        ("Trends", trends_section),
        ("Customers to Watch", customers_section),
        ("What Customers Write About", subjects_section),
        ("Data Quality", data_quality_section),
    ]
    weather = summary.weather
    quiet_weather = weather_is_unconfigured(weather.status, weather.reason)
    if not quiet_weather:
        sections.append(("Weather", weather_section))
    for title, section in sections:
        lines += ["", f"=== {title} ===", *section(summary)]
    if quiet_weather:
        lines += ["", WEATHER_NO_LOCATION]
    return "\n".join(truncate(line.rstrip(), LINE_WIDTH) for line in lines) + "\n"


# --- the briefing: what a director reads first ---


def summary_section(summary: Summary) -> list[str]:
    """Headline figures, the tickets to act on, the period comparison, the load."""
    return [
        *_totals(summary),
        "",
        *_action_list(summary),
        "",
        *_period_comparison(summary),
        "",
        *_agent_load(summary),
    ]


def _totals(summary: Summary) -> list[str]:
    """Ticket counts, resolution time and SLA attainment over all priorities."""
    totals = summary.summary
    open_count = totals.open_tickets
    in_progress = summary.status_counts["In Progress"]
    open_text = count(open_count)
    if open_count:
        open_text += (
            f" ({count(in_progress)} In Progress, "
            f"{format_percent(in_progress / open_count)})"
        )
    median = days(totals.median_resolution_days)
    if totals.avg_resolution_days is not None:
        median += f" (mean {days(totals.avg_resolution_days)})"
    overall = summary.sla.overall
    within = NONE + " resolved with a resolution time"
    if overall.resolved_with_duration:
        within = (
            f"{count(overall.within_target)} of "
            f"{count(overall.resolved_with_duration)} resolved "
            f"({percent(1 - (overall.breach_rate or 0))}); breach rate "
            f"{percent(overall.breach_rate)}"
        )
    return pairs(
        [
            ("Total tickets", count(totals.total_tickets)),
            ("Open tickets", open_text),
            ("Resolved tickets", count(totals.resolved_tickets)),
            ("Unassigned tickets", count(totals.unassigned_tickets)),
            ("Median resolution", median),
            ("Within SLA target", within),
        ]
    )


def _action_list(summary: Summary) -> list[str]:
    """The first tickets past their SLA target, Critical first, most overdue first."""
    overdue = summary.overdue_open
    lines = wrap("Act today: " + action_headline(summary), "", "")
    shown = action_tickets(summary)
    if not shown:
        return lines
    rows = [
        [
            ticket.ticket_id,
            ticket.priority,
            count(ticket.overdue_days),
            count(ticket.age_days),
            ticket.assigned_to or UNASSIGNED_FLAG,
            ticket.customer_id,
        ]
        for ticket in shown
    ]
    headers = ("Ticket", "Priority", "Days over", "Days open", "Assigned", "Customer")
    lines += table(headers, rows, "llrrll", (0, 4, 5))
    if overdue.count > len(shown):
        lines.append(
            f"(showing {len(shown)} of {count(overdue.count)}: all under Overdue "
            "Open Tickets and in overdue_tickets.csv)"
        )
    return lines


def _period_comparison(summary: Summary) -> list[str]:
    """This period against the previous one: created, resolved, backlog, speed."""
    headers = ("Period", *PERIOD_HEADERS)
    rows = [[row.label, *row.figures()] for row in period_rows(summary)]
    return [
        period_heading(summary) + " (Median: days to resolve):",
        *table(headers, rows, "lrrrrr"),
    ]


def _agent_load(summary: Summary) -> list[str]:
    """The agents with the most open work, with how much of it is past target."""
    agents = loaded_agents(summary)
    if not agents:
        return ["Most open work: no open ticket is assigned to an agent."]
    open_total = summary.summary.open_tickets
    parts = [
        f"{cut(agent.agent, _NAME_WIDTH)} {agent_load_text(agent, open_total)}"
        for agent in agents
    ]
    return wrap("Most open work: " + "; ".join(parts) + ".", "", "  ")


# --- findings and recommendations ---


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
