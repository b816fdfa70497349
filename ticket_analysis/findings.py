"""Plain-language findings and recommendations from a report summary.

:func:`build_findings` reads the ``summary.json`` dict (contract section 4) and
returns two lists of sentences: what the numbers show, and what to do about it.
Each rule fires only when its numbers cross a boundary set in
:class:`FindingThresholds`; the sentences carry the numbers that made it fire.

The text is plain (no Markdown or HTML). Ticket-derived values (agent names,
customer ids, ticket ids) are included exactly as they are in the summary:
escaping them is the job of each renderer, which knows its output format.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final

from ticket_analysis.domain import (
    DEFAULT_SLA_TARGETS_DAYS,
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

_MONTH_NAMES: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

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
        """Check every boundary is in range.

        Raises:
            ValueError: If a share is outside 0..1, a change is negative or a
                count is negative, naming the field.
        """
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
    summary: Mapping[str, Any], thresholds: FindingThresholds | None = None
) -> tuple[list[str], list[str]]:
    """Turn a report summary into findings and recommendations.

    Rules run in a fixed order: SLA breaches (Critical first), backlog age, agent
    load, repeat customers, monthly volume, rejected rows. A summary without
    tickets gives one "No tickets to analyse" finding (plus the rejected-rows
    finding when rows were rejected); a summary where no rule fires says so.

    Args:
        summary: The ``summary.json`` dict (contract section 4). Missing or null
            parts are treated as empty rather than raising.
        thresholds: Rule boundaries; the defaults of :class:`FindingThresholds`
            when None.

    Returns:
        ``(findings, recommendations)``: plain-text sentences in a deterministic
        order; every recommendation follows from one of the findings.
    """
    limits = thresholds if thresholds is not None else FindingThresholds()
    findings: list[str] = []
    recommendations: list[str] = []

    if _int(_section(summary, "summary").get("total_tickets")) <= 0:
        findings.append(_no_tickets_sentence(_section(summary, "data_quality")))
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


# --- formatting shared with the text report ---


def format_percent(fraction: float) -> str:
    """Format a fraction as a percentage for prose and tables.

    Whole percent from 10% up, one decimal below (``0.025`` -> ``"2.5%"``),
    rounding halves up; a trailing ``.0`` is dropped.

    Args:
        fraction: The share, e.g. ``0.6667``.

    Returns:
        The percentage, e.g. ``"67%"``.
    """
    percent = Decimal(repr(float(fraction))) * 100
    step = Decimal("1") if abs(percent) >= 10 else Decimal("0.1")
    text = str(percent.quantize(step, rounding=ROUND_HALF_UP))
    if text.endswith(".0"):
        text = text[:-2]
    return f"{text}%"


def format_number(value: float) -> str:
    """Format a number of days for prose: one decimal at most, halves rounded up.

    Args:
        value: The number, e.g. ``2.33`` or ``3.0``.

    Returns:
        ``"2.3"``, ``"3"``: a trailing ``.0`` is dropped.
    """
    text = str(Decimal(repr(float(value))).quantize(Decimal("0.1"), ROUND_HALF_UP))
    return text[:-2] if text.endswith(".0") else text


def month_name(month: str) -> str:
    """Spell a ``YYYY-MM`` month out in English (``"February 2024"``).

    Args:
        month: The month as in ``monthly_volume``.

    Returns:
        The month's English name and year; the text unchanged if it is not a
        ``YYYY-MM`` month.
    """
    try:
        first = date.fromisoformat(f"{month}-01")
    except (TypeError, ValueError):
        return str(month)
    return f"{_MONTH_NAMES[first.month - 1]} {first.year}"


def is_complete_month(month: str, as_of: str | None) -> bool:
    """Tell whether a month lies entirely on or before the report's as-of date.

    Args:
        month: A ``YYYY-MM`` month.
        as_of: The report's ``YYYY-MM-DD`` as-of date, or None.

    Returns:
        True when the month's last day is on or before ``as_of``; False when it
        is not, or either value is missing or malformed. Any real month works,
        December 9999 included (no date after it is computed).
    """
    try:
        first = date.fromisoformat(f"{month}-01")
        reference = date.fromisoformat(str(as_of))
    except (TypeError, ValueError):
        return False
    last_day = calendar.monthrange(first.year, first.month)[1]
    return first.replace(day=last_day) <= reference


# --- rules: each reads the summary and returns (findings, recommendations) ---


def _sla_rule(summary: Mapping[str, Any], limits: FindingThresholds) -> Rule:
    """Report priorities whose resolved tickets breach the SLA target too often."""
    sla = _section(summary, "sla")
    targets = _mapping(sla.get("targets_days")) or DEFAULT_SLA_TARGETS_DAYS
    by_priority = _mapping(sla.get("by_priority"))
    stats = _mapping(_section(summary, "resolution_time_days").get("by_priority"))
    findings: list[str] = []
    recommendations: list[str] = []
    for priority in reversed(PRIORITIES):
        entry = _mapping(by_priority.get(priority))
        resolved = _int(entry.get("resolved_with_duration"))
        rate = _number(entry.get("breach_rate"))
        target = _number(targets.get(priority))
        if (
            rate is None
            or target is None
            or resolved < limits.sla_min_resolved
            or rate <= limits.sla_breach_rate
        ):
            continue
        breached = resolved - _int(entry.get("within_target"))
        target_text = f"{format_number(target)}-day target"
        median = _number(_mapping(stats.get(priority)).get("median"))
        if median is None:
            sentence = f"{priority} tickets miss their {target_text}"
        else:
            sentence = (
                f"{priority} tickets take {_days(median)} at the median against "
                f"a {target_text}"
            )
        sentence += (
            f"; {breached} of {resolved} resolved ({format_percent(rate)}) breached it"
        )
        open_late = _int(entry.get("open_breaching"))
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


def _backlog_rule(summary: Mapping[str, Any], limits: FindingThresholds) -> Rule:
    """Report tickets open longer than the report's open-days threshold."""
    backlog = _section(summary, "open_over_threshold")
    count = _int(backlog.get("count"))
    if count <= limits.backlog_tickets:
        return [], []
    days = _number(backlog.get("threshold_days"))
    if days is None:
        days = _number(_section(summary, "parameters").get("open_days")) or 0
    by_priority = _mapping(backlog.get("by_priority"))
    high = sum(_int(by_priority.get(priority)) for priority in HIGH_PRIORITIES)
    sentence = (
        f"{count} {_plural(count, 'ticket has', 'tickets have')} been open longer "
        f"than {_days(days)} ({high} High or Critical)"
    )
    tickets = backlog.get("tickets")
    oldest = _mapping(tickets[0]) if isinstance(tickets, list) and tickets else {}
    start = ""
    if oldest:
        ticket_id = oldest.get("ticket_id")
        age = _days(_number(oldest.get("age_days")) or 0)
        sentence += f"; the oldest, {ticket_id}, has been open {age}"
        start = f", starting with {ticket_id} at {age}"
    batch = min(count, OLDEST_TO_TRIAGE)
    which = "oldest open ticket" if batch == 1 else f"{batch} oldest open tickets"
    return [sentence + "."], [
        f"Run an age-based triage of the {which} (listed under Backlog){start}."
    ]


def _agent_load_rule(summary: Mapping[str, Any], limits: FindingThresholds) -> Rule:
    """Report agents holding more than their share of all open tickets."""
    total_open = _int(_section(summary, "summary").get("open_tickets"))
    if total_open <= 0 or total_open < limits.agent_min_open:
        return [], []
    agents = [_mapping(item) for item in _list(summary.get("agents"))]
    loaded = sorted(
        (
            (_int(agent.get("open")), str(agent.get("agent")))
            for agent in agents
            if _int(agent.get("open")) / total_open > limits.agent_open_share
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


def _escalation_rule(summary: Mapping[str, Any], limits: FindingThresholds) -> Rule:
    """Report customers with more tickets than the escalation threshold."""
    escalation = _section(summary, "escalation_candidates")
    count = _int(escalation.get("count"))
    if count <= 0:
        return [], []
    threshold = _int(
        escalation.get("threshold")
        if escalation.get("threshold") is not None
        else _section(summary, "parameters").get("escalation_threshold")
    )
    customers = [_mapping(item) for item in _list(escalation.get("customers"))]
    named = customers[: limits.max_named_customers]
    findings = [
        f"Customer {customer.get('customer_id')} opened "
        f"{_int(customer.get('tickets'))} tickets (more than {threshold}), "
        f"{_int(customer.get('open'))} still open, "
        f"{_int(customer.get('high_or_critical'))} High or Critical."
        for customer in named
    ]
    others = count - len(named)
    if others > 0:
        lead = f"{others} more" if named else str(others)
        findings.append(
            f"{lead} {_plural(others, 'customer', 'customers')} opened more than "
            f"{threshold} tickets each (listed under Customers to Watch)."
        )
    targets = [str(customer.get("customer_id")) for customer in named]
    if others > 0:
        other = " other" if named else ""
        targets.append(
            f"the {others}{other} {_plural(others, 'customer', 'customers')} "
            "listed under Customers to Watch"
        )
    return findings, [f"Contact {_join(targets)} proactively before they escalate."]


def _volume_rule(summary: Mapping[str, Any], limits: FindingThresholds) -> Rule:
    """Compare created tickets in the last two complete months."""
    as_of = summary.get("as_of")
    complete = [
        month
        for month in (_mapping(item) for item in _list(summary.get("monthly_volume")))
        if is_complete_month(str(month.get("month")), as_of)
    ]
    if len(complete) < 2:
        return [], []
    earlier, later = complete[-2], complete[-1]
    before, after = _int(earlier.get("created")), _int(later.get("created"))
    if before <= 0 or before < limits.volume_min_tickets:
        return [], []
    change = (after - before) / before
    if abs(change) <= limits.volume_change:
        return [], []
    earlier_name = month_name(str(earlier.get("month")))
    later_name = month_name(str(later.get("month")))
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


def _rejected_rows_rule(summary: Mapping[str, Any], limits: FindingThresholds) -> Rule:
    """Report a high share of rejected records and its most common reason."""
    quality = _section(summary, "data_quality")
    read = _int(quality.get("records_read"))
    rejected = _int(quality.get("rows_rejected"))
    if read <= 0 or rejected <= 0 or rejected / read <= limits.reject_rate:
        return [], []
    sentence = (
        f"{format_percent(rejected / read)} of rows were rejected "
        f"({rejected} of {read})"
    )
    issues = _mapping(quality.get("issues"))
    counts = [(_int(issues.get(code)), code) for code in REJECT_CODES]
    top_count, top_code = max(counts, key=lambda pair: pair[0])  # first on ties
    if top_count > 0:
        sentence += (
            f"; the most common reason is {REJECT_REASONS[top_code]} ({top_count})"
        )
    file_name = str(quality.get("rejected_rows_file") or "rejected_rows.csv")
    file_name = file_name.replace("\\", "/").rsplit("/", 1)[-1]
    return [sentence + "."], [
        f"Fix the export at its source: {file_name} lists each rejected line "
        "with its reasons."
    ]


def _no_tickets_sentence(quality: Mapping[str, Any]) -> str:
    """Explain why there is nothing to analyse."""
    read = _int(quality.get("records_read"))
    if read <= 0:
        return "No tickets to analyse: the input had no data records."
    return (
        f"No tickets to analyse: all {read} "
        f"{_plural(read, 'record was', 'records were')} rejected."
    )


# --- small readers: a missing or null part of the summary reads as empty ---


def _section(summary: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    """Return ``summary[key]`` as a mapping, empty when missing or null."""
    return _mapping(summary.get(key))


def _mapping(value: object) -> Mapping[str, Any]:
    """Return the value if it is a mapping, else an empty one."""
    return value if isinstance(value, Mapping) else {}


def _list(value: object) -> Sequence[Any]:
    """Return the value if it is a list, else an empty one."""
    return value if isinstance(value, list) else []


def _number(value: object) -> float | None:
    """Return a finite number as float, None for null or anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if number == number and abs(number) != float("inf") else None


def _int(value: object) -> int:
    """Return a count as int, 0 for null or anything not a number."""
    number = _number(value)
    return int(number) if number is not None else 0


def _plural(count: int, singular: str, plural: str) -> str:
    """Pick the singular or plural wording for a count."""
    return singular if count == 1 else plural


def _days(value: float) -> str:
    """Format a number of days with its unit (``"1 day"``, ``"2.5 days"``)."""
    text = format_number(value)
    return f"{text} {'day' if text == '1' else 'days'}"


def _join(items: Iterable[str]) -> str:
    """Join words as prose: ``a``, ``a and b``, ``a, b and c``."""
    words = list(items)
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"
