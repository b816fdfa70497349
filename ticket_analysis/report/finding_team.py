"""The rules about the team and the data: agent load, repeat customers, the export.

They return :class:`~ticket_analysis.report.finding_rules.Outcome` like the rules
about tickets, SLA and periods in :mod:`ticket_analysis.report.finding_rules`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from ticket_analysis.domain import (
    DUPLICATE_TICKET_ID,
    INVALID_CREATED_DATE,
    INVALID_PRIORITY,
    INVALID_STATUS,
    MALFORMED_RECORD,
    MISSING_REQUIRED_FIELD,
    REJECT_CODES,
)
from ticket_analysis.report.finding_rules import (
    NOTHING,
    RANK_CUSTOMERS,
    RANK_EXPORT,
    RANK_REBALANCE,
    Outcome,
    Recommendation,
    join,
    plural,
)
from ticket_analysis.report.formatting import format_count, format_percent

if TYPE_CHECKING:
    from ticket_analysis.report.findings import FindingThresholds
    from ticket_analysis.summary import AgentStats, Summary

#: Each rejection code as the end of "the most common reason is ...".
REJECT_REASONS: Final = {
    MALFORMED_RECORD: "a malformed record",
    MISSING_REQUIRED_FIELD: "a missing required field",
    INVALID_CREATED_DATE: "an invalid created date",
    INVALID_PRIORITY: "an invalid priority",
    INVALID_STATUS: "an invalid status",
    DUPLICATE_TICKET_ID: "a duplicate ticket id",
}


def agent_rule(summary: Summary, limits: FindingThresholds) -> Outcome:
    """Report agents holding too large a share of all open work.

    An agent is overloaded with more than ``agent_open_share`` of the open tickets
    and at least ``agent_min_open`` of them. Silent for an agent's own scorecard
    (filtered by agent) and for a team of one: there is nobody to share with.
    """
    total_open = summary.summary.open_tickets
    if total_open <= 0 or summary.scope.filters.agent is not None:
        return NOTHING
    if len(summary.agents) < 2:
        return NOTHING
    loaded = sorted(
        (
            agent
            for agent in summary.agents
            if agent.open >= limits.agent_min_open
            and agent.open / total_open > limits.agent_open_share
        ),
        key=lambda agent: (-agent.open, -agent.open_breaching, agent.agent),
    )
    if not loaded:
        return NOTHING
    findings = [
        f"{agent.agent} is overloaded: {agent.open} of {total_open} open tickets "
        f"({format_percent(agent.open / total_open)} of open work), "
        f"{agent.open_breaching} of them past target."
        for agent in loaded
    ]
    spare = _least_loaded(summary.agents, {agent.agent for agent in loaded})
    steps = [_rebalance_step(agent, spare) for agent in loaded]
    return Outcome(findings, [Recommendation(RANK_REBALANCE, " ".join(steps))])


def _least_loaded(agents: Sequence[AgentStats], busy: set[str]) -> list[AgentStats]:
    """Return the two agents with the fewest open tickets, outside ``busy``."""
    free = sorted(
        (agent for agent in agents if agent.agent not in busy),
        key=lambda agent: (agent.open, agent.open_breaching, agent.agent),
    )
    return free[:2]


def _rebalance_step(agent: AgentStats, spare: list[AgentStats]) -> str:
    """Word one move: ``"Move part of A's 8 open tickets (7 past target) to B"``."""
    text = (
        f"Move part of {agent.agent}'s {agent.open} open tickets "
        f"({agent.open_breaching} past target) to "
    )
    if not spare:
        return text + "agents with capacity."
    names = join(other.agent for other in spare)
    opens = sorted({other.open for other in spare})
    each = " each" if len(spare) > 1 and len(opens) == 1 else ""
    held = join(str(number) for number in opens)
    return f"{text}{names} ({held} open{each})."


def escalation_rule(summary: Summary, limits: FindingThresholds) -> Outcome:
    """Report customers with more tickets than the escalation threshold."""
    escalation = summary.escalation_candidates
    count = escalation.count
    if count <= 0:
        return NOTHING
    threshold = escalation.threshold
    named = escalation.customers[: limits.max_named_customers]
    findings = [
        f"Customer {customer.customer_id} opened {customer.tickets} tickets "
        f"(more than {threshold}): {customer.open} still open, "
        f"{customer.high_or_critical} High or Critical."
        for customer in named
    ]
    others = count - len(named)
    if others > 0:
        lead = f"{format_count(others)} more" if named else format_count(others)
        findings.append(
            f"{lead} {plural(others, 'customer', 'customers')} opened more than "
            f"{threshold} tickets each (listed under Customers to Watch)."
        )
    targets = [
        f"{customer.customer_id} ({customer.tickets} tickets, {customer.open} open)"
        for customer in named
    ]
    if others > 0:
        other = " other" if named else ""
        targets.append(
            f"the {format_count(others)}{other} "
            f"{plural(others, 'customer', 'customers')} listed under Customers to "
            "Watch"
        )
    step = f"Contact {join(targets)} before they escalate."
    return Outcome(findings, [Recommendation(RANK_CUSTOMERS, step)])


def data_quality_rule(summary: Summary, limits: FindingThresholds) -> Outcome:
    """Report a high share of rejected records, and optional columns the file lacks."""
    quality = summary.data_quality
    findings: list[str] = []
    recommendations: list[Recommendation] = []
    read, rejected = quality.records_read, quality.rows_rejected
    if read > 0 and rejected > 0 and rejected / read > limits.reject_rate:
        sentence = (
            f"{format_percent(rejected / read)} of rows were rejected "
            f"({rejected} of {read})"
        )
        reasons = sorted(  # most frequent first; ties in the contract's order
            (-number, REJECT_CODES.index(code), code)
            for code, number in quality.issues.items()
            if code in REJECT_CODES and number > 0
        )
        if reasons:
            sentence += "; reasons: " + join(
                f"{REJECT_REASONS[code]} ({-negative})" for negative, _, code in reasons
            )
        findings.append(sentence + ".")
        file_name = quality.rejected_rows_file.replace("\\", "/").rsplit("/", 1)[-1]
        recommendations.append(
            Recommendation(
                RANK_EXPORT,
                f"Fix the export at its source: {file_name} lists the {rejected} "
                "rejected lines with their reasons.",
            )
        )
    missing = quality.missing_optional_columns
    if missing:
        columns = join(missing)
        sentence = (
            f"The file has no {columns} {plural(len(missing), 'column', 'columns')}"
        )
        if "assigned_to" in missing:
            sentence += ", so no ticket has an agent"
        findings.append(sentence + ".")
    return Outcome(findings, recommendations)
