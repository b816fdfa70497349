"""The detail sections of the text report, after the briefing and the findings.

Each function takes the summary and returns the section's lines (see
:mod:`ticket_analysis.report.text`). "Overdue" means past the priority's SLA
target, nothing else; the open_days list is "open longer than N days".
"""

from __future__ import annotations

from itertools import zip_longest
from typing import Final

from ticket_analysis.domain import ISSUE_CODES, PRIORITIES, REJECT_CODES
from ticket_analysis.report.formatting import UNASSIGNED_FLAG, format_percent
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

#: How many tickets of the action list the Overdue Open Tickets section lists.
OVERDUE_SHOWN: Final = 20
#: How many of the oldest open tickets the Backlog section lists.
OLDEST_SHOWN: Final = 10
#: How many agents the Agents section lists.
AGENTS_SHOWN: Final = 15
#: How many escalation candidates the Customers to Watch section lists.
CUSTOMERS_SHOWN: Final = 15

_ENUM_WIDTH: Final = len("In Progress")  # widest priority or status
_BAR_WIDTH: Final = 30  # longest '#' bar in the ageing table


def overdue_section(summary: Summary) -> list[str]:
    """Every open ticket past its SLA target (up to a limit): the action list."""
    overdue = summary.overdue_open
    if not overdue.count:
        return ["No open ticket is past its SLA target."]
    split = ", ".join(
        f"{priority} {count(overdue.by_priority[priority])}"
        for priority in reversed(PRIORITIES)
    )
    lines = pairs(
        [
            ("Past SLA target", f"{count(overdue.count)} ({split})"),
            ("Unassigned", count(overdue.unassigned)),
        ]
    )
    shown = overdue.tickets[:OVERDUE_SHOWN]
    rows = [
        [
            ticket.ticket_id,
            ticket.priority,
            ticket.customer_id,
            ticket.assigned_to or UNASSIGNED_FLAG,
            ticket.created_date.isoformat(),
            count(ticket.age_days),
            count(ticket.target_days),
            count(ticket.overdue_days),
        ]
        for ticket in shown
    ]
    headers = ("Ticket", "Priority", "Customer", "Assigned", "Created", "Days open")
    lines += ["", *table((*headers, "Target", "Over"), rows, "lllllrrr", (0, 2, 3))]
    if overdue.count > len(shown):
        lines.append(
            f"(showing {len(shown)} of {count(overdue.count)}; overdue_tickets.csv "
            "lists them all)"
        )
    legend = (
        "Critical first, then the most overdue. Target: the priority's SLA target "
        "in days; Over: days past it."
    )
    return [*lines, "", *wrap(legend, "", "")]


def resolution_section(summary: Summary) -> list[str]:
    """Resolution time and SLA attainment per priority, then over all of them."""
    stats = summary.resolution_time_days
    sla = summary.sla
    rows: list[list[object]] = []
    for priority in reversed(PRIORITIES):
        group = stats.by_priority[priority]
        entry = sla.by_priority[priority]
        rows.append(
            [
                priority,
                count(group.count),
                fixed(group.median),
                fixed(group.p90),
                count(sla.targets_days[priority]),
                count(entry.within_target),
                percent(entry.breach_rate),
                count(entry.open_breaching),
            ]
        )
    overall = stats.overall
    rows.append(
        [
            "All",
            count(overall.count),
            fixed(overall.median),
            fixed(overall.p90),
            "-",
            count(sla.overall.within_target),
            percent(sla.overall.breach_rate),
            count(sla.overall.open_breaching),
        ]
    )
    headers = ("Priority", "Resolved", "Median", "P90", "Target", "In target")
    lines = table((*headers, "Breach", "Past target"), rows, "lrrrrrrr")
    legend = (
        "Resolved: resolved tickets with a resolution time; Median and P90: days "
        "to resolve them; Target: SLA target in days; In target: resolved within "
        "it; Breach: share resolved over it; Past target: open tickets already "
        "older than it (overdue). All: each ticket against its own priority's "
        "target."
    )
    return [*lines, "", *wrap(legend, "", "")]


def agents_section(summary: Summary) -> list[str]:
    """The top performer, then every agent's work and SLA attainment."""
    top = summary.top_agents
    if not top:
        lines = ["Top performer: none (no agent has resolved tickets)"]
    else:
        best = top[0]
        within = ""
        if best.breach_rate is not None:
            within = f", {format_percent(1 - best.breach_rate)} within target"
        details = (
            f" ({count(best.resolved)} resolved{within}, "
            f"avg {days(best.avg_resolution_days)})"
        )
        label = "Top performer: "
        name = cut(best.agent, LINE_WIDTH - len(label) - len(details))
        lines = [label + name + details]
    agents = summary.agents
    if not agents:
        return [*lines, "Agents: none (no ticket is assigned)"]
    shown = agents[:AGENTS_SHOWN]
    rows = [
        [
            agent.agent,
            count(agent.resolved),
            count(agent.within_target),
            percent(agent.breach_rate),
            fixed(agent.median_resolution_days),
            count(agent.open),
            count(agent.open_breaching),
        ]
        for agent in shown
    ]
    headers = ("Agent", "Resolved", "In target", "Breach", "Median", "Open")
    lines += ["", *table((*headers, "Past target"), rows, "lrrrrrr", (0,))]
    if len(agents) > len(shown):
        lines.append(f"(showing {len(shown)} of {count(len(agents))} agents)")
    return lines


def backlog_section(summary: Summary) -> list[str]:
    """Open tickets over the age threshold, ageing buckets, the oldest tickets."""
    backlog = summary.open_over_threshold
    threshold = backlog.threshold_days
    split = ", ".join(
        f"{priority} {count(backlog.by_priority[priority])}"
        for priority in reversed(PRIORITIES)
    )
    lines = pairs(
        [
            ("Open tickets", count(summary.summary.open_tickets)),
            (f"Open longer than {threshold} days", f"{count(backlog.count)} ({split})"),
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
        return [*lines, "", f"Open longer than {threshold} days: none"]
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
        f"Open longer than {threshold} days, oldest first "
        f"(showing {len(shown)} of {count(backlog.count)}):",
        *table((*headers, "Days open"), rows, "llllllr", (0, 1, 4)),
    ]


def customers_section(summary: Summary) -> list[str]:
    """Customers over the escalation threshold."""
    escalation = summary.escalation_candidates
    heading = f"Customers with more than {escalation.threshold} tickets: "
    if not escalation.count and not escalation.customers:
        return [heading + NONE]
    lines = [heading + count(escalation.count)]
    if not escalation.customers:
        return lines
    shown = escalation.customers[:CUSTOMERS_SHOWN]
    if max(escalation.count, len(escalation.customers)) > len(shown):
        lines.append(f"(showing {len(shown)} of {count(escalation.count)})")
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


def subjects_section(summary: Summary) -> list[str]:
    """Repeated whole subjects beside the most common subject words."""
    subjects = summary.top_subjects
    words = summary.top_subject_words
    if not subjects and not words:
        return [NONE]
    rows = [
        [
            subject.subject if subject else "",
            count(subject.count) if subject else "",
            word.word if word else "",
            count(word.count) if word else "",
        ]
        for subject, word in zip_longest(subjects, words)
    ]
    headers = ("Repeated subject", "Tickets", "Word", "Tickets")
    lines = table(headers, rows, "lrlr", (0, 2))
    if not subjects:
        lines.append("No subject occurs twice.")
    return lines


def data_quality_section(summary: Summary) -> list[str]:
    """The import profile, row accounting, issue counts and the rejected rows file."""
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
    # An export read with an import profile says which (the canonical form does not).
    profile = summary.source.profile
    read_with = [] if profile == "canonical" else [("Import profile", clean(profile))]
    lines = pairs(
        [
            *read_with,
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


def weather_section(summary: Summary) -> list[str]:
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


def _bar(tickets: int, largest: int) -> str:
    """Draw a bucket's count as '#' characters, the largest bucket full width."""
    if tickets <= 0 or largest <= 0:
        return ""
    return "#" * max(1, round(tickets / largest * _BAR_WIDTH))
