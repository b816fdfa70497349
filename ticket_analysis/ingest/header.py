"""Find a ticket file's header row and map its names to the contract's columns."""

from __future__ import annotations

import csv
import re

from ticket_analysis.domain import COLUMNS, REQUIRED_FIELDS
from ticket_analysis.exceptions import InputError

#: Lines of ASCII whitespace only (skipped in one step before the header).
_BLANK_LINES = re.compile(rb"(?:[ \t\f\v]*(?:\r\n|\r|\n))*")
_LINE_END = re.compile(rb"\r\n|\r|\n")


def normalize_header(name: str) -> str:
    """Return the canonical form of a header name (``Ticket-ID `` -> ``ticket_id``)."""
    return re.sub(r"[\s\-]+", "_", name.strip().lstrip("\ufeff").strip().lower())


def find_header(data: bytes, source: str) -> tuple[int, int, list[str]]:
    """Find the header: the first line with a non-blank cell (``,,`` is blank).

    Returns:
        The header's byte offset, the number of physical lines before it and
        its cells (the header ends at LF, CRLF or CR).

    Raises:
        InputError: If every line is blank.
    """
    if not data:  # a byte-order mark and nothing else: no header, no columns
        return 0, 0, []
    offset = _BLANK_LINES.match(data).end()  # type: ignore[union-attr]  # always
    skipped = len(_LINE_END.findall(data, 0, offset))
    while offset < len(data):
        end = _LINE_END.search(data, offset)
        line = data[offset : len(data) if end is None else end.start()]
        cells = next(csv.reader([line.decode("utf-8")]), [])
        if any(cell.strip() for cell in cells):
            return offset, skipped, cells
        if end is None:
            break
        offset, skipped = end.end(), skipped + 1
    raise InputError(
        f"{source} contains only blank lines: export the tickets again, "
        "with a header row"
    )


def is_blank(fields: list[str]) -> bool:
    """Tell whether a parsed record is a blank line (nothing, or one blank cell)."""
    return not fields or (len(fields) == 1 and not fields[0].strip())


def map_header(header: list[str], source: str) -> dict[str, str]:
    """Map each contract column found to its header name; check required ones.

    Raises:
        InputError: If a required column is missing or a column appears twice.
    """
    mapping: dict[str, str] = {}
    for name in header:
        canonical = normalize_header(name)
        if canonical not in COLUMNS:
            continue
        if canonical in mapping:
            raise InputError(
                f"{source}: columns {mapping[canonical]!r} and {name!r} both mean "
                f"{canonical}; keep one of them and run again"
            )
        mapping[canonical] = name
    missing = [c for c in REQUIRED_FIELDS if c not in mapping]
    if missing:
        found = ", ".join(repr(h[:40]) for h in header[:20]) or "none"
        hint = ""
        if len(header) == 1 and re.search(r"[;\t|]", header[0]):
            hint = " The header looks delimited by ';', tab or '|': export with commas."
        elif any("\ufffd" in name for name in header):
            hint = " The header holds damaged bytes (shown as \ufffd)."
        raise InputError(
            f"{source} is missing required column(s): {', '.join(missing)}. "
            f"Columns found: {found}.{hint} Required: {', '.join(REQUIRED_FIELDS)}."
        )
    return mapping
