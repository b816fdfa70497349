"""The director's briefing, shared by the three reports: what to act on today.

Plain values read from the summary: the scope line, the first tickets of the
action list (``overdue_open``), the period comparison's rows and the agents with
the most open work. The text report lays them out as text, the HTML templates
escape and place them; both print the same figures with the same formatters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from ticket_analysis.report.formatting import (
    format_change,
    format_count,
    format_day_figure,
    format_percent,
    format_period,
    format_rate,
    format_rate_change,
)

if TYPE_CHECKING:
    from ticket_analysis.summary import AgentStats, Filters, OverdueTicket, Summary

#: How many tickets of the action list the briefing names.
ACTION_SHOWN: Final = 5
#: How many agents the briefing names as carrying the most open work.
LOADED_SHOWN: Final = 3
#: The period comparison's columns, after the period's dates.
PERIOD_COLUMNS: Final = (
    "Created",
    "Resolved",
    "Open at end",
    "Median days",
    "Breach rate",
)


@dataclass(frozen=True)
class PeriodRow:
    """One row of the period comparison: a label and the five figures as text."""

    label: str
    created: str
    resolved: str
    open_at_end: str
    median_days: str
    breach_rate: str

    def figures(self) -> tuple[str, str, str, str, str]:
        """Return the five figures in :data:`PERIOD_COLUMNS` order."""
        return (
            self.created,
            self.resolved,
            self.open_at_end,
            self.median_days,
            self.breach_rate,
        )


def scope_line(summary: Summary) -> str | None:
    """Say which tickets the report covers, or None when it covers every valid row.

    ``"Scope: agent Agent_Sarah — 14 of 60 valid tickets (46 filtered out)"``; a
    report for a past date without filters says which rows it left out.
    """
    scope = summary.scope
    named = filter_names(scope.filters)
    if not named and not scope.created_after_as_of:
        return None
    valid = scope.tickets_in_scope + scope.created_after_as_of + scope.filtered_out
    what = ", ".join(named) or f"tickets created on or before {summary.as_of}"
    left_out = []
    if scope.filtered_out:
        left_out.append(f"{format_count(scope.filtered_out)} filtered out")
    if scope.created_after_as_of:
        left_out.append(
            f"{format_count(scope.created_after_as_of)} created after {summary.as_of}"
        )
    line = (
        f"Scope: {what} — {format_count(scope.tickets_in_scope)} of "
        f"{format_count(valid)} valid tickets"
    )
    return f"{line} ({', '.join(left_out)})" if left_out else line


def filter_names(filters: Filters) -> list[str]:
    """Name the filters that are set: ``["agent Agent_Sarah", "priority High"]``."""
    return [
        f"{what} {value}"
        for what, value in (
            ("agent", filters.agent),
            ("customer", filters.customer),
            ("priority", filters.priority),
        )
        if value is not None
    ]


def action_tickets(summary: Summary, limit: int = ACTION_SHOWN) -> list[OverdueTicket]:
    """Return the first tickets of the action list (Critical first, most overdue)."""
    return list(summary.overdue_open.tickets[: max(limit, 0)])


def action_headline(summary: Summary) -> str:
    """Say how many open tickets are past their SLA target, by priority."""
    overdue = summary.overdue_open
    if not overdue.count:
        return "No open ticket is past its SLA target."
    split = ", ".join(
        f"{format_count(number)} {priority}"
        for priority, number in reversed(overdue.by_priority.items())
        if number
    )
    noun = "ticket is past its" if overdue.count == 1 else "tickets are past their"
    text = f"{format_count(overdue.count)} open {noun} SLA target ({split})"
    if overdue.unassigned:
        text += f"; {format_count(overdue.unassigned)} of them unassigned"
    return text + "."


def period_rows(summary: Summary) -> list[PeriodRow]:
    """Return the previous period, the current one and the change between them."""
    comparison = summary.period_comparison
    rows = [
        PeriodRow(
            format_period(period.start, period.end),
            format_count(period.created),
            format_count(period.resolved),
            format_count(period.open_at_end),
            format_day_figure(period.median_resolution_days),
            format_rate(period.breach_rate),
        )
        for period in (comparison.previous, comparison.current)
    ]
    current, previous = comparison.current, comparison.previous
    rows.append(
        PeriodRow(
            "Change",
            format_change(current.created, previous.created),
            format_change(current.resolved, previous.resolved),
            format_change(current.open_at_end, previous.open_at_end),
            format_change(
                current.median_resolution_days, previous.median_resolution_days
            ),
            format_rate_change(current.breach_rate, previous.breach_rate),
        )
    )
    return rows


def period_heading(summary: Summary) -> str:
    """Name the comparison: the last N days up to as_of against the N before."""
    days = summary.period_comparison.period_days
    unit = "day" if days == 1 else "days"
    return (
        f"The last {format_count(days)} {unit} against the {format_count(days)} before"
    )


def loaded_agents(summary: Summary, limit: int = LOADED_SHOWN) -> list[AgentStats]:
    """Return the agents with the most open work (open, then past target, name)."""
    busy = [agent for agent in summary.agents if agent.open]
    busy.sort(key=lambda agent: (-agent.open, -agent.open_breaching, agent.agent))
    return busy[: max(limit, 0)]


def agent_load_text(agent: AgentStats, open_total: int) -> str:
    """Say how much open work an agent holds and how much of it is past target."""
    text = f"{format_count(agent.open)} open"
    if open_total:
        text += f" ({format_percent(agent.open / open_total)} of open work)"
    return f"{text}, {format_count(agent.open_breaching)} past target"


@dataclass(frozen=True)
class Card:
    """One headline figure: its value, what it is, a note, the change and its tone.

    ``tone`` is ``"good"``, ``"bad"`` or ``"neutral"``: whether the change
    against the previous period is welcome; ``alert`` marks a figure that needs
    action whatever its change.
    """

    value: str
    label: str
    note: str = ""
    change: str = ""
    tone: str = "neutral"
    alert: bool = False


def headline_cards(summary: Summary) -> list[Card]:
    """Return the headline figures, the period ones with their change.

    The change compares the last ``period_days`` with the ones before
    (``period_comparison``), printed as in the period table; fewer open tickets,
    more resolved, a lower median and a lower breach rate are good.
    """
    comparison = summary.period_comparison
    now, before = comparison.current, comparison.previous
    days = format_count(comparison.period_days)
    totals, overdue = summary.summary, summary.overdue_open
    escalation = summary.escalation_candidates
    vs = f"vs the {days} days before"
    return [
        Card(
            format_count(overdue.count),
            "Open past their SLA target",
            f"{format_count(overdue.by_priority['Critical'])} Critical, "
            f"{format_count(overdue.unassigned)} unassigned"
            if overdue.count
            else "",
            alert=overdue.count > 0,
        ),
        Card(
            format_count(now.open_at_end),
            "Open or in progress",
            vs,
            format_change(now.open_at_end, before.open_at_end),
            _tone(now.open_at_end, before.open_at_end, lower_is_better=True),
        ),
        Card(
            format_count(now.created),
            f"Created in the last {days} days",
            vs,
            format_change(now.created, before.created),
        ),
        Card(
            format_count(now.resolved),
            f"Resolved in the last {days} days",
            vs,
            format_change(now.resolved, before.resolved),
            _tone(now.resolved, before.resolved, lower_is_better=False),
        ),
        Card(
            format_day_figure(now.median_resolution_days),
            f"Median days to resolve (last {days} days)",
            vs,
            format_change(now.median_resolution_days, before.median_resolution_days),
            _tone(
                now.median_resolution_days,
                before.median_resolution_days,
                lower_is_better=True,
            ),
        ),
        Card(
            format_rate(now.breach_rate),
            f"Resolved late (last {days} days)",
            vs,
            format_rate_change(now.breach_rate, before.breach_rate),
            _tone(now.breach_rate, before.breach_rate, lower_is_better=True),
        ),
        Card(
            format_count(totals.unassigned_tickets),
            "Unassigned tickets",
            f"of {format_count(totals.total_tickets)} in the report",
            alert=totals.unassigned_tickets > 0,
        ),
        Card(
            format_count(escalation.count),
            f"Customers with more than {format_count(escalation.threshold)} tickets",
            alert=escalation.count > 0,
        ),
    ]


def _tone(
    current: float | None, previous: float | None, *, lower_is_better: bool
) -> str:
    """Say whether a change is good, bad or neither (equal or unknown)."""
    if current is None or previous is None or current == previous:
        return "neutral"
    return "good" if (current < previous) == lower_is_better else "bad"
