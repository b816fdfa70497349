"""Generate realistic, deterministic support-ticket CSV files of any size.

The output follows the input contract (``/work/shared/design/contract.md`` §1) and
looks like a real helpdesk export rather than uniform noise, because the costs a
benchmark should expose depend on the shape of the data:

- **Customers** are long-tailed: about ``rows / 4`` distinct ids with lognormal
  (Zipf-like) ticket counts, so most customers have one or two tickets, a minority
  have more than five and a few enterprise accounts have hundreds.
- **Agents**: 20–50 named agents (more for bigger files) with a skewed load and
  about 5 % unassigned tickets (mostly tickets still in ``Open``).
- **Subjects** are mostly distinct: they carry order, invoice, case and reference
  numbers, product names and versions, ``Re:``/``Fwd:`` prefixes, some commas and
  quotes (so the field is quoted) and a few non-ASCII names (é, ü, 日本).
- **Descriptions** are 60–200 characters, often with commas, some with quotes and a
  small share (~1.5 %) with newlines embedded in the quoted field.
- **Priorities and statuses** have realistic shares; created dates span 2023-01-01
  to 2024-12-31 with growth and a weekly rhythm; Resolved/Closed tickets have a
  resolved date 0–30 days later, faster for higher priorities; tickets whose
  resolution would fall after the export date are still Open/In Progress.
- **Defects**: a configurable share of rows (default 2 %) each carries exactly one
  defect from :data:`DEFECT_KINDS`, apportioned so that every kind is present as
  soon as there are at least as many defect rows as kinds.

The file is RFC 4180 CSV: CRLF record terminators, fields quoted only when they
contain a comma, a double quote or a line break, quotes doubled. Python's
:mod:`csv` module and ``pyarrow.csv`` (with ``newlines_in_values=True`` and an
``invalid_row_handler`` for the deliberately ragged rows) read the same number of
records.

Everything is decided up front from one seeded :class:`numpy.random.Generator`;
the text of each row is derived from a per-row 64-bit key by hashing, and strings
are assembled column-wise with ``pyarrow.compute`` in chunks, so the same
arguments always give a byte-identical file and a million rows take a few seconds.

This module is the command and the public API; the parts live in
``benchmarks/generator/``: ``vocabulary`` (words and templates), ``text`` (hashing
and column-wise strings), ``plan`` (dates, ids, customers, agents, statuses),
``defects`` and ``writer`` (chunks of CSV, :func:`write_csv`).

Usage::

    python -m benchmarks.generate --rows 1000000 --seed 0 --output tickets.csv
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from benchmarks.generator.defects import DEFECT_KINDS, DEFECT_WEIGHTS
from benchmarks.generator.plan import END_DATE, START_DATE
from benchmarks.generator.writer import (
    GenerationResult,
    check_args,
    generate_bytes,
    write_csv,
)
from ticket_analysis.domain import COLUMNS, PRIORITIES, STATUSES

__all__ = [
    "COLUMNS",
    "DEFECT_KINDS",
    "DEFECT_WEIGHTS",
    "END_DATE",
    "PRIORITIES",
    "START_DATE",
    "STATUSES",
    "GenerationResult",
    "generate_bytes",
    "main",
    "write_csv",
]


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse the command line (``None``: ``sys.argv[1:]``)."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.generate",
        description="Write a realistic, deterministic support-ticket CSV file.",
    )
    parser.add_argument("--rows", type=int, required=True, help="data records")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--defect-rate",
        type=float,
        default=0.02,
        help="share of rows with one defect each (default 0.02)",
    )
    parser.add_argument("--output", type=Path, required=True, help="CSV file to write")
    parser.add_argument("--quiet", action="store_true", help="print nothing")
    args = parser.parse_args(argv)
    try:
        check_args(args.rows, args.defect_rate)
    except ValueError as exc:
        parser.error(str(exc))
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command-line interface; return the exit code."""
    args = _parse_args(argv)
    result = write_csv(args.output, args.rows, args.seed, args.defect_rate)
    if not args.quiet:
        defects = ", ".join(f"{k} {v}" for k, v in result.defects.items() if v)
        print(
            f"wrote {result.path}: {result.rows:,} rows, "
            f"{result.bytes / 1e6:,.1f} MB in {result.seconds:.2f} s"
            f" (defect rows {sum(result.defects.values()):,}: {defects or 'none'})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
