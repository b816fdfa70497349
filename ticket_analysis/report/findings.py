"""Plain-language findings and recommendations from a report summary.

:func:`build_findings` reads the :class:`~ticket_analysis.summary.Summary` and
returns two lists of sentences: what the numbers show, and what to do about it.
Each rule fires only when its numbers cross a boundary set in
:class:`FindingThresholds`; the sentences carry the numbers that made it fire.

The text is plain (no Markdown or HTML). Ticket-derived values (agent names,
customer ids, ticket ids) are included exactly as they are in the summary:
escaping them is the job of each renderer, which knows its output format.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Final

from ticket_analysis.domain import (
    DUPLICATE_TICKET_ID,
    HIGH_PRIORITIES,
    INVALID_CREATED_DATE,
    INVALID_PRIORITY,
    INVALID_STATUS,
    MALFORMED_RECORD,
    MISSING_REQUIRED_FIELD,
    PRIORITIES,
    REJECT_CODES,
)
from ticket_analysis.report.formatting import (
    format_days,
    format_number,
    format_percent,
    is_complete_month,
    month_name,
)
from ticket_analysis.summary import DataQuality, Summary

#: How many of the oldest open tickets the backlog recommendation asks to triage
#: (the text report lists the same number).
OLDEST_TO_TRIAGE: Final = 10

#: Each rejection code as the end of "the most common reason is ...".
REJECT_REASONS: Final = {
    MALFORMED_RECORD: "a malformed record",
    MISSING_REQUIRED_FIELD: "a missing required field",
    INVALID_CREATED_DATE: "an invalid created date",
    INVALID_PRIORITY: "an invalid priority",
    INVALID_STATUS: "an invalid status",
    DUPLICATE_TICKET_ID: "a duplicate ticket id",
}


Rule = tuple[list[str], list[str]]


@dataclass(frozen=True)
class FindingThresholds:
    """Boundaries at which a finding fires; each rule fires strictly past its own.

    Attributes:
        sla_breach_rate: A priority's SLA breach rate (fraction of resolved tickets
            over target) above which it is reported.
        sla_min_resolved: Fewest resolved tickets with a resolution time a priority
            needs before its breach rate is judged.
        backlog_tickets: Count of tickets open longer than ``open_days`` above
            which the backlog is reported.
        agent_open_share: Share of all open tickets held by one agent above which
            the load is reported.
        agent_min_open: Fewest open tickets in total before agent shares are judged.
        volume_change: Month-over-month change in created tickets (as a fraction,
            either direction) above which the trend is reported.
        volume_min_tickets: Fewest tickets created in the earlier of the two
            compared months before the change is judged.
        reject_rate: Share of records rejected above which data quality is
            reported.
        max_named_customers: How many escalation candidates are named one by one;
            the rest are counted in one sentence.
    """

    sla_breach_rate: float = 0.2
    sla_min_resolved: int = 3
    backlog_tickets: int = 0
    agent_open_share: float = 0.4
    agent_min_open: int = 5
    volume_change: float = 0.25
    volume_min_tickets: int = 5
    reject_rate: float = 0.02
    max_named_customers: int = 3

    def __post_init__(self) -> None:
        """Raise ``ValueError``, naming the field, for a boundary out of range."""
        for name in ("sla_breach_rate", "agent_open_share", "reject_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name}={value!r}: expected a share between 0 and 1")
        if not self.volume_change >= 0.0:
            raise ValueError(
                f"volume_change={self.volume_change!r}: expected a fraction >= 0"
            )
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, int) and value < 0:
                raise ValueError(f"{item.name}={value!r}: expected a whole number >= 0")


def build_findings(
    summary: Summary, thresholds: FindingThresholds | None = None
) -> tuple[list[str], list[str]]:
    """Turn a report summary into findings and recommendations.

    Rules run in a fixed order: SLA breaches (Critical first), backlog age, agent
    load, repeat customers, monthly volume, rejected rows. A summary without
    tickets gives one "No tickets to analyse" finding (plus the rejected-rows
    finding when rows were rejected); a summary where no rule fires says so.
    Every recommendation follows from one of the findings; the summary's own
    findings are not read.
    """
    limits = thresholds if thresholds is not None else FindingThresholds()
    findings: list[str] = []
    recommendations: list[str] = []

    if summary.summary.total_tickets <= 0:
        findings.append(_no_tickets_sentence(summary.data_quality))
        found, recommended = _rejected_rows_rule(summary, limits)
        findings += found
        recommendations += recommended or [
            "Check the export: it should hold the tickets of the period to analyse."
        ]
        return findings, recommendations

    for rule in (
        _sla_rule,
        _backlog_rule,
        _agent_load_rule,
        _escalation_rule,
        _volume_rule,
        _rejected_rows_rule,
    ):
        found, recommended = rule(summary, limits)
        findings += found
        recommendations += recommended

    if not findings:
        findings.append(
            "No rule crossed its threshold: SLA breach rates, backlog age, agent "
            "load, repeat customers, monthly volume and rejected rows are within "
            "limits."
        )
        recommendations.append("No action needed; check again with the next export.")
    return findings, recommendations


# --- rules: each reads the summary and returns (findings, recommendations) ---


def _sla_rule(summary: Summary, limits: FindingThresholds) -> Rule:
    """Report priorities whose resolved tickets breach the SLA target too often."""
    sla = summary.sla
    stats = summary.resolution_time_days.by_priority
    findings: list[str] = []
    recommendations: list[str] = []
    for priority in reversed(PRIORITIES):
        entry = sla.by_priority[priority]
        resolved = entry.resolved_with_duration
        rate = entry.breach_rate
        if (
            rate is None
            or resolved < limits.sla_min_resolved
            or rate <= limits.sla_breach_rate
        ):
            continue
        breached = resolved - entry.within_target
        target_text = f"{format_number(sla.targets_days[priority])}-day target"
        median = stats[priority].median
        if median is None:
            sentence = f"{priority} tickets miss their {target_text}"
        else:
            sentence = (
                f"{priority} tickets take {format_days(median)} at the median "
                f"against a {target_text}"
            )
        sentence += (
            f"; {breached} of {resolved} resolved ({format_percent(rate)}) breached it"
        )
        open_late = entry.open_breaching
        if open_late > 0:
            sentence += (
                f", and {open_late} open {priority} "
                f"{_plural(open_late, 'ticket is', 'tickets are')} already past it"
            )
        findings.append(sentence + ".")
        recommendations.append(
            f"Review {priority} triage and staffing: {breached} of {resolved} "
            f"resolved {priority} tickets missed the {target_text}."
        )
    return findings, recommendations


def _backlog_rule(summary: Summary, limits: FindingThresholds) -> Rule:
    """Report tickets open longer than the report's open-days threshold."""
    backlog = summary.open_over_threshold
    count = backlog.count
    if count <= limits.backlog_tickets:
        return [], []
    high = sum(backlog.by_priority[priority] for priority in HIGH_PRIORITIES)
    sentence = (
        f"{count} {_plural(count, 'ticket has', 'tickets have')} been open longer "
        f"than {format_days(backlog.threshold_days)} ({high} High or Critical)"
    )
    start = ""
    if backlog.tickets:
        oldest = backlog.tickets[0]
        age = format_days(oldest.age_days)
        sentence += f"; the oldest, {oldest.ticket_id}, has been open {age}"
        start = f", starting with {oldest.ticket_id} at {age}"
    batch = min(count, OLDEST_TO_TRIAGE)
    which = "oldest open ticket" if batch == 1 else f"{batch} oldest open tickets"
    return [sentence + "."], [
        f"Run an age-based triage of the {which} (listed under Backlog){start}."
    ]


def _agent_load_rule(summary: Summary, limits: FindingThresholds) -> Rule:
    """Report agents holding more than their share of all open tickets."""
    total_open = summary.summary.open_tickets
    if total_open <= 0 or total_open < limits.agent_min_open:
        return [], []
    loaded = sorted(
        (
            (agent.open, agent.agent)
            for agent in summary.agents
            if agent.open / total_open > limits.agent_open_share
        ),
        key=lambda pair: (-pair[0], pair[1]),
    )
    findings = [
        f"{name} holds {format_percent(held / total_open)} of open work "
        f"({held} of {total_open} open tickets)."
        for held, name in loaded
    ]
    recommendations = [
        f"Rebalance open work: share {name}'s {held} open "
        f"{_plural(held, 'ticket', 'tickets')} with agents who have capacity."
        for held, name in loaded
    ]
    return findings, recommendations


def _escalation_rule(summary: Summary, limits: FindingThresholds) -> Rule:
    """Report customers with more tickets than the escalation threshold."""
    escalation = summary.escalation_candidates
    count = escalation.count
    if count <= 0:
        return [], []
    threshold = escalation.threshold
    named = escalation.customers[: limits.max_named_customers]
    findings = [
        f"Customer {customer.customer_id} opened {customer.tickets} tickets "
        f"(more than {threshold}), {customer.open} still open, "
        f"{customer.high_or_critical} High or Critical."
        for customer in named
    ]
    others = count - len(named)
    if others > 0:
        lead = f"{others} more" if named else str(others)
        findings.append(
            f"{lead} {_plural(others, 'customer', 'customers')} opened more than "
            f"{threshold} tickets each (listed under Customers to Watch)."
        )
    targets = [customer.customer_id for customer in named]
    if others > 0:
        other = " other" if named else ""
        targets.append(
            f"the {others}{other} {_plural(others, 'customer', 'customers')} "
            "listed under Customers to Watch"
        )
    return findings, [f"Contact {_join(targets)} proactively before they escalate."]


def _volume_rule(summary: Summary, limits: FindingThresholds) -> Rule:
    """Compare created tickets in the last two complete months."""
    complete = [
        month
        for month in summary.monthly_volume
        if is_complete_month(month.month, summary.as_of)
    ]
    if len(complete) < 2:
        return [], []
    earlier, later = complete[-2], complete[-1]
    before, after = earlier.created, later.created
    if before <= 0 or before < limits.volume_min_tickets:
        return [], []
    change = (after - before) / before
    if abs(change) <= limits.volume_change:
        return [], []
    earlier_name = month_name(earlier.month)
    later_name = month_name(later.month)
    direction = "rose" if change > 0 else "fell"
    finding = (
        f"Ticket volume {direction} {format_percent(abs(change))} month over month: "
        f"{after} created in {later_name} against {before} in {earlier_name}."
    )
    if change < 0:
        return [finding], []
    return [finding], [
        f"Plan staffing for the higher volume: {later_name} was up "
        f"{format_percent(change)} on {earlier_name}."
    ]


def _rejected_rows_rule(summary: Summary, limits: FindingThresholds) -> Rule:
    """Report a high share of rejected records and its most common reason."""
    quality = summary.data_quality
    read, rejected = quality.records_read, quality.rows_rejected
    if read <= 0 or rejected <= 0 or rejected / read <= limits.reject_rate:
        return [], []
    sentence = (
        f"{format_percent(rejected / read)} of rows were rejected "
        f"({rejected} of {read})"
    )
    counts = [(quality.issues[code], code) for code in REJECT_CODES]
    top_count, top_code = max(counts, key=lambda pair: pair[0])  # first on ties
    if top_count > 0:
        sentence += (
            f"; the most common reason is {REJECT_REASONS[top_code]} ({top_count})"
        )
    file_name = quality.rejected_rows_file.replace("\\", "/").rsplit("/", 1)[-1]
    return [sentence + "."], [
        f"Fix the export at its source: {file_name} lists each rejected line "
        "with its reasons."
    ]


def _no_tickets_sentence(quality: DataQuality) -> str:
    """Explain why there is nothing to analyse."""
    read = quality.records_read
    if read <= 0:
        return "No tickets to analyse: the input had no data records."
    return (
        f"No tickets to analyse: all {read} "
        f"{_plural(read, 'record was', 'records were')} rejected."
    )


def _plural(count: int, singular: str, plural: str) -> str:
    """Pick the singular or plural wording for a count."""
    return singular if count == 1 else plural


def _join(items: Iterable[str]) -> str:
    """Join words as prose: ``a``, ``a and b``, ``a, b and c``."""
    words = list(items)
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"
