"""The action list: open tickets past their priority's SLA target (contract §3).

A ticket is overdue when it is open and its age on ``as_of`` exceeds its
priority's target (exactly at the target is not overdue). The list is ordered by
priority (Critical first), then overdue days descending, then ticket_id (code
points, like Python strings). :func:`overdue_frame` holds every overdue ticket,
for ``overdue_tickets.csv``; :func:`overdue_open` is the summary block, its list
capped.

Only the overdue rows are ever taken out of the frame (``take_strings``), and
the order is one pyarrow sort of their keys; a capped list is a partial sort.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ticket_analysis.domain import PRIORITIES, STATUSES
from ticket_analysis.metrics.columns import (
    IntArray,
    TicketColumns,
    Tickets,
    derived,
    take_strings,
)
from ticket_analysis.summary_parts import OverdueOpen, OverdueTicket, by_priority

logger = logging.getLogger(__name__)

#: The columns of :func:`overdue_frame` (and of ``overdue_tickets.csv``), in order.
OVERDUE_COLUMNS = (
    "ticket_id",
    "customer_id",
    "priority",
    "status",
    "assigned_to",
    "created_date",
    "age_days",
    "target_days",
    "overdue_days",
)
#: Dates stay pyarrow dates in the frame (no Python object per row).
_DATES = {pa.date32(): pd.ArrowDtype(pa.date32())}


class _Overdue:
    """The overdue rows of a frame, their keys, and their list order."""

    def __init__(self, tickets: Tickets, as_of: date, targets: Sequence[int]) -> None:
        if len(targets) != len(PRIORITIES):
            raise ValueError(
                f"expected {len(PRIORITIES)} targets (one per priority, "
                f"{', '.join(PRIORITIES)}), got {list(targets)}"
            )
        cols = derived(tickets)
        ages = cols.age_days(as_of)
        target = cols.target_days(targets)
        self.cols: TicketColumns = cols
        self.rows: npt.NDArray[np.intp] = np.flatnonzero(cols.open & (ages > target))
        self.ages: IntArray = ages[self.rows]
        self.targets: IntArray = target[self.rows]
        self.ids: pa.Array = take_strings(cols.frame["ticket_id"], self.rows)

    @property
    def overdue_days(self) -> IntArray:
        """Days past the target, per overdue row."""
        days: IntArray = self.ages - self.targets
        return days

    def order(self, limit: int = 0) -> npt.NDArray[np.intp]:
        """Return positions (into the overdue rows) in list order; at most ``limit``.

        0 = all. Ticket ids are unique, so the order is total and a partial
        sort gives the same first rows as a full one.
        """
        table = pa.table(
            {
                "priority": pa.array(self.cols.priority[self.rows]),
                "overdue": pa.array(self.overdue_days),
                "id": self.ids,
            }
        )
        keys = [
            ("priority", "descending"),
            ("overdue", "descending"),
            ("id", "ascending"),
        ]
        if 0 < limit < len(self.rows):
            order = pc.select_k_unstable(table, k=limit, sort_keys=keys)
        else:
            order = pc.sort_indices(table, sort_keys=keys)
        positions: npt.NDArray[np.intp] = order.to_numpy().astype(np.intp)
        return positions

    def table(self, positions: npt.NDArray[np.intp]) -> pa.Table:
        """Return the :data:`OVERDUE_COLUMNS` of the overdue rows at ``positions``.

        Rows in the order of ``positions``; priority and status as dictionary
        columns (the priority's ordered), created_date as ``date32``.
        """
        rows = self.rows[positions]
        frame = self.cols.frame
        columns = {
            "ticket_id": self.ids.take(pa.array(positions, pa.int64())),
            "customer_id": take_strings(frame["customer_id"], rows),
            "priority": _names(self.cols.priority[rows], PRIORITIES, ordered=True),
            "status": _names(self.cols.status[rows], STATUSES, ordered=False),
            "assigned_to": take_strings(frame["assigned_to"], rows),
            "created_date": pa.array(
                self.cols.created_day[rows].astype(np.int32), pa.int32()
            ).cast(pa.date32()),
            "age_days": pa.array(self.ages[positions], pa.int64()),
            "target_days": pa.array(self.targets[positions], pa.int64()),
            "overdue_days": pa.array(self.overdue_days[positions], pa.int64()),
        }
        return pa.table(columns)


def _names(
    codes: IntArray, names: Sequence[str], *, ordered: bool
) -> pa.DictionaryArray:
    """Return codes (positions in ``names``) as a dictionary array of the names."""
    return pa.DictionaryArray.from_arrays(
        pa.array(codes, pa.int8()), pa.array(names, pa.string()), ordered=ordered
    )


def overdue_frame(
    tickets: Tickets, as_of: date, targets: Sequence[int]
) -> pd.DataFrame:
    """Return every overdue open ticket, in list order (uncapped).

    Columns are :data:`OVERDUE_COLUMNS`: text columns as strings (``assigned_to``
    missing when unassigned), priority and status as categoricals (the
    priority's ordered), created_date as dates (pyarrow ``date32``, written
    ``YYYY-MM-DD``), the day counts as int64.

    Args:
        tickets: The tickets in scope (or their ``TicketColumns``).
        as_of: The report's reference date.
        targets: SLA target days per priority, lowest priority first.
    """
    overdue = _Overdue(tickets, as_of, targets)
    table = overdue.table(overdue.order())
    frame: pd.DataFrame = table.to_pandas(types_mapper=_DATES.get)
    logger.debug("%d overdue open tickets on %s", len(frame), as_of)
    return frame


def overdue_open(
    tickets: Tickets, as_of: date, targets: Sequence[int], list_limit: int = 100
) -> OverdueOpen:
    """Return the ``overdue_open`` block: counts of every overdue ticket, a list.

    ``count``, ``unassigned`` and ``by_priority`` (all four) cover every overdue
    ticket; ``tickets`` lists the first ``list_limit`` of them in list order
    (0 = all).

    Args:
        tickets: The tickets in scope (or their ``TicketColumns``).
        as_of: The report's reference date.
        targets: SLA target days per priority, lowest priority first.
        list_limit: Cap on the listed tickets (0 = no cap).
    """
    if list_limit < 0:
        raise ValueError(f"list_limit must be >= 0, got {list_limit}")
    overdue = _Overdue(tickets, as_of, targets)
    cols = overdue.cols
    counts = np.bincount(cols.priority[overdue.rows], minlength=len(PRIORITIES))
    listed = overdue.table(overdue.order(list_limit)).to_pylist()
    return OverdueOpen(
        count=int(overdue.rows.size),
        unassigned=int(np.count_nonzero(cols.unassigned[overdue.rows])),
        by_priority=by_priority(counts.tolist()),
        tickets=[OverdueTicket(**ticket) for ticket in listed],
    )
