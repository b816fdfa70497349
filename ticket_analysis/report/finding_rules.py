"""The rules about tickets, SLA and periods: what the summary shows, what to do.

Every rule returns an :class:`Outcome`: its findings (sentences, most urgent
first) and the recommendations it proposes, each with a rank; :func:`~ticket_
analysis.report.findings.build_findings` orders them by rank and keeps the first
few. The rules about the team and the data are in
:mod:`~ticket_analysis.report.finding_team`. One vocabulary: "overdue" and "past
target" mean past the priority's SLA target; the open-days threshold is "open
longer than N days".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Final, NamedTuple

from ticket_analysis.domain import HIGH_PRIORITIES, PRIORITIES
from ticket_analysis.outputs import OVERDUE_FILE
from ticket_analysis.report.formatting import (
    format_count,
    format_days,
    format_percent,
    format_period,
)

if TYPE_CHECKING:
    from ticket_analysis.report.findings import FindingThresholds
    from ticket_analysis.summary import (
        OverdueTicket,
        OverThresholdTicket,
        Period,
        Priority,
        SlaFigures,
        Summary,
    )

#: Recommendation ranks: the lower, the sooner it is done.
RANK_OVERDUE: Final = 1
RANK_ASSIGN: Final = 2
RANK_REBALANCE: Final = 3
RANK_BACKLOG: Final = 4
RANK_CUSTOMERS: Final = 5
RANK_SLA: Final = 6
RANK_EXPORT: Final = 7

#: The priorities, most urgent first, typed as the summary's keys.
DESCENDING: Final[tuple[Priority, ...]] = ("Critical", "High", "Medium", "Low")

#: How each priority's SLA finding opens: the stakes differ with the severity.
_SLA_LEADS: Final = {
    "Critical": "Critical SLA is failing",
    "High": "High-priority SLA is under strain",
    "Medium": "Medium tickets run late",
    "Low": "Low tickets are the least urgent, yet they slip too",
}


class Recommendation(NamedTuple):
    """One proposed step and how soon it should be taken (lower rank first)."""

    rank: int
    text: str


class Outcome(NamedTuple):
    """What one rule found and what it recommends."""

    findings: list[str]
    recommendations: list[Recommendation]


NOTHING: Final = Outcome([], [])


# --- open breaches of Critical and High, and their owners ---


def overdue_rule(summary: Summary, limits: FindingThresholds) -> Outcome:
    """Name the open Critical, then High, tickets past their target, most overdue first.

    Any open Critical or High ticket past its target is a finding; one
    recommendation asks to clear them, Critical first.
    """
    overdue = summary.overdue_open
    findings: list[str] = []
    steps: list[str] = []
    for priority in DESCENDING[:2]:  # Critical, then High
        count = overdue.by_priority[priority]
        if count <= 0:
            continue
        listed = [t for t in overdue.tickets if t.priority == priority]
        named = listed[: limits.max_named_tickets]
        target = _target(summary, priority)
        head = (
            f"{format_count(count)} open {priority} "
            f"{plural(count, 'ticket is', 'tickets are')} past the {target}"
        )
        if not named:
            findings.append(f"{head} ({OVERDUE_FILE} lists them).")
        else:
            lead = ": " if len(named) == count else "; the most overdue: "
            owners = join(_overdue_with_owner(ticket) for ticket in named)
            findings.append(f"{head}{lead}{owners}.")
        steps.append(_clear_step(priority, count, named, first=not steps))
    if not steps:
        return NOTHING
    text = "; then ".join(steps) + f". {OVERDUE_FILE} lists every overdue ticket."
    return Outcome(findings, [Recommendation(RANK_OVERDUE, text)])


def unassigned_rule(summary: Summary, limits: FindingThresholds) -> Outcome:
    """Name the open High and Critical tickets nobody owns: Critical, then oldest first.

    They are read from the two ticket lists of the summary (past target, open
    longer than open_days); without an ``assigned_to`` column nobody owns anything,
    which the data-quality rule says instead.
    """
    if "assigned_to" in summary.data_quality.missing_optional_columns:
        return NOTHING
    ages: dict[str, tuple[str, int]] = {}
    tickets: list[OverdueTicket | OverThresholdTicket] = [
        *summary.overdue_open.tickets,
        *summary.open_over_threshold.tickets,
    ]
    for ticket in tickets:
        if ticket.assigned_to is None and ticket.priority in HIGH_PRIORITIES:
            ages[ticket.ticket_id] = (ticket.priority, ticket.age_days)
    if not ages:
        return NOTHING
    order = sorted(
        ages.items(),
        key=lambda item: (-PRIORITIES.index(item[1][0]), -item[1][1], item[0]),
    )
    count = len(order)
    named = [
        f"{ticket_id} ({priority}, open {format_days(age)})"
        for ticket_id, (priority, age) in order[: limits.max_named_tickets]
    ]
    head = (
        f"{format_count(count)} open High or Critical "
        f"{plural(count, 'ticket is', 'tickets are')} unassigned"
    )
    finding = f"{head}: {join(named)}." if named else f"{head}."
    if count > len(named):
        what = f"the {format_count(count)} unassigned High and Critical tickets"
        step = f"Assign an agent today to {what}" + (
            f", starting with {join(named)}." if named else "."
        )
    else:
        step = f"Assign an agent today to {join(named)}."
    return Outcome([finding], [Recommendation(RANK_ASSIGN, step)])


# --- SLA attainment, one finding per priority that misses ---


def sla_rule(summary: Summary, limits: FindingThresholds) -> Outcome:
    """Report each priority whose tickets miss their target too often, Critical first.

    A priority is judged on the tickets whose outcome is known: resolved with a
    resolution time, and open already past the target (a miss whatever happens
    next). It misses when more than ``sla_breach_rate`` of them missed.
    """
    findings: list[str] = []
    missing: list[str] = []
    for priority in DESCENDING:
        entry = summary.sla.by_priority[priority]
        late = entry.resolved_with_duration - entry.within_target
        known = entry.resolved_with_duration + entry.open_breaching
        missed = late + entry.open_breaching
        if known <= 0 or known < limits.sla_min_tickets:
            continue
        rate = missed / known
        if rate <= limits.sla_breach_rate:
            continue
        findings.append(_sla_sentence(summary, priority, entry, missed, known))
        missing.append(f"{priority} {format_percent(rate)}")
    if not missing:
        return NOTHING
    step = (
        "Review triage and staffing for the priorities missing their SLA target "
        f"(share of tickets that missed it): {join(missing)}."
    )
    return Outcome(findings, [Recommendation(RANK_SLA, step)])


def _sla_sentence(
    summary: Summary, priority: Priority, entry: SlaFigures, missed: int, known: int
) -> str:
    """Word one priority's SLA miss: the share, then how it splits, then the pace."""
    late = entry.resolved_with_duration - entry.within_target
    sentence = (
        f"{_SLA_LEADS[priority]}: {missed} of {known} {priority} tickets "
        f"({format_percent(missed / known)}) missed the {_target(summary, priority)}"
    )
    parts = []
    resolved = entry.resolved_with_duration
    if resolved and late:
        parts.append(f"{late} of {resolved} resolved late")
    elif resolved:
        parts.append(f"the {resolved} resolved on time")
    if entry.open_breaching:
        parts.append(f"{entry.open_breaching} still open past it")
    sentence += f" ({', '.join(parts)})"
    median = summary.resolution_time_days.by_priority[priority].median
    if median is not None:
        sentence += f"; median resolution {format_days(median)}"
    if priority not in HIGH_PRIORITIES:  # Critical and High are named above
        worst = next(
            (t for t in summary.overdue_open.tickets if t.priority == priority), None
        )
        if worst is not None:
            sentence += (
                f"; the most overdue is {worst.ticket_id} "
                f"({_past_target(worst.overdue_days)})"
            )
    return sentence + "."


# --- this period against the last one ---


def period_rule(summary: Summary, limits: FindingThresholds) -> Outcome:
    """Compare the current period with the previous one: flow, intake, pace.

    Always a finding (the first question a director asks); a recommendation only
    when the open backlog grew by more than ``backlog_growth`` tickets.
    """
    comparison = summary.period_comparison
    current, previous = comparison.current, comparison.previous
    days = format_days(comparison.period_days)
    before, after = previous.open_at_end, current.open_at_end
    if after > before:
        lead, move = "The backlog is growing", f"rose from {before} to {after}"
    elif after < before:
        lead, move = "The backlog is shrinking", f"fell from {before} to {after}"
    else:
        lead, move = "The backlog is steady", f"stayed at {after}"
    sentences = [
        f"{lead}: {_flow(current)} in the last {days} "
        f"({format_period(current.start, current.end)}), against "
        f"{_flow(previous, noun=False)} "
        f"in the {days} before; open tickets {move}."
    ]
    intake = _intake_change(current, previous, limits)
    if intake:
        sentences.append(intake)
    pace = _pace(current, previous)
    if pace:
        sentences.append(pace)
    recommendations = []
    if after - before > limits.backlog_growth:
        recommendations.append(
            Recommendation(
                RANK_BACKLOG,
                "Add capacity or defer non-urgent work until more tickets close "
                f"than open: open tickets rose from {before} to {after} in the last "
                f"{days} ({current.created} created, {current.resolved} resolved).",
            )
        )
    return Outcome([" ".join(sentences)], recommendations)


def _flow(period: Period, noun: bool = True) -> str:
    """``"20 tickets created and 8 resolved"`` (``noun=False``: without "tickets")."""
    created = format_count(period.created)
    if noun:
        created += " " + plural(period.created, "ticket", "tickets")
    return f"{created} created and {format_count(period.resolved)} resolved"


def _intake_change(
    current: Period, previous: Period, limits: FindingThresholds
) -> str | None:
    """Say how much created tickets changed, when it is past ``volume_change``."""
    base = previous.created
    if base <= 0 or base < limits.volume_min_tickets:
        return None
    change = (current.created - base) / base
    if abs(change) <= limits.volume_change:
        return None
    direction = "up" if change > 0 else "down"
    return f"New tickets are {direction} {format_percent(abs(change))}."


def _pace(current: Period, previous: Period) -> str | None:
    """Compare the share resolved past target and the median resolution time."""
    parts = []
    if current.breach_rate is not None:
        text = (
            f"of the tickets resolved, {format_percent(current.breach_rate)} missed "
            "their target"
        )
        if previous.breach_rate is not None:
            text += f" ({format_percent(previous.breach_rate)} before)"
        parts.append(text)
    if current.median_resolution_days is not None:
        text = f"median resolution {format_days(current.median_resolution_days)}"
        if previous.median_resolution_days is not None:
            text += f" ({format_days(previous.median_resolution_days)} before)"
        parts.append(text)
    if not parts:
        return None
    sentence = "; ".join(parts)
    return sentence[0].upper() + sentence[1:] + "."


# --- wording helpers ---


def _target(summary: Summary, priority: Priority) -> str:
    """``"1-day target"``."""
    return f"{format_count(summary.sla.targets_days[priority])}-day target"


def _overdue_with_owner(ticket: OverdueTicket) -> str:
    """``"TCK-1033 (40 days past target, Agent_Sarah)"``."""
    owner = ticket.assigned_to or "unassigned"
    return f"{ticket.ticket_id} ({_past_target(ticket.overdue_days)}, {owner})"


def _clear_step(
    priority: str, count: int, named: list[OverdueTicket], *, first: bool
) -> str:
    """One priority's part of the "clear the overdue tickets" recommendation.

    The first part names up to ``max_named_tickets``; a part after it (``first``
    false, after "then") names only the ticket to start with.
    """
    today = " today" if first else ""
    verb = "Clear " if first else ""
    if count == 1:
        if not named:
            return f"{verb}the overdue {priority} ticket{today}"
        ticket = named[0]
        return (
            f"{verb}the overdue {priority} ticket {ticket.ticket_id}{today} "
            f"({_past_target(ticket.overdue_days)})"
        )
    text = f"{verb}the {format_count(count)} overdue {priority} tickets{today}"
    if not named:
        return text
    if not first:
        return f"{text}, starting with {_ticket_run(named[:1])}"
    if len(named) == count:
        return f"{text}, most overdue first: {_ticket_run(named)}"
    return f"{text}, most overdue first, starting with {_ticket_run(named)}"


def _ticket_run(tickets: list[OverdueTicket]) -> str:
    """``"A, B and C (40, 12 and 9 days past target)"``; one: ``"A (1 day ...)"``."""
    if len(tickets) == 1:
        return f"{tickets[0].ticket_id} ({_past_target(tickets[0].overdue_days)})"
    days = join(format_count(ticket.overdue_days) for ticket in tickets)
    return f"{join(ticket.ticket_id for ticket in tickets)} ({days} days past target)"


def _past_target(days: int) -> str:
    """``"40 days past target"``: how overdue an open ticket is."""
    return f"{format_count(days)} {plural(days, 'day', 'days')} past target"


def plural(count: int, singular: str, plural: str) -> str:
    """Pick the singular or plural wording for a count."""
    return singular if count == 1 else plural


def join(items: Iterable[str]) -> str:
    """Join words as prose: ``a``, ``a and b``, ``a, b and c``."""
    words = list(items)
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"
