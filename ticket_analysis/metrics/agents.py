"""Per-agent workload and resolution speed (contract section 3, **Agents**).

An agent is a non-empty ``assigned_to`` value. Unassigned tickets never form an
agent; they are counted in ``summary.unassigned_tickets``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pyarrow.compute as pc

from ticket_analysis.metrics.columns import (
    BoolArray,
    IntArray,
    Tickets,
    arrow_strings,
    derived,
)
from ticket_analysis.metrics.resolution import grouped_figures
from ticket_analysis.metrics.sla import breach_rate
from ticket_analysis.summary_parts import AgentStats

#: How many agents ``top_agents`` lists.
TOP_AGENTS = 3


def agent_stats(
    tickets: Tickets, as_of: date, targets: Sequence[int]
) -> list[AgentStats]:
    """Return every agent's counts, resolution times and SLA figures.

    ``resolved`` counts Resolved/Closed tickets; the average and median (2
    decimals, None when none) cover those with a resolution time; ``open``
    counts Open/In Progress tickets and ``total`` all of them. ``within_target``
    counts the tickets resolved within their priority's target, ``breach_rate``
    is 1 - within/(tickets with a resolution time) (4 decimals, None when none)
    and ``open_breaching`` counts open tickets older than their target on
    ``as_of`` (``targets``: days per priority, lowest priority first).

    Sorted by resolved descending, then the reported (rounded) average
    ascending, None last, so the order agrees with the figures shown, then name.
    """
    cols = derived(tickets)
    encoded = pc.dictionary_encode(arrow_strings(cols.frame["assigned_to"]))
    names: list[str] = encoded.dictionary.to_pylist()
    if not names:
        return []
    size = len(names)
    assigned = encoded.indices.is_valid().to_numpy(zero_copy_only=False)
    # Unassigned rows get agent 0 but are always masked out by ``assigned``.
    agent = pc.fill_null(encoded.indices, 0).to_numpy().astype(np.int64)

    def per_agent(mask: BoolArray) -> IntArray:
        counts: IntArray = np.bincount(agent[mask & assigned], minlength=size)
        return counts

    total = per_agent(assigned)
    open_ = per_agent(cols.open)
    resolved = per_agent(cols.resolved)
    within = per_agent(cols.has_resolution_days & ~cols.over_target(targets))
    breaching = per_agent(
        cols.open & (cols.age_days(as_of) > cols.target_days(targets))
    )
    days = cols.resolution_days
    timed = assigned & cols.has_resolution_days
    n_timed, means, medians, *_ = grouped_figures(
        agent[timed], days[timed].astype(np.int64), size
    )
    rows = [
        AgentStats(
            agent=name,
            resolved=n_resolved,
            avg_resolution_days=mean,
            median_resolution_days=median,
            open=n_open,
            total=n_total,
            within_target=n_within,
            breach_rate=breach_rate(n_with_duration, n_within),
            open_breaching=n_breaching,
        )
        for (
            name,
            n_resolved,
            mean,
            median,
            n_open,
            n_total,
            n_with_duration,
            n_within,
            n_breaching,
        ) in zip(
            names,
            resolved.tolist(),
            means,
            medians,
            open_.tolist(),
            total.tolist(),
            n_timed,
            within.tolist(),
            breaching.tolist(),
            strict=True,
        )
    ]
    rows.sort(
        key=lambda a: (
            -a.resolved,
            a.avg_resolution_days is None,
            a.avg_resolution_days or 0.0,
            a.agent,
        )
    )
    return rows


def top_agents(agents: list[AgentStats], n: int = TOP_AGENTS) -> list[AgentStats]:
    """Return the first ``n`` agents of :func:`agent_stats` that resolved any."""
    return [a for a in agents if a.resolved > 0][:n]
