"""Plain-language findings and recommendations from a report summary.

:func:`build_findings` reads the :class:`~ticket_analysis.summary.Summary` and
returns two lists of sentences: what the numbers show, most urgent first, and
what to do about it, in the order to do it. The rules live in
:mod:`~ticket_analysis.report.finding_rules` and
:mod:`~ticket_analysis.report.finding_team`; each fires only past a boundary set
in :class:`FindingThresholds` (open Critical and High tickets past their target
always fire), and its sentences carry the figures that made it fire.

The text is plain (no Markdown or HTML). Ticket-derived values (agent names,
customer ids, ticket ids) are included exactly as they are in the summary:
escaping them is the job of each renderer, which knows its output format.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Final

from ticket_analysis.report.briefing import filter_names
from ticket_analysis.report.finding_rules import (
    Outcome,
    overdue_rule,
    period_rule,
    sla_rule,
    unassigned_rule,
)
from ticket_analysis.report.finding_team import (
    agent_rule,
    data_quality_rule,
    escalation_rule,
)
from ticket_analysis.report.formatting import format_count, format_percent

if TYPE_CHECKING:
    from collections.abc import Callable

    from ticket_analysis.summary import AgentStats, Summary

#: At most this many recommendations: the ones to act on first.
MAX_RECOMMENDATIONS: Final = 5

#: The rules, in the order their findings are listed (most urgent first).
RULES: Final[tuple[Callable[[Summary, FindingThresholds], Outcome], ...]] = (
    overdue_rule,
    unassigned_rule,
    sla_rule,
    period_rule,
    agent_rule,
    escalation_rule,
    data_quality_rule,
)

#: Said when only the period comparison (always present) has something to say.
NOTHING_ELSE: Final = (
    "Nothing else crossed its threshold: no open High or Critical ticket is past "
    "its target or unassigned, every priority meets its SLA target, and agent load, "
    "repeat customers and rejected rows are within limits."
)
EMPTY_EXPORT: Final = (
    "Check the export: it should hold the tickets of the period to analyse."
)
NO_ACTION: Final = "No action needed; check again with the next export."


@dataclass(frozen=True)
class FindingThresholds:
    """Boundaries at which a finding fires; each rule fires strictly past its own.

    Open Critical and High tickets past their target, and unassigned ones, are
    always reported: they have no threshold.

    Attributes:
        sla_breach_rate: Share of a priority's tickets with a known outcome
            (resolved with a resolution time, or open past the target) that missed
            the target, above which the priority is reported.
        sla_min_tickets: Fewest tickets with a known outcome a priority needs
            before it is judged.
        backlog_growth: Rise of the open backlog over the current period, in
            tickets, above which more capacity is recommended.
        volume_change: Change in created tickets against the previous period (a
            fraction, either direction) above which it is stated.
        volume_min_tickets: Fewest tickets created in the previous period before
            the change is judged.
        agent_open_share: Share of all open tickets held by one agent above which
            the agent is reported as overloaded...
        agent_min_open: ...when the agent holds at least this many open tickets.
        reject_rate: Share of records rejected above which data quality is
            reported.
        max_named_tickets: How many tickets a finding names one by one.
        max_named_customers: How many escalation candidates are named one by one;
            the rest are counted in one sentence.
    """

    sla_breach_rate: float = 0.2
    sla_min_tickets: int = 3
    backlog_growth: int = 0
    volume_change: float = 0.25
    volume_min_tickets: int = 5
    agent_open_share: float = 0.3
    agent_min_open: int = 5
    reject_rate: float = 0.02
    max_named_tickets: int = 3
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

    Findings, most urgent first: open Critical then High tickets past their
    target, unassigned High and Critical tickets, SLA attainment per priority,
    this period against the last, agent load, repeat customers, data quality.
    Recommendations: at most :data:`MAX_RECOMMENDATIONS`, in the order to act
    (overdue tickets, unassigned ones, rebalancing, capacity, customers, SLA
    review, the export), each naming what to act on and the figure behind it.
    A summary without tickets in scope says why; the summary's own findings are
    not read.
    """
    limits = thresholds if thresholds is not None else FindingThresholds()
    if summary.summary.total_tickets <= 0:
        return _no_tickets(summary, limits)

    findings: list[str] = []
    ranked = []
    fired = 0
    for rule in RULES:
        outcome = rule(summary, limits)
        findings += outcome.findings
        ranked += outcome.recommendations
        if rule is not period_rule:
            fired += len(outcome.findings)
    if not fired:
        findings.append(NOTHING_ELSE)
    recommendations: list[str] = []
    for step in sorted(ranked, key=lambda step: step.rank):  # stable within a rank
        if step.text not in recommendations:
            recommendations.append(step.text)
    return findings, recommendations[:MAX_RECOMMENDATIONS] or [NO_ACTION]


def top_performer_details(agent: AgentStats) -> str:
    """Describe the top performer's results: ``"13 resolved, 62% within target"``.

    The share is of the agent's resolved tickets with a resolution time; without
    any, the line says so. (The ranking itself stays: most resolved first.)
    """
    resolved = f"{format_count(agent.resolved)} resolved"
    if agent.breach_rate is None:
        return f"{resolved}, no resolution times"
    return f"{resolved}, {format_percent(1 - agent.breach_rate)} within target"


def _no_tickets(
    summary: Summary, limits: FindingThresholds
) -> tuple[list[str], list[str]]:
    """Explain why there is nothing to analyse, and report the rejected rows."""
    quality = summary.data_quality
    scope = summary.scope
    read = quality.records_read
    recommendation = EMPTY_EXPORT
    if read <= 0:
        finding = "No tickets to analyse: the input had no data records."
    elif quality.rows_valid <= 0:
        finding = (
            f"No tickets to analyse: all {format_count(read)} "
            f"{'record was' if read == 1 else 'records were'} rejected."
        )
    elif scope.filtered_out > 0:
        named = filter_names(scope.filters)
        finding = (
            f"No tickets to analyse: none of the {format_count(quality.rows_valid)} "
            f"valid tickets matches the filters ({', '.join(named)}) on or before "
            f"{summary.as_of}."
        )
        recommendation = "Check the filters: each must match a ticket exactly."
    else:
        finding = (
            f"No tickets to analyse: all {format_count(quality.rows_valid)} valid "
            f"tickets were created after {summary.as_of}."
        )
        recommendation = "Check the report date: every ticket is newer than it."
    outcome = data_quality_rule(summary, limits)
    steps = [step.text for step in outcome.recommendations]
    return [finding, *outcome.findings], steps or [recommendation]
