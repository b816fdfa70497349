"""The structure of a generated file: dates, ids, customers, agents, statuses.

Every per-row decision is drawn up front as numpy arrays from one seeded
generator (:func:`structure`, then :func:`benchmarks.generator.defects.add_defects`
from the same generator), so that the text of each row is a pure function of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Final

import numpy as np

from benchmarks.generator.text import IntArray, KeyArray
from benchmarks.generator.vocabulary import FIRST_NAMES, LAST_NAMES

#: Indices into :data:`STATUSES` (the contract's order).
OPEN, IN_PROGRESS, RESOLVED, CLOSED = range(4)

START_DATE: Final = dt.date(2023, 1, 1)
END_DATE: Final = dt.date(2024, 12, 31)
N_DAYS: Final = (END_DATE - START_DATE).days + 1
END_DAY: Final = N_DAYS - 1
NO_DATE: Final = -10_000  # sentinel day for "no resolved date"
FIRST_DATE_DAY: Final = -20  # earliest day a defect can produce (resolved < created)

PRIORITY_SHARES: Final = (0.30, 0.42, 0.20, 0.08)
#: Mean resolution delay in days by priority (Low, Medium, High, Critical).
DELAY_MEAN_DAYS: Final = (8.0, 4.0, 1.8, 0.7)
MAX_DELAY_DAYS: Final = 30


@dataclass
class Plan:
    """Every per-row decision, made up front so that the text is a pure function.

    Attributes:
        created: Created day (days since :data:`START_DATE`).
        resolved: Resolved day, or ``NO_DATE``.
        ticket_width: Zero-padded width of the ticket number.
        customer: Index into ``customer_num`` per row.
        customer_width: Zero-padded width of the customer number.
        priority: Index into :data:`PRIORITIES`.
        status: Index into :data:`STATUSES`.
        agent: Index into ``agent_names``; ``-1`` when unassigned.
        key: Per-row 64-bit key the subject and description are derived from.
        overrides: Per column, sorted row indices and the raw value to write instead.
        ragged: Sorted row indices of ragged rows and the kind of damage (0–2).
    """

    rows: int
    created: IntArray
    resolved: IntArray
    ticket_num: IntArray
    ticket_width: int
    customer: IntArray
    customer_num: IntArray
    customer_width: int
    priority: IntArray
    status: IntArray
    agent: IntArray
    agent_names: list[str]
    key: KeyArray
    overrides: dict[str, tuple[IntArray, list[str]]] = field(default_factory=dict)
    ragged: tuple[IntArray, IntArray] = field(
        default_factory=lambda: (np.empty(0, np.int64), np.empty(0, np.int64))
    )
    defects: dict[str, int] = field(default_factory=dict)


def created_days(rng: np.random.Generator, rows: int) -> IntArray:
    """Draw sorted created days with growth, a weekly rhythm and a December dip."""
    days = np.arange(N_DAYS)
    weekday = (START_DATE.weekday() + days) % 7
    weekday_factor = np.array([1.15, 1.1, 1.05, 1.05, 0.95, 0.35, 0.3])[weekday]
    month = np.array([(START_DATE + dt.timedelta(days=int(day))).month for day in days])
    month_factor = np.where(month == 12, 0.8, 1.0) * np.where(month == 1, 1.1, 1.0)
    weights = (1.0 + 0.6 * days / N_DAYS) * weekday_factor * month_factor
    created = rng.choice(N_DAYS, size=rows, p=weights / weights.sum())
    return np.sort(created).astype(np.int64)


def customers(rng: np.random.Generator, rows: int) -> tuple[IntArray, IntArray]:
    """Assign rows to about ``rows / 4`` customers with long-tailed ticket counts.

    Every customer gets at least one ticket; the rest are shared in proportion to
    lognormal weights, so the counts have a heavy (Zipf-like) tail. Returns the
    customer index per row and the customer number per customer.
    """
    n_customers = max(1, round(rows / 4)) if rows else 0
    weights = rng.lognormal(0.0, 1.5, n_customers)
    share = (rows - n_customers) * weights / max(weights.sum(), 1e-12)
    counts = 1 + np.floor(share).astype(np.int64)
    missing = rows - int(counts.sum())
    if missing > 0:
        counts[np.argsort(np.floor(share) - share, kind="stable")[:missing]] += 1
    per_row = rng.permutation(np.repeat(np.arange(n_customers, dtype=np.int64), counts))
    numbers = 10_000 + np.cumsum(rng.integers(1, 8, n_customers))
    return per_row, rng.permutation(numbers).astype(np.int64)


def agent_names(rng: np.random.Generator, count: int) -> list[str]:
    """Return ``count`` distinct ``First Last`` agent names."""
    combos = rng.choice(len(FIRST_NAMES) * len(LAST_NAMES), count, replace=False)
    return [
        f"{FIRST_NAMES[c // len(LAST_NAMES)]} {LAST_NAMES[c % len(LAST_NAMES)]}"
        for c in combos.tolist()
    ]


def structure(rng: np.random.Generator, rows: int) -> Plan:
    """Decide every row's structure (the defects come next, from the same ``rng``)."""
    created = created_days(rng, rows)
    gaps = np.where(rng.random(rows) < 0.02, rng.integers(1, 4, rows), 0)
    ticket_num = 100_001 + np.arange(rows, dtype=np.int64) + np.cumsum(gaps)
    customer, customer_num = customers(rng, rows)
    priority = rng.choice(4, size=rows, p=PRIORITY_SHARES).astype(np.int64)

    # Resolution: a delay skewed by priority; still open when it would end after the
    # export, plus a small stale backlog that is likelier for recent tickets.
    delay_mean = np.asarray(DELAY_MEAN_DAYS)[priority]
    delay = np.minimum(np.floor(rng.exponential(delay_mean)), MAX_DELAY_DAYS)
    done_day = created + delay.astype(np.int64)
    age = END_DAY - created
    stale = rng.random(rows) < 0.012 + 0.2 * np.exp(-age / 30.0)
    is_open = (done_day > END_DAY) | stale
    in_progress = rng.random(rows) < 0.45
    closed = (END_DAY - done_day > 7) & (rng.random(rows) < 0.7)
    status = np.where(
        is_open,
        np.where(in_progress, IN_PROGRESS, OPEN),
        np.where(closed, CLOSED, RESOLVED),
    ).astype(np.int64)
    resolved = np.where(is_open, NO_DATE, done_day).astype(np.int64)

    n_agents = int(np.clip(round(10 * np.log10(max(rows, 10)) - 10), 20, 50))
    agent_weights = rng.lognormal(0.0, 0.7, n_agents)
    agent = rng.choice(n_agents, size=rows, p=agent_weights / agent_weights.sum())
    unassigned_p = np.select(
        [status == OPEN, status == IN_PROGRESS], [0.35, 0.0], default=0.04
    )
    agent = np.where(rng.random(rows) < unassigned_p, -1, agent).astype(np.int64)
    key = rng.integers(0, np.iinfo(np.uint64).max, rows, dtype=np.uint64, endpoint=True)

    return Plan(
        rows=rows,
        created=created,
        resolved=resolved,
        ticket_num=ticket_num,
        ticket_width=max(6, len(str(int(ticket_num[-1]) if rows else 0))),
        customer=customer,
        customer_num=customer_num,
        customer_width=max(5, len(str(int(customer_num.max()) if rows else 0))),
        priority=priority,
        status=status,
        agent=agent,
        agent_names=agent_names(rng, n_agents),
        key=key,
    )


def date_of(day: int) -> dt.date:
    """Return the calendar date of a day number (days since :data:`START_DATE`)."""
    return START_DATE + dt.timedelta(days=day)
