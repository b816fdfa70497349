"""Metrics: pure functions from the validated tickets frame to the summary's parts.

One module per theme; :func:`compute_metrics` assembles them into
:class:`~ticket_analysis.summary_parts.Metrics`, the analysis part of
``summary.json`` (contract sections 3 and 4). Each function returns a part of
:mod:`ticket_analysis.summary_parts` or the plain values of one (counts keyed
by status or priority); the models are built from aggregates only, never per
ticket.

Modules:

- :mod:`~ticket_analysis.metrics.columns` — derived columns, ``default_as_of``.
- :mod:`~ticket_analysis.metrics.counts` — summary block and status/priority counts.
- :mod:`~ticket_analysis.metrics.resolution` — resolution time statistics.
- :mod:`~ticket_analysis.metrics.backlog` — open tickets over threshold, aging.
- :mod:`~ticket_analysis.metrics.agents` — per-agent figures and top agents.
- :mod:`~ticket_analysis.metrics.trends` — monthly, weekly and weekday volume.
- :mod:`~ticket_analysis.metrics.periods` — this period against the previous one.
- :mod:`~ticket_analysis.metrics.overdue` — the action list: open tickets past target.
- :mod:`~ticket_analysis.metrics.text` — top subjects and subject words.
- :mod:`~ticket_analysis.metrics.customers` — escalation candidates.
- :mod:`~ticket_analysis.metrics.sla` — SLA targets and breaches.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date

import pandas as pd

from ticket_analysis.metrics.agents import agent_stats, top_agents
from ticket_analysis.metrics.backlog import backlog_aging, open_over_threshold
from ticket_analysis.metrics.columns import TicketColumns, Tickets, default_as_of
from ticket_analysis.metrics.counts import (
    priority_counts,
    status_by_priority,
    status_counts,
    ticket_summary,
)
from ticket_analysis.metrics.customers import escalation_candidates
from ticket_analysis.metrics.overdue import overdue_frame, overdue_open
from ticket_analysis.metrics.periods import period_comparison
from ticket_analysis.metrics.resolution import resolution_time_days
from ticket_analysis.metrics.sla import sla_compliance, sla_targets
from ticket_analysis.metrics.text import top_subject_words, top_subjects
from ticket_analysis.metrics.trends import monthly_volume, weekday_volume, weekly_volume
from ticket_analysis.summary import Metrics
from ticket_analysis.summary_parts import SubjectCount, WordCount

logger = logging.getLogger(__name__)

#: The keys :func:`compute_metrics` returns, in ``summary.json`` order.
METRIC_KEYS = tuple(Metrics.model_fields)
#: Columns of the validated frame that the metrics read.
REQUIRED_COLUMNS = (
    "ticket_id",
    "customer_id",
    "subject",
    "priority",
    "status",
    "created_date",
    "resolved_date",
    "assigned_to",
)


def compute_metrics(
    tickets: pd.DataFrame,
    *,
    as_of: date,
    open_days: int = 7,
    escalation_threshold: int = 5,
    top_words: int = 10,
    list_limit: int = 100,
    period_days: int = 28,
    sla_targets_days: Mapping[str, int] | None = None,
    extra_stop_words: Iterable[str] = (),
) -> Metrics:
    """Compute every metric of the report, fields in contract order.

    Args:
        tickets: The tickets in scope (:func:`ticket_analysis.scope.select_scope`);
            may be empty.
        as_of: The report's reference date (see :func:`default_as_of`).
        open_days: Open tickets older than this many days are flagged.
        escalation_threshold: Customers with more tickets than this are flagged.
        top_words: How many subject words to list.
        list_limit: Cap on the growing lists (0 = no cap); counts stay complete.
        period_days: Length of the two periods ``period_comparison`` compares.
        sla_targets_days: Per priority; missing ones keep the defaults.
        extra_stop_words: Ignored on top of the shipped stop-word list.

    Raises:
        ValueError: If a column is missing, a parameter is negative, or the frame
            holds values the loader never produces (an unknown priority...).
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in tickets.columns]
    if missing:
        raise ValueError(
            f"the tickets frame lacks column(s) {missing}; "
            f"it has {list(tickets.columns)}"
        )
    for name, value in {
        "open_days": open_days,
        "escalation_threshold": escalation_threshold,
        "top_words": top_words,
        "list_limit": list_limit,
    }.items():
        if value < 0:
            raise ValueError(f"{name} must be >= 0, got {value}")
    if period_days < 1:
        raise ValueError(f"period_days must be >= 1, got {period_days}")
    started = time.perf_counter()
    cols = TicketColumns(tickets)
    # The subject counts are the expensive metrics and run mostly outside the GIL
    # (NumPy, pyarrow): start both at once and compute the rest meanwhile. (One
    # after the other on one thread, the run took 0.1 s longer at a million rows.)
    with ThreadPoolExecutor(2, thread_name_prefix="subjects") as pool:
        words = pool.submit(
            top_subject_words,
            cols.frame,
            top_n=top_words,
            extra_stop_words=tuple(extra_stop_words),
        )
        subjects = pool.submit(top_subjects, cols, top_words)
        metrics = _assemble(
            cols,
            as_of=as_of,
            open_days=open_days,
            escalation_threshold=escalation_threshold,
            top_words=top_words,
            list_limit=list_limit,
            period_days=period_days,
            sla_targets_days=sla_targets_days,
            subject_words=words,
            subjects=subjects,
        )
    logger.debug(
        "computed metrics for %d tickets in %.3f s",
        len(tickets),
        time.perf_counter() - started,
    )
    return metrics


def _assemble(
    cols: TicketColumns,
    *,
    as_of: date,
    open_days: int,
    escalation_threshold: int,
    top_words: int,
    list_limit: int,
    period_days: int,
    sla_targets_days: Mapping[str, int] | None,
    subject_words: Future[list[WordCount]],
    subjects: Future[list[SubjectCount]],
) -> Metrics:
    """Compute the other metrics, then wait for the subject counts."""
    targets = list(sla_targets(sla_targets_days).values())
    # Arguments run in order: the ones listed after the word count come first.
    agents = agent_stats(cols, as_of, targets)
    escalation = escalation_candidates(
        cols, threshold=escalation_threshold, list_limit=list_limit
    )
    sla = sla_compliance(cols, as_of, sla_targets_days)
    return Metrics(
        summary=ticket_summary(cols),
        status_counts=status_counts(cols),
        priority_counts=priority_counts(cols),
        status_by_priority=status_by_priority(cols),
        resolution_time_days=resolution_time_days(cols),
        open_over_threshold=open_over_threshold(
            cols, as_of, open_days=open_days, list_limit=list_limit
        ),
        backlog_aging=backlog_aging(cols, as_of),
        agents=agents,
        top_agents=top_agents(agents),
        monthly_volume=monthly_volume(cols, as_of, targets),
        weekly_volume=weekly_volume(cols, as_of),
        weekday_volume=weekday_volume(cols),
        period_comparison=period_comparison(cols, as_of, period_days, targets),
        overdue_open=overdue_open(cols, as_of, targets, list_limit),
        top_subjects=subjects.result(),
        top_subject_words=subject_words.result(),
        escalation_candidates=escalation,
        sla=sla,
    )


__all__ = [
    "METRIC_KEYS",
    "Metrics",
    "TicketColumns",
    "Tickets",
    "agent_stats",
    "backlog_aging",
    "compute_metrics",
    "default_as_of",
    "escalation_candidates",
    "monthly_volume",
    "open_over_threshold",
    "overdue_frame",
    "overdue_open",
    "period_comparison",
    "priority_counts",
    "resolution_time_days",
    "sla_compliance",
    "status_by_priority",
    "status_counts",
    "ticket_summary",
    "top_agents",
    "top_subject_words",
    "top_subjects",
    "weekday_volume",
    "weekly_volume",
]
