"""Charts over time: months, the last 12 weeks, weekdays (see :mod:`.chart_style`).

A month or week that the report date cuts short is drawn hatched (bars) or
hollow (points) and its tick label says "partial".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from matplotlib.ticker import PercentFormatter

from ticket_analysis.report import chart_style as cs
from ticket_analysis.report.formatting import PARTIAL, format_count, month_name

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ticket_analysis.summary import Summary

#: Most month labels drawn; longer spans label every k-th month, the last always.
MAX_MONTH_LABELS: Final = 8
#: Most week labels drawn on the weekly chart (the last week always).
MAX_WEEK_LABELS: Final = 6
_MONTHS: Final = [
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
]
_BAR: Final = 0.38


@cs.styled
def plot_monthly_volume(summary: Summary) -> Figure:
    """Draw tickets created and resolved per month, side by side (partial hatched)."""
    months = summary.monthly_volume
    fig, ax = cs.new_figure(
        "Created and resolved per month",
        "Month",
        "Tickets per month",
        caption=_monthly_caption(summary),
        margins=(0.62, 0.15, 0.86, 0.66),
    )
    if not months:
        return cs.no_data(fig, ax)
    partial = [m.partial for m in months]
    _paired_bars(ax, [m.created for m in months], [m.resolved for m in months], partial)
    _month_ticks(ax, [m.month for m in months], partial)
    cs.count_axis(ax.yaxis)
    cs.legend(ax)
    return fig


@cs.styled
def plot_monthly_backlog(summary: Summary) -> Figure:
    """Draw the open backlog at each month's end (bars) and the breach rate (line).

    The breach rate (right axis, percent) is the share of the month's resolved
    tickets that missed their target; a month without resolved tickets has no
    point.
    """
    months = summary.monthly_volume
    fig, ax = cs.new_figure(
        "Backlog and SLA breach rate per month",
        "Month",
        "Open tickets at month end",
        caption=_backlog_caption(summary),
        margins=(0.62, 0.78, 0.86, 0.66),
    )
    if not months:
        return cs.no_data(fig, ax)
    positions = list(range(len(months)))
    partial = [m.partial for m in months]
    bars = ax.bar(
        positions, [m.open_at_end for m in months], 0.6, color=cs.BACKLOG, label="Open"
    )
    _hatch_partial(bars, partial)
    rate = ax.twinx()
    rate.spines["right"].set_visible(True)
    rate.grid(False)
    shown = [(p, m.breach_rate) for p, m in zip(positions, months, strict=True)]
    points = [(p, r * 100) for p, r in shown if r is not None]
    if points:
        xs, ys = zip(*points, strict=True)
        rate.plot(
            xs, ys, color=cs.PAST_TARGET, marker="o", label="Breach rate", zorder=3
        )
        _hollow_points(rate, [(p, y) for p, y in points if partial[p]], cs.PAST_TARGET)
    rate.set_ylim(0, 100)
    rate.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    rate.set_ylabel("Breach rate (% of resolved)")
    _month_ticks(ax, [m.month for m in months], partial)
    cs.count_axis(ax.yaxis)
    ax.set_ylim(bottom=0)
    handles = [*ax.get_legend_handles_labels()[0], *rate.get_lines()[:1]]
    cs.legend(ax, columns=2, handles=handles)
    return fig


@cs.styled
def plot_weekly_volume(summary: Summary) -> Figure:
    """Draw the last 12 ISO weeks: created and resolved bars, the open backlog line."""
    weeks = summary.weekly_volume
    fig, ax = cs.new_figure(
        "Created, resolved and open per week",
        "Week starting (Monday)",
        "Tickets per week",
        caption=_weekly_caption(summary),
        margins=(0.62, 0.15, 0.86, 0.66),
    )
    if not any(w.created or w.resolved or w.open_at_end for w in weeks):
        return cs.no_data(fig, ax)
    partial = [w.partial for w in weeks]
    _paired_bars(ax, [w.created for w in weeks], [w.resolved for w in weeks], partial)
    positions = list(range(len(weeks)))
    ax.plot(
        positions,
        [w.open_at_end for w in weeks],
        color=cs.BACKLOG,
        marker="o",
        markersize=4,
        label="Open at end",
    )
    _hollow_points(
        ax, [(p, weeks[p].open_at_end) for p in positions if partial[p]], cs.BACKLOG
    )
    labels = [f"{w.week_start.day} {_MONTHS[w.week_start.month - 1]}" for w in weeks]
    _sparse_ticks(ax, labels, partial, MAX_WEEK_LABELS)
    cs.count_axis(ax.yaxis)
    ax.set_ylim(bottom=0)
    cs.legend(ax)
    return fig


@cs.styled
def plot_weekday_volume(summary: Summary) -> Figure:
    """Draw the tickets created on each weekday, Monday first."""
    days = summary.weekday_volume
    fig, ax = cs.new_figure(
        "Tickets created by weekday",
        "Weekday",
        "Tickets created",
        caption=_weekday_caption(summary),
        margins=(0.62, 0.15, 0.62, 0.4),
    )
    if not any(day.created for day in days):
        return cs.no_data(fig, ax)
    positions = list(range(len(days)))
    bars = ax.bar(positions, [day.created for day in days], 0.6, color=cs.CREATED)
    ax.bar_label(bars, padding=2)
    ax.set_xticks(positions, labels=[day.weekday[:3] for day in days])
    cs.count_axis(ax.yaxis)
    ax.margins(y=0.15)
    return fig


# --- captions ---


def _monthly_caption(summary: Summary) -> str:
    """Say what the last complete month shows and which month is partial."""
    months = summary.monthly_volume
    if not months:
        return "No ticket in this report."
    complete = [m for m in months if not m.partial]
    text = "When blue (created) stands above green (resolved), the backlog grows."
    if complete:
        last = complete[-1]
        text = (
            f"{month_name(last.month)}: {format_count(last.created)} created, "
            f"{format_count(last.resolved)} resolved. " + text
        )
    if months[-1].partial:
        text += f" {month_name(months[-1].month)} is {PARTIAL} (to {summary.as_of})."
    return text


def _backlog_caption(summary: Summary) -> str:
    """Say how the backlog moved over the months shown."""
    months = summary.monthly_volume
    if not months:
        return "No ticket in this report."
    first, last = months[0], months[-1]
    return (
        f"Open tickets at month end went from {format_count(first.open_at_end)} "
        f"({month_name(first.month)}) to {format_count(last.open_at_end)} "
        f"({month_name(last.month)}); the red line is the share of the month's "
        "resolved tickets that missed their target."
    )


def _weekly_caption(summary: Summary) -> str:
    """Say what the 12 weeks add up to and where the backlog went."""
    weeks = summary.weekly_volume
    if not weeks:
        return "No ticket in this report."
    created = sum(w.created for w in weeks)
    resolved = sum(w.resolved for w in weeks)
    return (
        f"{len(weeks)} weeks: {format_count(created)} created, "
        f"{format_count(resolved)} resolved; the open backlog (line) went from "
        f"{format_count(weeks[0].open_at_end)} "
        f"to {format_count(weeks[-1].open_at_end)}."
    )


def _weekday_caption(summary: Summary) -> str:
    """Name the busiest and the quietest weekday."""
    days = summary.weekday_volume
    if not any(day.created for day in days):
        return "No ticket in this report."
    busiest = max(days, key=lambda day: day.created)
    quietest = min(days, key=lambda day: day.created)
    return (
        f"{busiest.weekday} is the busiest day ({format_count(busiest.created)} "
        f"tickets), {quietest.weekday} the quietest "
        f"({format_count(quietest.created)}): staff the rota to match."
    )


# --- helpers ---


def _paired_bars(
    ax: Axes, created: list[int], resolved: list[int], partial: list[bool]
) -> None:
    """Draw created and resolved bars side by side; partial periods hatched."""
    positions = range(len(created))
    for offset, values, name, color in (
        (-0.5, created, "Created", cs.CREATED),
        (0.5, resolved, "Resolved", cs.RESOLVED),
    ):
        bars = ax.bar(
            [p + offset * _BAR for p in positions],
            values,
            _BAR,
            color=color,
            label=name,
        )
        _hatch_partial(bars, partial)


def _hollow_points(ax: Axes, points: list[tuple[int, float]], color: str) -> None:
    """Draw the points of partial periods hollow (white inside)."""
    if points:
        ax.plot(
            *zip(*points, strict=True),
            linestyle="none",
            marker="o",
            markerfacecolor="white",
            color=color,
            zorder=4,
        )


def _hatch_partial(bars: object, partial: list[bool]) -> None:
    """Draw the bars of partial periods light and hatched."""
    for bar, cut in zip(bars, partial, strict=True):  # type: ignore[call-overload]
        if cut:
            bar.set_alpha(0.45)
            bar.set_hatch("///")
            bar.set_edgecolor("white")


def _month_ticks(ax: Axes, months: list[str], partial: list[bool]) -> None:
    """Label the months on two lines (month, year), at most :data:`MAX_MONTH_LABELS`."""
    labels = [f"{_MONTHS[int(m[5:7]) - 1]}\n{m[:4]}" for m in months]
    _sparse_ticks(ax, labels, partial, MAX_MONTH_LABELS)


def _sparse_ticks(ax: Axes, labels: list[str], partial: list[bool], most: int) -> None:
    """Label every k-th position counting back from the last; "partial" below."""
    step = max(1, -(-len(labels) // most))
    shown = list(range(len(labels) - 1, -1, -step))[::-1]
    ax.set_xticks(
        shown,
        labels=[f"{labels[i]}\n{PARTIAL}" if partial[i] else labels[i] for i in shown],
    )
    ax.tick_params(axis="x", length=0)
