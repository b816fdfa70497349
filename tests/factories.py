"""Build the validated tickets DataFrame of ``docs/dataframe.md`` from small dicts.

Tests describe tickets as short dicts and get back exactly the frame the loader
guarantees (dtypes, missing values, index), so metrics can be tested without a CSV
(pytest puts ``tests/`` on ``sys.path``, so ``from factories import make_tickets``)::

    tickets = make_tickets(
        [
            {"priority": "High", "status": "Resolved",
             "created_date": "2024-03-01", "resolved_date": "2024-03-04"},
            {"status": "Open", "assigned_to": "ana"},
        ]
    )

Omitted fields take the values of :data:`DEFAULTS`; ``ticket_id`` defaults to
``T001``, ``T002``... and ``line_number`` to the row's line in a file with a header.
The factory refuses a frame the loader could never return (unknown priority,
duplicate id, a resolved_date on an open ticket or before created_date...), so a
test cannot accidentally rely on data the pipeline never produces.
:func:`check_tickets_frame` checks any frame against the same guarantees.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from ticket_analysis.domain import COLUMNS, OPEN_STATUSES, PRIORITIES, STATUSES

#: Column order of the validated frame.
FRAME_COLUMNS = ("line_number", *COLUMNS)
#: The string dtype of the text columns (pandas 3 ``str``: pyarrow, NaN for missing).
STRING_DTYPE = pd.StringDtype("pyarrow", na_value=np.nan)
PRIORITY_DTYPE = pd.CategoricalDtype(list(PRIORITIES), ordered=True)
STATUS_DTYPE = pd.CategoricalDtype(list(STATUSES))

#: Field values used when a row dict leaves them out.
DEFAULTS: dict[str, Any] = {
    "customer_id": "C1",
    "subject": "",
    "description": "",
    "priority": "Medium",
    "status": "Open",
    "created_date": "2024-01-01",
    "resolved_date": None,
    "assigned_to": None,
}


def _to_date(value: Any, field: str, row: int) -> date | None:
    """Turn ``None``/``""``/a date/a datetime/``YYYY-MM-DD`` into a date or None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"row {row}: {field}={value!r} is not YYYY-MM-DD") from None


def make_tickets(
    rows: Iterable[Mapping[str, Any]] = (), *, first_line: int = 2
) -> pd.DataFrame:
    """Build a validated tickets frame from row dicts.

    Args:
        rows: One mapping per ticket; keys are column names, omitted ones take
            :data:`DEFAULTS` (``ticket_id``: ``T001``... by position).
        first_line: ``line_number`` of the first row when the row dicts give none
            (2 = the line after the header).

    Returns:
        The frame exactly as ``docs/dataframe.md`` describes it.

    Raises:
        ValueError: If a row breaks a guarantee of the validated frame.
    """
    records: list[dict[str, Any]] = []
    for i, given in enumerate(rows):
        unknown = set(given) - set(FRAME_COLUMNS)
        if unknown:
            raise ValueError(f"row {i}: unknown field(s) {sorted(unknown)}")
        row = {**DEFAULTS, "ticket_id": f"T{i + 1:03d}", **given}
        row.setdefault("line_number", first_line + i)
        for field in ("ticket_id", "customer_id", "subject", "description"):
            row[field] = str(row[field] or "").strip()
        for field in ("ticket_id", "customer_id"):
            if not row[field]:
                raise ValueError(f"row {i}: {field} is required")
        if row["priority"] not in PRIORITIES:
            raise ValueError(f"row {i}: priority {row['priority']!r} is invalid")
        if row["status"] not in STATUSES:
            raise ValueError(f"row {i}: status {row['status']!r} is invalid")
        created = _to_date(row["created_date"], "created_date", i)
        if created is None:
            raise ValueError(f"row {i}: created_date is required")
        resolved = _to_date(row["resolved_date"], "resolved_date", i)
        if resolved is not None and row["status"] in OPEN_STATUSES:
            raise ValueError(
                f"row {i}: an {row['status']} ticket has no resolved_date in the "
                "validated frame (the loader blanks it)"
            )
        if resolved is not None and resolved < created:
            raise ValueError(
                f"row {i}: resolved_date before created_date is blanked by the "
                "loader; pass resolved_date=None"
            )
        row["created_date"], row["resolved_date"] = created, resolved
        assigned = str(row["assigned_to"] or "").strip()
        row["assigned_to"] = assigned or None
        records.append(row)

    ids = [r["ticket_id"] for r in records]
    if len(set(ids)) != len(ids):
        raise ValueError("ticket_id values must be unique")

    def column(name: str) -> list[Any]:
        return [r[name] for r in records]

    def dates(name: str) -> pd.Series:
        values = [
            np.datetime64(d, "s") if d else np.datetime64("NaT", "s")
            for d in column(name)
        ]
        return pd.Series(np.array(values, dtype="datetime64[s]"), name=name)

    frame = pd.DataFrame(
        {
            "line_number": pd.Series(column("line_number"), dtype="int64"),
            "ticket_id": pd.Series(column("ticket_id"), dtype=STRING_DTYPE),
            "customer_id": pd.Series(column("customer_id"), dtype=STRING_DTYPE),
            "subject": pd.Series(column("subject"), dtype=STRING_DTYPE),
            "description": pd.Series(column("description"), dtype=STRING_DTYPE),
            "priority": pd.Series(column("priority"), dtype=PRIORITY_DTYPE),
            "status": pd.Series(column("status"), dtype=STATUS_DTYPE),
            "created_date": dates("created_date"),
            "resolved_date": dates("resolved_date"),
            "assigned_to": pd.Series(column("assigned_to"), dtype=STRING_DTYPE),
        },
        columns=list(FRAME_COLUMNS),
    )
    check_tickets_frame(frame)
    return frame


def check_tickets_frame(frame: pd.DataFrame) -> None:
    """Assert that ``frame`` keeps every guarantee of ``docs/dataframe.md``.

    Args:
        frame: A tickets frame (from the loader or :func:`make_tickets`).

    Raises:
        AssertionError: Listing every broken guarantee at once.
    """
    problems: list[str] = []
    if tuple(frame.columns) != FRAME_COLUMNS:
        problems.append(f"columns {list(frame.columns)} != {list(FRAME_COLUMNS)}")
    else:
        expected = {
            "line_number": np.dtype("int64"),
            "ticket_id": STRING_DTYPE,
            "customer_id": STRING_DTYPE,
            "subject": STRING_DTYPE,
            "description": STRING_DTYPE,
            "priority": PRIORITY_DTYPE,
            "status": STATUS_DTYPE,
            "created_date": np.dtype("datetime64[s]"),
            "resolved_date": np.dtype("datetime64[s]"),
            "assigned_to": STRING_DTYPE,
        }
        for name, dtype in expected.items():
            if frame[name].dtype != dtype:
                problems.append(f"{name}: dtype {frame[name].dtype!r} != {dtype!r}")
        if not problems:
            problems.extend(_value_problems(frame))
    if not isinstance(frame.index, pd.RangeIndex) or (
        len(frame) and (frame.index.start, frame.index.step) != (0, 1)
    ):
        problems.append(f"index is {frame.index!r}, expected RangeIndex from 0")
    assert not problems, "invalid tickets frame:\n- " + "\n- ".join(problems)


def _value_problems(frame: pd.DataFrame) -> list[str]:
    """Return the broken value guarantees of a frame with the right dtypes."""
    problems: list[str] = []
    for name in ("ticket_id", "customer_id", "priority", "status", "created_date"):
        if frame[name].isna().any():
            problems.append(f"{name} has missing values")
    for name in ("ticket_id", "customer_id"):
        text = frame[name].fillna("")
        if (text == "").any() or (text != text.str.strip()).any():
            problems.append(f"{name} has empty or untrimmed values")
    for name in ("subject", "description"):
        if frame[name].isna().any():
            problems.append(f"{name} has missing values (expected '')")
    assigned = frame["assigned_to"].dropna()
    if (assigned == "").any() or (assigned != assigned.str.strip()).any():
        problems.append("assigned_to has empty or untrimmed values (expected NaN)")
    if frame["ticket_id"].duplicated().any():
        problems.append("ticket_id is not unique")
    has_date = frame["resolved_date"].notna()
    if (has_date & frame["status"].isin(OPEN_STATUSES)).any():
        problems.append("resolved_date set on an open ticket")
    if (has_date & (frame["resolved_date"] < frame["created_date"])).any():
        problems.append("resolved_date before created_date")
    return problems
