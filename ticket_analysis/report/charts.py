"""Charts of a report summary: one pure function per chart, each returning a Figure.

Every function reads only the :class:`~ticket_analysis.summary.Summary` and
returns a new :class:`~matplotlib.figure.Figure`. Figures are built with the
``Figure`` class directly, never through ``pyplot``: no backend is selected, no
figure is registered in pyplot's global list (so nothing to ``plt.close``), and
any backend works, Agg included. To show one in Jupyter, enable the inline
backend (``%matplotlib inline``) and ``display(fig)``; to write one,
``fig.savefig(path)``.

Empty data draws a "No data" note in place of the chart. Ticket-derived labels
(agent names, words) are cleaned of control characters, cut to
:data:`LABEL_WIDTH` and drawn with mathtext and usetex off, so a name such as
``$x$`` is drawn as typed instead of failing.

This is the only module of the package that imports matplotlib.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Final

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator

from ticket_analysis.domain import PRIORITIES, STATUSES
from ticket_analysis.report.formatting import format_number, marked
from ticket_analysis.report.text_layout import clean, truncate

if TYPE_CHECKING:
    from ticket_analysis.summary import Summary

#: Longest tick label drawn for a ticket-derived value, in characters.
LABEL_WIDTH: Final = 30
#: The note drawn instead of a chart when there is nothing to plot.
NO_DATA: Final = "No data"
#: Most month labels drawn on the volume chart; longer spans label every k-th.
MAX_MONTH_LABELS: Final = 24

_SIZE: Final = (8.0, 4.5)
_STATUS_COLORS: Final = {
    "Open": "tab:red",
    "In Progress": "tab:orange",
    "Resolved": "tab:green",
    "Closed": "tab:gray",
}


def plot_monthly_volume(summary: Summary) -> Figure:
    """Draw tickets created and resolved per month, and the open backlog at its end.

    Lines "Created", "Resolved" and "Open at end"; a month that the report date
    cuts short is labelled ``YYYY-MM (partial)`` and its points are hollow.
    """
    fig, ax = _figure("Tickets created and resolved per month", "Month", "Tickets")
    months = summary.monthly_volume
    if not months:
        return _no_data(fig, ax)
    positions = list(range(len(months)))
    _volume_lines(
        ax,
        positions,
        [(m.created, m.resolved, m.open_at_end) for m in months],
        [m.partial for m in months],
    )
    step = math.ceil(len(months) / MAX_MONTH_LABELS)
    labels = [marked(_label(month.month), month.partial) for month in months]
    shown = positions[::step]
    if months[-1].partial and shown[-1] != positions[-1]:
        shown.append(positions[-1])  # the partial month is always labelled
    rotate = len(shown) > 6
    ax.set_xticks(
        shown,
        labels=[labels[index] for index in shown],
        rotation=45 if rotate else 0,
        ha="right" if rotate else "center",
    )
    _plain(ax.get_xticklabels())
    _count_axis(ax.yaxis)
    ax.set_ylim(bottom=0)
    _legend(ax)
    return fig


def plot_weekly_volume(summary: Summary) -> Figure:
    """Draw the last 12 ISO weeks like the months (label: the week's Monday)."""
    fig, ax = _figure(
        "Tickets created and resolved per week", "Week starting (Monday)", "Tickets"
    )
    weeks = summary.weekly_volume
    if not any(w.created or w.resolved or w.open_at_end for w in weeks):
        return _no_data(fig, ax)
    positions = list(range(len(weeks)))
    _volume_lines(
        ax,
        positions,
        [(w.created, w.resolved, w.open_at_end) for w in weeks],
        [w.partial for w in weeks],
    )
    labels = [marked(week.week_start.isoformat(), week.partial) for week in weeks]
    ax.set_xticks(positions, labels=labels, rotation=45, ha="right")
    _count_axis(ax.yaxis)
    ax.set_ylim(bottom=0)
    _legend(ax)
    return fig


def plot_resolution_by_priority(summary: Summary) -> Figure:
    """Draw median and 90th-percentile resolution days per priority.

    Bars "Median" then "90th percentile", Low to Critical; a dashed black
    segment over each priority marks its SLA target; a priority without
    resolution times gets zero-height bars and an "n/a" note.
    """
    fig, ax = _figure("Resolution time by priority", "Priority", "Days to resolve")
    stats = summary.resolution_time_days.by_priority
    groups = [stats[priority] for priority in PRIORITIES]
    if not any(group.count for group in groups):
        return _no_data(fig, ax)
    width = 0.38
    for offset, key, label in (
        (-0.5, "median", "Median"),
        (0.5, "p90", "90th percentile"),
    ):
        values = [getattr(group, key) for group in groups]
        bars = ax.bar(
            [index + offset * width for index in range(len(PRIORITIES))],
            [value or 0.0 for value in values],
            width,
            label=label,
        )
        ax.bar_label(
            bars,
            labels=["" if value is None else format_number(value) for value in values],
            padding=2,
            fontsize=8,
        )
    for index, group in enumerate(groups):
        if not group.count:
            ax.text(index, 0, "n/a", ha="center", va="bottom", color="gray")
    targets = [summary.sla.targets_days[priority] for priority in PRIORITIES]
    ax.hlines(
        targets,
        [index - 0.45 for index in range(len(targets))],
        [index + 0.45 for index in range(len(targets))],
        colors="black",
        linestyles="dashed",
        label="SLA target",
    )
    ax.set_xticks(range(len(PRIORITIES)), labels=list(PRIORITIES))
    ax.set_ylim(bottom=0)
    _legend(ax)
    return fig


def plot_status_by_priority(summary: Summary) -> Figure:
    """Draw the status-by-priority grid: one stacked bar per priority, Low first."""
    fig, ax = _figure("Tickets by priority and status", "Priority", "Tickets")
    grid = summary.status_by_priority
    counts = {
        status: [float(grid[priority][status]) for priority in PRIORITIES]
        for status in STATUSES
    }
    if not any(any(row) for row in counts.values()):
        return _no_data(fig, ax)
    positions = list(range(len(PRIORITIES)))
    bottom = [0.0] * len(PRIORITIES)
    for status in STATUSES:
        ax.bar(
            positions,
            counts[status],
            0.6,
            bottom=bottom,
            label=status,
            color=_STATUS_COLORS[status],
        )
        bottom = [
            base + count for base, count in zip(bottom, counts[status], strict=True)
        ]
    ax.set_xticks(positions, labels=list(PRIORITIES))
    _count_axis(ax.yaxis)
    _legend(ax, title="Status")
    return fig


def plot_agent_load(summary: Summary, top_n: int = 10) -> Figure:
    """Draw resolved and open tickets of the first ``top_n`` agents, top down.

    The title says "top N of M" when agents were left out. Raises ``ValueError``
    if ``top_n`` is less than 1.
    """
    if top_n < 1:
        raise ValueError(f"top_n={top_n!r}: expected a whole number >= 1")
    agents = summary.agents
    shown = agents[:top_n]
    title = "Agent load"
    if len(agents) > len(shown):
        title += f" (top {len(shown)} of {len(agents)} agents)"
    fig, ax = _figure(title, "Tickets", "Agent", rows=len(shown))
    if not shown:
        return _no_data(fig, ax)
    positions = list(range(len(shown)))
    height = 0.4
    for offset, key, label in ((-0.5, "resolved", "Resolved"), (0.5, "open", "Open")):
        ax.barh(
            [position + offset * height for position in positions],
            [getattr(agent, key) for agent in shown],
            height,
            label=label,
        )
    ax.set_yticks(positions, labels=[_label(agent.agent) for agent in shown])
    _plain(ax.get_yticklabels())
    ax.invert_yaxis()
    _count_axis(ax.xaxis)
    _legend(ax)
    return fig


def plot_backlog_aging(summary: Summary) -> Figure:
    """Draw open tickets per age bucket (0-1 ... 31+ days)."""
    fig, ax = _figure("Age of open tickets", "Days open", "Open tickets")
    buckets = summary.backlog_aging
    counts = [bucket.count for bucket in buckets]
    if not any(counts):
        return _no_data(fig, ax)
    positions = list(range(len(buckets)))
    bars = ax.bar(positions, counts, 0.6, color="tab:purple")
    ax.bar_label(bars, padding=2, fontsize=8)
    ax.set_xticks(positions, labels=[_label(item.bucket) for item in buckets])
    _plain(ax.get_xticklabels())
    _count_axis(ax.yaxis)
    return fig


def plot_top_words(summary: Summary) -> Figure:
    """Draw the most common subject words as horizontal bars, the commonest on top."""
    words = summary.top_subject_words
    fig, ax = _figure("Most common subject words", "Tickets", "Word", rows=len(words))
    if not words:
        return _no_data(fig, ax)
    positions = list(range(len(words)))
    ax.barh(positions, [word.count for word in words], 0.6, color="tab:blue")
    ax.set_yticks(positions, labels=[_label(word.word) for word in words])
    _plain(ax.get_yticklabels())
    ax.invert_yaxis()
    _count_axis(ax.xaxis)
    return fig


# --- helpers ---


def _volume_lines(
    ax: Axes,
    positions: list[int],
    values: list[tuple[int, int, int]],
    partial: list[bool],
) -> None:
    """Draw the created, resolved and open-at-end lines; partial points hollow."""
    for index, (label, marker) in enumerate(
        (("Created", "o"), ("Resolved", "s"), ("Open at end", "^"))
    ):
        series = [row[index] for row in values]
        (line,) = ax.plot(
            positions,
            series,
            marker=marker,
            label=label,
            linestyle="--" if index == 2 else "-",
        )
        hollow = [p for p, cut in zip(positions, partial, strict=True) if cut]
        if hollow:
            ax.plot(
                hollow,
                [series[p] for p in hollow],
                linestyle="none",
                marker=marker,
                markerfacecolor="white",
                color=line.get_color(),
            )


def _figure(title: str, xlabel: str, ylabel: str, rows: int = 0) -> tuple[Figure, Axes]:
    """Create a figure with one titled, labelled axes; taller for many rows."""
    height = max(_SIZE[1], 0.35 * rows + 1.5)
    fig = Figure(figsize=(_SIZE[0], height), layout="constrained")
    ax = fig.subplots()
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return fig, ax


def _no_data(fig: Figure, ax: Axes) -> Figure:
    """Replace the chart with a centred "No data" note."""
    ax.text(
        0.5,
        0.5,
        NO_DATA,
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=14,
        color="gray",
    )
    ax.set_xticks([])
    ax.set_yticks([])
    return fig


def _legend(ax: Axes, title: str | None = None) -> None:
    """Put the legend outside the axes, on the right, so it never hides data."""
    ax.legend(title=title, loc="upper left", bbox_to_anchor=(1.01, 1.0))


def _plain(texts: Iterable[Text]) -> None:
    """Draw texts literally: no mathtext (``$...$``) and no LaTeX."""
    for text in texts:
        text.set_parse_math(False)
        text.set_usetex(False)


def _label(value: object) -> str:
    """Clean a ticket-derived value for one tick label and cut it to length."""
    return truncate(clean(value), LABEL_WIDTH) or "n/a"


def _count_axis(axis: Any) -> None:
    """Put only whole-number ticks on a count axis."""
    axis.set_major_locator(MaxNLocator(integer=True))
