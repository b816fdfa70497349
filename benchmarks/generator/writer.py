"""Writing a generated file: the plan rendered as RFC 4180 CSV in chunks.

Each chunk of rows is assembled column-wise (``pyarrow.compute``), quoted where a
field needs it, joined into CRLF-terminated lines and written from the Arrow
buffer as is; only the ragged rows are rebuilt in Python.
"""

from __future__ import annotations

import io
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from benchmarks.generator.defects import add_defects, ragged_line
from benchmarks.generator.plan import (
    END_DAY,
    FIRST_DATE_DAY,
    NO_DATE,
    Plan,
    date_of,
    structure,
)
from benchmarks.generator.text import (
    IntArray,
    Slots,
    concat,
    csv_field,
    descriptions,
    digits,
    pick,
    strings,
    subjects,
)
from ticket_analysis.domain import COLUMNS, PRIORITIES, STATUSES

CHUNK_ROWS: Final = 200_000  # string assembly granularity; does not affect output
NEWLINE: Final = "\r\n"


@dataclass
class GenerationResult:
    """What :func:`write_csv` produced (rows exclude the header; defects per kind)."""

    path: Path
    rows: int
    bytes: int
    seconds: float
    defects: dict[str, int]


def date_lookup() -> Any:
    """Return ISO date strings for every day a plan can use, plus ``""`` last.

    Index ``day - FIRST_DATE_DAY``, and ``-1`` for no date.
    """
    days = range(FIRST_DATE_DAY, END_DAY + 1)
    return strings([date_of(day).isoformat() for day in days] + [""])


def date_column(days: IntArray, lookup: Any) -> Any:
    """Format day numbers as ISO dates (``""`` for ``NO_DATE``)."""
    index = np.where(days == NO_DATE, len(lookup) - 1, days - FIRST_DATE_DAY)
    return lookup.take(pa.array(index))


def render_chunk(plan: Plan, lo: int, hi: int, dates: Any) -> Any:
    """Render rows ``lo:hi`` as CSV lines, each ending in CRLF."""
    key = plan.key[lo:hi]
    slots = Slots(key)
    agents = strings([*plan.agent_names, ""])
    agent = plan.agent[lo:hi]
    columns: dict[str, Any] = {
        "ticket_id": concat("TKT-", digits(plan.ticket_num[lo:hi], plan.ticket_width)),
        "customer_id": concat(
            "CUST-",
            digits(plan.customer_num[plan.customer[lo:hi]], plan.customer_width),
        ),
        "subject": subjects(key, slots),
        "description": descriptions(key, slots),
        "priority": pick(PRIORITIES, plan.priority[lo:hi]),
        "status": pick(STATUSES, plan.status[lo:hi]),
        "created_date": date_column(plan.created[lo:hi], dates),
        "resolved_date": date_column(plan.resolved[lo:hi], dates),
        "assigned_to": agents.take(
            pa.array(np.where(agent < 0, len(agents) - 1, agent))
        ),
    }
    # Only free text and overridden values can contain a comma, quote or newline.
    may_need_quotes = {"subject", "description", "assigned_to"}
    for name, (rows, values) in plan.overrides.items():
        a, b = np.searchsorted(rows, [lo, hi])
        if a == b:
            continue
        may_need_quotes.add(name)
        mask = np.zeros(hi - lo, dtype=bool)
        mask[rows[a:b] - lo] = True
        columns[name] = pc.replace_with_mask(
            columns[name], pa.array(mask), strings(values[a:b])
        )
    fields = [
        csv_field(columns[name]) if name in may_need_quotes else columns[name]
        for name in COLUMNS
    ]
    lines = pc.binary_join_element_wise(*fields, ",")

    ragged_rows, ragged_kinds = plan.ragged
    a, b = np.searchsorted(ragged_rows, [lo, hi])
    if a != b:
        local = ragged_rows[a:b] - lo
        damaged = [
            ragged_line([f[k].as_py() for f in fields], kind, k)
            for k, kind in zip(local.tolist(), ragged_kinds[a:b].tolist(), strict=True)
        ]
        mask = np.zeros(hi - lo, dtype=bool)
        mask[local] = True
        lines = pc.replace_with_mask(lines, pa.array(mask), strings(damaged))
    return concat(lines, NEWLINE)


def utf8_view(lines: Any) -> memoryview:
    """Return the concatenated UTF-8 values of a string array without copying."""
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)
    first, last = int(offsets[lines.offset]), int(offsets[lines.offset + len(lines)])
    return memoryview(lines.buffers()[2])[first:last]


def write_rows(
    out: BinaryIO, rows: int, seed: int, defect_rate: float
) -> dict[str, int]:
    """Generate the CSV into an open binary stream; return rows per defect kind."""
    rng = np.random.default_rng(seed)
    plan = structure(rng, rows)
    add_defects(plan, rng, defect_rate)
    out.write((",".join(COLUMNS) + NEWLINE).encode())
    dates = date_lookup()
    for lo in range(0, rows, CHUNK_ROWS):
        out.write(utf8_view(render_chunk(plan, lo, min(lo + CHUNK_ROWS, rows), dates)))
    return plan.defects


def check_args(rows: int, defect_rate: float) -> None:
    """Reject arguments the generator cannot honour.

    Raises:
        ValueError: ``rows`` is negative or ``defect_rate`` is outside ``[0, 1]``.
    """
    if rows < 0:
        raise ValueError(f"rows must be >= 0, got {rows}")
    if not 0.0 <= defect_rate <= 1.0:
        raise ValueError(f"defect_rate must be within [0, 1], got {defect_rate}")


def generate_bytes(rows: int, seed: int = 0, defect_rate: float = 0.02) -> bytes:
    """Return a generated CSV file as bytes (for tests and small files).

    The same arguments give the same bytes; ``defect_rate`` is the share of rows
    (0 to 1) that carry exactly one defect.

    Raises:
        ValueError: ``rows`` is negative or ``defect_rate`` is outside ``[0, 1]``.
    """
    check_args(rows, defect_rate)
    buffer = io.BytesIO()
    write_rows(buffer, rows, seed, defect_rate)
    return buffer.getvalue()


def write_csv(
    path: Path, rows: int, seed: int = 0, defect_rate: float = 0.02
) -> GenerationResult:
    """Generate a CSV file atomically (temporary file, then rename).

    Parent directories are created; the same arguments give the same bytes.

    Raises:
        ValueError: ``rows`` is negative or ``defect_rate`` is outside ``[0, 1]``.
    """
    check_args(rows, defect_rate)
    started = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as out:
            defects = write_rows(out, rows, seed, defect_rate)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return GenerationResult(
        path=path,
        rows=rows,
        bytes=path.stat().st_size,
        seconds=time.perf_counter() - started,
        defects=defects,
    )
