"""Charts of a report summary: one pure function per chart, each returning a Figure.

Every function reads only the :class:`~ticket_analysis.summary.Summary` and
returns a new :class:`~matplotlib.figure.Figure` in the house style of
:mod:`~ticket_analysis.report.chart_style` (colour-blind-safe palette, each
priority in its own colour, Low to Critical; units on the axes); the figure's
label (``fig.get_label()``) is a one-line caption saying what to see. Figures
are built with the ``Figure`` class, never through ``pyplot``: nothing is
registered globally and any backend works. In Jupyter, ``display(fig)`` with
the inline backend; to write one, ``fig.savefig(path)``;
:func:`~ticket_analysis.report.chart_style.svg_bytes` gives the report's SVG.

Empty data draws a "No data" note. Ticket-derived labels (agent names, words)
are cleaned of control characters, cut to
:data:`~ticket_analysis.report.chart_style.LABEL_WIDTH` and drawn without
mathtext, so ``$x$`` is drawn as typed. The charts over time live in
:mod:`~ticket_analysis.report.charts_trends` and are re-exported here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import numpy as np
from matplotlib.patches import Patch

from ticket_analysis.domain import PRIORITIES, STATUSES
from ticket_analysis.report import chart_style as cs
from ticket_analysis.report.charts_trends import (
    plot_monthly_backlog,
    plot_monthly_volume,
    plot_weekday_volume,
    plot_weekly_volume,
)
from ticket_analysis.report.formatting import format_count, format_number

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ticket_analysis.summary import Summary

__all__ = [
    "plot_agent_load",
    "plot_backlog_aging",
    "plot_monthly_backlog",
    "plot_monthly_volume",
    "plot_resolution_by_priority",
    "plot_status_by_priority",
    "plot_top_words",
    "plot_weekday_volume",
    "plot_weekly_volume",
]

#: How many agents the load chart shows by default.
AGENTS_SHOWN: Final = 10


@cs.styled
def plot_resolution_by_priority(summary: Summary) -> Figure:
    """Draw median (solid) and 90th-percentile (light) days per priority.

    Bars Low to Critical in each priority's colour; a dashed black segment over
    each priority marks its SLA target; a priority without resolution times gets
    zero-height bars and an "n/a" note.
    """
    stats = summary.resolution_time_days.by_priority
    groups = [stats[priority] for priority in PRIORITIES]
    targets = [summary.sla.targets_days[priority] for priority in PRIORITIES]
    over = [
        p
        for p, g, t in zip(PRIORITIES, groups, targets, strict=True)
        if g.median is not None and g.median > t
    ]
    caption = (
        f"Median above the dashed target for {', '.join(over)}: the typical "
        "ticket there misses its target."
        if over
        else "Every priority's median is within its target (dashed line); "
        "the light bar shows the slowest tenth."
    )
    fig, ax = cs.new_figure(
        "Days to resolve by priority", "Priority", "Days to resolve", caption=caption
    )
    if not any(group.count for group in groups):
        return cs.no_data(fig, ax)
    colors = [cs.PRIORITY_COLORS[p] for p in PRIORITIES]
    width = 0.38
    for offset, key, alpha in ((-0.5, "median", 1.0), (0.5, "p90", 0.4)):
        values = [getattr(group, key) for group in groups]
        bars = ax.bar(
            [index + offset * width for index in range(len(PRIORITIES))],
            [value or 0.0 for value in values],
            width,
            color=colors,
            alpha=alpha,
        )
        ax.bar_label(
            bars,
            labels=["" if value is None else format_number(value) for value in values],
            padding=2,
        )
    for index, group in enumerate(groups):
        if not group.count:
            ax.text(index, 0, "n/a", ha="center", va="bottom", color=cs.GREY)
    target = ax.hlines(
        targets,
        [index - 0.45 for index in range(len(targets))],
        [index + 0.45 for index in range(len(targets))],
        colors="black",
        linestyles="dashed",
        label="Target",
    )
    ax.set_xticks(range(len(PRIORITIES)), labels=list(PRIORITIES))
    ax.set_ylim(bottom=0)
    ax.margins(y=0.12)
    cs.legend(
        ax,
        handles=[
            Patch(color=cs.GREY, label="Median"),
            Patch(color=cs.GREY, alpha=0.4, label="90th pct"),
            target,
        ],
    )
    return fig


@cs.styled
def plot_status_by_priority(summary: Summary) -> Figure:
    """Draw tickets per status, each bar stacked by priority (Low at the bottom)."""
    grid = summary.status_by_priority
    counts = {
        priority: [grid[priority][status] for status in STATUSES]
        for priority in PRIORITIES
    }
    totals = summary.summary
    critical_open = grid["Critical"]["Open"] + grid["Critical"]["In Progress"]
    fig, ax = cs.new_figure(
        "Tickets by status and priority",
        "Status",
        "Tickets",
        margins=(0.62, 0.15, 0.86, 0.66),
        caption=(
            f"{format_count(totals.open_tickets)} of "
            f"{format_count(totals.total_tickets)} tickets are open or in progress, "
            f"{format_count(critical_open)} of them Critical (red)."
        ),
    )
    if not any(any(row) for row in counts.values()):
        return cs.no_data(fig, ax)
    positions = list(range(len(STATUSES)))
    bottom = [0] * len(STATUSES)
    for priority in PRIORITIES:
        ax.bar(
            positions,
            counts[priority],
            0.6,
            bottom=bottom,
            label=priority,
            color=cs.PRIORITY_COLORS[priority],
        )
        bottom = [base + n for base, n in zip(bottom, counts[priority], strict=True)]
    ax.set_xticks(positions, labels=[s.replace(" ", "\n") for s in STATUSES])
    cs.count_axis(ax.yaxis)
    cs.legend(ax, columns=4)
    return fig


@cs.styled
def plot_agent_load(summary: Summary, top_n: int = AGENTS_SHOWN) -> Figure:
    """Draw each agent's open tickets, split into past target and within, top down.

    Agents with the most open work first (then most past target, then name);
    the title says "top N of M" when agents were left out. Raises ``ValueError``
    if ``top_n`` is less than 1.
    """
    if top_n < 1:
        raise ValueError(f"top_n={top_n!r}: expected a whole number >= 1")
    agents = sorted(summary.agents, key=lambda a: (-a.open, -a.open_breaching, a.agent))
    shown = agents[:top_n]
    title = "Open work per agent"
    if len(agents) > len(shown):
        title += f" (top {len(shown)} of {len(agents)})"
    busiest = shown[0] if shown else None
    caption = (
        f"{cs.label(busiest.agent)} holds the most open work: "
        f"{format_count(busiest.open)} tickets, "
        f"{format_count(busiest.open_breaching)} past target (red)."
        if busiest is not None and busiest.open
        else "No agent holds open work."
    )
    names = [cs.label(agent.agent) for agent in shown]
    fig, ax = cs.new_figure(
        title,
        "Open tickets",
        "",
        caption=caption,
        height=cs.rows_height(len(shown)),
        margins=(cs.label_margin(names), 0.2, 0.62, 0.66),
    )
    if not shown:
        return cs.no_data(fig, ax)
    positions = list(range(len(shown)))
    past = [agent.open_breaching for agent in shown]
    within = [agent.open - agent.open_breaching for agent in shown]
    ax.barh(positions, past, 0.6, color=cs.PAST_TARGET, label="Past target")
    ax.barh(positions, within, 0.6, left=past, color=cs.BACKLOG, label="Within target")
    ax.set_yticks(positions, labels=names)
    cs.plain(ax.get_yticklabels())
    ax.invert_yaxis()
    ax.grid(False)
    ax.grid(axis="x")
    cs.count_axis(ax.xaxis)
    cs.legend(ax, columns=2)
    return fig


@cs.styled
def plot_backlog_aging(summary: Summary) -> Figure:
    """Draw open tickets per age bucket (0-1 ... 31+ days)."""
    buckets = summary.backlog_aging
    counts = [bucket.count for bucket in buckets]
    total = int(np.sum(counts))
    oldest = buckets[-1] if buckets else None
    caption = (
        f"{format_count(oldest.count)} of {format_count(total)} open tickets "
        f"have waited {oldest.bucket} days."
        if oldest is not None and total
        else "No open ticket."
    )
    fig, ax = cs.new_figure(
        "Age of open tickets",
        "Days open",
        "Open tickets",
        caption=caption,
        margins=(0.62, 0.15, 0.62, 0.4),
    )
    if not any(counts):
        return cs.no_data(fig, ax)
    positions = list(range(len(buckets)))
    bars = ax.bar(positions, counts, 0.6, color=cs.BACKLOG)
    ax.bar_label(bars, padding=2)
    ax.set_xticks(positions, labels=[cs.label(item.bucket) for item in buckets])
    cs.plain(ax.get_xticklabels())
    cs.count_axis(ax.yaxis)
    ax.margins(y=0.15)
    return fig


@cs.styled
def plot_top_words(summary: Summary) -> Figure:
    """Draw the most common subject words as horizontal bars, the commonest on top."""
    words = summary.top_subject_words
    caption = (
        f"“{cs.label(words[0].word)}” is in {format_count(words[0].count)} "
        "ticket subjects, more than any other word."
        if words
        else "No subject words."
    )
    names = [cs.label(word.word) for word in words]
    fig, ax = cs.new_figure(
        "Most common subject words",
        "Tickets",
        "",
        caption=caption,
        height=cs.rows_height(len(words)),
        margins=(cs.label_margin(names), 0.2, 0.62, 0.4),
    )
    if not words:
        return cs.no_data(fig, ax)
    positions = list(range(len(words)))
    ax.barh(positions, [word.count for word in words], 0.6, color=cs.CREATED)
    ax.set_yticks(positions, labels=names)
    cs.plain(ax.get_yticklabels())
    ax.invert_yaxis()
    ax.grid(False)
    ax.grid(axis="x")
    cs.count_axis(ax.xaxis)
    return fig
