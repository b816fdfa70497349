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
    """Return, per priority, how many resolutions met the target and what is late.

    Per priority: ``resolved_with_duration`` (tickets with a resolution time),
    ``within_target`` (resolution time <= target), ``breach_rate``
    (1 - within/resolved_with_duration, 4 decimals, None without any) and
    ``open_breaching`` (open tickets older than the target on ``as_of``).
    Priorities missing from ``targets_days`` keep the defaults (:func:`sla_targets`).
    """
    targets = sla_targets(targets_days)
    cols = derived(tickets)
    codes = cols.priority
    target = np.array([targets[p] for p in PRIORITIES])[codes]
    days = cols.resolution_days
    timed = ~np.isnan(days)
    within = timed & (days <= target)
    breaching = cols.open & (cols.age_days(as_of) > target)
    size = len(PRIORITIES)
    n_timed = np.bincount(codes[timed], minlength=size).tolist()
    n_within = np.bincount(codes[within], minlength=size).tolist()
    n_breaching = np.bincount(codes[breaching], minlength=size).tolist()
    figures = (
        SlaFigures(
            resolved_with_duration=total,
            within_target=ok,
            breach_rate=round((total - ok) / total, 4) if total else None,
            open_breaching=late,
        )
        for total, ok, late in zip(n_timed, n_within, n_breaching, strict=True)
    )
    return Sla(targets_days=targets, by_priority=by_priority(figures))
