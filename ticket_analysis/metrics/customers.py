"""Customers with unusually many tickets: candidates for an escalation review."""

from __future__ import annotations

import numpy as np
import pyarrow.compute as pc

from ticket_analysis.metrics.columns import (
    Tickets,
    arrow_strings,
    derived,
    ranked_indices,
)
from ticket_analysis.summary_parts import Escalation, EscalationCustomer


def escalation_candidates(
    tickets: Tickets, *, threshold: int = 5, list_limit: int = 100
) -> Escalation:
    """Return the customers with more than ``threshold`` valid tickets.

    A customer with exactly ``threshold`` tickets is not a candidate. At most
    ``list_limit`` customers are listed (0 = all), by tickets descending, then
    customer_id; ``count`` always covers every candidate.
    """
    cols = derived(tickets)
    encoded = pc.dictionary_encode(arrow_strings(cols.frame["customer_id"]))
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    size = len(encoded.dictionary)
    counts = np.bincount(codes, minlength=size)
    flagged = np.flatnonzero(counts > threshold)
    ids = encoded.dictionary.take(flagged)
    chosen = flagged[ranked_indices(counts[flagged], ids, list_limit)]
    open_counts = np.bincount(codes[cols.open], minlength=size)
    high_counts = np.bincount(codes[cols.high_or_critical], minlength=size)
    columns = zip(
        encoded.dictionary.take(chosen).to_pylist(),
        counts[chosen].tolist(),
        open_counts[chosen].tolist(),
        high_counts[chosen].tolist(),
        strict=True,
    )
    return Escalation(
        threshold=threshold,
        count=int(flagged.size),
        customers=[
            EscalationCustomer(
                customer_id=customer_id, tickets=n, open=n_open, high_or_critical=n_high
            )
            for customer_id, n, n_open, n_high in columns
        ],
    )
