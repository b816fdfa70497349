"""The defects of a generated file: which rows, which kind, and the damaged values.

:func:`add_defects` gives ``round(rows * defect_rate)`` random rows exactly one
defect each, apportioned by weight over :data:`DEFECT_KINDS`, by editing the plan
(overridden values, re-used ids, moved dates) before any text is written;
:func:`ragged_line` damages a record's field count at writing time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from benchmarks.generator.plan import (
    CLOSED,
    END_DAY,
    IN_PROGRESS,
    NO_DATE,
    OPEN,
    RESOLVED,
    Plan,
    date_of,
)
from ticket_analysis.domain import COLUMNS, PRIORITIES

#: Defect kinds and their relative weights. Each defect row carries exactly one.
#: ``priority_case`` (mostly lower-case, some upper-case priorities) and
#: ``status_variant`` (``in-progress``, ``CLOSED``) are fixable warnings;
#: ``unknown_priority`` (``Urgent``, ``P1``), ``unknown_status`` (``Pending``),
#: ``empty_required_field``, ``ragged_row`` (a field too many or too few) and
#: ``duplicate_ticket_id`` (an exact re-exported row or an id collision) are
#: rejections; ``impossible_date`` (``2024-02-30``) and ``non_iso_date``
#: (``12/01/2024``) reject the row when they hit created_date and are a warning on
#: resolved_date; ``resolved_before_created`` and ``status_date_mismatch``
#: (Resolved without a date, Open with one) are warnings.
DEFECT_WEIGHTS: Final[Mapping[str, float]] = {
    "priority_case": 1.5,
    "unknown_priority": 1.0,
    "impossible_date": 1.2,
    "non_iso_date": 1.2,
    "duplicate_ticket_id": 1.2,
    "resolved_before_created": 1.0,
    "ragged_row": 0.8,
    "empty_required_field": 1.0,
    "status_variant": 0.8,
    "unknown_status": 0.6,
    "status_date_mismatch": 0.7,
}
DEFECT_KINDS: Final = tuple(DEFECT_WEIGHTS)

PRIORITY_UNKNOWN: Final = ("Urgent", "P1", "P2", "Normal", "Highest", "ASAP", "Med")
STATUS_UNKNOWN: Final = (
    "Pending", "On Hold", "Waiting on customer", "Reopened", "Escalated", "Done",
)  # fmt: skip
STATUS_VARIANTS: Final = (
    ("open", "OPEN", "open"),
    ("in-progress", "IN_PROGRESS", "in progress", "In progress", "in_progress"),
    ("resolved", "RESOLVED", "resolved"),
    ("closed", "CLOSED", "closed"),
)
IMPOSSIBLE_MONTH_DAYS: Final = (
    (2, 30), (2, 31), (4, 31), (6, 31), (9, 31), (11, 31), (13, 5), (0, 12), (7, 0),
    (3, 32),
)  # fmt: skip
RAGGED_DESCRIPTIONS: Final = (
    "Still broken, see attached",
    "Called twice already, no answer",
    "Works on mobile, not on desktop",
)
REQUIRED_FIELD_WEIGHTS: Final = (
    ("ticket_id", 0.1), ("customer_id", 0.3), ("priority", 0.2), ("status", 0.15),
    ("created_date", 0.25),
)  # fmt: skip


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` by ``weights`` (largest remainder), at least 1 each if possible.

    The counts are non-negative and sum to ``total``.
    """
    k = len(weights)
    floor_each = 1 if total >= k else 0
    rest = total - floor_each * k
    exact = [rest * w / sum(weights) for w in weights]
    counts = [floor_each + int(x) for x in exact]
    by_remainder = sorted(range(k), key=lambda i: (int(exact[i]) - exact[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def impossible_date(day: int, r: float) -> str:
    """Return an ISO-shaped non-date in ``day``'s year (``2024-02-30``)."""
    year = date_of(day).year
    options = list(IMPOSSIBLE_MONTH_DAYS)
    if year % 4:  # 29 February only exists in leap years
        options.append((2, 29))
    month, dom = options[int(r * len(options))]
    return f"{year:04d}-{month:02d}-{dom:02d}"


def non_iso_date(day: int, r: float) -> str:
    """Return a real date in a non-ISO format (``12/01/2024``, ``Jan 5, 2024``)."""
    d = date_of(day)
    if r < 0.45:
        return f"{d.month:02d}/{d.day:02d}/{d.year}"
    if r < 0.65:
        return f"{d.day:02d}.{d.month:02d}.{d.year}"
    if r < 0.78:
        return f"{d.year}/{d.month:02d}/{d.day:02d}"
    if r < 0.86:
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if r < 0.94:
        return f"{d:%b} {d.day}, {d.year}"
    return f"{d.year}-{d.month}-{d.day}"


def add_defects(plan: Plan, rng: np.random.Generator, defect_rate: float) -> None:
    """Give ``round(rows * defect_rate)`` random rows one defect each, in place."""
    rows = plan.rows
    n_defects = round(rows * defect_rate)
    counts = apportion(n_defects, list(DEFECT_WEIGHTS.values()))
    plan.defects = dict(zip(DEFECT_KINDS, counts, strict=True))
    if n_defects == 0:
        return
    positions = rng.choice(rows, size=n_defects, replace=False)
    kinds = rng.permutation(np.repeat(np.arange(len(DEFECT_KINDS)), counts))
    order = np.argsort(positions, kind="stable")
    positions, kinds = positions[order], kinds[order]
    clean = np.setdiff1d(np.arange(rows), positions, assume_unique=True)
    draws = rng.random((n_defects, 2)).tolist()

    overrides: dict[str, dict[int, str]] = {name: {} for name in COLUMNS}
    ragged: dict[int, int] = {}
    field_names = [name for name, _ in REQUIRED_FIELD_WEIGHTS]
    field_cdf = np.cumsum([w for _, w in REQUIRED_FIELD_WEIGHTS]).tolist()
    per_row: list[npt.NDArray[Any]] = [plan.created, plan.resolved, plan.ticket_num]
    per_row += [plan.customer, plan.priority, plan.status, plan.agent, plan.key]

    for i, kind_index, (r1, r2) in zip(
        positions.tolist(), kinds.tolist(), draws, strict=True
    ):
        kind = DEFECT_KINDS[kind_index]
        has_resolved = int(plan.resolved[i]) != NO_DATE
        if kind == "priority_case":
            name = PRIORITIES[int(plan.priority[i])]
            overrides["priority"][i] = name.upper() if r1 < 0.2 else name.lower()
        elif kind == "unknown_priority":
            overrides["priority"][i] = PRIORITY_UNKNOWN[int(r1 * 7)]
        elif kind in ("impossible_date", "non_iso_date"):
            column = "resolved_date" if has_resolved and r2 < 0.3 else "created_date"
            day = int(
                plan.resolved[i] if column == "resolved_date" else plan.created[i]
            )
            text = (impossible_date if kind == "impossible_date" else non_iso_date)(
                day, r1
            )
            overrides[column][i] = text
        elif kind == "duplicate_ticket_id":
            if clean.size:
                before = int(np.searchsorted(clean, i))
                lo = max(0, before - 1000)
                j = int(clean[lo + int(r1 * (before - lo))] if before else clean[0])
            else:
                j = (i + 1) % rows
            if r2 < 0.5:  # the same ticket exported twice
                for array in per_row:
                    array[i] = array[j]
            else:  # an id collision between two different tickets
                plan.ticket_num[i] = plan.ticket_num[j]
        elif kind == "resolved_before_created":
            plan.status[i] = CLOSED if r1 < 0.6 else RESOLVED
            plan.resolved[i] = plan.created[i] - 1 - int(r2 * 10)
        elif kind == "ragged_row":
            ragged[i] = int(r1 * 3)
        elif kind == "empty_required_field":
            name = field_names[int(np.searchsorted(field_cdf, r1 * field_cdf[-1]))]
            overrides[name][i] = " " if r2 < 0.15 else ""
        elif kind == "status_variant":
            variants = STATUS_VARIANTS[int(plan.status[i])]
            overrides["status"][i] = variants[int(r1 * len(variants))]
        elif kind == "unknown_status":
            overrides["status"][i] = STATUS_UNKNOWN[int(r1 * len(STATUS_UNKNOWN))]
        elif kind == "status_date_mismatch":
            if has_resolved and r1 < 0.5:  # Resolved/Closed without a date
                plan.resolved[i] = NO_DATE
            elif has_resolved:  # reopened, the old date left behind
                plan.status[i] = OPEN if r2 < 0.5 else IN_PROGRESS
            else:  # open ticket with a resolved date
                plan.resolved[i] = min(int(plan.created[i]) + int(r2 * 5), END_DAY)

    plan.overrides = {
        name: (
            np.fromiter(sorted(values), np.int64, len(values)),
            [values[k] for k in sorted(values)],
        )
        for name, values in overrides.items()
        if values
    }
    ragged_rows = sorted(ragged)
    plan.ragged = (
        np.asarray(ragged_rows, dtype=np.int64),
        np.asarray([ragged[k] for k in ragged_rows], dtype=np.int64),
    )


def ragged_line(fields: list[str], kind: int, r: int) -> str:
    """Damage one record so that it has a field too many or too few.

    Args:
        fields: The record's nine fields, already CSV-quoted.
        kind: 0 = an unquoted comma in the description, 1 = the last field missing,
            2 = an extra trailing field.
        r: Chooses the replacement description for kind 0.
    """
    if kind == 0:
        fields = [*fields]
        fields[3] = RAGGED_DESCRIPTIONS[r % len(RAGGED_DESCRIPTIONS)]
    elif kind == 1:
        fields = fields[:-1]
    else:
        fields = [*fields, "see email"]
    return ",".join(fields)
