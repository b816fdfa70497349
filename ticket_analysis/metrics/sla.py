"""Service-level view: resolution targets per priority and how often they break."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import numpy as np

from ticket_analysis.domain import DEFAULT_SLA_TARGETS_DAYS, PRIORITIES
from ticket_analysis.metrics.columns import Tickets, derived
from ticket_analysis.summary_parts import Priority, Sla, SlaFigures, by_priority


def sla_targets(overrides: Mapping[str, int] | None = None) -> dict[Priority, int]:
    """Return target days for all four priorities: the defaults, then ``overrides``.

    Raises:
        ValueError: If a key is not a priority or a target is negative.
    """
    given = dict(overrides or {})
    unknown = sorted(set(given) - set(PRIORITIES))
    if unknown:
        raise ValueError(
            f"SLA targets name unknown priorities {unknown}; use {list(PRIORITIES)}"
        )
    targets = by_priority(
        int(given.get(p, DEFAULT_SLA_TARGETS_DAYS[p])) for p in PRIORITIES
    )
    negative = {p: d for p, d in targets.items() if d < 0}
    if negative:
        raise ValueError(f"SLA targets must be >= 0 days, got {negative}")
    return targets


def sla_compliance(
    tickets: Tickets,
    as_of: date,
    targets_days: Mapping[str, int] | None = None,
) -> Sla:
    """Return, per priority and overall, how many resolutions met the target.

    Per priority: ``resolved_with_duration`` (tickets with a resolution time),
    ``within_target`` (resolution time <= target), ``breach_rate``
    (1 - within/resolved_with_duration, 4 decimals, None without any) and
    ``open_breaching`` (open tickets older than the target on ``as_of``).
    ``overall`` holds the same figures over all priorities, each ticket against
    its own priority's target. Priorities missing from ``targets_days`` keep the
    defaults (:func:`sla_targets`).
    """
    targets = sla_targets(targets_days)
    in_order = [targets[p] for p in PRIORITIES]
    cols = derived(tickets)
    codes = cols.priority
    timed = cols.has_resolution_days
    within = timed & ~cols.over_target(in_order)
    breaching = cols.open & (cols.age_days(as_of) > cols.target_days(in_order))
    size = len(PRIORITIES)
    n_timed = np.bincount(codes[timed], minlength=size).tolist()
    n_within = np.bincount(codes[within], minlength=size).tolist()
    n_breaching = np.bincount(codes[breaching], minlength=size).tolist()
    figures = [
        sla_figures(total, ok, late)
        for total, ok, late in zip(n_timed, n_within, n_breaching, strict=True)
    ]
    return Sla(
        targets_days=targets,
        overall=sla_figures(sum(n_timed), sum(n_within), sum(n_breaching)),
        by_priority=by_priority(figures),
    )


def breach_rate(with_duration: int, within: int) -> float | None:
    """Return 1 - within/with_duration rounded to 4 decimals (None when none)."""
    if not with_duration:
        return None
    return round((with_duration - within) / with_duration, 4)


def sla_figures(with_duration: int, within: int, open_breaching: int) -> SlaFigures:
    """Return the four SLA figures of one group of tickets."""
    return SlaFigures(
        resolved_with_duration=with_duration,
        within_target=within,
        breach_rate=breach_rate(with_duration, within),
        open_breaching=open_breaching,
    )
