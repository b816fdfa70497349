"""The tickets a report covers, as they stood at the end of its as_of day.

Contract section 3: rows created after as_of are out of scope, the filters narrow
the rest to a slice, and a ticket resolved after as_of was still being worked on
that day, so it counts as In Progress with no resolved date. With the default
as_of and no filter the frame is returned as it is (no copy).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from ticket_analysis.domain import RESOLVED_STATUSES
from ticket_analysis.summary import Filters, Scope


def select_scope(
    tickets: pd.DataFrame, as_of: date, filters: Filters
) -> tuple[pd.DataFrame, Scope]:
    """Return the tickets in scope, as they stood on ``as_of``, and their accounting.

    A row both created after as_of and filtered out counts as created after as_of.
    """
    created = tickets["created_date"].to_numpy(dtype="datetime64[s]")
    after = created > np.datetime64(as_of, "s")
    match = np.ones(len(tickets), dtype=bool)
    for column, wanted in (
        ("assigned_to", filters.agent),
        ("customer_id", filters.customer),
        ("priority", filters.priority),
    ):
        if wanted is not None:
            match &= (tickets[column] == wanted).to_numpy(dtype=bool, na_value=False)
    keep = ~after & match
    scope = Scope(
        filters=filters,
        tickets_in_scope=int(keep.sum()),
        created_after_as_of=int(after.sum()),
        filtered_out=int((~after & ~match).sum()),
    )
    selected = tickets if keep.all() else tickets[keep].reset_index(drop=True)
    return as_at(selected, as_of), scope


def as_at(tickets: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Return ``tickets`` as they stood at the end of ``as_of``.

    A Resolved/Closed ticket whose resolved_date is after as_of becomes In
    Progress with no resolved_date; ``tickets`` itself when there is none.
    """
    resolved_day = tickets["resolved_date"].to_numpy(dtype="datetime64[s]")
    later = (resolved_day > np.datetime64(as_of, "s")) & tickets["status"].isin(
        RESOLVED_STATUSES
    ).to_numpy(dtype=bool)
    if not later.any():
        return tickets
    frame = tickets.copy()
    frame["status"] = frame["status"].mask(later, "In Progress")
    frame["resolved_date"] = frame["resolved_date"].mask(later)
    return frame
