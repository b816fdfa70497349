"""What the peer implementations share: the contract's vocabulary and the CLI.

Only the standard library: each peer does its data work in its own library (Polars
or DuckDB); this module holds the constants of the contract (§1-§3 of
``/work/shared/design/contract.md``), header mapping, the command line and the
JSON writer, so that the peers differ only where the libraries do.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import logging
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final

logger = logging.getLogger("benchmarks.peers")

REPO_ROOT: Final = Path(__file__).resolve().parents[2]
STOP_WORDS_FILE: Final = REPO_ROOT / "ticket_analysis" / "stopwords.txt"

COLUMNS: Final = (
    "ticket_id",
    "customer_id",
    "subject",
    "description",
    "priority",
    "status",
    "created_date",
    "resolved_date",
    "assigned_to",
)
REQUIRED: Final = ("ticket_id", "customer_id", "priority", "status", "created_date")
PRIORITIES: Final = ("Low", "Medium", "High", "Critical")
STATUSES: Final = ("Open", "In Progress", "Resolved", "Closed")
OPEN_STATUSES: Final = ("Open", "In Progress")
RESOLVED_STATUSES: Final = ("Resolved", "Closed")
SLA_TARGETS: Final = {"Low": 14, "Medium": 7, "High": 3, "Critical": 1}
OPEN_DAYS: Final = 7
ESCALATION_THRESHOLD: Final = 5
TOP_WORDS: Final = 10
LIST_LIMIT: Final = 100
WEEKS: Final = 12
FIRST_DATE: Final = dt.date(1970, 1, 1)
LAST_DATE: Final = dt.date(2099, 12, 31)
#: Backlog aging buckets: label and the largest age (days) in it.
BUCKETS: Final = (("0-1", 1), ("2-3", 3), ("4-7", 7), ("8-14", 14), ("15-30", 30))
LAST_BUCKET: Final = "31+"
#: Issue codes in the project's order (counts are reported for each).
ISSUE_CODES: Final = (
    "malformed_record",
    "missing_required_field",
    "invalid_created_date",
    "invalid_priority",
    "invalid_status",
    "duplicate_ticket_id",
    "normalized_value",
    "invalid_resolved_date",
    "resolved_before_created",
    "missing_resolved_date",
    "resolved_date_on_open_ticket",
    "missing_subject",
    "created_after_as_of",
)
WARNING_CODES: Final = ISSUE_CODES[6:]
#: A trimmed enum value's key: lower-case, runs of space/underscore/hyphen as one space.
ENUM_SEPARATORS: Final = r"[\s_\-]+"
ISO_SHAPE: Final = r"^\d{4}-\d{2}-\d{2}$"


class PeerInputError(Exception):
    """The input cannot be analysed (missing file or required columns): exit 2."""


def normalize_header(name: str) -> str:
    """Return a header name's canonical form (``Ticket-ID `` -> ``ticket_id``)."""
    return re.sub(r"[\s\-]+", "_", name.strip().lstrip("\ufeff").strip().lower())


def read_header(path: Path) -> list[str]:
    """Return the cells of the file's first non-blank line (the header).

    Raises:
        PeerInputError: The file is missing or has no header.
    """
    if not path.is_file():
        raise PeerInputError(f"input file not found: {path}")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for cells in csv.reader(handle):
            if any(cell.strip() for cell in cells):
                return cells
    raise PeerInputError(f"{path} has no header row")


def map_header(header: Sequence[str]) -> dict[str, str]:
    """Map each contract column found to the file's header name for it.

    Raises:
        PeerInputError: A required column is missing.
    """
    found: dict[str, str] = {}
    for name in header:
        found.setdefault(normalize_header(name), name)
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        raise PeerInputError(
            f"missing required columns: {', '.join(missing)} "
            f"(found: {', '.join(header)})"
        )
    return {name: found[name] for name in COLUMNS if name in found}


def stop_words() -> list[str]:
    """Return the project's shipped stop words (lower-case, comments skipped)."""
    lines = STOP_WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return sorted(
        {
            line.strip().lower()
            for line in lines
            if line.strip() and not line.lstrip().startswith("#")
        }
    )


def utc_today() -> dt.date:
    """Return the day of the run (UTC)."""
    return dt.datetime.now(dt.UTC).date()


def month_range(first: dt.date, last: dt.date) -> list[str]:
    """Return ``YYYY-MM`` for every month from ``first``'s to ``last``'s."""
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def week_starts(as_of: dt.date) -> list[dt.date]:
    """Return the Mondays of the :data:`WEEKS` ISO weeks ending with as_of's week."""
    monday = as_of - dt.timedelta(days=as_of.weekday())
    return [monday - dt.timedelta(weeks=WEEKS - 1 - i) for i in range(WEEKS)]


def rate(over: int, total: int) -> float | None:
    """Return ``over / total`` rounded to 4 decimals, None when ``total`` is 0."""
    return round(over / total, 4) if total else None


def rounded(value: float | None, digits: int = 2) -> float | None:
    """Round a statistic (None stays None)."""
    return None if value is None else round(float(value), digits)


def write_json(path: Path, payload: dict[str, Any]) -> None:
    """Write a JSON document (UTF-8, indented)."""
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n", encoding="utf-8")


def parse_args(prog: str, argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse ``--input F --output-dir D`` (the project's flags, without weather)."""
    parser = argparse.ArgumentParser(prog=prog, description=__doc__)
    parser.add_argument("--input", type=Path, required=True, help="ticket CSV")
    parser.add_argument("--output-dir", type=Path, required=True, help="output folder")
    parser.add_argument("--no-weather", action="store_true", help="accepted, ignored")
    return parser.parse_args(argv)


def run(prog: str, analyse: Callable[[Path, Path], dict[str, Any]], argv: Any) -> int:
    """Run a peer: analyse, write ``summary.json``; return the exit code."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(message)s")
    args = parse_args(prog, argv)
    args.output_dir.mkdir(parents=True, exist_ok=True)
    try:
        summary = analyse(args.input, args.output_dir)
    except PeerInputError as exc:
        logger.error("%s", exc)
        return 2
    write_json(args.output_dir / "summary.json", summary)
    quality = summary["data_quality"]
    logger.info(
        "%s: %d records read, %d valid, %d rejected",
        args.input.name,
        quality["records_read"],
        quality["rows_valid"],
        quality["rows_rejected"],
    )
    return 0


if __name__ == "__main__":  # pragma: no cover - not a command
    sys.exit("run a peer: python -m benchmarks.peers.polars_peer --help")
