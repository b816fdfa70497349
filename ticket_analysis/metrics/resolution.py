"""Resolution time statistics, overall and by priority (contract section 3).

Only tickets with a resolution time count (resolved, with a usable resolved_date on
or after created_date). The overall figures are computed over all those tickets,
never as a mean of the per-priority means.

Resolution times are whole non-negative days, so the statistics of every group are
read off per-group histograms (one ``bincount``) rather than by sorting; when the
groups times the range of days would make the histograms too large, one sort of
``group * span + days`` is used instead. Either way the arithmetic follows
``np.mean``, ``np.median`` and ``np.quantile`` (linear method) exactly.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ticket_analysis.domain import PRIORITIES
from ticket_analysis.metrics.columns import FloatArray, IntArray, Tickets, derived
from ticket_analysis.summary_parts import ResolutionTimes, Stats, by_priority

#: Largest groups x days histogram built; beyond it the values are sorted.
MAX_HISTOGRAM_CELLS = 1 << 22

#: One figure per group, None for a group without values: rounded or whole days.
Figures = list[float | None]
WholeDays = list[int | None]


def describe_days(days: FloatArray) -> Stats:
    """Summarise resolution times in whole days; NaN entries are ignored.

    ``p90`` is the linear-interpolation quantile (NumPy's default); mean, median
    and p90 are rounded to 2 decimals, min and max are whole days. Every figure
    but ``count`` is None when there are no values.
    """
    values = days[~np.isnan(days)].astype(np.int64)
    return grouped_stats(np.zeros(values.size, dtype=np.int64), values, 1)[0]


def grouped_stats(groups: IntArray, days: IntArray, size: int) -> list[Stats]:
    """Return the statistics of whole, non-negative ``days`` per group 0..size-1.

    A group without values gets count 0 and Nones.
    """
    return [
        Stats(count=count, mean=mean, median=median, p90=q90, min=low, max=high)
        if count
        else _NO_STATS
        for count, mean, median, q90, low, high in zip(
            *grouped_figures(groups, days, size), strict=True
        )
    ]


def grouped_figures(
    groups: IntArray, days: IntArray, size: int
) -> tuple[list[int], Figures, Figures, Figures, WholeDays, WholeDays]:
    """Return the columns of :func:`grouped_stats` as lists, without the models.

    The per-agent figures use it: agents are not a capped list, so no
    intermediate model is built per agent.
    """
    counts = np.bincount(groups, minlength=size)
    totals = np.bincount(groups, weights=days, minlength=size)
    kth = _order_statistics(groups, days, counts, size)
    has = (counts > 0).tolist()
    n = np.maximum(counts, 1)  # avoid 0 / 0 for empty groups (masked below)
    low_mid, high_mid = kth((n - 1) // 2), kth(n // 2)
    index = (n - 1) * 0.9
    below = np.floor(index).astype(np.int64)
    fraction = index - below
    low, high = kth(below), kth(np.minimum(below + 1, n - 1))
    # np.quantile's _lerp: from the nearer end, so both halves are exact.
    p90 = np.where(
        fraction >= 0.5,
        high - (high - low) * (1 - fraction),
        low + (high - low) * fraction,
    )

    def rounded(values: FloatArray) -> Figures:
        return [
            round(v, 2) if present else None
            for v, present in zip(values.tolist(), has, strict=True)
        ]

    def whole(values: FloatArray) -> WholeDays:
        return [
            int(v) if present else None
            for v, present in zip(values.tolist(), has, strict=True)
        ]

    return (
        counts.tolist(),
        rounded(totals / n),
        rounded((low_mid + high_mid) / 2),
        rounded(p90),
        whole(kth(np.zeros(size, dtype=np.int64))),
        whole(kth(n - 1)),
    )


#: The statistics of a group without values (models are frozen: one is enough).
_NO_STATS = Stats(count=0, mean=None, median=None, p90=None, min=None, max=None)


def _order_statistics(
    groups: IntArray, days: IntArray, counts: IntArray, size: int
) -> Callable[[IntArray], FloatArray]:
    """Return ``kth(k)``: each group's k-th smallest value (k per group, 0-based).

    Empty groups give meaningless values, to be masked by the caller.
    """
    span = int(days.max()) + 1 if days.size else 1
    keys = groups * span + days
    if size * span <= MAX_HISTOGRAM_CELLS:
        histogram = np.bincount(keys, minlength=size * span).reshape(size, span)
        below = np.cumsum(histogram, axis=1)

        def from_histogram(k: IntArray) -> FloatArray:
            # The k-th value is the first day whose running count exceeds k.
            found: IntArray = np.count_nonzero(below <= k[:, None], axis=1)
            return found.astype(np.float64)

        return from_histogram
    ordered = np.sort(keys)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    offsets = np.arange(size) * span

    def from_sorted(k: IntArray) -> FloatArray:
        position = np.minimum(starts + k, max(len(ordered) - 1, 0))
        picked = ordered[position] - offsets if len(ordered) else np.zeros(size)
        return np.asarray(picked, dtype=np.float64)

    return from_sorted


def resolution_time_days(tickets: Tickets) -> ResolutionTimes:
    """Return resolution time statistics overall and for all four priorities."""
    cols = derived(tickets)
    days = cols.resolution_days
    has = ~np.isnan(days)
    values = days[has].astype(np.int64)
    per_priority = grouped_stats(cols.priority[has], values, len(PRIORITIES))
    return ResolutionTimes(
        overall=describe_days(days), by_priority=by_priority(per_priority)
    )
