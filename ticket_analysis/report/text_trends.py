"""The Trends section of the text report: months, weeks and weekdays.

A month or week that the report date cuts short is marked ``partial`` in its
row, so a low count there never reads as a collapse.
"""

from __future__ import annotations

from typing import Final

from ticket_analysis.report.formatting import PARTIAL
from ticket_analysis.report.text_layout import NONE, count, percent, table, wrap
from ticket_analysis.summary import Summary

#: How many of the last months the Trends section shows (summary.json has all).
MONTHS_SHOWN: Final = 24


def trends_section(summary: Summary) -> list[str]:
    """Monthly volume with backlog and breach rate, the last 12 weeks, weekdays."""
    return [
        *_monthly(summary),
        "",
        *_weekly(summary),
        "",
        *_weekdays(summary),
    ]


def _monthly(summary: Summary) -> list[str]:
    """Created, resolved, open at the month's end and breach rate, per month."""
    months = summary.monthly_volume
    if not months:
        return [f"Tickets per month: {NONE}"]
    shown = months[-MONTHS_SHOWN:]
    heading = "Tickets per month"
    if len(months) > len(shown):
        heading += f" (the last {len(shown)} of {count(len(months))})"
    rows = [
        [
            month.month,
            count(month.created),
            count(month.resolved),
            count(month.open_at_end),
            percent(month.breach_rate),
            PARTIAL if month.partial else "",
        ]
        for month in shown
    ]
    headers = ("Month", "Created", "Resolved", "Open at end", "Breach", "Note")
    lines = [heading + ":", *table(headers, rows, "lrrrrl")]
    if any(month.partial for month in shown):
        lines += wrap(
            f"partial: the month runs past the report date ({summary.as_of}); its "
            "figures so far.",
            "",
            "  ",
        )
    return lines


def _weekly(summary: Summary) -> list[str]:
    """Created, resolved and open at the week's end, the last 12 ISO weeks."""
    rows = [
        [
            week.week_start.isoformat(),
            count(week.created),
            count(week.resolved),
            count(week.open_at_end),
            PARTIAL if week.partial else "",
        ]
        for week in summary.weekly_volume
    ]
    headers = ("Week of", "Created", "Resolved", "Open at end", "Note")
    return [
        f"Tickets per week (the last {len(rows)} weeks, Monday to Sunday):",
        *table(headers, rows, "lrrrl"),
    ]


def _weekdays(summary: Summary) -> list[str]:
    """Tickets created on each weekday, Monday first."""
    parts = [
        f"{day.weekday[:3]} {count(day.created)}" for day in summary.weekday_volume
    ]
    return wrap("Created by weekday: " + ", ".join(parts), "", "  ")
