"""Rewrite a generated (canonical) ticket file as a helpdesk would export it.

``python -m benchmarks.export_profile --profile zendesk --input IN --output OUT``
writes the same records with the Zendesk export's headers (``Id``, ``Requester
id``, ``Created at``, ``Solved at``…, in Zendesk's order), its values
(``urgent/high/normal/low``; ``new`` for an unassigned open ticket, ``open``,
``pending``, ``hold`` now and then, ``solved``, ``closed``) and its timestamps
(``2024-01-15 09:32``, the time of day derived from the record's position), so
that ``make bench`` can time the import profile against the canonical path
(issue 15 item 6). The idea is ``tests/test_profiles_property.py``'s: a value the
contract accepts (in any case or spelling it forgives) becomes the helpdesk's
value, anything else stays as it was, and a record with the wrong number of
fields (a ragged row) is copied unchanged. A few invalid values of the
generator are valid Zendesk values (``Urgent``, ``Normal``, ``Pending``, ``On
Hold``: about 0.1 % of the rows at 2 % defects) and are read as such.

Only the nine mapped columns are written, so the file is the canonical one plus
the profile's work (header mapping, value maps, timestamps), not a wider file.
Streaming with the :mod:`csv` module, about 10 s for a million rows; the result
is deterministic.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Final

#: The canonical columns, in the contract's order.
CANONICAL: Final = (
    "ticket_id", "customer_id", "subject", "description", "priority", "status",
    "created_date", "resolved_date", "assigned_to",
)  # fmt: skip
#: Zendesk's header for each canonical column, in the order Zendesk exports them.
ZENDESK_HEADER: Final = {
    "ticket_id": "Id",
    "subject": "Subject",
    "description": "Description",
    "status": "Status",
    "priority": "Priority",
    "customer_id": "Requester id",
    "assigned_to": "Assignee",
    "created_date": "Created at",
    "resolved_date": "Solved at",
}
#: Canonical priority -> Zendesk's (``ticket_analysis/profiles/zendesk.toml``).
ZENDESK_PRIORITY: Final = {
    "low": "low", "medium": "normal", "high": "high", "critical": "urgent",
}  # fmt: skip
PROFILES: Final = ("zendesk",)


def enum_key(value: str) -> str:
    """The form the contract matches enum values in (case, spaces, ``-``, ``_``)."""
    return re.sub(r"[\s_\-]+", " ", value.lower()).strip()


class ZendeskRow:
    """Converts canonical records to Zendesk's, memoising the value lookups."""

    def __init__(self) -> None:
        self._order = [CANONICAL.index(name) for name in ZENDESK_HEADER]
        self._priority: dict[str, str] = {}
        self._status: dict[str, str] = {}
        self._is_date: dict[str, bool] = {}

    def header(self) -> list[str]:
        """Zendesk's header line."""
        return list(ZENDESK_HEADER.values())

    def _priority_of(self, value: str) -> str:
        if value not in self._priority:
            self._priority[value] = ZENDESK_PRIORITY.get(enum_key(value), value)
        return self._priority[value]

    def _status_key(self, value: str) -> str:
        if value not in self._status:
            self._status[value] = enum_key(value)
        return self._status[value]

    def _date(self, value: str) -> bool:
        """Whether ``value`` is a real ``YYYY-MM-DD`` date (then it gets a time)."""
        if value not in self._is_date:
            ok = len(value) == 10 and value[4] == value[7] == "-"
            try:
                ok = ok and bool(dt.date.fromisoformat(value))
            except ValueError:
                ok = False
            self._is_date[value] = ok
        return self._is_date[value]

    def convert(self, record: list[str], index: int) -> list[str]:
        """One record as Zendesk's (``index``: its position, for times and holds)."""
        if len(record) != len(CANONICAL):
            return record
        ticket, customer, subject, text, priority, status, made, done, agent = record
        key = self._status_key(status)
        if key == "open":
            status = "open" if agent.strip() else "new"
        elif key == "in progress":
            status = "hold" if index % 7 == 0 else "pending"
        elif key == "resolved":
            status = "solved"
        elif key == "closed":
            status = "closed"
        minute = index * 7919 % 1440
        if self._date(made):
            made = f"{made} {minute // 60:02d}:{minute % 60:02d}"
        if self._date(done):
            minute += index * 131 % (1440 - minute)
            done = f"{done} {minute // 60:02d}:{minute % 60:02d}"
        fields = [ticket, customer, subject, text, self._priority_of(priority)]
        fields += [status, made, done, agent]
        return [fields[i] for i in self._order]


def convert_file(source: Path, target: Path, profile: str) -> int:
    """Write ``source`` as ``profile``'s export to ``target`` (atomically).

    Returns:
        The number of records written (the header excluded).

    Raises:
        ValueError: The profile is unknown or the file's header is not canonical.
    """
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; known: {', '.join(PROFILES)}")
    rows = ZendeskRow()
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    count = 0
    try:
        with (
            source.open(encoding="utf-8", newline="") as inp,
            tmp.open("w", encoding="utf-8", newline="") as out,
        ):
            reader, writer = csv.reader(inp), csv.writer(out)
            if tuple(next(reader, [])) != CANONICAL:
                raise ValueError(f"{source} does not start with the canonical header")
            writer.writerow(rows.header())
            for count, record in enumerate(reader, start=1):
                writer.writerow(rows.convert(record, count))
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    return count


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (2 on a usage error)."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.export_profile",
        description="Rewrite a generated ticket file as a helpdesk's export.",
    )
    parser.add_argument("--profile", choices=PROFILES, required=True)
    parser.add_argument("--input", type=Path, required=True, help="canonical CSV")
    parser.add_argument("--output", type=Path, required=True, help="CSV to write")
    args = parser.parse_args(argv)
    try:
        convert_file(args.input, args.output, args.profile)
    except (OSError, ValueError) as exc:
        print(f"export_profile: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
