"""Per-ticket derived columns shared by the metrics, as NumPy arrays.

Every metric starts from the same few facts about each ticket: its priority and
status as small integer codes (positions in :data:`~ticket_analysis.domain.PRIORITIES`
and :data:`~ticket_analysis.domain.STATUSES`), whether it is open or resolved, its
resolution time and its age. :class:`TicketColumns` computes each of them once,
vectorised, and shares it between the metrics, which stay short and never loop
over rows.

Dates are handled as whole day numbers (days since 1970-01-01): the validated frame
holds calendar dates at midnight, so differences are exact calendar days.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from functools import cached_property

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ticket_analysis.dates import FIRST_DATE, LAST_DATE, utc_today
from ticket_analysis.domain import (
    HIGH_PRIORITIES,
    OPEN_STATUSES,
    PRIORITIES,
    RESOLVED_STATUSES,
    STATUSES,
)

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

_IS_OPEN = np.array([s in OPEN_STATUSES for s in STATUSES])
_IS_RESOLVED = np.array([s in RESOLVED_STATUSES for s in STATUSES])
_IS_HIGH = np.array([p in HIGH_PRIORITIES for p in PRIORITIES])


def _codes(column: pd.Series, categories: Sequence[str]) -> IntArray:
    """Return each value's position in ``categories`` (validated: no unknowns)."""
    dtype = column.dtype
    if isinstance(dtype, pd.CategoricalDtype) and tuple(dtype.categories) == tuple(
        categories
    ):
        codes = column.cat.codes.to_numpy()
    else:
        codes = pd.Index(list(categories)).get_indexer(pd.Index(column.astype(object)))
    if codes.size and codes.min() < 0:
        unknown = sorted({str(v) for v in column[codes < 0].unique()})
        raise ValueError(
            f"column {column.name!r} holds values outside {list(categories)}: "
            f"{unknown[:5]}; pass the frame returned by the loader"
        )
    return codes.astype(np.int64)


class TicketColumns:
    """The derived per-ticket arrays of one frame, each computed on first use.

    Every metric function accepts either the frame or an instance of this class;
    :func:`~ticket_analysis.metrics.compute_metrics` builds one so the metrics share
    the work. Treat the arrays as read-only.
    """

    def __init__(self, tickets: pd.DataFrame) -> None:
        self.frame = tickets
        self._ages: dict[date, IntArray] = {}

    def __len__(self) -> int:
        return len(self.frame)

    @cached_property
    def priority(self) -> IntArray:
        """Each ticket's index in ``PRIORITIES`` (Low = 0)."""
        return _codes(self.frame["priority"], PRIORITIES)

    @cached_property
    def status(self) -> IntArray:
        """Each ticket's index in ``STATUSES`` (Open = 0)."""
        return _codes(self.frame["status"], STATUSES)

    @cached_property
    def open(self) -> BoolArray:
        """Whether each ticket is open (Open or In Progress)."""
        flags: BoolArray = _IS_OPEN[self.status]
        return flags

    @cached_property
    def resolved(self) -> BoolArray:
        """Whether each ticket is resolved (Resolved or Closed)."""
        flags: BoolArray = _IS_RESOLVED[self.status]
        return flags

    @cached_property
    def high_or_critical(self) -> BoolArray:
        """Whether each ticket's priority is High or Critical."""
        flags: BoolArray = _IS_HIGH[self.priority]
        return flags

    @cached_property
    def unassigned(self) -> BoolArray:
        """Whether each ticket has no ``assigned_to``."""
        flags: BoolArray = self.frame["assigned_to"].isna().to_numpy(dtype=bool)
        return flags

    @cached_property
    def created_day(self) -> IntArray:
        """created_date as days since 1970-01-01."""
        return day_numbers(self.frame["created_date"])

    @cached_property
    def resolved_day(self) -> IntArray:
        """resolved_date as days since 1970-01-01 (meaningless where missing)."""
        return day_numbers(self.frame["resolved_date"])

    @cached_property
    def has_resolution_days(self) -> BoolArray:
        """Whether each ticket has a resolution time (contract section 3).

        It does when it is resolved and its resolved_date is usable: present and
        on or after created_date. The loader already blanks unusable dates; the
        checks are repeated so a hand-built frame cannot slip a negative time in.
        """
        present = self.frame["resolved_date"].notna().to_numpy(dtype=bool)
        return present & self.resolved & (self.resolved_day >= self.created_day)

    @cached_property
    def resolution_days(self) -> FloatArray:
        """Resolution time in whole days (same day = 0), NaN where there is none."""
        days: FloatArray = np.where(
            self.has_resolution_days,
            (self.resolved_day - self.created_day).astype(np.float64),
            np.nan,
        )
        return days

    def target_days(self, targets: Sequence[int]) -> IntArray:
        """Return each ticket's SLA target in days (``targets`` in priority order)."""
        days: IntArray = np.asarray(targets, dtype=np.int64)[self.priority]
        return days

    def over_target(self, targets: Sequence[int]) -> BoolArray:
        """Whether each ticket's resolution time exceeds its priority's target.

        False where there is no resolution time (``targets`` in priority order).
        """
        with np.errstate(invalid="ignore"):
            over: BoolArray = self.resolution_days > self.target_days(targets)
        return over

    def open_at_end(self, days: IntArray) -> IntArray:
        """Return how many tickets were open at the end of each day (contract §3).

        Counted per day number in ``days``: tickets created on or before it that
        are open, or were resolved (with a usable date) after it. A resolved ticket
        without a usable date is never counted.
        """
        created, closed = self._opened_and_closed
        days = np.asarray(days, dtype=np.int64)
        opened = np.searchsorted(created, days, side="right")
        counts: IntArray = opened - np.searchsorted(closed, days, side="right")
        return counts

    @cached_property
    def _opened_and_closed(self) -> tuple[IntArray, IntArray]:
        """Sorted created days of the tickets ``open_at_end`` counts; closing days."""
        counted = self.open | self.has_resolution_days
        return (
            np.sort(self.created_day[counted]),
            np.sort(self.resolved_day[self.has_resolution_days]),
        )

    def age_days(self, as_of: date) -> IntArray:
        """Return each ticket's age on ``as_of`` in days (negative if created later)."""
        if as_of not in self._ages:
            self._ages[as_of] = date_day_number(as_of) - self.created_day
        return self._ages[as_of]


#: What every metric function accepts: the frame, or its derived columns.
Tickets = pd.DataFrame | TicketColumns


def derived(tickets: Tickets) -> TicketColumns:
    """Return the derived columns of ``tickets`` (itself if already derived)."""
    return tickets if isinstance(tickets, TicketColumns) else TicketColumns(tickets)


def day_numbers(column: pd.Series) -> IntArray:
    """Return a datetime64 column as whole days since 1970-01-01.

    A missing date gives a meaningless number: test the column itself for those.
    """
    values = column.to_numpy(dtype="datetime64[s]")
    days: IntArray = values.astype("datetime64[D]").view(np.int64)
    return days


def date_day_number(day: date) -> int:
    """Return a calendar date as whole days since 1970-01-01."""
    return int(np.datetime64(day, "D").view(np.int64))


def day_dates(days: IntArray) -> list[date]:
    """Return day numbers (since 1970-01-01) as dates."""
    dates: list[date] = days.astype("datetime64[D]").tolist()
    return dates


def default_as_of(tickets: Tickets, *, today: date | None = None) -> date | None:
    """Return the default reference date of a report (contract section 3).

    The newest date among the created_date values and the resolved_date values
    that are used (a resolved ticket's usable date; ignored dates do not count),
    leaving out dates later than the day of the run, so one future-dated row
    cannot move the report date. Dates outside the supported range (which the
    loader never lets through) are left out too.

    Args:
        tickets: The validated tickets frame (or its ``TicketColumns``).
        today: The day of the run; UTC today when None.

    Returns:
        None when no ticket has a date on or before ``today``.
    """
    cols = derived(tickets)
    if len(cols) == 0:
        return None
    first = date_day_number(FIRST_DATE)
    last = date_day_number(min(today or utc_today(), LAST_DATE))
    days = np.concatenate(
        [cols.created_day, cols.resolved_day[cols.has_resolution_days]]
    )
    days = days[(days >= first) & (days <= last)]
    if not days.size:
        return None
    return FIRST_DATE + timedelta(days=int(days.max()) - first)


def arrow_strings(column: pd.Series) -> pa.Array:
    """Return a string column as one contiguous ``large_string`` array (nulls kept)."""
    array = pa.array(column, from_pandas=True)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if array.type != pa.large_string():
        array = array.cast(pa.large_string())
    return array


def string_chunks(column: pd.Series, rows: int) -> list[pa.Array]:
    """Return a string column as ``large_string`` slices of at most ``rows`` rows.

    Zero-copy: unlike :func:`arrow_strings`, the column's chunks are never joined.
    """
    array = pa.array(column, from_pandas=True)
    chunks = array.chunks if isinstance(array, pa.ChunkedArray) else [array]
    if array.type != pa.large_string():
        chunks = [chunk.cast(pa.large_string()) for chunk in chunks]
    return [
        chunk.slice(start, rows)
        for chunk in chunks
        for start in range(0, len(chunk), rows)
    ]


def take_strings(column: pd.Series, rows: npt.NDArray[np.intp]) -> pa.Array:
    """Return the values of a string column at some positions (nulls kept).

    Only the rows taken are copied: ``ChunkedArray.take`` (and so
    ``arrow_strings(column).take(...)``) first joins every chunk of a string
    column into one array, a copy of the whole column. Rows are taken from each
    chunk in position order, then put back in the order asked for, as a
    ``large_string`` array.
    """
    array = pa.array(column, from_pandas=True)
    chunks = array.chunks if isinstance(array, pa.ChunkedArray) else [array]
    bounds = np.cumsum([0] + [len(chunk) for chunk in chunks])
    order = np.argsort(rows, kind="stable")
    ordered = np.asarray(rows, dtype=np.int64)[order]
    which = np.searchsorted(bounds, ordered, side="right") - 1
    pieces = [
        chunks[i].take(pa.array(ordered[which == i] - bounds[i]))
        for i in np.unique(which).tolist()
    ]
    inverse = np.empty(len(order), dtype=np.int64)
    inverse[order] = np.arange(len(order))
    taken = (
        pa.concat_arrays(pieces).take(pa.array(inverse))
        if pieces
        else pa.array([], array.type)
    )
    if taken.type != pa.large_string():
        taken = taken.cast(pa.large_string())
    return taken


def ranked_indices(
    counts: IntArray, names: pa.Array, limit: int = 0
) -> npt.NDArray[np.intp]:
    """Return positions ordered by count descending, then name ascending.

    Names compare by code point, like Python strings. Only the first ``limit``
    positions are computed when a limit is given (a partial sort; 0 = all).
    ``names`` must be unique and non-null.
    """
    table = pa.table({"count": pa.array(counts, pa.int64()), "name": names})
    keys = [("count", "descending"), ("name", "ascending")]
    if 0 < limit < len(counts):
        order = pc.select_k_unstable(table, k=limit, sort_keys=keys)
    else:
        order = pc.sort_indices(table, sort_keys=keys)
    result: npt.NDArray[np.intp] = order.to_numpy().astype(np.intp)
    return result
